"""Figures of lesson 09: boxes on a photo, an image pyramid, photos of individuals, a similarity matrix, the
verification threshold on its score histograms and ROC curve (also the view of the lesson's widget), and error
rates per group. Colours are colour-blind safe (Okabe-Ito, viridis)."""

import inspect

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown

from utils import verification
from utils.figure_widget import TEXT_SIZE

BLUE, ORANGE, GREEN, PINK, VERMILION = "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"


def show_source(func):
    """A function's source as a Markdown code block, to show in a lesson the code a helper runs."""
    if not callable(func):
        raise TypeError(f"show_source expects a function, got {type(func).__name__}")
    return Markdown(f"```python\n{inspect.getsource(func).rstrip()}\n```")


def show_boxes(image, box_sets, title=None, size=5.0, ax=None, labelled=3):
    """A photo with sets of boxes: ``box_sets`` maps a legend label to (boxes (N, 4), colour, scores or None);
    the ``labelled`` best-scored boxes of a set show their score."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(size, size))
    else:
        fig = ax.figure
    ax.imshow(image, cmap="gray" if np.ndim(image) == 2 else None)
    ax.axis("off")
    for label, (boxes, colour, scores) in box_sets.items():
        boxes = np.asarray(boxes, float).reshape(-1, 4)
        best = set() if scores is None else set(np.argsort(-np.asarray(scores), kind="stable")[:labelled].tolist())
        for k, (x1, y1, x2, y2) in enumerate(boxes):
            ax.add_patch(plt.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, color=colour, lw=2,
                                       label=label if k == 0 else None))
            if k in best:
                ax.text(x1 + 2, y1 - 3, f"{scores[k]:.1f}", color="white", fontsize=TEXT_SIZE,
                        bbox={"facecolor": colour, "pad": 1, "lw": 0})
    if box_sets:
        ax.legend(loc="lower right", fontsize=TEXT_SIZE, framealpha=0.9)
    if title:
        ax.set_title(title, fontsize=TEXT_SIZE)
    return fig


def show_pyramid(levels, centre, window=25, max_levels=6):
    """The first levels of an image pyramid side by side at their true sizes, with a window drawn around
    ``centre`` (x, y in the photo's pixels): it covers more of the photo in each smaller level."""
    levels = levels[:max_levels]
    widths = [lvl.shape[1] for _, lvl in levels]
    fig, axes = plt.subplots(1, len(levels), figsize=(10, 2.8), gridspec_kw={"width_ratios": widths})
    for ax, (scale, lvl) in zip(np.atleast_1d(axes), levels):
        ax.imshow(lvl, cmap="gray", vmin=0, vmax=255)
        x, y = centre[0] * scale - window / 2, centre[1] * scale - window / 2
        ax.add_patch(plt.Rectangle((x, y), window, window, fill=False, color=ORANGE, lw=1.5))
        ax.set_title(f"{lvl.shape[1]}×{lvl.shape[0]}", fontsize=TEXT_SIZE)
        ax.axis("off")
    fig.suptitle(f"A {window}×{window} window (orange) covers more of the photo in each smaller copy",
                 fontsize=TEXT_SIZE)
    fig.tight_layout()
    return fig


def show_individuals(photos, n_dogs=4, per_dog=6, cell=1.1, title=None):
    """Rows of photos, one row per individual: what changes (pose, light, background) and what stays."""
    dogs = list(dict.fromkeys(photos.ids.tolist()))[:n_dogs]
    fig, axes = plt.subplots(len(dogs), per_dog, figsize=(per_dog * cell, len(dogs) * cell + 0.4), squeeze=False)
    for row, ident in zip(axes, dogs):
        mine = np.flatnonzero(photos.ids == ident)[:per_dog]
        for ax, i in zip(row, mine):
            ax.imshow(photos.x[i])
            ax.set_xticks([])
            ax.set_yticks([])
        for ax in row[len(mine):]:
            ax.axis("off")
        row[0].set_ylabel(f"dog {ident}", fontsize=TEXT_SIZE)
    if title:
        fig.suptitle(title, fontsize=TEXT_SIZE)
    fig.tight_layout()
    return fig


def show_similarity(embeddings, ids, title="Cosine similarity of every pair of photos"):
    """The similarity matrix of embeddings sorted by individual (thin lines between individuals): bright
    blocks on the diagonal mean that photos of one individual point the same way."""
    ids = np.asarray(ids)
    order = np.argsort(ids, kind="stable")
    sim = verification.cosine_similarity(np.asarray(embeddings)[order], np.asarray(embeddings)[order])
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    im = ax.imshow(sim, cmap="viridis", vmin=-1, vmax=1)
    for edge in np.flatnonzero(np.diff(ids[order])) + 0.5:
        ax.axhline(edge, color="white", lw=0.4)
        ax.axvline(edge, color="white", lw=0.4)
    ax.set_xlabel("photo (sorted by individual)")
    ax.set_ylabel("photo")
    ax.set_title(title, fontsize=TEXT_SIZE)
    fig.colorbar(im, ax=ax, shrink=0.8, label="cosine similarity")
    fig.tight_layout()
    return fig


def threshold_view(scores, same, threshold):
    """Left: genuine and impostor scores with the threshold; right: the ROC curve and the point it picks."""
    far, frr = verification.error_rates(scores, same, threshold)
    roc_far, roc_tar, _ = verification.roc_curve(scores, same)
    eer, eer_threshold = verification.equal_error_rate(scores, same)
    scores, same = np.asarray(scores), np.asarray(same)
    bins = np.linspace(-1, 1, 81)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.1))
    for mask, colour, label in ((same, GREEN, "same dog (genuine)"), (~same, PINK, "different dogs (impostor)")):
        counts, _ = np.histogram(scores[mask], bins)
        left.stairs(counts / counts.sum(), bins, color=colour, lw=1.5, label=label, fill=True, alpha=0.35)
    left.axvline(threshold, color="black", lw=1.5)
    left.set_xlabel("cosine similarity of a pair")
    left.set_ylabel("share of pairs")
    left.set_title(f"threshold {threshold:.2f}: accept pairs to the right", fontsize=TEXT_SIZE)
    left.legend(fontsize=TEXT_SIZE, loc="upper left")
    smallest = 1 / max(1, int((~np.asarray(same)).sum()))  # one impostor let in
    every = max(1, len(roc_far) // 500)  # a few hundred points draw the same curve, faster
    right.plot(np.maximum(roc_far[::every], smallest), roc_tar[::every], color=BLUE, lw=1.5)
    right.plot(max(far, smallest), 1 - frr, "o", color=VERMILION, ms=8, label=f"FAR {far:.1%}, FRR {frr:.1%}")
    right.plot(eer, 1 - eer, "s", color="black", ms=5, label=f"EER {eer:.1%} (threshold {eer_threshold:.2f})")
    right.set_xscale("log")
    right.set_xlim(smallest, 1)
    right.set_ylim(0, 1.02)
    right.set_xlabel("false accept rate (impostors let in)")
    right.set_ylabel("true accept rate")
    right.set_title("ROC curve", fontsize=TEXT_SIZE)
    right.legend(fontsize=TEXT_SIZE, loc="lower right")
    fig.tight_layout()
    return fig


def show_group_rates(tables, title="Error rates per group at one threshold"):
    """Bars of false accept and false reject rates: ``tables`` maps a heading to a ``group_rates`` table."""
    fig, axes = plt.subplots(1, len(tables), figsize=(4.5 * len(tables), 3.2), squeeze=False)
    for ax, (heading, table) in zip(axes[0], tables.items()):
        groups = list(table)
        x = np.arange(len(groups))
        far = [table[g]["far"] * 100 for g in groups]
        frr = [table[g]["frr"] * 100 for g in groups]
        ax.bar(x - 0.2, far, 0.4, color=PINK, label="false accepts")
        ax.bar(x + 0.2, frr, 0.4, color=ORANGE, label="false rejects")
        for xi, (a, r) in enumerate(zip(far, frr)):
            ax.text(xi - 0.2, a, f"{a:.0f}", ha="center", va="bottom", fontsize=TEXT_SIZE)
            ax.text(xi + 0.2, r, f"{r:.0f}", ha="center", va="bottom", fontsize=TEXT_SIZE)
        ax.set_xticks(x, groups, fontsize=TEXT_SIZE)
        ax.set_ylabel("% of pairs")
        ax.set_title(heading, fontsize=TEXT_SIZE)
        ax.set_ylim(0, max(far + frr + [1]) * 1.2)
        ax.legend(fontsize=TEXT_SIZE)
    fig.suptitle(title, fontsize=TEXT_SIZE)
    fig.tight_layout()
    return fig
