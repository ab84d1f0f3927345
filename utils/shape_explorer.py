"""Figures and widgets for lessons 04-05: how padding, stride and pooling change the shape of a feature map."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from utils import validate
from utils.conv import correlate2d, output_size, pad2d
from utils.figure_widget import NumberCollection, animate, fitting_size, live_figure, write_numbers
from utils.plots import image_grid
from utils.pooling import POOL_MODES, pool2d

PAD_COLOR = "#d9d9d9"
WINDOW_COLOR = "#1f77b4"
DROP_COLOR = "#d62728"
DONE_COLOR = "#c6dbef"
GRID_MARGINS = {"left": 0.02, "right": 0.98, "bottom": 0.02, "top": 0.9, "wspace": 0.08}


def conv_shape_report(i, f, p=0, s=1):
    """Say what an I×I input, F×F kernel, padding P and stride S give: output size, fit, cells never covered."""
    i, f = validate.integer("input size", i, 1), validate.integer("kernel size", f, 1)
    p, s = validate.integer("padding", p, 0), validate.integer("stride", s, 1)
    padded = i + 2 * p
    formula = f"O = ⌊({i} − {f} + 2·{p}) / {s}⌋ + 1"
    if f > padded:
        return {"output": None, "fits": False, "dropped": 0, "padded": padded,
                "message": f"❌ The {f}×{f} kernel is larger than the padded {padded}×{padded} input: no output. "
                           "Use a smaller kernel or more padding."}
    out = output_size(i, f, p, s)
    dropped = (i - f + 2 * p) % s
    if dropped:
        message = (f"⚠️ {formula} = {out}, but ({i} − {f} + 2·{p}) / {s} = {(i - f + 2 * p) / s:.2f} is not a whole "
                   f"number: the last {dropped} row(s) and column(s) are never covered and are dropped.")
    else:
        message = f"✅ {formula} = {out}: output {out}×{out}, every row and column is covered."
    return {"output": out, "fits": not dropped, "dropped": dropped, "padded": padded, "message": message}


def window_positions(i, f, p=0, s=1):
    """Top-left corners (row, col) in the padded input of every kernel position, row by row."""
    report = conv_shape_report(i, f, p, s)
    if report["output"] is None:
        return []
    steps = [k * s for k in range(report["output"])]
    return [(r, c) for r in steps for c in steps]


def grid_numbers(ax):
    """The numbers ``draw_grid`` wrote in ``ax``, row by row."""
    return [label for c in ax.collections if isinstance(c, NumberCollection) for label in c.labels]


def draw_grid(ax, values, pad=0, highlight=None, dropped=0, title=None, fmt="{:g}", numbers=True, cmap=None):
    """Draw a 2-D array as a grid of numbered cells; grey padding ring, optional highlighted (row, col, h, w) window.

    With ``cmap`` (e.g. "YlOrRd") the cells are coloured by their value. The cells are one collection
    (``ax.collections[0]``), the numbers another (``grid_numbers(ax)``), window and hatching are patches.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"draw_grid expects a 2-D array, got shape {values.shape}")
    validate.integer("pad", pad, 0)
    validate.integer("dropped", dropped, 0)
    n_rows, n_cols = values.shape
    rows, cols = np.indices(values.shape)
    in_pad = (rows < pad) | (cols < pad) | (rows >= n_rows - pad) | (cols >= n_cols - pad)
    faces = np.tile(to_rgba("white"), (values.size, 1))
    if cmap is not None:
        low, high = float(values.min()), float(values.max())
        faces = plt.get_cmap(cmap)(((values - low) / (high - low if high > low else 1.0) * 0.8).ravel())
    faces[in_pad.ravel()] = to_rgba(PAD_COLOR)
    ax.add_collection(PolyCollection(_squares(rows.ravel(), cols.ravel()), facecolors=faces, edgecolors="0.4",
                                     linewidths=0.8), autolim=False)
    labels = [fmt.format(v) for v in values.ravel()]
    size = fitting_size(labels, _cell_points(ax, n_rows, n_cols)) if numbers else 0
    if size:  # only at a readable size: a grid too fine for that keeps its cells and loses its numbers
        write_numbers(ax, labels, np.column_stack([cols.ravel(), rows.ravel()]) + 0.5, size,
                      np.where(in_pad.ravel()[:, None], to_rgba("0.35"), to_rgba("black")))
    if dropped:
        for start, size in (((0, n_rows - dropped), (n_cols, dropped)), ((n_cols - dropped, 0), (dropped, n_rows))):
            ax.add_patch(Rectangle(start, *size, facecolor="none", edgecolor=DROP_COLOR, hatch="//", lw=0))
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(Rectangle((c, r), w, h, facecolor=WINDOW_COLOR, alpha=0.25, edgecolor="none"))
        ax.add_patch(Rectangle((c, r), w, h, facecolor="none", edgecolor=WINDOW_COLOR, lw=3))
    ax.set_xlim(-0.05, n_cols + 0.05)
    ax.set_ylim(n_rows + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, y=1.0)  # a fixed place: placing it above tick labels would build the hidden ticks
    return ax


def _cell_points(ax, n_rows, n_cols):
    """The side, in points, of one cell of an ``n_rows`` × ``n_cols`` grid of squares filling ``ax``'s place now."""
    box = ax.get_position(original=True)
    width, height = ax.figure.get_size_inches() * (box.width, box.height) * 72
    return min(width / n_cols, height / n_rows)


def _squares(rows, cols):
    """The corners of the unit squares whose top-left corners are (cols, rows), for a ``PolyCollection``."""
    return np.column_stack([cols, rows])[:, None, :] + np.array([[0, 0], [1, 0], [1, 1], [0, 1]])


class ConvStepFigure:
    """The kernel-position figure, built once: ``set_shape`` draws the grids for an input size, kernel, padding
    and stride; ``update(step)`` moves the kernel to position ``step`` and fills the output map up to it.
    """

    def __init__(self, live=False):
        self.fig, self.axes = plt.subplots(1, 2, figsize=(9, 4.6))  # grids of cells whose widths follow the shape
        self.fig.subplots_adjust(**GRID_MARGINS)  # tight_layout would take 20–200 ms on grids
        self.live, self.shape, self.positions = live, None, []

    def set_shape(self, i, f, p=0, s=1):
        """Draw the padded input and the empty output for input I, kernel F, padding P and stride S."""
        report = conv_shape_report(i, f, p, s)
        if (i, f, p, s) == self.shape:
            return self
        self.shape, self.stride, self.output = (i, f, p, s), s, report["output"]
        self.positions = window_positions(i, f, p, s)
        ax_in, ax_out = self.axes
        for ax in self.axes:
            for artist in [*ax.collections, *ax.patches, *ax.texts]:
                artist.remove()
            ax.set_title("")
            ax.axis("on")  # draw_grid turns it off again; the empty output shows its 'no output' message
        n = report["padded"]
        grid = self.fig.axes[0].get_subplotspec().get_gridspec()
        grid.set_width_ratios([n, max(n * 0.8, 3)])
        for ax in self.axes:
            ax.set_position(ax.get_subplotspec().get_position(self.fig))
        values = np.zeros((n, n))
        values[p:p + i, p:p + i] = np.arange(1, i * i + 1).reshape(i, i)
        if not self.positions:
            draw_grid(ax_in, values, pad=p, title=f"input {i}×{i}, padding {p} → {n}×{n}", fmt="{:.0f}")
            ax_in.add_patch(Rectangle((0, 0), f, f, facecolor="none", edgecolor=DROP_COLOR, lw=3, ls="--"))
            ax_in.set_xlim(-0.05, max(n, f) + 0.05)
            ax_in.set_ylim(max(n, f) + 0.05, -0.05)
            ax_out.axis("off")
            ax_out.text(0.5, 0.5, f"no output:\n{f}×{f} kernel > {n}×{n} input", ha="center", va="center",
                        color=DROP_COLOR, fontsize=13, transform=ax_out.transAxes)
            return self
        draw_grid(ax_in, values, pad=p, highlight=(0, 0, f, f), dropped=report["dropped"], fmt="{:.0f}",
                  title=f"input {i}×{i} + padding {p} = {n}×{n}; kernel {f}×{f}, stride {s}")
        self.window = ax_in.patches[-2:]
        if report["dropped"]:
            ax_in.text(n / 2, n + 0.3, "red hatching: never covered by the kernel (dropped)", ha="center", va="top",
                       color=DROP_COLOR)
            ax_in.set_ylim(n + 1.2, -0.05)
        o = self.output
        draw_grid(ax_out, np.zeros((o, o)), numbers=False, title=f"output {o}×{o}")
        rows, cols = np.divmod(np.arange(o * o), o)
        self.done = ax_out.add_collection(PolyCollection(_squares(rows, cols), lw=0.8), autolim=False)
        self.cell = ax_out.add_patch(Rectangle((0, 0), 1, 1, facecolor=WINDOW_COLOR, alpha=0.6,
                                               edgecolor=WINDOW_COLOR, lw=3))
        if self.live:
            animate(*self.window, self.done, self.cell, ax_out.title)
        return self

    def update(self, step=0):
        """Show kernel position ``step`` (the last one if ``step`` is beyond it); returns the figure."""
        validate.integer("step", step, 0)
        if not self.positions:
            return self.fig
        step = min(step, len(self.positions) - 1)
        r, c = self.positions[step]
        for patch in self.window:
            patch.set_xy((c, r))
        done = np.arange(self.output ** 2) <= step
        self.done.set_facecolors(np.where(done[:, None], to_rgba(DONE_COLOR), to_rgba("none")))
        self.done.set_edgecolors(np.where(done[:, None], to_rgba("0.4"), to_rgba("none")))
        self.cell.set_xy((c // self.stride, r // self.stride))
        o = self.output
        self.axes[1].title.set_text(f"output {o}×{o}: position {step + 1} of {len(self.positions)}")
        return self.fig


def plot_conv_step(i, f, p=0, s=1, step=0):
    """Padded input with the kernel at position ``step`` (left) and the output map filled up to that step (right)."""
    return ConvStepFigure().set_shape(i, f, p, s).update(step)


def plot_conv_example(image, kernel, padding=0, stride=1, position=(0, 0)):
    """Worked example: padded input with the window at ``position`` (in output cells), the kernel, and the output map."""
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 2 or kernel.ndim != 2 or image.size > 144:
        raise ValueError(f"plot_conv_example draws a small 2-D image (at most 12×12) and a 2-D kernel, "
                         f"got shapes {image.shape} and {kernel.shape}")
    padded = pad2d(image, padding)
    out = correlate2d(image, kernel, stride=stride, padding=padding)
    r, c = position
    if not (0 <= r < out.shape[0] and 0 <= c < out.shape[1]):
        raise ValueError(f"position {position} is outside the {out.shape[0]}×{out.shape[1]} output")
    f = kernel.shape[0]
    widths = [padded.shape[1], kernel.shape[1], out.shape[1]]
    cell = 0.55  # inches per grid cell, the same in all three panels
    fig, axes = plt.subplots(1, 3, figsize=(cell * sum(widths) + 1.6, cell * padded.shape[0] + 0.9),
                             gridspec_kw={"width_ratios": widths})
    draw_grid(axes[0], padded, pad=padding, highlight=(r * stride, c * stride, f, f),
              title=f"input {image.shape[0]}×{image.shape[1]}, padded to {padded.shape[0]}×{padded.shape[1]}")
    draw_grid(axes[1], kernel, title=f"kernel {f}×{f}")
    draw_grid(axes[2], out, highlight=(r, c, 1, 1), title=f"output {out.shape[0]}×{out.shape[1]}")
    fig.tight_layout()
    return fig


def conv_explorer():
    """Sliders for input size, kernel size, padding, stride and kernel position over ``plot_conv_step``.

    The caption is the shape report; the position slider's range follows the output size.
    """
    controls = {
        "i": widgets.IntSlider(5, 2, 12, description="input I"),
        "f": widgets.IntSlider(3, 1, 7, description="kernel F"),
        "p": widgets.IntSlider(1, 0, 3, description="padding P"),
        "s": widgets.IntSlider(1, 1, 4, description="stride S"),
        "step": widgets.IntSlider(0, 0, 24, description="position"),
    }
    figure = ConvStepFigure(live=True)

    def view(i, f, p, s, step):
        return figure.set_shape(i, f, p, s).update(step)

    def follow(_=None):
        out = conv_shape_report(*(controls[k].value for k in "ifps"))["output"] or 1
        controls["step"].max = out * out - 1

    for key in "ifps":
        controls[key].observe(follow, names="value")
    return live_figure(view, controls, caption=lambda i, f, p, s, step: conv_shape_report(i, f, p, s)["message"])


def _image(image):
    """Check that ``image`` is an (H, W) or (H, W, 3) numeric array."""
    if image is None:
        raise TypeError("pass an image: a NumPy array of shape (H, W) or (H, W, 3)")
    arr = np.asarray(image)
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3)):
        raise ValueError(f"expected an image of shape (H, W) or (H, W, 3), got {arr.shape}")
    return arr


class PoolingFigure:
    """An image and its pooled version at the same display size, built once; ``update`` redraws the pooled side."""

    def __init__(self, image, cmap="gray", live=False):
        self.image = arr = _image(image)
        landscape = min(1.0, arr.shape[0] / arr.shape[1])  # a wide image leaves no empty band below it
        self.fig, axes = image_grid(2, 2, 4.3, extra_height=round(4.3 * (landscape - 1), 1), title_height=0.6)
        low, high = float(arr.min()), float(arr.max())
        self.pictures = []
        for ax in axes:
            self.pictures.append(ax.imshow(self._shown(arr), cmap=cmap if arr.ndim == 2 else None,
                                           extent=(0, arr.shape[1], arr.shape[0], 0),
                                           vmin=low if arr.ndim == 2 else None, vmax=high if arr.ndim == 2 else None))
        axes[0].set_title(f"input\nshape {arr.shape}")
        self.title = axes[1].set_title(f"pooled\nshape {arr.shape}")
        self.fig.tight_layout()
        if live:
            animate(self.pictures[1], self.title)

    def _shown(self, img):
        """What imshow gets: a 2-D map as it is, colour scaled to 0–1."""
        return img if img.ndim == 2 else np.clip(img / (255 if self.image.dtype == np.uint8 else 1), 0, 1)

    def update(self, size=2, stride=None, mode="max"):
        """Show ``pool2d(image, size, stride, mode)``; returns the figure."""
        pooled = pool2d(self.image, size=size, stride=stride, mode=mode)
        self.pictures[1].set_data(self._shown(pooled))
        self.title.set_text(f"{mode} pool {size}×{size}, stride {stride or size}\nshape {pooled.shape}")
        return self.fig


def plot_pooling(image, size=2, stride=None, mode="max", cmap="gray"):
    """Show an image and its pooled version at the same display size, with both shapes in the titles."""
    return PoolingFigure(image, cmap).update(size, stride, mode)


def pooling_explorer(image):
    """Sliders for pool size and stride and a max/avg switch over ``plot_pooling`` of ``image``."""
    return live_figure(PoolingFigure(image, live=True).update, {
        "size": widgets.IntSlider(2, 1, 8, description="pool size"),
        "stride": widgets.IntSlider(2, 1, 8, description="stride"),
        "mode": widgets.ToggleButtons(options=list(POOL_MODES), value="max", description="mode"),
    })


WINDOW_COLORS = plt.cm.tab10.colors


def plot_pooling_grid(x, size=2, stride=None, mode="max"):
    """A small 2-D array with each pooling window outlined in its own colour, and the pooled output beside it."""
    arr = np.asarray(x)
    if arr.ndim != 2 or arr.size > 144:
        raise ValueError(f"plot_pooling_grid draws a small 2-D array (at most 12×12), got shape {arr.shape}")
    pooled = pool2d(arr, size=size, stride=stride, mode=mode)
    step = size if stride is None else stride
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(8, 3.8),
                                        gridspec_kw={"width_ratios": [arr.shape[1], max(pooled.shape[1], 2)]})
    draw_grid(ax_in, arr, title=f"input {arr.shape[0]}×{arr.shape[1]}")
    draw_grid(ax_out, pooled, fmt="{:.3g}", title=f"{mode} pool {size}×{size}, stride {step} → "
                                                   f"{pooled.shape[0]}×{pooled.shape[1]}")
    for k, (r, c) in enumerate((r, c) for r in range(pooled.shape[0]) for c in range(pooled.shape[1])):
        color = WINDOW_COLORS[k % len(WINDOW_COLORS)]
        inset = 0.06 * (k % 3)
        ax_in.add_patch(Rectangle((c * step + inset, r * step + inset), size - 2 * inset, size - 2 * inset,
                                  facecolor=color, alpha=0.18, edgecolor=color, lw=2.5))
        ax_out.add_patch(Rectangle((c, r), 1, 1, facecolor=color, alpha=0.35, edgecolor=color, lw=2.5))
    fig.tight_layout()
    return fig


def plot_flatten(x):
    """A small (H, W, D) array drawn channel by channel, and the vector that flattening makes of it."""
    arr = np.asarray(x)
    if arr.ndim != 3 or arr.size > 48:
        raise ValueError(f"plot_flatten draws a small (H, W, D) array (at most 48 values), got shape {arr.shape}")
    h, w, d = arr.shape
    fig = plt.figure(figsize=(max(8, arr.size * 0.45), 3.6))
    grid = fig.add_gridspec(2, d, height_ratios=[h, 1.6])
    for ch in range(d):
        ax = fig.add_subplot(grid[0, ch])
        draw_grid(ax, arr[:, :, ch], title=f"channel {ch}")
        for r in range(h):
            for c in range(w):
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=WINDOW_COLORS[ch % 10], alpha=0.3))
    ax = fig.add_subplot(grid[1, :])
    flat = arr.reshape(1, -1)
    draw_grid(ax, flat, title=f"flattened: a vector of {h}·{w}·{d} = {arr.size} numbers (row by row, channels fastest)")
    for k in range(arr.size):
        ax.add_patch(Rectangle((k, 0), 1, 1, facecolor=WINDOW_COLORS[(k % d) % 10], alpha=0.3))
    fig.tight_layout()
    return fig


def plot_shift_comparison(a, b, size=4, mode="max", box=None):
    """Two feature maps (original, shifted) and their difference, before (top) and after pooling (bottom), one colour scale per row.

    ``box = (top, left, height, width)`` zooms into a region given in input pixels.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"expected two 2-D maps of the same shape, got {a.shape} and {b.shape}")
    top, left, height, width = box if box is not None else (0, 0, *a.shape)
    if min(top, left) < 0 or height < size or width < size or top + height > a.shape[0] or left + width > a.shape[1]:
        raise ValueError(f"box {box} must lie inside the {a.shape} map and be at least {size}×{size}")
    pa, pb = pool2d(a, size=size, mode=mode), pool2d(b, size=size, mode=mode)
    pooled_box = (slice(top // size, (top + height) // size), slice(left // size, (left + width) // size))
    rows = [(a[top:top + height, left:left + width], b[top:top + height, left:left + width], "edge map"),
            (pa[pooled_box], pb[pooled_box], f"{mode} pool {size}×{size}")]
    fig, axes = image_grid(6, 3, 2.9)
    fig.set_layout_engine("constrained")  # room for a colour bar per row
    for (ra, rb, label), row in zip(rows, (axes[:3], axes[3:])):
        high = max(ra.max(), rb.max(), 1e-12)
        change = np.mean(np.abs(ra - rb)) / max(np.mean(np.abs(ra)), 1e-12)
        for ax, img, title in zip(row, (ra, rb, np.abs(ra - rb)),
                                  (label, f"{label}, shifted 1 px", f"|difference|: {change:.0%}")):
            shown = ax.imshow(img, cmap="magma", vmin=0, vmax=high)
            ax.set_title(title)
        fig.colorbar(shown, ax=row, fraction=0.04, pad=0.02, label="edge strength")
    return fig
