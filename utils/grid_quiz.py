"""The course's opening challenge as a widget: label a 4×4 grid of images, then compare with the CNN."""

import cv2
import ipywidgets as widgets
import numpy as np

from utils import validate
from utils.plots import image_grid


def _names(values, class_names, name, allow_none=False):
    """Check that every entry is one of ``class_names`` (or None when allowed) and return them as a list."""
    values = list(values)
    bad = [v for v in values if not (v in class_names or (allow_none and v is None))]
    if bad:
        raise ValueError(f"{name} holds {bad[0]!r}, which is not one of the classes {list(class_names)}")
    return values


def grade_grid(answers, truth, class_names):
    """Grade a labelled grid: return ``(correct, unanswered)``; an unanswered image (None) counts as wrong."""
    answers = _names(answers, class_names, "answers", allow_none=True)
    truth = _names(truth, class_names, "truth")
    if len(answers) != len(truth):
        raise ValueError(f"got {len(answers)} answers for {len(truth)} images: give one answer (or None) per image")
    correct = sum(a == t for a, t in zip(answers, truth))
    unanswered = sum(a is None for a in answers)
    return correct, unanswered


def score_message(student, cnn, total, unanswered=0):
    """One line comparing the student's score with the CNN's, e.g. ``'You: 13 / 16 · CNN: 15 / 16 — ...'``."""
    for value, name in ((student, "student"), (cnn, "cnn"), (unanswered, "unanswered")):
        validate.integer(name, value, 0, total)
    verdict = "a draw." if student == cnn else ("you win!" if student > cnn else "the CNN wins.")
    line = f"You: {student} / {total} · CNN: {cnn} / {total} — {verdict}"
    if unanswered:
        line += f" ({unanswered} image{'s' if unanswered > 1 else ''} left unlabelled counted as wrong.)"
    return line


def _jpeg(image, quality=90):
    """An RGB uint8 image as JPEG bytes at its own size (the widget enlarges it; JPEG keeps the notebook small)."""
    img = np.asarray(image).astype("uint8")
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode the image as JPEG")
    return buf.tobytes()


def _check_grid(images, truth, cnn_answers, class_names):
    """Check the quiz inputs: one truth and one CNN answer per RGB image, all from ``class_names``."""
    if len(class_names) < 2:
        raise ValueError(f"give at least two class names, got {list(class_names)}")
    if len(images) == 0 or not len(images) == len(truth) == len(cnn_answers):
        raise ValueError(f"give as many truths and CNN answers as images (got {len(images)} images, "
                         f"{len(truth)} truths, {len(cnn_answers)} CNN answers)")
    for i, img in enumerate(images):
        if np.asarray(img).ndim != 3 or np.asarray(img).shape[2] != 3:
            raise ValueError(f"image {i} has shape {np.asarray(img).shape}: expected RGB (H, W, 3)")
    _names(truth, class_names, "truth")
    _names(cnn_answers, class_names, "cnn_answers")


def grid_quiz(images, truth, cnn_answers, class_names, ncols=4):
    """A grid of images, each with one toggle per class, and a Score button that reveals the truth, the
    CNN's answers and both scores. ``box.score()`` presses the button (for tests)."""
    _check_grid(images, truth, cnn_answers, class_names)
    toggles, reveals, cells = [], [], []
    for img in images:
        toggle = widgets.ToggleButtons(options=list(class_names), value=None,
                                       style=widgets.ToggleButtonsStyle(button_width="56px"))
        reveal = widgets.HTML("&nbsp;")
        toggles.append(toggle)
        reveals.append(reveal)
        cells.append(widgets.VBox([widgets.Image(value=_jpeg(img), format="jpeg", width=112, height=112),
                                   toggle, reveal], layout=widgets.Layout(align_items="center")))
    grid = widgets.GridBox(cells, layout=widgets.Layout(grid_template_columns=f"repeat({ncols}, 150px)"))
    button = widgets.Button(description="Score", button_style="primary")
    feedback = widgets.HTML()

    def score(_=None):
        answers = [t.value for t in toggles]
        you, unanswered = grade_grid(answers, truth, class_names)
        cnn, _ = grade_grid(cnn_answers, truth, class_names)
        for reveal, a, c, t in zip(reveals, answers, cnn_answers, truth):
            mark_you = "✅" if a == t else "❌"
            mark_cnn = "✅" if c == t else "❌"
            reveal.value = f"<small>truth: <b>{t}</b><br>you {mark_you} · CNN {mark_cnn}</small>"
        feedback.value = f"<b>{score_message(you, cnn, len(truth), unanswered)}</b>"
        return you, cnn

    button.on_click(score)
    box = widgets.VBox([widgets.HTML("<b>Label every image, then press Score.</b>"), grid, button, feedback])
    box.toggles, box.reveals, box.feedback, box.score = toggles, reveals, feedback, score
    return box


def show_quiz_answers(images, truth, cnn_answers, class_names, ncols=4, size=2.0):
    """Static figure of the quiz: each image titled with the CNN's answer, green when right, red when wrong."""
    _check_grid(images, truth, cnn_answers, class_names)
    fig, axes = image_grid(len(images), ncols, size, extra_height=0.6)
    for ax, img, t, c in zip(axes, images, truth, cnn_answers):
        ax.imshow(np.asarray(img).astype("uint8"))
        ax.set_title(f"CNN: {c} {'✓' if c == t else '✗'}", fontsize=10, color="green" if c == t else "firebrick")
    cnn, _ = grade_grid(cnn_answers, truth, class_names)
    fig.suptitle(f"The CNN's answers: {cnn} / {len(truth)} right (red = wrong)")
    fig.tight_layout()
    return fig
