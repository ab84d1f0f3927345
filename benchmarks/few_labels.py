"""Lesson 07 over many label draws: every rung of the small-data ladder, and test accuracy against labels.

    .venv/bin/python benchmarks/few_labels.py --plan pilot      # 3 draws, a few designs, 200 labels
    .venv/bin/python benchmarks/few_labels.py --plan full       # the chosen design: 5 draws, all rungs, the curve
    .venv/bin/python benchmarks/few_labels.py --summary         # print the tables from the JSON only

Every run is appended to the JSON file as soon as it ends (atomic write), and runs already in the file are
skipped, so an interrupted measurement resumes where it stopped. A run records the test accuracy (500 test
photos, the lesson's), the accuracy on its own clean training photos in inference mode (for the overfitting
gap), the epochs and seconds it trained, and its test accuracy after every epoch with the training seconds
spent so far (for "seconds to reach from scratch's final accuracy").
"""

import time

STARTED = time.perf_counter()  # for --live: the lesson's clock starts before anything is imported

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

RUNGS = ("from scratch", "+ augmentation", "+ augmentation + dropout", "pretrained, frozen",
         "pretrained, fine-tuned")
DEFAULT_JSON = ROOT / "benchmarks" / "few_labels.json"
CACHE = ROOT / "data" / "cache"


# ---------------------------------------------------------------------------------------------------------
# photos: "everyday" (the generator as it is) or "studio" (same photos, upright, centred, one scale)
# ---------------------------------------------------------------------------------------------------------
class _StudioPose:
    """Wraps a photo's RNG so that the pose draws of ``muffins._compose`` (mirror, angle, scale, shift) are
    narrowed by ``k`` (0: upright, centred, one scale, never mirrored); every other draw is unchanged."""

    def __init__(self, rng, k):
        self._rng, self._k, self._calls = rng, k, 0

    def uniform(self, *args, **kwargs):
        self._calls += 1
        value = self._rng.uniform(*args, **kwargs)
        if self._calls == 1:  # mirror: rng.uniform() < 0.5
            return 1.0
        if self._calls == 2:  # angle in degrees
            return value * self._k
        if self._calls == 3:  # scale 0.62 .. 1.0 around 0.81
            return 0.81 + (value - 0.81) * self._k
        if self._calls == 4:  # shift (2,)
            return value * self._k
        return value

    def __getattr__(self, name):
        return getattr(self._rng, name)


def photos(kind, n, seed=0, split="train"):
    """``n`` photos and labels of the generated set (``muffins.make_arrays``), cached; kind "everyday" or "studio"."""
    from utils import muffins

    path = CACHE / f"few_labels_{kind}_{split}_{n}_seed{seed}_v{muffins.GENERATOR_VERSION}.npz"
    if path.exists():
        with np.load(path) as f:
            return f["x"], f["y"]
    x, y = _draw(kind, n, seed, split)
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


# ---------------------------------------------------------------------------------------------------------
# the rungs
# ---------------------------------------------------------------------------------------------------------
def augmentation(kind):
    """The augmentation block: "lesson" (today's), "lesson+noise", "everyday" (the test photos' ranges) + noise."""
    import keras
    from keras import layers

    if kind == "lesson":
        geometric = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.05, fill_mode="reflect"),
                     layers.RandomZoom(0.15, fill_mode="reflect"),
                     layers.RandomTranslation(0.1, 0.1, fill_mode="reflect"),
                     layers.RandomContrast(0.2, value_range=(0, 255))]
        noise = []
    elif kind == "lesson+noise":
        geometric = augmentation("lesson").layers
        noise = _noise(4.0)
    elif kind in ("everyday", "everyday-no-noise"):
        geometric = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.07, fill_mode="reflect"),
                     layers.RandomZoom(0.2, fill_mode="reflect"),
                     layers.RandomTranslation(0.16, 0.16, fill_mode="reflect"),
                     layers.RandomContrast(0.2, value_range=(0, 255))]
        noise = _noise(4.0) if kind == "everyday" else []
    else:
        raise ValueError(f"unknown augmentation {kind!r}")
    return keras.Sequential(list(geometric) + noise, name="augment")


def _noise(sigma):
    """Sensor noise of ``sigma`` grey levels, in training only (GaussianNoise works on a 0-1 scale)."""
    from keras import layers

    return [layers.Rescaling(1 / 255), layers.GaussianNoise(sigma / 255), layers.Rescaling(255)]


def scratch_model(size, augment=None, dropout=None):
    """The lesson's base (random weights) + Dense(64) head; ``dropout`` = (place, rate), place "features"/"head"."""
    import keras
    from keras import layers

    from utils import pretrained

    inputs = keras.Input((size, size, 3))
    x = augment(inputs) if augment is not None else inputs
    x = pretrained.build_base(size)(x)
    if dropout and dropout[0] == "features":
        x = layers.Dropout(dropout[1])(x)
    x = layers.Dense(64, activation="relu")(x)
    if dropout and dropout[0] == "head":
        x = layers.Dropout(dropout[1])(x)
    return keras.Model(inputs, layers.Dense(2, activation="softmax")(x))


class _TestCurve:
    """A Keras callback: test accuracy after every epoch, with the training seconds spent so far (test time
    excluded), and the loss and accuracy on further photo sets ``watch`` = {name: (x, y)}."""

    def __new__(cls, *args, **kwargs):
        import keras

        class Curve(keras.callbacks.Callback):
            def __init__(self, x_test, y_test, offset=(0.0, 0.0), watch=None):
                super().__init__()
                self.x_test, self.y_test, self.points = x_test, y_test, []
                self.spent, self.cpu = offset
                self.watch, self.watched = watch or {}, {name: [] for name in watch or {}}

            def on_epoch_begin(self, epoch, logs=None):
                self.started, self.cpu_started = time.perf_counter(), time.process_time()

            def on_epoch_end(self, epoch, logs=None):
                self.spent += time.perf_counter() - self.started
                self.cpu += time.process_time() - self.cpu_started
                self.points.append([round(self.spent, 3), _accuracy(self.model, self.x_test, self.y_test),
                                    round(self.cpu, 3)])
                for name, (x, y) in self.watch.items():
                    p = np.clip(self.model.predict(x, batch_size=500, verbose=0)[np.arange(len(y)), y], 1e-7, 1)
                    self.watched[name].append([round(float(-np.log(p).mean()), 4), round(float(np.mean(p > 0.5)), 4)])

        return Curve(*args, **kwargs)


def _accuracy(model, x, y):
    return round(float(np.mean(model.predict(x, batch_size=500, verbose=0).argmax(axis=1) == y)), 4)


def fit(model, x, y, val, x_test, y_test, schedule, learning_rate, seed, offset=(0.0, 0.0), batch=16, watch=None):
    """Train with Adam; ``schedule`` = ("fixed", epochs), ("cosine", epochs): the learning rate falls to 0 along
    a half cosine, or ("early", max epochs, patience): stop when validation loss has not improved for ``patience``
    epochs and keep the best epoch's weights."""
    import keras

    keras.utils.set_random_seed(seed)
    if schedule[0] == "cosine":  # the learning rate falls smoothly from learning_rate to 0 over the run
        learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, schedule[1] * -(-len(y) // batch))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    curve = _TestCurve(x_test, y_test, offset, watch)
    callbacks = [curve]
    if schedule[0] == "early":
        callbacks.insert(0, keras.callbacks.EarlyStopping("val_loss", patience=schedule[2],
                                                          restore_best_weights=True))
    start, cpu = time.perf_counter(), time.process_time()
    history = model.fit(x, y, validation_data=val, epochs=schedule[1], batch_size=batch, verbose=0,
                        callbacks=callbacks, validation_batch_size=len(val[0]))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    losses = history.history["val_loss"]
    best = int(np.argmin(losses)) + 1 if schedule[0] == "early" else len(losses)
    return {"epochs": len(losses), "best_epoch": best, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "val_accuracy": [round(v, 4) for v in history.history["val_accuracy"]], "curve": curve.points,
            **({"watched": curve.watched} if watch else {})}


def scaled(schedule, n, design):
    """The schedule for ``n`` labels: as given up to 200 labels; above, the same number of photos seen as at
    200 labels (epochs x 200 / n), but at least a fifth of the epochs (designs with ``scale_epochs``)."""
    if not design.get("scale_epochs") or n <= 200 or schedule[0] == "early":
        return tuple(schedule)
    return (schedule[0], max(round(schedule[1] * 200 / n), schedule[1] // 5))


def run_scratch(rung, design, x, y, val, x_test, y_test, seed, watch=None):
    """One of the three from-scratch rungs; returns its record."""
    import keras

    keras.utils.set_random_seed(seed)
    augment = augmentation(design["augment"]) if rung != "from scratch" else None
    dropout = tuple(design["dropout"]) if rung == "+ augmentation + dropout" else None
    model = scratch_model(x.shape[1], augment, dropout)
    record = fit(model, x, y, val, x_test, y_test, scaled(design["schedule"], len(y), design), design.get("lr", 1e-3), seed,
                 batch=design.get("batch", 16), watch=watch)
    return {**record, "test": _accuracy(model, x_test, y_test), "train_clean": _accuracy(model, x, y)}


def run_transfer(design, base_path, x, y, val, x_test, y_test, seed):
    """The frozen and the fine-tuned rungs on one draw: (frozen record, fine-tuned record)."""
    import keras
    from keras import layers

    start, cpu = time.perf_counter(), time.process_time()
    base = keras.saving.load_model(base_path, compile=False)
    base.trainable = False
    features = base.predict(x, batch_size=500, verbose=0)
    features_val = base.predict(val[0], batch_size=500, verbose=0)
    features_test = base.predict(x_test, batch_size=500, verbose=0)
    extract = (time.perf_counter() - start, time.process_time() - cpu)
    keras.utils.set_random_seed(seed)
    normalize = layers.Normalization()
    normalize.adapt(features)
    head = keras.Sequential([keras.Input(shape=features.shape[1:]), normalize, layers.Dense(64, activation="relu"),
                             layers.Dropout(0.5), layers.Dense(2, activation="softmax")])
    frozen = fit(head, features, y, (features_val, val[1]), features_test, y_test,
                 scaled(design["head_schedule"], len(y), design), 1e-3, seed, offset=extract)
    frozen.update(test=_accuracy(head, features_test, y_test), train_clean=_accuracy(head, features, y))
    inputs = keras.Input(shape=x.shape[1:])
    model = keras.Model(inputs, head(base(augmentation(design["augment"])(inputs), training=False)))
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith(tuple(design["fine_tune"]))
    last = frozen["curve"][-1]
    tuned = fit(model, x, y, val, x_test, y_test, scaled(design["fine_tune_schedule"], len(y), design),
                design["fine_tune_lr"],
                seed, offset=(last[0], last[2]), batch=design.get("batch", 16))
    tuned["curve"] = frozen["curve"] + tuned["curve"]  # the pretrained path: head first, then fine-tuning
    tuned.update(test=_accuracy(model, x_test, y_test), train_clean=_accuracy(model, x, y),
                 seconds=round(frozen["seconds"] + extract[0] + tuned["seconds"], 2),
                 cpu_seconds=round(frozen["cpu_seconds"] + extract[1] + tuned["cpu_seconds"], 2))
    frozen.update(seconds=round(frozen["seconds"] + extract[0], 2),
                  cpu_seconds=round(frozen["cpu_seconds"] + extract[1], 2))
    return frozen, tuned


# ---------------------------------------------------------------------------------------------------------
# designs and plans
# ---------------------------------------------------------------------------------------------------------
BASE = {"labels": "everyday", "augment": "lesson", "dropout": ["head", 0.5], "schedule": ["fixed", 20],
        "head_schedule": ["fixed", 40], "fine_tune": ["block3"], "fine_tune_schedule": ["fixed", 12],
        "fine_tune_lr": 3e-4, "base": "cached"}
DESIGNS = {
    "lesson": BASE,
    "everyday-early": {**BASE, "augment": "lesson+noise", "schedule": ["early", 150, 20],
                       "fine_tune_schedule": ["early", 60, 10]},
    "everyday-early-featdrop": {**BASE, "augment": "lesson+noise", "schedule": ["early", 150, 20],
                                "dropout": ["features", 0.5], "fine_tune_schedule": ["early", 60, 10]},
    "studio-early": {**BASE, "labels": "studio", "augment": "everyday", "schedule": ["early", 150, 20],
                     "fine_tune_schedule": ["early", 60, 10]},
    "studio-early-featdrop": {**BASE, "labels": "studio", "augment": "everyday", "schedule": ["early", 150, 20],
                              "dropout": ["features", 0.5], "fine_tune_schedule": ["early", 60, 10]},
}
PROBE = {**BASE, "labels": "studio", "augment": "everyday", "watch": True, "fine_tune_schedule": ["early", 60, 10]}
DESIGNS.update({
    "studio-probe-b16": {**PROBE, "schedule": ["fixed", 100]},
    "studio-probe-b32": {**PROBE, "schedule": ["fixed", 60], "batch": 32, "lr": 2e-3},
})
DESIGNS["studio-early-16k"] = {**DESIGNS["studio-early"], "base": "pets-bakes 16000x15"}
DESIGNS["studio-ft30-16k"] = {**DESIGNS["studio-early"], "base": "pets-bakes 16000x15", "fine_tune_schedule": ["fixed", 30]}
DESIGNS["studio-ft30"] = {**DESIGNS["studio-early"], "fine_tune_schedule": ["fixed", 30]}
# The chosen design: studio labels, everyday test photos; 100 epochs for every from-scratch rung; a base pretrained
# on 16,000 pets-and-bakes photos; for more than 200 labels the epochs shrink so that each run sees as many photos.
DESIGNS["studio"] = {"labels": "studio", "val": "everyday", "augment": "everyday", "dropout": ["head", 0.5],
                     "schedule": ["fixed", 100], "head_schedule": ["fixed", 40], "fine_tune": ["block3"],
                     "fine_tune_schedule": ["fixed", 30], "fine_tune_lr": 3e-4, "base": "pets-bakes 16000x15",
                     "scale_epochs": True}
DESIGNS["studio-cosine"] = {**DESIGNS["studio"], "schedule": ["cosine", 60], "fine_tune_schedule": ["cosine", 20]}
DESIGNS["studio-no-noise"] = {**DESIGNS["studio"], "augment": "everyday-no-noise"}  # ablations
DESIGNS["studio-lesson-augmentation"] = {**DESIGNS["studio"], "augment": "lesson+noise"}
DESIGNS["everyday"] = {**DESIGNS["studio"], "labels": "everyday"}
CURVE = (100, 50, 20, 500, 2000)
PLANS = {  # (design, rungs, label counts, draws)
    "pilot": [(d, RUNGS[:3], (200,), range(3)) for d in ("everyday-early", "studio-early")]
             + [(d, RUNGS[2:3], (200,), range(3)) for d in ("everyday-early-featdrop", "studio-early-featdrop")]
             + [(d, RUNGS[3:], (200, 50), range(3)) for d in ("everyday-early", "studio-early")],
    "pilot2": [("studio-probe-b32", RUNGS[:3], (200,), range(3)), ("studio-probe-b16", RUNGS[:1], (50, 20), range(3)),
               ("studio-probe-b16", RUNGS[:3], (200,), range(3))],
    "full": [("studio", RUNGS, (200, 100), range(5)), ("studio", RUNGS[:1] + RUNGS[3:], CURVE, range(5)),
             ("studio", RUNGS[2:3], CURVE, range(5))],
    "portability": [("studio", RUNGS, (200,), [0])],
    "cosine": [("studio-cosine", RUNGS, (200,), range(5))],
    "ablation": [("studio-no-noise", RUNGS[1:2], (200,), range(5)), ("studio-lesson-augmentation", RUNGS[1:2], (200,), range(5)),
                 ("everyday", RUNGS[:3], (200,), range(5))],
    "pilot3": [("studio-ft30-16k", RUNGS[3:], (50, 20, 200), range(3)), ("studio-ft30", RUNGS[3:], (50, 20), range(3))],
}


def pretrain(n_images, epochs, seed=0):
    """A base pretrained on ``n_images`` pets-and-bakes photos for ``epochs`` (cached); returns (path, info)."""
    from utils import pets_bakes, pretrained

    path = CACHE / f"few_labels_base_{n_images}x{epochs}_seed{seed}.keras"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, json.loads(info_path.read_text())
    start = time.perf_counter()
    x, y = pets_bakes.make_images(n_images, seed=seed)
    drawn = time.perf_counter() - start
    base, model = pretrained.train_base(x, y, len(pets_bakes.CLASSES), epochs, seed)
    trained = time.perf_counter() - start - drawn
    x_val, y_val = pets_bakes.make_images(800, seed=seed + 1)
    info = {"n_images": n_images, "epochs": epochs, "seed": seed, "draw_seconds": round(drawn, 1),
            "train_seconds": round(trained, 1), "source_accuracy": _accuracy(model, x_val, y_val)}
    path.parent.mkdir(parents=True, exist_ok=True)
    base.save(path)
    info_path.write_text(json.dumps(info))
    return path, info


def base_path(design, results=None):
    """The pretrained base a design uses: "cached" (the lesson's today) or "pets-bakes NxE" (made here)."""
    from utils import pretrained

    if design["base"] == "cached":
        pretrained.load_base()
        return pretrained.CACHE_PATH
    n_images, epochs = (int(v) for v in design["base"].split()[-1].split("x"))
    path, info = pretrain(n_images, epochs)
    if results is not None:
        results.setdefault("bases", {})[design["base"]] = info
    return path


def config():
    """How this process computes: CPUs it may use and whether oneDNN is on (both change float order)."""
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") != "0"
    return f"{len(os.sched_getaffinity(0))} cpu, oneDNN {'on' if onednn else 'off'}"


def key(design_name, rung, n, draw, tag=None):
    return f"{design_name} | {rung} | {n} | {draw}" + (f" | {tag}" if tag else "")


def load(path):
    return json.loads(Path(path).read_text()) if Path(path).exists() else {"runs": {}}


def save(results, path):
    """Write the JSON atomically (temporary file, then rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w") as f:
        json.dump(results, f, indent=1)
    os.replace(tmp, path)


def measure(plan, path, tag=None):
    """Run every (design, rung, labels, draw) of ``plan`` not yet in the JSON at ``path``; save after each."""
    results = load(path)
    results.setdefault("designs", {})
    for design_name, rungs, counts, draws in PLANS[plan]:
        design = DESIGNS[design_name]
        results["designs"][design_name] = design
        x_test, y_test = photos("everyday", 500, split="test")
        x_all, y_all = photos(design["labels"], 2000)
        val = photos(design.get("val", design["labels"]), 100, seed=1)
        watch = {kind: photos(kind, 100, seed=1) for kind in ("everyday", "studio")}
        for n in counts:
            for draw in draws:
                todo = [r for r in rungs if key(design_name, r, n, draw, tag) not in results["runs"]]
                if not todo:
                    continue
                pick = draw_labelled(y_all, n, draw)
                x, y = x_all[pick].astype("float32"), y_all[pick]
                for rung in [r for r in todo if r in RUNGS[:3]]:
                    record = run_scratch(rung, design, x, y, val, x_test, y_test, seed=draw,
                                         watch=watch if design.get("watch") else None)
                    results["runs"][key(design_name, rung, n, draw, tag)] = {**record, "config": config()}
                    save(results, path)
                    print(f"{key(design_name, rung, n, draw, tag)}: test {record['test']:.3f}, clean train "
                          f"{record['train_clean']:.3f}, {record['epochs']} epochs, {record['seconds']:.0f} s",
                          flush=True)
                if set(todo) & set(RUNGS[3:]):
                    frozen, tuned = run_transfer(design, base_path(design, results), x, y, val, x_test, y_test, seed=draw)
                    for rung, record in zip(RUNGS[3:], (frozen, tuned)):
                        results["runs"][key(design_name, rung, n, draw, tag)] = {**record, "config": config()}
                        print(f"{key(design_name, rung, n, draw, tag)}: test {record['test']:.3f}, "
                              f"{record['epochs']} epochs, {record['seconds']:.0f} s", flush=True)
                    save(results, path)
    return results


def _parse(k):
    """(design, rung, labels, draw, tag or None) of a run's key."""
    parts = [p.strip() for p in k.split("|")]
    return parts[0], parts[1], int(parts[2]), int(parts[3]), parts[4] if len(parts) > 4 else None


def runs(results, design, rung, n, tag=None):
    """The records of one design, rung and label count, in draw order ({draw: record})."""
    found = {}
    for k, r in results["runs"].items():
        d, rg, nn, draw, t = _parse(k)
        if (d, rg, nn, t) == (design, rung, n, tag):
            found[draw] = r
    return dict(sorted(found.items()))


def _pct(values):
    return 100 * np.asarray(values, float)


def rung_table(results, design, n):
    """Markdown: per rung mean, range and per-draw test accuracy, the clean-train gap, epochs, seconds."""
    lines = [f"{design}, {n} labels", "",
             "| rung | draws | test mean | min-max | per draw | clean train - test | epochs | s (cpu s) |",
             "|---|---|---|---|---|---|---|---|"]
    for rung in RUNGS:
        rs = list(runs(results, design, rung, n).values())
        if not rs:
            continue
        t, gap = _pct([r["test"] for r in rs]), _pct([r["train_clean"] - r["test"] for r in rs])
        cpu = np.mean([r.get("cpu_seconds", np.nan) for r in rs])
        lines.append(f"| {rung} | {len(rs)} | {t.mean():.1f} | {t.min():.1f}-{t.max():.1f} | "
                     f"{' '.join(f'{v:.1f}' for v in t)} | {gap.mean():.1f} | {np.mean([r['epochs'] for r in rs]):.0f} "
                     f"| {np.mean([r['seconds'] for r in rs]):.1f} ({cpu:.1f}) |")
    return "\n".join(lines)


def label_curve(results, design):
    """Markdown: test accuracy against the number of labels, from scratch vs the fine-tuned pretrained base."""
    counts = sorted({_parse(k)[2] for k in results["runs"] if _parse(k)[0] == design and _parse(k)[4] is None})
    shown = ("from scratch", "+ augmentation + dropout", "pretrained, fine-tuned")
    lines = ["| labels | " + " | ".join(shown) + " | fine-tuned - from scratch | ahead in |", "|---" * 6 + "|"]
    for n in counts:
        cells, per = [], {}
        for rung in shown:
            rs = runs(results, design, rung, n)
            per[rung] = {d: r["test"] for d, r in rs.items()}
            t = _pct(list(per[rung].values()))
            cells.append(f"{t.mean():.1f} ({t.min():.1f}-{t.max():.1f})" if len(t) else "-")
        both = sorted(set(per["from scratch"]) & set(per["pretrained, fine-tuned"]))
        gains = _pct([per["pretrained, fine-tuned"][d] - per["from scratch"][d] for d in both])
        lines.append(f"| {n} | " + " | ".join(cells) + (f" | {gains.mean():+.1f} | {int(np.sum(gains > 0))} of "
                                                        f"{len(gains)} |" if len(gains) else " | - | - |"))
    return "\n".join(lines)


def time_to_reach(results, design, n, scratch_rung="from scratch"):
    """Per draw: (scratch's final accuracy, its training cpu seconds, cpu seconds the pretrained path needs to reach
    that accuracy (None if never), ratio); the curves hold [wall s, test accuracy, cpu s] after every epoch."""
    scratch, tuned = runs(results, design, scratch_rung, n), runs(results, design, "pretrained, fine-tuned", n)
    rows = {}
    for draw in sorted(set(scratch) & set(tuned)):
        target, spent = scratch[draw]["test"], scratch[draw]["curve"][-1][2]  # training only, as in the curve
        reached = next((p[2] for p in tuned[draw]["curve"] if p[1] >= target), None)
        rows[draw] = (target, spent, reached, None if reached is None else reached / spent)
    return rows


def portability(results, design, n, draw=0):
    """Markdown: the live draw's test accuracy per rung under every measured configuration (threads, oneDNN)."""
    configs = {None: None}
    for k, r in results["runs"].items():
        d, _, nn, dr, tag = _parse(k)
        if (d, nn, dr) == (design, n, draw) and tag:
            configs[tag] = tag
    lines = ["| rung | " + " | ".join(t or "main run" for t in configs) + " | spread |", "|---" * (len(configs) + 2) + "|"]
    for rung in RUNGS:
        vals = [runs(results, design, rung, n, tag).get(draw, {}).get("test") for tag in configs]
        got = [v for v in vals if v is not None]
        if got:
            lines.append(f"| {rung} | " + " | ".join("-" if v is None else f"{100 * v:.1f}" for v in vals)
                         + f" | {100 * (max(got) - min(got)):.1f} |")
    return "\n".join(lines)


def bars(results, design, budget, few=(20, 50)):
    """The issue's bars, each as (text, met?), from the runs at ``budget`` labels and at ``few`` labels."""
    test = {rung: runs(results, design, rung, budget) for rung in RUNGS}
    draws = sorted(set.intersection(*(set(v) for v in test.values()))) if all(test.values()) else []
    if not draws:
        return [("not all rungs measured at the budget yet", False)]
    acc = {rung: _pct([test[rung][d]["test"] for d in draws]) for rung in RUNGS}
    gap = {rung: _pct([test[rung][d]["train_clean"] - test[rung][d]["test"] for d in draws]) for rung in RUNGS}
    aug_gain = acc["+ augmentation"] - acc["from scratch"]
    drop_diff = acc["+ augmentation + dropout"] - acc["+ augmentation"]
    tune_gain = acc["pretrained, fine-tuned"] - acc["from scratch"]
    out = [(f"+ augmentation - from scratch: {aug_gain.mean():+.1f} points (>= +3), ahead in {int(np.sum(aug_gain > 0))}"
            f" of {len(draws)} draws (>= 4 of 5)", aug_gain.mean() >= 3 and np.sum(aug_gain > 0) >= 0.8 * len(draws)),
           (f"+ dropout - + augmentation: {drop_diff.mean():+.1f} points (>= -1); clean-train gap {gap['+ augmentation + dropout'].mean():.1f}"
            f" vs {gap['+ augmentation'].mean():.1f} (smaller)",
            drop_diff.mean() >= -1 and gap["+ augmentation + dropout"].mean() < gap["+ augmentation"].mean()),
           (f"fine-tuned - from scratch at {budget} labels: {tune_gain.mean():+.1f} points (>= +5)", tune_gain.mean() >= 5)]
    for n in few:
        s, t = runs(results, design, "from scratch", n), runs(results, design, "pretrained, fine-tuned", n)
        both = sorted(set(s) & set(t))
        if both:
            g = _pct([t[d]["test"] - s[d]["test"] for d in both])
            out.append((f"fine-tuned - from scratch at {n} labels: {g.mean():+.1f} points over {len(both)} draws (>= +10)",
                        g.mean() >= 10))
    reach = time_to_reach(results, design, budget)
    ratios = [r[3] for r in reach.values()]
    worst = max((np.inf if r is None else r) for r in ratios)
    out.append((f"pretrained path reaches from scratch's final accuracy in {', '.join('never' if r is None else f'{r:.2f}' for r in ratios)}"
                " of from scratch's training cpu time (<= 0.33 in every draw)", worst <= 1 / 3))
    return out


def summary(results, design=None, budget=200):
    """Every table: per design and label count; for ``design`` also the curve, time to reach, portability, bars."""
    keys = sorted({(_parse(k)[0], _parse(k)[2]) for k in results["runs"] if _parse(k)[4] is None})
    parts = [rung_table(results, d, n) for d, n in keys if design in (None, d)]
    if design:
        parts.append("label efficiency (test accuracy %, mean (min-max) over draws)\n\n" + label_curve(results, design))
        reach = time_to_reach(results, design, budget)
        parts.append("time to reach from scratch's final accuracy (cpu seconds)\n\n| draw | from scratch | its cpu s | "
                     "pretrained path cpu s | ratio |\n|---|---|---|---|---|\n" + "\n".join(
                         f"| {d} | {100 * a:.1f} | {s:.1f} | {'never' if t is None else f'{t:.1f}'} | "
                         f"{'-' if q is None else f'{q:.2f}'} |" for d, (a, s, t, q) in reach.items()))
        parts.append(f"portability of draw 0 at {budget} labels (test accuracy %)\n\n" + portability(results, design, budget))
        parts.append("bars\n\n" + "\n".join(f"- [{'x' if ok else ' '}] {text}" for text, ok in bars(results, design, budget)))
    return "\n\n".join(parts)


def live(design_name="studio", n=200, draw=0):
    """What the lesson does live, timed in this fresh process: draw the photos (no cache), train the five rungs on
    one draw with validation curves, load the base from its file. Returns wall and cpu seconds and peak memory."""
    import resource

    import keras

    design, started = DESIGNS[design_name], {"wall": time.perf_counter(), "cpu": time.process_time()}
    x, y = _draw(design["labels"], n)  # the lesson draws only its labelled photos (half per class)
    x = x.astype("float32")
    val, (x_test, y_test) = _draw(design["val"], 100, seed=1), _draw("everyday", 500, split="test")
    drawn = time.perf_counter() - started["wall"]
    for rung in RUNGS[:3]:
        keras.utils.set_random_seed(draw)
        model = scratch_model(x.shape[1], augmentation(design["augment"]) if rung != RUNGS[0] else None,
                              tuple(design["dropout"]) if rung == RUNGS[2] else None)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, validation_data=val, epochs=design["schedule"][1], batch_size=16, verbose=0)
    run_transfer(design, base_path(design), x, y, val, x_test, y_test, draw)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"since_start_seconds": round(time.perf_counter() - STARTED, 1), "draw_seconds": round(drawn, 1), "wall_seconds": round(time.perf_counter() - started["wall"], 1),
            "cpu_seconds": round(time.process_time() - started["cpu"], 1), "peak_mib": round(peak),
            "largest_child_mib": round(children), "config": config()}


def _draw(kind, n, seed=0, split="train"):
    """Like ``photos`` but never from the cache (as in a cold lesson)."""
    from utils import muffins

    original = muffins._compose
    if kind == "studio":
        muffins._compose = lambda rng, *a, **kw: original(_StudioPose(rng, 0.0), *a, **kw)
    try:
        return muffins.make_arrays(n, seed=seed, split=split)
    finally:
        muffins._compose = original


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", choices=sorted(PLANS), help="what to measure")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="results file (resumed if present)")
    parser.add_argument("--summary", action="store_true", help="print the tables of the JSON and stop")
    parser.add_argument("--design", help="with --summary: also the curve, time to reach, portability and bars")
    parser.add_argument("--onednn", choices=("on", "off"), default="on",
                        help="oneDNN's CPU kernels (the lessons: on); off changes the order of float operations")
    parser.add_argument("--live", action="store_true", help="time what the lesson trains live (one draw) and stop")
    parser.add_argument("--labels", type=int, default=200, help="with --live: the lesson's number of labels")
    parser.add_argument("--tag", action="store_true",
                        help="store runs under a key naming this process's CPUs and oneDNN (portability runs)")
    args = parser.parse_args(argv)
    if args.summary or not args.plan:
        print(summary(load(args.json), args.design))
        return 0
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1" if args.onednn == "on" else "0"
    import keras  # noqa: F401 - imported here, before utils.notebook, so that --onednn holds

    from utils.notebook import setup, setup_keras

    setup()
    setup_keras()
    if args.live:
        print(json.dumps(live(n=args.labels)))
        return 0
    start = time.time()
    results = measure(args.plan, args.json, config() if args.tag else None)
    print(f"{config()}: {time.time() - start:.0f} s")
    print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
