"""Tests for utils.figure_widget: fast rendering (kept picture + animated artists), numbers as one artist, and
the Image-based live figure."""

import matplotlib

matplotlib.use("Agg")

import cv2  # noqa: E402
import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.figure_widget import (  # noqa: E402
    TEXT_SIZE, animate, drawn_texts, encode_image, figure_png, fitting_size, live_figure, render_figure,
    unreadable_texts, write_numbers,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


def pixels(data):
    """Decode PNG or JPEG bytes to an RGB array."""
    return cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


class SineFigure:
    """A kept-alive test figure: a fixed grid line (not animated) and a sine curve and title that change."""

    def __init__(self, live):
        self.fig, ax = plt.subplots(figsize=(3, 2))
        ax.axhline(0.5, color="tab:green", lw=3)
        self.line, = ax.plot(np.linspace(0, 1, 50), np.zeros(50), lw=2)
        ax.set_ylim(-1.1, 1.1)
        self.title = ax.set_title("phase")
        if live:
            animate(self.line, self.title)

    def update(self, phase):
        self.line.set_ydata(np.sin(np.linspace(0, 6, 50) + phase))
        self.title.set_text(f"phase {phase}")
        return self.fig


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
    with pytest.raises(TypeError, match="expects a matplotlib Figure"):
        render_figure(None)


def test_render_figure_redraws_only_animated_artists_and_matches_a_full_drawing():
    live = SineFigure(live=True)
    first = pixels(render_figure(live.update(0), "png"))
    assert live.fig.live_background is not None, "the picture without the changing artists is kept"
    after = pixels(render_figure(live.update(2), "png"))
    fresh = SineFigure(live=False)
    expected = pixels(render_figure(fresh.update(2), "png"))
    assert not np.array_equal(first, after), "the curve moved"
    assert np.abs(after.astype(int) - expected).max() <= 2, "blitting gives the picture a full drawing gives"
    live.fig.axes[0].set_facecolor("yellow")  # a change outside the animated artists: full redraw
    yellow = pixels(render_figure(live.fig, "png"))
    assert (np.abs(yellow.astype(int) - [255, 255, 0]).sum(axis=2) < 30).mean() > 0.3


def test_render_figure_skips_animated_artists_that_were_removed():
    live = SineFigure(live=True)
    render_figure(live.update(0), "png")
    live.line.remove()
    picture = pixels(render_figure(live.update(1), "png"))
    blue = (np.abs(picture.astype(int) - [31, 119, 180]).sum(axis=2) < 40).sum()
    assert blue == 0 and live.line not in live.fig.live_artists


def test_animate_needs_an_artist_in_a_figure():
    with pytest.raises(ValueError, match="not in a figure yet"):
        animate(plt.Line2D([0, 1], [0, 1]))


def test_encode_image_writes_png_and_jpeg_and_rejects_bad_input():
    rgb = np.zeros((8, 10, 3), np.uint8)
    rgb[:, :5, 0] = 255
    assert encode_image(rgb, "png").startswith(PNG_SIGNATURE)
    np.testing.assert_array_equal(pixels(encode_image(rgb, "png")), rgb)
    assert encode_image(rgb, "jpeg").startswith(JPEG_SIGNATURE)
    with pytest.raises(ValueError, match="fmt must be one of"):
        encode_image(rgb, "gif")
    with pytest.raises(ValueError, match="uint8 array of shape"):
        encode_image(rgb.astype(float))


def test_write_numbers_is_one_artist_that_keeps_its_labels():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 1)
    numbers = write_numbers(ax, ["1", "22", "-3"], [(0.5, 0.5), (1.5, 0.5), (2.5, 0.5)], 12, "black")
    assert numbers.labels == ["1", "22", "-3"] and list(ax.collections) == [numbers] and not ax.texts
    picture = pixels(render_figure(fig, "png"))
    dark_columns = np.flatnonzero((picture.min(axis=2) < 100).any(axis=0))
    assert len(dark_columns) > 10, "the glyphs are drawn"


def test_fitting_size_is_readable_or_zero():
    assert fitting_size(["7", "42"], 60) == 14, "a roomy cell gets the largest size"
    assert TEXT_SIZE <= fitting_size(["144"], 26) < 14
    assert fitting_size(["144"], 18) == 0, "three digits at 11 pt need more than 18 pt: write no numbers"
    assert fitting_size(["1"], 18) >= TEXT_SIZE
    assert fitting_size([], 5) == 14


def test_drawn_texts_lists_every_drawn_text_and_number_collection():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_title("title", fontsize=13)
    ax.text(0.5, 0.5, "small", fontsize=8)
    ax.text(0.5, 0.2, "", fontsize=5)  # empty: not drawn, not counted
    ax.text(1.5, 0.5, "outside", fontsize=12)
    ax.set_xticks([])
    ax.set_yticks([])
    write_numbers(ax, ["1", "2"], [(0.2, 0.2), (0.8, 0.8)], 12, "black")
    assert sorted((text, size) for text, size, _ in drawn_texts(fig)) == [
        ("1", 12), ("2", 12), ("outside", 12), ("small", 8), ("title", 13)]
    assert unreadable_texts(fig) == ["'small': 8 pt", "'outside': cut off at the figure's edge"]
    live = SineFigure(live=True).update(1.0)
    render_figure(live)
    assert ("phase 1.0", 12.0) in [(text, size) for text, size, _ in drawn_texts(live)], "animated texts count too"
    assert render_figure(live) == render_figure(SineFigure(live=True).update(1.0)), "the kept picture stays right"


def test_live_figure_draws_at_once_and_redraws_on_change():
    box = live_figure(line_figure, {"slope": widgets.IntSlider(1, 0, 5)},
                      caption=lambda slope: f"slope {slope} <steep>" if slope > 2 else f"slope {slope}")
    first = bytes(box.image.value)
    assert first.startswith(JPEG_SIGNATURE), "the first figure is drawn when the widget is built"
    assert box.caption.value == "slope 1"
    assert box.result.axes[0].get_title() == "line", "the last figure stays inspectable"
    box.controls["slope"].value = 4
    assert bytes(box.image.value) != first and bytes(box.image.value).startswith(JPEG_SIGNATURE)
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


def test_live_figure_with_a_kept_figure_shows_what_a_new_figure_shows():
    live = SineFigure(live=True)
    box = live_figure(live.update, {"phase": widgets.IntSlider(0, 0, 5)}, fmt="png")
    box.controls["phase"].value = 3
    assert box.result is live.fig and box.image.format == "png"
    assert live.fig not in [plt.figure(n) for n in plt.get_fignums()], "a notebook must not show it again"
    expected = pixels(render_figure(SineFigure(live=False).update(3), "png"))
    assert np.abs(pixels(bytes(box.image.value)).astype(int) - expected).max() <= 2


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
    with pytest.raises(ValueError, match="fmt must be one of"):
        live_figure(line_figure, {"slope": widgets.IntSlider()}, fmt="gif")


def test_no_course_widget_captures_output_while_a_cell_runs():
    """Output widgets and interact stall headless runs (see the module docstring): build widgets with live_figure."""
    import re
    from pathlib import Path

    utils = Path(__file__).resolve().parents[1] / "utils"
    pattern = re.compile(r"widgets\.(Output|interactive|interact|interactive_output)\(|^\s*@?interact\(", re.M)
    offenders = [p.name for p in sorted(utils.glob("*.py")) if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"{offenders} build Output/interact widgets: use utils.figure_widget.live_figure instead"
