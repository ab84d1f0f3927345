"""Reading a lesson's structure (its sections and exercises) and running a notebook in a fresh kernel with a time
limit. Used by the student copies, the grader and ``course execute``; runs in the course's environment."""

import math
import os
import re
import subprocess
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from course.environment import write_atomically

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "notebooks"
EXERCISE = re.compile(r"^###\s+Exercise\s+(\d+)\b")


def heading(cell):
    """``(level, title)`` of a markdown cell that starts with a heading, else None."""
    if cell.cell_type != "markdown":
        return None
    match = re.match(r"(#+)\s+(.*)", cell.source.lstrip())
    return (len(match.group(1)), match.group(2).strip()) if match else None


def exercise_cells(nb):
    """``{exercise number: [indices of its code cells]}``: the code cells between each `### Exercise N` heading and
    the next heading."""
    found, current = {}, None
    for i, cell in enumerate(nb.cells):
        head = heading(cell)
        if head:
            match = EXERCISE.match(cell.source.lstrip())
            current = int(match.group(1)) if match else None
            if current is not None:
                found.setdefault(current, [])
        elif current is not None and cell.cell_type == "code":
            found[current].append(i)
    return found


def course_environ(environ=None):
    """Environment for kernels: this course's folder first on PYTHONPATH, so ``utils`` is the one next to the lessons."""
    environ = dict(os.environ if environ is None else environ)
    environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), environ.get("PYTHONPATH")) if p)
    return environ


def execute(nb, time_limit, cwd, allow_errors=False):
    """Run ``nb`` top to bottom in a fresh kernel (in place), all cells within ``time_limit`` seconds in total.

    Returns ``""`` when it finished, else why not: ``"timed out after N s"``, ``"the kernel died"`` or the first
    error (with ``allow_errors=False``). With ``allow_errors=True`` an error does not stop the run.
    """
    if not time_limit or time_limit <= 0:
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    deadline = time.monotonic() + time_limit
    client = NotebookClient(nb, timeout_func=lambda cell: max(1, math.ceil(deadline - time.monotonic())),
                            allow_errors=allow_errors, shutdown_kernel="immediate", kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env=course_environ(), stderr=subprocess.DEVNULL)  # not the kernel's start-up warnings
    except CellTimeoutError:
        return f"timed out after {time_limit:g} s"
    except DeadKernelError:
        return "the kernel died"
    except Exception as err:  # noqa: BLE001 - nbclient's CellExecutionError and anything a notebook raises
        return f"{type(err).__name__}: {first_error_line(err)}"
    return ""


def first_error_line(err):
    """The line of an nbclient error that names the exception (not the traceback)."""
    lines = [line for line in str(err).splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^\w*(Error|Exception|Interrupt)\b", line)]
    return (named or lines or [""])[-1].strip()[:200]


def read(path):
    """A notebook from disk, with a clear error when it is not one."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 - JSON errors, validation errors, missing keys
        raise ValueError(f"{Path(path).name} is not a readable notebook ({type(err).__name__}: "
                         f"{str(err).splitlines()[0] if str(err) else ''})") from err


def write_notebook(nb, path):
    """Save a notebook through a temporary file, so an interrupted run leaves no half-written notebook."""
    write_atomically(path, nbformat.writes(nb) + "\n")
