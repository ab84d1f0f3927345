"""A convolutional base pretrained on a different, larger task: procedurally drawn shapes and textures.

Lesson 07 reuses this base on muffins vs chihuahuas. The trained base is cached on disk and rebuilt
automatically when the file is missing, truncated or was made with other settings.
"""

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from utils.paths import DATA_DIR

SHAPE_CLASSES = ("circle", "ring", "dots", "triangle", "stripes", "waves", "blob", "grid")
CACHE_PATH = DATA_DIR / "cache" / "pretrained_base.keras"
DEFAULT_SETTINGS = {"n_images": 4000, "epochs": 5, "size": 64, "seed": 0, "filters": [16, 32, 64]}
FORMAT_VERSION = 1  # bump when the shapes or the base architecture change, so old caches are rebuilt


def _palette_colour(rng):
    """A random RGB colour: half the time from the warm muffin/dog palette, else anything."""
    if rng.random() < 0.5:
        base = np.array([rng.uniform(150, 235), rng.uniform(100, 190), rng.uniform(50, 140)])
        return base * rng.uniform(0.35, 1.1)
    return rng.uniform(0, 255, 3)


def _background(rng, size):
    """A smooth, noisy background with a colour gradient."""
    c1, c2 = _palette_colour(rng), _palette_colour(rng)
    t = np.linspace(0, 1, size)[:, None, None]
    img = c1 * (1 - t) + c2 * t
    img = np.broadcast_to(img.astype(np.float32), (size, size, 3)).copy()
    if rng.random() < 0.5:
        img = np.rot90(img, k=int(rng.integers(4))).copy()
    noise = cv2.GaussianBlur(rng.standard_normal((size, size, 3), np.float32) * 25, (0, 0), rng.uniform(0.6, 2.5))
    return img + noise


def _contrast_colour(rng, bg_mean):
    """A colour that differs clearly from the background's mean colour."""
    for _ in range(20):
        c = _palette_colour(rng)
        if np.abs(c - bg_mean).sum() > 120:
            return c
    return 255 - bg_mean


def _draw(kind, img, colour, rng, size):
    """Draw one shape of class ``kind`` onto ``img`` (float array, in place)."""
    s = size / 64
    cx, cy = (size / 2 + rng.uniform(-12, 12, 2) * s).astype(int)
    col = tuple(float(v) for v in colour)
    r = int(rng.uniform(9, 20) * s)
    if kind == "circle":
        cv2.circle(img, (cx, cy), r, col, -1, cv2.LINE_AA)
    elif kind == "ring":
        cv2.circle(img, (cx, cy), r + 2, col, max(2, int(r / 4)), cv2.LINE_AA)
    elif kind == "dots":
        for _ in range(int(rng.integers(5, 11))):
            x, y = rng.uniform(8 * s, size - 8 * s, 2).astype(int)
            cv2.circle(img, (x, y), int(rng.uniform(2.5, 4.5) * s), col, -1, cv2.LINE_AA)
    elif kind == "triangle":
        angle = rng.uniform(0, 2 * np.pi)
        pts = [(cx + (r + 4) * np.cos(angle + k * 2.1 + rng.uniform(-0.3, 0.3)),
                cy + (r + 4) * np.sin(angle + k * 2.1 + rng.uniform(-0.3, 0.3))) for k in range(3)]
        cv2.fillPoly(img, [np.array(pts, np.int32)], col, cv2.LINE_AA)
    elif kind in ("stripes", "waves"):
        period = rng.uniform(6, 11) * s
        angle = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:size, 0:size].astype(float)
        u = xx * np.cos(angle) + yy * np.sin(angle)
        v = -xx * np.sin(angle) + yy * np.cos(angle)
        if kind == "waves":
            u = u + rng.uniform(3, 5) * s * np.sin(v * 2 * np.pi / rng.uniform(14, 22) / s)
        mask = (np.sin(u * 2 * np.pi / period) > 0.2).astype(np.float32)
        mask = cv2.GaussianBlur(mask, (0, 0), 0.7)[..., None]
        img[:] = img * (1 - mask) + np.array(col) * mask
    elif kind == "blob":
        n = 9
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
        radii = r * rng.uniform(0.6, 1.4, n)
        pts = np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], 1).astype(np.int32)
        mask = np.zeros((size, size), np.float32)
        cv2.fillPoly(mask, [cv2.convexHull(pts)] if rng.random() < 0.3 else [pts], 1.0, cv2.LINE_AA)
        mask = cv2.GaussianBlur(mask, (0, 0), 1.2 * s)[..., None]
        img[:] = img * (1 - mask) + np.array(col) * mask
    elif kind == "grid":
        cell = rng.uniform(7, 12) * s
        yy, xx = np.mgrid[0:size, 0:size].astype(float)
        angle = rng.uniform(0, np.pi / 2)
        u = xx * np.cos(angle) + yy * np.sin(angle)
        v = -xx * np.sin(angle) + yy * np.cos(angle)
        mask = ((np.floor(u / cell) + np.floor(v / cell)) % 2).astype(np.float32)
        mask = cv2.GaussianBlur(mask, (0, 0), 0.7)[..., None]
        img[:] = img * (1 - mask) + np.array(col) * mask
    else:
        raise ValueError(f"unknown shape kind {kind!r}; expected one of {SHAPE_CLASSES}")


def make_shape(kind, size=64, seed=0):
    """One RGB uint8 image of the shape class ``kind`` on a textured background."""
    if kind not in SHAPE_CLASSES:
        raise ValueError(f"kind must be one of {SHAPE_CLASSES}, got {kind!r}")
    _check_size(size)
    rng = np.random.default_rng(seed)
    return _render(kind, rng, size)


def _render(kind, rng, size):
    """Draw background, shape, distractor dots, blur and noise with the generator ``rng``."""
    img = _background(rng, size)
    colour = _contrast_colour(rng, img.reshape(-1, 3).mean(0))
    _draw(kind, img, colour, rng, size)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.0))
    img = img + rng.standard_normal(img.shape, np.float32) * rng.uniform(2, 10)
    return np.clip(img, 0, 255).astype(np.uint8)


def make_shapes(n, size=64, seed=0):
    """``n`` images (uint8, (n, size, size, 3)) with labels 0..7 in SHAPE_CLASSES order, balanced."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int (number of images), got {n!r}")
    _check_size(size)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(SHAPE_CLASSES)
    rng.shuffle(y)
    x = np.stack([_render(SHAPE_CLASSES[k], rng, size) for k in y])
    return x, y.astype(np.int64)


def _check_size(size):
    """Raise a clear error unless ``size`` is an int between 32 and 256."""
    if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or not 32 <= size <= 256:
        raise ValueError(f"size must be an int between 32 and 256 (pixels), got {size!r}")


def build_base(size=64, filters=(16, 32, 64)):
    """An untrained convolutional base: per block Conv2D → BatchNorm → ReLU → MaxPool, then global max pooling."""
    _check_size(size)
    if not filters or any(not isinstance(f, (int, np.integer)) or isinstance(f, bool) or f < 1 for f in filters):
        raise ValueError(f"filters must be a non-empty list of positive ints (one per block), got {filters!r}")
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3), name="image")
    x = layers.Rescaling(1 / 255, name="rescale")(inputs)
    for i, f in enumerate(filters, start=1):
        x = layers.Conv2D(int(f), 3, padding="same", use_bias=False, name=f"block{i}_conv")(x)
        x = layers.BatchNormalization(name=f"block{i}_bn")(x)
        x = layers.ReLU(name=f"block{i}_relu")(x)
        x = layers.MaxPooling2D(name=f"block{i}_pool")(x)
    x = layers.GlobalMaxPooling2D(name="global_max")(x)
    return keras.Model(inputs, x, name="shapes_base")


def pretrain_base(n_images=4000, epochs=5, size=64, seed=0, filters=(16, 32, 64)):
    """Train a base plus an 8-way softmax head on the shapes task; return ``(base, held-out accuracy)``.

    Seeds Keras with ``seed`` first, so the result does not depend on what ran before.
    """
    if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    import keras

    keras.utils.set_random_seed(seed)
    x, y = make_shapes(n_images, size=size, seed=seed)
    x_val, y_val = make_shapes(max(64, n_images // 5), size=size, seed=seed + 1)
    base = build_base(size, filters)
    model = keras.Sequential([base, keras.layers.Dense(len(SHAPE_CLASSES), activation="softmax", name="shapes")])
    model.compile(keras.optimizers.Adam(2e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=int(epochs), batch_size=32, verbose=0)
    _, accuracy = model.evaluate(x_val, y_val, batch_size=256, verbose=0)
    return base, float(accuracy)


def _sha256(path):
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _settings(overrides):
    """DEFAULT_SETTINGS updated with ``overrides`` (unknown keys are an error), filters as a list."""
    unknown = set(overrides) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"unknown pretraining settings {sorted(unknown)}; known: {sorted(DEFAULT_SETTINGS)}")
    settings = {**DEFAULT_SETTINGS, **overrides}
    settings["filters"] = [int(f) for f in settings["filters"]]
    return settings


def sidecar_path(path):
    """The JSON file next to a cached base that records its settings and checksum."""
    return Path(path).with_suffix(".json")


def cache_status(path=CACHE_PATH, **overrides):
    """Say whether the cached base at ``path`` is usable: 'ok', 'missing', 'stale' (other settings) or 'corrupt'."""
    path = Path(path)
    settings = _settings(overrides)
    if not path.exists():
        return "missing"
    try:
        meta = json.loads(sidecar_path(path).read_text())
    except (OSError, ValueError):
        return "corrupt"
    if meta.get("settings") != settings or meta.get("format") != FORMAT_VERSION:
        return "stale"
    if path.stat().st_size != meta.get("bytes") or _sha256(path) != meta.get("sha256"):
        return "corrupt"
    return "ok"


def save_base(base, path, settings, accuracy):
    """Write the base and its JSON sidecar atomically (temporary file, then ``os.replace``)."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"the cached base must be a .keras file, got {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".keras", prefix=f".{path.stem}.", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)
    try:
        base.save(tmp)
        meta = {"format": FORMAT_VERSION, "settings": settings, "accuracy": round(float(accuracy), 4),
                "bytes": os.path.getsize(tmp), "sha256": _sha256(tmp), "classes": list(SHAPE_CLASSES)}
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    fd, tmp_json = tempfile.mkstemp(suffix=".json", prefix=f".{path.stem}.", dir=path.parent)
    os.chmod(tmp_json, 0o644)
    with os.fdopen(fd, "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(tmp_json, sidecar_path(path))
    return meta


def load_base(path=CACHE_PATH, **overrides):
    """Load the cached pretrained base, pretraining and caching it first if it is missing, stale or corrupt.

    Returns ``(base, info)``; ``info`` holds the settings, held-out shapes accuracy, status found and seconds spent.
    """
    import keras

    path = Path(path)
    settings = _settings(overrides)
    start = time.perf_counter()
    status = cache_status(path, **overrides)
    if status == "ok":
        try:
            base = keras.saving.load_model(path, compile=False)
            meta = json.loads(sidecar_path(path).read_text())
            return base, {**meta, "status": status, "rebuilt": False, "seconds": time.perf_counter() - start}
        except Exception:  # noqa: BLE001 - any unreadable file is rebuilt rather than crashing the lesson
            status = "corrupt"
    base, accuracy = pretrain_base(**{k: settings[k] for k in ("n_images", "epochs", "size", "seed", "filters")})
    meta = save_base(base, path, settings, accuracy)
    return base, {**meta, "status": status, "rebuilt": True, "seconds": time.perf_counter() - start}
