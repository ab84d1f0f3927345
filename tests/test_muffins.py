"""Tests for utils.muffins: seeded chihuahua and muffin drawings, arrays in memory, look-alikes."""

import numpy as np
import pytest

from utils import muffins


# ---------------------------------------------------------------------------------------------- drawing
@pytest.mark.parametrize("draw", [muffins.draw_chihuahua, muffins.draw_muffin])
@pytest.mark.parametrize("size", [16, 45, 64, 128])
def test_draw_returns_rgb_bytes(draw, size):
    img = draw(np.random.default_rng(0), size)
    assert img.shape == (size, size, 3) and img.dtype == np.uint8
    assert img.std() > 5, "the picture should not be flat"


@pytest.mark.parametrize("draw", [muffins.draw_chihuahua, muffins.draw_muffin])
def test_draw_is_seeded(draw):
    a, b = draw(np.random.default_rng(7), 64), draw(np.random.default_rng(7), 64)
    c = draw(np.random.default_rng(8), 64)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_lookalike_poses_can_be_forced():
    rng = np.random.default_rng(1)
    assert muffins.draw_chihuahua(rng, 32, curled=True).shape == (32, 32, 3)
    assert muffins.draw_muffin(rng, 32, face_like=True).shape == (32, 32, 3)


# ---------------------------------------------------------------------------------------------- arrays
def test_make_arrays_shapes_labels_and_balance():
    x, y = muffins.make_arrays(40, 32, seed=1)
    assert x.shape == (40, 32, 32, 3) and x.dtype == np.uint8
    assert set(np.unique(y)) == {0, 1} and y.sum() == 20
    assert not np.array_equal(y[:20], np.sort(y[:20])), "labels should be shuffled, not sorted"
    _, y_odd = muffins.make_arrays(7, 16, seed=1)
    assert (y_odd == 0).sum() == 4 and (y_odd == 1).sum() == 3


def test_make_arrays_same_seed_same_images_other_seed_other_images():
    a, ya = muffins.make_arrays(10, 24, seed=5)
    b, yb = muffins.make_arrays(10, 24, seed=5)
    c, _ = muffins.make_arrays(10, 24, seed=6)
    assert np.array_equal(a, b) and np.array_equal(ya, yb)
    assert not np.array_equal(a, c)
    t, _ = muffins.make_arrays(10, 24, seed=5, split="test")
    assert not np.array_equal(a, t), "train and test images must differ"


def test_colour_alone_does_not_separate_the_classes():
    """A nearest-class-mean rule on colour histograms stays far from a CNN's accuracy."""
    x, y = muffins.make_arrays(300, 32, seed=0)
    xt, yt = muffins.make_arrays(200, 32, seed=0, split="test")

    def hist(imgs):
        q = (imgs // 64).astype(int)
        idx = (q[..., 0] * 4 + q[..., 1]) * 4 + q[..., 2]
        return np.stack([np.bincount(i.ravel(), minlength=64) for i in idx]) / (32 * 32)

    h, ht = hist(x), hist(xt)
    means = np.stack([h[y == k].mean(0) for k in (0, 1)])
    pred = np.argmin(((ht[:, None] - means[None]) ** 2).sum(-1), axis=1)
    assert (pred == yt).mean() < 0.75



def test_draw_and_arrays_reject_bad_input():
    with pytest.raises(TypeError, match="numpy Generator"):
        muffins.draw_chihuahua(0, 64)
    with pytest.raises(TypeError, match="numpy Generator"):
        muffins.draw_muffin(np.random.RandomState(0), 64)
    with pytest.raises(ValueError, match="size must be between"):
        muffins.draw_muffin(np.random.default_rng(0), 1000)
    with pytest.raises(ValueError, match="n must be a positive int"):
        muffins.make_arrays(0)
    with pytest.raises(ValueError, match="split must be one of"):
        muffins.make_arrays(4, 16, split="validation")



def test_about_one_in_five_of_a_large_split_is_a_look_alike():
    flags = [muffins.is_lookalike(label, i, "test", 0) for label in (0, 1) for i in range(250)]
    assert 0.15 <= np.mean(flags) <= 0.25



def test_lookalikes_flag_exactly_the_images_drawn_in_the_look_alike_pose():
    """Each flag is checked against the picture: redrawn with the pose forced, only the true pose reproduces it."""
    x, y = muffins.make_arrays(24, 32, seed=3, split="test")
    flags = muffins.lookalikes(24, seed=3, split="test")
    assert flags.dtype == bool and flags.shape == (24,) and 0 < flags.sum() < 24
    pairs = muffins._shuffled_pairs(24, 3, "test")
    for img, label, flag, (pair_label, index) in zip(x, y, flags, pairs):
        assert pair_label == label and np.array_equal(img, muffins.draw_one(label, index, "test", 32, 3))
        for pose in (True, False):
            rng = muffins.image_rng(label, index, "test", 3)
            rng.uniform()  # the draw that picks the pose when it is not forced
            again = (muffins.draw_chihuahua(rng, 32, curled=pose) if label == 0
                     else muffins.draw_muffin(rng, 32, face_like=pose))
            assert np.array_equal(again, img) == (pose == flag), f"image of class {label}, index {index}"


def test_lookalikes_checks_its_arguments():
    with pytest.raises(ValueError):
        muffins.lookalikes(0)
    with pytest.raises(ValueError):
        muffins.lookalikes(4, split="validation")
