import pytest

from utils.quiz import grade_choices, multi_choice, single_choice

OPTIONS = ["a", "b", "c"]


def test_grade_choices():
    assert grade_choices(["a", "b"], ["a", "b"], OPTIONS)[0]
    ok, msg = grade_choices(["a", "c"], ["a", "b"], OPTIONS)
    assert not ok and "not right: c" in msg and "missed 1" in msg
    ok, msg = grade_choices([], ["a"], OPTIONS)
    assert not ok and "Pick at least one" in msg


def test_grade_choices_bad_input():
    with pytest.raises(ValueError, match="not among the quiz options"):
        grade_choices(["z"], ["a"], OPTIONS)
    with pytest.raises(ValueError, match="must be one of the options"):
        grade_choices(["a"], ["z"], OPTIONS)


def test_multi_choice_widget_gives_feedback():
    quiz = multi_choice("Which?", OPTIONS, ["a"], explanation="Because.")
    quiz.boxes[0].value = True
    quiz.check(None)
    assert "Correct" in quiz.feedback.value and "Because." in quiz.feedback.value
    quiz.boxes[1].value = True
    quiz.check(None)
    assert "not right: b" in quiz.feedback.value
    with pytest.raises(ValueError, match="distinct"):
        multi_choice("Q", ["a", "a"], ["a"])


def test_single_choice_widget():
    quiz = single_choice("Which?", OPTIONS, "b", {"a": "No, a is wrong."})
    quiz.check(None)
    assert "Pick an option" in quiz.feedback.value
    quiz.radio.value = "a"
    quiz.check(None)
    assert "Not quite" in quiz.feedback.value and "a is wrong" in quiz.feedback.value
    quiz.radio.value = "b"
    quiz.check(None)
    assert "Correct" in quiz.feedback.value
    with pytest.raises(ValueError, match="must be one of the options"):
        single_choice("Q", OPTIONS, "z")
