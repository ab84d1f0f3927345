"""Tests for utils.shape_explorer: shape reports, kernel positions, grid figures and the two widgets."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.shape_explorer import (  # noqa: E402
    conv_explorer,
    conv_shape_report,
    draw_grid,
    plot_conv_example,
    explore_conv,
    explore_pooling,
    plot_conv_step,
    plot_flatten,
    plot_pooling,
    plot_pooling_grid,
    plot_shift_comparison,
    pooling_explorer,
    window_positions,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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
    [((0, 3, 0, 1), ValueError, "input size must be at least 1"), ((5, 3, -1, 1), ValueError, "padding"),
     ((5, 3, 0, 0), ValueError, "stride must be at least 1"), ((5.0, 3, 0, 1), TypeError, "input size must be an int")],
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


def test_explore_conv_widget_updates(capsys):
    ui = widgets.interactive(explore_conv, input_size=(2, 12), kernel_size=(1, 7), padding=(0, 3), stride=(1, 4),
                             step=(0, 24))
    ui.kwargs_widgets[0].value = 7
    ui.kwargs_widgets[1].value = 3
    ui.kwargs_widgets[2].value = 0
    ui.kwargs_widgets[3].value = 2
    ui.update()
    assert ui.result["output"] == 3 and ui.result["fits"]
    ui.kwargs_widgets[0].value = 8
    ui.update()
    assert ui.result["dropped"] == 1
    assert "not a whole number" in capsys.readouterr().out


def test_conv_explorer_position_slider_follows_output_size():
    ui = conv_explorer()
    input_size, kernel, padding, stride, step = ui.kwargs_widgets
    assert step.max == 24
    stride.value = 2
    assert step.max == 8
    kernel.value = 7
    padding.value = 0
    input_size.value = 3
    assert step.max == 0
    ui.update()
    assert ui.result["output"] is None


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
    size, stride, mode = ui.kwargs_widgets[:3]
    size.value, stride.value, mode.value = 4, 4, "avg"
    ui.update()
    assert ui.result == (8, 12)
    size.value, stride.value = 3, 1
    ui.update()
    assert ui.result == (30, 46)
    assert explore_pooling(2, 2, "max", image) == (16, 24)
    with pytest.raises(TypeError, match="pass an image"):
        pooling_explorer(None)


def test_plot_pooling_grid_one_coloured_window_per_output_cell():
    x = np.array([[1, 2, 5, 6], [3, 4, 7, 8], [0, 0, 1, 1], [0, 9, 1, 3]])
    fig = plot_pooling_grid(x)
    ax_in, ax_out = fig.axes
    assert [t.get_text() for t in ax_out.texts] == ["4", "8", "9", "3"]
    assert len(ax_in.patches) == 16 + 4
    assert "→ 2×2" in ax_out.get_title()
    with pytest.raises(ValueError, match="small 2-D array"):
        plot_pooling_grid(np.zeros((20, 20)))


def test_plot_flatten_shows_values_in_keras_order():
    x = np.arange(12).reshape(2, 2, 3)
    fig = plot_flatten(x)
    vector_ax = fig.axes[-1]
    assert [t.get_text() for t in vector_ax.texts] == [str(v) for v in range(12)]
    assert "12 numbers" in vector_ax.get_title()
    with pytest.raises(ValueError, match=r"small \(H, W, D\)"):
        plot_flatten(np.zeros((4, 4)))


def test_plot_shift_comparison_reports_change_before_and_after_pooling():
    a = np.zeros((16, 16))
    a[:, 5] = 1.0                          # one thin vertical line
    b = np.roll(a, -1, axis=1)             # moved left by one pixel, stays in the same 4×4 windows
    fig = plot_shift_comparison(a, b, size=4)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[2] == "|difference|: 200%"
    assert titles[5] == "|difference|: 0%"
    fig = plot_shift_comparison(a, b, size=2, box=(0, 0, 8, 8))
    assert fig.axes[3].images[0].get_array().shape == (4, 4)


@pytest.mark.parametrize(
    "a, b, box, match",
    [(np.zeros((8, 8)), np.zeros((8, 9)), None, "same shape"), (np.zeros((8, 8)), np.zeros((8, 8)), (0, 0, 2, 2), "inside"),
     (np.zeros((8, 8)), np.zeros((8, 8)), (4, 4, 8, 8), "inside")],
)
def test_plot_shift_comparison_bad_input(a, b, box, match):
    with pytest.raises(ValueError, match=match):
        plot_shift_comparison(a, b, size=4, box=box)


def test_plot_conv_example_shows_padded_input_kernel_and_output():
    image = np.arange(25).reshape(5, 5)
    kernel = np.array([[1, 0, -1]] * 3)
    fig = plot_conv_example(image, kernel, padding=1, stride=1, position=(0, 0))
    ax_in, ax_k, ax_out = fig.axes
    assert ax_in.get_title() == "input 5×5, padded to 7×7"
    assert len(ax_in.texts) == 49 and len(ax_k.texts) == 9 and len(ax_out.texts) == 25
    assert ax_out.texts[0].get_text() == "-7"          # zeros in the padding, then -(1 + 6) from the right column
    fig = plot_conv_example(image, kernel, padding=0, stride=2, position=(1, 1))
    assert fig.axes[2].get_title() == "output 2×2"


@pytest.mark.parametrize(
    "image, position, match",
    [(np.zeros((20, 20)), (0, 0), "small 2-D image"), (np.zeros((5, 5)), (5, 0), "outside the 5×5 output")],
)
def test_plot_conv_example_bad_input(image, position, match):
    with pytest.raises(ValueError, match=match):
        plot_conv_example(image, np.ones((3, 3)), padding=1, position=position)
