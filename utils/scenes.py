"""Scenes for lesson 08: pictures with 1-4 muffins and chihuahuas and their bounding boxes, drawn offline.

``ensure_scenes()`` writes PNG pictures plus one COCO ``annotations.json`` per split (``utils.coco``) once;
``load_scenes()`` reads them back (checking every annotation); ``make_scenes()`` draws the same pictures in memory.
The objects come from the course's generator (``utils.muffins``, ``utils.drawing``): same drawings, palette,
backgrounds and camera.
Run ``python -m utils.scenes --help`` for the command line.
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

from utils import coco, dataset, drawing, muffins, validate
from utils.paths import DATA_DIR, relative

GENERATOR = "utils.scenes"
GENERATOR_VERSION = "1.0"
CLASS_NAMES = muffins.CLASS_NAMES
SPLITS = muffins.SPLITS
CANVAS = 96  # side of the square an object is drawn on before it is scaled into the scene
SALT = 8  # mixed into every seed, so scene objects never repeat the photos of utils.muffins


# ----------------------------------------------------------------------------------------------------------
# drawing
# ----------------------------------------------------------------------------------------------------------
def _draw_object(rng, label, lookalike_rate):
    """One object, posed (mirrored, tilted) and cut to its outline: an RGBA uint8 array."""
    if label == 0:
        draw = muffins.chihuahua_curled if rng.uniform() < lookalike_rate else muffins.chihuahua_face
        img, mask = draw(rng, CANVAS)
    elif rng.uniform() < lookalike_rate:
        img, mask = muffins.muffin_side(rng, CANVAS, face_like=True)
    else:
        img, mask = (muffins.muffin_side if rng.uniform() < 0.6 else muffins.muffin_top)(rng, CANVAS)
    alpha = mask.astype(np.float32) / 255
    layer = drawing.shade(img.astype(np.float32), alpha, rng, CANVAS)
    m = cv2.getRotationMatrix2D((CANVAS / 2, CANVAS / 2), rng.uniform(-20, 20), 1.0)
    if rng.uniform() < 0.5:  # mirror: x -> CANVAS - x before rotating
        m = m @ np.array([[-1, 0, CANVAS], [0, 1, 0], [0, 0, 1]], np.float64)
    rgba = np.empty((CANVAS, CANVAS, 4), np.uint8)
    rgba[..., :3], rgba[..., 3] = layer.clip(0, 255), alpha * 255
    rgba = cv2.warpAffine(rgba, m, (CANVAS, CANVAS), flags=cv2.INTER_LINEAR)
    x, y, w, h = cv2.boundingRect((rgba[..., 3] > 127).astype(np.uint8))
    return rgba[y:y + h, x:x + w]


def _overlap(box, others):
    """Largest share of the smaller box's area that ``box`` shares with any box of ``others``."""
    if not others:
        return 0.0
    o = np.asarray(others, float)
    w = np.minimum(box[2], o[:, 2]) - np.maximum(box[0], o[:, 0])
    h = np.minimum(box[3], o[:, 3]) - np.maximum(box[1], o[:, 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    smaller = np.minimum((box[2] - box[0]) * (box[3] - box[1]), (o[:, 2] - o[:, 0]) * (o[:, 3] - o[:, 1]))
    return float((inter / smaller).max())


def _place(rng, sprite, size, scale, boxes, max_overlap, tries=30):
    """A box (x1, y1, x2, y2) of whole pixels for ``sprite`` whose longer side is ``scale`` × the picture side,
    overlapping no earlier box by more than ``max_overlap`` of the smaller one; ``None`` if none is found."""
    h, w = sprite.shape[:2]
    long_side = rng.uniform(*scale) * size
    bw, bh = (max(4, round(long_side * w / max(w, h))), max(4, round(long_side * h / max(w, h))))
    for _ in range(tries):
        x, y = int(rng.integers(0, size - bw + 1)), int(rng.integers(0, size - bh + 1))
        box = (x, y, x + bw, y + bh)
        if _overlap(box, boxes) <= max_overlap:
            return box
    return None


def _paste(img, sprite, box):
    """Scale an RGBA sprite to ``box`` and lay it, with a soft shadow, over the float RGB picture ``img``."""
    x1, y1, x2, y2 = box
    small = cv2.resize(sprite, (x2 - x1, y2 - y1), interpolation=cv2.INTER_AREA).astype(np.float32)
    alpha = small[..., 3:] / 255
    shadow = np.zeros(img.shape[:2], np.float32)
    dy, dx = max(1, (y2 - y1) // 24), max(1, (x2 - x1) // 40)
    shadow[y1:y2, x1:x2] = alpha[..., 0]
    shadow = np.roll(cv2.GaussianBlur(shadow, (0, 0), 1 + (y2 - y1) / 30), (dy, dx), axis=(0, 1))
    img *= (1 - 0.35 * shadow)[..., None]
    region = img[y1:y2, x1:x2]
    region += (small[..., :3] - region) * alpha


def _pair(name, value, low, high, integer=False):
    """A pair (lowest, highest) of ints or numbers with low <= lowest <= highest <= high."""
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (lowest, highest), got {value!r}")
    check = validate.integer if integer else validate.number
    lo, hi = (check(f"{name}[{i}]", v, low, high) for i, v in enumerate(value))
    if lo > hi:
        raise ValueError(f"{name} must be a pair with lowest <= highest, got {value!r}")
    return (int(lo), int(hi)) if integer else (float(lo), float(hi))


def draw_scene(rng, size=96, n_objects=(1, 4), scale=(0.3, 0.6), max_overlap=0.3, lookalike_rate=0.2):
    """One picture with ``n_objects`` (lowest, highest) muffins and chihuahuas on a shared background.

    Each object's longer side is ``scale`` × the picture side; two boxes share at most ``max_overlap`` of the
    smaller one. Returns (image uint8 (size, size, 3), boxes float (N, 4) as x1, y1, x2, y2, classes int (N,)).
    """
    rng = validate.rng(rng)
    size = validate.integer("size", size, 32, 512)
    n_lo, n_hi = _pair("n_objects", n_objects, 1, 10, integer=True)
    scale = _pair("scale", scale, 0.1, 1.0)
    validate.number("max_overlap", max_overlap, 0, 1)
    validate.number("lookalike_rate", lookalike_rate, 0, 1)
    img = drawing.background(rng, size).astype(np.float32)
    boxes, classes, sprites = [], [], []
    for _ in range(int(rng.integers(n_lo, n_hi + 1))):
        label = int(rng.integers(0, 2))
        sprite = _draw_object(rng, label, lookalike_rate)
        box = _place(rng, sprite, size, scale, boxes, max_overlap)
        if box is not None:
            boxes.append(box)
            classes.append(label)
            sprites.append(sprite)
    for i in np.argsort([b[3] for b in boxes], kind="stable"):  # lower in the picture = nearer: drawn last
        _paste(img, sprites[i], boxes[i])
    photo = drawing.camera(rng, img, blur_side=96)
    return photo, np.array(boxes, np.float64).reshape(-1, 4), np.array(classes, np.int64)


def _settings(n_train, n_test, size, n_objects, scale, max_overlap, lookalike_rate, seed):
    """Everything that decides the pictures (stored in the manifest; another value means another set)."""
    n_train = validate.positive_int("n_train", n_train)
    n_test = validate.positive_int("n_test", n_test)
    return {"generator": GENERATOR, "version": GENERATOR_VERSION, "seed": validate.integer("seed", seed, 0),
            "size": validate.integer("size", size, 32, 512),
            "n_objects": list(_pair("n_objects", n_objects, 1, 10, integer=True)),
            "scale": list(_pair("scale", scale, 0.1, 1.0)), "max_overlap": float(max_overlap),
            "lookalike_rate": float(lookalike_rate), "counts": {"train": n_train, "test": n_test}}


def _draw_indexed(settings, split, index):
    """Scene ``index`` of one split: its own seed, so any subset is reproducible."""
    rng = np.random.default_rng([settings["seed"], SPLITS.index(split), index, SALT])
    return draw_scene(rng, settings["size"], settings["n_objects"], settings["scale"], settings["max_overlap"],
                      settings["lookalike_rate"])


def make_scenes(n, split="train", size=96, n_objects=(1, 4), scale=(0.3, 0.6), max_overlap=0.3,
                lookalike_rate=0.2, seed=0):
    """Draw scenes 0..n-1 of a split in memory: (images uint8 (n, size, size, 3), list of {"boxes", "classes"})."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    settings = _settings(n, 1, size, n_objects, scale, max_overlap, lookalike_rate, seed)
    images = np.empty((n, settings["size"], settings["size"], 3), np.uint8)
    targets = []
    for i in range(n):
        images[i], boxes, classes = _draw_indexed(settings, split, i)
        targets.append({"boxes": boxes, "classes": classes})
    return images, targets


def load_scenes(folder, split):
    """Pictures and boxes of one split of a scenes folder: (images uint8 (N, H, W, 3), list of {"boxes",
    "classes"}), in the order of its annotation file. Every annotation and picture is checked (utils.coco)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return coco.load_pictures(Path(folder) / split / "annotations.json", CLASS_NAMES)


# ----------------------------------------------------------------------------------------------------------
# the set on disk
# ----------------------------------------------------------------------------------------------------------
def default_dir(n_train=2000, n_test=300, size=96, n_objects=(1, 4), seed=0):
    """Where a scenes set is kept: data/cache/scenes_<settings> (git ignores it)."""
    lo, hi = n_objects
    return DATA_DIR / "cache" / f"scenes_{size}px_{lo}-{hi}obj_{n_train}-{n_test}_seed{seed}"


def _write_split(tmp, settings, split):
    """Draw and write one split's pictures and annotations.json; returns {relative name: sha256}."""
    (tmp / split / "images").mkdir(parents=True)
    names, targets, files = [], [], {}
    for i in range(settings["counts"][split]):
        img, boxes, classes = _draw_indexed(settings, split, i)
        ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
        if not ok:
            raise RuntimeError(f"OpenCV could not encode scene {i}")
        name = f"images/scene_{i:05d}.png"
        (tmp / split / name).write_bytes(buf.tobytes())
        files[f"{split}/{name}"] = hashlib.sha256(buf.tobytes()).hexdigest()
        names.append(name)
        targets.append({"boxes": boxes, "classes": classes})
    ann = coco.write_annotations(tmp / split / "annotations.json", names, targets, settings["size"], CLASS_NAMES)
    files[f"{split}/annotations.json"] = hashlib.sha256(ann.read_bytes()).hexdigest()
    return files


def generate(out_dir=None, n_train=2000, n_test=300, size=96, n_objects=(1, 4), scale=(0.3, 0.6),
             max_overlap=0.3, lookalike_rate=0.2, seed=0, force=False):
    """Write a scenes set (train/ and test/, each images/*.png + annotations.json, plus manifest.json); return
    its folder. Nothing happens if it already holds these settings (unless ``force``); files are written to a
    temporary sibling folder and renamed into place, so an interrupted run leaves no half set."""
    settings = _settings(n_train, n_test, size, n_objects, scale, max_overlap, lookalike_rate, seed)
    if out_dir is None:
        out_dir = default_dir(n_train, n_test, settings["size"], settings["n_objects"], settings["seed"])
    out_dir = dataset.check_out_dir(out_dir)
    if not force and dataset.is_current(out_dir, settings):
        return out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f"{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        files = {}
        for split in SPLITS:
            files.update(_write_split(tmp, settings, split))
        digest = hashlib.sha256("".join(f"{k} {v}\n" for k, v in sorted(files.items())).encode()).hexdigest()
        manifest = {**settings, "classes": list(CLASS_NAMES), "digest": digest, "files": dict(sorted(files.items()))}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        dataset.swap_into_place(tmp, out_dir, settings, force)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def ensure_scenes(out_dir=None, n_train=2000, n_test=300, size=96, n_objects=(1, 4), scale=(0.3, 0.6),
                  max_overlap=0.3, lookalike_rate=0.2, seed=0):
    """The scenes folder, generated first only if it is missing or was made with other settings."""
    return generate(out_dir, n_train, n_test, size, n_objects, scale, max_overlap, lookalike_rate, seed)


def main(argv=None):
    """Command line: ``python -m utils.scenes --train 2000 --test 300 --size 96 --objects 1 4``."""
    parser = argparse.ArgumentParser(prog="python -m utils.scenes",
                                     description="Generate pictures of muffins and chihuahuas with COCO boxes.")
    parser.add_argument("--out", default=None, help="output folder (default: data/cache/scenes_<settings>)")
    parser.add_argument("--train", type=int, default=2000, help="training pictures (default 2000)")
    parser.add_argument("--test", type=int, default=300, help="test pictures (default 300)")
    parser.add_argument("--size", type=int, default=96, help="picture side in pixels, 32-512 (default 96)")
    parser.add_argument("--objects", type=int, nargs=2, default=(1, 4), metavar=("MIN", "MAX"),
                        help="objects per picture (default 1 4)")
    parser.add_argument("--seed", type=int, default=0, help="random seed, >= 0 (default 0)")
    parser.add_argument("--force", action="store_true", help="regenerate even if the folder is up to date")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        out = generate(args.out, args.train, args.test, args.size, tuple(args.objects), seed=args.seed,
                       force=args.force)
    except (ValueError, TypeError, OSError) as err:
        parser.error(str(err))
    print(f"{relative(out)}: {args.train} train + {args.test} test pictures, {args.size}x{args.size} "
          f"({time.perf_counter() - start:.1f} s, digest {dataset.read_manifest(out)['digest'][:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
