"""Each rule of ``tests/notebook_rules.py`` rejects the hole it is for: one small crafted bad notebook per hole
(issue #23's list and issue #18's two rules), written to a temporary folder and read back like a lesson."""

import base64
import copy
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebook_rules as rules  # noqa: E402
from utils.quiz import Question  # noqa: E402

QUESTIONS = [Question(f"Question {i}?", ("yes", "no"), ("yes",)) for i in range(6)]


def md(src, kind="-"):
    return {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": kind}}, "source": src}


def code(src, outputs=(), kind="-"):
    return {"cell_type": "code", "metadata": {"slideshow": {"slide_type": kind}}, "source": src,
            "execution_count": None, "outputs": list(outputs)}


def stdout(txt, name="stdout"):
    return {"output_type": "stream", "name": name, "text": txt}


NOT_YET = "❌ Not yet: no answer yet (the cell still holds `None` or `...`): replace it with your code.\n"


def good_cells():
    """A small lesson that follows every rule: the base every hole below changes in one place."""
    return [
        md("# 42 · A tiny lesson", "slide"),
        md("## Learning goals\n\nAfter this lesson you can\n\n- compute a parameter count;\n- write a function.",
           "slide"),
        code("from utils.exercises import tiny as exercises\nfrom utils.quiz import questionnaire", kind="skip"),
        md("### Exercise 1: count the weights", "slide"),
        code("answer = None  # your code here\nexercises.check_count(answer)",
             [stdout(NOT_YET + "   Hint: every filter sees every input channel.\n")]),
        md("### Exercise 2: write `double`", "slide"),
        code("def double(x):\n    raise NotImplementedError  # your code here\n\n\nexercises.check_double(double)",
             [stdout("❌ Not yet: double is not written yet (it raises NotImplementedError).\n"
                     "   Hint: what does doubling do to each element?\n")]),
        md("## Check your understanding", "slide"),
        code("# NBVAL_IGNORE_OUTPUT\ndisplay(questionnaire(exercises.QUESTIONS))"),
        md("## Summary", "slide"),
        md("## Solutions", "slide"),
        md("### Solution 1", "subslide"),
        code("answer = (5 * 5 * 3 + 1) * 64\nassert exercises.check_count(answer)", [stdout("✅ Correct!\n")]),
        md("### Solution 2", "subslide"),
        code("def double(x):\n    return [2 * v for v in x]\n\n\nassert exercises.check_double(double)",
             [stdout("✅ Correct! double matches the reference on 3 test inputs.\n")]),
    ]


def notebook(cells, metadata=None):
    n = 0
    for cell in cells:
        if cell["cell_type"] == "code":
            n += 1
            cell["execution_count"] = n
    return {"cells": cells, "metadata": metadata or {"kernelspec": {"name": "python3"}}, "nbformat": 4,
            "nbformat_minor": 5}


def write(tmp_path, cells, name="42_tiny.ipynb", questions=QUESTIONS, metadata=None):
    """Write the notebook to disk and read it back as the hygiene test does."""
    path = tmp_path / name
    path.write_text(json.dumps(notebook(cells, metadata), indent=1, ensure_ascii=False), encoding="utf-8")
    lesson = rules.Lesson.read(path)
    lesson.questions = questions
    return lesson


def find(cells, start):
    """Index of the first cell whose source starts with ``start``."""
    return next(i for i, c in enumerate(cells) if rules.source(c).startswith(start))


def broken(lesson, rule):
    """The rule's problems, after checking that the hole breaks no other rule (so each test shows one hole)."""
    others = {name: f(lesson) for name, f in rules.RULES.items() if name != rule}
    assert not any(others.values()), f"the crafted hole also breaks: { {k: v for k, v in others.items() if v} }"
    return rules.RULES[rule](lesson)


def test_the_good_lesson_follows_every_rule(tmp_path):
    lesson = write(tmp_path, good_cells())
    assert {name: f(lesson) for name, f in rules.RULES.items()} == {name: [] for name in rules.RULES}


# ------------------------------------------------------------------------------------------- solutions
def test_a_commented_out_assert_does_not_count(tmp_path):
    cells = good_cells()
    cells[find(cells, "answer = (5")]["source"] = "answer = (5 * 5 * 3 + 1) * 64\n# assert exercises.check_count(answer)"
    assert broken(write(tmp_path, cells), "solutions_checked") == [
        "Solution 1: no executed `assert check_count(...)` in the cells after its heading (asserted: nothing)"]


def test_an_assert_in_an_unrelated_cell_does_not_count(tmp_path):
    cells = good_cells()
    solution = find(cells, "answer = (5")
    cells[solution]["source"] = "answer = (5 * 5 * 3 + 1) * 64\nprint(answer)"
    # the same assert, but in a cell of another section (before the Summary): not Solution 1's own cell
    cells.insert(find(cells, "## Summary"), code("assert exercises.check_count(4864)"))
    assert broken(write(tmp_path, cells), "solutions_checked") == [
        "Solution 1: no executed `assert check_count(...)` in the cells after its heading (asserted: nothing)"]


def test_asserting_another_exercise_check_does_not_count(tmp_path):
    cells = good_cells()
    cells[find(cells, "answer = (5")]["source"] = "answer = 4864\nassert exercises.check_double(lambda x: x)"
    problems = broken(write(tmp_path, cells), "solutions_checked")
    assert problems and "check_count" in problems[0] and "asserted: ['check_double']" in problems[0]


def test_an_assert_that_never_runs_does_not_count(tmp_path):
    cells = good_cells()
    cells[find(cells, "answer = (5")]["source"] = "if False:\n    assert exercises.check_count((5 * 5 * 3 + 1) * 64)"
    assert broken(write(tmp_path, cells), "solutions_checked")


def test_an_answer_filled_into_the_student_cell_fails(tmp_path):
    cells = good_cells()
    cells[find(cells, "answer = None")]["source"] = "answer = (5 * 5 * 3 + 1) * 64\nexercises.check_count(answer)"
    cells[find(cells, "answer = (5 * 5 * 3 + 1) * 64\nexercises")]["outputs"] = [stdout("✅ Correct!\n")]
    problems = broken(write(tmp_path, cells), "student_cells_open")
    assert len(problems) == 1 and problems[0].startswith("Exercise 1: the student's cell holds no `None`")


def test_a_function_written_into_the_student_cell_fails(tmp_path):
    cells = good_cells()
    i = find(cells, "def double(x):\n    raise")
    cells[i]["source"] = "def double(x):\n    return [2 * v for v in x]\n\n\nexercises.check_double(double)"
    cells[i]["outputs"] = [stdout("✅ Correct!\n")]
    assert broken(write(tmp_path, cells), "student_cells_open")[0].startswith("Exercise 2:")


def test_a_function_that_returns_none_is_an_open_student_cell(tmp_path):
    cells = good_cells()
    cells[find(cells, "def double(x):\n    raise")]["source"] = ("def double(x):\n    return None  # your code here\n\n\n"
                                                           "exercises.check_double(double)")
    assert not broken(write(tmp_path, cells), "student_cells_open")


def test_fewer_than_two_exercises_fail(tmp_path):
    cells = good_cells()
    for start in ("### Exercise 2", "def double(x):\n    raise", "### Solution 2", "def double(x):\n    return"):
        del cells[find(cells, start)]
    assert rules.rule_exercises(write(tmp_path, cells)) == ["needs at least two '### Exercise N' sections, found ['1']"]


# ------------------------------------------------------------------------------------------- outputs
def test_stored_stderr_fails(tmp_path):
    cells = good_cells()
    cells[2]["outputs"] = [stdout("/tmp/ipykernel_1/2.py:3: UserWarning: something\n", name="stderr")]
    assert broken(write(tmp_path, cells), "no_stderr")


@pytest.mark.parametrize("kind, value", [
    ("text/html", '<pre class="ansi-red-fg">Traceback (most recent call last):\n  File ...</pre>'),
    ("text/html", "<p>ValueError: kernel size 5 is larger than the padded input</p>"),
    ("text/plain", "KeyError: 'loss'"),
], ids=["html-traceback", "html-error-line", "plain-error"])
def test_error_text_inside_display_data_fails(tmp_path, kind, value):
    cells = good_cells()
    cells[2]["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {kind: value}}]
    assert broken(write(tmp_path, cells), "no_error_display")


def test_taught_errors_printed_on_stdout_are_fine(tmp_path):
    cells = good_cells()
    cells[2]["outputs"] = [stdout("ValueError: kernel size 5 is larger than the padded input 3 + 2*0 = 3\n")]
    assert {name: f(write(tmp_path, cells)) for name, f in rules.RULES.items()} == {n: [] for n in rules.RULES}


def test_a_stored_error_fails(tmp_path):
    cells = good_cells()
    cells[2]["outputs"] = [{"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": []}]
    assert broken(write(tmp_path, cells), "no_errors")


@pytest.mark.parametrize("path", ["/opt/conda/lib/python3.11/site-packages/keras/x.py", "/mnt/data/photos/cat.png",
                                  "/private/var/folders/xy/T/photo.png", "~/Downloads/muffins/", "/home/alice/course",
                                  "C:\\Users\\alice\\course"],
                         ids=["opt", "mnt", "private-var", "home-tilde", "home", "windows"])
def test_absolute_paths_fail(tmp_path, path):
    cells = good_cells()
    cells[2]["outputs"] = [stdout(f"saved to {path}\n")]
    assert broken(write(tmp_path, cells), "no_absolute_paths")


def test_two_lessons_with_the_same_number_fail(tmp_path):
    paths = [tmp_path / "03_filters.ipynb", tmp_path / "03_feature_maps.ipynb", tmp_path / "04_padding.ipynb"]
    assert rules.duplicate_numbers(paths) == {"03": ["03_filters.ipynb", "03_feature_maps.ipynb"]}
    assert rules.duplicate_numbers(paths[1:]) == {}


def test_an_empty_learning_goals_section_fails(tmp_path):
    cells = good_cells()
    cells[1]["source"] = "## Learning goals\n\n"
    assert broken(write(tmp_path, cells), "learning_goals") == ["'Learning goals' lists 0 goals: list at least two"]


def test_goals_in_the_cell_after_the_heading_count(tmp_path):
    cells = good_cells()
    cells[1]["source"] = "## Learning goals"
    cells.insert(2, md("1. compute a parameter count;\n2. write a function."))
    assert rules.rule_learning_goals(write(tmp_path, cells)) == []


def test_an_image_over_the_size_limit_fails(tmp_path):
    cells = good_cells()
    png = base64.b64encode(b"\x89PNG" + bytes(rules.IMAGE_LIMIT + 1)).decode()
    cells[2]["outputs"] = [{"output_type": "display_data", "metadata": {},
                            "data": {"image/png": png, "text/plain": "<Figure size 640x480 with 1 Axes>"}}]
    problems = broken(write(tmp_path, cells), "image_size")
    assert problems == ["cell 2 stores a image/png of 1.0 MB (limit 1 MB)"]


def test_stored_widget_state_fails(tmp_path):
    state = {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {"model_name": "IntSliderModel"}}}}
    lesson = write(tmp_path, good_cells(), metadata={"kernelspec": {"name": "python3"}, "widgets": state})
    assert broken(lesson, "no_widget_state")


# ------------------------------------------------------------------------------------------- issue #18
def test_a_student_output_showing_the_expected_value_fails(tmp_path):
    cells = good_cells()
    cells[find(cells, "answer = None")]["outputs"] = [stdout(NOT_YET + "   Hint: the answer is 4864.\n")]
    assert broken(write(tmp_path, cells), "no_giveaway") == [
        "Exercise 1: the student's stored output shows the expected value 4864"]


def test_a_student_output_showing_the_solution_code_fails(tmp_path):
    cells = good_cells()
    cells[find(cells, "def double(x):\n    raise")]["outputs"] = [
        stdout("❌ Not yet: double is not written yet.\n   Hint: return [2 * v for v in x]\n")]
    problems = broken(write(tmp_path, cells), "no_giveaway")
    assert len(problems) == 1 and "solution's code 'return[2*vforvinx]'" in problems[0]


def test_fewer_than_five_questions_fail(tmp_path):
    lesson = write(tmp_path, good_cells(), questions=QUESTIONS[:4])
    assert broken(lesson, "questionnaire") == ["the questionnaire has 4 questions; a lesson asks 5 to 10"]


def test_a_lesson_without_an_answer_key_module_fails(tmp_path):
    lesson = write(tmp_path, good_cells(), questions=None)
    assert rules.rule_questionnaire(lesson) == [
        "no questionnaire: add QUESTIONS (5-10 utils.quiz.Question) to utils/exercises/tiny.py"]


def test_questions_not_shown_in_the_lesson_fail(tmp_path):
    cells = good_cells()
    del cells[find(cells, "# NBVAL_IGNORE_OUTPUT\ndisplay(questionnaire")]
    assert broken(write(tmp_path, cells), "questionnaire") == [
        "no cell shows the questionnaire: display(questionnaire(exercises.QUESTIONS))"]


def test_the_welcome_lesson_is_held_to_the_questionnaire_rule(tmp_path):
    cells = copy.deepcopy(good_cells())
    lesson = write(tmp_path, cells, name="00_welcome.ipynb", questions=QUESTIONS[:3])
    assert rules.rule_questionnaire(lesson)
