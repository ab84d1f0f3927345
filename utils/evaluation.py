"""How good is a classifier: the confusion matrix drawn, training curves, worst mistakes, and several models compared
(results tables and bar charts, overall and by group of photos).

The counts and scores themselves come from scikit-learn, as lesson 06 shows: ``sklearn.metrics.confusion_matrix``
and ``classification_report`` (precision, recall, F1)."""

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import numpy as np

from utils import validate
from utils.plots import image_grid


def _labels(y, name):
    """Check a 1-D array of non-negative int class labels and return it."""
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class numbers, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError(f"{name} must hold class numbers 0, 1, ... (ints), got dtype {y.dtype}; "
                         "turn probabilities into labels with probs.argmax(axis=1)")
    return y


def plot_confusion_matrix(cm, class_names, title="Confusion matrix (test images)"):
    """Show a confusion matrix (``sklearn.metrics.confusion_matrix``: row = truth, column = prediction) as a labelled
    grid with the count in each cell."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape != (len(class_names), len(class_names)):
        raise ValueError(f"expected a {len(class_names)}×{len(class_names)} matrix for classes {list(class_names)}, "
                         f"got shape {cm.shape}")
    fig, ax = plt.subplots(figsize=(1.6 * len(class_names) + 2, 1.4 * len(class_names) + 1.2))
    ax.imshow(cm, cmap="Blues")
    for (i, j), n in np.ndenumerate(cm):
        ax.text(j, i, str(n), ha="center", va="center", fontsize=14,
                color="white" if n > cm.max() / 2 else "black")
    ticks = range(len(class_names))
    ax.set_xticks(ticks, [f"called\n{n}" for n in class_names])
    ax.set_yticks(ticks, [f"really\n{n}" for n in class_names])
    ax.set_xlabel("prediction")
    ax.set_ylabel("truth")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_history(history, title="Training curves"):
    """Loss and accuracy per epoch, training vs validation, from ``model.fit(...)`` (a History or its dict)."""
    h = getattr(history, "history", history)
    if not isinstance(h, dict) or "loss" not in h:
        raise ValueError("expected the History that model.fit returns (or its .history dict with a 'loss' key)")
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, metric in zip(axes, ("loss", "accuracy")):
        epochs = np.arange(1, len(h.get(metric, [])) + 1)
        if metric in h:
            ax.plot(epochs, h[metric], "o-", ms=3, label="training")
        if f"val_{metric}" in h:
            ax.plot(epochs, h[f"val_{metric}"], "s-", ms=3, label="validation")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs only
        ax.set_ylabel(metric)
        ax.set_title(metric)
        ax.grid(alpha=0.3)
        if ax.has_data():
            ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def most_confident_mistakes(y_true, probs, k=8):
    """Indices of up to ``k`` misclassified images, the most confident (highest predicted probability) first."""
    probs = np.asarray(probs, dtype="float64")
    y_true = _labels(y_true, "y_true")
    if probs.ndim != 2 or probs.shape[0] != y_true.size:
        raise ValueError(f"probs must have shape (n_images, n_classes) with n_images = {y_true.size}, "
                         f"got {probs.shape}")
    k = validate.positive_int("k", k)
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y_true)
    order = np.argsort(-probs[wrong, pred[wrong]], kind="stable")
    return wrong[order][:k]


def show_mistakes(images, y_true, probs, class_names, k=8, ncols=4, size=2.0):
    """Show the ``k`` most confident mistakes, each titled with the prediction in words and the truth."""
    idx = most_confident_mistakes(y_true, probs, k)
    n_classes = np.asarray(probs).shape[1]
    if len(class_names) < n_classes:
        raise ValueError(f"got {len(class_names)} class names for {n_classes} classes of probabilities: "
                         "give one name per class, e.g. the class_names the folder loader returned")
    if idx.size == 0:
        fig, ax = plt.subplots(figsize=(5, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "No mistakes on these images.", ha="center", va="center")
        return fig
    fig, axes = image_grid(idx.size, min(ncols, idx.size), size, extra_height=0.4, title_height=0.45)
    probs = np.asarray(probs)
    for ax, i in zip(axes, idx):
        p = probs[i]
        ax.imshow(np.asarray(images[i]).astype("uint8"))
        ax.set_title(f"{round(100 * p.max())} % {class_names[p.argmax()]}\n(really {class_names[y_true[i]]})",
                     fontsize=11, color="firebrick")
    fig.suptitle("The most confident mistakes")
    fig.tight_layout()
    return fig


def _check_results(results):
    """Return ``results`` as a list of (name, accuracy) pairs or raise a clear error."""
    if not isinstance(results, dict) or not results:
        raise ValueError("results must be a non-empty dict {rung name: test accuracy between 0 and 1}")
    for name, acc in results.items():
        validate.number(f"accuracy of {name!r}", acc, 0, 1)
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
    if chance is not None:  # in a legend above the bars, so the label never sits on a bar
        ax.axhline(100 * chance, color="gray", ls="--", lw=1, label="coin flip")
        ax.legend(loc="upper right", fontsize=11, frameon=False)
    ax.set_xticks(range(len(rows)), [n.replace(" + ", "\n+ ").replace(", ", ",\n") for n in names], fontsize=11)
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 122)
    ax.set_yticks(range(0, 101, 20))
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
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("validation accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


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


def _check_groups(table):
    """The group names of an ``accuracy_by_group`` table, or a clear error if it is not one."""
    if not isinstance(table, dict) or not table or not all(isinstance(v, dict) and v for v in table.values()):
        raise ValueError("expected the non-empty table that accuracy_by_group returns: {rung: {group: accuracy}}")
    groups = list(next(iter(table.values())))
    for name, accs in table.items():
        if list(accs) != groups:
            raise ValueError(f"rung {name!r} has groups {list(accs)}, the first rung {groups}: every rung needs the same")
    return groups


def group_table(table):
    """A plain-text table of ``accuracy_by_group``: one row per rung, one column per group."""
    groups = _check_groups(table)
    width = max(len(name) for name in list(table) + ["rung"])
    lines = [f"{'rung':<{width}}" + "".join(f"  {g:>16}" for g in groups), "-" * (width + 18 * len(groups))]
    for name, accs in table.items():
        lines.append(f"{name:<{width}}" + "".join(f"  {accs[g]:>16.1%}" for g in groups))
    return "\n".join(lines)


def plot_groups(table, title="Test accuracy of every rung, by kind of photo", chance=0.5):
    """Grouped bar chart of ``accuracy_by_group``: for every rung one bar per group of photos; returns the figure."""
    names, groups = list(table), _check_groups(table)
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
