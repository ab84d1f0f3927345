"""How good is a classifier: confusion matrix, per-class precision and recall, training curves, worst mistakes."""

import matplotlib.pyplot as plt
import numpy as np


def _labels(y, name):
    """Check a 1-D array of non-negative int class labels and return it."""
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class numbers, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError(f"{name} must hold class numbers 0, 1, ... (ints), got dtype {y.dtype}; "
                         "turn probabilities into labels with probs.argmax(axis=1)")
    return y


def _pair(y_true, y_pred):
    """Check two label arrays of the same length."""
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has {y_true.size} labels but y_pred has {y_pred.size}: give one prediction per image")
    return y_true, y_pred


def confusion_matrix(y_true, y_pred, n_classes=2):
    """Counts ``cm[i, j]`` of images of true class i predicted as class j."""
    y_true, y_pred = _pair(y_true, y_pred)
    if max(y_true.max(), y_pred.max()) >= n_classes:
        raise ValueError(f"labels go up to {max(y_true.max(), y_pred.max())} but n_classes is {n_classes}")
    cm = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def precision_recall(cm):
    """Per class: precision (of the images called this class, the share that are) and recall (of the
    images of this class, the share found); 0 where nothing was called/present. Returns two arrays."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or (cm < 0).any():
        raise ValueError(f"expected a square confusion matrix of counts, got shape {cm.shape}")
    hits = np.diag(cm).astype("float64")
    called, present = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(hits, called, out=np.zeros_like(hits), where=called > 0)
    recall = np.divide(hits, present, out=np.zeros_like(hits), where=present > 0)
    return precision, recall


def report(cm, class_names):
    """A small text table: class, precision, recall, number of images (rounded to 2 decimals)."""
    cm = np.asarray(cm)
    if len(class_names) != cm.shape[0]:
        raise ValueError(f"got {len(class_names)} class names for a {cm.shape[0]}-class confusion matrix")
    precision, recall = precision_recall(cm)
    width = max(len("class"), *(len(n) for n in class_names))
    lines = [f"{'class':<{width}}  precision  recall  images"]
    for name, p, r, n in zip(class_names, precision, recall, cm.sum(axis=1)):
        lines.append(f"{name:<{width}}  {p:9.2f}  {r:6.2f}  {int(n):6d}")
    lines.append(f"{'accuracy':<{width}}  {np.trace(cm) / max(cm.sum(), 1):9.2f}  {'':6}  {int(cm.sum()):6d}")
    return "\n".join(lines)


def plot_confusion_matrix(cm, class_names, title="Confusion matrix (test images)"):
    """Show the confusion matrix as a labelled grid with the count in each cell."""
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
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y_true)
    order = np.argsort(-probs[wrong, pred[wrong]], kind="stable")
    return wrong[order][:k]


def show_mistakes(images, y_true, probs, class_names, k=8, ncols=4, size=2.0):
    """Show the ``k`` most confident mistakes, each titled with the prediction in words and the truth."""
    idx = most_confident_mistakes(y_true, probs, k)
    if idx.size == 0:
        fig, ax = plt.subplots(figsize=(5, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "No mistakes on these images.", ha="center", va="center")
        return fig
    ncols = min(ncols, idx.size)
    nrows = -(-idx.size // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.45) * nrows + 0.4), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    probs = np.asarray(probs)
    for ax, i in zip(axes.flat, idx):
        p = probs[i]
        ax.imshow(np.asarray(images[i]).astype("uint8"))
        ax.set_title(f"{round(100 * p.max())} % {class_names[p.argmax()]}\n(really {class_names[y_true[i]]})",
                     fontsize=9, color="firebrick")
    fig.suptitle("The most confident mistakes")
    fig.tight_layout()
    return fig
