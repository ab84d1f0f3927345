"""Tests for benchmarks/detection_spread.py: the plan of runs, the summary, and the recorded spread itself."""

import json

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
