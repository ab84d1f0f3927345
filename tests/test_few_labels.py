"""Tests for benchmarks/few_labels.py: label draws, epoch scaling, and the tables and bars read from the JSON."""

import numpy as np

from benchmarks import few_labels as F


def test_draws_are_balanced_seeded_and_differ():
    y = np.array([0, 1] * 50)
    one, two = F.draw_labelled(y, 20, 1), F.draw_labelled(y, 20, 2)
    for pick in (one, two):
        assert len(pick) == 20 and y[pick].sum() == 10 and len(set(pick)) == 20
    assert list(one) != list(two) and list(one) == list(F.draw_labelled(y, 20, 1))


def test_epochs_shrink_above_200_labels_only_when_asked():
    design = {"scale_epochs": True}
    assert F.scaled(["fixed", 100], 50, design) == ("fixed", 100)
    assert F.scaled(["fixed", 100], 500, design) == ("fixed", 40)
    assert F.scaled(["cosine", 60], 2000, design) == ("cosine", 12)  # at least a fifth of the epochs
    assert F.scaled(["fixed", 100], 2000, {}) == ("fixed", 100)


def _record(test, train=1.0, curve=None):
    return {"test": test, "train_clean": train, "epochs": 10, "seconds": 1.0, "cpu_seconds": 1.0,
            "curve": curve or [[1.0, test, 10.0]]}


def _results(aug_gain=0.1, drop_diff=0.01, tune_gain=0.2, reach_cpu=2.0, draws=5, few_gain=0.15):
    runs = {}
    for d in range(draws):
        scratch = 0.7 + 0.01 * d
        runs[F.key("x", "from scratch", 200, d)] = _record(scratch, curve=[[5.0, scratch, 10.0]])
        runs[F.key("x", "+ augmentation", 200, d)] = _record(scratch + aug_gain, 0.99)
        runs[F.key("x", "+ augmentation + dropout", 200, d)] = _record(scratch + aug_gain + drop_diff, 0.99)
        runs[F.key("x", "pretrained, frozen", 200, d)] = _record(scratch + 0.05)
        tuned_curve = [[0.5, scratch - 0.1, reach_cpu / 2], [1.0, scratch + 0.05, reach_cpu]]
        runs[F.key("x", "pretrained, fine-tuned", 200, d)] = _record(scratch + tune_gain, curve=tuned_curve)
        for n in (20, 50):
            runs[F.key("x", "from scratch", n, d)] = _record(0.6)
            runs[F.key("x", "pretrained, fine-tuned", n, d)] = _record(0.6 + few_gain)
    return {"runs": runs}


def test_bars_are_met_by_good_results_and_fail_by_bad_ones():
    good = F.bars(_results(), "x", 200)
    assert all(ok for _, ok in good), good
    bad = dict(F.bars(_results(aug_gain=0.02, drop_diff=-0.03, tune_gain=0.03, reach_cpu=5.0, few_gain=0.05),
                        "x", 200))
    assert not any(bad.values()), bad


def test_time_to_reach_uses_the_first_epoch_at_scratchs_accuracy():
    reach = F.time_to_reach(_results(reach_cpu=2.0), "x", 200)
    assert set(reach) == set(range(5))
    target, spent, reached, ratio = reach[0]
    assert (target, spent, reached) == (0.7, 10.0, 2.0) and abs(ratio - 0.2) < 1e-9


def test_label_curve_and_portability_tables():
    results = _results(draws=2)
    results["runs"][F.key("x", "from scratch", 200, 0, "1 cpu, oneDNN off")] = _record(0.66)
    curve = F.label_curve(results, "x")
    assert "| 20 |" in curve and "| 200 |" in curve and "2 of 2" in curve
    table = F.portability(results, "x", 200)
    assert "1 cpu, oneDNN off" in table and "| from scratch | 70.0 | 66.0 | 4.0 |" in table
