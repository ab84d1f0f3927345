"""Tests for utils.detectors: mirrored boxes, box encodings, the two models' shapes, and one short training run."""

import numpy as np
import pytest

from utils import detection, detectors, scenes


def test_mirror_moves_the_boxes_with_the_picture():
    img = np.zeros((1, 10, 10, 3), np.uint8)
    img[0, 2:4, 1:3] = 255  # a bright patch in the box (1, 2, 3, 4)
    flipped, targets = detectors.mirror(img, [{"boxes": [[1, 2, 3, 4]], "classes": [1]}])
    assert targets[0]["boxes"].tolist() == [[7, 2, 9, 4]] and targets[0]["classes"].tolist() == [1]
    assert flipped[0, 2:4, 7:9].min() == 255 and flipped[0].sum() == img[0].sum()


def test_box_encodings_round_trip():
    boxes = np.array([[0, 0, 32, 16], [10, 20, 50, 64]], float)
    values = detectors.box_to_cxcywh(boxes, 64)
    assert values[0].tolist() == [0.25, 0.125, 0.5, 0.25]
    assert np.allclose(detectors.cxcywh_to_box(values, 64), boxes)
    assert np.allclose(detectors.cxcywh_to_box([[0.05, 0.5, 0.2, 0.2]], 64), [[0, 25.6, 9.6, 38.4]]), "clipped"


def test_localization_targets_need_one_object():
    with pytest.raises(ValueError, match="exactly one object"):
        detectors.localization_targets([{"boxes": np.zeros((2, 4)), "classes": [0, 1]}], 64)


def test_models_have_the_lesson_shapes():
    loc, det = detectors.build_localizer(), detectors.build_detector()
    shapes = {k: v.shape for k, v in loc.predict(np.zeros((1, 64, 64, 3)), verbose=0).items()}
    assert shapes == {"class": (1, 2), "box": (1, 4)}
    grid = detectors.GRID
    shapes = {k: v.shape for k, v in det.predict(np.zeros((1, 96, 96, 3)), verbose=0).items()}
    assert shapes == {"objectness": (1, grid, grid, 1), "box": (1, grid, grid, 4), "class": (1, grid, grid, 2)}
    assert loc.count_params() == 192_486 and det.count_params() == 135_271


def test_short_training_runs_end_to_end():
    x, t = scenes.make_scenes(16, size=96, seed=1)
    model = detectors.train_detector(x, t, epochs=1)
    found = detectors.detect(model, x[:3], score_threshold=0.0)
    assert len(found) == 3 and all(len(f["boxes"]) <= detectors.GRID ** 2 for f in found)
    detection.check_boxes(found[0]["boxes"], 96)
    x, t = scenes.make_scenes(16, size=64, n_objects=(1, 1), seed=1)
    accuracy, ious = detectors.localization_scores(detectors.train_localizer(x, t, epochs=1), x, t)
    assert 0 <= accuracy <= 1 and ious.shape == (16,) and ((ious >= 0) & (ious <= 1)).all()
