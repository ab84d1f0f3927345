"""Figures and widgets for the convolution lessons (02 and 03): 1D stepper, 2D window, kernel editor, feature maps."""

import matplotlib.pyplot as plt
import numpy as np

from utils import validate
from utils.conv import conv1d, correlate2d
from utils.figure_widget import TEXT_SIZE, animate, live_figure, render_figure
from utils.plots import image_grid

# Preset 3x3 kernels for the kernel editor (cross-correlation kernels, as CNN layers use them).
KERNELS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "Gaussian blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "vertical edges": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float),
    "horizontal edges": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=float),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "Sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "Laplacian (outline)": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float),
}


def _vector(values, name):
    """A non-empty 1D float array, or a clear error."""
    return validate.array(values, name, (1,)).astype(float)


def _gray(image, name="image"):
    """A 2D float array, or a clear error."""
    return validate.array(image, name, (2,), hint="convert colour photos with skimage.color.rgb2gray").astype(float)


class Conv1dStepFigure:
    """The 1D convolution figure for x * k, built once; ``update(shift)`` moves the kernel and fills the output."""

    def __init__(self, x, k, live=False):
        self.x, self.k = _vector(x, "x"), _vector(k, "k")
        x, k = self.x, self.k
        self.y = y = conv1d(x, k, "full")
        lo, hi = -len(k) + 1, len(y)
        self.fig, (top, mid, bottom) = plt.subplots(3, 1, figsize=(8, 6.4), sharex=True,
                                                    gridspec_kw={"height_ratios": [1, 1, 1.2]})
        top.bar(np.arange(len(x)), x, color="tab:blue", width=0.6)
        top.set_ylabel("signal x[i]")
        self.kernel_bars = mid.bar(-np.arange(len(k)), k, color="tab:orange", width=0.6)
        self.labels = [mid.annotate(f"k[{j}]", (-j, value), ha="center", va="bottom" if value >= 0 else "top",
                                    fontsize=TEXT_SIZE) for j, value in enumerate(k)]
        mid.set_ylabel("flipped kernel\nk[n − i]")
        self.spans = [ax.axvspan(-0.4, 0.4, color="gold", alpha=0.35, lw=0) for ax in (top, mid) for _ in k]
        self.out_bars = bottom.bar(np.arange(len(y)), np.zeros(len(y)), color="lightgray", width=0.6)
        self.dot, = bottom.plot([0], [y[0]], "o", color="tab:red", ms=9, label="y[n] being computed")
        bottom.legend(loc="upper right", fontsize=TEXT_SIZE, frameon=False)
        bottom.set_ylabel("output y[n]")
        bottom.set_xlabel("index")
        _room_above_and_below(top, x, 1.15)
        _room_above_and_below(mid, k, 1.6)  # the k[j] labels sit above positive bars and below negative ones
        _room_above_and_below(bottom, y, 1.3)  # the dot and the legend
        for ax in (top, mid, bottom):
            ax.axhline(0, color="black", lw=0.6)
            ax.set_xlim(lo - 0.6, hi - 0.4)
            ax.set_xticks(range(lo, hi))
        self.titles = (top.set_title("step n"), bottom.set_title("y[n]", fontsize=TEXT_SIZE + 1))
        self.fig.tight_layout()
        if live:
            animate(*self.kernel_bars, *self.labels, *self.spans, *self.out_bars, self.dot, *self.titles)

    def update(self, shift=0):
        """Draw step ``shift``: the flipped kernel under the signal, the overlap in gold, the output so far."""
        x, k, y = self.x, self.k, self.y
        shift = validate.integer("shift", shift, 0, len(y) - 1)
        positions = shift - np.arange(len(k))  # k[j] sits under x[shift - j]: the kernel is flipped
        for bar, label, p in zip(self.kernel_bars, self.labels, positions):
            bar.set_x(p - bar.get_width() / 2)
            label.xy = (p, label.xy[1])
            label.set_position(label.xy)  # the text sits at the point it labels
        overlap = sorted((int(p), kv) for p, kv in zip(positions, k) if 0 <= p < len(x))
        spans = list(zip(self.spans[:len(k)], self.spans[len(k):]))
        for n, pair in enumerate(spans):
            for span in pair:
                span.set_visible(n < len(overlap))
                if n < len(overlap):
                    span.set_x(overlap[n][0] - 0.4)
        for n, bar in enumerate(self.out_bars):
            bar.set_height(y[n] if n <= shift else 0.0)
            bar.set_color("tab:green" if n < shift else ("tab:red" if n == shift else "lightgray"))
        self.dot.set_data([shift], [y[shift]])
        terms = " + ".join(_product(x[p], kv) for p, kv in overlap)
        self.titles[0].set_text(f"step n = {shift}: flip k, slide it to n, multiply where it overlaps x, sum")
        self.titles[1].set_text(f"y[{shift}] = {terms} = {y[shift]:g}")
        return self.fig


def _room_above_and_below(ax, values, factor):
    """Y-limits from 0 to ``factor`` times the largest |value|, on each side of 0 where there are values."""
    limit = max(np.abs(values).max(), 1e-9) * factor
    ax.set_ylim(-limit if values.min() < 0 else -0.1 * limit, limit if values.max() > 0 else 0.35 * limit)


def plot_conv1d_step(x, k, shift):
    """Draw step ``shift`` of the full 1D convolution x * k: the flipped kernel under the signal, then the output so far."""
    return _laid_out(Conv1dStepFigure(x, k).update(shift))


def conv1d_stepper(x, k):
    """A slider over the shift positions of x * k; each move redraws ``plot_conv1d_step``."""
    import ipywidgets as widgets

    x, k = _vector(x, "x"), _vector(k, "k")
    slider = widgets.IntSlider(value=0, min=0, max=len(x) + len(k) - 2, description="step n",
                               continuous_update=False)
    return live_figure(Conv1dStepFigure(x, k, live=True).update, {"shift": slider})


def plot_conv1d_overview(x, k, shifts):
    """One compact row per step n in ``shifts``: the signal, the flipped kernel laid over it, and y[n]."""
    x, k = _vector(x, "x"), _vector(k, "k")
    y = conv1d(x, k, "full")
    if len(shifts) == 0 or any(not 0 <= n < len(y) for n in shifts):
        raise ValueError(f"shifts must be a non-empty list of steps from 0 to {len(y) - 1}, got {shifts!r}")
    fig, axes = plt.subplots(len(shifts), 1, figsize=(6, 1.5 * len(shifts) + 0.3), sharex=True, squeeze=False)
    low = min(0.0, x.min(), k.min()) * 1.2 - 0.2
    high = max(x.max(), k.max()) * 1.25 + 0.2
    for ax, n in zip(axes[:, 0], shifts):
        positions = n - np.arange(len(k))
        ax.bar(np.arange(len(x)), x, width=0.7, color="tab:blue", alpha=0.45, label="x[i]")
        ax.bar(positions, k, width=0.3, color="tab:orange", label="k[n − i]")
        ax.axhline(0, color="black", lw=0.6)
        ax.set_ylim(low, high)
        ax.set_title(f"n = {n}:  y[{n}] = {y[n]:g}", fontsize=TEXT_SIZE, loc="left")
        ax.set_yticks([])
    axes[0, 0].legend(loc="upper right", fontsize=TEXT_SIZE, ncols=2, frameon=False)
    axes[-1, 0].set_xticks(range(1 - len(k), len(y)))
    axes[-1, 0].set_xlabel("index i")
    fig.tight_layout()
    return fig


def _laid_out(fig):
    """``fig`` laid out again for its final texts (a live figure keeps the layout of its first texts)."""
    fig.tight_layout()
    return fig


def _product(a, b):
    """Write a product of two numbers as 'a·b', with a negative factor in brackets: 2·(-1)."""
    return "·".join(f"({v:g})" if v < 0 else f"{v:g}" for v in (a, b))


def _number(fmt, value):
    """Format a number, writing values that round to zero as 0 rather than -0."""
    text = fmt.format(value)
    return text.lstrip("-") if text.startswith("-") and not any(ch in text for ch in "123456789") else text


def plot_matrix(matrix, ax=None, title=None, cmap="Blues", fmt="{:g}", highlight=None, symmetric=False):
    """Show a small matrix as coloured cells with its numbers written in; ``highlight`` = (row, col, h, w) box."""
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError(f"plot_matrix needs a 2D matrix, got shape {m.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * m.shape[1] + 1, 0.55 * m.shape[0] + 0.8))
    ax.imshow(m, cmap=cmap)
    for i, j in np.ndindex(m.shape):
        ax.text(j, i, "", ha="center", va="center", fontsize=TEXT_SIZE)
    set_matrix(ax, m, fmt, symmetric)
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(plt.Rectangle((c - 0.5, r - 0.5), w, h, fill=False, edgecolor="red", lw=2.5))
    ax.set(xticks=[], yticks=[], title=title or "")
    return ax


def set_matrix(ax, matrix, fmt="{:g}", symmetric=False):
    """Write new numbers (same shape) into a matrix drawn by ``plot_matrix``: cell colours and text."""
    m = np.asarray(matrix, dtype=float)
    vmax = max(np.abs(m).max(), 1e-9) if symmetric else m.max()
    ax.images[0].set_data(m)
    ax.images[0].set_clim(-vmax if symmetric else m.min(), vmax)
    middle = (m.max() + m.min()) / 2
    for text, value in zip(ax.texts, m.ravel()):
        dark = abs(value) > 0.6 * vmax if symmetric else value > middle and m.max() > m.min()
        text.set_text(_number(fmt, value))
        text.set_color("white" if dark else "black")


class Correlate2dStepFigure:
    """The 2D window figure, built once; ``update(row, col)`` moves the window and rewrites the sum."""

    def __init__(self, image, kernel, live=False):
        self.image, self.kernel = _gray(image), _gray(kernel, "kernel")
        self.out = out = correlate2d(self.image, self.kernel)
        fh, fw = self.kernel.shape
        # not plots.image_grid: input, kernel and output are matrices of different widths, drawn cell by cell
        self.fig, axes = plt.subplots(1, 3, figsize=(10, 3.6),
                                      gridspec_kw={"width_ratios": [self.image.shape[1], fw, out.shape[1]]})
        plot_matrix(self.image, axes[0], "input (window in red)", highlight=(0, 0, fh, fw))
        plot_matrix(self.kernel, axes[1], "kernel", cmap="RdBu_r", symmetric=True)
        plot_matrix(out, axes[2], "output", cmap="RdBu_r", highlight=(0, 0, 1, 1), symmetric=True)
        self.window, self.cell = axes[0].patches[-1], axes[2].patches[-1]
        self.title = self.fig.suptitle("output[0, 0]", fontsize=TEXT_SIZE + 1)
        self.fig.tight_layout()
        if live:
            animate(self.window, self.cell, self.title)

    def update(self, row=0, col=0):
        """Put the window at output position (row, col); returns the figure."""
        out, kernel = self.out, self.kernel
        if not (0 <= row < out.shape[0] and 0 <= col < out.shape[1]):
            raise ValueError(f"(row, col) must lie inside the {out.shape[0]}x{out.shape[1]} output, got ({row}, {col})")
        window = self.image[row:row + kernel.shape[0], col:col + kernel.shape[1]]
        self.window.set_xy((col - 0.5, row - 0.5))
        self.cell.set_xy((col - 0.5, row - 0.5))
        terms = " + ".join(_product(a, b) for a, b in zip(window.ravel(), kernel.ravel()) if b != 0)
        self.title.set_text(f"output[{row}, {col}] = {terms} = {out[row, col]:g}")
        return self.fig


def plot_correlate2d_step(image, kernel, row, col):
    """Input with the kernel's window at output (row, col), the kernel, and the 'valid' output with that cell marked."""
    return _laid_out(Correlate2dStepFigure(image, kernel).update(row, col))


def correlate2d_explorer(image, kernel):
    """Row and column sliders over the 'valid' output positions; each move redraws ``plot_correlate2d_step``."""
    import ipywidgets as widgets

    figure = Correlate2dStepFigure(image, kernel, live=True)
    rows, cols = figure.out.shape
    return live_figure(figure.update,
                       {"row": widgets.IntSlider(0, 0, rows - 1, description="row", continuous_update=False),
                        "col": widgets.IntSlider(0, 0, cols - 1, description="column", continuous_update=False)})


def plot_feature_map(fmap, ax=None, title=None):
    """A feature map with a colour bar: red positive / blue negative around a white 0, or gray if it has no negatives."""
    fmap = _gray(fmap, "fmap")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3.6), layout="constrained")  # room for the colour bar's labels
    set_feature_map(ax.imshow(fmap), fmap)
    ax.figure.colorbar(ax.images[0], ax=ax, fraction=0.046, pad=0.04)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def set_feature_map(shown, fmap):
    """Show ``fmap`` in the image artist ``shown``: gray from 0 if it has no negatives, else RdBu_r around 0."""
    vmax = max(np.abs(fmap).max(), 1e-9)
    shown.set_data(fmap)
    if fmap.min() >= -1e-3 * vmax:
        shown.set_cmap("gray")
        shown.set_clim(0, vmax)
    else:
        shown.set_cmap("RdBu_r")
        shown.set_clim(-vmax, vmax)


def picture_range(image):
    """The largest value a picture of ``image`` shows as white: 1 for images in [0, 1], else 255."""
    return 1.0 if np.max(image) <= 1 else 255.0


def set_kernel_result(shown, result, kernel, white=1.0):
    """Show ``result``, the image correlated with ``kernel``, in the image artist ``shown``; returns a title for it.

    Weights summing to 1 (identity, blurs, sharpen, emboss) keep the brightness: a picture on a gray scale from
    0 to ``white``, values beyond it clipped as a photo editor does. Any other sum: a feature map (``set_feature_map``).
    """
    total = float(np.sum(kernel))
    if np.isclose(total, 1.0):
        shown.set_data(result)
        shown.set_cmap("gray")
        shown.set_clim(0, white)  # values outside show as black or white: clipped
        return f"picture (sum 1), clipped to 0–{white:g}"
    set_feature_map(shown, result)
    return f"feature map (sum {_number('{:.2g}', total)}), {result.min():.2g} to {result.max():.2g}"


def show_feature_maps(image, kernels, ncols=3, size=3.2, padding="valid"):
    """The image, then ``correlate2d(image, kernel, padding=padding)`` for each named kernel, each shown as
    ``set_kernel_result`` does (a picture for weights summing to 1, else a feature map), with a colour bar.

    'valid' by default: with zero padding the photo's border would light up as a strong edge.
    """
    image = _gray(image)
    if not kernels:
        raise ValueError("kernels must be a non-empty dict {name: 2D kernel}")
    white = picture_range(image)
    fig, axes = image_grid(len(kernels) + 1, ncols, size, title_height=0.3)
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=white)
    axes[0].set_title("input")
    for ax, (name, kernel) in zip(axes[1:], kernels.items()):
        result = correlate2d(image, kernel, padding=padding)
        set_kernel_result(ax.imshow(result), result, kernel, white)
        fig.colorbar(ax.images[0], ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(name)
    fig.tight_layout()
    return fig


class KernelFigure:
    """The kernel-editor figure, built once; ``update(kernel)`` rewrites the kernel's numbers and its result."""

    def __init__(self, image, kernel_shape=(3, 3), padding="valid", live=False):
        self.image, self.padding = _gray(image), padding
        self.white = picture_range(self.image)
        # not plots.image_grid: the kernel's numbers sit between the two pictures, in a narrower panel
        self.fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), gridspec_kw={"width_ratios": [1, 0.6, 1.15]})
        axes[0].imshow(self.image, cmap="gray", vmin=0, vmax=self.white)
        axes[0].set_title("input")
        axes[0].axis("off")
        identity = np.zeros(kernel_shape)
        identity[kernel_shape[0] // 2, kernel_shape[1] // 2] = 1.0
        plot_matrix(identity, axes[1], "kernel", cmap="RdBu_r", fmt="{:.2g}", symmetric=True)
        plot_feature_map(correlate2d(self.image, identity, padding=padding), axes[2], "feature map")
        self.matrix, self.result = axes[1], axes[2].images[0]
        self.fig.tight_layout()
        if live:
            animate(self.matrix, self.result, axes[2].title, self.result.colorbar.ax)

    def update(self, kernel):
        """Show ``kernel`` (3x3 numbers) and what it makes of the image (``set_kernel_result``); returns the figure."""
        kernel, shape = _gray(kernel, "kernel"), self.matrix.images[0].get_array().shape
        if kernel.shape != shape:
            raise ValueError(f"this figure shows {shape[0]}x{shape[1]} kernels, got shape {kernel.shape}")
        set_matrix(self.matrix, kernel, "{:.2g}", symmetric=True)
        result = correlate2d(self.image, kernel, padding=self.padding)
        self.result.axes.title.set_text(set_kernel_result(self.result, result, kernel, self.white))
        return self.fig


def apply_kernel_view(image, kernel, padding="valid"):
    """Three panels: the image, the kernel's numbers, and what the kernel makes of the image: a picture if its
    weights sum to 1, else a feature map (the kernel-editor callback)."""
    kernel = _gray(kernel, "kernel")
    return _laid_out(KernelFigure(image, kernel.shape, padding).update(kernel))


def kernel_editor(image, presets=None, initial="Sobel x"):
    """A 3x3 grid of number boxes plus a preset menu; every change redraws ``apply_kernel_view`` live."""
    import ipywidgets as widgets

    image = _gray(image)
    presets = KERNELS if presets is None else presets
    if initial not in presets:
        raise ValueError(f"initial preset {initial!r} is not one of {list(presets)}")
    for name, kernel in presets.items():
        if np.shape(kernel) != (3, 3):
            raise ValueError(f"preset {name!r} has shape {np.shape(kernel)}: the editor holds 3x3 kernels")
    menu = widgets.Dropdown(options=list(presets), value=initial, description="preset")
    cells = [widgets.FloatText(value=0.0, step=0.1, layout=widgets.Layout(width="72px")) for _ in range(9)]
    grid = widgets.GridBox(cells, layout=widgets.Layout(grid_template_columns="repeat(3, 76px)"))
    picture = widgets.Image(format="jpeg", layout=widgets.Layout(max_width="100%"))
    figure = KernelFigure(image, live=True)
    plt.close(figure.fig)  # drawn into the Image widget, never shown by pyplot
    state = {"loading": False}

    def kernel():
        return np.array([c.value for c in cells], dtype=float).reshape(3, 3)

    def redraw(_=None):
        if state["loading"]:
            return
        editor.last_kernel = kernel()
        picture.value = render_figure(figure.update(editor.last_kernel), "jpeg")

    def load(change=None):
        state["loading"] = True
        for cell, value in zip(cells, np.asarray(presets[menu.value], dtype=float).ravel()):
            cell.value = round(float(value), 4)
        state["loading"] = False
        redraw()

    menu.observe(load, names="value")
    for cell in cells:
        cell.observe(redraw, names="value")
    editor = widgets.HBox([widgets.VBox([menu, widgets.HTML("<b>kernel</b> (edit any number)"), grid]), picture])
    editor.menu, editor.cells, editor.kernel, editor.image, editor.figure = menu, cells, kernel, picture, figure
    load()
    return editor
