"""Tests for utils/label_draws.py: reading the stored measurement (clear errors), runs per rung, and its figures."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from utils import label_draws as L


def _results(draws=3):
    runs = {}
    for d in range(draws):
        for n in (20, 200):
            s = 0.6 + 0.01 * d + (0.1 if n == 200 else 0.0)
            curve = [[1.0, s - 0.1, 2.0], [2.0, s, 4.0], [3.0, s, 8.0]]
            runs[L.key(L.SCRATCH, n, d)] = {"test": s, "train_clean": 1.0, "curve": curve}
            runs[L.key(L.TUNED, n, d)] = {"test": s + 0.2, "train_clean": 1.0,
                                          "curve": [[0.5, s + 0.05, 1.0], [1.0, s + 0.2, 3.0]]}
        runs[L.key(L.REGULARISED, 200, d)] = {"test": 0.9, "train_clean": 0.95,
                                              "curve": [[1.0, 0.8, 5.0], [2.0, 0.9, 10.0]]}
    return {"runs": runs}


def test_load_names_the_command_when_the_file_is_missing_or_empty(tmp_path):
    with pytest.raises(FileNotFoundError, match="few_labels.py"):
        L.load(tmp_path / "missing.json")
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"design": {}}))
    with pytest.raises(ValueError, match="holds no runs"):
        L.load(empty)


def test_runs_accuracies_and_gaps_are_in_draw_order():
    results = _results()
    assert list(L.runs(results, L.SCRATCH, 200)) == [0, 1, 2]
    assert np.allclose(L.accuracies(results, L.SCRATCH, 200), [0.7, 0.71, 0.72])
    assert np.allclose(L.clean_gaps(results, L.REGULARISED, 200), [0.05] * 3)
    assert L.label_counts(results) == [20, 200]


def test_time_to_reach_per_draw():
    reach = L.time_to_reach(_results())
    assert reach[0] == (0.7, 4.0, 8.0, 1.0)


def test_figures_show_the_draws_and_your_run():
    results = _results()
    fig = L.plot_draws(results, {L.SCRATCH: 0.65, L.TUNED: 0.9})
    assert fig.axes[0].get_yticklabels()[0].get_text() == L.SCRATCH
    plt.close(fig)
    fig = L.plot_label_curve(results, rungs=(L.SCRATCH, L.TUNED))
    assert [line.get_label() for line in fig.axes[0].get_lines()] == [L.SCRATCH, L.TUNED]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["20", "200"]
    plt.close(fig)
    fig = L.plot_time_to_reach(results)
    assert fig.axes[0].get_legend() is not None
    plt.close(fig)


def test_figures_reject_bad_input():
    with pytest.raises(ValueError, match="unknown rungs"):
        L.plot_draws(_results(), {"from scratchh": 0.5})
    with pytest.raises(ValueError, match="no stored runs"):
        L.plot_draws(_results(), n=50)
    with pytest.raises(ValueError, match="no draw"):
        L.plot_time_to_reach(_results(), n=20 + 1)
