"""Mutation testing of the maths the lessons teach: does each module's test file catch a broken formula?

    .venv/bin/python benchmarks/mutation.py                  # every module in MODULES, one after the other
    .venv/bin/python benchmarks/mutation.py conv pooling     # some of them
    .venv/bin/python benchmarks/mutation.py --resume conv    # after adding tests: rerun survivors and changed code

mutmut (pinned in requirements-dev.txt) changes one operator, number or name at a time ("a mutant") and runs the
tests that reach the changed function; a mutant the tests do not notice "survives". Each module runs on its own in
``build/mutation/<module>/`` (a copy of ``utils/`` and that module's test files), against that module's tests only
(the CPU is shared). Writes ``benchmarks/mutation.json`` (counts, score and every survivor's diff) and prints a
table. Slow (minutes per module), so it is not part of ``python -m course test``.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "mutation.json"
WORK = ROOT / "build" / "mutation"

# module -> (the test files that guard it, the functions to mutate or None for all). A new module is one line.
MODULES = {
    "conv": (("tests/test_conv.py", "tests/test_maths_behaviour.py"), None),
    "pooling": (("tests/test_pooling.py", "tests/test_maths_behaviour.py"), None),
    "params": (("tests/test_params.py", "tests/test_maths_behaviour.py"), None),
    # lesson 08's IoU, NMS, grid encode/decode and AP/mAP (lesson 06's evaluation metrics come from scikit-learn)
    "detection": (("tests/test_detection.py", "tests/test_maths_behaviour.py"), None),
}
DETECTED = ("killed", "timeout", "caught by type check")   # statuses that mean "the tests noticed"


def config(module):
    """The pyproject.toml of one module's run: mutate that file only, run the tests copied next to it, no nbval.

    The tests are chosen by which files are copied (``prepare``), not named here: a change of this configuration
    makes mutmut forget every verdict, while a new test file only adds tests (``--resume``)."""
    return (
        "[tool.mutmut]\n"
        'source_paths = ["utils/"]\n'
        f'only_mutate = ["utils/{module}.py"]\n'
        'pytest_add_cli_args = ["-p", "no:nbval", "-p", "no:cacheprovider", "-q"]\n'
        'pytest_add_cli_args_test_selection = ["tests/"]\n'
        "use_git_change_detection = false\n"
        # fork each mutant's run from a server that imported the tests but ran no TensorFlow op: forking a process
        # whose TensorFlow thread pools already run can hang the child (a false "timeout")
        'process_isolation = "forkserver"\n'
        "\n[tool.pytest.ini_options]\n"
        'filterwarnings = ["ignore::DeprecationWarning:jupyter_client.*"]\n'
    )


def prepare(module, tests, keep=False):
    """A work folder with utils/, the test files and the run's configuration (fresh unless ``keep``)."""
    work = WORK / module
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    for folder in ("utils", "tests"):   # always the current code and exactly this module's tests
        shutil.rmtree(work / folder, ignore_errors=True)
    (work / "tests").mkdir(parents=True)
    shutil.copytree(ROOT / "utils", work / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("tests/conftest.py", *tests):
        if not (ROOT / name).exists():
            raise FileNotFoundError(f"{name} is listed in MODULES but does not exist")
        shutil.copy2(ROOT / name, work / name)
    (work / "pyproject.toml").write_text(config(module), encoding="utf-8")
    return work


def mutmut(work, *args, check=True):
    """Run one mutmut command in ``work`` (no PYTHONPATH: mutmut puts its mutated copy first)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0", CUDA_VISIBLE_DEVICES="")
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, env=env, text=True,
                          capture_output=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"mutmut {' '.join(args)} failed in {work}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def statuses_of(work, functions):
    """{mutant name: status} of the last run in ``work`` (only mutants of ``functions`` when given)."""
    statuses = {}
    for line in mutmut(work, "results", "--all", "true").splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m and (not functions or any(f"x_{f}__mutmut_" in m.group(1) for f in functions)):
            statuses[m.group(1)] = m.group(2).strip()
    return statuses


def run_module(module, children, baseline=False, resume=False):
    """Mutate one module, run its tests against every mutant, and return its counts and survivors.

    ``resume`` keeps the last run's folder: mutmut keeps the verdicts of functions that did not change, tests the
    mutants of changed functions, and the survivors are run again against the current tests (adding tests can
    only kill more mutants, so a killed mutant stays killed).
    """
    tests, functions = MODULES[module]
    if baseline:  # only the module's own test file, as before this suite's mutation-killing tests
        tests = tests[:1]
    resume = resume and (WORK / module / "mutants").exists()
    work = prepare(module, tests, keep=resume)
    names = [f"utils.{module}.x_{f}__mutmut_*" for f in functions] if functions else []
    start = time.perf_counter()
    mutmut(work, "run", "--max-children", str(children), *names)
    if resume:
        survivors = [n for n, status in statuses_of(work, functions).items() if status not in DETECTED]
        if survivors:
            mutmut(work, "run", "--max-children", str(children), *survivors)
    seconds = time.perf_counter() - start
    statuses = statuses_of(work, functions)
    counts = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    detected = sum(counts.get(s, 0) for s in DETECTED)
    survivors = sorted(name for name, status in statuses.items() if status not in DETECTED)
    return {
        "module": f"utils/{module}.py",
        "functions": list(functions) if functions else "all",
        "tests": list(tests),
        "mutants": len(statuses),
        "killed": counts.get("killed", 0),
        "timeout": counts.get("timeout", 0),
        "survived": len(survivors),
        "statuses": counts,
        "score": round(100 * detected / max(len(statuses), 1), 1),
        "seconds": round(seconds, 1),
        "resumed": resume,
        "survivors": [{"name": n, "status": statuses[n], "diff": mutmut(work, "show", n, check=False).strip()}
                      for n in survivors],
    }


def table(results):
    """A Markdown table of the results."""
    lines = ["| module | mutants | killed | timeout | survived | score |", "| --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(f"| `{r['module']}` | {r['mutants']} | {r['killed']} | {r['timeout']} | {r['survived']} "
                     f"| {r['score']} % |")
    total = sum(r["mutants"] for r in results)
    detected = sum(r["killed"] + r["timeout"] for r in results)
    lines.append(f"| all | {total} | {sum(r['killed'] for r in results)} | {sum(r['timeout'] for r in results)} "
                 f"| {sum(r['survived'] for r in results)} | {100 * detected / max(total, 1):.1f} % |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"modules to test, of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--children", type=int, default=1, help="mutants run in parallel (default 1: shared CPU)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--baseline", action="store_true", help="only each module's own test file (tests/test_<module>.py)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the last run's verdicts for unchanged functions; rerun survivors and changed code")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = sorted(set(modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown modules {unknown}: choose from {list(MODULES)} (add a module with one line in MODULES)")
    previous = json.loads(args.out.read_text()) if args.out.exists() else {"modules": {}}
    for module in modules:
        print(f"mutating utils/{module}.py ...", flush=True)
        result = run_module(module, args.children, args.baseline, args.resume)
        previous["modules"][module] = result
        print(f"  {result['mutants']} mutants, {result['killed']} killed, {result['timeout']} timeout, "
              f"{result['survived']} survived: {result['score']} % in {result['seconds']} s", flush=True)
        previous["date"] = dt.date.today().isoformat()
        args.out.write_text(json.dumps(previous, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table([previous["modules"][m] for m in MODULES if m in previous["modules"]]))


if __name__ == "__main__":
    main()
