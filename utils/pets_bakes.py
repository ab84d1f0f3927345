"""The pretraining task of lesson 07: eight kinds of pets and bakes, none of them a chihuahua or a muffin.

ImageNet, which real projects pretrain on, holds a hundred dog breeds, cats and a shelf of bakery goods, but
one big task. This is the course's small stand-in: cats, floppy-eared dogs, bunnies, bears, cupcakes,
doughnuts, cookies and bread loaves, drawn with the same pens, palette, backgrounds and camera as the
muffin/chihuahua photos (``utils.muffins``), so that what a network learns here carries over.
"""

import numpy as np

from utils import muffins as m

CLASSES = ("cat", "floppy-eared dog", "bunny", "bear", "cupcake", "doughnut", "cookie", "bread loaf")
SPRINKLES = [(230, 70, 90), (250, 210, 60), (90, 170, 230), (120, 200, 120), (245, 245, 240), (200, 120, 220)]


def _face(img, mask, s, rng, cx, cy, r, main, light, dark, eye=0.22, muzzle=0.45):
    """A round head with two eyes, a lighter muzzle and a nose (shared by the four pets)."""
    m._circle(img, s, cx, cy, r, main)
    m._circle(mask, s, cx, cy, r, 255)
    m._strokes(img, s, rng, 25, (cx - r, cy - r, cx + r, cy + r), m._mix(main, (0, 0, 0), 0.18), 0.025, 0.006)
    m._ellipse(img, s, cx, cy + r * 0.45, r * muzzle, r * muzzle * 0.75, light)
    lid = m._mix(main, (0, 0, 0), 0.4)
    for side in (-1, 1):
        m._eye(img, s, rng, cx + side * r * 0.42, cy - r * 0.1, r * eye, dark, (0.3, -0.7), lid=lid)
    m._ellipse(img, s, cx, cy + r * 0.3, r * 0.14, r * 0.1, dark)


def _cat(rng, s):
    img, mask = m._canvas(s)
    main, light, _ = m._coat(rng)
    dark, r, cy = m._dark_spot_colour(rng), rng.uniform(0.2, 0.24), 0.52
    for side in (-1, 1):  # small, sharp triangular ears
        ear = [(0.5 + side * r * 0.25, cy - r * 0.8), (0.5 + side * r * 0.95, cy - r * 0.35),
               (0.5 + side * r * 0.8, cy - r * 1.55)]
        m._poly(img, s, ear, main)
        m._poly(mask, s, ear, 255)
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.17, muzzle=0.35)
    for side in (-1, 1):  # whiskers
        for k in (-1, 0, 1):
            m._line(img, s, (0.5 + side * r * 0.3, cy + r * 0.45), (0.5 + side * r * 1.3, cy + r * (0.35 + 0.15 * k)),
                    m._mix(light, (255, 255, 255), 0.5), 0.006)
    return img, mask


def _dog(rng, s):
    img, mask = m._canvas(s)
    main, light, _ = m._coat(rng)
    dark, r, cy = m._dark_spot_colour(rng), rng.uniform(0.2, 0.24), 0.47
    ear = m._mix(main, (0, 0, 0), rng.uniform(0.15, 0.45))
    for side in (-1, 1):  # long ears hanging down beside the head
        m._ellipse(img, s, 0.5 + side * r * 1.0, cy + r * 0.35, r * 0.38, r * 0.95, ear, angle=side * 12)
        m._ellipse(mask, s, 0.5 + side * r * 1.0, cy + r * 0.35, r * 0.38, r * 0.95, 255, angle=side * 12)
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.16, muzzle=0.55)
    m._ellipse(img, s, 0.5, cy + r * 0.85, r * 0.55, r * 0.35, light)  # long muzzle
    m._ellipse(img, s, 0.5, cy + r * 0.7, r * 0.2, r * 0.14, dark)
    return img, mask


def _bunny(rng, s):
    img, mask = m._canvas(s)
    main, light, _ = m._coat(rng)
    dark, r, cy = m._dark_spot_colour(rng), rng.uniform(0.17, 0.2), 0.6
    inner = m._mix(m._mix(main, m.PALETTE["white"], 0.5), (225, 165, 150), 0.45)
    for side in (-1, 1):  # two long, narrow upright ears
        x, tilt = 0.5 + side * r * 0.45, side * rng.uniform(5, 20)
        m._ellipse(img, s, x, cy - r * 1.6, r * 0.3, r * 1.0, main, angle=tilt)
        m._ellipse(mask, s, x, cy - r * 1.6, r * 0.3, r * 1.0, 255, angle=tilt)
        m._ellipse(img, s, x, cy - r * 1.6, r * 0.15, r * 0.8, inner, angle=tilt)
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.2, muzzle=0.4)
    return img, mask


def _bear(rng, s):
    img, mask = m._canvas(s)
    main, light, _ = m._coat(rng)
    dark, r, cy = m._dark_spot_colour(rng), rng.uniform(0.22, 0.26), 0.52
    for side in (-1, 1):  # small round ears on top
        m._circle(img, s, 0.5 + side * r * 0.75, cy - r * 0.75, r * 0.33, main)
        m._circle(mask, s, 0.5 + side * r * 0.75, cy - r * 0.75, r * 0.33, 255)
        m._circle(img, s, 0.5 + side * r * 0.75, cy - r * 0.75, r * 0.17, m._mix(main, (0, 0, 0), 0.3))
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.13, muzzle=0.5)
    return img, mask


def _cupcake(rng, s):
    img, mask = m._canvas(s)
    frosting, cup = m._muffin_colours(rng)
    if rng.uniform() < 0.6:  # pastel icing
        frosting = m._jitter(rng, ((250, 200, 210), (245, 240, 230), (200, 170, 230), (170, 220, 200))[rng.integers(4)])
    top, w = rng.uniform(0.55, 0.62), rng.uniform(0.2, 0.25)
    m._cup(img, mask, s, rng, top, w, rng.uniform(0.85, 0.92), w * 0.78, cup)
    for k in range(3):  # a swirl of frosting: three stacked rolls
        ry, rx = 0.07, w * (1.2 - 0.3 * k)
        y = top - 0.02 - k * 0.085
        m._ellipse(img, s, 0.5, y, rx, ry, m._mix(frosting, (0, 0, 0), 0.08 * (k % 2)))
        m._ellipse(mask, s, 0.5, y, rx, ry, 255)
    m._circle(img, s, 0.5, top - 0.3, 0.035, m._jitter(rng, (190, 30, 40)))  # cherry
    m._circle(mask, s, 0.5, top - 0.3, 0.035, 255)
    _sprinkles(img, s, rng, 0.5, top - 0.1, w * 1.1, 0.12)
    return img, mask


def _sprinkles(img, s, rng, cx, cy, rx, ry):
    for _ in range(int(rng.integers(8, 18))):
        t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.9
        x, y, a = cx + np.cos(t) * d * rx, cy + np.sin(t) * d * ry, rng.uniform(0, np.pi)
        c = SPRINKLES[rng.integers(len(SPRINKLES))]
        m._line(img, s, (x, y), (x + 0.02 * np.cos(a), y + 0.02 * np.sin(a)), c, 0.008)


def _doughnut(rng, s):
    img, mask = m._canvas(s)
    dough = m._jitter(rng, m.PALETTE[rng.choice(["golden", "fawn", "tan"])])
    icing = m._jitter(rng, ((98, 64, 40), (250, 190, 200), (245, 240, 230), (140, 92, 55))[rng.integers(4)])
    r, ry = rng.uniform(0.28, 0.33), rng.uniform(0.6, 1.0)
    m._ellipse(img, s, 0.5, 0.5, r, r * ry, dough)
    m._ellipse(mask, s, 0.5, 0.5, r, r * ry, 255)
    for t in np.linspace(0, 2 * np.pi, 14, endpoint=False):  # wavy icing edge
        m._ellipse(img, s, 0.5 + np.cos(t) * r * 0.72, 0.5 + np.sin(t) * r * 0.72 * ry, r * 0.2, r * 0.2 * ry, icing)
    m._ellipse(img, s, 0.5, 0.5, r * 0.78, r * 0.78 * ry, icing)
    _sprinkles(img, s, rng, 0.5, 0.5, r * 0.75, r * 0.75 * ry)
    hole = r * rng.uniform(0.25, 0.32)  # the hole shows the background
    m._ellipse(img, s, 0.5, 0.5, hole * 1.2, hole * 1.2 * ry, m._mix(dough, (0, 0, 0), 0.3))
    m._ellipse(img, s, 0.5, 0.5, hole, hole * ry, (0, 0, 0))
    m._ellipse(mask, s, 0.5, 0.5, hole, hole * ry, 0)
    return img, mask


def _cookie(rng, s):
    img, mask = m._canvas(s)
    dough, _ = m._muffin_colours(rng)
    dark = m._jitter(rng, m.PALETTE["chocolate"] if rng.uniform() < 0.7 else m.PALETTE["black"])
    r, ry = rng.uniform(0.27, 0.32), rng.uniform(0.55, 1.0)
    m._ellipse(img, s, 0.5, 0.5, r, r * ry, dough)
    m._ellipse(mask, s, 0.5, 0.5, r, r * ry, 255)
    m._ellipse(img, s, 0.5, 0.5, r, r * ry, m._mix(dough, (0, 0, 0), 0.25), thickness=max(1, int(s * 0.012)))
    m._strokes(img, s, rng, 40, (0.5 - r, 0.5 - r * ry, 0.5 + r, 0.5 + r * ry), m._mix(dough, (0, 0, 0), 0.2), 0.02, 0.006)
    for _ in range(int(rng.integers(5, 11))):  # chocolate chips: dark, angular
        t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.8
        x, y, c = 0.5 + np.cos(t) * d * r, 0.5 + np.sin(t) * d * r * ry, rng.uniform(0.02, 0.035)
        a = rng.uniform(0, np.pi)
        m._poly(img, s, [(x + c * np.cos(a + k * 2.1), y + c * np.sin(a + k * 2.1)) for k in range(3)], dark)
    return img, mask


def _loaf(rng, s):
    img, mask = m._canvas(s)
    crust, _ = m._muffin_colours(rng)
    w, h, bottom = rng.uniform(0.3, 0.38), rng.uniform(0.17, 0.24), rng.uniform(0.66, 0.74)
    m._ellipse(img, s, 0.5, bottom, w, h, crust, start=180, end=360)  # a long dome on a flat base
    m._ellipse(mask, s, 0.5, bottom, w, h, 255, start=180, end=360)
    base = [(0.5 - w, bottom), (0.5 + w, bottom), (0.5 + w * 0.95, bottom + 0.06), (0.5 - w * 0.95, bottom + 0.06)]
    m._poly(img, s, base, m._mix(crust, (0, 0, 0), 0.2))
    m._poly(mask, s, base, 255)
    light = m._mix(crust, (255, 240, 210), 0.45)
    for k in range(int(rng.integers(3, 6))):  # diagonal slashes, lighter inside
        x = 0.5 - w * 0.6 + k * w * 0.32
        m._line(img, s, (x - 0.04, bottom - h * 0.35), (x + 0.04, bottom - h * 0.8), light, 0.018)
    return img, mask


DRAW = {"cat": _cat, "floppy-eared dog": _dog, "bunny": _bunny, "bear": _bear, "cupcake": _cupcake,
        "doughnut": _doughnut, "cookie": _cookie, "bread loaf": _loaf}


def draw(kind, rng, size=64):
    """One uint8 RGB photo (size, size, 3) of the class ``kind``, posed and lit like the muffin/chihuahua photos."""
    if kind not in DRAW:
        raise ValueError(f"kind must be one of {CLASSES}, got {kind!r}")
    rng = m._check_rng(rng)
    size = m._check_size(size)
    s = 2 * size
    img, mask = DRAW[kind](rng, s)
    alpha = mask.astype(np.float32) / 255
    return m._compose(rng, m._shade(img.astype(np.float32), alpha, rng, s), alpha, size)


def _draw_range(kinds, start, size, seed):
    """Photos number ``start``, ``start + 1``, ... of a set, one per entry of ``kinds`` (each has its own seed)."""
    return np.stack([draw(CLASSES[k], np.random.default_rng([seed, 7, start + i]), size) for i, k in enumerate(kinds)])


def make_images(n, size=64, seed=0, workers=None):
    """``n`` photos (uint8, (n, size, size, 3)) with labels 0..7 in CLASSES order, balanced and shuffled.

    Drawn in two processes on multi-core machines (``workers=None``); the photos do not depend on that.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int (number of images), got {n!r}")
    size = m._check_size(size)
    labels = np.random.default_rng([seed, 7]).permutation(np.arange(n) % len(CLASSES))
    workers = m._default_workers(n) if workers is None else workers
    if workers <= 1:
        return _draw_range(labels, 0, size, seed), labels.astype(np.int64)
    import concurrent.futures as cf
    import multiprocessing as mp

    step = -(-n // (4 * workers))
    with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        parts = pool.map(_draw_range, *zip(*[(labels[a:a + step], a, size, seed) for a in range(0, n, step)]))
        return np.concatenate(list(parts)), labels.astype(np.int64)
