"""Lesson 08's exercise checks, with feedback in steps: the first failed try prints a conceptual hint, the next
ones a more concrete one; typical mistakes get their own message. Expected values are never printed."""

import numpy as np

from utils import detection
from utils.checks import _report, check_function  # _report: private, prints like every check

_TRIES = {}

IOU_CASES = [
    ([0, 0, 20, 20], [10, 10, 30, 30]),   # partial overlap
    ([0, 0, 40, 40], [10, 10, 30, 30]),   # one inside the other
    ([5, 5, 25, 35], [5, 5, 25, 35]),     # identical
    ([0, 0, 10, 10], [10, 0, 20, 10]),    # touching
    ([0, 0, 10, 10], [30, 0, 40, 10]),    # apart side by side
    ([0, 0, 10, 10], [0, 30, 10, 40]),    # apart one above the other
    ([0, 0, 30, 10], [20, -5, 25, 40]),   # a cross
]
IOU_HINTS = ("IoU = (area where the boxes overlap) / (area they cover together); the union counts the "
             "overlap only once.",
             "overlap width = min(right edges) − max(left edges), never below 0 (same for the height); "
             "union = area A + area B − overlap.")
CELL_HINTS = ("A cell's own top-left corner is (col, row) cells from the picture's corner; (tx, ty) move the "
              "centre inside that cell; w and h are fractions of the whole picture.",
              "centre x = (col + tx) · cell size with cell size = picture side / grid (same for y); then "
              "x1 = centre x − w · side / 2 and x2 = centre x + w · side / 2.")
NMS_HINTS = ("Greedy: take the best-scoring box that is left, keep it, throw away every remaining box that "
             "overlaps it too much (IoU above the threshold), and repeat until no box is left.",
             "order = list(np.argsort(scores)[::-1]); while order: best = order.pop(0); keep.append(best); "
             "order = [i for i in order if iou(boxes[best], boxes[i]) <= iou_threshold].")


def _hint(key, hints):
    """The hint for this try of exercise ``key``: later tries get later (more concrete) hints."""
    return hints[min(_TRIES.get(key, 0), len(hints) - 1)]


def _record(key, verdict):
    _TRIES[key] = 0 if verdict else _TRIES.get(key, 0) + 1
    return verdict


def _nms_cases():
    rng = np.random.default_rng(8)
    centre = rng.uniform(20, 80, (4, 2))[rng.integers(0, 4, 12)] + rng.normal(0, 3, (12, 2))
    clustered = np.hstack([centre - 10, centre + 10])
    return [
        (np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9]], float),
         np.array([0.9, 0.8, 0.7, 0.95]), 0.5),
        (np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9]], float),
         np.array([0.9, 0.8, 0.7, 0.95]), 0.7),
        (np.array([[5, 5, 15, 15]] * 3, float), np.array([0.2, 0.9, 0.5]), 0.5),
        (clustered, rng.permutation(12) / 12 + 0.01, 0.4),
    ]


def _values(func, cases):
    """``func`` applied to each case, or ``None`` if it is not a function or fails (the check then says why)."""
    if not callable(func):
        return None
    try:
        return [func(*case) for case in cases]
    except Exception:  # noqa: BLE001 - check_function reports the error itself
        return None


def check_iou(func):
    """Exercise: ``func(a, b)`` returns the IoU of two boxes (x1, y1, x2, y2)."""
    key, cases = "iou", [(np.array(a, float), np.array(b, float)) for a, b in IOU_CASES]
    values = _values(func, cases)
    if values is not None and any(np.ndim(v) == 0 and not 0 <= float(v) <= 1 for v in values):
        return _record(key, _report(False, "one of your IoUs lies outside 0..1, but an IoU never does: for boxes "
                                    "that are apart, the overlap's width or height comes out negative.",
                                    _hint(key, IOU_HINTS)))
    verdict = check_function(func, detection.iou, cases, name=getattr(func, "__name__", "your function"),
                             hint=_hint(key, IOU_HINTS),
                             success="your IoU agrees with utils.detection.iou on 7 pairs of boxes, "
                                     "including touching and separate ones.")
    return _record(key, verdict)


def check_cell_box(answer, row, col, t, grid, image_size):
    """Exercise: ``answer`` = the corners (x1, y1, x2, y2) decoded from one grid cell's prediction ``t``.

    Says which corners are too small or too large, never their values."""
    key = "cell"
    expected = detection.cell_box(row, col, *t, grid=grid, image_size=image_size)
    if answer is None or answer is Ellipsis:
        return _record(key, _report(False, "no answer yet (the cell still holds `None`): replace it with your "
                                    "four numbers.", _hint(key, CELL_HINTS)))
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        got = None
    if got is None or got.shape != (4,):
        return _record(key, _report(False, "your answer should be four numbers (x1, y1, x2, y2).",
                                    _hint(key, CELL_HINTS)))
    off = [f"{name} is too {'small' if g < e else 'large'}" for name, g, e in zip(("x1", "y1", "x2", "y2"), got,
                                                                                  expected) if abs(g - e) > 1e-3]
    if off:
        return _record(key, _report(False, "; ".join(off) + ".", _hint(key, CELL_HINTS)))
    return _record(key, _report(True, "that is the box this cell predicts."))


def check_nms(func):
    """Exercise: ``func(boxes, scores, iou_threshold)`` returns the kept indices, best score first."""
    key = "nms"

    def reference(boxes, scores, threshold):
        return detection.nms(boxes, scores, threshold)

    def as_array(boxes, scores, threshold):
        kept = func(boxes, scores, threshold)
        return None if kept is None else np.asarray(kept, dtype=np.int64).ravel()

    as_array.__name__ = getattr(func, "__name__", "your function")

    got = _values(as_array, _nms_cases())
    if got is not None and all(g is not None for g in got):
        expected = [reference(*case) for case in _nms_cases()]
        if any(sorted(g.tolist()) == sorted(e.tolist()) and g.tolist() != e.tolist() for g, e in zip(got, expected)):
            return _record(key, _report(False, "you keep the right boxes, but list them in another order: return "
                                        "them best score first.", _hint(key, NMS_HINTS)))
    verdict = check_function(as_array if callable(func) else func, reference, _nms_cases(), hint=_hint(key, NMS_HINTS),
                             success="your NMS keeps the same boxes as utils.detection.nms in 4 cases, "
                                     "including identical boxes.")
    return _record(key, verdict)
