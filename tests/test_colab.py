"""utils.colab: links and first cells come from the one repository address; the first cell's Colab logic clones the
course once, puts it on the import path and installs requirements-colab.txt once; elsewhere it does nothing extra."""

import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import nbformat
import pytest

from utils import colab

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
URL = "https://github.com/ada/cnn-course"


def test_repository_url_comes_from_pyproject(tmp_path):
    assert colab.repository_url().startswith("https://github.com/")
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[project]\nname = "x"\n')
    with pytest.raises(ValueError, match=r"\[project.urls\] Repository"):
        colab.repository_url(bad)


def test_links():
    assert colab.colab_link("notebooks/04_padding_stride.ipynb", URL) == (
        "https://colab.research.google.com/github/ada/cnn-course/blob/main/notebooks/04_padding_stride.ipynb")
    assert colab.binder_link("04_padding_stride.ipynb", URL) == (
        "https://mybinder.org/v2/gh/ada/cnn-course/main?urlpath=lab/tree/notebooks/04_padding_stride.ipynb")


def test_readme_links_are_in_step_with_pyproject():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert colab.readme_with_links(readme, colab.links_table()) == readme, (
        "README's Colab/Binder links are out of date: run `python -m utils.colab --write-readme`")
    assert all(colab.colab_link(nb) in readme for nb in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_is_the_current_one(path):
    cell = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert cell.source.startswith(colab.first_cell_prelude()), (
        f"{path.name}: the first cell differs from utils.colab.first_cell(): run `python -m utils.colab --write-notebooks`")
    assert colab.SETUP_LINE.match(cell.source.rstrip().splitlines()[-1])


@pytest.fixture
def on_colab(monkeypatch):
    """Pretend to be on Colab: a google.colab module, no course folder yet, and recorded clones and set-ups."""
    monkeypatch.setitem(sys.modules, "google.colab", ModuleType("google.colab"))
    cloned, prepared = [], []
    monkeypatch.setattr("os.path.isdir", lambda p: bool(cloned) if p == colab.COLAB_DIR else Path(p).is_dir())
    monkeypatch.setattr(subprocess, "run", lambda cmd, check=False: cloned.append(cmd) or SimpleNamespace(returncode=0))
    monkeypatch.setattr(colab, "prepare_colab", lambda: prepared.append(True))
    monkeypatch.setattr(sys, "path", list(sys.path))
    return cloned, prepared


def test_first_cell_on_colab_clones_once_and_prepares(on_colab):
    cloned, prepared = on_colab
    cell = colab.first_cell(keras=False, url=URL)
    exec(cell, {})
    exec(cell, {})  # a second run: the course is there, the path holds it once
    assert cloned == [["git", "clone", "--quiet", "--depth=1", URL, colab.COLAB_DIR]]
    assert sys.path.count(colab.COLAB_DIR) == 1 and sys.path[0] == colab.COLAB_DIR
    assert prepared == [True, True]


def test_first_cell_elsewhere_only_sets_up(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("nothing may run outside Colab"))
    namespace = {}
    exec(colab.first_cell(keras=False, url=URL), namespace)
    assert "setup" in namespace and colab.COLAB_DIR not in sys.path


def fake_pip(returncode=0):
    """A subprocess.run stand-in that records pip calls."""
    calls = []
    return (lambda cmd, **kw: calls.append(cmd) or SimpleNamespace(returncode=returncode)), calls


def colab_folder(tmp_path):
    """A course folder holding the real requirements-colab.txt and requirements.txt."""
    for name in ("requirements-colab.txt", "requirements.txt"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    return tmp_path


def test_prepare_colab_installs_once(tmp_path):
    folder = colab_folder(tmp_path)
    run, calls = fake_pip()
    assert colab.prepare_colab(folder, run, modules={}) == []
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", "-r", str(folder / "requirements-colab.txt")]]
    colab.prepare_colab(folder, run, modules={})
    assert len(calls) == 1, "the second lesson on the same machine installs nothing"


def test_prepare_colab_asks_for_a_restart_when_an_old_version_is_loaded(tmp_path, capsys):
    old_widgets = SimpleNamespace(__version__="7.7.1")
    run, _ = fake_pip()
    assert colab.prepare_colab(colab_folder(tmp_path), run, modules={"ipywidgets": old_widgets}) == ["ipywidgets"]
    assert "Runtime → Restart session" in capsys.readouterr().out


def test_prepare_colab_failure_says_what_to_do(tmp_path):
    run, _ = fake_pip(returncode=1)
    with pytest.raises(RuntimeError, match="run this cell again"):
        colab.prepare_colab(colab_folder(tmp_path), run, modules={})
    assert not (tmp_path / colab.INSTALLED).exists()


def test_with_first_cell_keeps_the_setup_line_and_rejects_others():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("import sys\nkeras = setup(keras=True)   # why")]
    assert colab.with_first_cell(nb, URL).cells[1].source == colab.first_cell_prelude(URL) + "keras = setup(keras=True)   # why"
    nb.cells[1].source = "print('hi')"
    with pytest.raises(ValueError, match="must end with setup"):
        colab.with_first_cell(nb, URL)
