"""How robust is lesson 07's transfer gap? From scratch, frozen and fine-tuned rungs over several draws of labels.

    .venv/bin/python benchmarks/transfer_trials.py                      # 5 draws, the lesson's cached base
    .venv/bin/python benchmarks/transfer_trials.py --source with-target  # a source that also holds other
                                                                         # chihuahuas and muffins (a trial only)
    .venv/bin/python benchmarks/transfer_trials.py --epochs 40 --draws 1 # from scratch with twice the epochs

Each rung is trained as in lesson 07 (same model, seeds, epochs and learning rates) and measured on the same 500
test photos. Draw 0 is the lesson's own 200 labelled photos (from scratch and frozen give the lesson's figures;
fine-tuned moves by about a point, because its augmentation layers start from another random state); draws
1, 2, ... pick 100 photos per class at random.
About 25 s per draw on two CPU cores, plus 30 s of pretraining for ``--source with-target``.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

SOURCES = ("pets-bakes", "with-target")


def as_arrays(dataset):
    """All (images, labels) of a batched folder dataset as two NumPy arrays (as in lesson 07)."""
    xs, ys = zip(*[(np.asarray(x), np.asarray(y)) for x, y in dataset])
    return np.concatenate(xs).astype("float32"), np.concatenate(ys)


def load_lesson_data(data_dir, seed=0):
    """The lesson's training and test photos: (x_train, y_train, x_test, y_test), training photos shuffled."""
    from utils.folders import load_image_folder

    train_ds, _ = load_image_folder(Path(data_dir) / "train", batch_size=256, seed=seed, verbose=False)
    test_ds, _ = load_image_folder(Path(data_dir) / "test", batch_size=256, shuffle=False, verbose=False)
    return (*as_arrays(train_ds), *as_arrays(test_ds))


def draw_labelled(y, n_labelled=200, draw=0):
    """Indices of ``n_labelled`` training photos, half per class: draw 0 takes the first ones (the lesson's)."""
    if isinstance(draw, bool) or not isinstance(draw, (int, np.integer)) or draw < 0:
        raise ValueError(f"draw must be an int >= 0, got {draw!r}")
    per_class = n_labelled // 2
    if per_class < 1 or min(np.sum(y == k) for k in (0, 1)) < per_class:
        raise ValueError(f"n_labelled={n_labelled} needs at least {max(per_class, 1)} photos of each class")
    rng = np.random.default_rng(draw)
    picks = [np.flatnonzero(y == k) if draw == 0 else rng.permutation(np.flatnonzero(y == k)) for k in (0, 1)]
    return np.sort(np.concatenate([p[:per_class] for p in picks]))


def _accuracy(model, x, y):
    return float(np.mean(model.predict(x, batch_size=250, verbose=0).argmax(axis=1) == y))


def from_scratch(x, y, x_test, y_test, epochs=20, seed=0):
    """Test accuracy of the lesson's base + head with random weights, trained on (x, y)."""
    import keras

    from utils import pretraining

    keras.utils.set_random_seed(seed)
    model = pretraining.build_classifier(pretraining.build_base(x.shape[1]))
    pretraining.train(model, x, y, epochs, seed=seed)
    return _accuracy(model, x_test, y_test)


def transfer(base_path, x, y, x_test, y_test, head_epochs=40, fine_tune_epochs=12, seed=0):
    """(frozen, fine-tuned) test accuracy of a saved base, trained on (x, y) as in the lesson."""
    import keras

    from utils import augmentation, pretraining

    base = keras.saving.load_model(base_path, compile=False)  # a fresh copy: fine-tuning changes it
    base.trainable = False
    features, features_test = base.predict(x, verbose=0), base.predict(x_test, verbose=0)
    keras.utils.set_random_seed(seed)
    head = pretraining.build_head(features)
    pretraining.train(head, features, y, head_epochs, seed=seed)
    frozen = _accuracy(head, features_test, y_test)
    model = pretraining.build_transfer(base, head, augmentation.build_block())
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block3")
    pretraining.train(model, x, y, fine_tune_epochs, 3e-4, seed)
    return frozen, _accuracy(model, x_test, y_test)


def source_with_target(n_images=3200, n_extra=400, size=64, seed=0):
    """The pets-and-bakes photos plus ``n_extra`` *other* chihuahuas and muffins (own seeds): (x, y), 10 classes."""
    from utils import muffins, pets_bakes

    x, y = pets_bakes.make_images(n_images, size=size, seed=seed)
    draws = (muffins.draw_chihuahua, muffins.draw_muffin)
    extra = [draws[k](np.random.default_rng([777, seed, k, i]), size) for k in (0, 1) for i in range(n_extra)]
    n_classes = len(pets_bakes.CLASSES)
    x = np.concatenate([x, np.stack(extra)])
    y = np.concatenate([y, np.repeat([n_classes, n_classes + 1], n_extra)])
    order = np.random.default_rng([seed, 5]).permutation(len(x))
    return x[order], y[order]


def pretrain_on(x, y, path, epochs=10, seed=0):
    """Train the lesson's base on (x, y) as its cached base is trained; save it to ``path`` and return the path."""
    from utils import pretraining

    base, _ = pretraining.train_base(x, y, int(y.max()) + 1, epochs, seed)
    base.save(path)
    return path


def trials(data, base_path, draws=(0,), epochs=20, n_labelled=200):
    """One row per draw: {"draw", "from scratch", "frozen", "fine-tuned", "gap"} (accuracies in 0..1)."""
    x_all, y_all, x_test, y_test = data
    rows = []
    for draw in draws:
        pick = draw_labelled(y_all, n_labelled, draw)
        scratch = from_scratch(x_all[pick], y_all[pick], x_test, y_test, epochs)
        frozen, fine_tuned = transfer(base_path, x_all[pick], y_all[pick], x_test, y_test)
        rows.append({"draw": draw, "from scratch": scratch, "frozen": frozen, "fine-tuned": fine_tuned,
                     "gap": fine_tuned - scratch})
    return rows


def table(rows):
    """A Markdown table of the rows, percentages with one decimal, and the mean of each column."""
    cols = ("from scratch", "frozen", "fine-tuned", "gap")
    lines = ["| draw | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for row in rows:
        lines.append(f"| {row['draw']} | " + " | ".join(f"{100 * row[c]:+.1f}" if c == "gap" else
                                                       f"{100 * row[c]:.1f}" for c in cols) + " |")
    means = [100 * np.mean([row[c] for row in rows]) for c in cols]
    lines.append("| mean | " + " | ".join(f"{m:+.1f}" if c == "gap" else f"{m:.1f}" for c, m in zip(cols, means))
                 + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5, help="number of label draws (draw 0 is the lesson's)")
    parser.add_argument("--epochs", type=int, default=20, help="epochs of the from-scratch rung (lesson: 20)")
    parser.add_argument("--source", choices=SOURCES, default="pets-bakes",
                        help="pets-bakes: the lesson's cached base; with-target: also 400 other chihuahuas "
                             "and 400 other muffins in the source (a trial, not what the lesson may use)")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    if args.draws < 1 or args.epochs < 1:
        parser.error("--draws and --epochs must be at least 1")
    from utils.notebook import setup

    setup(keras=True)
    import tempfile

    from utils import base_cache, dataset

    start = time.time()
    data = load_lesson_data(dataset.dataset_dir("synthetic"))
    with tempfile.TemporaryDirectory() as tmp:
        if args.source == "pets-bakes":
            base_cache.load_base()  # builds the cache if it is missing
            base_path = base_cache.CACHE_PATH
        else:
            base_path = pretrain_on(*source_with_target(), Path(tmp) / "with_target.keras")
        rows = trials(data, base_path, range(args.draws), args.epochs)
    print(f"source: {args.source}; from scratch: {args.epochs} epochs; {len(rows)} draws of 200 labels; "
          f"{time.time() - start:.0f} s\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"source": args.source, "epochs": args.epochs, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
