"""Check that every slide of a lesson's deck fits 1280x720: nothing cut on the right or below, no text under 16 px.

    python slides/fit.py notebooks/04_padding_stride.ipynb      (default: every notebook)
    python slides/fit.py --json notebooks/04_padding_stride.ipynb
    python slides/fit.py --shots build/fit notebooks/04_padding_stride.ipynb   (PNG of each slide that does not fit)

Exports the deck as `make slides` does, opens it in one headless Chromium with the network off, visits every
slide and sub-slide with all fragments shown and <details> open (slides/fit.js) and reports each slide whose
code, output or text sticks out past the right edge or is hidden in a scrolling/cropping box, whose content is
taller than the slide, or whose text is smaller than the deck's minimum (--deck-small in slides/deck.css),
naming the notebook cell and why. Exit status 1 when some slide does not fit.
"""

import argparse
import base64
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

if __package__ in (None, ""):  # run as a script: python slides/fit.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from slides import browser, export  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MEASURE = Path(__file__).resolve().with_name("fit.js").read_text(encoding="utf-8")


@dataclass
class Problem:
    """One cell on one slide that does not fit: ``what`` is "cut on the right", "too tall" or "text too small"."""

    slide: int  # 1-based position in the deck
    where: str  # reveal.js address h/v: open <deck>.html#/h/v
    title: str
    cell: int | None  # index in the notebook's cells, from 0 (None: not inside a cell)
    what: str
    reason: str
    start: str = ""  # the cell's first line, to find it in JupyterLab


def first_line(cell, width=50):
    """The first non-blank line of a cell's source (without nbval markers), cut to ``width`` characters."""
    for line in cell.source.splitlines():
        if line.strip() and not export.NBVAL_MARKER.fullmatch(line):
            line = line.strip()
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


@dataclass
class DeckFit:
    """What the fit check found in one lesson's deck."""

    lesson: str
    slides: int
    cut_right: int  # slides with something cut on the right
    too_tall: int  # slides whose content is taller than the slide
    too_small: int  # slides with text smaller than the deck's minimum (16 px)
    tallest: int  # px, the tallest slide's content
    size: tuple
    code: dict | None  # the code box: characters per line, font size, font
    output: dict | None  # the same for output text (which wraps)
    problems: list = field(default_factory=list)

    @property
    def fits(self):
        """True when no slide has anything cut off."""
        return not self.problems


def longest(lines):
    """Length of the longest line (0 for none)."""
    return max((len(line) for line in lines), default=0)


def output_lines(cell):
    """The text lines a code cell's outputs show (streams, plain text, errors)."""
    lines = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            lines += out.text.splitlines()
        elif out.output_type == "error":
            lines += out.traceback
        elif "text/plain" in out.get("data", {}) and not ({"image/png", "text/html"} & set(out.data)):
            lines += out.data["text/plain"].splitlines()
    return lines


def cut_reason(cell, cuts, fit_chars):
    """Why a cell is cut on the right, from what the browser saw (``cuts``) and the cell's text."""
    kinds = {c["kind"] for c in cuts}
    px = round(max(c["px"] for c in cuts))
    reasons = []
    if "code" in kinds:
        lines = cell.source.splitlines()
        over = [len(line) for line in lines if fit_chars and len(line) > fit_chars]
        reasons.append(f"long code line: {longest(lines)} chars ({len(over)} {'line' if len(over) == 1 else 'lines'} "
                       f"longer than the {fit_chars} that fit)" if over
                       else f"code {px} px too wide (longest line {longest(lines)} chars)")
    if "output text" in kinds:
        reasons.append(f"output text {px} px too wide (longest line {longest(output_lines(cell))} chars)")
    if "figure" in kinds:
        reasons.append(f"figure {px} px too wide")
    if "output" in kinds:
        reasons.append(f"HTML output {px} px too wide")
    if kinds & {"markdown", "formula"}:
        what = "formula" if "formula" in kinds else "text"
        reasons.append(f"markdown {what} {px} px too wide")
    return "; ".join(reasons or [f"{px} px too wide"])


def tall_reason(cell, box, height):
    """Why a cell ends below the slide: where it ends and what makes it tall."""
    parts = []
    if cell is not None and cell.cell_type == "code":
        parts.append(f"{len(cell.source.splitlines())} code lines ({box['code']} px)")
        if box["output"]:
            text = len(output_lines(cell))
            inside = ([f"{text} text lines"] if text else []) + [f"figure {h} px" for h in box["figures"]]
            parts.append(f"output {box['output']} px" + (f" ({', '.join(inside)})" if inside else ""))
    elif cell is not None:
        parts.append(f"markdown {box['bottom'] - box['top']} px")
    return f"runs from {box['top']} to {box['bottom']} px (of {height}): " + ", ".join(parts)


def problems_of(nb, data):
    """The Problems in one deck's measurements (``data`` from fit.js), naming cells and reasons."""
    W, H = data["width"], data["height"]
    fit_chars = (data["code"] or {}).get("chars")
    found = []
    for s in data["slides"]:
        head = dict(slide=s["n"] + 1, where=f"{s['h']}/{s['v']}", title=s["title"][:60])
        right = {}
        for cut in s["cuts"]:
            if cut["side"] == "right":
                right.setdefault(cut["cell"], []).append(cut)
        for index, cuts in sorted(right.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
            cell = nb.cells[index] if index is not None else None
            reason = (cut_reason(cell, cuts, fit_chars) if cell is not None
                      else f"{round(max(c['px'] for c in cuts))} px too wide")
            found.append(Problem(**head, cell=index, what="cut on the right", reason=reason,
                                 start=first_line(cell) if cell is not None else ""))
        small = {}
        for cut in s["cuts"]:
            if cut["side"] == "small":
                small.setdefault(cut["cell"], []).append(cut)
        for index, cuts in sorted(small.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
            sizes = sorted({c["px"] for c in cuts})
            kinds = sorted({c["kind"] for c in cuts})
            found.append(Problem(**head, cell=index, what="text too small",
                                 start=first_line(nb.cells[index]) if index is not None else "",
                                 reason=f"{' and '.join(kinds)} text of {', '.join(f'{px:g}' for px in sizes)} px "
                                        f"(the minimum is {data['min_text']:g} px)"))
        clipped = {c["cell"] for c in s["cuts"] if c["side"] == "bottom"}
        boxes = {b["cell"]: b for b in s["cells"]}
        if s["height"] > H:
            low = [b for b in s["cells"] if b["bottom"] > H] or s["cells"][-1:]
            for box in low:
                cell = nb.cells[box["cell"]]
                found.append(Problem(**head, cell=box["cell"], what="too tall", start=first_line(cell),
                                     reason=f"slide content {s['height']} px tall; the cell "
                                            + tall_reason(cell, box, H)))
        for index in sorted(clipped - {None}):
            if s["height"] <= H or boxes.get(index, {}).get("bottom", 0) <= H:
                found.append(Problem(**head, cell=index, what="too tall", start=first_line(nb.cells[index]),
                                     reason="content hidden behind a vertical scroll bar or crop"))
    return found


def measure(client, deck):
    """Open ``deck`` offline and return fit.js's measurements of every slide."""
    tab = browser.open_offline(client, deck.as_uri())
    try:
        if not tab.ready:
            raise RuntimeError(f"{deck.name}: reveal.js or MathJax did not finish starting within 60 s")
        client.evaluate(tab.session, MEASURE)
        return json.loads(client.evaluate(tab.session, "measureDeck()", await_promise=True))
    finally:
        browser.close(client, tab)


def check(client, notebook, out=export.OUT):
    """Export one notebook's deck, measure every slide and return a DeckFit."""
    notebook = Path(notebook)
    deck = export.export_deck(notebook, out)
    data = measure(client, deck)
    nb = nbformat.read(notebook, as_version=4)
    H, W = data["height"], data["width"]
    slides = data["slides"]
    found = problems_of(nb, data)
    return DeckFit(
        lesson=notebook.stem, slides=len(slides),
        cut_right=len({p.slide for p in found if p.what == "cut on the right"}),
        too_tall=len({p.slide for p in found if p.what == "too tall"}),
        too_small=len({p.slide for p in found if p.what == "text too small"}),
        tallest=max((s["height"] for s in slides), default=0), size=(W, H), code=data["code"],
        output=data["output"], problems=found)


def screenshots(client, fit, notebook, folder, out=export.OUT):
    """Save a PNG of each slide of ``fit`` that does not fit to ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    deck = Path(out) / f"{Path(notebook).stem}.html"
    tab = browser.open_offline(client, deck.as_uri())
    paths = []
    try:
        client.evaluate(tab.session, MEASURE)
        for where in sorted({p.where for p in fit.problems}, key=lambda w: tuple(map(int, w.split("/")))):
            h, v = where.split("/")
            client.evaluate(tab.session, f"fitVisit({h}, {v}).then(() => true)", await_promise=True)
            png = client.send("Page.captureScreenshot", tab.session, format="png")["data"]
            path = folder / f"{fit.lesson}_{h}_{v}.png"
            path.write_bytes(base64.b64decode(png))
            paths.append(path)
    finally:
        browser.close(client, tab)
    return paths


def report(fit):
    """A short human-readable report of one deck."""
    W, H = fit.size
    code = fit.code or {}
    lines = [f"{fit.lesson}: {fit.slides} slides at {W}x{H}; {fit.cut_right} with something cut on the right, "
             f"{fit.too_tall} taller "
             f"than the slide (tallest {fit.tallest} px), {fit.too_small} with text under the minimum size"
             + (f"; a code line fits {code['chars']} chars at {code['font_px']:g} px" if code else "")]
    for p in fit.problems:
        cell = f"cell {p.cell} ({p.start!r})" if p.cell is not None else "outside the cells"
        title = f" {p.title!r}" if p.title else ""
        lines.append(f"  slide {p.slide} (#/{p.where}){title}: {cell} {p.what}: {p.reason}")
    if fit.fits:
        lines.append("  every slide fits")
    return "\n".join(lines)


def main(argv=None):
    """Check the given notebooks' decks (default: every lesson); print a report; exit 1 if some slide does not fit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--shots", type=Path, metavar="DIR", help="save a PNG of each slide that does not fit")
    parser.add_argument("--out", type=Path, default=export.OUT,
                        help="where the decks are written (default build/slides)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    fits = []
    with browser.chromium() as client:
        for nb in notebooks:
            fit = check(client, nb, args.out)
            fits.append(fit)
            if args.shots and not fit.fits:
                screenshots(client, fit, nb, args.shots, args.out)
            if not args.json:
                print(report(fit), flush=True)
    if args.json:
        print(json.dumps([asdict(f) for f in fits], indent=1))
    return 0 if all(f.fits for f in fits) else 1


if __name__ == "__main__":
    sys.exit(main())
