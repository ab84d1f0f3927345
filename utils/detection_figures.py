"""Figures and widgets for lesson 08: boxes on pictures, IoU, the detection grid, thresholds and PR curves.

Colours follow the Okabe-Ito palette (safe for colour-blind readers); right and wrong detections also differ in
line style, not only in colour.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from utils import detection
from utils.figure_widget import animate, live_figure
from utils.plots import show_images

CLASS_COLOURS = ("#0072B2", "#E69F00")  # chihuahua blue, muffin orange
HIT, FALSE, MISSED = "#009E73", "#D55E00", "#CC79A7"


def draw_boxes(ax, boxes, classes=None, scores=None, class_names=None, colour=None, style="-", width=2.0,
               label=True):
    """Draw boxes (N, 4) on ``ax``: coloured by class unless ``colour`` is given, with name and score above."""
    boxes = detection.check_boxes(boxes)
    _show_boxes(ax, _box_artists(ax, len(boxes)), boxes, classes, scores, class_names, colour, style, width, label)


def _box_artists(ax, n):
    """``n`` hidden rectangles and ``n`` hidden labels on ``ax``, for ``_show_boxes`` to place."""
    rects = [ax.add_patch(Rectangle((0, 0), 0, 0, fill=False, visible=False)) for _ in range(n)]
    labels = [ax.text(0, 0, "", color="white", fontsize=8, clip_on=True, visible=False,
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85}) for _ in range(n)]
    return rects, labels


def _show_boxes(ax, artists, boxes, classes=None, scores=None, class_names=None, colour=None, style="-", width=2.0,
                label=True):
    """Show checked ``boxes`` with the first of ``artists`` (rectangles, labels) of ``_box_artists``; hide the rest."""
    rects, labels = artists
    top, bottom = sorted(ax.get_ylim())
    for i, (rect, text) in enumerate(zip(rects, labels)):
        rect.set_visible(i < len(boxes))
        text.set_visible(False)
        if i >= len(boxes):
            continue
        x1, y1, x2, y2 = boxes[i]
        cls = None if classes is None else int(classes[i])
        c = colour or (CLASS_COLOURS[cls % len(CLASS_COLOURS)] if cls is not None else "white")
        # pixel i covers [i - 0.5, i + 0.5] in imshow's coordinates, so a box edge at x sits at x - 0.5
        rect.set_bounds(x1 - 0.5, y1 - 0.5, x2 - x1, y2 - y1)
        rect.set(edgecolor=c, linewidth=width, linestyle=style)
        parts = [] if cls is None or class_names is None else [class_names[cls]]
        if scores is not None:
            parts.append(f"{scores[i]:.0%}")
        if label and parts:  # above the box, or just inside it when the box touches the top of the picture
            inside = y1 - 0.5 - top < 0.08 * (bottom - top)
            text.set(position=(x1 - 0.5, y1 - 0.5 if inside else y1 - 1.5), text=" ".join(parts),
                     va="top" if inside else "bottom", visible=True)
            text.get_bbox_patch().set_facecolor(c)


def _picture(ax, image, title=None):
    ax.imshow(np.asarray(image))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)


def show_scenes(images, targets, class_names, predictions=None, ncols=4, size=2.2, titles=None, suptitle=None):
    """Pictures in a grid with their true boxes (and, given ``predictions``, the predicted boxes dashed).

    A target without "classes" gets white boxes without labels."""
    if len(images) != len(targets) or (predictions is not None and len(predictions) != len(images)):
        raise ValueError("give one target (and one prediction) per picture")
    fig = show_images(list(images), titles, ncols=min(ncols, len(images)), size=size, suptitle=suptitle)
    for k, ax in enumerate(fig.axes[:len(images)]):
        draw_boxes(ax, targets[k]["boxes"], targets[k].get("classes"), class_names=class_names,
                   label=predictions is None)
        if predictions is not None:
            p = predictions[k]
            draw_boxes(ax, p["boxes"], p.get("classes"), p.get("scores"), class_names, colour="white", style="--",
                       width=1.5)
    return fig


def three_tasks(image, target, class_names):
    """One picture, three tasks: one label (of the largest object), one box (around it), every box."""
    boxes, classes = detection.check_boxes(target["boxes"]), np.asarray(target["classes"])
    big = int(np.argmax(detection.box_area(boxes)))
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.8))
    _picture(axes[0], image, f"classification\nwhat? “{class_names[classes[big]]}” (and how sure)")
    _picture(axes[1], image, "classification + localization\nwhat, and where (one box)")
    draw_boxes(axes[1], boxes[big:big + 1], classes[big:big + 1], class_names=class_names)
    _picture(axes[2], image, f"object detection\nevery object: {len(boxes)} boxes")
    draw_boxes(axes[2], boxes, classes, class_names=class_names)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------------------
# IoU
# ----------------------------------------------------------------------------------------------------------
def plot_iou(box_a, box_b, size=64, ax=None):
    """Two boxes on an empty picture, their intersection filled, with the IoU worked out in the title."""
    a, b = detection.check_boxes([box_a, box_b], size)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(4, 4.2))
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    ax.set_aspect("equal")
    ax.set_facecolor("#f4f4f4")
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(w, 0) * max(h, 0)
    if inter > 0:
        ax.add_patch(Rectangle((max(a[0], b[0]), max(a[1], b[1])), w, h, color=HIT, alpha=0.55, linewidth=0))
    for box, colour, name, corner in ((a, CLASS_COLOURS[0], "A", "top"), (b, CLASS_COLOURS[1], "B", "bottom")):
        ax.add_patch(Rectangle(box[:2], box[2] - box[0], box[3] - box[1], fill=False, edgecolor=colour, linewidth=2.5))
        x, y = (box[0] + 1, box[1] + 1) if corner == "top" else (box[2] - 1, box[3] - 1)
        ax.text(x, y, name, color=colour, fontsize=12, fontweight="bold", va=corner,
                ha="left" if corner == "top" else "right")
    union = detection.box_area([a, b]).sum() - inter
    value = detection.iou(a, b)
    ax.set_title(f"IoU = {inter:.0f} / {union:.0f} = {value:.2f}", fontsize=11)
    ax.tick_params(labelsize=8)
    return ax.figure if own else ax


def iou_examples(size=64):
    """A row of box pairs from 'apart' to 'identical', each with its IoU."""
    pairs = [([6, 6, 30, 30], [34, 34, 58, 58]), ([8, 8, 36, 36], [36, 16, 60, 44]), ([8, 8, 40, 40], [20, 20, 52, 52]),
             ([10, 10, 50, 50], [14, 14, 54, 50]), ([12, 12, 52, 52], [12, 12, 52, 52])]
    fig, axes = plt.subplots(1, len(pairs), figsize=(2.3 * len(pairs), 2.7))
    for ax, (a, b) in zip(axes, pairs):
        plot_iou(a, b, size, ax=ax)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def iou_explorer(size=64):
    """Widget: box A stays, box B moves and grows with four sliders; the IoU is redrawn at once."""
    a = [16, 16, 40, 44]

    def view(x, y, w, h):
        return plot_iou(a, [x, y, min(x + w, size), min(y + h, size)], size)

    controls = {k: widgets.IntSlider(v, 0 if k in "xy" else 1, size, description=f"B {k}", continuous_update=True)
                for k, v in (("x", 28), ("y", 24), ("w", 24), ("h", 28))}
    return live_figure(view, controls)


# ----------------------------------------------------------------------------------------------------------
# the grid
# ----------------------------------------------------------------------------------------------------------
def plot_grid(image, target, grid, class_names, objectness=None):
    """The picture with the S×S grid, each object's centre and the cell responsible for it; with
    ``objectness`` (S, S) a second panel shows the network's "object here?" map."""
    size = np.asarray(image).shape[0]
    boxes, classes = detection.check_boxes(target["boxes"], size), np.asarray(target["classes"])
    rows, cols = detection.assign_cells(boxes, grid, size)
    fig, axes = plt.subplots(1, 1 if objectness is None else 2, figsize=(4.2 if objectness is None else 8.4, 4.2),
                             squeeze=False)
    ax = axes[0, 0]
    _picture(ax, image, f"{grid}×{grid} grid: the cell with the centre answers")
    cell = size / grid
    for k in range(1, grid):
        ax.axhline(k * cell - 0.5, color="white", linewidth=0.8)
        ax.axvline(k * cell - 0.5, color="white", linewidth=0.8)
    draw_boxes(ax, boxes, classes, class_names=class_names, label=False)
    for (x1, y1, x2, y2), r, c, k in zip(boxes, rows, cols, classes):
        ax.add_patch(Rectangle((c * cell - 0.5, r * cell - 0.5), cell, cell, color=CLASS_COLOURS[k], alpha=0.35))
        ax.plot((x1 + x2) / 2 - 0.5, (y1 + y2) / 2 - 0.5, "o", color="white", markeredgecolor="black", markersize=6)
    if objectness is not None:
        im = axes[0, 1].imshow(np.asarray(objectness).reshape(grid, grid), cmap="viridis", vmin=0, vmax=1)
        axes[0, 1].set_title("predicted objectness per cell", fontsize=10)
        axes[0, 1].set_xticks(range(grid))
        axes[0, 1].set_yticks(range(grid))
        fig.colorbar(im, ax=axes[0, 1], fraction=0.046)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------------------
# thresholds, NMS and results
# ----------------------------------------------------------------------------------------------------------
def filter_detections(raw, score_threshold, iou_threshold):
    """Keep the raw detections scoring at least ``score_threshold``, then NMS per class at ``iou_threshold``."""
    keep = np.flatnonzero(raw["scores"] >= score_threshold)
    kept = detection.nms_per_class(raw["boxes"][keep], raw["scores"][keep], raw["classes"][keep], iou_threshold)
    return {k: v[keep[kept]] for k, v in raw.items()}


def _thresholds_view(images, raws, class_names, live=False):
    """``view(picture, score, overlap)``: the figure of ``plot_thresholds``, built once and updated in place (its
    changing artists marked for ``live_figure`` when ``live``)."""
    if len(images) != len(raws) or not len(images):
        raise ValueError("give one raw detection dict per picture (and at least one picture)")
    if len({np.shape(image) for image in images}) != 1:
        raise ValueError("all pictures must have the same shape, e.g. the test scenes' array")
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.3))
    shown = [ax.imshow(np.asarray(images[0])) for ax in axes]
    titles = [ax.set_title(" ", fontsize=10) for ax in axes]
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    artists = [_box_artists(ax, max(len(r["boxes"]) for r in raws)) for ax in axes]
    fig.tight_layout()
    if live:
        animate(*shown, *titles, *(a for rects, labels in artists for a in rects + labels))

    def view(picture, score, overlap):
        before, after = filter_detections(raws[picture], score, 1.0), filter_detections(raws[picture], score, overlap)
        for picture_artist in shown:
            picture_artist.set_data(np.asarray(images[picture]))
        titles[0].set_text(f"score ≥ {score:.2f}: {len(before['boxes'])} boxes")
        titles[1].set_text(f"after NMS (IoU > {overlap:.2f} removed): {len(after['boxes'])}")
        _show_boxes(axes[0], artists[0], before["boxes"], before["classes"], width=1.2, label=False)
        _show_boxes(axes[1], artists[1], after["boxes"], after["classes"], after["scores"], class_names)
        return fig

    return view


def plot_thresholds(image, raw, class_names, score_threshold=0.3, iou_threshold=0.5):
    """Left: every raw box scoring at least ``score_threshold``; right: what NMS at ``iou_threshold`` keeps."""
    return _thresholds_view([image], [raw], class_names)(0, score_threshold, iou_threshold)


def threshold_explorer(images, raws, class_names):
    """Widget: pick a test picture and move the score and NMS thresholds; the detections are redrawn."""
    view = _thresholds_view(images, raws, class_names, live=True)
    style = {"description_width": "initial"}
    controls = {"picture": widgets.IntSlider(0, 0, len(images) - 1, description="picture"),
                "score": widgets.FloatSlider(0.3, min=0.0, max=0.95, step=0.05, description="score threshold",
                                             style=style),
                "overlap": widgets.FloatSlider(0.5, min=0.05, max=1.0, step=0.05, description="NMS IoU threshold",
                                               style=style)}
    return live_figure(view, controls)


def _judge(det, truth, iou_threshold):
    """Which detections are hits and which true boxes were found, class by class, as mAP counts them."""
    hit, found = np.zeros(len(det["boxes"]), bool), np.zeros(len(truth["boxes"]), bool)
    for c in np.unique(np.concatenate([det["classes"], truth["classes"]])).astype(int):
        mine, theirs = np.flatnonzero(det["classes"] == c), np.flatnonzero(truth["classes"] == c)
        match = detection.match_detections(det["boxes"][mine], det["scores"][mine], truth["boxes"][theirs],
                                           iou_threshold)
        hit[mine] = match >= 0
        found[theirs[match[match >= 0]]] = True
    return hit, found


def show_results(images, detections, targets, class_names, iou_threshold=0.5, ncols=4, size=2.4):
    """Detections judged like mAP does: hits solid green, false alarms dotted red, missed objects dashed pink."""
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.5), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(images):
            continue
        d, t = detections[k], targets[k]
        hit, found = _judge(d, t, iou_threshold)
        _picture(ax, images[k], f"{hit.sum()} hit · {(~hit).sum()} false · {(~found).sum()} missed")
        draw_boxes(ax, t["boxes"][~found], colour=MISSED, style="--", label=False)
        draw_boxes(ax, d["boxes"][hit], d["classes"][hit], d["scores"][hit], class_names, colour=HIT)
        draw_boxes(ax, d["boxes"][~hit], d["classes"][~hit], d["scores"][~hit], class_names, colour=FALSE,
                   style=":")
    fig.suptitle("green: hit (IoU ≥ 0.5, right class) · red dotted: false alarm · pink dashed: missed",
                 fontsize=10)
    fig.tight_layout()
    return fig


def plot_pr_curves(curves, class_names, title="Precision–recall on the test scenes"):
    """One precision-recall curve per class; ``curves`` is a list of (precision, recall, AP)."""
    fig, ax = plt.subplots(figsize=(5.2, 4.2))
    for (precision, recall, ap), name, colour, style in zip(curves, class_names, CLASS_COLOURS, ("-", "--")):
        ax.plot(np.concatenate([[0], recall]), np.concatenate([[1], precision]), style, color=colour, linewidth=2,
                label=f"{name}: AP {ap:.2f}", drawstyle="steps-post")
    ax.set_xlim(0, 1.01)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall (share of the objects found)")
    ax.set_ylabel("precision (share of boxes that are right)")
    ax.set_title(title, fontsize=11)
    ax.legend(loc="lower left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
