"""Lesson 09's figures draw without error, say what they show, and the threshold view is fast enough."""

import time

import numpy as np
import pytest
from IPython.display import Markdown

from utils import face_figures, face_detection, faces
from utils.figure_widget import live_figure


def _scores(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    same = rng.uniform(size=n) < 0.1
    return np.clip(np.where(same, rng.normal(0.8, 0.1, n), rng.normal(0.1, 0.3, n)), -1, 1), same


def test_show_source_is_markdown_code():
    md = face_figures.show_source(face_figures.show_source)
    assert isinstance(md, Markdown) and md.data.startswith("```python\ndef show_source")
    with pytest.raises(TypeError, match="function"):
        face_figures.show_source(3)


def test_show_boxes_and_pyramid():
    img = np.zeros((100, 100, 3), np.uint8)
    fig = face_figures.show_boxes(img, {"a": ([[10, 10, 50, 50]], "red", [1.5]), "b": (np.zeros((0, 4)), "blue", None)})
    assert len(fig.axes[0].patches) == 1
    levels = face_detection.pyramid_levels(np.zeros((200, 200), np.uint8))
    fig = face_figures.show_pyramid(levels, (100, 100), max_levels=3)
    assert len(fig.axes) == 3 and fig.axes[0].get_title() == "125×125"


def test_show_individuals_and_similarity():
    photos = faces.draw_faces(faces.make_individuals(3), 4)
    fig = face_figures.show_individuals(photos, n_dogs=2, per_dog=3)
    assert [ax.get_ylabel() for ax in fig.axes[::3]] == ["dog 0", "dog 1"]
    emb = np.repeat(np.eye(3), 4, axis=0)
    fig = face_figures.show_similarity(emb, photos.ids)
    image = fig.axes[0].get_images()[0].get_array()
    assert image[0, 0] == 1 and image[0, 11] == 0


def test_threshold_view_marks_the_chosen_point():
    scores, same = _scores()
    fig = face_figures.threshold_view(scores, same, 0.5)
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert legend[0].startswith("FAR") and legend[1].startswith("EER")
    with pytest.raises(ValueError, match="threshold"):
        face_figures.threshold_view(scores, same, 2.0)


def test_threshold_widget_responds_quickly():
    scores, same = _scores(40000)
    box = live_figure(lambda threshold: face_figures.threshold_view(scores, same, threshold),
                      {"threshold": __import__("ipywidgets").FloatSlider(value=0.5, min=-0.2, max=1.0)})
    times = []
    for value in (0.2, 0.4, 0.6, 0.8, 0.7):
        start = time.perf_counter()
        box.controls["threshold"].value = value
        times.append(time.perf_counter() - start)
    assert box.image.value and np.median(times) < 1.0  # ~0.1-0.2 s on an idle laptop; generous for CI


def test_show_group_rates():
    table = {"a": {"far": 0.1, "frr": 0.05}, "b": {"far": 0.2, "frr": 0.3}}
    fig = face_figures.show_group_rates({"one": table, "two": table})
    assert [ax.get_title() for ax in fig.axes] == ["one", "two"]


def test_every_figure_of_the_lesson_is_readable_on_a_slide():
    import matplotlib.pyplot as plt

    from utils import tracking
    from utils.figure_widget import unreadable_texts
    from utils.notebook import FIGURE_STYLE

    photos = faces.draw_faces(faces.make_individuals(4), 6)
    scores, same = _scores()
    clip = tracking.make_clip(faces.make_individuals(3, start=2000), n_frames=8)
    boxes = np.array([[180, 70, 270, 175], [10, 300, 90, 380], [300, 40, 340, 80], [400, 400, 450, 450]], float)
    rates = {"a": {"far": 0.1, "frr": 0.05}, "b": {"far": 0.2, "frr": 0.3}}
    with plt.rc_context(FIGURE_STYLE):
        figures = _lesson_figures(photos, scores, same, clip, boxes, rates)
    assert {name: unreadable_texts(fig) for name, fig in figures.items()} == {name: [] for name in figures}
    assert len(figures["boxes"].axes[0].texts) == 3, "only the 3 best-scored boxes carry a score"


def _lesson_figures(photos, scores, same, clip, boxes, rates):
    from skimage import data as skdata

    from utils import landmarks, tracking

    return {
        "boxes": face_figures.show_boxes(skdata.astronaut(), {"CNN": (boxes, face_figures.ORANGE, [9.9, 3, 2, 1]),
                                                              "by eye": (boxes[:1], face_figures.GREEN, None)}),
        "pyramid": face_figures.show_pyramid(face_detection.pyramid_levels(skdata.astronaut()), (225, 125)),
        "individuals": face_figures.show_individuals(photos, n_dogs=4, per_dog=6, title="Four dogs"),
        "similarity": face_figures.show_similarity(np.random.default_rng(0).normal(size=(24, 8)), photos.ids),
        "threshold": face_figures.threshold_view(scores, same, 0.7),
        "groups": face_figures.show_group_rates({"by coat": rates, "by light": rates}, title="Error rates"),
        "landmarks": landmarks.show_landmarks(photos.x[:6], photos.points[:6], photos.points[:6] + 1,
                                              names=faces.LANDMARKS, title="Landmarks"),
        "tracks": tracking.show_tracks(clip, clip.ids, title="Tracks"),
    }
