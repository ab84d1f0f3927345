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


# ---------------------------------------------------------------------------------------------- studio photos
def digest(x, y):
    import hashlib

    return hashlib.sha256(x.tobytes() + y.tobytes()).hexdigest()


def test_everyday_and_studio_photos_are_the_ones_measured():
    """benchmarks/few_labels.json was measured on these photos: a change to the generator must show here."""
    everyday = "86493e5a69e216a44be0c073d350ed33e01fbc246d7d3c078f19f73385d2a097"
    studio = "88b761737c4301d4f9106df1eeda27ccc47e65172118fa4302f963cb7af564b3"
    assert digest(*muffins.make_arrays(16, 32)) == everyday
    assert digest(*muffins.make_arrays(16, 32, pose="studio")) == studio


@pytest.mark.parametrize("seed", range(6))
def test_studio_pose_is_upright_centred_one_scale_unmirrored(seed):
    from utils import drawing

    s = 128
    studio = drawing.pose_matrix(np.random.default_rng(seed), s, "studio")
    scale = drawing.STUDIO_SCALE
    # x' = scale·x + (1 - scale)·s/2: no turn (zero off-diagonal), no mirror (positive diagonal), centre fixed
    expected = np.array([[scale, 0, (1 - scale) * s / 2], [0, scale, (1 - scale) * s / 2]])
    assert np.allclose(studio, expected)


def test_everyday_poses_vary_and_studio_draws_the_same_random_numbers():
    from utils import drawing

    everyday = [drawing.pose_matrix(np.random.default_rng(seed), 128) for seed in range(20)]
    assert any(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0] < 0 for m in everyday), "some photos should be mirrored"
    assert np.ptp([m[0, 1] for m in everyday]) > 0.3, "the photos should be turned by different angles"
    assert np.ptp([m[0, 2] for m in everyday]) > 10, "the photos should be shifted by different amounts"
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    drawing.pose_matrix(a, 128, "everyday"), drawing.pose_matrix(b, 128, "studio")
    assert a.uniform() == b.uniform(), "background, light and noise must not depend on the pose"
    with pytest.raises(ValueError, match="pose must be one of"):
        drawing.pose_matrix(a, 128, "beach")


def test_make_arrays_can_draw_a_pick_and_studio_photos_differ_from_everyday_ones():
    x, y = muffins.make_arrays(30, 32, seed=2)
    xp, yp = muffins.make_arrays(30, 32, seed=2, pick=[4, 0, 29])
    assert np.array_equal(xp, x[[4, 0, 29]]) and np.array_equal(yp, y[[4, 0, 29]])
    xs, ys = muffins.make_arrays(30, 32, seed=2, pose="studio")
    assert np.array_equal(ys, y) and not np.array_equal(xs, x)
    for bad in ([30], [[1]], [0.5]):
        with pytest.raises(ValueError, match="pick must be"):
            muffins.make_arrays(30, 32, pick=bad)
    with pytest.raises(ValueError, match="pose must be one of"):
        muffins.make_arrays(4, 16, pose="beach")
