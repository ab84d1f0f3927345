import pytest

from utils.quiz import Question, grade_choices, multi_choice, questionnaire, questionnaire_markdown, single_choice

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


QUESTIONS = [
    Question("Which are colours?", ("red", "seven", "blue"), ("red", "blue"), "Seven is a number."),
    Question("Which is a number?", ("red", "seven"), ("seven",)),
]


def test_questionnaire_grades_each_question_on_its_own():
    quiz = questionnaire(QUESTIONS)
    assert len(quiz.quizzes) == 2 and quiz.quizzes[0].children[0].value.startswith("<b>1. Which are colours?")
    first, second = quiz.quizzes
    first.boxes[0].value = first.boxes[2].value = True
    first.check(None)
    assert "Correct" in first.feedback.value and "Seven is a number." in first.feedback.value
    second.boxes[0].value = True
    second.check(None)
    assert "not right: red" in second.feedback.value and "missed 1" in second.feedback.value


def test_questionnaire_markdown_lists_questions_without_answers():
    text = questionnaire_markdown(QUESTIONS)
    assert text.splitlines()[:4] == ["1. Which are colours?", "    - red", "    - seven", "    - blue"]
    assert "Seven is a number" not in text


def test_questionnaire_markdown_numbers_from_start():
    assert questionnaire_markdown(QUESTIONS, start=5).startswith("5. Which are colours?")


def test_questions_are_checked_when_written():
    with pytest.raises(ValueError, match="must be one of the options"):
        Question("Q?", ("a", "b"), ("c",))
    with pytest.raises(ValueError, match="needs a text, options and at least one correct"):
        Question("Q?", ("a", "b"), ())
    with pytest.raises(ValueError, match="non-empty list of utils.quiz.Question"):
        questionnaire([("Q?", ("a",), ("a",))])
