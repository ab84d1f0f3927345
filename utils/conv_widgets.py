"""Figures and widgets for the convolution lessons (02 and 03): 1D stepper, 2D window, kernel editor, feature maps."""

from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from utils import validate
from utils.conv import conv1d, correlate2d
from utils.figure_widget import figure_png, live_figure

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


def plot_conv1d_step(x, k, shift):
    """Draw step ``shift`` of the full 1D convolution x * k: the flipped kernel under the signal, then the output so far."""
    x, k = _vector(x, "x"), _vector(k, "k")
    y = conv1d(x, k, "full")
    shift = validate.integer("shift", shift, 0, len(y) - 1)
    positions = shift - np.arange(len(k))  # k[j] sits under x[shift - j]: the kernel is flipped
    lo, hi = -len(k) + 1, len(y)
    fig, (top, mid, bottom) = plt.subplots(3, 1, figsize=(8, 6.4), sharex=True,
                                           gridspec_kw={"height_ratios": [1, 1, 1.2]})
    top.bar(np.arange(len(x)), x, color="tab:blue", width=0.6)
    top.set_ylabel("signal x[i]")
    top.set_title(f"step n = {shift}: flip k, slide it to n, multiply where it overlaps x, sum")
    mid.bar(positions, k, color="tab:orange", width=0.6)
    for p, value in zip(positions, k):
        mid.annotate(f"k[{shift - p}]", (p, value), ha="center", va="bottom" if value >= 0 else "top", fontsize=8)
    mid.set_ylabel("flipped kernel\nk[n − i]")
    overlap = sorted((int(p), kv) for p, kv in zip(positions, k) if 0 <= p < len(x))
    terms = " + ".join(_product(x[p], kv) for p, kv in overlap)
    for p, _ in overlap:
        top.axvspan(p - 0.4, p + 0.4, color="gold", alpha=0.35, lw=0)
        mid.axvspan(p - 0.4, p + 0.4, color="gold", alpha=0.35, lw=0)
    colors = ["tab:green" if n < shift else ("tab:red" if n == shift else "lightgray") for n in range(len(y))]
    heights = [y[n] if n <= shift else 0.0 for n in range(len(y))]
    bottom.bar(np.arange(len(y)), heights, color=colors, width=0.6)
    bottom.plot([shift], [y[shift]], "o", color="tab:red", ms=9, label="y[n] being computed")
    bottom.legend(loc="upper right", fontsize=8, frameon=False)
    bottom.set_ylabel("output y[n]")
    bottom.set_xlabel("index")
    bottom.set_title(f"y[{shift}] = {terms} = {y[shift]:g}", fontsize=10)
    limit = max(np.abs(y).max(), 1e-9) * 1.15
    bottom.set_ylim(-limit if y.min() < 0 else 0, limit)
    for ax in (top, mid, bottom):
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xlim(lo - 0.6, hi - 0.4)
        ax.set_xticks(range(lo, hi))
    fig.tight_layout()
    return fig


def conv1d_stepper(x, k):
    """A slider over the shift positions of x * k; each move redraws ``plot_conv1d_step``."""
    import ipywidgets as widgets

    x, k = _vector(x, "x"), _vector(k, "k")
    slider = widgets.IntSlider(value=0, min=0, max=len(x) + len(k) - 2, description="step n",
                               continuous_update=False)
    return live_figure(partial(plot_conv1d_step, x, k), {"shift": slider})


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
        ax.set_title(f"n = {n}:  y[{n}] = {y[n]:g}", fontsize=10, loc="left")
        ax.set_yticks([])
    axes[0, 0].legend(loc="upper right", fontsize=8, ncols=2, frameon=False)
    axes[-1, 0].set_xticks(range(1 - len(k), len(y)))
    axes[-1, 0].set_xlabel("index i")
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
    vmax = max(np.abs(m).max(), 1e-9) if symmetric else None
    ax.imshow(m, cmap=cmap, vmin=-vmax if symmetric else None, vmax=vmax)
    middle = (m.max() + m.min()) / 2
    for (i, j), value in np.ndenumerate(m):
        dark = abs(value) > 0.6 * vmax if symmetric else value > middle and m.max() > m.min()
        ax.text(j, i, _number(fmt, value), ha="center", va="center", fontsize=10, color="white" if dark else "black")
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(plt.Rectangle((c - 0.5, r - 0.5), w, h, fill=False, edgecolor="red", lw=2.5))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_correlate2d_step(image, kernel, row, col):
    """Input with the kernel's window at output (row, col), the kernel, and the 'valid' output with that cell marked."""
    image, kernel = _gray(image), _gray(kernel, "kernel")
    out = correlate2d(image, kernel)
    if not (0 <= row < out.shape[0] and 0 <= col < out.shape[1]):
        raise ValueError(f"(row, col) must lie inside the {out.shape[0]}x{out.shape[1]} output, got ({row}, {col})")
    fh, fw = kernel.shape
    window = image[row:row + fh, col:col + fw]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), gridspec_kw={"width_ratios": [image.shape[1], fw, out.shape[1]]})
    plot_matrix(image, axes[0], "input (window in red)", highlight=(row, col, fh, fw))
    plot_matrix(kernel, axes[1], "kernel", cmap="RdBu_r", symmetric=True)
    plot_matrix(out, axes[2], "output", cmap="RdBu_r", highlight=(row, col, 1, 1), symmetric=True)
    terms = " + ".join(_product(a, b) for a, b in zip(window.ravel(), kernel.ravel()) if b != 0)
    fig.suptitle(f"output[{row}, {col}] = {terms} = {out[row, col]:g}", fontsize=10)
    fig.tight_layout()
    return fig


def correlate2d_explorer(image, kernel):
    """Row and column sliders over the 'valid' output positions; each move redraws ``plot_correlate2d_step``."""
    import ipywidgets as widgets

    image, kernel = _gray(image), _gray(kernel, "kernel")
    rows, cols = correlate2d(image, kernel).shape
    return live_figure(partial(plot_correlate2d_step, image, kernel),
                       {"row": widgets.IntSlider(0, 0, rows - 1, description="row", continuous_update=False),
                        "col": widgets.IntSlider(0, 0, cols - 1, description="column", continuous_update=False)})


def plot_feature_map(fmap, ax=None, title=None):
    """A feature map with a colour bar: red positive / blue negative around a white 0, or gray if it has no negatives."""
    fmap = _gray(fmap, "fmap")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3.6))
    vmax = max(np.abs(fmap).max(), 1e-9)
    if fmap.min() >= -1e-3 * vmax:
        shown = ax.imshow(fmap, cmap="gray", vmin=0, vmax=vmax)
    else:
        shown = ax.imshow(fmap, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def show_feature_maps(image, kernels, ncols=3, size=3.2, padding="valid"):
    """The image, then its feature map ``correlate2d(image, kernel, padding=padding)`` for each named kernel.

    'valid' by default: with zero padding the photo's border would light up as a strong edge.
    """
    image = _gray(image)
    if not kernels:
        raise ValueError("kernels must be a non-empty dict {name: 2D kernel}")
    n = len(kernels) + 1
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols * 1.15, size * nrows), squeeze=False)
    axes = axes.ravel()
    axes[0].imshow(image, cmap="gray")
    axes[0].set_title("input", fontsize=10)
    axes[0].axis("off")
    for ax, (name, kernel) in zip(axes[1:], kernels.items()):
        plot_feature_map(correlate2d(image, kernel, padding=padding), ax, name)
    for ax in axes[n:]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def apply_kernel_view(image, kernel, padding="valid"):
    """Three panels: the image, the kernel's numbers, and the feature map (the kernel-editor callback)."""
    image, kernel = _gray(image), _gray(kernel, "kernel")
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), gridspec_kw={"width_ratios": [1, 0.6, 1.15]})
    axes[0].imshow(image, cmap="gray")
    axes[0].set_title("input", fontsize=10)
    axes[0].axis("off")
    plot_matrix(kernel, axes[1], "kernel", cmap="RdBu_r", fmt="{:.2g}", symmetric=True)
    fmap = correlate2d(image, kernel, padding=padding)
    plot_feature_map(fmap, axes[2], f"feature map (min {fmap.min():.2g}, max {fmap.max():.2g})")
    fig.tight_layout()
    return fig


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
    picture = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    state = {"loading": False}

    def kernel():
        return np.array([c.value for c in cells], dtype=float).reshape(3, 3)

    def redraw(_=None):
        if state["loading"]:
            return
        editor.last_kernel = kernel()
        picture.value = figure_png(apply_kernel_view(image, editor.last_kernel))

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
    editor.menu, editor.cells, editor.kernel, editor.image = menu, cells, kernel, picture
    load()
    return editor
