"""benchmarks/faces_spread.py trains with the lesson's own settings, and its summary reads the recorded spread."""

import ast
import json

from benchmarks import faces_spread
from utils.paths import COURSE_ROOT


def _lesson_settings():
    nb = json.loads((COURSE_ROOT / "notebooks" / "09_faces.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "LANDMARK_EPOCHS" in source and source.lstrip().startswith("#"):
            found = {}
            for node in ast.parse(source).body:
                names = [t.id for t in node.targets[0].elts] if isinstance(node.targets[0], ast.Tuple) \
                    else [node.targets[0].id]
                values = ast.literal_eval(node.value)
                found.update(zip(names, values if isinstance(values, tuple) else (values,)))
            return found
    raise AssertionError("the lesson's settings cell was not found")


def test_benchmark_uses_the_lessons_settings():
    assert _lesson_settings() == faces_spread.SETTINGS


def test_summary_spans_every_recorded_number():
    rows = [{"seed": 0, "threads": 2, "onednn": "1", "eer": 0.05, "landmark_error": 1.6},
            {"seed": 1, "threads": 1, "onednn": "0", "eer": 0.07, "switches_position": 6}]
    text = faces_spread.summary(rows)
    assert "2 runs (seeds [0, 1], threads [1, 2], oneDNN ['0', '1'])" in text
    assert "0.050 …    0.070" in text and "switches_position" in text


def test_recorded_spread_meets_the_lessons_bars():
    rows = json.loads(faces_spread.OUT.read_text())
    assert len(rows) >= 6 and {r["threads"] for r in rows} == {1, 2} and {r["onednn"] for r in rows} == {"0", "1"}
    for r in rows:
        assert r["face_iou"] >= 0.5 and r["landmark_error"] <= 2.0 and r["eer"] <= 0.10
