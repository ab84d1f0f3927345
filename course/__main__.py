"""The course's one command, the same on Windows, macOS and Linux. Run it in the course folder:

    python3 -m course lab        (Windows: py -3.11 -m course lab)   set up, then open the course in JupyterLab
    python3 -m course test       set up, then run every test (unit tests, notebooks, slide decks)

and also ``env`` (set up only), ``check`` (the environment check), ``slides`` (offline decks in build/slides/),
``student`` (student copies without solutions in build/student/), ``grade FOLDER`` (grade submitted notebooks) and
``execute [NOTEBOOK ...]`` (re-run lessons and store their outputs; for authors). Set-up creates ``.venv`` with the
pinned packages the first time and whenever the pins change. Standard library only.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from course.environment import SetupError, ensure_venv
from course.helpers import ensure_browser, ensure_slides_js, environ_for_tests
from utils.platforms import platform_kind, venv_python

ROOT = Path(__file__).resolve().parents[1]
WELCOME = Path("notebooks", "00_welcome.ipynb")


def parse_args(argv):
    """The command and its options; anything after the command's own options goes to the tool it runs."""
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    parser.add_argument("--python", help="use this Python and its packages instead of creating .venv "
                                         "(an environment set up by other means: conda, JupyterHub, Binder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in [("env", "create or update .venv only"), ("check", "check that this computer can run the course"),
                       ("lab", "open the course in JupyterLab (extra arguments go to jupyter lab)"),
                       ("test", "run every test (extra arguments go to pytest)"),
                       ("slides", "export every lesson to an offline deck in build/slides/"),
                       ("student", "write student copies without solutions to build/student/"),
                       ("grade", "grade a folder of submitted notebooks (see --help)"),
                       ("execute", "re-run lessons top to bottom and store their outputs (authors)")]:
        sub.add_parser(name, help=text, add_help=name not in {"lab", "test", "student", "grade", "execute"})
    args, rest = parser.parse_known_args(argv)
    args.rest = rest[1:] if rest[:1] == ["--"] else rest
    return args


def lab_command(python, kind, rest, is_root=None):
    """``python -m jupyterlab`` serving the course folder and opening the welcome lesson."""
    is_root = (getattr(os, "geteuid", lambda: 1)() == 0) if is_root is None else is_root
    root_flag = ["--allow-root"] if is_root and kind != "windows" else []  # containers, CI machines, classroom VMs
    return [str(python), "-m", "jupyterlab", f"--notebook-dir={ROOT}", *root_flag, *rest, str(WELCOME)]


def tool_command(python, command, rest):
    """The command line that runs one of the other actions with the course's Python."""
    if command == "check":
        return [str(python), "-m", "utils.envcheck"]
    if command == "test":
        return [str(python), "-m", "pytest", *rest]
    if command == "slides":
        return [str(python), str(Path("slides", "export.py")), "--out", str(Path("build", "slides")), *rest]
    if command in {"student", "grade", "execute"}:
        return [str(python), "-m", f"course.{command}", *rest]
    raise ValueError(f"no tool for {command!r}")


def run(cmd, env=None):
    """Run a command in the course folder and return its exit code; Ctrl+C reaches it and ends it, not us."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue


def main(argv=None):
    """Set up what the command needs, then run it; returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    kind = platform_kind()
    try:
        if args.python:
            python = Path(args.python)
        elif args.command == "check":  # report on what is there; install nothing
            venv = venv_python(ROOT / ".venv", kind)
            python = venv if venv.is_file() else Path(sys.executable)
        else:
            python = ensure_venv(ROOT, kind)
        if args.command == "env":
            print(f"The course's environment is ready: {python}")
            return 0
        if args.command == "lab":
            return run(lab_command(python, kind, args.rest))
        env = None
        if args.command in {"test", "slides"}:
            ensure_slides_js(ROOT)
        if args.command == "test":
            env = environ_for_tests(ensure_browser(kind))
        return run(tool_command(python, args.command, args.rest), env)
    except SetupError as err:
        print(f"Cannot continue: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
