"""Tests for utils.image_widgets: pixel figures, widget callbacks, widget builders and the lesson-01 quiz."""

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from skimage.metrics import peak_signal_noise_ratio  # noqa: E402

from utils.image_widgets import (  # noqa: E402
    CLASSIFICATION_CORRECT, CLASSIFICATION_OPTIONS, BrightnessContrastFigure, JpegQualityFigure, brightness_contrast_view,
    brightness_contrast_widget,
    classification_quiz, jpeg_quality_view, jpeg_quality_widget, show_pixel_values, show_zoom,
)
from utils.figure_widget import unreadable_texts  # noqa: E402
from utils.images import adjust_brightness_contrast, jpeg_roundtrip, load_sample  # noqa: E402
from utils.notebook import FIGURE_STYLE  # noqa: E402
from utils.quiz import grade_choices  # noqa: E402

CAMERA = load_sample("camera")
SMALL_RGB = load_sample("astronaut")[::8, ::8]


# --- figures -------------------------------------------------------------------------------------------------

def test_show_pixel_values_writes_every_grayscale_value():
    crop = CAMERA[180:184, 230:235]
    ax = show_pixel_values(crop)
    labels = [t.get_text() for t in ax.texts]
    assert labels == [str(v) for v in crop.ravel()]


def test_show_pixel_values_writes_rgb_triplets():
    crop = SMALL_RGB[:2, :3]
    ax = show_pixel_values(crop)
    assert ax.texts[0].get_text() == "\n".join(str(v) for v in crop[0, 0])
    assert len(ax.texts) == 6


def test_show_pixel_values_rejects_big_crops_and_bad_input():
    with pytest.raises(ValueError, match="at most 400 pixels"):
        show_pixel_values(CAMERA[:30, :30])
    with pytest.raises(ValueError, match="got None"):
        show_pixel_values(None)
    with pytest.raises(TypeError, match="expects dtype uint8"):
        show_pixel_values(CAMERA[:4, :4].astype(float))


def test_show_zoom_draws_each_view_and_values_in_the_last():
    fig = show_zoom(CAMERA, [(150, 200, 64, 64), (182, 232, 8, 8)])
    assert len(fig.axes) == 3
    assert [ax.get_title() for ax in fig.axes] == ["512 × 512 pixels", "64 × 64 pixels", "8 × 8 pixels"]
    assert len(fig.axes[2].texts) == 64
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), CAMERA[150:214, 200:264])


@pytest.mark.parametrize("make", [
    lambda: show_pixel_values(CAMERA[180:186, 230:236]).figure,
    lambda: show_pixel_values(SMALL_RGB[:4, :4]).figure,
    lambda: show_zoom(CAMERA, [(150, 200, 64, 64), (182, 232, 8, 8)], size=4.3),
    lambda: brightness_contrast_view(CAMERA, 60, 2.0),
    lambda: jpeg_quality_view(SMALL_RGB, 30, crop=(10, 12, 20, 16)),
])
def test_figure_text_is_readable_and_inside_the_figure(make):
    """At the course's style (80 dpi, 11 pt text) nothing is smaller than 11 pt or cut off at the edge."""
    with plt.rc_context(FIGURE_STYLE):
        assert unreadable_texts(make()) == []


def test_show_zoom_rejects_boxes_outside_the_previous_view():
    with pytest.raises(ValueError, match="must lie inside the previous view"):
        show_zoom(CAMERA, [(150, 200, 64, 64), (100, 100, 8, 8)])
    with pytest.raises(ValueError, match="at least one box"):
        show_zoom(CAMERA, [])
    with pytest.raises(ValueError, match="needs 2 titles"):
        show_zoom(CAMERA, [(0, 0, 8, 8)], titles=["only one"])


def slider(ui, name):
    """The control of an ``interactive`` for argument ``name`` (``fixed`` arguments have no slider)."""
    found = [w for w in ui.kwargs_widgets if getattr(w, "description", None) == name]
    assert len(found) == 1, f"no slider called {name!r}"
    return found[0]


# --- widget callbacks ----------------------------------------------------------------------------------------

def test_brightness_contrast_callback_through_interactive():
    ui = widgets.interactive(brightness_contrast_view, image=widgets.fixed(CAMERA), brightness=(-150, 150, 10),
                             contrast=(0.2, 3.0, 0.1))
    slider(ui, "brightness").value = 40
    slider(ui, "contrast").value = 1.5
    ui.update()
    fig = ui.result
    shown = fig.axes[1].images[0].get_array()
    expected = adjust_brightness_contrast(CAMERA, 40, 1.5)
    np.testing.assert_array_equal(shown, expected)
    clipped = np.mean((expected == 0) | (expected == 255)) * 100
    assert fig._suptitle.get_text().startswith(f"{clipped:.1f} %")
    assert "brightness +40, contrast × 1.5" in [ax.get_title() for ax in fig.axes]


def test_brightness_contrast_view_rejects_bad_settings():
    with pytest.raises(ValueError, match="contrast must be between 0 and 10"):
        brightness_contrast_view(CAMERA, 0, -1.0)


def test_jpeg_callback_through_interactive_reports_measured_size_and_psnr():
    ui = widgets.interactive(jpeg_quality_view, image=widgets.fixed(SMALL_RGB), quality=(1, 100), crop=widgets.fixed(None))
    slider(ui, "quality").value = 20
    ui.update()
    decoded, nbytes = jpeg_roundtrip(SMALL_RGB, 20)
    title = ui.result._suptitle.get_text()
    assert f"JPEG quality 20: {nbytes:,} bytes" in title
    assert f"PSNR {peak_signal_noise_ratio(SMALL_RGB, decoded):.1f} dB" in title
    np.testing.assert_array_equal(ui.result.axes[0].images[0].get_array(), decoded)


def test_jpeg_view_with_crop_shows_original_and_decoded_zoom():
    fig = jpeg_quality_view(SMALL_RGB, 30, crop=(10, 12, 20, 16))
    assert len(fig.axes) == 3
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), SMALL_RGB[10:30, 12:28])


def test_jpeg_view_rejects_bad_crop_and_quality():
    with pytest.raises(ValueError, match="must lie inside the image"):
        jpeg_quality_view(SMALL_RGB, 30, crop=(50, 50, 40, 40))
    with pytest.raises(ValueError, match="quality must be between 0 and 100"):
        jpeg_quality_view(SMALL_RGB, 150)


def test_widget_builders_wire_sliders_to_the_callbacks():
    box = brightness_contrast_widget(SMALL_RGB)
    assert list(box.controls) == ["brightness", "contrast"]
    assert isinstance(box.image, widgets.Image) and bytes(box.image.value).startswith(b"\xff\xd8\xff")  # JPEG
    assert not any(isinstance(w, widgets.Output) for w in box.children), "no Output widget: it can stall make execute"
    box = jpeg_quality_widget(SMALL_RGB, crop=(0, 0, 10, 10))
    assert box.controls["quality"].description == "JPEG quality" and box.controls["quality"].value == 50


def test_widget_builder_redraws_when_a_slider_moves():
    box = jpeg_quality_widget(SMALL_RGB, crop=(0, 0, 10, 10))
    before = bytes(box.image.value)
    box.controls["quality"].value = 80
    decoded, nbytes = jpeg_roundtrip(SMALL_RGB, 80)
    assert f"JPEG quality 80: {nbytes:,} bytes" in box.result._suptitle.get_text()
    np.testing.assert_array_equal(box.result.axes[0].images[0].get_array(), decoded)
    np.testing.assert_array_equal(box.result.axes[2].images[0].get_array(), decoded[:10, :10])
    assert bytes(box.image.value) != before
    box = brightness_contrast_widget(SMALL_RGB)
    before = bytes(box.image.value)
    box.controls["contrast"].value = 2.5
    assert bytes(box.image.value) != before
    np.testing.assert_array_equal(box.result.axes[1].images[0].get_array(),
                                  adjust_brightness_contrast(SMALL_RGB, 0, 2.5))


def test_live_widgets_keep_one_figure_that_matches_the_static_view():
    """The widget updates one figure in place; it must say what a fresh static figure says."""
    box = brightness_contrast_widget(CAMERA)
    first = box.result
    box.controls["brightness"].value = -40
    box.controls["contrast"].value = 1.8
    assert box.result is first, "the widget keeps its figure and updates it"
    static = brightness_contrast_view(CAMERA, -40, 1.8)
    assert box.result._suptitle.get_text() == static._suptitle.get_text()
    assert [ax.get_title() for ax in box.result.axes] == [ax.get_title() for ax in static.axes]
    np.testing.assert_array_equal(box.result.axes[1].images[0].get_array(), static.axes[1].images[0].get_array())


def test_widget_builders_reject_bad_images():
    with pytest.raises(ValueError, match="got None"):
        brightness_contrast_widget(None)
    with pytest.raises(TypeError, match="expects dtype uint8"):
        jpeg_quality_widget(SMALL_RGB.astype(np.float32))


# --- quiz ----------------------------------------------------------------------------------------------------

def test_quiz_answers_are_graded_right():
    ok, message = grade_choices(CLASSIFICATION_CORRECT, CLASSIFICATION_CORRECT, CLASSIFICATION_OPTIONS)
    assert ok and "all 5 right answers" in message
    spreadsheet = CLASSIFICATION_OPTIONS[2]
    ok, message = grade_choices([CLASSIFICATION_CORRECT[0], spreadsheet], CLASSIFICATION_CORRECT,
                                CLASSIFICATION_OPTIONS)
    assert not ok and "spreadsheet" in message and "missed 4" in message


def test_quiz_widget_gives_feedback_when_checked():
    quiz = classification_quiz()
    for box in quiz.boxes:
        box.value = box.description in CLASSIFICATION_CORRECT
    quiz.check(None)
    assert "✅" in quiz.feedback.value and "no image as input" in quiz.feedback.value
    quiz.boxes[4].value = True  # translation is not image classification
    quiz.check(None)
    assert "❌" in quiz.feedback.value and "Translating" in quiz.feedback.value


@pytest.mark.parametrize("figure, change", [
    (lambda: BrightnessContrastFigure(CAMERA, live=True), lambda f, k: f.update(10 * k, 1 + 0.1 * k)),
    (lambda: JpegQualityFigure(SMALL_RGB, crop=(0, 0, 10, 10), live=True), lambda f, k: f.update(10 + k)),
])
def test_live_updates_touch_only_animated_artists(figure, change):
    """Otherwise every change redraws the whole figure (3–10× slower): see utils.figure_widget.render_figure."""
    from utils.figure_widget import render_figure

    f = figure()
    render_figure(change(f, 1))
    assert not change(f, 2).stale
