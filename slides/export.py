"""Export lesson notebooks to reveal.js slide decks that open with no network.

    python slides/export.py [--out build/slides] [NOTEBOOK ...]      (default: notebooks/*.ipynb)

reveal.js, require.js, jQuery and MathJax come from ``<out>/node_modules`` (``make slides`` runs
``npm ci`` there from slides/package.json); widget views become a short note, since a static page
has no kernel to drive them (the static figure beside each widget stays).
"""

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "slides"
TEMPLATE = Path(__file__).resolve().with_name("offline.html.j2")
STYLE = Path(__file__).resolve().with_name("deck.css")  # sizes of text, code, outputs on a 1280x720 slide
SCRIPT = Path(__file__).resolve().with_name("deck.js")  # figures shrink to the height a slide has left
SIZE = (1280, 720)  # reveal.js width and height: CSS px are screen px in a 1280x720 window
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "Interactive widget: run this cell in JupyterLab (or RISE) to use it."

# Paths relative to the HTML file; each must exist under <out> after `npm ci`.
LOCAL = {
    "reveal_url_prefix": "node_modules/reveal.js",
    "require_js_url": "node_modules/requirejs/require.js",
    "jquery_url": "node_modules/jquery/dist/jquery.min.js",
    "mathjax_url": "node_modules/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}
NEEDED = ["reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js", "reveal.js/dist/theme/white.css",
          "requirejs/require.js", "jquery/dist/jquery.min.js", "mathjax/MathJax.js"]

NBVAL_MARKER = re.compile(r"\s*#\s*NBVAL_[A-Z_]+\s*")

# Assets a page loads (not links a reader may click): src=, <link href=>, CSS url(), JS import.
EXTERNAL_ASSET = re.compile(
    r"""(?:\bsrc\s*=\s*["']?|<link\b[^>]*?\bhref\s*=\s*["']?|url\(\s*["']?|@import\s+["']|\bimport\b[^;'"]*?["'])"""
    r"""(?P<url>(?:https?:)?//[^\s"')>]+)""",
    re.IGNORECASE,
)


def check_vendor(out):
    """Raise FileNotFoundError naming the missing local JavaScript and how to install it."""
    missing = [name for name in NEEDED if not (Path(out) / "node_modules" / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"the decks need local copies of {', '.join(missing)} under {Path(out) / 'node_modules'}: "
            "run `make slides` (it runs `npm ci` with slides/package.json there)"
        )


def strip_widgets(nb):
    """Return a copy of ``nb`` whose widget views are replaced by a note, without saved widget state."""
    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"strip_widgets expects a notebook read with nbformat, got {type(nb).__name__}")
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    note = nbformat.v4.new_output("display_data", data={
        "text/html": f'<p class="widget-note"><em>{WIDGET_NOTE}</em></p>', "text/plain": WIDGET_NOTE})
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if any(WIDGET_VIEW in out.get("data", {}) for out in outputs):
            cell.outputs = [note if WIDGET_VIEW in out.get("data", {}) else out for out in outputs]
    return nb


def drop_test_markers(nb):
    """Remove nbval's marker lines (``# NBVAL_IGNORE_OUTPUT`` ...) from code shown on slides: they are for the tests."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = "\n".join(line for line in cell.source.splitlines() if not NBVAL_MARKER.fullmatch(line))
    return nb


def number_cells(nb):
    """Store each cell's index in ``metadata.cell_index`` (the template writes it as data-cell-index)."""
    for index, cell in enumerate(nb.cells):
        cell.metadata["cell_index"] = index
    return nb


def uses_mermaid(nb):
    """True when a notebook draws a mermaid diagram (which needs mermaid.js from the network)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "```mermaid" in cell.source:
            return True
        if any("text/vnd.mermaid" in out.get("data", {}) for out in cell.get("outputs", [])):
            return True
    return False


def external_assets(html):
    """List the URLs of scripts, style sheets, fonts and images that ``html`` would fetch from the network."""
    return sorted({m.group("url") for m in EXTERNAL_ASSET.finditer(html)})


def exporter():
    """A SlidesExporter that points every script and style sheet at the local copies."""
    ex = SlidesExporter(template_file=str(TEMPLATE), exclude_input_prompt=True, exclude_output_prompt=True, **LOCAL)
    ex.reveal_theme = "white"  # its fonts ship with reveal.js; "simple" imports Google Fonts
    ex.reveal_width, ex.reveal_height = map(str, SIZE)
    return ex


def export_deck(notebook, out=OUT):
    """Write ``<out>/<notebook stem>.html`` and return its path; raise if the deck would need the network."""
    notebook = Path(notebook)
    if notebook.suffix != ".ipynb" or not notebook.is_file():
        raise FileNotFoundError(f"expected an existing .ipynb file, got {notebook}")
    check_vendor(out)
    nb = nbformat.read(notebook, as_version=4)
    if uses_mermaid(nb):
        raise ValueError(f"{notebook.name} draws a mermaid diagram, which needs mermaid.js from the network: "
                         "use a matplotlib figure or an image instead")
    html, _ = exporter().from_notebook_node(number_cells(drop_test_markers(strip_widgets(nb))), resources={
        "metadata": {"name": notebook.stem},
        "deck": {"css": STYLE.read_text(encoding="utf-8"), "js": SCRIPT.read_text(encoding="utf-8")}})
    remote = external_assets(html)
    if remote:
        raise ValueError(f"{notebook.name}: the deck would load {remote} from the network; use local files")
    path = Path(out) / f"{notebook.stem}.html"
    path.write_text(html, encoding="utf-8")
    return path


def main(argv=None):
    """Export the given notebooks (default: all lessons) and print one line per deck."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks to export")
    for nb in notebooks:
        path = export_deck(nb, args.out)
        print(f"{nb.name} -> {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
