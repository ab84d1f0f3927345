"""How far do the training lessons' results move with the floating-point order? Seeds × threads × oneDNN.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/portability_spread.py                  # every training lesson
    PYTHONPATH=$PWD .venv/bin/python benchmarks/portability_spread.py --lessons 06 --seeds 42 --variants 2-on
    PYTHONPATH=$PWD .venv/bin/python benchmarks/portability_spread.py --lessons 06 --only-broken

Each run executes a lesson top to bottom in a fresh kernel (as nbval does), with its setup cell's seed replaced,
the kernel on all cores or pinned to one (``os.sched_setaffinity``, like ``taskset -c 0``), and oneDNN on or off
(``TF_ENABLE_ONEDNN_OPTS``). It then reads from the kernel every quantity the lesson asserts a range for and
writes the values, their min/max and the lesson's ranges to ``benchmarks/portability_spread.json`` (entries of
lessons not run are kept). Broken variants (a lesson's source changed on purpose, e.g. a learning rate 100× too
high) show that those ranges catch a regression; ``tests/test_portability.py`` checks both against the JSON.

To add a lesson's quantities: write each range in the lesson as ``assert LO <= name <= HI, "why"`` (a plain
variable name, literal bounds) and list the lesson's broken variants in ``BROKEN``; then run this script with
``--lessons NN`` and set the bounds from the measured min/max with a margin.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = Path(__file__).resolve().with_name("portability_spread.json")
ONEDNN, COURSE_DEFAULT = "TF_ENABLE_ONEDNN_OPTS", "MUFFIN_ONEDNN_DEFAULT"   # as in utils/notebook.py
SEEDS = (42, 1, 2)                                   # 42: the seed the lessons are stored with
VARIANTS = {"2-on": (False, "1"), "2-off": (False, "0"), "1-on": (True, "1"), "1-off": (True, "0")}
NUMBER = r"-?\d+(?:\.\d+)?"
LESSON_SEED = re.compile(r"^SEED = 42\b", re.MULTILINE)   # a lesson's own seed setting (lesson 07): follows the run's
RANGE_ASSERT = re.compile(rf"^\s*assert\s+({NUMBER})\s*<=\s*([A-Za-z_]\w*)\s*<=\s*({NUMBER})\b", re.MULTILINE)

# Broken variants per lesson: name -> [(text in one code cell, its replacement)]. Each must make a range fail.
BROKEN = {
    "06": {
        "learning rate x100": [("cnn.compile(optimizer=keras.optimizers.Adam(1e-3)",
                                "cnn.compile(optimizer=keras.optimizers.Adam(1e-1)")],
        "convolutions removed": [(f'layers.Conv2D({k}, 3, padding="same", activation="relu", name="conv{i}")',
                                  f'layers.Identity(name="conv{i}")') for i, k in ((1, 16), (2, 32), (3, 64))],
    },
    "08": {
        "learning rate x100": [(f"optimizer=keras.optimizers.Adam(1e-3),\n    loss={{{head}",
                                f"optimizer=keras.optimizers.Adam(1e-1),\n    loss={{{head}")
                               for head in ('"class"', '"objectness"')],
        "box loss switched off": [('loss_weights={"class": 1.0, "box": 10.0}', 'loss_weights={"class": 1.0, "box": 0.0}'),
                                  ('"box": 20.0, "class": 1.0}', '"box": 0.0, "class": 1.0}')],
    },
    "09": {
        "landmark learning rate x100": [("CosineDecay(2e-3, steps)", "CosineDecay(2e-1, steps)")],
        "embedding learning rate x100": [("classifier.compile(optimizer=keras.optimizers.Adam(1e-3)",
                                          "classifier.compile(optimizer=keras.optimizers.Adam(1e-1)")],
    },
    "07": {
        "learning rate x100": [("def train(model, x, y, epochs, name, learning_rate=1e-3,",
                                "def train(model, x, y, epochs, name, learning_rate=1e-1,")],
        "no augmentation in the + augmentation + dropout rung": [
            ("regularised = make_model(build_base(), augment=augment, dropout=0.5)",
             "regularised = make_model(build_base(), augment=None, dropout=0.5)")],
    },
}


def read_notebook(path):
    """A notebook as plain JSON."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def trains(nb):
    """Whether a lesson trains a model: a code cell calls ``.fit(``, or its metadata says ``course.trains``."""
    if nb.get("metadata", {}).get("course", {}).get("trains"):
        return True
    return any(c["cell_type"] == "code" and ".fit(" in _source(c) for c in nb["cells"])


def training_lessons(folder=NOTEBOOKS):
    """The lesson notebooks that train a model, sorted by name."""
    return [p for p in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")) if trains(read_notebook(p))]


def lesson_id(path):
    """'06' for notebooks/06_cnn_muffin_or_chihuahua.ipynb."""
    return Path(path).name[:2]


def asserted_ranges(nb):
    """Every ``assert LO <= name <= HI`` in a notebook's code: ``{name: (LO, HI)}``."""
    ranges = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for lo, name, hi in RANGE_ASSERT.findall(_source(cell)):
            bounds = (float(lo), float(hi))
            if ranges.get(name, bounds) != bounds:
                raise ValueError(f"{name} is asserted with two ranges, {ranges[name]} and {bounds}: keep one")
            ranges[name] = bounds
    return ranges


def outside(values, ranges):
    """Names whose value is missing (its cell failed before setting it) or outside its asserted range."""
    return sorted(n for n, (lo, hi) in ranges.items() if values.get(n) is None or not lo <= values[n] <= hi)


def prepare(nb, seed, mutation=()):
    """A copy of the notebook with ``setup(...keras=True)`` given ``seed`` and the mutation's replacements done."""
    nb = json.loads(json.dumps(nb))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    setup_cells = [c for c in code if "setup(keras=True)" in _source(c)]
    if len(setup_cells) != 1:
        raise ValueError("expected one code cell calling setup(keras=True), found " + str(len(setup_cells)))
    setup_cells[0]["source"] = _source(setup_cells[0]).replace("setup(keras=True)", f"setup(seed={seed}, keras=True)")
    for cell in code:   # a lesson that sets its own SEED (which photos it draws, how it trains) uses the run's seed
        cell["source"] = LESSON_SEED.sub(f"SEED = {seed}", _source(cell))
    for old, new in mutation:
        hits = [c for c in code if old in _source(c)]
        if len(hits) != 1:
            raise ValueError(f"the broken variant's text {old!r} is in {len(hits)} code cells, not one")
        hits[0]["source"] = _source(hits[0]).replace(old, new)
    return nb


def _read_values_cell(names):
    """Source of a last cell that prints the named kernel variables as JSON (None where a name is unset)."""
    return ("import json as _json, math as _math\n"
            f"_names = {sorted(names)!r}\n"
            "_vals = {n: (float(globals()[n]) if n in globals() else None) for n in _names}\n"
            "print('VALUES', _json.dumps({n: (v if v is None or _math.isfinite(v) else None) "
            "for n, v in _vals.items()}))")


def run_once(nb, names, pinned, onednn, keep=None, timeout=900):
    """Execute a prepared notebook in a fresh kernel; returns (values, errors, seconds). ``keep``: save it there."""
    import nbformat
    from nbclient import NotebookClient

    book = nbformat.reads(json.dumps(nb), as_version=4)
    book.cells.append(nbformat.v4.new_code_cell(_read_values_cell(names)))
    env = {k: v for k, v in os.environ.items() if k != COURSE_DEFAULT}
    env[ONEDNN] = onednn
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    cpus = os.sched_getaffinity(0)
    client = NotebookClient(book, timeout=timeout, allow_errors=True, store_widget_state=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    try:
        if pinned:
            os.sched_setaffinity(0, {min(cpus)})    # the kernel inherits it: one core, one thread
        client.execute(env=env)
    finally:
        os.sched_setaffinity(0, cpus)
    seconds = time.perf_counter() - start
    if keep:
        nbformat.write(book, keep)
    errors, values = [], {}
    for i, cell in enumerate(book.cells):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                errors.append(f"cell {i}: {out['ename']}: {out['evalue'][:200]}")
            elif out["output_type"] == "stream":
                for line in out["text"].splitlines():   # other stdout may share the stream output
                    if line.startswith("VALUES "):
                        values = json.loads(line[len("VALUES "):])
    if not values:
        errors.append("the last cell printed no VALUES line (see --keep)")
    return values, errors, seconds


def spread(runs, names):
    """Min and max of each quantity over the runs (None where no run has it)."""
    result = {}
    for n in sorted(names):
        seen = [r["values"].get(n) for r in runs if r["values"].get(n) is not None]
        result[n] = {"min": min(seen), "max": max(seen)} if seen else None
    return result


def measure_lesson(path, seeds, variants, broken, also=(), keep=None):
    """All runs of one lesson: the seeds × variants, then its broken variants (seed 42, all cores, oneDNN on)."""
    nb = read_notebook(path)
    ranges = asserted_ranges(nb)
    names = set(ranges) | set(also)
    entry = {"notebook": str(Path(path).relative_to(ROOT)), "ranges": ranges, "runs": [], "broken": []}
    for seed in seeds:
        for variant in variants:
            pinned, onednn = VARIANTS[variant]
            saved = keep and Path(keep) / f"{lesson_id(path)}_seed{seed}_{variant}.ipynb"
            values, errors, seconds = run_once(prepare(nb, seed), names, pinned, onednn, saved)
            threads = 1 if pinned else len(os.sched_getaffinity(0))
            entry["runs"].append({"seed": seed, "variant": variant, "threads": threads, "onednn": onednn == "1",
                                  "seconds": round(seconds, 1), "values": values, "errors": errors,
                                  "outside": outside(values, ranges)})
            print(f"{lesson_id(path)} seed {seed:>3} {variant:6} {seconds:5.0f} s  "
                  + "  ".join(f"{n}={values.get(n)}" for n in sorted(names))
                  + (f"  ERRORS {errors}" if errors else ""), flush=True)
    for name in broken:
        saved = keep and Path(keep) / f"{lesson_id(path)}_broken_{name.replace(' ', '_')}.ipynb"
        values, errors, seconds = run_once(prepare(nb, SEEDS[0], BROKEN[lesson_id(path)][name]), names, False, "1",
                                           saved)
        entry["broken"].append({"name": name, "values": values, "errors": errors, "outside": outside(values, ranges)})
        print(f"{lesson_id(path)} broken: {name}: outside its ranges: {entry['broken'][-1]['outside']}", flush=True)
    entry["spread"] = spread(entry["runs"], names)
    return entry


def table(entry):
    """Markdown table: quantity, measured min–max over the runs, the asserted range."""
    lines = ["| quantity | measured min | measured max | asserted range |", "| --- | --- | --- | --- |"]
    for n, s in entry["spread"].items():
        lo_hi = entry["ranges"].get(n)
        rng = f"{lo_hi[0]:g} … {lo_hi[1]:g}" if lo_hi else "—"
        lines.append(f"| `{n}` | {s['min']:.4g} | {s['max']:.4g} | {rng} |" if s else f"| `{n}` | — | — | {rng} |")
    return "\n".join(lines)


def write_json(data, path=OUT):
    """Write the results atomically (a temporary file, then a rename)."""
    tmp = Path(path).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", nargs="*", help="lesson numbers, e.g. 06 07 (default: every training lesson)")
    parser.add_argument("--seeds", nargs="*", type=int, default=list(SEEDS))
    parser.add_argument("--variants", nargs="*", choices=sorted(VARIANTS), default=list(VARIANTS),
                        help="threads-oneDNN: 2-on is all cores with oneDNN (the lessons' default)")
    parser.add_argument("--only-broken", action="store_true", help="run only the broken variants, keep the stored runs")
    parser.add_argument("--no-broken", action="store_true", help="skip the broken variants")
    parser.add_argument("--also", nargs="*", default=[],
                        help="more kernel variables to record (e.g. while calibrating)")
    parser.add_argument("--keep", help="a folder to save every executed notebook in (to see what a run printed)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the stored runs of other seeds and variants (default: replace the lesson's runs)")
    args = parser.parse_args(argv)
    if not hasattr(os, "sched_setaffinity"):
        parser.error("this platform cannot pin a process to one core (os.sched_setaffinity): run it on Linux")
    lessons = [p for p in training_lessons() if args.lessons is None or lesson_id(p) in args.lessons]
    if not lessons:
        parser.error(f"no training lesson matches {args.lessons}")
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {"lessons": {}}
    from benchmarks.run import machine

    data["machine"] = machine()
    for path in lessons:
        key = lesson_id(path)
        broken = [] if args.no_broken else list(BROKEN.get(key, {}))
        old = data["lessons"].get(key, {})
        if args.only_broken:
            entry = measure_lesson(path, [], [], broken, args.also, args.keep)
            entry["runs"], entry["spread"] = old.get("runs", []), old.get("spread", {})
        else:
            entry = measure_lesson(path, args.seeds, args.variants, broken, args.also, args.keep)
            if args.merge:
                done = {(r["seed"], r["variant"]) for r in entry["runs"]}
                kept = [r for r in old.get("runs", []) if (r["seed"], r["variant"]) not in done]
                entry["runs"] = kept + entry["runs"]
                entry["broken"] = entry["broken"] or old.get("broken", [])
                entry["spread"] = spread(entry["runs"], set(entry["spread"]))
        data["lessons"][key] = entry
        write_json(data)
        print(table(entry))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
