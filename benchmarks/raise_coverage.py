"""Which ``raise`` statements in ``utils/`` does no unit test reach? (issue #23: every one should be.)

    .venv/bin/python benchmarks/raise_coverage.py                    # run the unit tests under coverage, then report
    .venv/bin/python benchmarks/raise_coverage.py --report-only      # report from the last run's .coverage data
    .venv/bin/python benchmarks/raise_coverage.py tests/test_conv.py tests/test_validate.py      # some tests only
    .venv/bin/python benchmarks/raise_coverage.py --append tests/test_error_paths.py   # add them to the last run

Runs pytest (without the notebooks, the slide decks, the package-index test and the portability reruns of the
lessons, which reach no ``raise`` of ``utils``) under coverage.py, finds every ``raise`` statement with Python's
``ast``, and writes ``benchmarks/raise_coverage.json``: the number reached and each one never executed, as
``file:line``.
"""

import argparse
import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "raise_coverage.json"
DATA = ROOT / "build" / "raise_coverage" / ".coverage"
SKIP = ("tests/test_slides.py", "tests/test_environment.py",   # browsers and the package index: no utils raise
        "tests/test_portability.py")   # nbval of the lessons a second time in other kernels (minutes; not unit tests)


def raise_lines(path):
    """Line numbers of the ``raise`` statements of one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(node.lineno for node in ast.walk(tree) if isinstance(node, ast.Raise))


def run_tests(tests, append=False):
    """Run the unit tests under coverage (``--source=utils``; the helper processes the tests start are measured too)."""
    DATA.parent.mkdir(parents=True, exist_ok=True)
    for old in [*([] if append else [DATA]), *DATA.parent.glob(".coverage.*")]:
        old.unlink(missing_ok=True)
    rc = DATA.parent / "coveragerc"
    rc.write_text(f"[run]\nsource = utils\ndata_file = {DATA}\nparallel = true\nconcurrency = thread,multiprocessing\n",
                  encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COVERAGE_PROCESS_START": str(rc)}
    args = tests or ["tests", *(f"--ignore={s}" for s in SKIP)]
    done = subprocess.run([sys.executable, "-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest", "-q",
                           "-p", "no:nbval", "-p", "no:cacheprovider", "-o", "addopts=", *args], cwd=ROOT, env=env)
    subprocess.run([sys.executable, "-m", "coverage", "combine", *(["--append"] if append else []), f"--rcfile={rc}"],
                   cwd=ROOT, env=env, check=True)
    return done.returncode


def report():
    """{file: [raise lines never run]} and the totals, from the coverage data."""
    import coverage

    cov = coverage.Coverage(data_file=str(DATA))
    cov.load()
    data = cov.get_data()
    missed, total = {}, 0
    for path in sorted((ROOT / "utils").rglob("*.py")):
        lines = raise_lines(path)
        total += len(lines)
        run = set(data.lines(str(path)) or ())
        never = [n for n in lines if n not in run]
        if never:
            missed[str(path.relative_to(ROOT))] = never
    n_missed = sum(len(v) for v in missed.values())
    return {"raises": total, "reached": total - n_missed, "never_reached": missed}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--append", action="store_true", help="add the given tests' coverage to the last run's")
    parser.add_argument("tests", nargs="*", help="test files to run (default: all unit tests)")
    args = parser.parse_args(argv)
    rc = 0 if args.report_only else run_tests(args.tests, args.append)
    result = report()
    result["tests"] = ("all unit tests" if not args.tests else ("the last run plus " if args.append else "") + " ".join(args.tests))
    result["pytest_exit_code"] = rc
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{result['reached']} of {result['raises']} raise statements reached by the tests")
    for name, lines in result["never_reached"].items():
        source = (ROOT / name).read_text(encoding="utf-8").splitlines()
        for n in lines:
            print(f"  {name}:{n}: {source[n - 1].strip()[:100]}")
    return 0 if not result["never_reached"] else 1


if __name__ == "__main__":
    sys.exit(main())
