"""The pretraining task of lesson 07: eight kinds of pets and bakes, none of them a chihuahua or a muffin.

ImageNet, which real projects pretrain on, holds a hundred dog breeds, cats and a shelf of bakery goods, but
one big task. This is the course's small stand-in: cats, floppy-eared dogs, bunnies, bears, cupcakes,
doughnuts, cookies and bread loaves, drawn with the same pens, palette, backgrounds and camera as the
muffin/chihuahua photos (``utils.drawing``), so that what a network learns here carries over.
"""

import numpy as np

from utils import drawing
from utils import validate

CLASSES = ("cat", "floppy-eared dog", "bunny", "bear", "cupcake", "doughnut", "cookie", "bread loaf")
SPRINKLES = [(230, 70, 90), (250, 210, 60), (90, 170, 230), (120, 200, 120), (245, 245, 240), (200, 120, 220)]


def _face(img, mask, s, rng, cx, cy, r, main, light, dark, eye=0.22, muzzle=0.45):
    """A round head with two eyes, a lighter muzzle and a nose (shared by the four pets)."""
    drawing.circle(img, s, cx, cy, r, main)
    drawing.circle(mask, s, cx, cy, r, 255)
    drawing.strokes(img, s, rng, 25, (cx - r, cy - r, cx + r, cy + r), drawing.mix(main, (0, 0, 0), 0.18), 0.025, 0.006)
    drawing.ellipse(img, s, cx, cy + r * 0.45, r * muzzle, r * muzzle * 0.75, light)
    lid = drawing.mix(main, (0, 0, 0), 0.4)
    for side in (-1, 1):
        drawing.eye(img, s, rng, cx + side * r * 0.42, cy - r * 0.1, r * eye, dark, (0.3, -0.7), lid=lid)
    drawing.ellipse(img, s, cx, cy + r * 0.3, r * 0.14, r * 0.1, dark)


def _cat(rng, s):
    img, mask = drawing.canvas(s)
    main, light, _ = drawing.coat(rng)
    dark, r, cy = drawing.dark_spot_colour(rng), rng.uniform(0.2, 0.24), 0.52
    for side in (-1, 1):  # small, sharp triangular ears
        ear = [(0.5 + side * r * 0.25, cy - r * 0.8), (0.5 + side * r * 0.95, cy - r * 0.35),
               (0.5 + side * r * 0.8, cy - r * 1.55)]
        drawing.poly(img, s, ear, main)
        drawing.poly(mask, s, ear, 255)
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.17, muzzle=0.35)
    for side in (-1, 1):  # whiskers
        for k in (-1, 0, 1):
            drawing.line(img, s, (0.5 + side * r * 0.3, cy + r * 0.45), (0.5 + side * r * 1.3, cy + r * (0.35 + 0.15 * k)),
                    drawing.mix(light, (255, 255, 255), 0.5), 0.006)
    return img, mask


def _dog(rng, s):
    img, mask = drawing.canvas(s)
    main, light, _ = drawing.coat(rng)
    dark, r, cy = drawing.dark_spot_colour(rng), rng.uniform(0.2, 0.24), 0.47
    ear = drawing.mix(main, (0, 0, 0), rng.uniform(0.15, 0.45))
    for side in (-1, 1):  # long ears hanging down beside the head
        drawing.ellipse(img, s, 0.5 + side * r * 1.0, cy + r * 0.35, r * 0.38, r * 0.95, ear, angle=side * 12)
        drawing.ellipse(mask, s, 0.5 + side * r * 1.0, cy + r * 0.35, r * 0.38, r * 0.95, 255, angle=side * 12)
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.16, muzzle=0.55)
    drawing.ellipse(img, s, 0.5, cy + r * 0.85, r * 0.55, r * 0.35, light)  # long muzzle
    drawing.ellipse(img, s, 0.5, cy + r * 0.7, r * 0.2, r * 0.14, dark)
    return img, mask


def _bunny(rng, s):
    img, mask = drawing.canvas(s)
    main, light, _ = drawing.coat(rng)
    dark, r, cy = drawing.dark_spot_colour(rng), rng.uniform(0.17, 0.2), 0.6
    inner = drawing.mix(drawing.mix(main, drawing.PALETTE["white"], 0.5), (225, 165, 150), 0.45)
    for side in (-1, 1):  # two long, narrow upright ears
        x, tilt = 0.5 + side * r * 0.45, side * rng.uniform(5, 20)
        drawing.ellipse(img, s, x, cy - r * 1.6, r * 0.3, r * 1.0, main, angle=tilt)
        drawing.ellipse(mask, s, x, cy - r * 1.6, r * 0.3, r * 1.0, 255, angle=tilt)
        drawing.ellipse(img, s, x, cy - r * 1.6, r * 0.15, r * 0.8, inner, angle=tilt)
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.2, muzzle=0.4)
    return img, mask


def _bear(rng, s):
    img, mask = drawing.canvas(s)
    main, light, _ = drawing.coat(rng)
    dark, r, cy = drawing.dark_spot_colour(rng), rng.uniform(0.22, 0.26), 0.52
    for side in (-1, 1):  # small round ears on top
        drawing.circle(img, s, 0.5 + side * r * 0.75, cy - r * 0.75, r * 0.33, main)
        drawing.circle(mask, s, 0.5 + side * r * 0.75, cy - r * 0.75, r * 0.33, 255)
        drawing.circle(img, s, 0.5 + side * r * 0.75, cy - r * 0.75, r * 0.17, drawing.mix(main, (0, 0, 0), 0.3))
    _face(img, mask, s, rng, 0.5, cy, r, main, light, dark, eye=0.13, muzzle=0.5)
    return img, mask


def _cupcake(rng, s):
    img, mask = drawing.canvas(s)
    frosting, cup = drawing.muffin_colours(rng)
    if rng.uniform() < 0.6:  # pastel icing
        frosting = drawing.jitter(rng, ((250, 200, 210), (245, 240, 230), (200, 170, 230), (170, 220, 200))[rng.integers(4)])
    top, w = rng.uniform(0.55, 0.62), rng.uniform(0.2, 0.25)
    drawing.paper_cup(img, mask, s, rng, top, w, rng.uniform(0.85, 0.92), w * 0.78, cup)
    for k in range(3):  # a swirl of frosting: three stacked rolls
        ry, rx = 0.07, w * (1.2 - 0.3 * k)
        y = top - 0.02 - k * 0.085
        drawing.ellipse(img, s, 0.5, y, rx, ry, drawing.mix(frosting, (0, 0, 0), 0.08 * (k % 2)))
        drawing.ellipse(mask, s, 0.5, y, rx, ry, 255)
    drawing.circle(img, s, 0.5, top - 0.3, 0.035, drawing.jitter(rng, (190, 30, 40)))  # cherry
    drawing.circle(mask, s, 0.5, top - 0.3, 0.035, 255)
    _sprinkles(img, s, rng, 0.5, top - 0.1, w * 1.1, 0.12)
    return img, mask


def _sprinkles(img, s, rng, cx, cy, rx, ry):
    for _ in range(int(rng.integers(8, 18))):
        t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.9
        x, y, a = cx + np.cos(t) * d * rx, cy + np.sin(t) * d * ry, rng.uniform(0, np.pi)
        c = SPRINKLES[rng.integers(len(SPRINKLES))]
        drawing.line(img, s, (x, y), (x + 0.02 * np.cos(a), y + 0.02 * np.sin(a)), c, 0.008)


def _doughnut(rng, s):
    img, mask = drawing.canvas(s)
    dough = drawing.jitter(rng, drawing.PALETTE[rng.choice(["golden", "fawn", "tan"])])
    icing = drawing.jitter(rng, ((98, 64, 40), (250, 190, 200), (245, 240, 230), (140, 92, 55))[rng.integers(4)])
    r, ry = rng.uniform(0.28, 0.33), rng.uniform(0.6, 1.0)
    drawing.ellipse(img, s, 0.5, 0.5, r, r * ry, dough)
    drawing.ellipse(mask, s, 0.5, 0.5, r, r * ry, 255)
    for t in np.linspace(0, 2 * np.pi, 14, endpoint=False):  # wavy icing edge
        drawing.ellipse(img, s, 0.5 + np.cos(t) * r * 0.72, 0.5 + np.sin(t) * r * 0.72 * ry, r * 0.2, r * 0.2 * ry, icing)
    drawing.ellipse(img, s, 0.5, 0.5, r * 0.78, r * 0.78 * ry, icing)
    _sprinkles(img, s, rng, 0.5, 0.5, r * 0.75, r * 0.75 * ry)
    hole = r * rng.uniform(0.25, 0.32)  # the hole shows the background
    drawing.ellipse(img, s, 0.5, 0.5, hole * 1.2, hole * 1.2 * ry, drawing.mix(dough, (0, 0, 0), 0.3))
    drawing.ellipse(img, s, 0.5, 0.5, hole, hole * ry, (0, 0, 0))
    drawing.ellipse(mask, s, 0.5, 0.5, hole, hole * ry, 0)
    return img, mask


def _cookie(rng, s):
    img, mask = drawing.canvas(s)
    dough, _ = drawing.muffin_colours(rng)
    dark = drawing.jitter(rng, drawing.PALETTE["chocolate"] if rng.uniform() < 0.7 else drawing.PALETTE["black"])
    r, ry = rng.uniform(0.27, 0.32), rng.uniform(0.55, 1.0)
    drawing.ellipse(img, s, 0.5, 0.5, r, r * ry, dough)
    drawing.ellipse(mask, s, 0.5, 0.5, r, r * ry, 255)
    drawing.ellipse(img, s, 0.5, 0.5, r, r * ry, drawing.mix(dough, (0, 0, 0), 0.25), thickness=max(1, int(s * 0.012)))
    drawing.strokes(img, s, rng, 40, (0.5 - r, 0.5 - r * ry, 0.5 + r, 0.5 + r * ry), drawing.mix(dough, (0, 0, 0), 0.2), 0.02, 0.006)
    for _ in range(int(rng.integers(5, 11))):  # chocolate chips: dark, angular
        t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.8
        x, y, c = 0.5 + np.cos(t) * d * r, 0.5 + np.sin(t) * d * r * ry, rng.uniform(0.02, 0.035)
        a = rng.uniform(0, np.pi)
        drawing.poly(img, s, [(x + c * np.cos(a + k * 2.1), y + c * np.sin(a + k * 2.1)) for k in range(3)], dark)
    return img, mask


def _loaf(rng, s):
    img, mask = drawing.canvas(s)
    crust, _ = drawing.muffin_colours(rng)
    w, h, bottom = rng.uniform(0.3, 0.38), rng.uniform(0.17, 0.24), rng.uniform(0.66, 0.74)
    drawing.ellipse(img, s, 0.5, bottom, w, h, crust, start=180, end=360)  # a long dome on a flat base
    drawing.ellipse(mask, s, 0.5, bottom, w, h, 255, start=180, end=360)
    base = [(0.5 - w, bottom), (0.5 + w, bottom), (0.5 + w * 0.95, bottom + 0.06), (0.5 - w * 0.95, bottom + 0.06)]
    drawing.poly(img, s, base, drawing.mix(crust, (0, 0, 0), 0.2))
    drawing.poly(mask, s, base, 255)
    light = drawing.mix(crust, (255, 240, 210), 0.45)
    for k in range(int(rng.integers(3, 6))):  # diagonal slashes, lighter inside
        x = 0.5 - w * 0.6 + k * w * 0.32
        drawing.line(img, s, (x - 0.04, bottom - h * 0.35), (x + 0.04, bottom - h * 0.8), light, 0.018)
    return img, mask


DRAW = {"cat": _cat, "floppy-eared dog": _dog, "bunny": _bunny, "bear": _bear, "cupcake": _cupcake,
        "doughnut": _doughnut, "cookie": _cookie, "bread loaf": _loaf}


def draw(kind, rng, size=64):
    """One uint8 RGB photo (size, size, 3) of the class ``kind``, posed and lit like the muffin/chihuahua photos."""
    validate.one_of("kind", kind, CLASSES)
    rng = validate.rng(rng)
    size = validate.integer("size", size, drawing.MIN_SIZE, drawing.MAX_SIZE)
    img, mask = DRAW[kind](rng, 2 * size)
    return drawing.finish(img, mask, rng, size)


def _draw_range(kinds, start, size, seed):
    """Photos number ``start``, ``start + 1``, ... of a set, one per entry of ``kinds`` (each has its own seed)."""
    return np.stack([draw(CLASSES[k], np.random.default_rng([seed, 7, start + i]), size) for i, k in enumerate(kinds)])


def make_images(n, size=64, seed=0, workers=None):
    """``n`` photos (uint8, (n, size, size, 3)) with labels 0..7 in CLASSES order, balanced and shuffled.

    Drawn in two processes on multi-core machines (``workers=None``); the photos do not depend on that.
    """
    n = validate.positive_int("n", n)
    size = validate.integer("size", size, drawing.MIN_SIZE, drawing.MAX_SIZE)
    labels = np.random.default_rng([seed, 7]).permutation(np.arange(n) % len(CLASSES))
    workers = drawing.default_workers(n) if workers is None else validate.integer("workers", workers, 1, 64)
    if workers <= 1:
        return _draw_range(labels, 0, size, seed), labels.astype(np.int64)
    import concurrent.futures as cf
    import multiprocessing as mp

    step = -(-n // (4 * workers))
    with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        parts = pool.map(_draw_range, *zip(*[(labels[a:a + step], a, size, seed) for a in range(0, n, step)]))
        return np.concatenate(list(parts)), labels.astype(np.int64)
