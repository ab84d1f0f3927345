"""Landmarks: the soft-argmax head, the error in pixels, similarity transforms and alignment, the figure."""

import cv2
import keras
import numpy as np
import pytest

from utils import faces, landmarks


def test_soft_argmax_finds_a_peak_between_cells():
    heat = np.full((1, 16, 16, 2), -50.0, np.float32)
    heat[0, 5, 9, 0] = 50.0                       # one sharp peak: cell (row 5, col 9)
    heat[0, 2, 3, 1] = heat[0, 2, 4, 1] = 50.0    # two equal peaks: halfway between cells 3 and 4
    out = np.asarray(landmarks.SoftArgmax(64)(heat))
    assert out.shape == (1, 2, 2)
    np.testing.assert_allclose(out[0, 0], [(9 + 0.5) * 4 - 0.5, (5 + 0.5) * 4 - 0.5], atol=1e-3)
    np.testing.assert_allclose(out[0, 1], [4 * 4 - 0.5, (2 + 0.5) * 4 - 0.5], atol=1e-3)
    flat = np.asarray(landmarks.SoftArgmax(64)(np.zeros((1, 16, 16, 1), np.float32)))
    np.testing.assert_allclose(flat[0, 0], [31.5, 31.5], atol=1e-4), "a flat map points at the centre"


def test_soft_argmax_survives_saving(tmp_path):
    model = keras.Sequential([keras.Input((8, 8, 3)), landmarks.SoftArgmax(32)])
    path = tmp_path / "head.keras"
    model.save(path)
    again = keras.models.load_model(path)
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    with pytest.raises(ValueError, match="image_size"):
        landmarks.SoftArgmax(0)


def test_landmark_error_by_hand():
    true = np.zeros((2, 5, 2))
    pred = true.copy()
    pred[0, 0] = (3, 4)   # 5 pixels off
    pred[1, 4] = (0, 5)   # 5 pixels off
    assert landmarks.landmark_error(pred, true) == pytest.approx(10 / 10)
    np.testing.assert_allclose(landmarks.point_errors(pred[0], true[0]), [5, 0, 0, 0, 0])


@pytest.mark.parametrize("pred, true, message", [
    (np.zeros((2, 5, 2)), np.zeros((2, 4, 2)), "same shape"),
    (np.zeros((2, 5, 3)), np.zeros((2, 5, 3)), "last axis"),
    (np.zeros((0, 5, 2)), np.zeros((0, 5, 2)), "empty"),
    (np.zeros(10), np.zeros(10), "1-D"),
])
def test_landmark_error_refuses_wrong_shapes(pred, true, message):
    with pytest.raises(ValueError, match=message):
        landmarks.landmark_error(pred, true)


def test_similarity_recovers_a_known_transform():
    pts = np.array([[10, 20], [30, 22], [20, 35], [5, 2], [40, 0]], float)
    m = cv2.getRotationMatrix2D((15, 15), 20, 1.3)
    moved = pts @ m[:, :2].T + m[:, 2]
    np.testing.assert_allclose(landmarks.similarity(pts, moved), m, atol=1e-9)
    with pytest.raises(ValueError, match="K >= 2"):
        landmarks.similarity(pts[:1], moved[:1])


def test_alignment_puts_landmarks_on_the_reference():
    dogs = faces.make_individuals(6)
    photos = faces.draw_faces(dogs, 3)
    reference = landmarks.reference_shape(photos.points, 32)
    assert reference.shape == (5, 2)
    np.testing.assert_allclose(reference[:3].mean(axis=0), landmarks.ALIGNED_EYES_NOSE.mean(axis=0) * 32, atol=1.0)
    aligned = landmarks.align_faces(photos.x, photos.points, reference, 32)
    assert aligned.shape == (18, 32, 32, 3) and aligned.dtype == np.uint8
    for p in photos.points:  # after alignment every face's landmarks sit near the reference
        m = landmarks.similarity(p, reference)
        assert np.abs(p @ m[:, :2].T + m[:, 2] - reference).mean() < 3
    with pytest.raises(ValueError, match="landmarks"):
        landmarks.align_faces(photos.x, photos.points[:2], reference)


def test_show_landmarks_titles_errors():
    dogs = faces.make_individuals(2)
    photos = faces.draw_faces(dogs, 2)
    fig = landmarks.show_landmarks(photos.x, photos.points, photos.points + 1.0, names=faces.LANDMARKS, columns=4)
    assert [ax.get_title() for ax in fig.axes[:4]] == ["1.4 px"] * 4
    with pytest.raises(ValueError, match="images"):
        landmarks.show_landmarks(photos.x[0], photos.points[0])
