"""Grade submitted notebooks: run each in a fresh kernel with a time limit and count the exercises whose check passed.

    python -m course grade SUBMISSIONS [--out grades.csv] [--timeout 300]

SUBMISSIONS holds one folder per student with that student's lesson notebooks, named as the lessons are
(``SUBMISSIONS/ada/04_padding_stride.ipynb``). Each notebook runs top to bottom in a fresh kernel, in an empty
temporary folder; a cell that raises does not stop the run, and a notebook that runs past the time limit is stopped
(its kernel killed) and keeps the exercises that passed before. The CSV has one row per student and lesson:
exercises passed, how many the lesson has, which ones, and how the run ended.

An exercise passes when its code cells (those under its ``### Exercise N`` heading) printed the check's ✅ line and
raised no error. The grader trusts what the notebook prints: a student who edits the check away can fool it.
"""

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

from course.environment import write_atomically
from course.notebooks import LESSONS, exercise_cells, execute, read
from utils.checks import PASS

FIELDS = ["student", "lesson", "passed", "exercises", "which", "status", "seconds"]


def passed_exercises(nb, exercises):
    """The exercise numbers (of ``exercises``: number -> code cell indices) whose cells printed ✅ and raised nothing."""
    passed = []
    for number, indices in sorted(exercises.items()):
        outputs = [out for i in indices if i < len(nb.cells) for out in nb.cells[i].get("outputs", [])]
        text = "".join(out.get("text", "") for out in outputs if out.get("output_type") == "stream")
        raised = any(out.get("output_type") == "error" for out in outputs)
        if not raised and any(line.startswith(PASS) for line in text.splitlines()):
            passed.append(number)
    return passed


def grade_notebook(path, time_limit, reference=None):
    """One row of the CSV (without the student) for one submitted notebook."""
    lesson = Path(path).stem
    reference = LESSONS / Path(path).name if reference is None else reference
    total = len(exercise_cells(read(reference))) if Path(reference).is_file() else None
    start = time.monotonic()
    try:
        nb = read(path)
    except ValueError as err:
        return {"lesson": lesson, "passed": 0, "exercises": total, "which": "", "status": str(err), "seconds": 0}
    exercises = exercise_cells(nb)
    with tempfile.TemporaryDirectory(prefix="grade-") as cwd:
        problem = execute(nb, time_limit, cwd, allow_errors=True)
    passed = passed_exercises(nb, exercises)
    return {"lesson": lesson, "passed": len(passed), "exercises": total if total is not None else len(exercises),
            "which": " ".join(map(str, passed)), "status": problem or "finished",
            "seconds": round(time.monotonic() - start, 1)}


def submissions(folder):
    """``(student, notebook path)`` pairs: each subfolder is a student, each notebook in it a lesson."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}: give the folder that holds one subfolder per student")
    pairs = [(student.name, nb) for student in sorted(folder.iterdir()) if student.is_dir()
             for nb in sorted(student.glob("*.ipynb"))]
    if not pairs:
        raise ValueError(f"{folder} holds no student folders with notebooks (expected {folder}/NAME/NN_topic.ipynb)")
    return pairs


def write_csv(rows, path):
    """Write the grades as CSV through a temporary file (a cut-off run leaves the old file, not half a new one)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomically(path, buffer.getvalue())


def grade(folder, out, time_limit):
    """Grade every submission in ``folder`` and write the CSV to ``out``; returns the rows."""
    rows = []
    for student, path in submissions(folder):
        row = {"student": student, **grade_notebook(path, time_limit)}
        print(f"{student:<20} {row['lesson']:<36} {row['passed']}/{row['exercises']}  {row['status']}", flush=True)
        rows.append(row)
        write_csv(rows, out)  # after each notebook, so a stopped run keeps what it graded
    return rows


def main(argv=None):
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m course grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="one subfolder per student, holding NN_topic.ipynb files")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="CSV file to write (default grades.csv)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per notebook (default 300)")
    args = parser.parse_args(argv)
    try:
        grade(args.folder, args.out, args.timeout)
    except (FileNotFoundError, ValueError) as err:
        parser.error(str(err))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
