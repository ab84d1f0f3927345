"""course.student: every lesson's student copy has no solutions or instructor notes, keeps every exercise, and runs;
its checks still give feedback."""

import nbformat
import pytest

from course import notebooks, student

LESSONS = sorted(notebooks.LESSONS.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """Student copies of every lesson, written once: {name: (original, copy)}."""
    out = tmp_path_factory.mktemp("student")
    written = student.write_copies(LESSONS, out)
    return {p.name: (nbformat.read(src, as_version=4), nbformat.read(p, as_version=4)) for src, p in zip(LESSONS, written)}


@pytest.mark.parametrize("name", [p.name for p in LESSONS])
def test_copy_has_no_solutions_and_keeps_the_exercises(copies, name):
    original, copy = copies[name]
    assert not any(student.is_solutions(c) or "### Solution" in c.source for c in copy.cells)
    assert not any(student.is_notes(c) for c in copy.cells)
    def exercises(nb):
        return {n: [nb.cells[i].source for i in cells] for n, cells in notebooks.exercise_cells(nb).items()}

    assert exercises(copy) == exercises(original)
    kept = [c for c in original.cells if not student.is_notes(c)]
    solutions = [i for i, c in enumerate(kept) if student.is_solutions(c)]
    expected = kept[:solutions[0]] if solutions else kept
    assert [c.source for c in copy.cells[:len(expected)]] == [c.source for c in expected]
    assert all("slideshow" in c.metadata for c in copy.cells)


def test_every_lesson_with_exercises_had_solutions_removed(copies):
    for name, (original, copy) in copies.items():
        if notebooks.exercise_cells(original):
            assert len(copy.cells) < len(original.cells) and copy.cells[-1].source == student.NOTE, name


def test_a_section_after_the_solutions_is_kept():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in ["# T", "## Solutions", "### Solution 1", "## Appendix"]]
    assert [c.source for c in student.without_solutions(nb).cells] == ["# T", "## Appendix", student.NOTE]


def test_student_copy_of_lesson_04_runs_and_its_checks_answer(copies):
    nb = copies["04_padding_stride.ipynb"][1]
    assert notebooks.execute(nb, 300, notebooks.ROOT) == ""
    for indices in notebooks.exercise_cells(nb).values():
        text = "".join(o.get("text", "") for o in nb.cells[indices[0]].outputs)
        assert text.startswith("❌ Not yet:") and "Hint:" in text
        assert "no answer yet" in text or "not written yet" in text       # a value to give, or a function to write


def test_cli_rejects_a_missing_notebook(tmp_path, capsys):
    with pytest.raises(SystemExit):
        student.main([str(tmp_path / "nope.ipynb"), "--out", str(tmp_path)])
    assert "no such notebook" in capsys.readouterr().err
