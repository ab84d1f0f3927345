"""Lesson 08's key figures still show their point (nbval compares only '<Figure size … with N Axes>').

``tests/test_detection_figures.py`` checks titles and counts; these read what a student looks at: where the
intersection and the responsible cell are drawn, which colour and line style tell a hit from a false alarm and a
missed object, the plotted precision-recall steps, and a perceptual hash of the IoU row (``tests/figure_guard.py``).
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_guard import describe, dhash, hamming  # noqa: E402

from utils import detection, detection_figures as figs  # noqa: E402

NAMES = ("chihuahua", "muffin")


def visible_rectangles(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_visible()]


def test_iou_figure_fills_exactly_the_intersection():
    fig = figs.plot_iou([4, 8, 24, 40], [14, 20, 44, 30])
    filled = [p for p in visible_rectangles(fig.axes[0]) if p.get_fill()]
    assert len(filled) == 1
    box = filled[0]
    assert (box.get_x(), box.get_y(), box.get_width(), box.get_height()) == (14, 20, 10, 10), (
        "the filled patch is the overlap: x from 14 to 24, y from 20 to 30")
    outlines = [p for p in visible_rectangles(fig.axes[0]) if not p.get_fill()]
    assert [to_hex(p.get_edgecolor()) for p in outlines] == [c.lower() for c in figs.CLASS_COLOURS]
    assert [t.get_text() for t in fig.axes[0].texts] == ["A", "B"]


def test_grid_figure_shades_the_cell_that_holds_each_centre():
    image = np.zeros((64, 64, 3), np.uint8)
    target = {"boxes": np.array([[2, 34, 20, 60], [40, 4, 62, 14]], float), "classes": np.array([0, 1])}
    fig = figs.plot_grid(image, target, 4, NAMES)
    ax = fig.axes[0]
    cells = [p for p in visible_rectangles(ax) if p.get_fill()]
    # centres (11, 47) and (51, 9): 16-pixel cells (row 2, col 0) and (row 0, col 3), drawn on pixel edges
    assert sorted((p.get_x(), p.get_y()) for p in cells) == [(-0.5, 31.5), (47.5, -0.5)]
    assert all(p.get_width() == p.get_height() == 16 for p in cells)
    centres = sorted(tuple(np.ravel(line.get_xydata())) for line in ax.lines if line.get_marker() == "o")
    assert centres == [(10.5, 46.5), (50.5, 8.5)]
    assert describe(fig)["axes"][0]["title"] == "4×4 grid: the cell with the centre answers"


def test_results_figure_tells_hits_false_alarms_and_misses_apart_by_colour_and_style():
    truth = {"boxes": np.array([[4, 4, 30, 28], [34, 30, 60, 62]], float), "classes": np.array([0, 1])}
    found = {"boxes": np.array([[5, 4, 30, 29], [40, 0, 50, 10]], float), "scores": np.array([0.9, 0.4]),
             "classes": np.array([0, 1])}
    fig = figs.show_results([np.zeros((64, 64, 3), np.uint8)], [found], [truth], NAMES, ncols=1)
    ax = fig.axes[0]
    assert ax.get_title() == "1 hit · 1 false · 1 missed"
    drawn = {(to_hex(p.get_edgecolor()), p.get_linestyle()): (p.get_x() + 0.5, p.get_y() + 0.5)
             for p in visible_rectangles(ax)}
    assert drawn == {(figs.MISSED.lower(), "--"): (34, 30), (figs.HIT.lower(), "-"): (5, 4),
                     (figs.FALSE.lower(), ":"): (40, 0)}
    assert sorted(t.get_text() for t in ax.texts if t.get_visible()) == ["chihuahua 90%", "muffin 40%"]


def test_pr_figure_plots_the_curve_from_precision_one_at_recall_zero():
    dets = [{"boxes": np.array([[0, 0, 10, 10], [50, 50, 60, 60], [20, 20, 30, 30]], float),
             "scores": np.array([0.9, 0.8, 0.7]), "classes": np.array([0, 0, 0])}]
    gts = [{"boxes": np.array([[0, 0, 10, 10], [20, 20, 30, 30]], float), "classes": np.array([0, 0])}]
    p, r, _, _ = detection.precision_recall_curve(dets, gts, 0)
    ap = detection.average_precision(p, r)
    fig = figs.plot_pr_curves([(p, r, ap)], NAMES[:1])
    line = fig.axes[0].lines[0]
    assert line.get_drawstyle() == "steps-post"
    assert np.allclose(line.get_xdata(), [0, 0.5, 0.5, 1]) and np.allclose(line.get_ydata(), [1, 1, 0.5, 2 / 3])
    assert describe(fig)["axes"][0]["legend"] == [f"chihuahua: AP {ap:.2f}"] == ["chihuahua: AP 0.83"]


IOU_ROW_HASH = 0x2AAB828A2A42552A   # figure_guard.dhash(detection_figures.iou_examples()), 2026-12-01
TOLERANCE = 5   # bits of 64, as for the gallery in tests/test_key_figures.py


def test_iou_row_still_looks_the_same():
    got = dhash(figs.iou_examples())
    assert hamming(got, IOU_ROW_HASH) <= TOLERANCE, (
        f"the IoU row changed: hash {got:#018x}, {hamming(got, IOU_ROW_HASH)} bits from {IOU_ROW_HASH:#018x}")
