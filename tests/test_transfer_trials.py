"""Tests for benchmarks/transfer_trials.py: label draws, the extra source, one tiny trial end to end, the table."""

import numpy as np
import pytest

from utils.notebook import setup

keras = setup(keras=True)

from benchmarks import transfer_trials as T  # noqa: E402
from utils import muffins, pets_bakes  # noqa: E402


def test_draw_zero_is_the_lessons_pick_and_other_draws_differ():
    y = np.array([0, 1] * 10 + [1, 0] * 10)
    first = T.draw_labelled(y, 6, 0)
    assert list(first) == sorted(list(np.flatnonzero(y == 0)[:3]) + list(np.flatnonzero(y == 1)[:3]))
    one, two = T.draw_labelled(y, 6, 1), T.draw_labelled(y, 6, 2)
    for pick in (one, two):
        assert len(pick) == 6 and np.sum(y[pick]) == 3, "every draw is balanced"
    assert list(one) != list(two) and list(one) == list(T.draw_labelled(y, 6, 1)), "seeded by the draw number"


def test_draw_rejects_bad_arguments():
    y = np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="draw must be"):
        T.draw_labelled(y, 2, -1)
    with pytest.raises(ValueError, match="at least 3 photos of each class"):
        T.draw_labelled(y, 6, 0)


def test_source_with_target_adds_two_classes_of_new_photos():
    x, y = T.source_with_target(n_images=16, n_extra=3, size=32)
    n = len(pets_bakes.CLASSES)
    assert x.shape == (22, 32, 32, 3) and x.dtype == np.uint8
    assert np.sum(y == n) == 3 and np.sum(y == n + 1) == 3 and set(y) == set(range(n + 2))
    lesson_x, _ = muffins.make_arrays(40, size=32)
    extra = x[y >= n]
    assert not any(np.array_equal(a, b) for a in extra for b in lesson_x), "none of the lesson's own photos"


def test_a_tiny_trial_runs_end_to_end(tmp_path):
    x_source, y_source = T.source_with_target(n_images=16, n_extra=4, size=32)
    base_path = T.pretrain_on(x_source, y_source, tmp_path / "base.keras", epochs=1)
    x, y = muffins.make_arrays(24, size=32)
    x_test, y_test = muffins.make_arrays(10, size=32, split="test")
    rows = T.trials((x.astype("float32"), y, x_test.astype("float32"), y_test), base_path, draws=(0, 1),
                    epochs=1, n_labelled=8)
    assert [row["draw"] for row in rows] == [0, 1]
    for row in rows:
        assert all(0.0 <= row[k] <= 1.0 for k in ("from scratch", "frozen", "fine-tuned"))
        assert row["gap"] == pytest.approx(row["fine-tuned"] - row["from scratch"])


def test_table_lists_every_draw_and_the_mean():
    rows = [{"draw": 0, "from scratch": 0.8, "frozen": 0.85, "fine-tuned": 0.9, "gap": 0.1},
            {"draw": 1, "from scratch": 0.9, "frozen": 0.9, "fine-tuned": 0.9, "gap": 0.0}]
    text = T.table(rows)
    assert "| 0 | 80.0 | 85.0 | 90.0 | +10.0 |" in text
    assert "| mean | 85.0 | 87.5 | 90.0 | +5.0 |" in text


def test_command_line_rejects_bad_arguments(capsys):
    with pytest.raises(SystemExit) as exit_info:
        T.main(["--draws", "0"])
    assert exit_info.value.code == 2 and "--draws and --epochs must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        T.main(["--source", "imagenet"])
