"""course.grade: three submissions of lesson 04's exercises (correct; partly done with an error; one that hangs)
are graded within the time limit into the right CSV."""

import copy
import csv
import time
from pathlib import Path

import nbformat
import pytest

from course import grade, notebooks
from course.student import without_solutions

LESSON = notebooks.LESSONS / "04_padding_stride.ipynb"
ANSWERS = {1: '    return -(-i // stride) if padding == "same" else (i - f) // stride + 1',
           2: "    out = np.zeros((image.shape[0] + 2 * p, image.shape[1] + 2 * p), image.dtype)\n"
              "    out[p:p + image.shape[0], p:p + image.shape[1]] = image\n    return out",
           3: "answer = 2", 4: "answer = 19"}
TIME_LIMIT = 40


def exercise_part():
    """Lesson 04's student copy cut down to its set-up, its imports and its exercises (a quick notebook to grade)."""
    nb = without_solutions(nbformat.read(LESSON, as_version=4))
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "### Exercise 1" in c.source)
    setup = [c for c in nb.cells[:first] if c.cell_type == "code"][:2]
    nb.cells = setup + nb.cells[first:]
    return nb


def answered(nb, answers):
    """A copy of ``nb`` whose exercise cells hold ``answers`` (number -> code) in place of the `= None` line or,
    in a function to write, the `raise NotImplementedError` line."""
    nb = copy.deepcopy(nb)
    for number, indices in notebooks.exercise_cells(nb).items():
        if number in answers:
            cell = nb.cells[indices[0]]
            lines = cell.source.splitlines()
            at = next(i for i, line in enumerate(lines) if "= None" in line or "raise NotImplementedError" in line)
            cell.source = "\n".join(lines[:at] + answers[number].splitlines() + lines[at + 1:])
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade three students' submissions once; returns (rows read back from the CSV, seconds taken)."""
    folder = tmp_path_factory.mktemp("submissions")
    base = exercise_part()
    students = {
        "ada": answered(base, ANSWERS),                                                  # all four right
        "bob": answered(base, {1: "    return i", 2: "    return image\nraise ValueError('stuck')",
                               3: ANSWERS[3]}),                             # wrong, raises, right, not done
        "cy": answered(base, {1: ANSWERS[1], 2: "    while True:\n        pass"}),        # right, then hangs
    }
    for name, nb in students.items():
        (folder / name).mkdir()
        nbformat.write(nb, folder / name / LESSON.name)
    (folder / "dee").mkdir()
    (folder / "dee" / LESSON.name).write_text("{ not a notebook")
    out = folder / "grades.csv"
    start = time.monotonic()
    grade.grade(folder, out, TIME_LIMIT)
    seconds = time.monotonic() - start
    with open(out, newline="", encoding="utf-8") as f:
        return {row["student"]: row for row in csv.DictReader(f)}, seconds


def test_correct_submission_passes_everything(graded):
    rows, _ = graded
    assert rows["ada"] | {"seconds": ""} == {"student": "ada", "lesson": "04_padding_stride", "passed": "4",
                                             "exercises": "4", "which": "1 2 3 4", "status": "finished",
                                             "seconds": ""}


def test_an_error_does_not_stop_the_rest(graded):
    rows, _ = graded
    assert (rows["bob"]["passed"], rows["bob"]["which"], rows["bob"]["status"]) == ("1", "3", "finished")


def test_an_endless_notebook_is_stopped_and_keeps_what_passed(graded):
    rows, _ = graded
    assert (rows["cy"]["passed"], rows["cy"]["which"]) == ("1", "1")
    assert rows["cy"]["status"] == f"timed out after {TIME_LIMIT} s"
    assert TIME_LIMIT - 1 <= float(rows["cy"]["seconds"]) < TIME_LIMIT + 30


def test_an_unreadable_notebook_gets_a_row(graded):
    rows, _ = graded
    assert rows["dee"]["passed"] == "0" and rows["dee"]["exercises"] == "4"
    assert "not a readable notebook" in rows["dee"]["status"]


def test_grading_takes_about_the_time_limit_plus_the_runs(graded):
    _, seconds = graded
    assert seconds < TIME_LIMIT + 3 * 45, f"grading took {seconds:.0f} s"


def test_passed_exercises_needs_the_tick_and_no_error():
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output
    nb.cells = [nbformat.v4.new_code_cell(outputs=[out("stream", name="stdout", text="✅ Correct!\n")]),
                nbformat.v4.new_code_cell(outputs=[out("stream", name="stdout", text="✅ Correct!\n"),
                                                   out("error", ename="E", evalue="", traceback=[])]),
                nbformat.v4.new_code_cell(outputs=[out("stream", name="stdout", text="❌ Not yet: ...\n")])]
    assert grade.passed_exercises(nb, {1: [0], 2: [1], 3: [2], 4: []}) == [1]


def test_exercise_cells_follow_the_headings():
    nb = nbformat.read(LESSON, as_version=4)
    found = notebooks.exercise_cells(nb)
    assert sorted(found) == [1, 2, 3, 4] and all(len(cells) == 1 for cells in found.values())
    assert "raise NotImplementedError" in nb.cells[found[1][0]].source
    assert "answer = None" in nb.cells[found[3][0]].source


def test_bad_folders_say_what_is_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match="one subfolder per student"):
        grade.submissions(tmp_path / "missing")
    with pytest.raises(ValueError, match="NAME/NN_topic.ipynb"):
        grade.submissions(tmp_path)


def test_execute_rejects_a_bad_time_limit():
    with pytest.raises(ValueError, match="positive number of seconds"):
        notebooks.execute(nbformat.v4.new_notebook(), 0, Path("."))
