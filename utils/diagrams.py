"""Drawn architecture diagrams: a Keras model as a row of boxes, one per layer, with output shapes and weights.

Lesson 06 draws its CNN with ``plot_architecture(cnn)``; the diagram is read from the model object, so it always
shows the model that was built.
"""

import math

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

# Okabe-Ito colours (safe for colour-blind eyes), one per kind of layer
KINDS = {"input": "#BBBBBB", "conv": "#56B4E9", "pool": "#E69F00", "dense": "#009E73", "other": "#CC79A7"}
LEGEND = {"input": "input", "conv": "convolution", "pool": "pooling", "dense": "dense", "other": "other"}


def _sequential(model):
    """Check that ``model`` is a built keras.Sequential and return it."""
    import keras

    if not isinstance(model, keras.Sequential):
        raise TypeError(f"plot_architecture draws a keras.Sequential model (a chain of layers), got "
                        f"{type(model).__name__}")
    if not model.built:
        raise ValueError("the model is not built yet: start it with keras.Input(shape=...) so every shape is known")
    return model


def kind(layer):
    """'conv', 'pool', 'dense' or 'other': which colour a layer gets."""
    name = type(layer).__name__
    if "Conv" in name:
        return "conv"
    if "Pool" in name or name == "Flatten":
        return "pool"
    return "dense" if name == "Dense" else "other"


def detail(layer):
    """What a layer does in a few characters: '3×3 relu' for a Conv2D, '2×2 max' for pooling, 'softmax' for Dense."""
    name, config = type(layer).__name__, layer.get_config()
    activation = config.get("activation", "")
    if "Conv" in name:
        return " ".join(filter(None, ["×".join(map(str, config["kernel_size"])), activation]))
    how = "max" if "Max" in name else "avg" if "Average" in name else ""
    if name.startswith("Global"):
        return f"global {how}"
    if "Pool" in name:
        return "×".join(map(str, config["pool_size"])) + f" {how}"
    if name == "Dense":
        return activation
    return name.lower()


def shape_text(shape):
    """An output shape without the batch axis, e.g. '64×64×16' for (None, 64, 64, 16)."""
    return "×".join(str(s) for s in tuple(shape)[1:])


def layer_rows(model):
    """One row per box, the input first: ``(name, kind, detail, output shape without the batch axis, weights)``."""
    model = _sequential(model)
    rows = [("input", "input", "photo", tuple(model.input_shape)[1:], 0)]
    for layer in model.layers:
        rows.append((layer.name, kind(layer), detail(layer), tuple(layer.output.shape)[1:], layer.count_params()))
    return rows


def _box_size(shape, biggest_side, most_channels):
    """Box (width, height): height grows with the map's side, width with log2 of its channels; vectors are bars."""
    if len(shape) == 3:
        height = 0.3 + 0.7 * shape[0] / biggest_side
        width = 0.18 + 0.42 * math.log2(max(shape[2], 1) + 1) / math.log2(most_channels + 1)
        return width, height
    return 0.14, 0.2 + 0.6 * min(1.0, shape[-1] / 128)


def plot_architecture(model, title=None, fontsize=11):
    """Draw ``model`` (a built keras.Sequential) left to right: a box per layer, sized by its output (height: the
    map's side, width: its channels), labelled with its name, output shape and number of weights."""
    rows = layer_rows(model)
    maps = [shape for *_, shape, _ in rows if len(shape) == 3]
    biggest_side = max([s[0] for s in maps] or [1])
    most_channels = max([s[2] for s in maps] or [1])
    step = 1.0
    fig, ax = plt.subplots(figsize=(1.2 * len(rows) + 1.0, 4.2))
    for i, (name, what, does, shape, weights) in enumerate(rows):
        width, height = _box_size(shape, biggest_side, most_channels)
        x = i * step
        ax.add_patch(Rectangle((x - width / 2, -height / 2), width, height, facecolor=KINDS[what],
                               edgecolor="0.2", lw=1))
        ax.text(x, 0.8, name, ha="center", va="bottom", fontsize=fontsize, fontweight="bold")
        ax.text(x, 0.58, does, ha="center", va="bottom", fontsize=fontsize, color="0.3")
        ax.text(x, -0.62, shape_text((None, *shape)), ha="center", va="top", fontsize=fontsize)
        ax.text(x, -0.86, f"{weights:,}", ha="center", va="top", fontsize=fontsize,
                color="black" if weights else "0.45")
        if i:
            previous = _box_size(rows[i - 1][3], biggest_side, most_channels)[0]
            ax.add_patch(FancyArrowPatch(((i - 1) * step + previous / 2 + 0.02, 0), (x - width / 2 - 0.02, 0),
                                         arrowstyle="-|>", mutation_scale=10, color="0.3", lw=1))
    ax.text(-0.6, -0.62, "output", ha="right", va="top", fontsize=fontsize, color="0.3")
    ax.text(-0.6, -0.86, "weights", ha="right", va="top", fontsize=fontsize, color="0.3")
    ax.set_xlim(-1.45, (len(rows) - 1) * step + 0.55)
    ax.set_ylim(-1.15, 1.02)
    ax.axis("off")
    kinds = [k for k in KINDS if any(row[1] == k for row in rows)]
    ax.legend(handles=[Patch(facecolor=KINDS[k], edgecolor="0.2", label=LEGEND[k]) for k in kinds],
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(kinds), frameon=False, fontsize=fontsize)
    total = sum(row[-1] for row in rows)
    ax.set_title(title or f"{model.name}: {len(rows) - 1} layers, {total:,} weights", fontsize=fontsize + 2)
    fig.tight_layout()
    return fig
