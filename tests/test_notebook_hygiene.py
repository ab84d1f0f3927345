"""Notebook hygiene: names, execution order, structure, slides, exercises, no errors, no absolute paths."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
NAME = re.compile(r"^\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb$")
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
ABSOLUTE_PATH = re.compile(r"(/home/\w|/root/|/work/|/Users/\w|[A-Za-z]:\\\\Users|/tmp/(?!ipykernel))")


def load(path):
    """Read a notebook as plain JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def text(value):
    """Join a notebook string field that may be stored as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def headings(nb):
    """All markdown heading lines of a notebook, stripped of the hashes."""
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            found += [line.lstrip("#").strip() for line in text(cell["source"]).splitlines() if line.startswith("#")]
    return found


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb_path(request):
    return request.param


def test_name(nb_path):
    assert NAME.match(nb_path.name), f"{nb_path.name}: name notebooks NN_topic.ipynb (two digits, lowercase words)"


def test_executed_top_to_bottom(nb_path):
    counts = [c.get("execution_count") for c in load(nb_path)["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{nb_path.name}: execution counts are {counts}; re-run it top to bottom in a fresh kernel "
        "(jupyter nbconvert --to notebook --execute --inplace)"
    )


def test_no_error_outputs(nb_path):
    for i, cell in enumerate(load(nb_path)["cells"]):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{nb_path.name} cell {i} stores an error: {out.get('ename')}"
            if out["output_type"] == "stream":
                assert "Traceback" not in text(out["text"]), f"{nb_path.name} cell {i} prints a traceback"


def test_title_goals_summary(nb_path):
    nb = load(nb_path)
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and text(first["source"]).startswith("# "), (
        f"{nb_path.name}: the first cell must be a markdown title ('# ...')"
    )
    heads = [h.lower() for h in headings(nb)]
    assert any("learning goals" in h for h in heads), f"{nb_path.name}: add a 'Learning goals' heading"
    assert any(h.startswith("summary") for h in heads), f"{nb_path.name}: add a 'Summary' heading"


def test_slide_metadata(nb_path):
    cells = load(nb_path)["cells"]
    for i, cell in enumerate(cells):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert kind in SLIDE_TYPES, f"{nb_path.name} cell {i}: set metadata.slideshow.slide_type (got {kind!r})"
    assert cells[0]["metadata"]["slideshow"]["slide_type"] == "slide", f"{nb_path.name}: the title cell opens a slide"


def test_no_absolute_paths(nb_path):
    raw = nb_path.read_text(encoding="utf-8")
    hit = ABSOLUTE_PATH.search(raw)
    assert not hit, f"{nb_path.name} stores an absolute path from the author's machine near: {raw[hit.start()-40:hit.end()+40]!r}"


def test_exercises_have_checked_solutions(nb_path):
    if nb_path.name.startswith("00_"):
        pytest.skip("the welcome notebook has no exercises")
    heads = headings(load(nb_path))
    exercises = sorted({m.group(1) for h in heads if (m := re.match(r"Exercise (\d+)\b", h))})
    solutions = sorted({m.group(1) for h in heads if (m := re.match(r"Solution (\d+)\b", h))})
    assert len(exercises) >= 2, f"{nb_path.name}: needs at least two '### Exercise N' sections, found {exercises}"
    assert exercises == solutions, f"{nb_path.name}: exercises {exercises} but solutions {solutions}"
    nb = load(nb_path)
    solution_cells = [text(c["source"]) for c in nb["cells"]
                      if c["cell_type"] == "code" and re.search(r"\bassert (\w+\.)?check_", text(c["source"]))]
    assert len(solution_cells) >= len(exercises), (
        f"{nb_path.name}: each solution cell must `assert check_...(...)` so CI proves the solution passes"
    )
