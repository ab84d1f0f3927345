"""The widget-latency benchmark's own logic: timing control changes, the list of widgets, the table."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from benchmarks import widget_latency  # noqa: E402


def test_time_changes_times_each_assignment_and_refuses_idle_ones():
    calls = []
    slider = widgets.IntSlider(0, 0, 10)
    slider.observe(lambda change: calls.append(change["new"]), names="value")
    wall, cpu = widget_latency.time_changes(slider, [1, 2, 3], 5)
    assert calls == [1, 2, 3, 1, 2] and len(wall) == len(cpu) == 5 and min(wall) >= 0
    with pytest.raises(ValueError, match="equals the control's current value"):
        widget_latency.time_changes(slider, [2, 2], 2)


def test_every_course_widget_is_measured():
    """The widgets the lessons build (grep notebooks for live_figure(, _widget(, explorer(, editor(, stepper()."""
    lessons = {name[:2] for name in widget_latency.WIDGETS}
    assert lessons == {"01", "02", "03", "04", "05", "07"}
    for builder, arg in widget_latency.WIDGETS.values():
        assert callable(builder) and isinstance(arg, str)


def test_measure_summarises_runs():
    result = widget_latency.measure("02 2D window explorer, column", runs=2, changes=10)
    assert len(result["run_medians_ms"]) == 2 and result["changes_per_run"] == 10
    assert 0 < result["best_run_median_ms"] <= result["max_ms"] and result["cpu_median_ms"] > 0


def test_table_marks_missed_goals():
    row = {"median_ms": 20.0, "max_ms": 120.0, "best_run_median_ms": 18.0, "cpu_median_ms": 10.0, "cpu_max_ms": 30.0}
    text = widget_latency.table({"widgets": {"01 x": row, "02 y": {**row, "max_ms": 90.0}}})
    assert "| 01 x | 20 ms | 120 ms | 18 ms | 10 / 30 ms | **no** |" in text
    assert "| 02 y | 20 ms | 90 ms | 18 ms | 10 / 30 ms | yes |" in text
