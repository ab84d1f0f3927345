"""Tests for utils.detection: IoU, NMS, the detection grid and average precision against hand-made cases,
OpenCV, TensorFlow and the Pascal VOC reference code, including the edge cases."""

import cv2
import numpy as np
import pytest

from utils import detection as det


def random_boxes(rng, n, size=100):
    """``n`` valid random boxes inside a size × size image."""
    xy = rng.uniform(0, size * 0.8, (n, 2))
    wh = rng.uniform(2, size * 0.4, (n, 2))
    return np.column_stack([xy, np.minimum(xy + wh, size)])


def clustered_boxes(rng, n, size=100):
    """``n`` boxes jittered around 6 random boxes: like a detector's many guesses around a few objects."""
    k = rng.integers(0, 6, n)
    centre = rng.uniform(20, size - 20, (6, 2))[k] + rng.normal(0, 2, (n, 2))
    half = rng.uniform(5, 15, (6, 2))[k] * rng.uniform(0.9, 1.1, (n, 2))
    return det.clip_boxes(np.hstack([centre - half, centre + half]), size)


# ---------------------------------------------------------------------------------------------- IoU
@pytest.mark.parametrize("a, b, expected", [
    ([0, 0, 2, 2], [1, 1, 3, 3], 1 / 7),          # one unit square shared, union 7
    ([0, 0, 4, 4], [1, 1, 3, 3], 4 / 16),         # one inside the other
    ([0, 0, 2, 2], [0, 0, 2, 2], 1.0),            # identical
    ([0, 0, 1, 1], [1, 0, 2, 1], 0.0),            # touching along an edge
    ([0, 0, 1, 1], [1, 1, 2, 2], 0.0),            # touching at a corner
    ([0, 0, 1, 1], [5, 5, 6, 6], 0.0),            # far apart
    ([0, 0, 2, 1], [1, 0, 3, 1], 1 / 3),          # half overlap of two 2x1 boxes
    ([3, 3, 3, 3], [3, 3, 3, 3], 0.0),            # no area: nothing to overlap
])
def test_iou_hand_cases(a, b, expected):
    assert det.iou(a, b) == pytest.approx(expected)
    assert det.iou(b, a) == pytest.approx(expected), "IoU is symmetric"


def cv2_iou(a, b):
    """IoU from OpenCV's polygon intersection of two axis-aligned rectangles."""
    def rect(box):
        return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), (box[2] - box[0], box[3] - box[1]), 0.0
    kind, points = cv2.rotatedRectangleIntersection(rect(a), rect(b))
    inter = cv2.contourArea(points) if kind != cv2.INTERSECT_NONE and points is not None else 0.0
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area - inter)


def test_iou_matrix_agrees_with_opencv_polygon_intersection():
    rng = np.random.default_rng(0)
    a, b = random_boxes(rng, 12), random_boxes(rng, 9)
    m = det.iou_matrix(a, b)
    assert m.shape == (12, 9)
    expected = np.array([[cv2_iou(x, y) for y in b] for x in a])
    assert np.allclose(m, expected, atol=1e-4)
    assert (m > 0).any() and (m == 0).any(), "the random boxes should both overlap and miss"
    assert det.iou(a[3], b[4]) == pytest.approx(m[3, 4])


def test_iou_matrix_of_empty_sets():
    assert det.iou_matrix(np.zeros((0, 4)), [[0, 0, 1, 1]]).shape == (0, 1)
    assert det.iou_matrix([], []).shape == (0, 0)


def test_box_area_and_conversions():
    assert det.box_area([[0, 0, 2, 3], [1, 1, 1, 5]]).tolist() == [6, 0]
    assert det.xywh_to_corners([[1, 2, 3, 4]]).tolist() == [[1, 2, 4, 6]]
    assert det.clip_boxes([[-5, 2, 30, 40]], (32, 20)).tolist() == [[0, 2, 20, 32]]


# ---------------------------------------------------------------------------------------------- bad boxes
@pytest.mark.parametrize("boxes, message", [
    ([[5, 0, 2, 4]], r"x2 < x1.*not \(x, y, width, height\)"),
    ([[0, 5, 2, 4]], "y2 < y1"),
    ([[0, np.nan, 2, 4]], "NaN or infinity"),
    ([[0, 0, np.inf, 4]], "NaN or infinity"),
    ([[0, 0, 2]], r"shape \(N, 4\).*\(1, 3\)"),
    ([0, 0, 2, 2], r"for one box write \[\[x1, y1, x2, y2\]\]"),
    (np.zeros((2, 4, 1)), r"shape \(N, 4\)"),
])
def test_bad_boxes_get_clear_errors(boxes, message):
    with pytest.raises(ValueError, match=message):
        det.check_boxes(boxes)


def test_boxes_outside_the_image_are_named():
    assert det.check_boxes([[0, 0, 64, 48]], image_size=(48, 64)).shape == (1, 4), "the border itself is inside"
    with pytest.raises(ValueError, match=r"boxes\[1\].*outside the 64×48 image"):
        det.check_boxes([[0, 0, 10, 10], [60, 0, 65, 10]], image_size=(48, 64))
    with pytest.raises(ValueError, match="outside"):
        det.check_boxes([[-1, 0, 10, 10]], image_size=64)
    with pytest.raises(TypeError, match="image_size"):
        det.check_boxes([[0, 0, 1, 1]], image_size="big")
    with pytest.raises(ValueError, match="positive"):
        det.image_shape((0, 10))


def test_non_numeric_boxes_and_single_box_arguments():
    with pytest.raises(TypeError, match="must be numbers"):
        det.check_boxes([["a", "b", "c", "d"]])
    with pytest.raises(ValueError, match="must be one box"):
        det.iou([0, 0, 1], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="x2 < x1"):
        det.iou([2, 0, 1, 1], [0, 0, 1, 1])


# ---------------------------------------------------------------------------------------------- NMS
def test_nms_hand_case():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9]]
    scores = [0.9, 0.8, 0.7, 0.95]
    # box 3 is best; box 0 overlaps it by IoU 0.9, box 1 by 72/118 = 0.61; box 2 is elsewhere
    assert det.nms(boxes, scores, 0.5).tolist() == [3, 2]
    assert det.nms(boxes, scores, 0.7).tolist() == [3, 1, 2], "box 0 goes (0.9 > 0.7), box 1 stays (0.61)"
    assert det.nms(boxes, scores, 0.95).tolist() == [3, 0, 1, 2]
    assert det.nms(boxes, scores, 1.0).tolist() == [3, 0, 1, 2], "threshold 1 suppresses nothing"


def test_nms_edge_cases():
    assert det.nms(np.zeros((0, 4)), [], 0.5).tolist() == []
    assert det.nms([[0, 0, 5, 5]], [0.3], 0.5).tolist() == [0]
    assert det.nms([[0, 0, 5, 5]] * 3, [0.2, 0.9, 0.5], 0.5).tolist() == [1], "identical boxes: only the best"
    assert det.nms([[0, 0, 5, 5]] * 2, [0.5, 0.5], 0.5).tolist() == [0], "equal scores keep input order"
    assert det.nms([[0, 0, 1, 1], [1, 0, 2, 1]], [0.5, 0.6], 0.0).tolist() == [1, 0], "touching boxes both stay"


def test_nms_bad_input():
    with pytest.raises(ValueError, match="one number per box"):
        det.nms([[0, 0, 1, 1]], [0.1, 0.2])
    with pytest.raises(ValueError, match="iou_threshold must be a number from 0 to 1"):
        det.nms([[0, 0, 1, 1]], [0.1], 1.5)
    with pytest.raises(ValueError, match="NaN"):
        det.nms([[0, 0, 1, 1]], [np.nan])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_nms_agrees_with_opencv(seed, threshold):
    rng = np.random.default_rng(seed)
    boxes = clustered_boxes(rng, 40)
    scores = rng.permutation(40) / 40 + 0.01  # distinct scores: no ties for the libraries to order differently
    xywh = [[float(x1), float(y1), float(x2 - x1), float(y2 - y1)] for x1, y1, x2, y2 in boxes]
    expected = np.asarray(cv2.dnn.NMSBoxes(xywh, scores.tolist(), 0.0, threshold)).ravel()
    ours = det.nms(boxes, scores, threshold)
    assert ours.tolist() == expected.tolist()
    assert 3 < len(ours) < 30, "the case should both keep and suppress boxes"


def test_nms_agrees_with_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for seed in range(3):
        rng = np.random.default_rng(seed)
        boxes = clustered_boxes(rng, 30)
        scores = rng.permutation(30) / 30 + 0.01
        yxyx = boxes[:, [1, 0, 3, 2]].astype(np.float32)
        expected = tf.image.non_max_suppression(yxyx, scores.astype(np.float32), 30, iou_threshold=0.5).numpy()
        assert det.nms(boxes, scores, 0.5).tolist() == expected.tolist()


def test_nms_per_class_keeps_overlapping_boxes_of_other_classes():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 10], [1, 0, 10, 10]]
    keep = det.nms_per_class(boxes, [0.6, 0.9, 0.8], [0, 1, 1], 0.5)
    assert keep.tolist() == [1, 0]
    assert det.nms_per_class(np.zeros((0, 4)), [], [], 0.5).tolist() == []
    with pytest.raises(ValueError, match="class numbers"):
        det.nms_per_class(boxes, [0.6, 0.9, 0.8], [0.5, 1, 1])


# ---------------------------------------------------------------------------------------------- grid
def test_cell_box_hand_case():
    # 4x4 grid on a 64-pixel image: cells are 16 px; cell (row 1, col 2) with the centre in its middle
    box = det.cell_box(1, 2, 0.5, 0.5, 0.25, 0.5, grid=4, image_size=64)
    assert box.tolist() == [32 + 8 - 8, 16 + 8 - 16, 32 + 8 + 8, 16 + 8 + 16]
    assert det.cell_box([0, 3], [0, 3], 0.0, 1.0, 0.5, 0.5, 4, (32, 64)).shape == (2, 4)


def test_assign_and_encode_hand_case():
    boxes = [[8, 8, 24, 40], [40, 0, 64, 16]]  # centres (16, 24) and (52, 8)
    rows, cols = det.assign_cells(boxes, 4, 64)
    assert rows.tolist() == [1, 0] and cols.tolist() == [1, 3]
    obj, box, cls = det.encode_grid(boxes, [1, 0], 4, 64)
    assert obj.sum() == 2 and obj[1, 1] == 1 and obj[0, 3] == 1
    assert box[1, 1].tolist() == pytest.approx([0.0, 0.5, 0.25, 0.5])
    assert box[0, 3].tolist() == pytest.approx([0.25, 0.5, 0.375, 0.25])
    assert cls[1, 1] == 1 and cls[0, 3] == 0
    assert det.assign_cells([[60, 60, 64, 64]], 4, 64)[0].tolist() == [3], "the far border belongs to the last cell"


def test_encode_keeps_the_larger_box_when_two_centres_share_a_cell():
    obj, box, cls = det.encode_grid([[0, 0, 30, 30], [10, 10, 20, 20]], [0, 1], 2, 64)
    assert obj.sum() == 1 and cls[0, 0] == 0 and box[0, 0, 2] == pytest.approx(30 / 64)


def test_decode_inverts_encode():
    rng = np.random.default_rng(3)
    boxes = np.array([[2, 3, 20, 30], [40, 10, 60, 50], [30, 50, 50, 64]], float)
    classes = np.array([0, 1, 1])
    obj, target, cls = det.encode_grid(boxes, classes, 6, 64)
    probs = np.eye(2)[cls] * 0.9 + 0.05
    out = det.decode_grid(obj * rng.uniform(0.6, 1, obj.shape), target, probs, 64, score_threshold=0.5)
    order = np.argsort(out["boxes"][:, 0])
    assert np.allclose(out["boxes"][order], boxes[np.argsort(boxes[:, 0])], atol=1e-4)
    assert out["classes"][order].tolist() == classes[np.argsort(boxes[:, 0])].tolist()
    assert np.all(np.diff(out["scores"]) <= 0), "best first"
    assert len(det.decode_grid(obj * 0.2, target, probs, 64, 0.5)["boxes"]) == 0


def test_decode_clips_boxes_and_checks_shapes():
    obj = np.zeros((2, 2))
    obj[0, 0] = 1
    box = np.zeros((2, 2, 4))
    box[0, 0] = [0.1, 0.1, 1.0, 1.0]  # a box as large as the image centred near the top-left corner
    out = det.decode_grid(obj, box, np.ones((2, 2, 2)) / 2, 32, 0.1)
    assert out["boxes"].tolist() == [[0, 0, 17.6, 17.6]] and out["scores"].tolist() == [0.5]
    with pytest.raises(ValueError, match="expected box"):
        det.decode_grid(obj, box[..., :3], np.ones((2, 2, 2)), 32)
    with pytest.raises(ValueError, match="one grid"):
        det.decode_grid(np.zeros(4), box, np.ones((2, 2, 2)), 32)
    with pytest.raises(ValueError, match="grid must be a positive int"):
        det.encode_grid([[0, 0, 1, 1]], [0], 0, 32)


# ---------------------------------------------------------------------------------------------- AP and mAP
def one_image(boxes, scores, classes):
    return {"boxes": np.asarray(boxes, float).reshape(-1, 4), "scores": np.asarray(scores, float),
            "classes": np.asarray(classes, int)}


def truth(boxes, classes):
    return {"boxes": np.asarray(boxes, float).reshape(-1, 4), "classes": np.asarray(classes, int)}


def voc_ap(rec, prec):
    """The Pascal VOC devkit's AP (VOC2010+, all points), as published in py-faster-rcnn's voc_eval.py."""
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])


def test_ap_hand_case():
    # two cats; three detections: hit (0.9), miss (0.8), hit (0.7)
    dets = [one_image([[0, 0, 10, 10], [50, 50, 60, 60], [20, 20, 30, 30]], [0.9, 0.8, 0.7], [0, 0, 0])]
    gts = [truth([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 0])]
    p, r, s, n = det.precision_recall_curve(dets, gts, 0)
    assert p.tolist() == pytest.approx([1, 0.5, 2 / 3]) and r.tolist() == [0.5, 0.5, 1.0] and n == 2
    assert s.tolist() == [0.9, 0.8, 0.7]
    assert det.average_precision(p, r) == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)


def test_duplicates_and_poor_overlap_are_false_positives():
    gts = [truth([[0, 0, 10, 10]], [0])]
    dets = [one_image([[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 4]], [0.9, 0.8, 0.95], [0, 0, 0])]
    hits = det.match_detections(dets[0]["boxes"], dets[0]["scores"], gts[0]["boxes"])
    assert hits.tolist() == [0, -1, -1], "IoU 0.4 misses, the second copy is a duplicate"
    p, r, _, _ = det.precision_recall_curve(dets, gts, 0)
    assert p.tolist() == pytest.approx([0, 0.5, 1 / 3]) and det.average_precision(p, r) == pytest.approx(0.5)


def test_iou_threshold_is_inclusive():
    gts = [truth([[0, 0, 10, 10]], [0])]
    assert det.match_detections([[0, 0, 10, 5]], [1.0], gts[0]["boxes"], 0.5).tolist() == [0]
    two = det.match_detections([[0, 0, 9, 9], [10, 10, 20, 20]], [0.5, 0.9], [[10, 10, 20, 20], [0, 0, 10, 10]])
    assert two.tolist() == [1, 0], "each detection names the ground-truth box it found"
    assert det.match_detections([], [], [[0, 0, 1, 1]]).tolist() == []


def test_map_edge_cases():
    gt = truth([[0, 0, 10, 10]], [1])
    perfect = one_image([[0, 0, 10, 10]], [0.8], [1])
    m, ap = det.mean_average_precision([perfect], [gt], n_classes=2)
    assert m == 1.0 and np.isnan(ap[0]) and ap[1] == 1.0, "a class with no ground truth is left out"
    m, ap = det.mean_average_precision([one_image([], [], [])], [gt], 2)
    assert m == 0.0 and ap[1] == 0.0, "no predictions: AP 0"
    m, ap = det.mean_average_precision([perfect], [truth([], [])], 2)
    assert np.isnan(m) and np.isnan(ap).all(), "no ground truth at all: nothing to average"
    m, _ = det.mean_average_precision([one_image([[0, 0, 10, 10]], [0.8], [0])], [gt], 2)
    assert m == 0.0, "the right box with the wrong class is no hit"
    two = [perfect, one_image([], [], [])]
    m, _ = det.mean_average_precision(two, [gt, truth([[5, 5, 9, 9]], [1])], 2)
    assert m == pytest.approx(0.5), "the second image's object is never found: recall stops at 1/2"
    assert det.average_precision([], []) == 0.0


@pytest.mark.parametrize("seed", range(6))
def test_ap_agrees_with_the_voc_reference(seed):
    rng = np.random.default_rng(seed)
    dets, gts = [], []
    for _ in range(8):
        g = random_boxes(rng, int(rng.integers(0, 4)))
        noisy = g + rng.normal(0, 4, g.shape)
        extra = random_boxes(rng, int(rng.integers(0, 3)))
        boxes = det.clip_boxes(np.sort(np.vstack([noisy, extra]).reshape(-1, 2, 2), axis=1).reshape(-1, 4), 100)
        dets.append(one_image(boxes, rng.uniform(size=len(boxes)), rng.integers(0, 2, len(boxes))))
        gts.append(truth(g, rng.integers(0, 2, len(g))))
    m, ap = det.mean_average_precision(dets, gts, 2)
    for k in range(2):
        p, r, _, n = det.precision_recall_curve(dets, gts, k)
        assert n > 0
        assert ap[k] == pytest.approx(voc_ap(r, p))
        assert 0 <= ap[k] <= 1
    assert m == pytest.approx(ap.mean())


def test_ap_bad_input():
    with pytest.raises(ValueError, match="one entry per image"):
        det.mean_average_precision([one_image([], [], [])], [], 2)
    with pytest.raises(ValueError, match="must be a dict with keys"):
        det.mean_average_precision([{"boxes": []}], [truth([], [])], 2)
    with pytest.raises(ValueError, match=r"detections\[0\]\['boxes'\].*x2 < x1"):
        det.mean_average_precision([one_image([[5, 0, 1, 1]], [0.5], [0])], [truth([], [])], 2)
    with pytest.raises(ValueError, match="precision_recall_curve"):
        det.average_precision([1, 1], [0.5, 0.2])
    with pytest.raises(ValueError, match="n_classes"):
        det.mean_average_precision([], [], 0)
    with pytest.raises(TypeError, match="lists"):
        det.mean_average_precision(one_image([], [], []), truth([], []), 2)
