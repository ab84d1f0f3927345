"""Drawn chihuahua faces: identities stay fixed, landmarks land on what is drawn, bad input is refused."""

import cv2
import numpy as np
import pytest

from utils import drawing, faces


def test_individuals_are_reproducible_and_differ():
    a, b = faces.make_individuals(5, seed=3), faces.make_individuals(5, seed=3)
    assert a == b
    assert [d.ident for d in faces.make_individuals(3, start=10)] == [10, 11, 12]
    assert faces.make_individuals(2, start=4)[0] == faces.make_individuals(6)[4], "each dog has its own seed"
    assert len({(d.main, d.ear_length) for d in faces.make_individuals(40)}) == 40
    groups = {d.group for d in faces.make_individuals(40)}
    assert groups == {"light coat", "dark coat"}


def test_draw_face_shapes_and_landmarks_inside():
    dog = faces.make_individuals(1)[0]
    for k in range(20):
        img, pts = faces.draw_face(dog, np.random.default_rng(k), 64)
        assert img.shape == (64, 64, 3) and img.dtype == np.uint8
        assert pts.shape == (5, 2)
        assert pts.min() >= 0 and pts.max() <= 63
        assert pts[0, 0] < pts[1, 0], "the viewer's left eye is left of the right eye (no mirroring)"
        assert pts[3, 0] < pts[4, 0] and pts[3:, 1].max() < pts[:3, 1].min(), "ear tips above eyes and nose"


def test_pose_and_shrinking_move_points_exactly_like_pixels():
    """A bright dot drawn at a unit point, posed and shrunk like a photo, has its centroid where the maths says."""
    s, size = 128, 64
    rng = np.random.default_rng(0)
    for _ in range(10):
        unit = rng.uniform(0.35, 0.65, (1, 2))
        canvas, _ = drawing.canvas(s)
        drawing.circle(canvas, s, unit[0, 0], unit[0, 1], 0.02, (255, 255, 255))
        m = faces.face_pose(rng, s, unit)
        warped = cv2.warpAffine(canvas[..., 0].astype(np.float32), m, (s, s), flags=cv2.INTER_LINEAR)
        small = cv2.resize(warped, (size, size), interpolation=cv2.INTER_AREA)
        yy, xx = np.mgrid[0:size, 0:size]
        centroid = np.array([(small * xx).sum(), (small * yy).sum()]) / small.sum()
        expected = faces.canvas_to_photo(faces.apply_pose(m, unit * s), s, size)[0]
        np.testing.assert_allclose(centroid, expected, atol=0.1)


def test_eyes_and_nose_landmarks_sit_on_dark_spots():
    dogs = faces.make_individuals(30, seed=1)
    dark = 0
    for k, dog in enumerate(dogs):
        img, pts = faces.draw_face(dog, np.random.default_rng(k), 64)
        gray = img.mean(axis=2)
        for x, y in np.rint(pts[:3]).astype(int):
            dark += gray[y - 1:y + 2, x - 1:x + 2].mean() < np.median(gray)
    assert dark >= 0.9 * 3 * len(dogs)


def test_one_dog_keeps_its_coat_across_photos():
    dog = next(d for d in faces.make_individuals(30) if d.group == "dark coat")
    photos = faces.draw_faces([dog], 6, seed=0)
    assert set(photos.ids.tolist()) == {dog.ident} and set(photos.groups.tolist()) == {"dark coat"}
    assert len({p.tobytes() for p in photos.x}) == 6, "pose, light and background vary"


def test_draw_faces_is_reproducible_and_mixes_light():
    dogs = faces.make_individuals(4)
    a = faces.draw_faces(dogs, 5, seed=2, dim_share=0.5)
    b = faces.draw_faces(dogs[1:2], 5, seed=2, dim_share=0.5)
    assert len(a) == 20 and a.points.shape == (20, 5, 2)
    np.testing.assert_array_equal(a.x[5:10], b.x), "any dog's photos can be drawn again alone"
    assert set(a.lights.tolist()) == {"normal", "dim"}
    dim, normal = a.x[a.lights == "dim"].mean(), a.x[a.lights == "normal"].mean()
    assert dim < 0.6 * normal
    sub = a.subset(a.lights == "dim")
    assert len(sub) == int((a.lights == "dim").sum()) and set(sub.lights.tolist()) == {"dim"}


@pytest.mark.parametrize("call, error, message", [
    (lambda: faces.draw_face("dog", np.random.default_rng(0)), TypeError, "Individual"),
    (lambda: faces.draw_face(faces.make_individual(np.random.default_rng(0)), 0), TypeError, "Generator"),
    (lambda: faces.draw_face(faces.make_individual(np.random.default_rng(0)), np.random.default_rng(0), 8),
     ValueError, "size"),
    (lambda: faces.draw_face(faces.make_individual(np.random.default_rng(0)), np.random.default_rng(0),
                             light="dark"), ValueError, "light"),
    (lambda: faces.draw_faces([], 3), TypeError, "non-empty"),
    (lambda: faces.draw_faces(faces.make_individuals(1), 0), ValueError, "per_dog"),
    (lambda: faces.draw_faces(faces.make_individuals(1), 1, dim_share=2), ValueError, "dim_share"),
    (lambda: faces.make_individuals(0), ValueError, "n must be"),
])
def test_bad_input_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()
