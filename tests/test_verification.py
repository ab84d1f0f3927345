"""Verification maths against hand-worked cases and scikit-learn."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import mannwhitneyu

from utils import verification as v


def test_cosine_similarity_by_hand_and_against_scipy():
    assert v.cosine_similarity([1, 0], [0, 2]) == pytest.approx(0.0)
    assert v.cosine_similarity([1, 1], [2, 2]) == pytest.approx(1.0)
    assert v.cosine_similarity([1, 0], [-3, 0]) == pytest.approx(-1.0)
    assert v.cosine_similarity([3, 4], [4, 3]) == pytest.approx(24 / 25)
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 8)), rng.normal(size=(7, 8))
    np.testing.assert_allclose(v.cosine_similarity(a, b), 1 - cdist(a, b, "cosine"), atol=1e-12)


@pytest.mark.parametrize("a, b, message", [
    ([1, 2, 3], [1, 2], "different lengths"),
    ([0, 0], [1, 2], "all zeros"),
    ([], [1.0], "empty"),
    (np.ones((2, 3)), np.ones(3), "2-D"),
    ([[[1.0]]], [1.0], "3-D"),
])
def test_cosine_similarity_rejects_bad_input(a, b, message):
    with pytest.raises(ValueError, match=message):
        v.cosine_similarity(a, b)


def test_pair_scores_lists_each_pair_once():
    emb = np.array([[1, 0], [1, 0.1], [0, 1]], float)
    scores, same, (i, j) = v.pair_scores(emb, ["a", "a", "b"])
    assert list(zip(i, j)) == [(0, 1), (0, 2), (1, 2)]
    assert same.tolist() == [True, False, False]
    assert scores[1] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="one identity per embedding"):
        v.pair_scores(emb, [0, 1])
    with pytest.raises(ValueError, match="at least two"):
        v.pair_scores(emb[:1], [0])


def _random_scores(seed, n=400):
    rng = np.random.default_rng(seed)
    same = rng.uniform(size=n) < 0.3
    scores = np.clip(np.where(same, rng.normal(0.6, 0.2, n), rng.normal(0.1, 0.25, n)), -1, 1)
    return np.round(scores, 2), same  # rounding makes ties, which the curve must handle


@pytest.mark.parametrize("seed", range(4))
def test_roc_curve_matches_counting_at_every_threshold(seed):
    scores, same = _random_scores(seed)
    far, tar, thr = v.roc_curve(scores, same)
    assert thr[0] == np.inf and (far[0], tar[0]) == (0, 0) and (far[-1], tar[-1]) == (1, 1)
    np.testing.assert_array_equal(thr[1:], np.unique(scores)[::-1]), "one point per distinct score"
    for f, t, threshold in zip(far[1:], tar[1:], thr[1:]):
        assert (f, 1 - t) == pytest.approx(v.error_rates(scores, same, threshold))
    # the area under the curve is the chance that a genuine pair outscores an impostor pair (Mann-Whitney U)
    u = mannwhitneyu(scores[same], scores[~same]).statistic
    assert np.trapezoid(tar, far) == pytest.approx(u / (same.sum() * (~same).sum()))


def test_error_rates_by_hand():
    scores = np.array([0.9, 0.8, 0.4, 0.7, 0.3, 0.1])
    same = np.array([True, True, True, False, False, False])
    assert v.error_rates(scores, same, 0.5) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert v.error_rates(scores, same, 0.75) == (0.0, pytest.approx(1 / 3))
    assert v.error_rates(scores, same, -1) == (1.0, 0.0)
    assert v.error_rates(scores, same, 1) == (0.0, 1.0)


@pytest.mark.parametrize("threshold", [1.01, -1.5, float("nan")])
def test_threshold_outside_cosine_range_is_refused(threshold):
    scores, same = _random_scores(0)
    with pytest.raises(ValueError, match="threshold must be between -1"):
        v.error_rates(scores, same, threshold)
    with pytest.raises(ValueError, match="threshold"):
        v.group_rates(scores, same, ["g"] * len(scores), threshold)


def test_equal_error_rate_by_hand():
    # perfectly separated: no threshold makes a mistake
    assert v.equal_error_rate([0.9, 0.8, 0.2, 0.1], np.array([True, True, False, False]))[0] == 0.0
    # one impostor above one genuine pair out of 2 + 2: FAR = FRR = 1/2 at 0.5
    eer, thr = v.equal_error_rate([0.9, 0.4, 0.5, 0.1], np.array([True, True, False, False]))
    assert eer == pytest.approx(0.5)
    # completely reversed scores: every threshold is wrong one way or the other
    assert v.equal_error_rate([0.1, 0.2, 0.8, 0.9], np.array([True, True, False, False]))[0] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(4))
def test_equal_error_rate_is_where_the_two_rates_cross(seed):
    scores, same = _random_scores(seed, 3000)
    eer, thr = v.equal_error_rate(np.round(scores, 4), same)
    far, frr = v.error_rates(scores, same, thr)
    assert abs(far - frr) < 0.03 and abs(eer - (far + frr) / 2) < 0.02
    fine = np.linspace(-1, 1, 2001)
    gaps = [abs(np.subtract(*v.error_rates(scores, same, t))) for t in fine]
    best = fine[int(np.argmin(gaps))]
    assert abs(np.mean(v.error_rates(scores, same, best)) - eer) < 0.01


@pytest.mark.parametrize("scores, same, message", [
    ([0.5, 0.2], np.array([True, True]), "both genuine pairs"),
    ([0.5, 0.2], [1, 0], "boolean"),
    ([0.5, 0.2, 0.1], np.array([True, False]), "one entry per score"),
    ([1.5, 0.2], np.array([True, False]), "lie in"),
    ([], np.array([], bool), "empty"),
])
def test_scores_are_checked(scores, same, message):
    with pytest.raises(ValueError, match=message):
        v.roc_curve(scores, same)


def test_group_rates_split_pairs_by_group():
    scores = np.array([0.9, 0.2, 0.6, 0.7, 0.4, 0.1])
    same = np.array([True, False, True, False, True, False])
    groups = np.array(["x", "x", "y", "y", "x", "y"])
    table = v.group_rates(scores, same, groups, 0.5)
    assert set(table) == {"x", "y"}
    assert table["x"] == {"pairs": 3, "genuine": 2, "far": 0.0, "frr": 0.5, "eer": 0.0}
    assert table["y"]["far"] == pytest.approx(0.5) and table["y"]["frr"] == 0.0
    only_genuine = v.group_rates(scores, same, np.array(["x", "x", "y", "y", "z", "y"]), 0.5)
    assert "z" not in only_genuine, "a group with only genuine pairs has no false accept rate"
    with pytest.raises(ValueError, match="group of each pair"):
        v.group_rates(scores, same, groups[:3], 0.5)


def test_pair_groups():
    labels = np.array(["dark", "light", "dark"])
    pairs = (np.array([0, 0, 1]), np.array([1, 2, 2]))
    assert v.pair_groups(labels, pairs).tolist() == ["mixed", "dark", "mixed"]
    assert v.pair_groups(labels, pairs, mixed=None).tolist() == ["dark + light", "dark", "dark + light"]
