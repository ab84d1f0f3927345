"""Lesson 00's answer keys: the muffin count check and the questionnaire, against answers restated here."""

import json
import string
from pathlib import Path

import numpy as np
import pytest

from utils import checks
from utils.exercises import welcome
from utils.muffins import make_arrays
from utils.quiz import grade_choices

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "00_welcome.ipynb"

# The right answers, written out independently of utils/exercises/welcome.py (question start -> right options).
RIGHT = {
    "Why does a rule on one hand-made number": {
        "The brightness histograms of the two classes overlap: many muffins and chihuahuas are equally bright"},
    "What does a CNN learn": {"Many small pattern detectors (kernels), such as edges, eyes or paper-cup ridges",
                              "How to combine what those detectors find into one answer"},
    "The course's data set draws": {"A chihuahua curled up into a round, muffin-coloured ball",
                                    "A muffin whose berries sit like two eyes and a nose"},
    "A 3 × 3 convolution turns": {"04 · Padding & stride"},
    "In which order does a photo pass": {
        "convolution → ReLU → pooling (three times), then flatten → dense → probability"},
    "An exercise answers ❌": {"Read the message and the hint, change your code, run the cell again",
                              "Run `more_help()` for a stronger hint if you are stuck"},
    "`check_environment()` prints": {
        "Run the command on its Fix: line, restart the kernel and run the check again"},
}


def question(start):
    (found,) = [q for q in welcome.QUESTIONS if q.text.startswith(start)]
    return found


def test_the_questionnaire_has_five_to_ten_questions_each_restated_here():
    assert 5 <= len(welcome.QUESTIONS) <= 10
    assert len(RIGHT) == len(welcome.QUESTIONS)
    for start, right in RIGHT.items():
        q = question(start)
        assert set(q.correct) == right, q.text
        assert grade_choices(sorted(right), q.correct, q.options)[0]
        wrong = [o for o in q.options if o not in right]
        assert wrong, f"{q.text}: every option is right"
        assert not grade_choices([wrong[0]], q.correct, q.options)[0]


def test_the_right_answers_are_not_always_the_first_option():
    firsts = [q.options.index(q.correct[0]) for q in welcome.QUESTIONS]
    assert len(set(firsts)) > 1


def notebook_cells():
    return ["".join(c["source"]) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]]


def test_the_static_questions_on_the_slides_match_the_answer_key():
    static = "\n".join(c for c in notebook_cells() if c.startswith("#### Question"))
    for i, q in enumerate(welcome.QUESTIONS, start=1):
        assert f"{i}. {q.text}" in static
        for option in q.options:
            assert f"- {option}" in static
    (notes,) = [c for c in notebook_cells() if c.startswith("**Instructor notes (answers")]
    for i, q in enumerate(welcome.QUESTIONS, start=1):
        letters = ", ".join(string.ascii_lowercase[q.options.index(c)] for c in q.correct)
        assert f"{i}: {letters}" in notes


@pytest.fixture(scope="module")
def labels():
    return make_arrays(16, size=16, seed=3, split="test")[1]


def test_check_muffin_count_accepts_the_count(labels, capsys):
    assert welcome.check_muffin_count(int(np.sum(labels == 1)), labels)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [None, 16, 0, "eight", 7.5])
def test_check_muffin_count_rejects_typical_wrong_answers(labels, wrong, capsys):
    assert not welcome.check_muffin_count(wrong, labels)
    out = capsys.readouterr().out
    assert "❌" in out and "Hint:" in out
    assert str(int(np.sum(labels == 1))) not in out.replace("16", ""), "the message must not give the count away"


def test_all_photos_counted_gets_its_own_hint_first(labels, capsys):
    welcome.check_muffin_count(len(labels), labels)
    assert "all photos" in capsys.readouterr().out
    checks.more_help()
    assert "Hint:" in capsys.readouterr().out
