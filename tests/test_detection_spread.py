"""Tests for benchmarks/detection_spread.py: the plan of runs, the summary, and the recorded spread itself."""

import ast
import json

import numpy as np
import pytest

from benchmarks import detection_spread as S


def test_plan_varies_seeds_cores_and_onednn():
    runs = S.plan([42, 1, 2])
    assert runs[:3] == [(42, False, True), (1, False, True), (2, False, True)], "every seed as in the lesson"
    assert {(one_core, onednn) for s, one_core, onednn in runs if s == 42} == {
        (False, True), (True, True), (False, False), (True, False)}
    assert not any(one_core or not onednn for s, one_core, onednn in runs if s == 2), "only two seeds get all four"


def test_summary_gives_the_range_of_each_figure():
    runs = [dict.fromkeys(S.METRICS, 0.8), dict.fromkeys(S.METRICS, 0.9)]
    runs[1]["map50"] = 1.0
    summary = S.summary(runs)
    assert summary["map50"] == {"min": 0.8, "max": 1.0, "mean": 0.9}
    assert summary["mean_iou"]["max"] == 0.9


def test_the_recorded_spread_meets_the_lessons_bars():
    if not S.RESULTS.is_file():
        pytest.skip("benchmarks/detection_spread.json has not been recorded")
    report = json.loads(S.RESULTS.read_text(encoding="utf-8"))
    assert not report["quick"] and len(report["runs"]) >= 8
    assert {(r["cores"] == "all", r["onednn"]) for r in report["runs"]} == {
        (True, True), (False, True), (True, False), (False, False)}, "both thread counts, oneDNN on and off"
    low = {k: v["min"] for k, v in report["range"].items()}
    assert low["class_accuracy"] >= 0.95 and low["mean_iou"] >= 0.75 and low["map50"] >= 0.80


# --------------------------------------------------------------------------- the lesson's asserts catch a broken model
NOTEBOOK = S.ROOT / "notebooks" / "08_localization_detection.ipynb"
FIGURES = {"accuracy", "ious", "mAP", "ap"}  # the names the notebook's result cells assert on


def lesson_asserts():
    """The ``assert`` statements about trained results (accuracy, IoU, mAP, AP) of the notebook's cells whose output
    nbval ignores (their asserted ranges are what fails the suite), compiled."""
    cells = [c for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code" and "".join(c["source"]).startswith("# NBVAL_IGNORE_OUTPUT")]
    found = []
    for cell in cells:
        for statement in ast.parse("".join(cell["source"])).body:
            names = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
            if isinstance(statement, ast.Assert) and names & FIGURES:
                found.append((ast.unparse(statement), compile(ast.Module([statement], []), NOTEBOOK.name, "exec")))
    return found


def failing_asserts(run):
    """The lesson's asserts that fail for one recorded run's figures."""
    names = {"np": np, "accuracy": run["class_accuracy"], "ious": np.array([run["mean_iou"]]), "mAP": run["map50"],
             "ap": [run["ap_chihuahua"], run["ap_muffin"]]}
    failed = []
    for text, code in lesson_asserts():
        try:
            exec(code, dict(names))
        except AssertionError:
            failed.append(text)
    return failed


def recorded():
    if not S.RESULTS.is_file():
        pytest.skip("benchmarks/detection_spread.json has not been recorded")
    return json.loads(S.RESULTS.read_text(encoding="utf-8"))


def test_the_lesson_asserts_on_localizer_and_detector_results():
    texts = [text for text, _ in lesson_asserts()]
    assert len(texts) == 2 and "accuracy" in texts[0] and "mAP" in texts[1], texts


def test_every_recorded_healthy_run_passes_the_lessons_asserts():
    for run in recorded()["runs"]:
        assert failing_asserts(run) == [], run


def test_every_recorded_broken_model_fails_the_lessons_asserts():
    broken = recorded().get("broken", [])
    assert {b["variant"] for b in broken if not b["quick"]} == set(S.BROKEN), "run detection_spread.py --broken"
    for run in broken:
        assert failing_asserts(run), f"the lesson's asserts let a broken model pass: {run}"
