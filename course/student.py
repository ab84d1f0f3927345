"""Student copies: every lesson without its solutions and instructor notes, written to build/student/.

    python -m course student [--out build/student] [--execute] [--timeout 600] [NOTEBOOK ...]

The copies keep every other cell and its stored outputs, so the exercises still start from ``None`` and their
checks still answer ✅ or ❌. ``--execute`` runs each copy in a fresh kernel and fails if any cell raises.
"""

import argparse
import copy
import sys
import tempfile
from pathlib import Path

import nbformat

from course.notebooks import LESSONS, ROOT, execute, heading, read, write_notebook

NOTE = ("*Student copy: the solutions and the instructor notes are left out. Hand in this notebook as it is "
        "after your last run; your instructor grades the exercises with `python -m course grade`.*")


def is_notes(cell):
    """True for a speaker-notes markdown cell (slide type ``notes``)."""
    return cell.cell_type == "markdown" and cell.metadata.get("slideshow", {}).get("slide_type") == "notes"


def is_solutions(cell):
    """True for the ``## Solutions`` heading cell."""
    head = heading(cell)
    return bool(head) and head[0] <= 2 and head[1].lower().startswith("solutions")


def without_solutions(nb):
    """A copy of ``nb`` without its ``## Solutions`` section (up to the next level-1/2 heading) and notes cells."""
    out, skipping, kept = copy.deepcopy(nb), False, []
    for cell in out.cells:
        head = heading(cell)
        if head and head[0] <= 2:
            skipping = is_solutions(cell)
        if not skipping and not is_notes(cell):
            kept.append(cell)
    if any(is_solutions(cell) for cell in out.cells):
        note = nbformat.v4.new_markdown_cell(NOTE)
        note.metadata["slideshow"] = {"slide_type": "skip"}
        kept.append(note)
    out.cells = kept
    return out


def write_copies(notebooks, out):
    """Write the student copy of each notebook into ``out``; returns the paths written."""
    written = []
    for path in notebooks:
        target = Path(out) / Path(path).name
        write_notebook(without_solutions(read(path)), target)
        written.append(target)
    return written


def run_copy(path, timeout):
    """Execute a student copy in a fresh kernel (outputs are not saved); returns ``""`` or what went wrong."""
    nb = read(path)
    with tempfile.TemporaryDirectory(prefix="student-run-") as cwd:
        return execute(nb, timeout, cwd)


def main(argv=None):
    """Command line: write the copies, optionally run them; exit code 1 if a copy fails to run."""
    parser = argparse.ArgumentParser(prog="python -m course student", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons to copy (default: every lesson)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    parser.add_argument("--execute", action="store_true", help="run each copy in a fresh kernel")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per copy with --execute")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in notebooks if not Path(p).is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    failed = 0
    for path in write_copies(notebooks, args.out):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", flush=True)
        if args.execute:
            problem = run_copy(path, args.timeout)
            failed += bool(problem)
            print(f"   runs: {'❌ ' + problem if problem else '✅ no errors'}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
