"""How hard is the synthetic muffins-vs-chihuahuas set? Colour histograms and a dense net should fail, a CNN should not.

Run: ``.venv/bin/python benchmarks/dataset_baselines.py [--train 2000 --test 500 --size 64 --seed 0 --epochs 15]``
(``--folder PATH`` measures a folder in the Kaggle layout instead, e.g. the real photos).
Targets (issue): histogram and dense baselines <= 80 % test accuracy, the small CNN >= 95 %.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from utils import muffins  # noqa: E402


def colour_histograms(x, bins=8):
    """Joint RGB histogram (bins^3) plus per-channel 32-bin histograms, each normalised to sum 1."""
    q = (x // (256 // bins)).astype(np.int64)
    idx = (q[..., 0] * bins + q[..., 1]) * bins + q[..., 2]
    joint = np.stack([np.bincount(i.ravel(), minlength=bins ** 3) for i in idx]).astype(np.float32)
    per = np.concatenate([np.stack([np.bincount(c.ravel(), minlength=32) for c in (x[..., k] // 8)])
                          for k in range(3)], axis=1).astype(np.float32)
    n = x.shape[1] * x.shape[2]
    return np.concatenate([joint, per], axis=1) / n


def fit_eval(keras, model, xtr, ytr, xte, yte, epochs, batch=32, lr=1e-3):
    """Train with Adam and cross-entropy; return (test accuracy, best test accuracy per epoch, seconds)."""
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    hist = model.fit(xtr, ytr, epochs=epochs, batch_size=batch, validation_data=(xte, yte), verbose=0)
    seconds = time.perf_counter() - start
    acc = hist.history["val_accuracy"]
    return acc[-1], max(acc), seconds


def load_folder(path, size):
    """All images of a Kaggle-layout folder (train/, test/) as arrays, with the course loader's file reader."""
    from utils.folders import check_image_folder, load_image

    out = []
    for split in ("train", "test"):
        report = check_image_folder(Path(path) / split)
        files = [(f, label) for label, cls in enumerate(report["classes"]) for f in report["files"][cls]]
        out += [np.stack([load_image(f, size, dtype="uint8") for f, _ in files]), np.array([lab for _, lab in files])]
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", type=int, default=2000)
    p.add_argument("--test", type=int, default=500)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--runs", type=int, default=1, help="CNN training runs with different seeds")
    p.add_argument("--folder", help="measure a Kaggle-layout folder instead of the generated set")
    p.add_argument("--skip-cnn", action="store_true")
    args = p.parse_args(argv)

    t = time.perf_counter()
    if args.folder:
        xtr, ytr, xte, yte = load_folder(args.folder, args.size)
    else:
        xtr, ytr = muffins.make_arrays(args.train, args.size, args.seed, "train")
        xte, yte = muffins.make_arrays(args.test, args.size, args.seed, "test")
    print(f"data: {len(xtr)} train / {len(xte)} test at {args.size}x{args.size} "
          f"(muffins {ytr.mean():.0%} / {yte.mean():.0%}), drawn in {time.perf_counter() - t:.1f} s")

    import keras

    from utils.models import build_cnn, build_dense_baseline

    layers = keras.layers
    htr, hte = colour_histograms(xtr), colour_histograms(xte)
    mu, sd = htr.mean(0), htr.std(0) + 1e-6
    htr, hte = (htr - mu) / sd, (hte - mu) / sd
    results = {}
    keras.utils.set_random_seed(args.seed)
    m = keras.Sequential([keras.Input(htr.shape[1:]), layers.Dense(2, activation="softmax")])
    results["colour histogram, logistic"] = fit_eval(keras, m, htr, ytr, hte, yte, 60)
    keras.utils.set_random_seed(args.seed)
    m = keras.Sequential([keras.Input(htr.shape[1:]), layers.Dense(64, activation="relu"), layers.Dropout(0.3),
                          layers.Dense(2, activation="softmax")])
    results["colour histogram, small net"] = fit_eval(keras, m, htr, ytr, hte, yte, 60)
    keras.utils.set_random_seed(args.seed)
    m = build_dense_baseline(xtr.shape[1:], hidden=(256, 64))
    results["dense net on raw pixels"] = fit_eval(keras, m, xtr, ytr, xte, yte, 30, lr=3e-4)
    if not args.skip_cnn:
        for run in range(args.runs):
            keras.utils.set_random_seed(args.seed + run)
            results[f"lesson 06 CNN (seed {args.seed + run})"] = fit_eval(
                keras, build_cnn((args.size, args.size, 3)), xtr, ytr, xte, yte, args.epochs)
    print(f"{'model':52s} {'test acc':>8s} {'best':>6s} {'train s':>8s}")
    for name, (acc, best, sec) in results.items():
        print(f"{name:52s} {acc:8.3f} {best:6.3f} {sec:8.1f}")
    return results


if __name__ == "__main__":
    main()
