"""Google Colab (and Binder): each lesson's links, the first cell that fetches the course on Colab, and the one-time
install of what Colab lacks (``requirements-colab.txt``; Colab's own TensorFlow stays).

The repository's address is written once, in ``[project.urls]`` of pyproject.toml; the README's links and the
lessons' first cells are generated from it (tests/test_colab.py keeps them in step). After changing the address:
``python -m utils.colab --write-readme`` rewrites the README's link table, and ``--write-notebooks`` the first cells.
"""

import argparse
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from utils.envcheck import IMPORT_NAMES, read_pins
from utils.paths import COURSE_ROOT

COLAB_DIR = "/content/muffin-or-chihuahua"
BRANCH = "main"
INSTALLED = ".colab-installed"
README_START, README_END = "<!-- colab-links: start (python -m utils.colab --write-readme) -->", "<!-- colab-links: end -->"
PRELUDE = '''# Setup: quiet logs, seeds, figure style. On Google Colab it first fetches the course (README: "Google Colab").
import os, subprocess, sys
if "google.colab" in sys.modules:
    if not os.path.isdir("{dir}"):
        subprocess.run(["git", "clone", "--quiet", "--depth=1", "{url}", "{dir}"], check=True)
    if "{dir}" not in sys.path:
        sys.path.insert(0, "{dir}")
    from utils.colab import prepare_colab
    prepare_colab()
from utils.notebook import setup
'''
SETUP_LINE = re.compile(r"^(keras = )?setup\((keras=True)?\)(\s+#.*)?$")


def repository_url(pyproject=COURSE_ROOT / "pyproject.toml"):
    """The course's public repository (``[project.urls] Repository`` in pyproject.toml)."""
    with open(pyproject, "rb") as f:
        urls = tomllib.load(f).get("project", {}).get("urls", {})
    url = urls.get("Repository", "")
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"pyproject.toml: [project.urls] Repository must be https://github.com/OWNER/REPO, got {url!r}")
    return url


def colab_link(notebook, url=None):
    """The address that opens ``notebooks/<notebook>`` from the repository in Colab."""
    path = repository_url() if url is None else url
    return f"https://colab.research.google.com/github/{path.removeprefix('https://github.com/')}/blob/{BRANCH}/notebooks/{Path(notebook).name}"


def binder_link(notebook, url=None):
    """The address that builds the repository on mybinder.org and opens ``notebooks/<notebook>`` in JupyterLab."""
    path = repository_url() if url is None else url
    return (f"https://mybinder.org/v2/gh/{path.removeprefix('https://github.com/')}/{BRANCH}"
            f"?urlpath=lab/tree/notebooks/{Path(notebook).name}")


def first_cell_prelude(url=None):
    """Every lesson's first code cell up to its ``setup(...)`` line."""
    return PRELUDE.format(dir=COLAB_DIR, url=repository_url() if url is None else url)


def first_cell(keras, url=None):
    """The whole first code cell of a lesson (``keras=True`` for lessons that use Keras)."""
    return first_cell_prelude(url) + ("keras = setup(keras=True)" if keras else "setup()")


def prepare_colab(course_dir=COLAB_DIR, run=subprocess.run, modules=None):
    """Install requirements-colab.txt once per Colab machine; returns the packages that need a session restart
    (imported before the install at another version), after saying so."""
    course_dir, modules = Path(course_dir), sys.modules if modules is None else modules
    stamp, requirements = course_dir / INSTALLED, course_dir / "requirements-colab.txt"
    if stamp.is_file():
        return []
    done = run([sys.executable, "-m", "pip", "install", "--quiet", "-r", str(requirements)])
    if done.returncode != 0:
        raise RuntimeError(f"pip could not install {requirements.name}: run this cell again; if it fails again, "
                           "use Runtime → Disconnect and delete runtime, then run the lesson from the top")
    stale = [name for name, version in read_pins(requirements).items()
             if getattr(modules.get(IMPORT_NAMES.get(name, name.replace("-", "_"))), "__version__", version) != version]
    stamp.write_text("installed\n", encoding="utf-8")
    if stale:
        print(f"Installed {', '.join(stale)} for the course: use Runtime → Restart session, then run this cell again.")
    return stale


def links_table(notebooks=None, url=None):
    """The README's table of lessons with their Colab and Binder links."""
    notebooks = sorted((COURSE_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) if notebooks is None else notebooks
    rows = [f"| [{Path(nb).stem}](notebooks/{Path(nb).name}) | [Open in Colab]({colab_link(nb, url)}) "
            f"| [Open on Binder]({binder_link(nb, url)}) |" for nb in notebooks]
    return "\n".join(["| lesson | Google Colab | Binder |", "| --- | --- | --- |", *rows])


def readme_with_links(text, table):
    """README text with the part between the link markers replaced by ``table``."""
    if README_START not in text or README_END not in text:
        raise ValueError("README.md has no colab-links markers: add them where the table belongs")
    head, rest = text.split(README_START, 1)
    return f"{head}{README_START}\n{table}\n{README_END}{rest.split(README_END, 1)[1]}"


def with_first_cell(nb, url=None):
    """A notebook (nbformat node) whose first code cell is the current prelude plus its own setup line."""
    cell = next(c for c in nb.cells if c.cell_type == "code")
    last = cell.source.rstrip().splitlines()[-1]
    if not SETUP_LINE.match(last):
        raise ValueError(f"the first code cell must end with setup() or keras = setup(keras=True), not {last!r}")
    cell.source = first_cell_prelude(url) + last
    return nb


def main(argv=None):
    """Command line: rewrite the README's link table and/or the lessons' first cells from pyproject.toml."""
    parser = argparse.ArgumentParser(prog="python -m utils.colab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--write-notebooks", action="store_true")
    args = parser.parse_args(argv)
    if args.write_readme:
        readme = COURSE_ROOT / "README.md"
        readme.write_text(readme_with_links(readme.read_text(encoding="utf-8"), links_table()), encoding="utf-8")
    if args.write_notebooks:
        import nbformat

        for path in sorted((COURSE_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            tmp = path.with_name(f".{path.name}.tmp")
            nbformat.write(with_first_cell(nbformat.read(path, as_version=4)), tmp)
            tmp.replace(path)
    if not (args.write_readme or args.write_notebooks):
        print(links_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
