"""Tests for utils.shape_explorer: shape reports, kernel positions, grid figures and the two widgets."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.figure_widget import unreadable_texts  # noqa: E402
from utils.notebook import FIGURE_STYLE  # noqa: E402
from utils.shape_explorer import (  # noqa: E402
    ConvStepFigure,
    PoolingFigure,
    conv_explorer,
    conv_shape_report,
    draw_grid,
    grid_numbers,
    plot_conv_example,
    plot_conv_step,
    plot_flatten,
    plot_pooling,
    plot_pooling_grid,
    plot_shift_comparison,
    pooling_explorer,
    window_positions,
)


def test_report_padded_same_size():
    report = conv_shape_report(5, 3, 1, 1)
    assert report["output"] == 5 and report["fits"] and report["dropped"] == 0 and report["padded"] == 7
    assert report["message"].startswith("✅")


def test_report_flags_non_integer_division():
    report = conv_shape_report(8, 3, 0, 2)
    assert report["output"] == 3 and not report["fits"] and report["dropped"] == 1
    assert "2.50 is not a whole number" in report["message"]


def test_report_flags_kernel_larger_than_input():
    report = conv_shape_report(3, 7, 1, 1)
    assert report["output"] is None and not report["fits"]
    assert "larger than the padded 5×5 input" in report["message"]


@pytest.mark.parametrize(
    "args, error, match",
    [((0, 3, 0, 1), ValueError, "input size must be a positive int"), ((5, 3, -1, 1), ValueError, "padding"),
     ((5, 3, 0, 0), ValueError, "stride must be a positive int"), ((5.0, 3, 0, 1), TypeError, "input size must be an int")],
)
def test_report_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        conv_shape_report(*args)


def test_window_positions_follow_the_stride():
    assert window_positions(5, 3, 0, 2) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert len(window_positions(5, 3, 1, 1)) == 25
    assert window_positions(3, 7, 1, 1) == []


def test_draw_grid_draws_one_cell_per_value_and_checks_shape():
    fig, ax = plt.subplots()
    draw_grid(ax, np.arange(9).reshape(3, 3), pad=1, highlight=(0, 0, 2, 2))
    assert grid_numbers(ax) == [str(v) for v in range(9)]
    assert len(ax.collections[0].get_paths()) == 9, "one cell per value"
    assert len(ax.patches) == 2, "the highlighted window: a tinted square and its outline"
    faces = ax.collections[0].get_facecolors()
    assert (faces[4] == 1).all() and not (faces[0] == 1).all(), "the padding ring is grey, the inside white"
    with pytest.raises(ValueError, match="2-D array"):
        draw_grid(ax, np.zeros(4))
    fig, ax = plt.subplots()
    draw_grid(ax, np.array([[1, 9]]), cmap="YlOrRd")
    faces = ax.collections[0].get_facecolors()
    assert (faces[0] != faces[1]).any()


def test_draw_grid_writes_numbers_only_where_they_are_readable():
    fig, axes = plt.subplots(1, 2, figsize=(4, 2))
    draw_grid(axes[0], np.arange(9).reshape(3, 3))
    draw_grid(axes[1], np.arange(400).reshape(20, 20))
    assert grid_numbers(axes[0]) == [str(v) for v in range(9)]
    assert grid_numbers(axes[1]) == [], "at 11 pt three digits do not fit a 5-pt cell: no numbers"
    assert len(axes[1].collections[0].get_paths()) == 400, "the cells are still drawn"
    with plt.rc_context(FIGURE_STYLE):
        assert unreadable_texts(fig) == []


def _explorer_at(i, p):
    ui = conv_explorer()
    ui.controls["i"].value, ui.controls["p"].value = i, p
    return ui.result


@pytest.mark.parametrize("make", [
    lambda: plot_conv_step(8, 3, 0, 2, step=8),
    lambda: plot_conv_step(3, 7, 1, 1),
    lambda: plot_conv_example(np.arange(25).reshape(5, 5) % 7, np.array([[1, 0, -1]] * 3), padding=1),
    lambda: _explorer_at(12, 3),
    lambda: _explorer_at(10, 1),
    lambda: plot_pooling(np.random.default_rng(0).random((40, 60)), size=4),
    lambda: plot_pooling_grid(np.arange(36).reshape(6, 6) / 7, size=3, mode="avg"),
    lambda: plot_flatten(np.arange(12).reshape(2, 2, 3)),
    lambda: plot_shift_comparison(np.random.default_rng(1).random((16, 16)), np.random.default_rng(2).random((16, 16))),
])
def test_figure_text_is_readable_on_a_slide(make):
    """At the course's style (80 dpi, 11 pt text) nothing is smaller than 11 pt or cut off."""
    with plt.rc_context(FIGURE_STYLE):
        assert unreadable_texts(make()) == []


def test_plot_conv_step_highlights_the_output_cell():
    fig = plot_conv_step(5, 3, 0, 2, step=3)
    assert fig.axes[1].get_title() == "output 2×2: position 4 of 4"
    fig = plot_conv_step(5, 3, 0, 2, step=99)
    assert fig.axes[1].get_title() == "output 2×2: position 4 of 4"
    fig = plot_conv_step(3, 7, 1, 1)
    assert "no output" in fig.axes[1].texts[0].get_text()


def test_conv_explorer_caption_reports_the_shape():
    ui = conv_explorer()
    assert list(ui.controls) == ["i", "f", "p", "s", "step"]
    for key, value in zip("ifps", (7, 3, 0, 2)):
        ui.controls[key].value = value
    assert "output 3×3, every row and column is covered" in ui.caption.value
    assert ui.result.axes[1].get_title().startswith("output 3×3")
    ui.controls["i"].value = 8
    assert "not a whole number" in ui.caption.value


def test_conv_explorer_position_slider_follows_output_size():
    ui = conv_explorer()
    input_size, kernel, padding, stride, step = ui.controls.values()
    assert step.max == 24
    stride.value = 2
    assert step.max == 8
    kernel.value = 7
    padding.value = 0
    input_size.value = 3
    assert step.max == 0
    assert "larger than the padded" in ui.caption.value
    assert "no output" in ui.result.axes[1].texts[0].get_text()


def test_plot_pooling_titles_show_both_shapes():
    image = np.random.default_rng(0).integers(0, 256, (20, 30), dtype=np.uint8)
    fig = plot_pooling(image, size=4)
    assert "shape (20, 30)" in fig.axes[0].get_title()
    assert "shape (5, 7)" in fig.axes[1].get_title()
    rgb = np.random.default_rng(0).random((12, 12, 3))
    fig = plot_pooling(rgb, size=3, stride=2, mode="avg")
    assert "shape (5, 5, 3)" in fig.axes[1].get_title()


@pytest.mark.parametrize(
    "image, error, match",
    [(None, TypeError, "pass an image"), (np.zeros((4, 4, 2)), ValueError, r"\(H, W\) or \(H, W, 3\)")],
)
def test_plot_pooling_bad_image(image, error, match):
    with pytest.raises(error, match=match):
        plot_pooling(image)


def test_pooling_explorer_widget_updates():
    image = np.random.default_rng(1).random((32, 48))
    ui = pooling_explorer(image)
    assert list(ui.controls) == ["size", "stride", "mode"]
    ui.controls["size"].value, ui.controls["stride"].value, ui.controls["mode"].value = 4, 4, "avg"
    assert ui.result.axes[1].get_title() == "avg pool 4×4, stride 4\nshape (8, 12)"
    ui.controls["size"].value, ui.controls["stride"].value = 3, 1
    assert ui.result.axes[1].get_title().endswith("shape (30, 46)")
    with pytest.raises(TypeError, match="pass an image"):
        pooling_explorer(None)


def test_plot_conv_example_shows_padding_kernel_and_output():
    image = np.arange(25).reshape(5, 5)
    fig = plot_conv_example(image, np.ones((3, 3)), padding=1, position=(0, 0))
    assert [ax.get_title() for ax in fig.axes] == ["input 5×5, padded to 7×7", "kernel 3×3", "output 5×5"]
    with pytest.raises(ValueError, match="outside the 5×5 output"):
        plot_conv_example(image, np.ones((3, 3)), padding=1, position=(5, 0))
    with pytest.raises(ValueError, match="at most 12×12"):
        plot_conv_example(np.zeros((13, 13)), np.ones((3, 3)))


def test_plot_pooling_grid_titles_and_window_count():
    fig = plot_pooling_grid(np.arange(16).reshape(4, 4), size=2, mode="max")
    assert fig.axes[1].get_title() == "max pool 2×2, stride 2 → 2×2"
    assert grid_numbers(fig.axes[1]) == ["5", "7", "13", "15"], "the pooled maxima are written in"
    with pytest.raises(ValueError, match="at most 12×12"):
        plot_pooling_grid(np.zeros((13, 13)))


def test_plot_flatten_orders_channels_fastest():
    fig = plot_flatten(np.arange(12).reshape(2, 2, 3))
    vector = fig.axes[-1]
    assert grid_numbers(vector) == [str(v) for v in range(12)]
    assert "2·2·3 = 12 numbers" in vector.get_title()
    with pytest.raises(ValueError, match=r"small \(H, W, D\) array"):
        plot_flatten(np.zeros((4, 4)))


def test_plot_shift_comparison_measures_the_change_and_has_colour_bars():
    a = np.zeros((16, 16))
    a[:, 5] = 1.0                       # a thin vertical line ...
    b = np.roll(a, 1, axis=1)           # ... moved one pixel to the right
    fig = plot_shift_comparison(a, b, size=4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[2] == "|difference|: 200%", "the thin line no longer overlaps at all"
    assert titles[5] == "|difference|: 0%", "both lines fall into the same 4×4 windows"
    assert sum(ax.get_label() == "<colorbar>" for ax in fig.axes) == 2, "one colour bar per row"
    with pytest.raises(ValueError, match="same shape"):
        plot_shift_comparison(a, b[:8])
    with pytest.raises(ValueError, match="must lie inside"):
        plot_shift_comparison(a, b, box=(10, 10, 8, 8))


def test_conv_explorer_reuses_one_figure_and_matches_the_static_view():
    ui = conv_explorer()
    first = ui.result
    for key, value in (("i", 8), ("p", 0), ("s", 2), ("step", 5), ("i", 12), ("i", 8)):
        ui.controls[key].value = value
    assert ui.result is first, "shape changes redraw the grids in the same figure"
    static = plot_conv_step(8, 3, 0, 2, step=5)
    assert [ax.get_title() for ax in ui.result.axes] == [ax.get_title() for ax in static.axes]
    assert grid_numbers(ui.result.axes[0]) == grid_numbers(static.axes[0])
    assert [p.get_xy() for p in ui.result.axes[0].patches] == [p.get_xy() for p in static.axes[0].patches]
    live_done = ui.result.axes[1].collections[1].get_facecolors()[:, 3] > 0
    static_done = static.axes[1].collections[1].get_facecolors()[:, 3] > 0
    np.testing.assert_array_equal(live_done, static_done)
    assert live_done.sum() == 6, "positions 1 to 6 of 9 are done"
    assert len(ui.result.axes[0].collections) == 2, "the grids of earlier shapes are gone"


def test_pooling_explorer_matches_the_static_view():
    image = np.random.default_rng(4).integers(0, 256, (30, 40, 3), dtype=np.uint8)
    ui = pooling_explorer(image)
    ui.controls["size"].value, ui.controls["stride"].value, ui.controls["mode"].value = 3, 2, "avg"
    static = plot_pooling(image, size=3, stride=2, mode="avg")
    assert [ax.get_title() for ax in ui.result.axes] == [ax.get_title() for ax in static.axes]
    np.testing.assert_array_equal(ui.result.axes[1].images[0].get_array(), static.axes[1].images[0].get_array())


@pytest.mark.parametrize("figure, change", [
    (lambda: ConvStepFigure(live=True).set_shape(8, 3, 0, 2), lambda f, k: f.update(k)),
    (lambda: PoolingFigure(np.arange(400.0).reshape(20, 20), live=True),
     lambda f, k: f.update(k + 1, k + 1, "max" if k % 2 else "avg")),
])
def test_live_updates_touch_only_animated_artists(figure, change):
    """Otherwise every change redraws the whole figure (3–10× slower): see utils.figure_widget.render_figure."""
    from utils.figure_widget import render_figure

    f = figure()
    render_figure(change(f, 1))
    assert not change(f, 2).stale
