"""Tests for utils.figure_widget: PNG rendering and the Image-based live figure."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from utils.figure_widget import figure_png, live_figure  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def line_figure(slope=1, label="line"):
    """A tiny figure whose pixels depend on ``slope``; raises ValueError for a negative slope."""
    if slope < 0:
        raise ValueError(f"slope must be >= 0, got {slope}")
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, slope])
    ax.set_title(label)
    return fig


def test_figure_png_renders_and_closes_the_figure():
    fig = line_figure()
    png = figure_png(fig)
    assert png.startswith(PNG_SIGNATURE) and len(png) > 500
    assert not plt.fignum_exists(fig.number), "the figure must be closed, or notebooks would show it twice"


def test_figure_png_rejects_non_figures():
    with pytest.raises(TypeError, match="expects a matplotlib Figure"):
        figure_png(plt.gca().get_children())


def test_live_figure_draws_at_once_and_redraws_on_change():
    box = live_figure(line_figure, {"slope": widgets.IntSlider(1, 0, 5)},
                      caption=lambda slope: f"slope {slope} <steep>" if slope > 2 else f"slope {slope}")
    first = bytes(box.image.value)
    assert first.startswith(PNG_SIGNATURE), "the first figure is drawn when the widget is built"
    assert box.caption.value == "slope 1"
    assert box.result.axes[0].get_title() == "line", "the last figure stays inspectable"
    box.controls["slope"].value = 4
    assert bytes(box.image.value) != first and bytes(box.image.value).startswith(PNG_SIGNATURE)
    assert box.caption.value == "slope 4 &lt;steep&gt;", "captions are shown as text, not HTML"
    assert box.values() == {"slope": 4}
    assert isinstance(box.image, widgets.Image) and not any(isinstance(c, widgets.Output) for c in box.children)


def test_live_figure_shows_a_value_error_instead_of_a_figure():
    box = live_figure(line_figure, {"slope": widgets.IntSlider(1, -3, 5)})
    before = bytes(box.image.value)
    box.controls["slope"].value = -2
    assert "slope must be &gt;= 0" in box.caption.value
    assert bytes(box.image.value) == before, "the last good figure stays"
    box.controls["slope"].value = 2
    assert box.caption.value == "" and bytes(box.image.value) != before


def test_live_figure_passes_every_control_by_name():
    box = live_figure(line_figure, {"slope": widgets.IntSlider(2, 0, 5), "label": widgets.Text("hello")})
    box.controls["label"].value = "changed"
    assert box.values() == {"slope": 2, "label": "changed"}


def test_live_figure_rejects_bad_arguments():
    with pytest.raises(TypeError, match="view .* to be functions"):
        live_figure("not a function", {"slope": widgets.IntSlider()})
    with pytest.raises(TypeError, match="view .* to be functions"):
        live_figure(line_figure, {"slope": widgets.IntSlider()}, caption="text")
    with pytest.raises(TypeError, match="non-empty dict"):
        live_figure(line_figure, {})
    with pytest.raises(TypeError, match="control 'slope' must be an ipywidgets widget"):
        live_figure(line_figure, {"slope": 3})


def test_no_course_widget_captures_output_while_a_cell_runs():
    """Output widgets and interact stall headless runs (see the module docstring): build widgets with live_figure."""
    import re
    from pathlib import Path

    utils = Path(__file__).resolve().parents[1] / "utils"
    pattern = re.compile(r"widgets\.(Output|interactive|interact|interactive_output)\(|^\s*@?interact\(", re.M)
    offenders = [p.name for p in sorted(utils.glob("*.py")) if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"{offenders} build Output/interact widgets: use utils.figure_widget.live_figure instead"
