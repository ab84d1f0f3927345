"""Face detection helpers: the Haar cascade on the astronaut, training windows, pyramid, windows, NMS voting."""

import cv2
import numpy as np
import pytest
from skimage import data as skdata

from utils import detection
from utils import face_detection as fd

ASTRONAUT = skdata.astronaut()


def test_haar_cascade_finds_the_astronaut_face():
    boxes = fd.haar_faces(ASTRONAUT)
    np.testing.assert_array_equal(boxes, [[177, 66, 272, 161]])  # (177, 66, 95, 95) as x, y, w, h
    assert detection.iou(boxes[0], fd.ASTRONAUT_FACE) >= 0.5
    assert fd.haar_faces(np.full((64, 64), 128, np.uint8)).shape == (0, 4)


@pytest.mark.parametrize("image, error, message", [
    (np.zeros((0, 0), np.uint8), ValueError, "empty"),
    (np.zeros((4, 4, 4), np.uint8), ValueError, "shape"),
    (None, ValueError, "None"),
    ([[1, 2], [3, 4]], TypeError, "NumPy array"),
    (np.full((8, 8), 3.0), TypeError, "uint8"),
])
def test_bad_photos_are_refused(image, error, message):
    with pytest.raises(error, match=message):
        fd.haar_faces(image)


def test_missing_cascade_file_says_what_to_do():
    with pytest.raises(FileNotFoundError, match="opencv-python-headless 4"):
        fd.haar_cascade("no_such_cascade.xml")


def test_gray_accepts_rgb_gray_and_unit_floats():
    g = fd.gray(ASTRONAUT)
    assert g.shape == (512, 512) and g.dtype == np.uint8
    np.testing.assert_array_equal(fd.gray(g), g)
    np.testing.assert_array_equal(fd.gray(g / 255.0), g)


def test_face_patches_counts_and_range():
    x, y = fd.face_patches(negatives=30, copies=2)
    assert x.shape == (200 * 3 + 100 + 30, 25, 25, 1) and x.dtype == np.float32
    assert y.sum() == 600 and 0 <= x.min() and x.max() <= 1
    x2, _ = fd.face_patches(negatives=30, copies=2)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_allclose(x[100, :, :, 0], x[0, :, ::-1, 0]), "faces 100-199 mirror faces 0-99"


def test_image_pyramid_levels_shrink_by_the_step():
    levels = fd.image_pyramid(np.zeros((100, 200), np.uint8), step=0.5, smallest=25)
    assert [lvl.shape for _, lvl in levels] == [(100, 200), (50, 100), (25, 50)]
    assert [s for s, _ in levels] == [1.0, 0.5, 0.25]
    with pytest.raises(ValueError, match="smaller than one window"):
        fd.image_pyramid(np.zeros((10, 10), np.uint8))


def test_sliding_windows_match_the_boxes():
    img = np.arange(30 * 40, dtype=np.uint8).reshape(30, 40)
    windows, boxes = fd.sliding_windows(img, size=10, stride=5)
    assert windows.shape == (5 * 7, 10, 10) and boxes.shape == (35, 4)
    for w, (x1, y1, x2, y2) in zip(windows, boxes.astype(int)):
        np.testing.assert_array_equal(w, img[y1:y2, x1:x2])
    with pytest.raises(ValueError, match="grayscale"):
        fd.sliding_windows(np.zeros((30, 30, 3), np.uint8))


def test_pyramid_windows_map_back_to_photo_pixels():
    photo = np.zeros((200, 200), np.uint8)
    cv2.rectangle(photo, (60, 80), (139, 159), 255, -1)  # an 80-pixel bright square
    windows, boxes = fd.pyramid_windows(photo, step=0.8, stride=2, smallest_face=40)
    full = windows[..., 0].mean(axis=(1, 2)) == 1.0
    assert full.any()
    biggest = boxes[full][np.argmax(detection.box_area(boxes[full]))]
    assert detection.iou(biggest, (60, 80, 140, 160)) > 0.6
    levels = fd.pyramid_levels(photo, smallest_face=40)
    assert levels[0][0] == pytest.approx(25 / 40) and levels[0][1].shape == (125, 125)


def test_detect_votes_and_drops_lonely_boxes():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [2, 0, 12, 10], [50, 50, 60, 60], [0, 0, 10, 10]], float)
    scores = np.array([3.0, 2.0, 1.0, 5.0, -1.0])
    found, kept = fd.detect(scores, boxes, min_neighbours=1)
    np.testing.assert_allclose(found, [[50, 50, 60, 60], [1, 1 / 3, 11, 31 / 3]])
    np.testing.assert_allclose(kept, [5.0, 3.0])
    found, kept = fd.detect(scores, boxes, min_neighbours=3)
    assert kept.tolist() == [3.0], "the lonely box is dropped, the one with 3 neighbours stays"
    found, _ = fd.detect(scores, boxes, min_score=10)
    assert found.shape == (0, 4)
    with pytest.raises(ValueError, match="one score per box"):
        fd.detect(scores[:2], boxes)


def test_detect_merges_only_the_best_windows():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [2, 0, 12, 10], [50, 50, 60, 60]], float)
    scores = np.array([3.0, 2.0, 1.0, 5.0])
    found, kept = fd.detect(scores, boxes, max_windows=2)
    np.testing.assert_allclose(found, [[50, 50, 60, 60], [0, 0, 10, 10]])   # the 2nd and 3rd face windows left out
    np.testing.assert_allclose(kept, [5.0, 3.0])
    assert fd.detect(scores, boxes, max_windows=4)[0].tolist() == fd.detect(scores, boxes)[0].tolist()
    with pytest.raises(ValueError, match="max_windows"):
        fd.detect(scores, boxes, max_windows=0)


def test_hard_negatives_keep_only_confident_windows():
    calls = []

    def score(windows):
        calls.append(len(windows))
        return windows.mean(axis=(1, 2, 3)) - 0.5  # "bright windows are faces"

    hard = fd.hard_negatives(score, photos=("moon", "coins"), per_photo=5)
    assert len(calls) == 2 and 0 < len(hard) <= 10 and hard.shape[1:] == (25, 25, 1)
    assert (hard.mean(axis=(1, 2, 3)) >= 0.5).all()
    with pytest.raises(TypeError, match="function"):
        fd.hard_negatives("model")


def test_photo_variants_and_judge():
    variants = fd.photo_variants(ASTRONAUT)
    assert list(variants) == ["as it is", "turned 30°", "dim light", "quarter size"]
    small, box = variants["quarter size"]
    assert small.shape == (128, 128, 3)
    np.testing.assert_allclose(box, np.array([fd.ASTRONAUT_FACE]) / 4)
    assert fd.judge(np.array([fd.ASTRONAUT_FACE]), box * 4) == (True, 0)
    assert fd.judge(np.zeros((0, 4)), box) == (False, 0)
    assert fd.judge(np.array([[0, 0, 10, 10], fd.ASTRONAUT_FACE]), box * 4) == (True, 1)
