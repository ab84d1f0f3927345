"""Tests for utils.detection_exercises: right answers pass, typical mistakes get their message, hints come in steps,
and no expected value is ever printed."""

import numpy as np
import pytest

from utils import detection
from utils import detection_exercises as ex


@pytest.fixture(autouse=True)
def fresh_tries():
    ex._TRIES.clear()
    yield
    ex._TRIES.clear()


def good_iou(a, b):
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def unclipped_iou(a, b):
    inter = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_iou_check_passes_a_right_answer(capsys):
    assert ex.check_iou(good_iou)
    assert capsys.readouterr().out.startswith("✅")


def test_iou_hints_come_in_steps(capsys):
    assert not ex.check_iou(None)
    first = capsys.readouterr().out
    assert "no answer yet" in first and ex.IOU_HINTS[0] in first
    assert not ex.check_iou(lambda a, b: 0.5)
    second = capsys.readouterr().out
    assert ex.IOU_HINTS[1] in second and ex.IOU_HINTS[0] not in second
    assert ex.check_iou(good_iou)
    capsys.readouterr()
    assert not ex.check_iou(lambda a, b: 0.5)
    assert ex.IOU_HINTS[0] in capsys.readouterr().out, "a success starts the steps again"


def test_iou_check_spots_a_negative_overlap(capsys):
    assert not ex.check_iou(unclipped_iou)
    out = capsys.readouterr().out
    assert "outside 0..1" in out and "apart" in out


def test_iou_check_reports_errors_and_placeholders(capsys):
    def unfinished(a, b):
        raise NotImplementedError

    assert not ex.check_iou(unfinished)
    assert "not written yet" in capsys.readouterr().out


def test_cell_box_check(capsys):
    t = (0.25, 0.5, 0.5, 0.25)
    right = detection.cell_box(2, 1, *t, grid=4, image_size=64)
    assert ex.check_cell_box(tuple(right.tolist()), 2, 1, t, 4, 64)
    capsys.readouterr()
    swapped = right[[1, 0, 3, 2]]
    assert not ex.check_cell_box(swapped, 2, 1, t, 4, 64)
    out = capsys.readouterr().out
    assert ex.CELL_HINTS[0] in out and "x1 is too large; y1 is too small" in out
    for value in right:
        assert f"{value:g}" not in out.replace(ex.CELL_HINTS[0], ""), "the expected corners are never printed"
    assert not ex.check_cell_box(None, 2, 1, t, 4, 64)
    assert "no answer yet" in capsys.readouterr().out
    assert not ex.check_cell_box([1, 2, 3], 2, 1, t, 4, 64)
    assert "four numbers" in capsys.readouterr().out


def nms_loop(boxes, scores, iou_threshold):
    order = list(np.argsort(scores)[::-1])
    keep = []
    while order:
        best = order.pop(0)
        keep.append(int(best))
        order = [i for i in order if detection.iou(boxes[best], boxes[i]) <= iou_threshold]
    return keep


def test_nms_check(capsys):
    assert ex.check_nms(nms_loop)
    assert capsys.readouterr().out.startswith("✅")
    assert not ex.check_nms(lambda b, s, t: sorted(nms_loop(b, s, t)))
    assert "another order" in capsys.readouterr().out
    assert not ex.check_nms(lambda b, s, t: list(range(len(b))))
    assert ex.NMS_HINTS[1] in capsys.readouterr().out, "the second failure gets the concrete hint"
    assert not ex.check_nms(lambda b, s, t: None)
    assert "returned None" in capsys.readouterr().out
