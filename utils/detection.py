"""The maths of object detection, from scratch: boxes, IoU, non-maximum suppression, the grid of a one-stage
("simplified YOLO") detector, and precision-recall / average precision.

Boxes are corners ``(x1, y1, x2, y2)`` in pixels, with ``x1 <= x2`` and ``y1 <= y2``; a box's area is
``(x2 - x1) * (y2 - y1)``. Detections of one image are a dict ``{"boxes": (N, 4), "scores": (N,), "classes": (N,)}``,
its ground truth ``{"boxes": (M, 4), "classes": (M,)}``.
"""

import numpy as np


# ----------------------------------------------------------------------------------------------------------
# boxes and IoU
# ----------------------------------------------------------------------------------------------------------
def image_shape(image_size):
    """``(height, width)`` from an int (a square image) or a pair; raises a clear error otherwise."""
    if isinstance(image_size, (int, np.integer)) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    try:
        height, width = (float(v) for v in image_size)
    except (TypeError, ValueError):
        raise TypeError(f"image_size must be an int or (height, width), got {image_size!r}") from None
    if not (height > 0 and width > 0 and np.isfinite(height) and np.isfinite(width)):
        raise ValueError(f"image_size must be positive, got {image_size!r}")
    return height, width


def check_boxes(boxes, image_size=None, name="boxes"):
    """Return ``boxes`` as a float array (N, 4) of corners; raise a clear error for a wrong shape, NaN or
    infinity, x2 < x1 or y2 < y1, or (given ``image_size``) a box reaching outside the image."""
    try:
        arr = np.asarray(boxes, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers, an array of shape (N, 4), got {type(boxes).__name__}") from None
    if arr.size == 0 and arr.ndim <= 2 and (arr.ndim < 2 or arr.shape[1] in (0, 4)):
        return np.zeros((0, 4))
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(f"{name} must have shape (N, 4), one row (x1, y1, x2, y2) per box, got shape {arr.shape}"
                         + ("; for one box write [[x1, y1, x2, y2]]" if arr.shape == (4,) else ""))
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{i}] = {arr[i].tolist()} holds NaN or infinity: every corner must be a number")
    for lo, hi, axis in ((0, 2, "x"), (1, 3, "y")):
        flipped = arr[:, hi] < arr[:, lo]
        if flipped.any():
            i = int(np.argmax(flipped))
            raise ValueError(f"{name}[{i}] = {arr[i].tolist()} has {axis}2 < {axis}1: boxes are corners "
                             f"(x1, y1, x2, y2) with x1 <= x2 and y1 <= y2, not (x, y, width, height)")
    if image_size is not None:
        height, width = image_shape(image_size)
        outside = (arr[:, :2] < 0).any(axis=1) | (arr[:, 2] > width) | (arr[:, 3] > height)
        if outside.any():
            i = int(np.argmax(outside))
            raise ValueError(f"{name}[{i}] = {arr[i].tolist()} reaches outside the {width:g}×{height:g} image "
                             f"(x from 0 to {width:g}, y from 0 to {height:g}): clip it or fix the annotation")
    return arr


def _check_box(box, name):
    """One box (4 numbers) as a float array (4,)."""
    arr = np.asarray(box, dtype=np.float64) if not isinstance(box, str) else None
    if arr is None or arr.shape != (4,):
        raise ValueError(f"{name} must be one box (x1, y1, x2, y2), got {box!r}")
    return check_boxes(arr[None], name=name)[0]


def box_area(boxes):
    """Area of each box of an array (N, 4)."""
    b = check_boxes(boxes)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def iou_matrix(boxes_a, boxes_b):
    """IoU of every box of ``boxes_a`` (N, 4) with every box of ``boxes_b`` (M, 4): an array (N, M).

    Boxes that only touch, or that have no area, overlap by 0.
    """
    a, b = check_boxes(boxes_a, name="boxes_a"), check_boxes(boxes_b, name="boxes_b")
    width = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    height = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(width, 0, None) * np.clip(height, 0, None)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def iou(box_a, box_b):
    """Intersection over union of two boxes (x1, y1, x2, y2): a float from 0 (apart) to 1 (identical)."""
    a, b = _check_box(box_a, "box_a"), _check_box(box_b, "box_b")
    return float(iou_matrix(a[None], b[None])[0, 0])


def clip_boxes(boxes, image_size):
    """Boxes (N, 4) cut to the image, so predictions that reach past its border become valid boxes."""
    height, width = image_shape(image_size)
    b = check_boxes(boxes).copy()
    b[:, [0, 2]] = b[:, [0, 2]].clip(0, width)
    b[:, [1, 3]] = b[:, [1, 3]].clip(0, height)
    return b


def xywh_to_corners(boxes):
    """Boxes (N, 4) as (x, y, width, height), the COCO and OpenCV way, to corners (x1, y1, x2, y2)."""
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    return np.column_stack([b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]])


# ----------------------------------------------------------------------------------------------------------
# non-maximum suppression
# ----------------------------------------------------------------------------------------------------------
def _check_scores(scores, n, name="scores"):
    s = np.asarray(scores, dtype=np.float64)
    if s.shape != (n,):
        raise ValueError(f"{name} must hold one number per box: shape ({n},), got {s.shape}")
    if not np.isfinite(s).all():
        raise ValueError(f"{name} holds NaN or infinity")
    return s


def _check_threshold(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number from 0 to 1, got {value!r}")
    return float(value)


def nms(boxes, scores, iou_threshold=0.5):
    """Greedy non-maximum suppression: indices of the boxes kept, best score first.

    Take the best remaining box, drop every remaining box that overlaps it by IoU > ``iou_threshold``, repeat.
    Equal scores keep their input order.
    """
    b = check_boxes(boxes)
    s = _check_scores(scores, len(b))
    iou_threshold = _check_threshold(iou_threshold, "iou_threshold")
    order = np.argsort(-s, kind="stable")
    overlaps = iou_matrix(b, b)
    keep = []
    while order.size:
        best, order = order[0], order[1:]
        keep.append(int(best))
        order = order[overlaps[best, order] <= iou_threshold]
    return np.array(keep, dtype=np.int64)


def nms_per_class(boxes, scores, classes, iou_threshold=0.5):
    """NMS within each class (a muffin box never suppresses a chihuahua box): kept indices, best score first."""
    b = check_boxes(boxes)
    s = _check_scores(scores, len(b))
    c = _check_classes(classes, len(b))
    keep = [np.flatnonzero(c == k)[nms(b[c == k], s[c == k], iou_threshold)] for k in np.unique(c)]
    keep = np.concatenate(keep) if keep else np.zeros(0, np.int64)
    return keep[np.argsort(-s[keep], kind="stable")]


def _check_classes(classes, n, name="classes"):
    c = np.asarray(classes)
    if c.shape != (n,):
        raise ValueError(f"{name} must hold one class number per box: shape ({n},), got {c.shape}")
    if c.size and (not np.issubdtype(c.dtype, np.integer) or c.min() < 0):
        raise ValueError(f"{name} must be class numbers 0, 1, ... (ints), got {c.dtype} {c[:5].tolist()}")
    return c.astype(np.int64)


# ----------------------------------------------------------------------------------------------------------
# the grid of a one-stage detector
# ----------------------------------------------------------------------------------------------------------
def _check_grid(grid):
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 1:
        raise ValueError(f"grid must be a positive int (the grid is grid × grid cells), got {grid!r}")
    return int(grid)


def assign_cells(boxes, grid, image_size):
    """The grid cell (row, col) that holds the centre of each box: two int arrays (N,)."""
    grid = _check_grid(grid)
    height, width = image_shape(image_size)
    b = check_boxes(boxes, image_size)
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    cols = np.minimum((cx / width * grid).astype(np.int64), grid - 1)
    rows = np.minimum((cy / height * grid).astype(np.int64), grid - 1)
    return rows, cols


def encode_grid(boxes, classes, grid, image_size):
    """The training target of one image: objectness (S, S), box (S, S, 4) and class (S, S) per cell.

    The cell that holds a box's centre says "object here" (1), its class, and the box as (tx, ty, w, h): the
    centre's offset inside the cell (0-1) and the size as a fraction of the image. If two centres fall into one
    cell, the larger box wins (a limit of this simple detector).
    """
    grid = _check_grid(grid)
    height, width = image_shape(image_size)
    b = check_boxes(boxes, image_size)
    c = _check_classes(classes, len(b))
    objectness = np.zeros((grid, grid), np.float32)
    target = np.zeros((grid, grid, 4), np.float32)
    labels = np.zeros((grid, grid), np.int32)
    rows, cols = assign_cells(b, grid, image_size)
    for i in np.argsort(box_area(b), kind="stable"):  # smallest first, so a larger box overwrites it
        cx, cy = (b[i, 0] + b[i, 2]) / 2, (b[i, 1] + b[i, 3]) / 2
        tx, ty = cx / width * grid - cols[i], cy / height * grid - rows[i]
        objectness[rows[i], cols[i]] = 1
        target[rows[i], cols[i]] = tx, ty, (b[i, 2] - b[i, 0]) / width, (b[i, 3] - b[i, 1]) / height
        labels[rows[i], cols[i]] = c[i]
    return objectness, target, labels


def cell_box(row, col, tx, ty, w, h, grid, image_size):
    """Decode a cell's prediction into corners: centre ((col + tx), (row + ty)) cells, size (w, h) image
    fractions. Works on numbers or on arrays of cells; returns an array (..., 4)."""
    grid = _check_grid(grid)
    height, width = image_shape(image_size)
    cx, cy = (np.asarray(col) + tx) * width / grid, (np.asarray(row) + ty) * height / grid
    half_w, half_h = np.asarray(w) * width / 2, np.asarray(h) * height / 2
    return np.stack(np.broadcast_arrays(cx - half_w, cy - half_h, cx + half_w, cy + half_h), axis=-1)


def decode_grid(objectness, box, class_probs, image_size, score_threshold=0.0):
    """Turn one image's grid output into detections: one box per cell whose score (objectness × probability of
    its most likely class) is at least ``score_threshold``, best first, boxes clipped to the image."""
    obj = np.asarray(objectness, dtype=np.float64)
    obj = obj[..., 0] if obj.ndim == 3 and obj.shape[-1] == 1 else obj
    box, probs = np.asarray(box, dtype=np.float64), np.asarray(class_probs, dtype=np.float64)
    if obj.ndim != 2 or obj.shape[0] != obj.shape[1]:
        raise ValueError(f"objectness must be one grid (S, S) or (S, S, 1), got shape {obj.shape}")
    grid = obj.shape[0]
    if box.shape != (grid, grid, 4) or probs.ndim != 3 or probs.shape[:2] != (grid, grid):
        raise ValueError(f"for a {grid}×{grid} grid expected box ({grid}, {grid}, 4) and class_probs "
                         f"({grid}, {grid}, C), got {box.shape} and {probs.shape}")
    score_threshold = _check_threshold(score_threshold, "score_threshold")
    classes = probs.argmax(axis=-1)
    scores = obj * probs.max(axis=-1)
    rows, cols = np.nonzero(scores >= score_threshold)
    order = np.argsort(-scores[rows, cols], kind="stable")
    rows, cols = rows[order], cols[order]
    t = box[rows, cols]
    boxes = cell_box(rows, cols, t[:, 0], t[:, 1], t[:, 2], t[:, 3], grid, image_size).reshape(-1, 4)
    return {"boxes": clip_boxes(boxes, image_size), "scores": scores[rows, cols], "classes": classes[rows, cols]}


# ----------------------------------------------------------------------------------------------------------
# precision, recall and average precision
# ----------------------------------------------------------------------------------------------------------
def _check_image_lists(detections, ground_truths):
    if not isinstance(detections, (list, tuple)) or not isinstance(ground_truths, (list, tuple)):
        raise TypeError("detections and ground_truths must be lists with one dict per image")
    if len(detections) != len(ground_truths):
        raise ValueError(f"got detections for {len(detections)} images but ground truth for {len(ground_truths)}: "
                         "give one entry per image, in the same order (an empty one where nothing was found)")
    out = []
    for i, (det, gt) in enumerate(zip(detections, ground_truths)):
        for what, d, keys in (("detections", det, ("boxes", "scores", "classes")), ("ground_truths", gt,
                                                                                    ("boxes", "classes"))):
            if not isinstance(d, dict) or any(k not in d for k in keys):
                raise ValueError(f"{what}[{i}] must be a dict with keys {keys}")
        db, gb = check_boxes(det["boxes"], name=f"detections[{i}]['boxes']"), check_boxes(
            gt["boxes"], name=f"ground_truths[{i}]['boxes']")
        out.append((db, _check_scores(det["scores"], len(db), f"detections[{i}]['scores']"),
                    _check_classes(det["classes"], len(db), f"detections[{i}]['classes']"),
                    gb, _check_classes(gt["classes"], len(gb), f"ground_truths[{i}]['classes']")))
    return out


def match_detections(det_boxes, det_scores, gt_boxes, iou_threshold=0.5):
    """For the detections of one class in one image: the index of the ground-truth box each one found, or -1.

    Best score first, each detection claims the unclaimed ground-truth box it overlaps most, if that IoU is
    at least ``iou_threshold`` (a true positive); otherwise, or when all are claimed (a duplicate), it is a
    false positive (-1).
    """
    db, gb = check_boxes(det_boxes, name="det_boxes"), check_boxes(gt_boxes, name="gt_boxes")
    s = _check_scores(det_scores, len(db), "det_scores")
    iou_threshold = _check_threshold(iou_threshold, "iou_threshold")
    found = np.full(len(db), -1, np.int64)
    free = np.ones(len(gb), bool)
    overlaps = iou_matrix(db, gb)
    for i in np.argsort(-s, kind="stable"):
        if not free.any():
            break
        j = int(np.argmax(np.where(free, overlaps[i], -1)))
        if overlaps[i, j] >= iou_threshold:
            found[i], free[j] = j, False
    return found


def precision_recall_curve(detections, ground_truths, cls, iou_threshold=0.5):
    """Precision and recall of class ``cls`` over all images as the score threshold is lowered, detection by
    detection: (precision, recall, scores, number of ground-truth boxes)."""
    hits, scores, n_true = [], [], 0
    for db, ds, dc, gb, gc in _check_image_lists(detections, ground_truths):
        mine = dc == cls
        hits.append(match_detections(db[mine], ds[mine], gb[gc == cls], iou_threshold) >= 0)
        scores.append(ds[mine])
        n_true += int((gc == cls).sum())
    hits, scores = np.concatenate(hits or [np.zeros(0, bool)]), np.concatenate(scores or [np.zeros(0)])
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(hits[order])
    precision = tp / np.arange(1, len(tp) + 1)
    recall = tp / n_true if n_true else np.full(len(tp), np.nan)
    return precision, recall, scores[order], n_true


def average_precision(precision, recall):
    """Area under the precision-recall curve with precision made non-increasing from the right (all points,
    as in Pascal VOC since 2010). A curve with no points has AP 0."""
    p, r = np.asarray(precision, np.float64), np.asarray(recall, np.float64)
    if p.shape != r.shape or p.ndim != 1:
        raise ValueError(f"precision and recall must be 1-D arrays of one length, got {p.shape} and {r.shape}")
    if np.isnan(r).any():
        return float("nan")
    if not p.size:
        return 0.0
    if np.any(np.diff(r) < 0) or r.min() < 0 or r.max() > 1 or p.min() < 0 or p.max() > 1:
        raise ValueError("recall must rise from 0 to 1 and precision lie in 0..1: pass the arrays from "
                         "precision_recall_curve, in order")
    r = np.concatenate([[0.0], r])
    p = np.concatenate([[0.0], p])
    p = np.maximum.accumulate(p[::-1])[::-1]  # the best precision at this recall or any higher one
    return float(np.sum((r[1:] - r[:-1]) * p[1:]))


def mean_average_precision(detections, ground_truths, n_classes, iou_threshold=0.5):
    """mAP at ``iou_threshold`` and the AP of each class (an array). A class without ground-truth boxes gets
    AP NaN and is left out of the mean."""
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive int, got {n_classes!r}")
    ap = np.full(n_classes, np.nan)
    for k in range(n_classes):
        precision, recall, _, n_true = precision_recall_curve(detections, ground_truths, k, iou_threshold)
        if n_true:
            ap[k] = average_precision(precision, recall)
    return (float(np.nanmean(ap)) if not np.isnan(ap).all() else float("nan")), ap
