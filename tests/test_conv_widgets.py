"""Figures and widgets of the convolution lessons: the numbers they show, their widgets' callbacks, clear errors."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.conv import correlate2d  # noqa: E402
from utils.conv_widgets import (  # noqa: E402
    KERNELS,
    Conv1dStepFigure,
    Correlate2dStepFigure,
    KernelFigure,
    apply_kernel_view,
    conv1d_stepper,
    correlate2d_explorer,
    plot_conv1d_overview,
    kernel_editor,
    plot_conv1d_step,
    plot_correlate2d_step,
    plot_feature_map,
    plot_matrix,
    picture_range,
    show_feature_maps,
)
from utils.figure_widget import unreadable_texts  # noqa: E402
from utils.notebook import FIGURE_STYLE  # noqa: E402


def texts(fig):
    """Every title and text drawn in a figure, joined."""
    parts = [fig._suptitle.get_text()] if fig._suptitle else []
    for ax in fig.axes:
        parts.append(ax.get_title())
        parts += [t.get_text() for t in ax.texts]
    return " | ".join(parts)


def test_presets_are_3x3_and_sensible():
    assert all(k.shape == (3, 3) for k in KERNELS.values())
    for blur in ("box blur", "Gaussian blur", "identity", "sharpen"):
        assert KERNELS[blur].sum() == pytest.approx(1.0)  # keeps brightness
    for edge in ("vertical edges", "horizontal edges", "Sobel x", "Sobel y", "Laplacian (outline)"):
        assert KERNELS[edge].sum() == pytest.approx(0.0)  # flat regions give 0
    np.testing.assert_array_equal(KERNELS["Sobel y"], KERNELS["Sobel x"].T)


@pytest.mark.parametrize("shift", [0, 2, 6])
def test_conv1d_step_titles_show_the_output_value(shift):
    x, k = [1, 2, 3, 4, 5], [1, 0, -1]
    expected = np.convolve(x, k)[shift]
    fig = plot_conv1d_step(x, k, shift)
    assert len(fig.axes) == 3
    title = fig.axes[2].get_title()
    assert title.startswith(f"y[{shift}] = ") and title.endswith(f"= {expected:g}")


def test_conv1d_step_draws_flipped_kernel():
    fig = plot_conv1d_step([0, 0, 0, 0], [1, 2, 3], 3)
    kernel_bars = fig.axes[1].containers[0]
    # the flipped kernel at n = 3 puts k[0] at index 3 and k[2] at index 1
    heights = {round(b.get_x() + b.get_width() / 2): b.get_height() for b in kernel_bars}
    assert heights == {3: 1.0, 2: 2.0, 1: 3.0}


@pytest.mark.parametrize("x, k, shift, error, match", [
    ([1, 2], [1], 2, ValueError, "shift must be between 0 and 1"),
    ([1, 2], [1], -1, ValueError, "shift must be"),
    ([1, 2], [1], 0.5, TypeError, "shift must be an int"),
    ([], [1], 0, ValueError, "x is empty"),
    ([1, 2], [[1]], 0, ValueError, "k has shape .* expected a 1-D array"),
    (None, [1], 0, TypeError, "x is None"),
])
def test_conv1d_step_errors(x, k, shift, error, match):
    with pytest.raises(error, match=match):
        plot_conv1d_step(x, k, shift)


def test_conv1d_stepper_moves_through_the_steps():
    ui = conv1d_stepper([1, 2, 3], [1, 1])
    slider = ui.controls["shift"]
    assert slider.description == "step n" and (slider.min, slider.max) == (0, 3)
    slider.value = 2
    assert "y[2] = 2·1 + 3·1 = 5" in texts(ui.result)
    assert "y[1] = 1·(-1) + 2·1 = 1" in texts(plot_conv1d_step([1, 2, 3], [1, -1], 1)), "negative factors in brackets"


def test_plot_matrix_writes_every_number_and_highlights():
    ax = plot_matrix([[1, 2], [3, 4]], title="m", highlight=(0, 0, 1, 2))
    assert [t.get_text() for t in ax.texts] == ["1", "2", "3", "4"]
    assert len(ax.patches) == 1 and ax.get_title() == "m"
    assert [t.get_text() for t in plot_matrix([[-0.0, -1.5]]).texts] == ["0", "-1.5"]  # no "-0"
    assert [t.get_text() for t in plot_matrix([[-0.0004, -0.01]], fmt="{:.2f}").texts] == ["0.00", "-0.01"]
    with pytest.raises(ValueError, match="2D matrix"):
        plot_matrix([1, 2, 3])


def test_correlate2d_step_explains_one_output():
    image = np.arange(16).reshape(4, 4)
    kernel = np.array([[1, 0], [0, -1]])
    fig = plot_correlate2d_step(image, kernel, 1, 2)
    assert "output[1, 2] = 6·1 + 11·(-1) = -5" in texts(fig), "negative factors are bracketed"
    with pytest.raises(ValueError, match="inside the 3x3 output"):
        plot_correlate2d_step(image, kernel, 3, 0)


def test_feature_map_colour_scale_is_symmetric_with_colourbar():
    fmap = np.array([[-1.0, 0.5], [2.0, 0.0]])
    ax = plot_feature_map(fmap, title="f")
    image = ax.images[0]
    assert image.get_clim() == (-2.0, 2.0) and image.get_cmap().name == "RdBu_r"
    assert len(ax.figure.axes) == 2  # the map and its colour bar
    positive = plot_feature_map(np.array([[0.0, 0.5], [2.0, 1.0]])).images[0]
    assert positive.get_cmap().name == "gray" and positive.get_clim() == (0.0, 2.0)


def test_show_feature_maps_grid():
    image = np.random.default_rng(0).random((20, 20))
    fig = show_feature_maps(image, {"Sobel x": KERNELS["Sobel x"], "blur": KERNELS["box blur"]}, ncols=3)
    assert "Sobel x" in texts(fig) and "blur" in texts(fig)
    maps = [ax for ax in fig.axes if ax.images]  # the input and the two results (colour bars have no images)
    np.testing.assert_allclose(maps[1].images[0].get_array(), correlate2d(image, KERNELS["Sobel x"]))
    assert maps[1].images[0].get_cmap().name == "RdBu_r", "a sum-0 kernel: a signed feature map"
    assert (maps[2].images[0].get_cmap().name, maps[2].images[0].get_clim()) == ("gray", (0.0, 1.0)), \
        "a sum-1 kernel: a picture on the photo's 0-1 scale"
    with pytest.raises(ValueError, match="non-empty dict"):
        show_feature_maps(image, {})


@pytest.mark.parametrize("image, error, match", [
    (np.ones((4, 4, 3)), ValueError, "expected a 2-D array.*rgb2gray"),
    (np.array([["a"]]), TypeError, "expected numbers"),
])
def test_grayscale_needed(image, error, match):
    with pytest.raises(error, match=match):
        apply_kernel_view(image, KERNELS["identity"])


def test_none_image_raises_type_error():
    with pytest.raises(TypeError, match="image is None"):
        apply_kernel_view(None, KERNELS["identity"])


def test_apply_kernel_view_shows_the_feature_map():
    image = np.random.default_rng(1).random((16, 16))
    fig = apply_kernel_view(image, KERNELS["sharpen"])
    np.testing.assert_allclose(fig.axes[2].images[0].get_array(), correlate2d(image, KERNELS["sharpen"]))
    same = apply_kernel_view(image, KERNELS["sharpen"], padding="same")
    assert same.axes[2].images[0].get_array().shape == (16, 16)
    assert [t.get_text() for t in fig.axes[1].texts][4] == "5"


@pytest.mark.parametrize("name", list(KERNELS))
def test_kernel_result_is_a_picture_for_sum_1_and_a_signed_feature_map_for_sum_0(name):
    """The convention of lesson 03's static figure: weights summing to 1 keep the brightness (a picture, gray 0-1,
    clipped), weights summing to 0 respond to change (red + / blue - around a white 0)."""
    image = np.random.default_rng(7).random((24, 24))
    shown = apply_kernel_view(image, KERNELS[name]).axes[2]
    result = correlate2d(image, KERNELS[name])
    np.testing.assert_allclose(shown.images[0].get_array(), result)
    if np.isclose(KERNELS[name].sum(), 1):
        assert name in ("identity", "box blur", "Gaussian blur", "sharpen", "emboss")
        assert (shown.images[0].get_cmap().name, shown.images[0].get_clim()) == ("gray", (0.0, 1.0))
        assert shown.get_title() == "picture (sum 1), clipped to 0–1"
    else:
        limit = np.abs(result).max()
        assert KERNELS[name].sum() == 0
        assert (shown.images[0].get_cmap().name, shown.images[0].get_clim()) == ("RdBu_r", (-limit, limit))
        assert shown.get_title().startswith("feature map (sum 0), ")


def test_kernel_pictures_follow_the_images_scale():
    assert picture_range(np.array([[0.0, 1.0]])) == 1.0 and picture_range(np.array([[0, 255]])) == 255.0
    shown = apply_kernel_view(np.arange(100.0).reshape(10, 10) * 2.5, KERNELS["box blur"]).axes[2]
    assert shown.images[0].get_clim() == (0.0, 255.0) and shown.get_title().endswith("0–255")
    other = apply_kernel_view(np.random.default_rng(8).random((10, 10)), np.full((3, 3), 0.5)).axes[2]
    assert other.get_title().startswith("feature map (sum 4.5)") and other.images[0].get_cmap().name == "gray"


def test_kernel_editor_presets_and_edits():
    image = np.random.default_rng(2).random((12, 12))
    editor = kernel_editor(image)
    np.testing.assert_array_equal(editor.kernel(), KERNELS["Sobel x"])
    np.testing.assert_array_equal(editor.last_kernel, KERNELS["Sobel x"])
    editor.menu.value = "box blur"
    np.testing.assert_allclose(editor.kernel(), np.full((3, 3), round(1 / 9, 4)))
    np.testing.assert_allclose(editor.last_kernel, editor.kernel())
    before = bytes(editor.image.value)
    editor.cells[4].value = 2.0
    assert editor.last_kernel[1, 1] == 2.0 and editor.kernel()[1, 1] == 2.0
    assert bytes(editor.image.value) != before and bytes(editor.image.value).startswith(b"\xff\xd8\xff")  # JPEG


def test_kernel_editor_errors():
    with pytest.raises(ValueError, match="not one of"):
        kernel_editor(np.ones((5, 5)), initial="nope")
    with pytest.raises(ValueError, match="3x3 kernels"):
        kernel_editor(np.ones((5, 5)), presets={"big": np.ones((5, 5))}, initial="big")


def test_conv1d_overview_one_row_per_step():
    fig = plot_conv1d_overview([1, 2, 3], [1, -1], [0, 2, 3])
    y = np.convolve([1, 2, 3], [1, -1])
    assert [ax.get_title(loc="left") for ax in fig.axes] == [f"n = {n}:  y[{n}] = {y[n]:g}" for n in (0, 2, 3)]
    with pytest.raises(ValueError, match="from 0 to 3"):
        plot_conv1d_overview([1, 2, 3], [1, -1], [4])
    with pytest.raises(ValueError, match="non-empty list"):
        plot_conv1d_overview([1, 2, 3], [1, -1], [])


def test_correlate2d_explorer_sliders_cover_the_output():
    image = np.arange(25).reshape(5, 5)
    ui = correlate2d_explorer(image, np.ones((3, 3)))
    row, col = ui.controls["row"], ui.controls["col"]
    assert (row.description, col.description, row.max, col.max) == ("row", "column", 2, 2)
    row.value, col.value = 2, 1
    assert fig_title(ui.result).endswith(f"= {image[2:5, 1:4].sum():g}")


def fig_title(fig):
    return fig._suptitle.get_text()


def test_live_stepper_keeps_one_figure_that_matches_the_static_view():
    x, k = [1.0, 2.0, 3.0, 2.0, 1.0], [1.0, 0.0, -1.0]
    ui = conv1d_stepper(x, k)
    first = ui.result
    for shift in (4, 1, 3):
        ui.controls["shift"].value = shift
    assert ui.result is first, "the widget keeps its figure and moves its artists"
    static = plot_conv1d_step(x, k, 3)
    assert texts(ui.result) == texts(static)
    for live_ax, static_ax in zip(ui.result.axes, static.axes):
        assert [(p.get_x(), p.get_height(), p.get_visible()) for p in live_ax.patches] == \
               [(p.get_x(), p.get_height(), p.get_visible()) for p in static_ax.patches]


def test_kernel_editor_figure_matches_apply_kernel_view():
    image = np.random.default_rng(3).random((20, 20))
    editor = kernel_editor(image)
    editor.menu.value = "emboss"
    editor.cells[0].value = -3.0
    kernel = editor.kernel()
    static = apply_kernel_view(image, kernel)
    live = editor.figure.fig
    np.testing.assert_allclose(live.axes[2].images[0].get_array(), static.axes[2].images[0].get_array())
    assert live.axes[2].images[0].get_clim() == static.axes[2].images[0].get_clim()
    assert [t.get_text() for t in live.axes[1].texts] == [t.get_text() for t in static.axes[1].texts]
    assert live.axes[2].get_title() == static.axes[2].get_title()
    with pytest.raises(ValueError, match="shows 3x3 kernels"):
        editor.figure.update(np.ones((5, 5)))


@pytest.mark.parametrize("figure, change", [
    (lambda: Conv1dStepFigure([1.0, 2.0, 3.0], [1.0, -1.0], live=True), lambda f, k: f.update(k)),
    (lambda: Correlate2dStepFigure(np.arange(25.0).reshape(5, 5), np.ones((3, 3)), live=True),
     lambda f, k: f.update(k % 3, (k + 1) % 3)),
    (lambda: KernelFigure(np.random.default_rng(5).random((30, 30)), live=True),
     lambda f, k: f.update(KERNELS[list(KERNELS)[3 * k]])),  # sharpen (a picture), then Sobel x (a feature map)
])
def test_live_updates_touch_only_animated_artists(figure, change):
    """Otherwise every change redraws the whole figure (3–10× slower): see utils.figure_widget.render_figure."""
    from utils.figure_widget import render_figure

    f = figure()
    render_figure(change(f, 1))
    assert not change(f, 2).stale


def _stepper_after_moves():
    ui = conv1d_stepper([1.0, 2.0, 3.0, 2.0, 1.0], [1.0, 0.0, -1.0])
    ui.controls["shift"].value = 3
    return ui.result


def _editor_figure():
    editor = kernel_editor(np.random.default_rng(6).random((30, 30)))
    editor.menu.value = "Gaussian blur"
    return editor.figure.fig


@pytest.mark.parametrize("make", [
    lambda: plot_conv1d_step([1, 2, 3, 2, 1], [1, 0, -1], 3),
    _stepper_after_moves,
    lambda: plot_conv1d_overview([1, 2, 3, 2, 1], [1, 0, -1], [0, 1, 2, 4, 6]),
    lambda: plot_correlate2d_step(np.arange(25.0).reshape(5, 5), KERNELS["vertical edges"], 1, 2),
    lambda: correlate2d_explorer(np.arange(25.0).reshape(5, 5), np.ones((3, 3))).result,
    lambda: apply_kernel_view(np.random.default_rng(4).random((30, 30)), KERNELS["emboss"]),
    _editor_figure,
    lambda: plot_matrix(KERNELS["Gaussian blur"], title="blur", fmt="{:.2g}").figure,
    lambda: plot_feature_map(np.array([[-1.0, 0.5], [2.0, 0.0]]), title="f").figure,
    lambda: show_feature_maps(np.random.default_rng(0).random((20, 20)), {"Sobel x": KERNELS["Sobel x"]}),
])
def test_figure_text_is_readable_on_a_slide(make):
    """At the course's style (80 dpi, 11 pt text) nothing is smaller than 11 pt."""
    with plt.rc_context(FIGURE_STYLE):
        assert unreadable_texts(make()) == []


@pytest.mark.parametrize("k", [[1.0, 0.0, -1.0], [2.0, 1.0, 3.0], [-1.0, -4.0], [0.5, -3.0, 0.0, 2.0]])
def test_stepper_labels_and_bars_stay_inside_their_axes(k):
    x = [1.0, -2.0, 3.0, 2.0, 1.0]
    with plt.rc_context(FIGURE_STYLE):
        for shift in (0, 3, len(x) + len(k) - 2):
            fig = plot_conv1d_step(x, k, shift)
            fig.canvas.draw()
            for ax in fig.axes:
                box = ax.get_window_extent()
                inside = [t for t in ax.texts + ax.patches if t.get_visible()]
                for artist in inside:
                    extent = artist.get_window_extent()
                    assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, f"{artist} is cut off at step {shift}"
            plt.close(fig)
