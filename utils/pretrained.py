"""A convolutional base pretrained on a different, larger task: eight kinds of procedurally drawn cartoon objects.

Lesson 07 reuses this base on muffins vs chihuahuas. The trained base is cached on disk and rebuilt
automatically when the file is missing, truncated or was made with other settings.
"""

import copy
import functools
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from utils.paths import DATA_DIR

OBJECT_CLASSES = ("cat", "owl", "house", "flowerpot", "snowman", "ice cream", "sun", "fish")
CACHE_PATH = DATA_DIR / "cache" / "pretrained_base.keras"
DEFAULT_SETTINGS = {"n_images": 3000, "epochs": 4, "size": 64, "seed": 0, "filters": [16, 32, 64], "expand": 256}
FORMAT_VERSION = 4  # bump when the shapes or the base architecture change, so old caches are rebuilt
# Warm browns and creams (like baked goods and dog coats) plus a few cool greys and greens.
PALETTE = np.array([(236, 214, 172), (214, 166, 112), (222, 172, 96), (188, 138, 84), (140, 92, 55), (98, 64, 40),
                    (46, 40, 36), (240, 234, 222), (150, 160, 170), (120, 140, 110), (200, 150, 150),
                    (90, 100, 120)], np.float32)


def _colour(rng):
    """A random RGB colour: mostly a jittered palette colour, sometimes any colour."""
    if rng.random() < 0.75:
        return PALETTE[rng.integers(len(PALETTE))] * rng.uniform(0.8, 1.15) + rng.normal(0, 12, 3)
    return rng.uniform(0, 255, 3)


@functools.lru_cache(maxsize=4)
def _grid(size):
    """Pixel coordinates (yy, xx) of a size x size image as float32 (cached, read-only)."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    yy.flags.writeable = xx.flags.writeable = False
    return yy, xx


def _background(rng, size):
    """A gradient background, plain or with gingham checks, bands or blotches."""
    c1, c2 = _colour(rng), _colour(rng)
    yy, xx = _grid(size)
    a = rng.uniform(0, np.pi)
    u = (xx * np.cos(a) + yy * np.sin(a)) / size
    img = c1 + (c2 - c1) * np.clip(u, 0, 1)[..., None] * rng.uniform(0.3, 1)
    kind = rng.integers(4)
    if kind == 1:  # gingham
        cell = rng.uniform(5, 12) * size / 64
        m = ((xx // cell) % 2 + (yy // cell) % 2)[..., None] / 2
        img = img * (1 - 0.35 * m) + _colour(rng) * 0.35 * m
    elif kind == 2:  # bands, like wooden planks
        m = ((u * size // (rng.uniform(6, 16) * size / 64)) % 2)[..., None]
        img = img * (1 - 0.25 * m) + c2 * 0.25 * m
    elif kind == 3:  # soft blotches
        n = cv2.GaussianBlur(rng.standard_normal((size, size)).astype(np.float32), (0, 0), rng.uniform(2, 5))
        img = img + (n / (n.std() + 1e-6))[..., None] * rng.uniform(8, 25)
    return img.astype(np.float32)


def _contrast_colour(rng, bg_mean):
    """A colour that differs clearly from the background's mean colour."""
    for _ in range(20):
        c = _colour(rng)
        if np.abs(c - bg_mean).sum() > 100:
            return c
    return 255 - bg_mean


class _Pen:
    """Draws in object coordinates (unit = object radius) posed by centre, scale, rotation and mirroring."""

    def __init__(self, img, rng, size):
        self.img, s = img, size / 64
        self.r = rng.uniform(13, 21) * s
        margin = self.r * 1.1
        self.c = rng.uniform(margin, size - margin, 2)
        self.theta = rng.uniform(-0.35, 0.35)
        self.mirror = -1.0 if rng.random() < 0.5 else 1.0
        cos, sin = np.cos(self.theta), np.sin(self.theta)
        self.rot = np.array([[cos, -sin], [sin, cos]])

    def xy(self, x, y):
        """Image point (OpenCV fixed point, 4 fractional bits) of an object point."""
        p = self.c + self.r * self.rot @ np.array([self.mirror * x, y])
        return int(p[0] * 16), int(p[1] * 16)

    def circle(self, x, y, r, col, thickness=-1):
        t = thickness if thickness < 0 else max(1, int(thickness * self.r))
        cv2.circle(self.img, self.xy(x, y), max(1, int(r * self.r * 16)), col, t, cv2.LINE_AA, 4)

    def ellipse(self, x, y, rx, ry, col, start=0, end=360):
        if self.mirror < 0:
            start, end = 180 - end, 180 - start
        angle = np.degrees(self.theta)
        cv2.ellipse(self.img, self.xy(x, y), (max(1, int(rx * self.r * 16)), max(1, int(ry * self.r * 16))),
                    angle, start, end, col, -1, cv2.LINE_AA, 4)

    def poly(self, points, col):
        cv2.fillPoly(self.img, [np.array([self.xy(x, y) for x, y in points], np.int32)], col, cv2.LINE_AA, 4)

    def line(self, p, q, col, width):
        cv2.line(self.img, self.xy(*p), self.xy(*q), col, max(1, int(width * self.r)), cv2.LINE_AA, 4)


def _dark(rng):
    """Eyes, pupils and seeds: a dark, slightly blue-black colour."""
    return tuple(float(v) for v in np.array([40, 38, 60]) * rng.uniform(0.6, 1.4))


def _shade(col, k):
    """The colour ``col`` darkened (k < 1) or lightened (k > 1)."""
    c = np.asarray(col, float)
    return tuple(float(v) for v in (c * k if k <= 1 else c + (255 - c) * (k - 1)))


def _draw(kind, img, colour, rng, size):
    """Draw one object of class ``kind`` onto ``img`` (float32 array, in place)."""
    pen, col = _Pen(img, rng, size), tuple(float(v) for v in colour)
    dark, light = _dark(rng), _shade(col, 1.5)
    if kind == "cat":
        for m in (-1, 1):
            pen.poly([(m * 0.95, -0.25), (m * 0.25, -0.8), (m * 0.85, -1.3)], col)
            pen.poly([(m * 0.8, -0.4), (m * 0.4, -0.75), (m * 0.8, -1.1)], _shade(col, 1.4))
        pen.circle(0, 0.1, 0.85, col)
        for m in (-1, 1):
            pen.circle(m * 0.35, -0.05, 0.17, dark)
            pen.circle(m * 0.35 - 0.05, -0.1, 0.05, (245.0, 245.0, 245.0))
            pen.line((m * 0.3, 0.45), (m * 1.05, 0.35 + 0.1 * m), _shade(col, 0.5), 0.04)
        pen.poly([(-0.12, 0.3), (0.12, 0.3), (0, 0.42)], dark)
    elif kind == "owl":
        pen.ellipse(0, 0.1, 0.75, 1.0, col)
        for m in (-1, 1):
            pen.poly([(m * 0.7, -0.55), (m * 0.35, -0.75), (m * 0.75, -1.05)], col)
            pen.circle(m * 0.33, -0.3, 0.3, light)
            pen.circle(m * 0.33, -0.3, 0.14, dark)
        pen.poly([(-0.12, -0.08), (0.12, -0.08), (0, 0.15)], (230.0, 160.0, 40.0))
        for k in range(3):
            pen.ellipse(0, 0.4 + 0.17 * k, 0.35 - 0.07 * k, 0.05, _shade(col, 0.7))
    elif kind == "house":
        pen.poly([(-0.75, -0.15), (0.75, -0.15), (0.75, 0.9), (-0.75, 0.9)], col)
        pen.poly([(-1.0, -0.1), (1.0, -0.1), (0.0, -1.0)], _shade(_colour(rng), 0.8))
        pen.poly([(-0.2, 0.35), (0.15, 0.35), (0.15, 0.9), (-0.2, 0.9)], dark)
        pen.poly([(0.35, 0.1), (0.6, 0.1), (0.6, 0.35), (0.35, 0.35)], light)
    elif kind == "flowerpot":
        n, pot = int(rng.integers(6, 11)), _colour(rng)
        for i in range(n):
            x0, x1 = -0.7 + 1.4 * i / n, -0.7 + 1.4 * (i + 1) / n
            pen.poly([(x0, 0.1), (x1, 0.1), (0.75 * x1, 1.0), (0.75 * x0, 1.0)], pot if i % 2 else _shade(pot, 0.7))
        for x in np.linspace(-0.45, 0.45, int(rng.integers(2, 4))):
            pen.line((x * 0.5, 0.1), (x, -0.45), (70.0, 120.0, 60.0), 0.06)
            pen.circle(x, -0.55, 0.28, col)
            pen.circle(x, -0.55, 0.1, dark)
    elif kind == "snowman":
        pen.circle(0, 0.45, 0.6, light)
        pen.circle(0, -0.45, 0.42, light)
        for m in (-1, 1):
            pen.circle(m * 0.15, -0.55, 0.06, dark)
        pen.poly([(0, -0.45), (0, -0.35), (0.4, -0.4)], (235.0, 120.0, 40.0))
        for y in (0.2, 0.45, 0.7):
            pen.circle(0, y, 0.06, dark)
    elif kind == "ice cream":
        cone = (215.0, 160.0, 90.0)
        pen.poly([(-0.5, 0.0), (0.5, 0.0), (0.0, 1.2)], cone)
        for k in (-0.3, 0.0, 0.3):
            pen.line((k - 0.2, 0.1), (k + 0.2, 0.7), _shade(cone, 0.7), 0.03)
        pen.circle(0, -0.3, 0.62, col)
        for _ in range(int(rng.integers(4, 9))):
            t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.45
            pen.circle(np.cos(t) * d, -0.3 + np.sin(t) * d, 0.07, _colour(rng))
    elif kind == "sun":
        n = int(rng.integers(8, 13))
        for t in np.linspace(0, 2 * np.pi, n, endpoint=False):
            pen.line((0.75 * np.cos(t), 0.75 * np.sin(t)), (1.1 * np.cos(t), 1.1 * np.sin(t)), col, 0.1)
        pen.circle(0, 0, 0.6, col)
    elif kind == "fish":
        pen.poly([(0.65, 0.0), (1.15, -0.5), (1.15, 0.5)], _shade(col, 0.8))
        pen.ellipse(-0.1, 0, 0.85, 0.5, col)
        for x in (-0.1, 0.15, 0.4):
            pen.line((x, -0.35), (x, 0.35), _shade(col, 0.75), 0.05)
        pen.circle(-0.55, -0.1, 0.1, dark)
    else:
        raise ValueError(f"unknown object kind {kind!r}; expected one of {OBJECT_CLASSES}")


def make_object(kind, size=64, seed=0):
    """One RGB uint8 image of the object class ``kind`` on a textured background."""
    if kind not in OBJECT_CLASSES:
        raise ValueError(f"kind must be one of {OBJECT_CLASSES}, got {kind!r}")
    _check_size(size)
    rng = np.random.default_rng(seed)
    return _render(kind, rng, size)


def _render(kind, rng, size):
    """Draw background and object, give the object texture and rounded light, then blur and noise."""
    img = _background(rng, size)
    colour = _contrast_colour(rng, img.reshape(-1, 3).mean(0))
    mask = np.zeros((size, size, 3), np.float32)
    _draw(kind, mask, (255.0, 255.0, 255.0), copy.deepcopy(rng), size)  # same geometry, for the object's mask
    _draw(kind, img, colour, rng, size)
    m = (mask.max(axis=2) > 0).astype(np.float32)
    _strokes(img, m, rng, size)
    rim = cv2.GaussianBlur(m, (0, 0), 2.5 * size / 64)
    yy, _ = _grid(size)
    light = 0.72 + 0.28 * rim + 0.12 * (1 - yy / size)  # darker at the rim, brighter at the top
    img = img * (1 - m[..., None]) + img * (m * light)[..., None]
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 0.9))
    img = img + rng.standard_normal(img.shape, np.float32) * rng.uniform(2, 8)
    return np.clip(img, 0, 255).astype(np.uint8)


def _strokes(img, mask, rng, size):
    """Short light and dark strokes inside the object (fur, crumbs, grain), in place."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return
    pick = rng.integers(len(xs), size=int(rng.integers(25, 60)))
    for x, y in zip(xs[pick], ys[pick]):
        k = 0.7 if rng.random() < 0.5 else 1.25
        c = tuple(float(v) for v in np.clip(img[y, x] * k, 0, 255))
        a, length = rng.uniform(0, np.pi), rng.uniform(1.5, 3.5) * size / 64
        q = (int((x + length * np.cos(a)) * 16), int((y + length * np.sin(a)) * 16))
        cv2.line(img, (int(x * 16), int(y * 16)), q, c, 1, cv2.LINE_AA, 4)


def make_objects(n, size=64, seed=0):
    """``n`` images (uint8, (n, size, size, 3)) with labels 0..7 in OBJECT_CLASSES order, balanced."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int (number of images), got {n!r}")
    _check_size(size)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(OBJECT_CLASSES)
    rng.shuffle(y)
    x = np.stack([_render(OBJECT_CLASSES[k], rng, size) for k in y])
    return x, y.astype(np.int64)


def _check_size(size):
    """Raise a clear error unless ``size`` is an int between 32 and 256."""
    if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or not 32 <= size <= 256:
        raise ValueError(f"size must be an int between 32 and 256 (pixels), got {size!r}")


def build_base(size=64, filters=(16, 32, 64), expand=256):
    """An untrained convolutional base: Conv2D (ReLU) + MaxPool blocks; the top block ends with a 1×1 convolution
    to ``expand`` channels instead of pooling; global max pooling gives one number per channel."""
    _check_size(size)
    if not filters or any(not isinstance(f, (int, np.integer)) or isinstance(f, bool) or f < 1 for f in filters):
        raise ValueError(f"filters must be a non-empty list of positive ints (one per block), got {filters!r}")
    if not isinstance(expand, (int, np.integer)) or isinstance(expand, bool) or expand < 1:
        raise ValueError(f"expand must be a positive int (channels of the top 1×1 convolution), got {expand!r}")
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3), name="image")
    x = layers.Rescaling(1 / 255, name="rescale")(inputs)
    for i, f in enumerate(filters, start=1):
        x = layers.Conv2D(int(f), 3, padding="same", activation="relu", name=f"block{i}_conv")(x)
        if i < len(filters):
            x = layers.MaxPooling2D(name=f"block{i}_pool")(x)
    x = layers.Conv2D(int(expand), 1, activation="relu", name=f"block{len(filters)}_expand")(x)
    x = layers.GlobalMaxPooling2D(name="global_max")(x)
    return keras.Model(inputs, x, name="objects_base")


def pretrain_base(n_images=3000, epochs=4, size=64, seed=0, filters=(16, 32, 64), expand=256):
    """Train a base plus an 8-way softmax head on the shapes task; return ``(base, held-out accuracy)``.

    Seeds Keras with ``seed`` first, so the result does not depend on what ran before.
    """
    if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    import keras

    keras.utils.set_random_seed(seed)
    x, y = make_objects(n_images, size=size, seed=seed)
    x_val, y_val = make_objects(max(64, n_images // 5), size=size, seed=seed + 1)
    base = build_base(size, filters, expand)
    model = keras.Sequential([base, keras.layers.Dense(len(OBJECT_CLASSES), activation="softmax", name="shapes")])
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
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
                "bytes": os.path.getsize(tmp), "sha256": _sha256(tmp), "classes": list(OBJECT_CLASSES)}
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
    base, accuracy = pretrain_base(**{k: settings[k] for k in ("n_images", "epochs", "size", "seed", "filters", "expand")})
    meta = save_base(base, path, settings, accuracy)
    return base, {**meta, "status": status, "rebuilt": True, "seconds": time.perf_counter() - start}


MOBILENET_SIZES = (96, 128, 160, 192, 224)
MOBILENET_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)


def build_mobilenet_base(size=160, alpha=1.0, weights="imagenet"):
    """The online option: keras.applications.MobileNetV2 without its top (global average pooled), taking 0–255 images.

    ``weights="imagenet"`` downloads about 9 MB once (needs internet); ``weights=None`` builds it untrained, offline.
    """
    if weights not in ("imagenet", None):
        raise ValueError(f"weights must be 'imagenet' (download) or None (untrained, offline), got {weights!r}")
    if alpha not in MOBILENET_ALPHAS:
        raise ValueError(f"alpha must be one of {MOBILENET_ALPHAS} (the width multiplier), got {alpha!r}")
    if not isinstance(size, int) or isinstance(size, bool) or size < 32:
        raise ValueError(f"size must be an int >= 32 (pixels), got {size!r}")
    if weights == "imagenet" and size not in MOBILENET_SIZES:
        raise ValueError(f"ImageNet weights exist for sizes {MOBILENET_SIZES}; got {size}: resize your photos")
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3), name="image")
    x = layers.Rescaling(1 / 127.5, offset=-1, name="to_minus1_plus1")(inputs)  # MobileNetV2 expects [-1, 1]
    core = keras.applications.MobileNetV2(input_shape=(size, size, 3), alpha=alpha, include_top=False,
                                          weights=weights, pooling="avg")
    return keras.Model(inputs, core(x), name="mobilenet_v2_base")
