"""Tests for benchmarks/few_labels.py: label draws, epoch scaling, the tables, time to reach and the bars read from
the JSON, and the stored measurement itself."""

import json

import numpy as np
import pytest

from benchmarks import few_labels as F


def test_draws_are_balanced_seeded_and_differ():
    y = np.array([0, 1] * 50)
    one, two = F.draw_labelled(y, 20, 1), F.draw_labelled(y, 20, 2)
    for pick in (one, two):
        assert len(pick) == 20 and y[pick].sum() == 10 and len(set(pick)) == 20
    assert list(one) != list(two) and list(one) == list(F.draw_labelled(y, 20, 1))


def test_epochs_shrink_above_the_budget_only():
    assert F.epochs_for(100, 50) == 100 and F.epochs_for(100, F.BUDGET) == 100
    assert F.epochs_for(100, 500) == 40                 # as many photos seen as at 200 labels
    assert F.epochs_for(100, 2000) == 20                # but at least a fifth of the epochs
    assert F.epochs_for(30, 2000) == 6


def test_keys_round_trip():
    from utils import label_draws

    assert label_draws.parse(F.key(F.TUNED, 50, 3)) == (F.TUNED, 50, 3)


def _record(test, train=1.0, curve=None):
    return {"test": test, "train_clean": train, "epochs": 10, "seconds": 1.0, "cpu_seconds": 1.0,
            **({"curve": curve} if curve else {})}


def _results(aug_gain=0.1, drop_diff=0.01, tune_gain=0.2, reach_cpu=1.0, draws=5, few_gain=0.15):
    runs = {}
    for d in range(draws):
        s = 0.7 + 0.01 * d
        # from scratch reaches its final accuracy after 5 of its 10 cpu seconds
        runs[F.key(F.SCRATCH, 200, d)] = _record(s, curve=[[1.0, s - 0.1, 2.5], [2.0, s, 5.0], [3.0, s, 10.0]])
        runs[F.key(F.AUGMENTED, 200, d)] = _record(s + aug_gain, 0.99, curve=[[1.0, s + aug_gain, 20.0]])
        runs[F.key(F.REGULARISED, 200, d)] = _record(s + aug_gain + drop_diff, 0.99,
                                                     curve=[[1.0, s + aug_gain + drop_diff, 20.0]])
        runs[F.key(F.FROZEN, 200, d)] = _record(s + 0.05)
        tuned_curve = [[0.5, s - 0.1, reach_cpu / 2], [1.0, s + 0.05, reach_cpu], [2.0, s + tune_gain, 2 * reach_cpu]]
        runs[F.key(F.TUNED, 200, d)] = _record(s + tune_gain, curve=tuned_curve)
        for n in (20, 50):
            runs[F.key(F.SCRATCH, n, d)] = _record(0.6)
            runs[F.key(F.TUNED, n, d)] = _record(0.6 + few_gain)
    return {"runs": runs}


def test_bars_are_met_by_good_results_and_fail_by_bad_ones():
    good = F.bars(_results())
    assert all(ok for _, ok in good), good
    bad = dict(F.bars(_results(aug_gain=0.02, drop_diff=-0.03, tune_gain=0.03, reach_cpu=5.0, few_gain=0.05)))
    assert len(bad) == 6 and not any(bad.values()), bad


def test_bars_need_five_draws():
    assert not any(ok for _, ok in F.bars(_results(draws=4)))


def test_time_to_reach_times_both_paths_alike():
    reach = F.time_to_reach(_results(reach_cpu=2.0))
    assert set(reach) == set(range(5))
    target, scratch_needs, scratch_whole, tuned_needs = reach[0]
    assert (target, scratch_needs, scratch_whole, tuned_needs) == (0.7, 5.0, 10.0, 2.0)
    never = F.time_to_reach(_results(tune_gain=-0.2), F.REGULARISED)
    assert all(t is None for *_, t in never.values()), "a path that never gets there says so"


def test_label_curve_and_summary_tables():
    results = _results(draws=2)
    curve = F.label_curve(results)
    assert "| 20 |" in curve and "| 200 |" in curve and "2 of 2" in curve
    text = F.summary(results)
    assert "200 labels" in text and "time to reach from scratch" in text and "bars" in text


STORED = json.loads(F.DEFAULT_JSON.read_text()) if F.DEFAULT_JSON.exists() else None


@pytest.mark.skipif(STORED is None, reason="benchmarks/few_labels.json not measured yet")
def test_the_stored_measurement_is_the_designs_and_meets_the_bars():
    assert STORED["design"] == F.DESIGN, "the JSON was measured with another design: measure again"
    for rung in F.RUNGS:
        assert len(F.runs(STORED, rung, F.BUDGET)) >= 5, f"{rung}: fewer than 5 draws at the budget"
    for n in F.CURVE:
        for rung in (F.SCRATCH, F.TUNED):
            assert len(F.runs(STORED, rung, n)) >= 5, f"{rung} at {n} labels: fewer than 5 draws"
    failed = [text for text, ok in F.bars(STORED) if not ok]
    assert not failed, failed
