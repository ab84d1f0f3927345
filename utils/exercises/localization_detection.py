"""Answer keys of lesson 08 (localization and detection): its three exercises and its questionnaire.

Each check computes the expected result itself and never prints it; a typical mistake gets its own first hint.
"""

import numpy as np

from utils import detection
from utils.checks import check_function, check_value
from utils.quiz import Question

IOU_CASES = [
    ([0, 0, 20, 20], [10, 10, 30, 30]),   # partial overlap
    ([0, 0, 40, 40], [10, 10, 30, 30]),   # one inside the other
    ([5, 5, 25, 35], [5, 5, 25, 35]),     # identical
    ([0, 0, 10, 10], [10, 0, 20, 10]),    # touching
    ([0, 0, 10, 10], [30, 0, 40, 10]),    # apart side by side
    ([0, 0, 10, 10], [0, 30, 10, 40]),    # apart one above the other
    ([0, 0, 30, 10], [20, -5, 25, 40]),   # a cross
]
IOU_HINTS = ["IoU = (area where the boxes overlap) / (area they cover together); the union counts the "
             "overlap only once.",
             "overlap width = min(right edges) − max(left edges), never below 0 (same for the height); "
             "union = area A + area B − overlap."]
IOU_OUTSIDE = ("An IoU never lies outside 0..1, but one of yours does: for boxes that are apart, the overlap's "
               "width or height comes out negative. Make it 0 instead.")
CELL_HINTS = ["A cell's own top-left corner is (col, row) cells from the picture's corner; (tx, ty) move the "
              "centre inside that cell; w and h are fractions of the whole picture.",
              "centre x = (col + tx) · cell size with cell size = picture side / grid (same for y); then "
              "x1 = centre x − w · side / 2 and x2 = centre x + w · side / 2."]
CELL_SHAPE = "Your answer should be four numbers (x1, y1, x2, y2)."
NMS_HINTS = ["Greedy: take the best-scoring box that is left, keep it, throw away every remaining box that "
             "overlaps it too much (IoU above the threshold), and repeat until no box is left.",
             "order = list(np.argsort(scores)[::-1]); while order: best = order.pop(0); keep.append(best); "
             "order = [i for i in order if iou(boxes[best], boxes[i]) <= iou_threshold]."]
NMS_ORDER = "You keep the right boxes, but list them in another order: return them best score first."


def _values(func, cases):
    """``func`` applied to each case, or ``None`` if it is not a function or fails (the check then says why)."""
    if not callable(func):
        return None
    try:
        return [func(*case) for case in cases]
    except Exception:  # noqa: BLE001 - check_function reports the error itself
        return None


def check_iou(func):
    """Exercise 1: ``func(a, b)`` returns the IoU of two boxes (x1, y1, x2, y2), on seven hidden pairs."""
    cases = [(np.array(a, float), np.array(b, float)) for a, b in IOU_CASES]
    values = _values(func, cases)
    outside = values is not None and any(np.ndim(v) == 0 and not 0 <= float(v) <= 1 for v in values)
    return check_function(func, detection.iou, cases, name=getattr(func, "__name__", "your function"),
                          hints=[IOU_OUTSIDE, *IOU_HINTS] if outside else IOU_HINTS,
                          success="your IoU agrees with utils.detection.iou on 7 pairs of boxes, "
                                  "including touching and separate ones.")


def _four_numbers(answer):
    """``answer`` as a tuple of four floats rounded to 3 decimals, or ``None`` if it is not four numbers."""
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return tuple(round(float(v), 3) for v in got) if got.shape == (4,) and np.isfinite(got).all() else None


def check_cell_box(answer, row, col, t, grid, image_size):
    """Exercise 2: ``answer`` = the corners (x1, y1, x2, y2) decoded from the prediction ``t`` of one grid cell.

    On a wrong answer the first hint names the corners that are too small or too large, never their values."""
    expected = tuple(round(float(v), 3) for v in detection.cell_box(row, col, *t, grid=grid, image_size=image_size))
    hints, got = CELL_HINTS, _four_numbers(answer)
    if got is None and answer is not None and answer is not Ellipsis:
        hints, got = [CELL_SHAPE, *CELL_HINTS], answer
    elif got is not None:
        off = [f"{name} is too {'small' if g < e else 'large'}"
               for name, g, e in zip(("x1", "y1", "x2", "y2"), got, expected) if abs(g - e) > 1e-3]
        hints = [f"{'; '.join(off)}. {CELL_HINTS[0]}", CELL_HINTS[1]] if off else CELL_HINTS
        got = got if off else expected  # within 0.001 of every corner counts as right
    return check_value(got, expected, name="your box", hints=hints, success="that is the box this cell predicts.")


def nms_cases():
    """The four sets (boxes, scores, iou_threshold) the NMS check tries."""
    rng = np.random.default_rng(8)
    centre = rng.uniform(20, 80, (4, 2))[rng.integers(0, 4, 12)] + rng.normal(0, 3, (12, 2))
    clustered = np.hstack([centre - 10, centre + 10])
    four = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9]], float)
    return [(four, np.array([0.9, 0.8, 0.7, 0.95]), 0.5),
            (four, np.array([0.9, 0.8, 0.7, 0.95]), 0.7),
            (np.array([[5, 5, 15, 15]] * 3, float), np.array([0.2, 0.9, 0.5]), 0.5),
            (clustered, rng.permutation(12) / 12 + 0.01, 0.4)]


def check_nms(func):
    """Exercise 3: ``func(boxes, scores, iou_threshold)`` returns the kept indices, best score first."""

    def as_array(boxes, scores, threshold):
        kept = func(boxes, scores, threshold)
        return None if kept is None else np.asarray(kept, dtype=np.int64).ravel()

    as_array.__name__ = getattr(func, "__name__", "your function")
    hints, got = NMS_HINTS, _values(as_array, nms_cases())
    if got is not None and all(g is not None for g in got):
        expected = [detection.nms(*case) for case in nms_cases()]
        if any(sorted(g.tolist()) == sorted(e.tolist()) and g.tolist() != e.tolist() for g, e in zip(got, expected)):
            hints = [NMS_ORDER, *NMS_HINTS]
    return check_function(as_array if callable(func) else func, detection.nms, nms_cases(), hints=hints,
                          success="your NMS keeps the same boxes as utils.detection.nms in 4 cases, "
                                  "including identical boxes.")


QUESTIONS = [
    Question("A photo shows three muffins and a chihuahua. Which task gives one box for each of the four?",
             ("object detection", "classification + localization", "image classification"),
             ("object detection",),
             "Localization gives one box per picture; detection gives as many boxes as there are objects."),
    Question("Box B is box A shifted right by half of A's width (same size). What is their IoU?",
             ("1/3", "1/2", "2/3", "1/4"),
             ("1/3",),
             "The overlap is half a box; the union is 1 + 1 − 1/2 = 3/2 boxes; (1/2) / (3/2) = 1/3."),
    Question("Which statements about IoU are true?",
             ("it is 0 for boxes that only touch", "it does not change when both boxes are scaled by the same factor",
              "it is 1 when one box lies inside the other", "it can exceed 1 for very large boxes"),
             ("it is 0 for boxes that only touch", "it does not change when both boxes are scaled by the same factor"),
             "A box inside a larger one covers only part of the union, so its IoU is below 1; IoU never leaves 0..1."),
    Question("Why does the localizer predict its box through a sigmoid, as fractions of the picture side?",
             ("every target number then lies between 0 and 1, the range a sigmoid can reach",
              "a sigmoid makes the box loss zero", "fractions make the class head more accurate",
              "the box head then needs no training"),
             ("every target number then lies between 0 and 1, the range a sigmoid can reach",),
             "The sigmoid keeps the outputs in 0..1; multiplying by the picture side gives pixels back."),
    Question("In the grid detector, which cell is responsible for an object?",
             ("the cell that holds the centre of the object's box", "every cell the box overlaps",
              "the cell with the highest objectness", "the cell in the box's top-left corner"),
             ("the cell that holds the centre of the object's box",),
             "One cell per object, so each object is one target; box and class losses count only in that cell."),
    Question("Why do the box and class losses of the grid detector use a mask (sample weight = objectness target)?",
             ("empty cells have no box or class to learn", "without it the network would learn boxes of nothing",
              "the mask makes training faster", "the mask removes the need for NMS"),
             ("empty cells have no box or class to learn", "without it the network would learn boxes of nothing"),
             "Objectness is learned everywhere; box and class only where an object's centre lies."),
    Question("What does non-maximum suppression do?",
             ("it keeps the best-scoring box and drops other boxes that overlap it by more than the threshold",
              "it drops every box whose score is below the threshold",
              "it merges overlapping boxes into their average", "it trains the detector to predict fewer boxes"),
             ("it keeps the best-scoring box and drops other boxes that overlap it by more than the threshold",),
             "NMS compares boxes with each other (IoU); the score threshold is a separate step before it."),
    Question("A detector finds every object but also draws many false boxes with high scores. What suffers?",
             ("precision", "AP / mAP", "recall"),
             ("precision", "AP / mAP"),
             "Recall counts found objects (all of them here); precision, and with it the area under the PR curve, "
             "drops with every false alarm ranked among the hits."),
    Question("How does a two-stage detector (R-CNN family) differ from a one-stage detector (YOLO, SSD)?",
             ("it first proposes regions, then classifies each region and refines its box",
              "the original R-CNN ran a CNN on each of about 2,000 regions, so it was far slower",
              "only two-stage detectors use a CNN", "one-stage detectors need no training data with boxes"),
             ("it first proposes regions, then classifies each region and refines its box",
              "the original R-CNN ran a CNN on each of about 2,000 regions, so it was far slower"),
             "One-stage detectors answer for every grid cell in one pass, which is why they run on video."),
]
