"""Chihuahuas and blueberry muffins: the two classes of the course's data set, drawn with ``utils.drawing``.

Every image of a generated set has its own seed (``image_rng``), so any image can be drawn again alone.
About one photo in five is a look-alike: a curled-up chihuahua, or a muffin whose berries sit like a face.
"""

import numpy as np

from utils import drawing
from utils import validate

CLASS_NAMES = ("chihuahua", "muffin")
SPLITS = ("train", "test")
LOOKALIKE_RATE = 0.2


def _ear(img, mask, s, rng, side, base_a, base_b, length, spread, main, inner):
    """A very large, broad chihuahua ear: a leaf shape with a rounded tip, lighter inside."""
    mid = np.array([(base_a[0] + base_b[0]) / 2, (base_a[1] + base_b[1]) / 2])
    a = side * spread + rng.normal(0, 0.06)
    tip = mid + np.array([np.sin(a), -np.cos(a)]) * length

    def outline(scale, bulge):
        pa, pb = mid + (np.array(base_a) - mid) * scale, mid + (np.array(base_b) - mid) * scale
        t = tip if scale == 1 else mid + (tip - mid) * 0.86
        pts = []
        for f in np.linspace(0, 1, 7):  # side a to tip, bulging outward
            pts.append(pa + (t - pa) * f + (pa - mid) * bulge * np.sin(np.pi * f))
        for f in np.linspace(1, 0, 7):
            pts.append(pb + (t - pb) * f + (pb - mid) * bulge * np.sin(np.pi * f))
        return [tuple(p) for p in pts]

    outer = outline(1.0, 0.35)
    drawing.poly(img, s, outer, main)
    drawing.poly(mask, s, outer, 255)
    drawing.poly(img, s, outline(0.6, 0.3), inner)


def chihuahua_face(rng, s):
    """A chihuahua face on an s x s canvas: (RGB uint8 canvas, mask uint8 255 where the dog is)."""
    img, mask = drawing.canvas(s)
    main, light, points = drawing.coat(rng)
    dark = drawing.dark_spot_colour(rng)
    cy = 0.5 + rng.uniform(-0.04, 0.04)
    hw = rng.uniform(0.17, 0.2)  # head radius: small head, huge ears and eyes
    # chest below the head
    drawing.ellipse(img, s, 0.5, cy + 0.42, 0.24, 0.24, main)
    drawing.ellipse(mask, s, 0.5, cy + 0.42, 0.24, 0.24, 255)
    if light != main:
        drawing.ellipse(img, s, 0.5, cy + 0.4, 0.09, 0.2, light)
    drawing.strokes(img, s, rng, 25, (0.3, cy + 0.2, 0.7, 1.0), drawing.mix(main, (0, 0, 0), 0.18), 0.03, 0.006)
    # ears: set high on the dome, pointing up and out at about 45 degrees
    inner = drawing.mix(drawing.mix(main, drawing.PALETTE["white"], 0.5), (225, 165, 150), 0.45)
    length, spread = hw * rng.uniform(1.7, 2.1), rng.uniform(0.6, 0.95)
    for side in (-1, 1):
        base_a = (0.5 + side * hw * 0.2, cy - hw * 0.95)
        base_b = (0.5 + side * hw * 0.98, cy - hw * 0.25)
        _ear(img, mask, s, rng, side, base_a, base_b, length, spread, main, inner)
    # apple-dome head: a tall round cranium, cheeks a little wider and lower
    drawing.circle(img, s, 0.5, cy - hw * 0.08, hw, main)
    drawing.ellipse(img, s, 0.5, cy + hw * 0.35, hw * 1.0, hw * 0.7, main)
    drawing.circle(mask, s, 0.5, cy - hw * 0.08, hw, 255)
    drawing.ellipse(mask, s, 0.5, cy + hw * 0.35, hw * 1.0, hw * 0.7, 255)
    if rng.uniform() < 0.35:  # white blaze up the forehead
        drawing.ellipse(img, s, 0.5, cy - hw * 0.25, hw * 0.12, hw * 0.6, light)
    drawing.strokes(img, s, rng, 30, (0.5 - hw, cy - hw, 0.5 + hw, cy + hw), drawing.mix(main, (0, 0, 0), 0.18), 0.025, 0.006)
    # short, small muzzle, lighter, right under the eyes
    mz_y = cy + hw * 0.6
    drawing.ellipse(img, s, 0.5, mz_y, hw * 0.4, hw * 0.33, light)
    if points != main:  # tan eyebrow dots of black-and-tan and chocolate coats
        for side in (-1, 1):
            drawing.circle(img, s, 0.5 + side * hw * 0.42, cy - hw * 0.25, hw * 0.1, points)
    # big round bulging eyes, set wide and low
    er = hw * rng.uniform(0.28, 0.34)
    ex, ey = hw * rng.uniform(0.5, 0.58), cy + hw * 0.25
    hdir = (rng.uniform(-0.7, 0.7), -0.7)
    lid = drawing.mix(main, (0, 0, 0), 0.45) if sum(main) > 300 else drawing.mix(points, (0, 0, 0), 0.2)
    for side in (-1, 1):
        drawing.eye(img, s, rng, 0.5 + side * ex, ey, er, dark, hdir, lid=lid)
    # nose and mouth
    ny = mz_y - hw * 0.05
    nw = hw * rng.uniform(0.15, 0.2)
    drawing.ellipse(img, s, 0.5, ny, nw, nw * 0.72, dark)
    mouth = drawing.mix(light, (0, 0, 0), 0.5)
    drawing.line(img, s, (0.5, ny), (0.5, ny + hw * 0.2), mouth, 0.007)
    drawing.ellipse(img, s, 0.5, ny + hw * 0.14, hw * 0.18, hw * 0.09, mouth, start=20, end=160,
             thickness=max(1, int(s * 0.008)))
    return img, mask


def chihuahua_curled(rng, s):
    """Look-alike: a chihuahua curled up in a ball, ears folded back, face peeking out."""
    img, mask = drawing.canvas(s)
    main, light, points = drawing.coat(rng)
    dark = drawing.dark_spot_colour(rng)
    bx, by = 0.5, 0.56
    rx, ry = rng.uniform(0.28, 0.34), rng.uniform(0.22, 0.27)
    drawing.ellipse(img, s, bx, by, rx, ry, main)
    drawing.ellipse(mask, s, bx, by, rx, ry, 255)
    drawing.strokes(img, s, rng, 45, (bx - rx, by - ry, bx + rx, by + ry), drawing.mix(main, (0, 0, 0), 0.2), 0.035, 0.006)
    # tail curling along the body
    side = 1 if rng.uniform() < 0.5 else -1
    pts = [(bx + side * rx * np.cos(t), by + ry * 0.9 * np.sin(t)) for t in np.linspace(-0.2, 1.6, 8)]
    for p, q in zip(pts, pts[1:]):
        drawing.line(img, s, p, q, drawing.mix(main, (0, 0, 0), 0.25), 0.035)
    # fluffy outline
    for t in np.linspace(0, 2 * np.pi, 28, endpoint=False):
        p = (bx + np.cos(t) * rx * 0.97, by + np.sin(t) * ry * 0.97)
        q = (bx + np.cos(t + 0.08) * rx * 1.05, by + np.sin(t + 0.08) * ry * 1.05)
        drawing.line(img, s, p, q, main, 0.012)
        drawing.line(mask, s, p, q, 255, 0.012)
    # head resting on the front, the big ears folded back flat against it
    hx, hy, hr = bx - side * rx * 0.25, by + ry * 0.05, rng.uniform(0.16, 0.2)
    for e in (-1, 1):
        drawing.ellipse(img, s, hx + e * hr * 0.8, hy - hr * 0.7, hr * 0.6, hr * 0.2, drawing.mix(main, (0, 0, 0), 0.22),
                 angle=e * 25)
    drawing.circle(img, s, hx, hy, hr, main)
    drawing.ellipse(img, s, hx, hy + hr * 0.5, hr * 0.45, hr * 0.38, light)
    if points != main:
        for e in (-1, 1):
            drawing.circle(img, s, hx + e * hr * 0.42, hy - hr * 0.3, hr * 0.1, points)
    er = hr * rng.uniform(0.22, 0.3)
    closed = rng.uniform() < 0.3
    for e in (-1, 1):
        drawing.eye(img, s, rng, hx + e * hr * 0.45, hy + hr * 0.05, er, dark, (0.3, -0.7), closed=closed,
             lid=drawing.mix(main, (0, 0, 0), 0.4))
    drawing.ellipse(img, s, hx, hy + hr * 0.55, hr * 0.17, hr * 0.12, dark)
    # front paws
    for e in (-1, 1):
        drawing.ellipse(img, s, hx + e * hr * 0.55, hy + hr * 1.05, hr * 0.28, hr * 0.16, light)
    return img, mask


def _start(rng, size, lookalike):
    """Checked ``rng`` and ``size``, and whether to draw a look-alike: the photo's first random draw unless given."""
    rng = validate.rng(rng)
    size = validate.integer("size", size, drawing.MIN_SIZE, drawing.MAX_SIZE)
    return rng, size, rng.uniform() < LOOKALIKE_RATE if lookalike is None else bool(lookalike)


def draw_chihuahua(rng, size=64, curled=None, pose="everyday"):
    """Draw one chihuahua photo as a uint8 RGB array (size, size, 3); ``curled=None`` picks the pose at random.

    ``pose="studio"``: upright, centred, one scale, never mirrored (``drawing.compose``).
    """
    rng, size, curled = _start(rng, size, curled)
    img, mask = (chihuahua_curled if curled else chihuahua_face)(rng, 2 * size)
    return drawing.finish(img, mask, rng, size, pose)



def _dome(img, mask, s, rng, cx, cy, rx, ry, colour):
    """A bumpy muffin top: a half-ellipse dome with a lumpy rim, crumbs and cracks."""
    drawing.ellipse(img, s, cx, cy, rx, ry, colour, start=180, end=360)
    drawing.ellipse(mask, s, cx, cy, rx, ry, 255, start=180, end=360)
    drawing.ellipse(img, s, cx, cy, rx, ry * 0.22, colour)
    drawing.ellipse(mask, s, cx, cy, rx, ry * 0.22, 255)
    for t in np.linspace(np.pi, 2 * np.pi, int(rng.integers(7, 12))):
        r = rng.uniform(0.028, 0.05)
        x, y = cx + np.cos(t) * rx * 0.93, cy + np.sin(t) * ry * 0.93
        c = drawing.jitter(rng, colour, 8)
        drawing.circle(img, s, x, y, r, c)
        drawing.circle(mask, s, x, y, r, 255)
    light, darkc = drawing.mix(colour, (255, 240, 210), 0.35), drawing.mix(colour, (0, 0, 0), 0.3)
    for c in (light, darkc):  # crumbs
        xs, ys = rng.uniform(cx - rx * 0.85, cx + rx * 0.85, 45), rng.uniform(cy - ry * 0.9, cy + ry * 0.1, 45)
        for x, y in zip(xs, ys):
            if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 0.8:
                drawing.circle(img, s, x, y, rng.uniform(0.006, 0.014), c)
    for _ in range(int(rng.integers(1, 4))):  # cracks
        x, y = cx + rng.uniform(-0.6, 0.6) * rx, cy - rng.uniform(0.2, 0.8) * ry
        pts = [(x, y)]
        for _ in range(4):
            x, y = x + rng.uniform(-0.04, 0.04), y + rng.uniform(-0.03, 0.03)
            pts.append((x, y))
        for p, q in zip(pts, pts[1:]):
            drawing.line(img, s, p, q, darkc, 0.007)


def _berry(img, s, rng, x, y, r, dark):
    drawing.circle(img, s, x, y, r * 1.12, drawing.mix(dark, (120, 60, 110), 0.3))  # juice stain
    drawing.circle(img, s, x, y, r, dark)
    if rng.uniform() < 0.6:
        drawing.circle(img, s, x - r * 0.3, y - r * 0.35, r * 0.25, drawing.mix(dark, (250, 250, 250), 0.6))


def muffin_side(rng, s, face_like=False):
    """A muffin seen from the side on an s x s canvas, as (canvas, mask); ``face_like`` sets its berries as a face."""
    img, mask = drawing.canvas(s)
    top, cupc = drawing.muffin_colours(rng)
    dark = drawing.dark_spot_colour(rng)
    cup_top, cup_bot = rng.uniform(0.52, 0.6), rng.uniform(0.84, 0.92)
    cup_w = rng.uniform(0.21, 0.26)
    drawing.paper_cup(img, mask, s, rng, cup_top, cup_w, cup_bot, cup_w * rng.uniform(0.72, 0.82), cupc)
    rx, ry = cup_w * rng.uniform(1.2, 1.4), rng.uniform(0.22, 0.3)
    if face_like:
        ry = rng.uniform(0.28, 0.34)
    _dome(img, mask, s, rng, 0.5, cup_top + 0.01, rx, ry, top)
    cy = cup_top + 0.01
    if face_like:  # three big berries placed like two eyes and a nose
        r = rx * rng.uniform(0.13, 0.17)
        ex, ey = rx * rng.uniform(0.34, 0.46), cy - ry * rng.uniform(0.45, 0.6)
        for side in (-1, 1):
            _berry(img, s, rng, 0.5 + side * ex + rng.normal(0, 0.01), ey + rng.normal(0, 0.01), r, dark)
        _berry(img, s, rng, 0.5 + rng.normal(0, 0.01), ey + ry * 0.35, r * 0.75, dark)
    else:
        for _ in range(int(rng.integers(4, 10))):
            t = rng.uniform(np.pi * 1.08, np.pi * 1.92)
            d = np.sqrt(rng.uniform(0.05, 0.8))
            _berry(img, s, rng, 0.5 + np.cos(t) * rx * d, cy + np.sin(t) * ry * d, rng.uniform(0.028, 0.05), dark)
    return img, mask


def muffin_top(rng, s):
    """A muffin seen from above and in front: a big round lumpy top, the ridged cup showing below it."""
    img, mask = drawing.canvas(s)
    top, cupc = drawing.muffin_colours(rng)
    dark = drawing.dark_spot_colour(rng)
    r = rng.uniform(0.29, 0.34)
    cx, cy, ry = 0.5, 0.42, r * rng.uniform(0.75, 0.85)
    drawing.paper_cup(img, mask, s, rng, cy + ry * 0.6, r * 0.82, cy + ry + 0.15, r * 0.64, cupc)
    drawing.ellipse(img, s, cx, cy, r, ry, top)
    drawing.ellipse(mask, s, cx, cy, r, ry, 255)
    for t in np.linspace(0, 2 * np.pi, int(rng.integers(9, 14)), endpoint=False):
        rr = rng.uniform(0.03, 0.05)
        x, y = cx + np.cos(t) * r * 0.95, cy + np.sin(t) * ry * 0.95
        drawing.circle(img, s, x, y, rr, drawing.jitter(rng, top, 8))
        drawing.circle(mask, s, x, y, rr, 255)
    light, darkc = drawing.mix(top, (255, 240, 210), 0.35), drawing.mix(top, (0, 0, 0), 0.3)
    for c in (light, darkc):
        for _ in range(40):
            t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.85
            drawing.circle(img, s, cx + np.cos(t) * d * r, cy + np.sin(t) * d * ry, rng.uniform(0.006, 0.014), c)
    for _ in range(int(rng.integers(4, 10))):
        t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform(0.02, 0.75))
        _berry(img, s, rng, cx + np.cos(t) * d * r, cy + np.sin(t) * d * ry, rng.uniform(0.028, 0.05), dark)
    return img, mask


def draw_muffin(rng, size=64, face_like=None, pose="everyday"):
    """Draw one blueberry-muffin photo as a uint8 RGB array (size, size, 3); ``face_like=None`` picks at random.

    ``pose="studio"``: upright, centred, one scale, never mirrored (``drawing.compose``).
    """
    rng, size, face_like = _start(rng, size, face_like)
    s = 2 * size
    if face_like:
        img, mask = muffin_side(rng, s, face_like=True)
    elif rng.uniform() < 0.6:
        img, mask = muffin_side(rng, s)
    else:
        img, mask = muffin_top(rng, s)
    return drawing.finish(img, mask, rng, size, pose)



def image_rng(label, index, split, seed):
    """The RNG of one image of a generated set: its own seed, so any subset is reproducible."""
    return np.random.default_rng([seed, SPLITS.index(split), label, index])


def draw_one(label, index, split, size, seed, pose="everyday"):
    """The image with this label and index in one split (``pose="studio"``: the same photo taken in a studio)."""
    rng = image_rng(label, index, split, seed)
    return draw_chihuahua(rng, size, pose=pose) if label == 0 else draw_muffin(rng, size, pose=pose)


def make_arrays(n, size=64, seed=0, split="train", pose="everyday", pick=None):
    """Draw ``n`` images in memory: (x uint8 (n, size, size, 3), y int (n,)) with 0 = chihuahua, 1 = muffin.

    The images are the same as the first files of the split ``generate`` writes, in a seeded shuffled order.
    ``pose="studio"`` takes every photo in a studio: upright, centred, one scale, never mirrored (background,
    light and noise as in the everyday photo). ``pick`` (indices into those ``n``) draws only these photos.
    """
    size = validate.integer("size", size, drawing.MIN_SIZE, drawing.MAX_SIZE)
    validate.one_of("pose", pose, drawing.POSES)
    pairs = _shuffled_pairs(n, seed, split)
    if pick is not None:
        pick = np.asarray(pick)
        if pick.ndim != 1 or pick.dtype.kind not in "iu" or (pick.size and not 0 <= pick.min() <= pick.max() < n):
            raise ValueError(f"pick must be a 1-D array of indices in 0..{n - 1}, got {pick!r}")
        pairs = [pairs[i] for i in pick]
    x = np.empty((len(pairs), size, size, 3), np.uint8)
    y = np.empty(len(pairs), np.int64)
    for k, (label, index) in enumerate(pairs):
        x[k], y[k] = draw_one(label, index, split, size, seed, pose), label
    return x, y


def _shuffled_pairs(n, seed, split):
    """The (label, index) of each image ``make_arrays`` draws, in its order: half of each class, seeded shuffle."""
    n, seed = validate.positive_int("n", n), validate.integer("seed", seed, 0)
    validate.one_of("split", split, SPLITS)
    pairs = [(0, i) for i in range((n + 1) // 2)] + [(1, i) for i in range(n // 2)]
    return [pairs[j] for j in np.random.default_rng([seed, 99]).permutation(n)]


def lookalikes(n, seed=0, split="train"):
    """Which of the ``n`` images ``make_arrays(n, seed=seed, split=split)`` draws are look-alikes (bool array)."""
    return np.array([is_lookalike(label, index, split, seed) for label, index in _shuffled_pairs(n, seed, split)])


def is_lookalike(label, index, split, seed):
    """Whether the generated image with this label, index and split is a look-alike (curled chihuahua, face muffin)."""
    return bool(image_rng(label, index, split, seed).uniform() < LOOKALIKE_RATE)  # _start's first draw
