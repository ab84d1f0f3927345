"""Portable results: the training lessons pass nbval with another floating-point order, and their range checks
are calibrated from a measured spread and reject a broken model.

The lessons that train (a code cell calls ``.fit(``, or notebook metadata ``course.trains``) are executed once more
with the kernel pinned to one core (one thread) and oneDNN off, as a computer with another CPU would order the
sums; the stored outputs must still match. The ranges (``assert LO <= name <= HI`` in the lessons) are checked
against ``benchmarks/portability_spread.json``: every measured run lies inside them, every broken variant outside.
"""

import json
import os
import queue
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from benchmarks.portability_spread import (BROKEN, COURSE_DEFAULT, ONEDNN, OUT, asserted_ranges, lesson_id, outside,
                                           read_notebook, trains, training_lessons)
from utils import notebook

ROOT = Path(__file__).resolve().parents[1]
LESSONS = training_lessons()
BEING_REWRITTEN: dict[str, str] = {}   # lesson id -> why it may fail while it is rewritten
CAN_PIN = hasattr(os, "sched_setaffinity")


def lesson_params():
    """One pytest parameter per training lesson; lessons being rewritten may fail (xfail, not strict)."""
    return [pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=False, reason=BEING_REWRITTEN[lesson_id(p)])]
                         if lesson_id(p) in BEING_REWRITTEN else []) for p in LESSONS]


# ---- which lessons train ------------------------------------------------------------------------------------

def fake_notebook(*sources, metadata=None):
    return {"metadata": metadata or {}, "cells": [{"cell_type": "code", "source": s} for s in sources]}


def test_a_lesson_trains_when_it_calls_fit_or_says_so():
    assert trains(fake_notebook("keras = setup(keras=True)", "history = cnn.fit(train_ds, epochs=6)"))
    assert trains(fake_notebook("results = train_every_rung()", metadata={"course": {"trains": True}}))
    assert not trains(fake_notebook("keras = setup(keras=True)", "layers.Conv2D(1, 3)(x)"))


def test_lesson_06_is_found():
    assert "06" in [lesson_id(p) for p in LESSONS]


# ---- the oneDNN setting: the user's choice wins ----------------------------------------------------------------

def test_onednn_choice_tells_the_users_value_from_the_course_default(monkeypatch):
    monkeypatch.setenv(ONEDNN, "0")
    monkeypatch.delenv(COURSE_DEFAULT, raising=False)
    assert notebook.onednn_choice() == "0"
    monkeypatch.setenv(COURSE_DEFAULT, "1")      # the value was put there by the course (in a parent process)
    assert notebook.onednn_choice() is None


@pytest.mark.parametrize("env, expected", [
    ({ONEDNN: "0"}, ["0", "False"]),                             # the user switched oneDNN off: it stays off
    ({ONEDNN: "0", COURSE_DEFAULT: "1"}, ["1", "True"]),         # a default inherited from the course: oneDNN on
], ids=["user-off", "inherited-default"])
def test_setup_keras_keeps_the_users_onednn_choice(env, expected):
    code = ("from utils.notebook import setup; import os; setup(keras=True); "
            "from tensorflow.python.util import _pywrap_util_port as port; "
            "print(os.environ['TF_ENABLE_ONEDNN_OPTS'], port.IsMklEnabled())")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TF_") and k != COURSE_DEFAULT}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**clean, **env},
                          cwd=ROOT, check=True, timeout=300)
    assert done.stdout.split() == expected
    assert done.stderr == "", f"TensorFlow wrote to stderr: {done.stderr[:300]}"


# ---- the range checks are calibrated ------------------------------------------------------------------------

@cache
def spread():
    """The measured spread (benchmarks/portability_spread.json)."""
    return json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {"lessons": {}}


def measured(path):
    """The lesson's asserted ranges and its entry in the spread JSON (fails with what to run if it has none)."""
    ranges = asserted_ranges(read_notebook(path))
    assert ranges, f"{path.name} trains but asserts no range: write `assert LO <= name <= HI` (see CONTRIBUTING.md)"
    entry = spread()["lessons"].get(lesson_id(path))
    assert entry and entry["runs"], (f"no measured spread for {path.name}: run "
                                     f"PYTHONPATH=$PWD .venv/bin/python benchmarks/portability_spread.py --lessons "
                                     f"{lesson_id(path)}")
    return ranges, entry


@pytest.mark.parametrize("path", lesson_params())
def test_every_measured_run_lies_inside_the_asserted_ranges(path):
    ranges, entry = measured(path)
    runs = entry["runs"]
    assert len({r["seed"] for r in runs}) >= 3, "measure at least three seeds"
    assert {(r["threads"] == 1, r["onednn"]) for r in runs} == {(a, b) for a in (True, False) for b in (True, False)}, (
        "measure 1 thread and all cores, each with oneDNN on and off")
    for r in runs:
        unmeasured = sorted(set(ranges) - set(r["values"]))
        assert not unmeasured, f"{path.name}: {unmeasured} were asserted after the spread was measured: measure again"
        bad = outside(r["values"], ranges)
        assert not bad, (f"{path.name} seed {r['seed']} {r['variant']}: {[(n, r['values'].get(n)) for n in bad]} "
                         f"outside {[ranges[n] for n in bad]}; widen from the measured spread or find the regression")


@pytest.mark.parametrize("path", lesson_params())
def test_the_asserted_ranges_reject_broken_models(path):
    ranges, entry = measured(path)
    variants = BROKEN.get(lesson_id(path), {})
    assert variants, f"list broken variants of {path.name} in BROKEN (benchmarks/portability_spread.py)"
    found = {b["name"]: b for b in entry.get("broken", [])}
    assert set(found) == set(variants), f"measure the broken variants {sorted(variants)} (--only-broken)"
    for name, b in found.items():
        assert outside(b["values"], ranges), f"{path.name} with {name} passes every range: the checks miss it"


# ---- the lessons pass nbval with another float order ------------------------------------------------------------

def _nbval_pinned(path, cores):
    """Run nbval on one lesson with oneDNN off, its process (and so its kernel) pinned to a free core."""
    core = cores.get()
    try:
        env = {k: v for k, v in os.environ.items() if k != COURSE_DEFAULT}
        env.update({ONEDNN: "0", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))})
        pinned = (f"import os, sys; os.sched_setaffinity(0, {{{core}}}); "
                  f"os.execv(sys.executable, [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', "
                  f"{str(path.relative_to(ROOT))!r}])")
        return subprocess.run([sys.executable, "-c", pinned], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=1500)
    finally:
        cores.put(core)


@cache
def portability_runs(paths):
    """Start the pinned nbval runs of these lessons at once, as many at a time as there are cores (one core each)."""
    cpus = sorted(os.sched_getaffinity(0))
    cores = queue.Queue()
    for c in cpus:
        cores.put(c)
    pool = ThreadPoolExecutor(max_workers=len(cpus))
    return {p: pool.submit(_nbval_pinned, p, cores) for p in paths}


@pytest.mark.skipif(not CAN_PIN, reason="this platform cannot pin a process to one core (no os.sched_setaffinity)")
@pytest.mark.parametrize("path", lesson_params())
def test_lesson_passes_nbval_on_one_core_with_onednn_off(path, request):
    selected = tuple(item.callspec.params["path"] for item in request.session.items
                     if getattr(item, "originalname", None) == request.node.originalname)   # those this session runs
    done = portability_runs(selected)[path].result()
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-60:])
    assert done.returncode == 0, f"{path.name} differs with another floating-point order:\n{tail}"
