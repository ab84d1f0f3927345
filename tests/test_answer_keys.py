"""Answer keys are checked against an independent statement of the right answers, not graded against themselves.

- lesson 01's quiz (``utils.image_widgets.CLASSIFICATION_*``) and every quiz written out in a notebook cell
  (``multi_choice``/``single_choice`` with literal arguments, lessons 00 and 07) against the answers restated here;
- every ``utils/exercises/<topic>.py`` ``QUESTIONS``: its test file ``tests/test_exercises_<topic>.py`` must restate
  the keys, shown by changing each question's key in turn and requiring that file's questionnaire test to fail.
"""

import ast
import dataclasses
import importlib
import importlib.util
import inspect
import json
import sys
import textwrap
from pathlib import Path

import pytest

from utils import image_widgets
from utils.quiz import Question, grade_choices

ROOT = Path(__file__).resolve().parents[1]

# --- lesson 01: which are applications of image classification (an image in, one label out) --------------------
IMAGE_CLASSIFICATION = {
    "Sorting recyclables (glass, paper, plastic) from photos on a conveyor belt": True,
    "Flagging chest X-rays that show signs of pneumonia": True,
    "Reading a thermometer's temperature from a spreadsheet column": False,     # no image
    "Telling a plant's disease from a photo of its leaf": True,
    "Translating a paragraph of text from French to English": False,            # no image
    "Recognising which bird species is in a wildlife-camera photo": True,
    "Predicting tomorrow's stock price from past prices": False,                # no image
    "Deciding whether a photo shows a muffin or a chihuahua": True,
}

# --- quizzes written out in notebook cells: question -> the right options -----------------------------------------
NOTEBOOK_QUIZZES = {
    "A 3 × 3 convolution turns your 64 × 64 image into 62 × 62. Which lesson explains why, and how to keep 64 × 64?":
        {"04 · Padding & stride"},
    "Which statements are true?": {
        "Augmentation layers change the photos during training only.",
        "Fine-tuning uses a lower learning rate than training a new head.",
        "Calling the base with training=False keeps BatchNorm's running statistics fixed.",
    },
}
# quizzes whose key a cell computes from the data (it cannot be mistyped): the question text and why
COMPUTED_KEYS = {"Which photos show a chihuahua?": "lesson 00: the key is the photos whose label is 'chihuahua'"}
QUIZ_FUNCTIONS = {"multi_choice": "correct", "single_choice": "correct"}


def test_classification_quiz_key_matches_the_restated_answers():
    assert set(image_widgets.CLASSIFICATION_OPTIONS) == set(IMAGE_CLASSIFICATION), "the options changed: restate them"
    assert set(image_widgets.CLASSIFICATION_CORRECT) == {o for o, right in IMAGE_CLASSIFICATION.items() if right}


def test_classification_quiz_grades_the_restated_answers_right():
    right = [o for o, ok in IMAGE_CLASSIFICATION.items() if ok]
    quiz = image_widgets.classification_quiz()
    for box in quiz.boxes:
        box.value = IMAGE_CLASSIFICATION[box.description]
    quiz.check(None)
    assert quiz.feedback.value.startswith("<b>✅")
    for wrong in (o for o, ok in IMAGE_CLASSIFICATION.items() if not ok):
        ok, message = grade_choices([*right, wrong], image_widgets.CLASSIFICATION_CORRECT,
                                    image_widgets.CLASSIFICATION_OPTIONS)
        assert not ok and wrong in message


def notebook_quizzes():
    """(notebook, cell index, question, options, key) of every multi_choice/single_choice call in a lesson cell."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            try:
                tree = ast.parse("\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!"))))
            except SyntaxError:
                continue
            names = {t.id: n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
                     if isinstance(t, ast.Name)}   # a literal list assigned in the same cell, e.g. options
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in QUIZ_FUNCTIONS:
                    args = {**dict(zip(("question", "options", "correct"), node.args)),
                            **{k.arg: k.value for k in node.keywords}}
                    args = {k: names.get(v.id, v) if isinstance(v, ast.Name) else v for k, v in args.items()}
                    found.append((path.name, i, args.get("question"), args.get("options"), args.get("correct")))
    return found


def literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None


def test_every_quiz_in_a_notebook_is_restated_with_its_right_answers():
    quizzes = notebook_quizzes()
    for name, i, question, options, key in quizzes:
        text = literal(question)
        where = f"{name} cell {i} ({text!r})"
        if text in COMPUTED_KEYS:
            continue
        assert text in NOTEBOOK_QUIZZES, f"{where}: restate its right answers in NOTEBOOK_QUIZZES"
        key, options = literal(key), literal(options)
        assert key is not None and options is not None, f"{where}: write options and key as literals (or list it in COMPUTED_KEYS)"
        key = {key} if isinstance(key, str) else set(key)
        assert key == NOTEBOOK_QUIZZES[text], f"{where}: the key {sorted(key)} is not the restated {sorted(NOTEBOOK_QUIZZES[text])}"
        assert key <= set(options)


# --- utils/exercises/<topic>.py: QUESTIONS restated in tests/test_exercises_<topic>.py ----------------------------
def exercise_modules():
    folder = ROOT / "utils" / "exercises"
    return sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__" and "QUESTIONS" in p.read_text(encoding="utf-8"))


def wrong_key(question):
    """The question with one right option swapped for a wrong one (or one more option ticked)."""
    wrong = [o for o in question.options if o not in question.correct]
    if not wrong:
        return dataclasses.replace(question, correct=tuple(question.correct[1:]) or question.options[:1])
    return dataclasses.replace(question, correct=(*question.correct[1:], wrong[0]))


def load_test_module(path):
    spec = importlib.util.spec_from_file_location(f"_restated_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unrestated_questions(answer_keys, test_module):
    """Indices of the questions whose wrong key no questionnaire test of ``test_module`` notices."""
    tests = [f for name, f in vars(test_module).items() if name.startswith("test_") and callable(f)
             and "QUESTIONS" in inspect.getsource(f) and not inspect.signature(f).parameters]
    if not tests:
        return list(range(len(answer_keys.QUESTIONS)))
    original = answer_keys.QUESTIONS
    missed = []
    try:
        for i, question in enumerate(original):
            answer_keys.QUESTIONS = [*original[:i], wrong_key(question), *original[i + 1:]]
            failed = False
            for test in tests:
                try:
                    test()
                except Exception:  # noqa: BLE001 - any failure means the wrong key was noticed
                    failed = True
                    break
            if not failed:
                missed.append(i)
    finally:
        answer_keys.QUESTIONS = original
    return missed


@pytest.mark.parametrize("topic", exercise_modules())
def test_questionnaire_keys_are_restated_in_a_test(topic):
    answer_keys = importlib.import_module(f"utils.exercises.{topic}")
    test_file = ROOT / "tests" / f"test_exercises_{topic}.py"
    assert test_file.exists(), f"restate the right answers of utils/exercises/{topic}.py QUESTIONS in {test_file.name}"
    missed = unrestated_questions(answer_keys, load_test_module(test_file))
    assert not missed, (f"{test_file.name} does not notice a wrong key for questions "
                        f"{[answer_keys.QUESTIONS[i].text[:60] for i in missed]}: restate their right answers")


def test_an_echo_of_the_key_is_not_a_restatement(tmp_path, monkeypatch):
    """The check above tells a restating test from one that grades the key against itself."""
    keys = tmp_path / "keys_demo.py"
    keys.write_text("from utils.quiz import Question\nQUESTIONS = [Question('Two?', ('1', '2', '3'), ('2',)),\n"
                    "             Question('Odd?', ('1', '2', '3'), ('1', '3'))]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    answer_keys = importlib.import_module("keys_demo")
    restating = tmp_path / "restating.py"
    restating.write_text(textwrap.dedent("""
        import keys_demo as ex
        RIGHT = {"Two?": {"2"}, "Odd?": {"1", "3"}}
        def test_keys():
            assert {q.text: set(q.correct) for q in ex.QUESTIONS} == RIGHT
    """), encoding="utf-8")
    echoing = tmp_path / "echoing.py"
    echoing.write_text(textwrap.dedent("""
        import keys_demo as ex
        from utils.quiz import grade_choices
        def test_keys():
            for q in ex.QUESTIONS:
                assert grade_choices(q.correct, q.correct, q.options)[0]
    """), encoding="utf-8")
    assert unrestated_questions(answer_keys, load_test_module(restating)) == []
    assert unrestated_questions(answer_keys, load_test_module(echoing)) == [0, 1]
    sys.modules.pop("keys_demo", None)


def test_wrong_key_really_changes_every_kind_of_key():
    for q in (Question("a?", ("x", "y"), ("x",)), Question("b?", ("x", "y", "z"), ("x", "z")),
              Question("c?", ("x", "y"), ("x", "y"))):
        assert set(wrong_key(q).correct) != set(q.correct) and set(wrong_key(q).correct) <= set(q.options)
