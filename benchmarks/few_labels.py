"""Lesson 07 over many label draws: every rung of the few-label ladder, and test accuracy against labels.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/few_labels.py --plan full     # measure (resumes where it stopped)
    PYTHONPATH=$PWD .venv/bin/python benchmarks/few_labels.py --summary       # the tables and bars from the JSON
    PYTHONPATH=$PWD .venv/bin/python benchmarks/few_labels.py --live          # time what the lesson trains, cold

The design (``DESIGN``, the one lesson 07 trains): the labelled photos were taken "in a studio" (upright, centred,
one scale, never mirrored: ``muffins.make_arrays(pose="studio")``), while the validation and test photos are
everyday photos (mirrored, turned, zoomed and shifted at random). The augmentation block
(``augmentation.build_block``) adds exactly those everyday poses plus sensor noise. Every from-scratch rung trains
100 epochs (batches of 16, Adam 1e-3); dropout 0.5 sits after the head's Dense(64). The pretrained base is the one
the course ships (``utils.base_cache``: pretrained on 16,000 pets and bakes); its head trains 40 epochs on the
frozen base's features, then the top block (``block3``) is fine-tuned 30 epochs at 3e-4, augmentation in front.
Above 200 labels every schedule shrinks so that a run sees as many photos as at 200 labels (at least a fifth of
its epochs).

A draw is 100 (or n/2) labelled photos per class picked at random from 2,000 studio photos, and the seed of its
training. Every run is stored in the JSON as soon as it ends (atomic write), and runs already there are skipped.
A run records its test accuracy (the 500 test photos of lesson 06's set), its accuracy on its own clean training
photos in inference mode (the overfitting gap), its epochs and training seconds (wall and CPU), and at the
lesson's budget its test accuracy after every epoch with the training CPU seconds spent so far (time to reach).

Exploration that led here (pilots 1-3: everyday vs studio labels, early stopping, batch sizes, bases; phase A's
first full run with a base made by the benchmark; a cosine-decay trial) is kept as a record in
``few_labels_pilot.json`` with each design's settings: ``--summary --json benchmarks/few_labels_pilot.json``.
"""

import time

STARTED = time.perf_counter()  # for --live: the lesson's clock starts before anything is imported

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from utils.label_draws import (AUGMENTED, FROZEN, MEASURED, REGULARISED, RUNGS, SCRATCH, TUNED, key,  # noqa: E402
                               label_counts, runs, time_to_reach)

DEFAULT_JSON = MEASURED
CACHE = ROOT / "data" / "cache"
BUDGET = 200  # the lesson's number of labels
DESIGN = {"labels": "studio", "val_test": "everyday", "epochs": 100, "batch": 16, "lr": 1e-3, "dropout": 0.5,
          "head_epochs": 40, "fine_tune": "block3", "fine_tune_epochs": 30, "fine_tune_lr": 3e-4,
          "base": "data/pretrained/pets_bakes_base.keras", "scale_epochs_above": BUDGET}
CURVE = (20, 50, 100, 500, 2000)
PLANS = {  # (rungs, label counts, draws), measured in this order
    "full": [(RUNGS, (BUDGET,), range(5)), ((SCRATCH, REGULARISED, FROZEN, TUNED), CURVE, range(5))],
    "budget": [(RUNGS, (BUDGET,), range(5))],
    "curve": [((SCRATCH, FROZEN, TUNED), (20, 50), range(5)), ((SCRATCH, FROZEN, TUNED), (500, 2000), range(3)),
              ((SCRATCH, FROZEN, TUNED), (500, 2000), range(3, 5))],  # the label curve's two ends first
    "quick": [(RUNGS, (BUDGET,), range(1))],
}


# ---------------------------------------------------------------------------------------------------------
# photos and draws
# ---------------------------------------------------------------------------------------------------------
def photos(pose, n, seed=0, split="train"):
    """``n`` photos and labels of the generated set in this ``pose``, cached under data/cache (.npz)."""
    from utils import dataset, muffins

    path = CACHE / f"few_labels_{pose}_{split}_{n}_seed{seed}_v{dataset.GENERATOR_VERSION}.npz"
    if path.exists():
        with np.load(path) as f:
            return f["x"], f["y"]
    x, y = muffins.make_arrays(n, seed=seed, split=split, pose=pose)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=path.parent)
    os.close(fd)
    np.savez(tmp, x=x, y=y)
    os.replace(tmp, path)
    return x, y


def draw_labelled(y, n_labelled, draw):
    """Indices of ``n_labelled`` photos, half per class, picked at random with the draw number as seed."""
    per_class = n_labelled // 2
    rng = np.random.default_rng([draw, 11])
    return np.sort(np.concatenate([rng.permutation(np.flatnonzero(y == k))[:per_class] for k in (0, 1)]))


def epochs_for(epochs, n):
    """The epochs of a schedule at ``n`` labels: as given up to BUDGET labels; above, as many photos seen as at
    BUDGET labels (epochs × BUDGET / n), but at least a fifth of the epochs."""
    return epochs if n <= BUDGET else max(round(epochs * BUDGET / n), epochs // 5)


# ---------------------------------------------------------------------------------------------------------
# training one rung
# ---------------------------------------------------------------------------------------------------------
def _accuracy(model, x, y):
    return round(float(np.mean(model.predict(x, batch_size=500, verbose=0).argmax(axis=1) == y)), 4)


def _test_curve(x_test, y_test, offset=(0.0, 0.0)):
    """A Keras callback recording after every epoch [wall s, test accuracy, cpu s] of training so far (the test
    evaluation itself not counted); ``offset`` = (wall, cpu) seconds spent before this fit."""
    import keras

    class TestCurve(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.points, (self.wall, self.cpu) = [], offset

        def on_epoch_begin(self, epoch, logs=None):
            self.started = (time.perf_counter(), time.process_time())

        def on_epoch_end(self, epoch, logs=None):
            self.wall += time.perf_counter() - self.started[0]
            self.cpu += time.process_time() - self.started[1]
            self.points.append([round(self.wall, 3), _accuracy(self.model, x_test, y_test), round(self.cpu, 3)])

    return TestCurve()


def fit(model, x, y, val, epochs, learning_rate, seed, test=None, offset=(0.0, 0.0)):
    """Train with Adam (batches of DESIGN["batch"]), seeded; ``test`` = (x, y) records the test curve. Returns the
    run's record (epochs, seconds, validation accuracy per epoch, curve)."""
    import keras

    keras.utils.set_random_seed(seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    callbacks = [_test_curve(*test, offset)] if test is not None else []
    start, cpu = time.perf_counter(), time.process_time()
    history = model.fit(x, y, validation_data=val, epochs=epochs, batch_size=DESIGN["batch"], verbose=0,
                        callbacks=callbacks, validation_batch_size=len(val[0]))
    record = {"epochs": epochs, "seconds": round(time.perf_counter() - start, 2),
              "cpu_seconds": round(time.process_time() - cpu, 2),
              "val_accuracy": [round(v, 4) for v in history.history["val_accuracy"]]}
    return {**record, "curve": callbacks[0].points} if callbacks else record


def run_scratch(rung, x, y, val, x_test, y_test, seed, curve=False):
    """One of the three from-scratch rungs (the lesson's ``make_model``), trained on one draw; returns its record."""
    import keras

    from utils import augmentation, pretraining

    keras.utils.set_random_seed(seed)
    augment = augmentation.build_block() if rung != SCRATCH else None
    model = pretraining.build_classifier(pretraining.build_base(x.shape[1]), augment,
                                         DESIGN["dropout"] if rung == REGULARISED else 0.0)
    record = fit(model, x, y, val, epochs_for(DESIGN["epochs"], len(y)), DESIGN["lr"], seed,
                 (x_test, y_test) if curve else None)
    return {**record, "test": _accuracy(model, x_test, y_test), "train_clean": _accuracy(model, x, y)}


def run_transfer(x, y, val, x_test, y_test, seed, curve=False):
    """The frozen and the fine-tuned rungs on one draw, as the lesson trains them: (frozen, fine-tuned) records.
    The fine-tuned record's seconds and curve include the feature extraction and the head's training."""
    from utils import augmentation, base_cache, pretraining

    start, cpu = time.perf_counter(), time.process_time()
    base, _ = base_cache.load_base(ROOT / DESIGN["base"])
    base.trainable = False
    features, features_val, features_test = (base.predict(v, batch_size=500, verbose=0) for v in (x, val[0], x_test))
    extract = (time.perf_counter() - start, time.process_time() - cpu)
    import keras

    keras.utils.set_random_seed(seed)
    head = pretraining.build_head(features, DESIGN["dropout"])
    frozen = fit(head, features, y, (features_val, val[1]), epochs_for(DESIGN["head_epochs"], len(y)), 1e-3, seed,
                 (features_test, y_test) if curve else None, extract)
    frozen.update(test=_accuracy(head, features_test, y_test), train_clean=_accuracy(head, features, y))
    model = pretraining.build_transfer(base, head, augmentation.build_block())
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith(DESIGN["fine_tune"])
    after_head = (extract[0] + frozen["seconds"], extract[1] + frozen["cpu_seconds"])
    tuned = fit(model, x, y, val, epochs_for(DESIGN["fine_tune_epochs"], len(y)), DESIGN["fine_tune_lr"], seed,
                (x_test, y_test) if curve else None, after_head)
    if curve:
        tuned["curve"] = frozen["curve"] + tuned["curve"]  # the pretrained path: head first, then fine-tuning
    tuned.update(test=_accuracy(model, x_test, y_test), train_clean=_accuracy(model, x, y),
                 seconds=round(after_head[0] + tuned["seconds"], 2),
                 cpu_seconds=round(after_head[1] + tuned["cpu_seconds"], 2))
    frozen.update(seconds=round(after_head[0], 2), cpu_seconds=round(after_head[1], 2))
    return frozen, tuned


# ---------------------------------------------------------------------------------------------------------
# the JSON
# ---------------------------------------------------------------------------------------------------------
def config():
    """How this process computes: CPUs it may use and whether oneDNN is on (both change float order)."""
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") != "0"
    return f"{len(os.sched_getaffinity(0))} cpu, oneDNN {'on' if onednn else 'off'}"


def load(path):
    return json.loads(Path(path).read_text()) if Path(path).exists() else {"runs": {}}


def save(results, path):
    """Write the JSON atomically (temporary file, then rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w") as f:
        json.dump(results, f, indent=1)
    os.replace(tmp, path)


def measure(plan, path):
    """Run every (rung, labels, draw) of ``plan`` not yet in the JSON at ``path``; save after each run."""
    from utils import base_cache

    results = load(path)
    if results.get("design", DESIGN) != DESIGN:
        raise SystemExit(f"{path} holds runs of another design: measure into another --json file")
    results["design"] = DESIGN
    results["base"] = {k: v for k, v in base_cache.check(ROOT / DESIGN["base"]).items() if k != "classes"}
    x_test, y_test = photos(DESIGN["val_test"], 500, split="test")
    val = photos(DESIGN["val_test"], 100, seed=1)
    x_all, y_all = photos(DESIGN["labels"], 2000)
    for rungs, counts, draws in PLANS[plan]:
        for n in counts:
            for draw in draws:
                todo = [r for r in rungs if key(r, n, draw) not in results["runs"]]
                if not todo:
                    continue
                pick = draw_labelled(y_all, n, draw)
                x, y = x_all[pick].astype("float32"), y_all[pick]
                done = {}
                for rung in [r for r in todo if r in (SCRATCH, AUGMENTED, REGULARISED)]:
                    done[rung] = run_scratch(rung, x, y, val, x_test, y_test, draw, curve=n == BUDGET)
                    _store(results, path, rung, n, draw, done[rung])
                if set(todo) & {FROZEN, TUNED}:
                    for rung, record in zip((FROZEN, TUNED), run_transfer(x, y, val, x_test, y_test, draw,
                                                                          curve=n == BUDGET)):
                        _store(results, path, rung, n, draw, record)
    return results


def _store(results, path, rung, n, draw, record):
    results["runs"][key(rung, n, draw)] = {**record, "config": config()}
    save(results, path)
    print(f"{key(rung, n, draw)}: test {record['test']:.3f}, clean train {record['train_clean']:.3f}, "
          f"{record['epochs']} epochs, {record['cpu_seconds']:.0f} cpu s", flush=True)


# ---------------------------------------------------------------------------------------------------------
# tables and bars
# ---------------------------------------------------------------------------------------------------------
def _pct(values):
    return 100 * np.asarray(values, float)


def rung_table(results, n=BUDGET):
    """Markdown: per rung the mean, range and per-draw test accuracy, the clean-train gap, epochs, cpu seconds."""
    lines = [f"{n} labels", "", "| rung | draws | test mean | min-max | per draw | clean train - test | epochs | "
             "cpu s |", "|---|---|---|---|---|---|---|---|"]
    for rung in RUNGS:
        rs = list(runs(results, rung, n).values())
        if rs:
            t, gap = _pct([r["test"] for r in rs]), _pct([r["train_clean"] - r["test"] for r in rs])
            lines.append(f"| {rung} | {len(rs)} | {t.mean():.1f} | {t.min():.1f}-{t.max():.1f} | "
                         f"{' '.join(f'{v:.1f}' for v in t)} | {gap.mean():.1f} | {rs[0]['epochs']} | "
                         f"{np.mean([r['cpu_seconds'] for r in rs]):.1f} |")
    return "\n".join(lines)


CURVE_RUNGS = (SCRATCH, REGULARISED, TUNED)


def label_curve(results):
    """Markdown: test accuracy against the number of labels (mean (min-max) over draws), and fine-tuned minus from
    scratch per draw."""
    counts = label_counts(results)
    lines = ["| labels | " + " | ".join(CURVE_RUNGS) + " | fine-tuned - from scratch | ahead in |", "|---" * 6 + "|"]
    for n in counts:
        per = {rung: {d: r["test"] for d, r in runs(results, rung, n).items()} for rung in CURVE_RUNGS}
        cells = []
        for rung in CURVE_RUNGS:
            t = _pct(list(per[rung].values()))
            cells.append(f"{t.mean():.1f} ({t.min():.1f}-{t.max():.1f})" if len(t) else "-")
        both = sorted(set(per[SCRATCH]) & set(per[TUNED]))
        gains = _pct([per[TUNED][d] - per[SCRATCH][d] for d in both])
        lines.append(f"| {n} | " + " | ".join(cells) + (f" | {gains.mean():+.1f} | {int(np.sum(gains > 0))} of "
                                                        f"{len(gains)} |" if len(gains) else " | - | - |"))
    return "\n".join(lines)


def bars(results, n=BUDGET, few=(20, 50)):
    """The issue's bars, each as (text, met?), from the runs at ``n`` labels and at ``few`` labels."""
    test = {rung: runs(results, rung, n) for rung in RUNGS}
    draws = sorted(set.intersection(*(set(v) for v in test.values()))) if all(test.values()) else []
    if len(draws) < 5:
        return [(f"all rungs measured over 5 draws at {n} labels (found {len(draws)})", False)]
    acc = {rung: _pct([test[rung][d]["test"] for d in draws]) for rung in RUNGS}
    gap = {rung: _pct([test[rung][d]["train_clean"] - test[rung][d]["test"] for d in draws]) for rung in RUNGS}
    aug_gain, drop_diff = acc[AUGMENTED] - acc[SCRATCH], acc[REGULARISED] - acc[AUGMENTED]
    tune_gain = acc[TUNED] - acc[SCRATCH]
    out = [(f"+ augmentation - from scratch: {aug_gain.mean():+.1f} points (>= +3), ahead in "
            f"{int(np.sum(aug_gain > 0))} of {len(draws)} draws (>= 4 of 5)",
            aug_gain.mean() >= 3 and np.sum(aug_gain > 0) >= 0.8 * len(draws)),
           (f"+ augmentation + dropout - + augmentation: {drop_diff.mean():+.1f} points (>= -1); clean-train gap "
            f"{gap[REGULARISED].mean():.1f} vs {gap[AUGMENTED].mean():.1f} (smaller)",
            drop_diff.mean() >= -1 and gap[REGULARISED].mean() < gap[AUGMENTED].mean()),
           (f"fine-tuned - from scratch at {n} labels: {tune_gain.mean():+.1f} points (>= +5)", tune_gain.mean() >= 5)]
    for m in few:
        s, t = runs(results, SCRATCH, m), runs(results, TUNED, m)
        both = sorted(set(s) & set(t))
        g = _pct([t[d]["test"] - s[d]["test"] for d in both])
        out.append((f"fine-tuned - from scratch at {m} labels: {g.mean() if both else np.nan:+.1f} points over "
                    f"{len(both)} draws (>= +10 over 5)", len(both) >= 5 and g.mean() >= 10))
    reach = time_to_reach(results)
    whole = [np.inf if t is None else t / w for _, _, w, t in reach.values()]
    alike = [np.inf if t is None or s is None else t / s for _, s, _, t in reach.values()]
    out.append((f"the pretrained path reaches from scratch's final accuracy in {', '.join(f'{r:.2f}' for r in whole)} "
                f"of from scratch's training time (<= 0.33 in every draw; of the time from scratch needs to first "
                f"reach it: {', '.join(f'{r:.2f}' for r in alike)})", len(whole) >= 5 and max(whole) <= 1 / 3))
    return out


def summary(results):
    """Every table: the rungs at the budget, the label curve, time to reach, bars."""
    parts = [rung_table(results)]
    parts.append("label efficiency (test accuracy %, mean (min-max) over draws)\n\n" + label_curve(results))
    for target in (SCRATCH, REGULARISED):
        reach = time_to_reach(results, target)
        parts.append(f"time to reach {target}'s final accuracy at {BUDGET} labels (training cpu seconds)\n\n"
                     f"| draw | {target} | it needs (of its whole training) | pretrained path needs |\n"
                     "|---|---|---|---|\n" + "\n".join(
                         f"| {d} | {100 * a:.1f} | {'never' if s is None else f'{s:.1f}'} ({whole:.1f}) | "
                         f"{'never' if t is None else f'{t:.1f}'} |" for d, (a, s, whole, t) in reach.items()))
    parts.append("bars\n\n" + "\n".join(f"- [{'x' if ok else ' '}] {text}" for text, ok in bars(results)))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------------------
# the lesson's live schedule, timed cold
# ---------------------------------------------------------------------------------------------------------
LIVE_RUNGS = (SCRATCH, REGULARISED, FROZEN, TUNED)  # "+ augmentation" alone is shown from the JSON only


def live(n=BUDGET, seed=42):
    """What the lesson trains, timed in this fresh process: draw its photos (no cache), train the live rungs on one
    draw with validation, load the shipped base. Returns seconds (wall, cpu) and peak memory (MiB)."""
    from utils import muffins

    started = {"wall": time.perf_counter(), "cpu": time.process_time()}
    x, y = muffins.make_arrays(n, pose=DESIGN["labels"])
    val = muffins.make_arrays(100, seed=1)
    x_test, y_test = muffins.make_arrays(500, split="test")
    drawn = {"wall": time.perf_counter() - started["wall"], "cpu": time.process_time() - started["cpu"]}
    x = x.astype("float32")
    for rung in (SCRATCH, REGULARISED):
        run_scratch(rung, x, y, val, x_test, y_test, seed)
    run_transfer(x, y, val, x_test, y_test, seed)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"since_start_seconds": round(time.perf_counter() - STARTED, 1),
            "draw_seconds": round(drawn["wall"], 1), "draw_cpu_seconds": round(drawn["cpu"], 1),
            "wall_seconds": round(time.perf_counter() - started["wall"], 1),
            "cpu_seconds": round(time.process_time() - started["cpu"], 1), "peak_mib": round(usage.ru_maxrss / 1024),
            "config": config()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", choices=sorted(PLANS), help="what to measure")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="results file (resumed if present)")
    parser.add_argument("--summary", action="store_true", help="print the tables of the JSON and stop")
    parser.add_argument("--live", action="store_true", help="time what the lesson trains live (one draw) and stop")
    args = parser.parse_args(argv)
    if args.summary or not (args.plan or args.live):
        print(summary(load(args.json)))
        return 0
    from utils.notebook import setup

    setup(keras=True)  # the lessons' seeds, determinism and oneDNN
    if args.live:
        print(json.dumps(live()))
        return 0
    start = time.time()
    results = measure(args.plan, args.json)
    print(f"{config()}: {time.time() - start:.0f} s\n\n{summary(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
