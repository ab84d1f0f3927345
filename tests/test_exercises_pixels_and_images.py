"""Lesson 01's answer keys: each check accepts the solution and rejects typical wrong answers; the questionnaire's
and the applications quiz's right answers are restated here independently."""

import json
import re
import string
from pathlib import Path

import cv2
import numpy as np
import pytest

from utils import checks
from utils.exercises import pixels_and_images as ex
from utils.image_widgets import CLASSIFICATION_CORRECT, CLASSIFICATION_OPTIONS
from utils.images import load_sample
from utils.quiz import grade_choices

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_pixels_and_images.ipynb"

RIGHT = {
    "A photo has shape (480, 640, 3)": {"It is 640 pixels wide and 480 pixels high",
                                        "It takes 921,600 bytes in memory", "It has 307,200 pixels"},
    "A screen shows the same 1920 × 1080 image": {"The size of each pixel on the screen",
                                                  "The pixel density (pixels per inch)"},
    "What are a screen's sub-pixels?": {"Tiny red, green and blue lights that together make one pixel's colour",
                                        "Lights whose brightness the pixel's three numbers (R, G, B) set"},
    "`np.array([250], dtype=np.uint8) + 10`": {"4"},
    "Why does grayscale conversion weigh green most": {
        "Because our eyes are most sensitive to green light",
        "So that pure red, green and blue do not all become the same grey"},
    "You read a photo with `cv2.imread`": {
        "OpenCV returns the channels as B, G, R; convert with cv2.cvtColor(img, cv2.COLOR_BGR2RGB)"},
    "Which technique answers": {"segmentation"},
    "A denoised photo has a higher PSNR": {"Its mean squared error to the original is smaller"},
    "Which of these are image generation": {"A beauty filter that smooths skin in a selfie",
                                            "Replacing a photo's background with a beach"},
}

# Section 6's quiz (utils.image_widgets): image in, one label out.
APPLICATIONS = {
    "Sorting recyclables (glass, paper, plastic) from photos on a conveyor belt",
    "Flagging chest X-rays that show signs of pneumonia",
    "Telling a plant's disease from a photo of its leaf",
    "Recognising which bird species is in a wildlife-camera photo",
    "Deciding whether a photo shows a muffin or a chihuahua",
}


def question(start):
    (found,) = [q for q in ex.QUESTIONS if q.text.startswith(start)]
    return found


def cells():
    return ["".join(c["source"]) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]]


# ------------------------------------------------------------------------------------------ questionnaire
def test_the_questionnaire_has_five_to_ten_questions_each_restated_here():
    assert 5 <= len(ex.QUESTIONS) <= 10 and len(RIGHT) == len(ex.QUESTIONS)
    for start, right in RIGHT.items():
        q = question(start)
        assert set(q.correct) == right, q.text
        assert grade_choices(sorted(right), q.correct, q.options)[0]
        wrong = [o for o in q.options if o not in right]
        assert wrong and not grade_choices([wrong[0]], q.correct, q.options)[0]


def test_the_arithmetic_in_the_questions_is_right():
    photo = np.zeros((480, 640, 3), np.uint8)
    assert f"{photo.shape[0] * photo.shape[1]:,}" == "307,200" and f"{photo.nbytes:,}" == "921,600"
    assert str(int((np.array([250], dtype=np.uint8) + np.uint8(10))[0])) == "4"


def test_the_questionnaire_does_not_give_exercise_1_away():
    chelsea = load_sample("chelsea")
    answers = {f"{chelsea.shape[0] * chelsea.shape[1]:,}", f"{3840 * 2160 * 3:,}"}
    text = " ".join(" ".join([q.text, *q.options, q.explanation]) for q in ex.QUESTIONS)
    assert not any(a in text for a in answers)


def test_the_static_questions_on_the_slides_match_the_answer_key():
    static = "\n".join(c for c in cells() if c.startswith("#### Question"))
    for i, q in enumerate(ex.QUESTIONS, start=1):
        assert f"{i}. {q.text}" in static and all(f"- {o}" in static for o in q.options)
    (notes,) = [c for c in cells() if c.startswith("**Instructor notes (answers")]
    for i, q in enumerate(ex.QUESTIONS, start=1):
        assert f"{i}: {', '.join(string.ascii_lowercase[q.options.index(c)] for c in q.correct)}" in notes


def test_the_applications_quiz_key_and_its_answer_slide():
    assert set(CLASSIFICATION_CORRECT) == APPLICATIONS
    (answers,) = [c for c in cells() if "<summary><b>Answers</b>" in c]
    ticked = re.findall(r"- ✅ \*\*(.+?)\*\*", answers)
    crossed = re.findall(r"- ❌ \*\*(.+?)\*\*", answers)
    assert set(ticked) == {"Sorting recyclables from conveyor-belt photos",
                           "Flagging chest X-rays with signs of pneumonia",
                           "Telling a plant disease from a leaf photo",
                           "Recognising a bird species in a wildlife-camera photo", "Muffin or chihuahua"}
    assert len(ticked) + len(crossed) == len(CLASSIFICATION_OPTIONS)


# ------------------------------------------------------------------------------------------ exercise 1
@pytest.fixture(scope="module")
def chelsea():
    return load_sample("chelsea")


def test_pixel_count_accepts_height_times_width(chelsea, capsys):
    assert ex.check_pixel_count(300 * 451, chelsea)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [None, 300 * 451 * 3, 300 + 451, 451, "135300", [300, 451]])
def test_pixel_count_rejects(chelsea, wrong, capsys):
    assert not ex.check_pixel_count(wrong, chelsea)
    out = capsys.readouterr().out
    assert "❌" in out and "135300" not in out and "135,300" not in out


def test_pixel_count_says_when_values_were_counted(chelsea, capsys):
    ex.check_pixel_count(chelsea.size, chelsea)
    assert "counted values" in capsys.readouterr().out


def test_frame_bytes(capsys):
    assert ex.check_frame_bytes(3840 * 2160 * 3, 3840, 2160)
    for wrong, says in [(3840 * 2160, "number of pixels"), (3840 * 2160 * 3 * 8, "bits"), (None, "no answer")]:
        assert not ex.check_frame_bytes(wrong, 3840, 2160)
        out = capsys.readouterr().out
        assert says in out and "24883200" not in out and "24,883,200" not in out


# ------------------------------------------------------------------------------------------ exercise 2
@pytest.fixture(scope="module")
def photos():
    return [load_sample("astronaut"), load_sample("chelsea")[:64, :80], load_sample("coffee")[:50, :70]]


def solution(rgb):
    return np.rint(rgb @ np.array([0.299, 0.587, 0.114])).astype(np.uint8)


def test_to_gray_accepts_the_solution_and_opencv(photos, capsys):
    assert ex.check_to_gray(solution, photos)
    assert ex.check_to_gray(lambda rgb: cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), photos)
    assert capsys.readouterr().out.count("✅") == 2


def _unwritten(rgb):
    raise NotImplementedError


@pytest.mark.parametrize("wrong, says", [
    (lambda rgb: rgb.mean(axis=2).astype(np.uint8), "off by"),                          # plain average
    (lambda rgb: np.rint(rgb @ np.array([0.114, 0.587, 0.299])).astype(np.uint8), "off by"),  # BGR weights
    (lambda rgb: rgb @ np.array([0.299, 0.587, 0.114]), "dtype"),                         # floats, not uint8
    (lambda rgb: (rgb @ np.array([0.299, 0.587, 0.114])).astype(np.uint8), "cut off"),   # truncated
    (lambda rgb: solution(rgb)[..., None], "shape"),                                      # (H, W, 1)
    (lambda rgb: None, "return"),
    (_unwritten, "not written yet"),
    (None, "no answer"),
])
def test_to_gray_rejects(photos, wrong, says, capsys):
    assert not ex.check_to_gray(wrong, photos)
    assert says in capsys.readouterr().out


# ------------------------------------------------------------------------------------------ exercise 3
@pytest.fixture(scope="module")
def astronaut():
    return load_sample("astronaut")


def test_suit_mask(astronaut, capsys):
    assert ex.check_suit_mask((astronaut[..., 0] >= 150) & (astronaut[..., 2] <= 100), astronaut)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("make, says", [
    (lambda a: (a[..., 0] > 150) & (a[..., 2] < 100), "values differ"),       # strict comparisons
    (lambda a: (a[..., 2] >= 150) & (a[..., 0] <= 100), "swapped"),           # BGR channel order
    (lambda a: a[..., 0] >= 150, "values differ"),                             # one condition only
    (lambda a: ((a[..., 0] >= 150) & (a[..., 2] <= 100)).astype(np.uint8), "boolean"),
    (lambda a: None, "no answer"),
])
def test_suit_mask_rejects(astronaut, make, says, capsys):
    assert not ex.check_suit_mask(make(astronaut), astronaut)
    assert says in capsys.readouterr().out


def test_hints_come_in_steps(astronaut, capsys):
    ex.check_suit_mask(None, astronaut)
    first = capsys.readouterr().out
    checks.more_help()
    second = capsys.readouterr().out
    assert "True/False" in first and "channel 0" in second
