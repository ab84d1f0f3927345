"""Tests for utils.shape_explorer: shape reports, kernel positions, grid figures and the two widgets."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.shape_explorer import (  # noqa: E402
    conv_explorer,
    conv_shape_report,
    draw_grid,
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
    assert len(ax.texts) == 9
    assert len(ax.patches) == 9 + 2
    with pytest.raises(ValueError, match="2-D array"):
        draw_grid(ax, np.zeros(4))
    fig, ax = plt.subplots()
    draw_grid(ax, np.array([[1, 9]]), cmap="YlOrRd")
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()


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
    assert "15" in [t.get_text() for t in fig.axes[1].texts], "the pooled maxima are written in"
    with pytest.raises(ValueError, match="at most 12×12"):
        plot_pooling_grid(np.zeros((13, 13)))


def test_plot_flatten_orders_channels_fastest():
    fig = plot_flatten(np.arange(12).reshape(2, 2, 3))
    vector = fig.axes[-1]
    assert [t.get_text() for t in vector.texts] == [str(v) for v in range(12)]
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
