"""Tests for utils/exercises/localization_detection.py: the keys agree with answers worked out by hand, right answers
pass, typical mistakes get their own first hint, more_help() gives the next one, and no expected value is printed."""

import numpy as np
import pytest

from utils import detection
from utils.checks import more_help
from questionnaire_keys import assert_keys_restated
from utils.exercises import localization_detection as ex


@pytest.fixture(autouse=True)
def no_hints_left():
    yield
    more_help()  # empty the hints a failed check left for the next test


def good_iou(a, b):
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def unclipped_iou(a, b):
    inter = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


# ------------------------------------------------------------------------------------------------- exercise 1
def test_iou_key_agrees_with_areas_worked_out_by_hand():
    # overlap / union: 100 / 700, 400 / 1600, identical, touching, apart, apart, 50 / (300 + 225 − 50)
    by_hand = [1 / 7, 1 / 4, 1.0, 0.0, 0.0, 0.0, 2 / 19]
    assert [detection.iou(np.array(a, float), np.array(b, float)) for a, b in ex.IOU_CASES] == pytest.approx(by_hand)
    table = {(tuple(a), tuple(b)): v for (a, b), v in zip(ex.IOU_CASES, by_hand)}
    assert ex.check_iou(lambda a, b: table[tuple(a.tolist()), tuple(b.tolist())])


def test_iou_check_passes_a_right_answer(capsys):
    assert ex.check_iou(good_iou)
    assert capsys.readouterr().out.startswith("✅")


def test_iou_hints_come_in_steps(capsys):
    assert not ex.check_iou(lambda a, b: 0.5)
    first = capsys.readouterr().out
    assert ex.IOU_HINTS[0] in first and ex.IOU_HINTS[1] not in first and "more_help()" in first
    more_help()
    assert ex.IOU_HINTS[1] in capsys.readouterr().out


def test_iou_check_spots_a_negative_overlap(capsys):
    assert not ex.check_iou(unclipped_iou)
    out = capsys.readouterr().out
    assert ex.IOU_OUTSIDE in out and ex.IOU_HINTS[0] not in out
    more_help()
    assert ex.IOU_HINTS[0] in capsys.readouterr().out


def test_iou_check_reports_errors_and_placeholders(capsys):
    def unfinished(a, b):
        raise NotImplementedError

    assert not ex.check_iou(unfinished)
    assert "not written yet" in capsys.readouterr().out
    assert not ex.check_iou(None)
    assert "no answer yet" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------- exercise 2
LESSON_CELL = dict(row=4, col=1, t=(0.25, 0.5, 0.3, 0.4), grid=6, image_size=96)  # the notebook's exercise
# cell 16 px; centre ((1 + 0.25) · 16, (4 + 0.5) · 16) = (20, 72); size (0.3 · 96, 0.4 · 96) = (28.8, 38.4)
LESSON_BOX = (5.6, 52.8, 34.4, 91.2)


def test_cell_box_key_agrees_with_the_box_worked_out_by_hand(capsys):
    assert ex.check_cell_box(LESSON_BOX, **LESSON_CELL)
    assert ex.check_cell_box([20 - 14.4, 72 - 19.2, 20 + 14.4, 72 + 19.2], **LESSON_CELL), "float noise is fine"
    assert capsys.readouterr().out.startswith("✅")


def test_cell_box_check_names_the_wrong_corners_not_their_values(capsys):
    centre_as_corner = (20, 72, 48.8, 110.4)  # (cx, cy) taken for (x1, y1)
    assert not ex.check_cell_box(centre_as_corner, **LESSON_CELL)
    out = capsys.readouterr().out
    assert "is not what was expected" in out
    assert "x1 is too large; y1 is too large; x2 is too large; y2 is too large" in out
    assert ex.CELL_HINTS[0] in out and ex.CELL_HINTS[1] not in out
    for value in LESSON_BOX:
        assert f"{value:g}" not in out, "the expected corners are never printed"
    more_help()
    assert ex.CELL_HINTS[1] in capsys.readouterr().out


def test_cell_box_check_placeholders_and_shapes(capsys):
    assert not ex.check_cell_box(None, **LESSON_CELL)
    assert "no answer yet" in capsys.readouterr().out
    assert not ex.check_cell_box([1, 2, 3], **LESSON_CELL)
    assert ex.CELL_SHAPE in capsys.readouterr().out
    assert not ex.check_cell_box("x1, y1, x2, y2", **LESSON_CELL)
    assert ex.CELL_SHAPE in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------- exercise 3
def nms_loop(boxes, scores, iou_threshold):
    order = list(np.argsort(scores)[::-1])
    keep = []
    while order:
        best = order.pop(0)
        keep.append(int(best))
        order = [i for i in order if detection.iou(boxes[best], boxes[i]) <= iou_threshold]
    return keep


def test_nms_key_agrees_with_the_cases_worked_out_by_hand():
    # case 1: box 3 (0.95) overlaps box 0 by 0.9 and box 1 by 72/118 = 0.61 > 0.5: both go; box 2 is apart.
    # case 2: threshold 0.7 keeps box 1 (0.61); case 3: three identical boxes, only the best (index 1) stays.
    by_hand = [[3, 2], [3, 1, 2], [1]]
    assert [detection.nms(*case).tolist() for case in ex.nms_cases()[:3]] == by_hand


def test_nms_check(capsys):
    assert ex.check_nms(nms_loop)
    assert capsys.readouterr().out.startswith("✅")
    assert not ex.check_nms(lambda b, s, t: sorted(nms_loop(b, s, t)))
    out = capsys.readouterr().out
    assert ex.NMS_ORDER in out and ex.NMS_HINTS[0] not in out
    assert not ex.check_nms(lambda b, s, t: list(range(len(b))))
    out = capsys.readouterr().out
    assert ex.NMS_HINTS[0] in out and ex.NMS_HINTS[1] not in out
    more_help()
    assert ex.NMS_HINTS[1] in capsys.readouterr().out
    assert not ex.check_nms(lambda b, s, t: None)
    assert "returned None" in capsys.readouterr().out
    assert not ex.check_nms(None)
    assert "no answer yet" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------- questionnaire
RIGHT = {
    "A photo shows three muffins and a chihuahua": {"object detection"},
    "Box B is box A shifted right by half": {"1/3"},
    "Which statements about IoU are true": {"it is 0 for boxes that only touch",
                                            "it does not change when both boxes are scaled by the same factor"},
    "Why does the localizer predict its box through a sigmoid": {
        "every target number then lies between 0 and 1, the range a sigmoid can reach"},
    "In the grid detector, which cell is responsible": {"the cell that holds the centre of the object's box"},
    "Why do the box and class losses of the grid detector use a mask": {
        "empty cells have no box or class to learn", "without it the network would learn boxes of nothing"},
    "What does non-maximum suppression do": {
        "it keeps the best-scoring box and drops other boxes that overlap it by more than the threshold"},
    "A detector finds every object but also draws many false boxes": {"precision", "AP / mAP"},
    "How does a two-stage detector (R-CNN family) differ": {
        "it first proposes regions, then classifies each region and refines its box",
        "the original R-CNN ran a CNN on each of about 2,000 regions, so it was far slower"},
}


def test_questionnaire_answer_keys():
    keys = assert_keys_restated(ex.QUESTIONS, RIGHT)
    for prefix, q in keys.items():
        assert q.explanation, prefix


def test_shifted_box_question_matches_iou():
    a, b = np.array([0, 0, 10, 10.0]), np.array([5, 0, 15, 10.0])
    assert detection.iou(a, b) == pytest.approx(1 / 3)
