"""Receptive fields of stacked conv and pooling layers (taught in lessons 04 and 05): the formula, a brute-force
check on Keras layers (light one pixel at a time), and figures of the growing windows."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from utils import validate

KINDS = ("conv", "pool")


def _window(spec):
    """A layer spec ``(kernel, stride)`` or ``(kind, kernel, stride)`` as ``(kind, kernel, stride)``."""
    if isinstance(spec, (tuple, list)) and len(spec) == 3 and spec[0] in KINDS:
        kind, f, s = spec
    elif isinstance(spec, (tuple, list)) and len(spec) == 2:
        kind, (f, s) = "conv", spec
    else:
        raise ValueError(f"each layer must be (kernel, stride) or (kind, kernel, stride) with kind in {KINDS}, "
                         f"got {spec!r}")
    return kind, validate.positive_int("kernel size", f), validate.positive_int("stride", s)


def receptive_fields(layers):
    """Receptive field r (input pixels per side that one output sees) and jump j (input pixels between neighbouring
    outputs) after each layer: r grows by (F - 1)·j, then j is multiplied by the stride S."""
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError("layers must be a list of (kernel, stride) pairs, e.g. [(3, 1), (2, 2)]")
    r, j, rows = 1, 1, []
    for spec in layers:
        _, f, s = _window(spec)
        r, j = r + (f - 1) * j, j * s
        rows.append({"kernel": f, "stride": s, "field": r, "jump": j})
    if not rows:
        raise ValueError("layers is empty: give at least one (kernel, stride) pair")
    return rows


def layer_windows(model):
    """``(name, kind, kernel, stride)`` of each Conv2D and pooling layer of a Keras model, up to the first layer that
    connects every position (Flatten, global pooling, Dense); layers that act pixel by pixel are skipped."""
    if not hasattr(model, "layers"):
        raise TypeError(f"expected a Keras model with .layers, got {type(model).__name__}")
    windows = []
    for layer in model.layers:
        kind, cfg = type(layer).__name__, layer.get_config()
        if kind in ("Flatten", "Dense") or kind.startswith("Global"):
            break
        if kind in ("Conv2D", "MaxPooling2D", "AveragePooling2D"):
            size = cfg["kernel_size"] if kind == "Conv2D" else cfg["pool_size"]
            if size[0] != size[1] or cfg["strides"][0] != cfg["strides"][1] or \
                    tuple(cfg.get("dilation_rate", (1, 1))) != (1, 1):
                raise ValueError(f"layer {layer.name}: only square windows, equal strides and no dilation are "
                                 "supported")
            windows.append((layer.name, "conv" if kind == "Conv2D" else "pool", size[0], cfg["strides"][0]))
    if not windows:
        raise ValueError("the model has no Conv2D or pooling layer before its first Flatten/Dense/global pooling")
    return windows


def impulse_response(layers, size):
    """Brute force: run ``size``² one-pixel images through all-ones conv kernels and max pooling (Keras, 'valid'),
    and return how strongly the centre output answers each lit pixel, as a (size, size) map."""
    import keras

    windows = [_window(spec) for spec in layers]
    size = validate.integer("size", size, 2, 128)
    stack = [keras.Input((size, size, 1))]
    for kind, f, s in windows:
        stack.append(keras.layers.Conv2D(1, f, strides=s, use_bias=False, kernel_initializer="ones")
                     if kind == "conv" else keras.layers.MaxPooling2D(f, strides=s))
    model = keras.Sequential(stack)
    impulses = np.eye(size * size, dtype="float32").reshape(size * size, size, size, 1)  # image k lights pixel k
    out = keras.ops.convert_to_numpy(model(impulses))
    return out[:, out.shape[1] // 2, out.shape[2] // 2, 0].reshape(size, size)


def measured_field(response):
    """Height and width of the box around the pixels the output answers (responses of 0.5 and more; exact counts
    are whole numbers, so rounding in the library cannot blur the edge)."""
    rows, cols = np.nonzero(np.asarray(response) >= 0.5)
    if rows.size == 0:
        raise ValueError("no pixel reaches the output: the response is zero everywhere")
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


def plot_response(response, field=None, ax=None, title=None):
    """The impulse response as a heat map on a log scale, pixels that do not reach the output in gray; ``field``
    draws the formula's square around the pixels that do."""
    response = validate.array(response, "response", (2,))
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 4))
    cmap = plt.get_cmap("magma").with_extremes(bad="lightgray")     # pixels that do not reach it: gray
    reached = np.ma.masked_less(response, 0.5)
    norm = LogNorm(vmin=1, vmax=max(float(response.max()), 2.0))
    shown = ax.imshow(reached, cmap=cmap, norm=norm)
    ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04, label="paths to the output (log scale)")
    if field is not None:
        rows, cols = np.nonzero(response >= 0.5)
        top, left = (rows.min() + rows.max() - field + 1) / 2, (cols.min() + cols.max() - field + 1) / 2
        ax.add_patch(plt.Rectangle((left - 0.5, top - 0.5), field, field, fill=False, edgecolor="tab:cyan", lw=2.5))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def plot_receptive_fields(image, fields, centre=None, size=3.0):
    """One panel per ``(title, field)``: the image with a field×field square centred on ``centre`` (row, col),
    moved inside the image where it would stick out."""
    image = validate.array(image, "image", (2, 3))
    if not fields:
        raise ValueError("fields must be a non-empty list of (title, size) pairs")
    h, w = image.shape[:2]
    cy, cx = (h // 2, w // 2) if centre is None else centre
    fig, axes = plt.subplots(1, len(fields), figsize=(size * len(fields), size + 0.5), squeeze=False)
    for ax, (title, field) in zip(axes[0], fields):
        ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
        fh, fw = min(validate.positive_int("field", field), h), min(field, w)   # no larger than the image
        top = min(max(cy - fh // 2, 0), h - fh)           # centred where it can be, moved inside at the border
        left = min(max(cx - fw // 2, 0), w - fw)
        ax.add_patch(plt.Rectangle((left - 0.5, top - 0.5), fw, fh, fill=False, edgecolor="tab:cyan", lw=2.5))
        ax.set_title(title)
        ax.axis("off")
    fig.tight_layout()
    return fig
