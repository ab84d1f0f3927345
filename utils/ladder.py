"""Figures and helpers for lesson 07's small-data ladder: augmentation previews, results table and bar chart."""

import matplotlib.pyplot as plt
import numpy as np

AUGMENTATIONS = ("flip", "rotation", "zoom", "translation", "contrast", "brightness")


def _check_image(image):
    """Return ``image`` as a uint8-range (H, W, 3) array or raise a clear error."""
    img = np.asarray(image)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"expected one RGB image of shape (height, width, 3), got shape {img.shape}")
    return img


def make_augmentation(kind, strength=0.2, seed=0):
    """One Keras preprocessing layer of the given ``kind`` (see AUGMENTATIONS) and ``strength`` in [0, 1]."""
    from keras import layers

    if kind not in AUGMENTATIONS:
        raise ValueError(f"kind must be one of {AUGMENTATIONS}, got {kind!r}")
    if not isinstance(strength, (int, float)) or isinstance(strength, bool) or not 0 <= strength <= 1:
        raise ValueError(f"strength must be a number between 0 and 1, got {strength!r}")
    if kind == "flip":
        return layers.RandomFlip("horizontal", seed=seed)
    if kind == "rotation":
        return layers.RandomRotation(strength / 2, fill_mode="reflect", seed=seed)  # 0.5 = ±180°
    if kind == "zoom":
        return layers.RandomZoom(strength, fill_mode="reflect", seed=seed)
    if kind == "translation":
        return layers.RandomTranslation(strength / 2, strength / 2, fill_mode="reflect", seed=seed)
    if kind == "contrast":
        return layers.RandomContrast(strength, value_range=(0, 255), seed=seed)
    return layers.RandomBrightness(strength, value_range=(0, 255), seed=seed)


def augmented_versions(image, augment, n=8):
    """``n`` augmented copies of one image, each drawn by calling ``augment`` in training mode; uint8 array."""
    img = _check_image(image)
    if not callable(augment):
        raise TypeError(f"augment must be a Keras layer or model (callable), got {type(augment).__name__}")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    batch = np.repeat(img[None].astype("float32"), n, axis=0)
    out = np.asarray(augment(batch, training=True))
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def augmentation_grid(image, augment, n=11, ncols=6, size=1.7, title="One photo, many augmented versions"):
    """The original image followed by ``n`` augmented versions in a grid; returns the figure."""
    versions = augmented_versions(image, augment, n)
    images = [np.asarray(image).astype(np.uint8)] + list(versions)
    titles = ["original"] + [f"version {i}" for i in range(1, n + 1)]
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.5), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, img, t in zip(axes.flat, images, titles):
        ax.imshow(img)
        ax.set_title(t, fontsize=9, fontweight="bold" if t == "original" else None)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_augmentation(kind="rotation", strength=0.3, image=None, n=5, seed=0):
    """Widget callback: the original and ``n`` versions made by one augmentation layer; returns the figure."""
    if image is None:
        raise ValueError("pass the image to augment, e.g. widgets.fixed(x_small[0])")
    layer = make_augmentation(kind, strength, seed)
    return augmentation_grid(image, layer, n=n, ncols=n + 1, size=1.6,
                             title=f"{kind}, strength {strength:.2f}")


def _check_results(results):
    """Return ``results`` as a list of (name, accuracy) pairs or raise a clear error."""
    if not isinstance(results, dict) or not results:
        raise ValueError("results must be a non-empty dict {rung name: test accuracy between 0 and 1}")
    for name, acc in results.items():
        if not isinstance(acc, (int, float, np.floating)) or isinstance(acc, bool) or not 0 <= acc <= 1:
            raise ValueError(f"accuracy of {name!r} must be a number between 0 and 1, got {acc!r}")
    return [(str(k), float(v)) for k, v in results.items()]


def results_table(results):
    """A plain-text table: each rung, its test accuracy and its gain over the first rung (in points)."""
    rows = _check_results(results)
    width = max(len(name) for name, _ in rows + [("rung", 0)])
    first = rows[0][1]
    lines = [f"{'rung':<{width}}  test accuracy  vs {rows[0][0]}", "-" * (width + 30)]
    for name, acc in rows:
        gain = 100 * (acc - first)
        lines.append(f"{name:<{width}}  {acc:>13.1%}  {gain:+6.1f} points")
    return "\n".join(lines)


def plot_ladder(results, title="The small-data ladder: test accuracy of every rung", chance=0.5):
    """A bar chart of test accuracy per rung, each bar labelled with its value; returns the figure."""
    rows = _check_results(results)
    names, accs = [n for n, _ in rows], np.array([a for _, a in rows])
    colours = plt.cm.viridis(np.linspace(0.15, 0.85, len(rows)))
    fig, ax = plt.subplots(figsize=(1.6 * len(rows) + 2, 4.2))
    bars = ax.bar(range(len(rows)), 100 * accs, color=colours)
    for bar, acc in zip(bars, accs):
        ax.text(bar.get_x() + bar.get_width() / 2, 100 * acc + 1, f"{100 * acc:.0f} %", ha="center", fontsize=11)
    if chance is not None:  # in a legend, so the label never sits on a bar
        ax.axhline(100 * chance, color="gray", ls="--", lw=1, label="coin flip")
        ax.legend(loc="upper left", fontsize=9, frameon=False)
    ax.set_xticks(range(len(rows)), [n.replace(" + ", "\n+ ") for n in names], fontsize=9)
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_validation_curves(histories, title="Validation accuracy while training"):
    """Validation accuracy per epoch for several runs ({name: History or history dict}); returns the figure."""
    if not isinstance(histories, dict) or not histories:
        raise ValueError("histories must be a non-empty dict {run name: History from model.fit}")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for name, history in histories.items():
        h = getattr(history, "history", history)
        if not isinstance(h, dict) or "val_accuracy" not in h:
            raise ValueError(f"the history of {name!r} has no 'val_accuracy': fit with validation_data=...")
        ax.plot(np.arange(1, len(h["val_accuracy"]) + 1), 100 * np.asarray(h["val_accuracy"]), label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def count_trainable(model):
    """Number of trainable parameters (weights the optimizer will change) of a Keras model or layer."""
    if not hasattr(model, "trainable_weights"):
        raise TypeError(f"expected a Keras model or layer, got {type(model).__name__}")
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def accuracy_by_group(y_true, predictions, groups):
    """Accuracy of every rung on every group of test photos: {rung: {group: accuracy}}.

    ``predictions`` maps rung names to predicted labels, ``groups`` maps group names to boolean masks.
    """
    y_true = np.asarray(y_true)
    if not isinstance(predictions, dict) or not predictions or not isinstance(groups, dict) or not groups:
        raise ValueError("predictions and groups must be non-empty dicts: {rung: labels}, {group: boolean mask}")
    masks = {}
    for group, mask in groups.items():
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != y_true.shape or not mask.any():
            raise ValueError(f"group {group!r} must be a boolean mask of shape {y_true.shape} selecting at least one "
                             f"photo, got dtype {mask.dtype}, shape {mask.shape}")
        masks[group] = mask
    table = {}
    for name, labels in predictions.items():
        labels = np.asarray(labels)
        if labels.shape != y_true.shape:
            raise ValueError(f"predictions of {name!r} have shape {labels.shape}, expected {y_true.shape} "
                             "(one predicted label per test photo: use .argmax(axis=1) on probabilities)")
        table[str(name)] = {g: float(np.mean(labels[m] == y_true[m])) for g, m in masks.items()}
    return table


def group_table(table):
    """A plain-text table of ``accuracy_by_group``: one row per rung, one column per group."""
    groups = list(next(iter(table.values())))
    width = max(len(name) for name in list(table) + ["rung"])
    lines = [f"{'rung':<{width}}" + "".join(f"  {g:>16}" for g in groups), "-" * (width + 18 * len(groups))]
    for name, accs in table.items():
        lines.append(f"{name:<{width}}" + "".join(f"  {accs[g]:>16.1%}" for g in groups))
    return "\n".join(lines)


def plot_groups(table, title="Test accuracy of every rung, by kind of photo", chance=0.5):
    """Grouped bar chart of ``accuracy_by_group``: for every rung one bar per group of photos; returns the figure."""
    names, groups = list(table), list(next(iter(table.values())))
    width = 0.8 / len(groups)
    fig, ax = plt.subplots(figsize=(1.7 * len(names) + 2, 4.2))
    for k, group in enumerate(groups):
        xs = np.arange(len(names)) + (k - (len(groups) - 1) / 2) * width
        accs = np.array([table[n][group] for n in names])
        ax.bar(xs, 100 * accs, width * 0.95, label=group, color=plt.cm.Set2(k))
        for x, acc in zip(xs, accs):
            ax.text(x, 100 * acc + 1, f"{100 * acc:.0f}", ha="center", fontsize=9)
    if chance is not None:
        ax.axhline(100 * chance, color="gray", ls="--", lw=1, label="coin flip")
    ax.set_xticks(range(len(names)), [n.replace(" + ", "\n+ ").replace(", ", ",\n") for n in names], fontsize=9)
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 118)
    ax.set_title(title)
    ax.legend(loc="upper center", ncol=len(groups) + 1, fontsize=9, frameon=False)
    fig.tight_layout()
    return fig
