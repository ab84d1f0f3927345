"""The generated data set on disk: PNG files in the Kaggle layout plus a manifest, written once and reused.

``ensure_dataset()`` writes train/chihuahua, train/muffin, test/... (drawn by ``utils.muffins``) atomically;
``dataset_dir()`` picks the generated set or real photos; ``lookalike_flags()`` reads the look-alike label back.
Run ``python -m utils.dataset --help`` for the command line.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from utils import validate
from utils.drawing import MAX_SIZE, MIN_SIZE, default_workers
from utils.muffins import CLASS_NAMES, SPLITS, draw_one, is_lookalike
from utils.paths import DATA_DIR, relative

GENERATOR = "utils.muffins"  # the name every manifest carries (kept when the code moved, so sets stay current)
GENERATOR_VERSION = "1.3"
DEFAULT_DIR = DATA_DIR / "muffin_chihuahua"
DATASET_ENV = "MUFFIN_DATASET"


def lookalike_flags(paths):
    """For photo files of a generated set (e.g. ``dataset.file_paths``): True where the photo is a look-alike.

    Reads the set's seed from its manifest.json; files that ``generate`` did not make raise a clear error.
    """
    if isinstance(paths, (str, os.PathLike)):
        raise TypeError("paths must be a list of photo files (e.g. dataset.file_paths), not a single path")
    flags, seeds = [], {}
    for p in paths:
        p = Path(p)
        split, cls, root = p.parent.parent.name, p.parent.name, p.parent.parent.parent
        stem = p.stem.rsplit("_", 1)
        if split not in SPLITS or cls not in CLASS_NAMES or len(stem) != 2 or stem[0] != cls or not stem[1].isdigit():
            raise ValueError(f"{p.name!r} is not a photo of the generated set (expected <split>/<class>/<class>_NNNNN.png)"
                             ": look-alike flags exist only for the generated set")
        if root not in seeds:
            manifest = read_manifest(root)
            if not manifest or manifest.get("generator") != GENERATOR:
                raise ValueError(f"the folder {root.name!r} has no manifest.json of the generated set: look-alike flags "
                                 "exist only for the generated set (real photos have no such label)")
            seeds[root] = int(manifest["seed"])
        flags.append(is_lookalike(CLASS_NAMES.index(cls), int(stem[1]), split, seeds[root]))
    return np.array(flags, bool)


def _settings(n_train, n_test, size, seed):
    return {"generator": GENERATOR, "version": GENERATOR_VERSION, "seed": seed, "size": size,
            "counts": {split: {c: n // 2 for c in CLASS_NAMES} for split, n in zip(SPLITS, (n_train, n_test))}}


def read_manifest(out_dir):
    """The manifest.json of a generated set as a dict, or ``None`` when there is none (or it is unreadable)."""
    path = Path(out_dir) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(out_dir, settings):
    """True when ``out_dir`` holds a complete set made with exactly these settings."""
    manifest = read_manifest(out_dir)
    if not manifest or any(manifest.get(k) != v for k, v in settings.items()):
        return False
    return all((Path(out_dir) / name).is_file() for name in manifest.get("files", {}))


def check_out_dir(out_dir):
    """``out_dir`` as a Path that is a folder, missing, empty or a generated set (never a folder of other files)."""
    out_dir = validate.path("out_dir", out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out_dir {out_dir.name!r} is a file, not a folder: pass a folder path")
    if out_dir.is_dir() and any(out_dir.iterdir()) and read_manifest(out_dir) is None:
        raise ValueError(f"out_dir {out_dir.name!r} already holds files but no manifest.json, so it is not a "
                         "generated set (maybe your real photos): choose another folder or empty it first")
    return out_dir


def _check_counts(n_train, n_test):
    for name, n in (("n_train", n_train), ("n_test", n_test)):
        validate.integer(name, n, 2)
        if n % 2:
            raise ValueError(f"{name} must be even so both classes get the same number of images, got {n}")


class _Progress:
    """A plain text progress bar on stderr (no tqdm needed)."""

    def __init__(self, total, enabled, label="muffin_chihuahua"):
        self.total, self.enabled, self.label = total, enabled, label
        self.start, self.shown = time.perf_counter(), -1

    def update(self, done):
        if not self.enabled:
            return
        pct = int(100 * done / self.total)
        if pct == self.shown and done != self.total:
            return
        self.shown = pct
        bar = "#" * (pct // 4) + "." * (25 - pct // 4)
        sys.stderr.write(f"\rgenerating {self.label}: [{bar}] {done}/{self.total} "
                         f"{time.perf_counter() - self.start:.1f} s")
        if done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _write_chunk(tmp, split, label, start, stop, size, seed):
    """Draw and write images ``start..stop-1`` of one class and split as PNG; returns {relative name: sha256}."""
    cls, files = CLASS_NAMES[label], {}
    for i in range(start, stop):
        img = draw_one(label, i, split, size, seed)
        ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
        if not ok:
            raise RuntimeError(f"OpenCV could not encode image {cls}_{i:05d}.png")
        data = buf.tobytes()
        name = f"{split}/{cls}/{cls}_{i:05d}.png"
        (Path(tmp) / name).write_bytes(data)
        files[name] = hashlib.sha256(data).hexdigest()
    return files


def _chunks(n_train, n_test, step=50):
    """Work items (split, label, start, stop) covering every image of both splits."""
    return [(split, label, a, min(a + step, n // 2))
            for split, n in zip(SPLITS, (n_train, n_test)) for label in range(len(CLASS_NAMES))
            for a in range(0, n // 2, step)]


def _write_all(tmp, n_train, n_test, size, seed, bar, workers):
    """Write every image, in ``workers`` processes when more than one; returns {relative name: sha256}."""
    for split in SPLITS:
        for cls in CLASS_NAMES:
            (tmp / split / cls).mkdir(parents=True)
    jobs, files, done = _chunks(n_train, n_test), {}, 0
    if workers > 1:
        import concurrent.futures as cf
        import multiprocessing as mp

        with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            futures = [pool.submit(_write_chunk, str(tmp), *job, size, seed) for job in jobs]
            for fut in cf.as_completed(futures):
                files.update(fut.result())
                done += len(files) - done
                bar.update(done)
        return files
    for job in jobs:
        files.update(_write_chunk(tmp, *job, size, seed))
        bar.update(len(files))
    return files


def default_dir(n_train=2000, n_test=500, size=64, seed=0):
    """Where a set is kept by default: data/muffin_chihuahua for the course settings, data/cache/... for others."""
    if (n_train, n_test, size, seed) == (2000, 500, 64, 0):
        return DEFAULT_DIR
    return DATA_DIR / "cache" / f"muffin_chihuahua_{size}px_{n_train}-{n_test}_seed{seed}"


def generate(out_dir=None, n_train=2000, n_test=500, size=64, seed=0, progress=True, force=False, workers=None):
    """Write the data set as PNG files (train/ and test/, one folder per class) plus manifest.json; return its path.

    ``out_dir=None`` means ``default_dir(...)``, so sets with other settings do not replace each other.
    Does nothing when ``out_dir`` already holds a set with the same settings (unless ``force``). Files are
    written to a temporary sibling folder first and renamed into place, so an interrupted run leaves no half set.
    """
    _check_counts(n_train, n_test)
    size = validate.integer("size", size, MIN_SIZE, MAX_SIZE)
    seed = validate.integer("seed", seed, 0)
    out_dir = check_out_dir(default_dir(n_train, n_test, size, seed) if out_dir is None else out_dir)
    workers = default_workers(n_train + n_test) if workers is None else validate.integer("workers", workers, 1, 64)
    settings = _settings(n_train, n_test, size, seed)
    if not force and is_current(out_dir, settings):
        return out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f"{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    bar = _Progress(n_train + n_test, bool(progress), out_dir.name)
    try:
        files = _write_all(tmp, n_train, n_test, size, seed, bar, workers)
        files = dict(sorted(files.items()))
        digest = hashlib.sha256("".join(f"{k} {v}\n" for k, v in files.items()).encode()).hexdigest()
        manifest = {**settings, "classes": list(CLASS_NAMES), "digest": digest, "files": files}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        swap_into_place(tmp, out_dir, settings, force)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def swap_into_place(tmp, out_dir, settings, force):
    """Rename the finished temporary folder to ``out_dir``, moving an older set aside first."""
    try:
        os.rename(tmp, out_dir)
        return
    except OSError:
        pass  # out_dir exists (non-empty)
    if not force and is_current(out_dir, settings):
        return  # another process finished the same set first: keep it
    old = out_dir.parent / f"{out_dir.name}.old.tmp-{os.getpid()}"
    os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def ensure_dataset(out_dir=None, n_train=2000, n_test=500, size=64, seed=0, progress=True, workers=None):
    """Return the data set folder, generating it first only if it is missing or made with other settings."""
    return generate(out_dir, n_train, n_test, size, seed, progress, force=False, workers=workers)



def dataset_dir(source=None, progress=False):
    """The folder the lessons train on: the generated set, or real photos in the Kaggle layout.

    ``source`` (default: the environment variable MUFFIN_DATASET, else "synthetic") is "synthetic" or the path
    of a folder holding train/ and test/ with one subfolder per class, e.g. the downloaded Kaggle set.
    """
    source = os.environ.get(DATASET_ENV, "synthetic") if source is None else source
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be 'synthetic' or a folder path, got {type(source).__name__}")
    if str(source).strip().lower() in ("", "synthetic"):
        return ensure_dataset(progress=progress)
    root = Path(source).expanduser()
    if not root.is_dir():
        raise FileNotFoundError(f"{DATASET_ENV} / source points at {root.name!r}, which is not a folder: give the "
                                "folder that holds train/ and test/ (see data/README.md), or 'synthetic'")
    missing = [s for s in SPLITS if not (root / s).is_dir()]
    if missing:
        raise ValueError(f"{root.name!r} has no {' or '.join(m + '/' for m in missing)} folder: the lessons expect "
                         "train/ and test/, each with one subfolder per class (chihuahua/, muffin/)")
    return root



def main(argv=None):
    """Command line: ``python -m utils.dataset --out data/muffin_chihuahua --train 2000 --test 500``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils.dataset",
        description="Generate the course's synthetic muffins-vs-chihuahuas photos (PNG, Kaggle folder layout).")
    parser.add_argument("--out", default=None, help=f"output folder (default: {relative(DEFAULT_DIR)} for the "
                        "default settings, data/cache/muffin_chihuahua_<settings> for others)")
    parser.add_argument("--train", type=int, default=2000, help="training images, both classes (even; default 2000)")
    parser.add_argument("--test", type=int, default=500, help="test images, both classes (even; default 500)")
    parser.add_argument("--size", type=int, default=64,
                        help=f"image side in pixels, {MIN_SIZE}-{MAX_SIZE} (default 64)")
    parser.add_argument("--seed", type=int, default=0, help="random seed, >= 0 (default 0)")
    parser.add_argument("--force", action="store_true", help="regenerate even if the folder is up to date")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--workers", type=int, default=None, help="processes to draw with (default: 2 for big sets)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        target = args.out or default_dir(args.train, args.test, args.size, args.seed)
        before = read_manifest(target)
        out = generate(target, args.train, args.test, args.size, args.seed, not args.quiet, args.force, args.workers)
    except (ValueError, TypeError, OSError) as err:
        parser.error(str(err))
    manifest = read_manifest(out)
    state = "up to date" if before == manifest and not args.force else "written"
    print(f"{out}: {args.train} train + {args.test} test images, {args.size}x{args.size}, seed {args.seed} "
          f"({state}, {time.perf_counter() - start:.1f} s, digest {manifest['digest'][:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
