"""The generator's pose options change the picture: ``curled=`` and ``face_like=`` are obeyed, not ignored.

An audit (issue #23) found that a generator ignoring ``curled=`` passed every test (they only read the shape).
"""

import numpy as np
import pytest

from utils import muffins

SEEDS = range(6)


@pytest.mark.parametrize(("draw", "option"), [(muffins.draw_chihuahua, "curled"), (muffins.draw_muffin, "face_like")])
def test_the_option_changes_the_drawn_image(draw, option):
    for seed in SEEDS:
        on = draw(np.random.default_rng(seed), 64, **{option: True})
        off = draw(np.random.default_rng(seed), 64, **{option: False})
        assert np.abs(on.astype(int) - off.astype(int)).mean() > 5, f"{option}=True and False drew the same photo"
        again = draw(np.random.default_rng(seed), 64, **{option: True})
        assert np.array_equal(on, again), f"{option}=True is not reproducible for one seed"


@pytest.mark.parametrize(("draw", "option"), [(muffins.draw_chihuahua, "curled"), (muffins.draw_muffin, "face_like")])
def test_the_option_draws_the_pose_that_chance_would_pick(draw, option):
    """With the option left at None the first random number picks the pose; giving that pose draws the same photo."""
    for seed in SEEDS:
        by_chance = draw(np.random.default_rng(seed), 64)
        rng = np.random.default_rng(seed)
        pose = rng.uniform() < muffins.LOOKALIKE_RATE
        assert np.array_equal(draw(rng, 64, **{option: pose}), by_chance), f"seed {seed}: {option}={pose}"


def test_curled_chihuahuas_and_face_like_muffins_are_the_lookalikes_of_the_data_set():
    found = {0: 0, 1: 0}
    for label in (0, 1):
        for index in range(40):
            if muffins.is_lookalike(label, index, "train", 0):
                found[label] += 1
                rng = muffins.image_rng(label, index, "train", 0)
                rng.uniform()  # the draw that chose the look-alike
                forced = (muffins.draw_chihuahua(rng, 32, curled=True) if label == 0
                          else muffins.draw_muffin(rng, 32, face_like=True))
                assert np.array_equal(forced, muffins.draw_one(label, index, "train", 32, 0))
    assert found[0] > 0 and found[1] > 0, "40 photos per class hold no look-alike: the test needs one of each"
