"""Tests for utils.pets_bakes: the pretraining photos of lesson 07."""

import numpy as np
import pytest

from utils import muffins
from utils import pets_bakes as pb


def test_make_images_is_balanced_seeded_and_uint8():
    x, y = pb.make_images(40, size=32, seed=3)
    assert x.shape == (40, 32, 32, 3) and x.dtype == np.uint8
    assert np.bincount(y, minlength=8).tolist() == [5] * 8
    x2, y2 = pb.make_images(40, size=32, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(x, pb.make_images(40, size=32, seed=4)[0])


def test_two_processes_draw_the_same_photos_as_one():
    x1, y1 = pb.make_images(24, size=32, seed=5, workers=1)
    x2, y2 = pb.make_images(24, size=32, seed=5, workers=2)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("kind", pb.CLASSES)
def test_each_kind_is_drawn_and_differs_from_the_others(kind):
    img = pb.draw(kind, np.random.default_rng(1), size=64)
    assert img.shape == (64, 64, 3) and img.dtype == np.uint8
    assert img.std() > 8, f"{kind} looks blank"
    others = [pb.draw(k, np.random.default_rng(1), size=64) for k in pb.CLASSES if k != kind]
    assert all(not np.array_equal(img, o) for o in others)


def test_the_source_task_holds_no_target_class():
    assert not set(pb.CLASSES) & set(muffins.CLASS_NAMES)


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="kind must be one of"):
        pb.draw("chihuahua", np.random.default_rng(0))
    with pytest.raises(TypeError, match="numpy Generator"):
        pb.draw("cat", 0)
    with pytest.raises(ValueError, match="positive int"):
        pb.make_images(0)
    with pytest.raises(ValueError, match="size must be"):
        pb.make_images(4, size=8)
