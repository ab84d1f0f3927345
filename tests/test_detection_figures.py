"""Tests for utils.detection_figures: boxes on pictures, IoU figures and explorer, the grid, thresholds, results."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from utils import detection_figures as figs
from utils.detection import iou

NAMES = ("chihuahua", "muffin")
JPEG = b"\xff\xd8\xff"


def picture(size=64, seed=0):
    return np.random.default_rng(seed).integers(0, 255, (size, size, 3), dtype=np.uint8)


def truth():
    return {"boxes": np.array([[4, 4, 30, 28], [34, 30, 60, 62]], float), "classes": np.array([0, 1])}


def raw():
    """Raw detections like decode_grid's: two near-duplicates of the first object, one of the second, one weak."""
    return {"boxes": np.array([[5, 4, 30, 29], [3, 5, 29, 27], [34, 31, 60, 61], [40, 0, 50, 10]], float),
            "scores": np.array([0.9, 0.8, 0.7, 0.1]), "classes": np.array([0, 0, 1, 1])}


def rectangles(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_draw_boxes_puts_one_rectangle_per_box_on_pixel_edges():
    fig, ax = plt.subplots()
    ax.imshow(picture())
    figs.draw_boxes(ax, truth()["boxes"], truth()["classes"], [0.5, 0.75], NAMES)
    rects = rectangles(ax)
    assert len(rects) == 2 and rects[0].get_xy() == (3.5, 3.5) and rects[0].get_width() == 26
    assert [t.get_text() for t in ax.texts] == ["chihuahua 50%", "muffin 75%"]
    assert rects[0].get_edgecolor() != rects[1].get_edgecolor(), "classes get different colours"
    with pytest.raises(ValueError, match="x2 < x1"):
        figs.draw_boxes(ax, [[5, 0, 1, 1]])


def test_show_scenes_and_three_tasks():
    fig = figs.show_scenes([picture(), picture(seed=1)], [truth(), truth()], NAMES, predictions=[raw(), raw()],
                           ncols=2, suptitle="x")
    assert len(rectangles(fig.axes[0])) == 2 + 4
    with pytest.raises(ValueError, match="one target"):
        figs.show_scenes([picture()], [], NAMES)
    fig = figs.three_tasks(picture(), truth(), NAMES)
    assert "“muffin”" in fig.axes[0].get_title(), "the largest object names the picture"
    assert [len(rectangles(ax)) for ax in fig.axes] == [0, 1, 2]


def test_plot_iou_shows_the_worked_value():
    fig = figs.plot_iou([0, 0, 20, 20], [10, 10, 30, 30], 32)
    assert fig.axes[0].get_title() == f"IoU = 100 / 700 = {iou([0, 0, 20, 20], [10, 10, 30, 30]):.2f}"
    assert len(rectangles(fig.axes[0])) == 3, "two boxes and their intersection"
    fig = figs.plot_iou([0, 0, 10, 10], [10, 0, 20, 10], 32)
    assert fig.axes[0].get_title() == "IoU = 0 / 200 = 0.00" and len(rectangles(fig.axes[0])) == 2
    with pytest.raises(ValueError, match="outside"):
        figs.plot_iou([0, 0, 10, 10], [0, 0, 40, 10], 32)


def test_iou_examples_go_from_apart_to_identical():
    titles = [ax.get_title() for ax in figs.iou_examples().axes]
    assert titles[0].endswith("= 0.00") and titles[-1].endswith("= 1.00") and len(titles) == 5


def test_iou_explorer_redraws_when_box_b_moves():
    box = figs.iou_explorer()
    first = bytes(box.image.value)
    assert first.startswith(JPEG), "live_figure sends JPEG"
    box.controls["x"].value = 60  # B now reaches past the right edge: it is cut at the border, not an error
    assert bytes(box.image.value) != first and box.result.axes[0].get_title().startswith("IoU = ")


def test_plot_grid_marks_the_responsible_cells():
    fig = figs.plot_grid(picture(), truth(), 4, NAMES)
    assert len(fig.axes) == 1 and len(rectangles(fig.axes[0])) == 2 + 2
    fig = figs.plot_grid(picture(), truth(), 4, NAMES, objectness=np.eye(4))
    assert fig.axes[1].get_title() == "predicted objectness per cell"


def test_filter_detections_thresholds_then_suppresses():
    kept = figs.filter_detections(raw(), 0.5, 0.5)
    assert kept["scores"].tolist() == [0.9, 0.7]
    assert len(figs.filter_detections(raw(), 0.05, 1.0)["boxes"]) == 4
    assert len(figs.filter_detections(raw(), 0.99, 0.5)["boxes"]) == 0


def test_plot_thresholds_and_explorer():
    fig = figs.plot_thresholds(picture(), raw(), NAMES, 0.5, 0.5)
    assert [ax.get_title() for ax in fig.axes] == ["score ≥ 0.50: 3 boxes", "after NMS (IoU > 0.50 removed): 2"]
    box = figs.threshold_explorer([picture(), picture(seed=2)], [raw(), raw()], NAMES)
    box.controls["score"].value = 0.05
    assert box.result.axes[1].get_title().endswith(": 3")
    box.controls["overlap"].value = 1.0
    assert box.result.axes[1].get_title().endswith(": 4")
    with pytest.raises(ValueError, match="one raw detection dict per picture"):
        figs.threshold_explorer([picture()], [], NAMES)


def test_threshold_explorer_updates_one_figure_in_place():
    box = figs.threshold_explorer([picture(), picture(seed=2)], [raw(), raw()], NAMES)
    fig, first = box.result, bytes(box.image.value)
    box.controls["picture"].value = 1
    assert box.result is fig and bytes(box.image.value) != first
    assert (fig.axes[0].images[0].get_array() == picture(seed=2)).all()
    box.controls["score"].value = 0.95  # no box left: every rectangle and label hidden
    assert not any(p.get_visible() for p in rectangles(fig.axes[1])) and fig.axes[1].get_title().endswith(": 0")
    static = figs.plot_thresholds(picture(), raw(), NAMES)
    assert not any(a.get_animated() for ax in static.axes for a in ax.get_children()), "a static figure draws all"
    with pytest.raises(ValueError, match="same shape"):
        figs.threshold_explorer([picture(), picture(32)], [raw(), raw()], NAMES)


def test_show_results_judges_like_map():
    det = figs.filter_detections(raw(), 0.05, 0.5)  # the chihuahua, the muffin and a weak false alarm
    fig = figs.show_results([picture()], [det], [truth()], NAMES, ncols=1)
    assert fig.axes[0].get_title() == "2 hit · 1 false · 0 missed"
    wrong_class = {**det, "classes": 1 - det["classes"]}
    fig = figs.show_results([picture()], [wrong_class], [truth()], NAMES, ncols=1)
    assert fig.axes[0].get_title() == "0 hit · 3 false · 2 missed"


def test_plot_pr_curves_labels_each_class_with_its_ap():
    curves = [(np.array([1, 0.5, 2 / 3]), np.array([0.5, 0.5, 1]), 0.83), (np.array([1.0]), np.array([1.0]), 1.0)]
    fig = figs.plot_pr_curves(curves, NAMES)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["chihuahua: AP 0.83", "muffin: AP 1.00"]
