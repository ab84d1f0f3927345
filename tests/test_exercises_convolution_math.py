"""Lesson 02's answer keys: each check accepts the solution and rejects typical wrong answers; the questionnaire's
right answers are restated here independently."""

import json
import string
from pathlib import Path

import numpy as np
import pytest

from utils import checks
from utils.exercises import convolution_math as ex
from utils.quiz import grade_choices

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_convolution_math.ipynb"

RIGHT = {
    "Which four steps": {"flip the kernel, shift it, multiply point by point, sum"},
    "Which statements about convolving a signal with a box": {
        "It blurs: each output is the average over a window", "Two boxes give a triangle"},
    "A signal of length 10": {"12"},
    "What does `keras.layers.Conv2D` compute": {
        "A cross-correlation: the kernel is not flipped",
        "It does not matter because the kernel is learned: training finds the flipped kernel if that works better"},
    "An impulse [0, 0, 1, 0, 0]": {"[0, 1, 2, 3, 0]"},
    "A 32 × 32 input": {"32 × 32"},
    "A Conv2D layer with one 3 × 3 filter": {
        "Its kernel has shape 3 × 3 × 3: one 3 × 3 slice per colour channel",
        "It outputs one feature map: the sum runs over the channels too"},
    "What does `Conv3D` add": {
        "The kernel also slides along a third axis, such as time in a video or depth in a CT scan",
        "It can see motion between frames, which a 2D kernel on one frame cannot"},
}

X, K = [2, 1, 0, 3], [1, -1, 2]
I = np.array([[3, 0, 1, 2, 7], [1, 5, 8, 9, 3], [2, 7, 2, 5, 1], [0, 1, 3, 1, 7], [4, 2, 1, 6, 2]], dtype=float)
K2 = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=float)


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


def test_the_numbers_in_the_questions_are_right():
    assert len(np.convolve(np.ones(10), np.ones(3))) == 12
    assert str(np.convolve([0, 0, 1, 0, 0], [1, 2, 3], "same").tolist()) == "[0, 1, 2, 3, 0]"
    assert (32 - 3 + 2 * 1) // 1 + 1 == 32


def test_the_static_questions_on_the_slides_match_the_answer_key():
    static = "\n".join(c for c in cells() if c.startswith("#### Question"))
    for i, q in enumerate(ex.QUESTIONS, start=1):
        assert f"{i}. {q.text}" in static and all(f"- {o}" in static for o in q.options)
    (notes,) = [c for c in cells() if c.startswith("**Instructor notes (answers")]
    for i, q in enumerate(ex.QUESTIONS, start=1):
        assert f"{i}: {', '.join(string.ascii_lowercase[q.options.index(c)] for c in q.correct)}" in notes


def test_corr2d_is_written_before_the_lesson_uses_correlate2d():
    sources = cells()
    exercise = next(i for i, c in enumerate(sources) if c.startswith("### Exercise 2"))
    first_use = next(i for i, c in enumerate(sources) if "correlate2d(" in c and "import" not in c
                     and not c.startswith("#"))
    assert exercise < first_use


# ------------------------------------------------------------------------------------------ exercise 1
def test_convolution_accepts_the_hand_result(capsys):
    assert ex.check_convolution([2, -1, 3, 5, -3, 6], X, K)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, says", [
    ([4, 0, 1, 7, -3, 3], "without flipping"),                 # a correlation
    ([3, 5], "partial overlaps"),                               # only the valid part
    ([2, -1, 3, 5, -3], "shape"),                               # one number short
    (None, "no answer"),
])
def test_convolution_rejects(wrong, says, capsys):
    assert not ex.check_convolution(wrong, X, K)
    out = capsys.readouterr().out
    assert says in out and "[2, -1, 3, 5, -3, 6]" not in out


# ------------------------------------------------------------------------------------------ exercise 2
def solution(image, kernel):
    fh, fw = kernel.shape
    out = np.zeros((image.shape[0] - fh + 1, image.shape[1] - fw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + fh, j:j + fw] * kernel)
    return out


def test_corr2d_accepts_the_solution(capsys):
    assert ex.check_corr2d(solution, I, K2)
    assert "✅" in capsys.readouterr().out


def flipped(image, kernel):
    return solution(image, kernel[::-1, ::-1])


def short_range(image, kernel):
    return solution(image, kernel)[:-1, :-1]


def square_only(image, kernel):
    f = kernel.shape[0]                       # assumes a square kernel: its height used for its width too
    out = np.zeros((image.shape[0] - f + 1, image.shape[1] - f + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + f, j:j + f] * kernel)
    return out


def unwritten(image, kernel):
    raise NotImplementedError


@pytest.mark.parametrize("wrong, says", [
    (flipped, "off by"), (short_range, "shape"), (square_only, "corr2d"), (unwritten, "not written yet"),
    (lambda image, kernel: None, "return"), (None, "no answer"),
])
def test_corr2d_rejects(wrong, says, capsys):
    assert not ex.check_corr2d(wrong, I, K2)
    assert says in capsys.readouterr().out


def test_corr2d_cases_include_a_rectangular_kernel():
    assert any(kernel.shape[0] != kernel.shape[1] for _, kernel in ex._cases(I, K2))


# ------------------------------------------------------------------------------------------ exercise 3
def test_output_height(capsys):
    assert ex.check_output_height(32, 64, 5, padding=2, stride=2)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, says", [
    (32.5, "round the division down"), (30, "padding"), (64, "stride"), (31, "too small"), (None, "no answer"),
])
def test_output_height_rejects(wrong, says, capsys):
    assert not ex.check_output_height(wrong, 64, 5, padding=2, stride=2)
    out = capsys.readouterr().out
    assert says in out and " 32" not in out.replace("32.5", "")


def test_hints_come_in_steps(capsys):
    ex.check_output_height(None, 64, 5, padding=2, stride=2)
    capsys.readouterr()
    checks.more_help()
    assert "//" in capsys.readouterr().out
