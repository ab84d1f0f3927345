"""The pens, palette, backgrounds and camera shared by every drawn photo (muffins, chihuahuas, pets and bakes).

Drawings are made on an s x s canvas at twice the final size; coordinates are fractions of the canvas side.
``finish`` lights the drawn object, poses it on a textured background and takes the "photo" (light, blur, noise).
"""

import functools
import os
import sys

import cv2
import numpy as np

from utils import validate

MIN_SIZE, MAX_SIZE = 16, 512  # photo sides (pixels) the drawings support

# One palette for all classes (RGB): coats, muffin tops, paper cups and backgrounds all draw from it.
PALETTE = {
    "cream": (236, 214, 172),
    "fawn": (214, 166, 112),
    "golden": (222, 172, 96),
    "tan": (188, 138, 84),
    "brown": (140, 92, 55),
    "chocolate": (98, 64, 40),
    "black": (46, 40, 36),
    "white": (240, 234, 222),
}
BACKGROUND_COLOURS = [
    (240, 234, 222), (236, 214, 172), (214, 166, 112), (188, 138, 84), (140, 92, 55), (98, 64, 40),
    (150, 160, 170), (120, 140, 110), (200, 150, 150), (90, 100, 120), (210, 200, 180), (60, 55, 50),
]




def jitter(rng, colour, amount=14):
    """A colour with a little random variation (mostly brightness), as a tuple of ints for OpenCV."""
    c = np.asarray(colour, float) * rng.normal(1, amount / 200) + rng.normal(0, amount / 3, 3)
    return tuple(int(v) for v in np.clip(c, 0, 255))


def mix(a, b, t):
    """Blend two colours: t=0 gives a, t=1 gives b."""
    return tuple(int((1 - t) * x + t * y) for x, y in zip(a, b))


def _pt(s, x, y):
    """Canvas pixel of a point in unit coordinates (with 4 bits of sub-pixel precision)."""
    return int(x * s * 16 + 0.5), int(y * s * 16 + 0.5)


def _len(s, r):
    """Canvas length (sub-pixel units) of a unit length."""
    return max(1, int(r * s * 16 + 0.5))


@functools.lru_cache(maxsize=8)
def grid(s):
    """Pixel-centre coordinates (yy, xx) in [-0.5, 0.5) for an s x s canvas (cached, read-only)."""
    yy, xx = np.mgrid[0:s, 0:s].astype(np.float32) / s - 0.5
    yy.flags.writeable = xx.flags.writeable = False
    return yy, xx


def circle(img, s, x, y, r, colour, thickness=-1):
    """A filled (or outlined, ``thickness`` > 0) anti-aliased circle at (x, y), radius r, in unit coordinates."""
    cv2.circle(img, _pt(s, x, y), _len(s, r), colour, thickness, cv2.LINE_AA, 4)


def ellipse(img, s, x, y, rx, ry, colour, angle=0.0, start=0, end=360, thickness=-1):
    """An anti-aliased ellipse (or arc from ``start`` to ``end`` degrees) in unit coordinates."""
    cv2.ellipse(img, _pt(s, x, y), (_len(s, rx), _len(s, ry)), angle, start, end, colour, thickness,
                cv2.LINE_AA, 4)


def poly(img, s, points, colour):
    """A filled anti-aliased polygon through ``points`` [(x, y), ...] in unit coordinates."""
    pts = np.array([_pt(s, x, y) for x, y in points], np.int32)
    cv2.fillPoly(img, [pts], colour, cv2.LINE_AA, 4)


def line(img, s, p, q, colour, width):
    """An anti-aliased line from p to q, ``width`` a fraction of the canvas side."""
    cv2.line(img, _pt(s, *p), _pt(s, *q), colour, max(1, int(round(width * s))), cv2.LINE_AA, 4)


def dark_spot_colour(rng):
    """Eyes, noses and blueberries share one distribution of dark, slightly blue-black colours."""
    base = np.array([38, 34, 48], float) + rng.uniform(0, 1) * np.array([30, 22, 50])
    return jitter(rng, base, 6)


def strokes(img, s, rng, n, box, colour, length, width):
    """Short random strokes inside ``box`` = (x0, y0, x1, y1): fur or crumb texture."""
    x0, y0, x1, y1 = box
    xs, ys = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    ang = rng.normal(np.pi / 2, 0.5, n)
    for x, y, a in zip(xs, ys, ang):
        dx, dy = np.cos(a) * length, np.sin(a) * length
        line(img, s, (x, y), (x + dx, y + dy), colour, width)



def background(rng, s):
    """A textured background: gradient, blotches, gingham cloth, wood planks or a knitted blanket."""
    c1 = np.array(jitter(rng, BACKGROUND_COLOURS[rng.integers(len(BACKGROUND_COLOURS))], 10), np.float32)
    c2 = np.array(jitter(rng, BACKGROUND_COLOURS[rng.integers(len(BACKGROUND_COLOURS))], 10), np.float32)
    kind = rng.integers(5)
    yy, xx = grid(s)
    yy, xx = yy + 0.5, xx + 0.5
    if kind == 0:  # smooth gradient
        a = rng.uniform(0, 2 * np.pi)
        t = np.clip(0.5 + (np.cos(a) * (xx - 0.5) + np.sin(a) * (yy - 0.5)), 0, 1)
    elif kind == 1:  # soft blotches
        small = rng.uniform(0, 1, (4, 4)).astype(np.float32)
        t = cv2.resize(small, (s, s), interpolation=cv2.INTER_CUBIC).clip(0, 1)
    elif kind == 2:  # gingham cloth
        period = rng.uniform(0.12, 0.3)
        a = rng.uniform(-0.4, 0.4)
        u, v = np.cos(a) * xx + np.sin(a) * yy, -np.sin(a) * xx + np.cos(a) * yy
        t = 0.5 * (((u / period) % 1 < 0.5).astype(np.float32) + ((v / period) % 1 < 0.5))
    elif kind == 3:  # wood planks
        period = rng.uniform(0.15, 0.35)
        grain = cv2.resize(rng.uniform(0, 1, (2, 24)).astype(np.float32), (s, s), interpolation=cv2.INTER_LINEAR)
        t = 0.6 * ((yy / period) % 1 < 0.06) + 0.4 * grain
        if rng.uniform() < 0.5:
            t = t.T
    else:  # knitted blanket: fine noise
        fine = rng.uniform(0, 1, (s // 4, s // 4)).astype(np.float32)
        t = cv2.resize(fine, (s, s), interpolation=cv2.INTER_LINEAR) * 0.6 + 0.2
    return c1 + (c2 - c1) * t.astype(np.float32)[..., None]


POSES = ("everyday", "studio")
STUDIO_SCALE = 0.81  # the middle of the everyday scales 0.62-1.0


def pose_matrix(rng, s, pose="everyday"):
    """The 2×3 affine map that poses an object on an s × s canvas: mirrored half of the time, turned by up to ±25°,
    scaled 0.62-1.0 and shifted by up to 16 % of the side ("everyday"), or upright, centred, at one scale and never
    mirrored ("studio"). Both draw the same random numbers, so what ``rng`` draws next does not depend on ``pose``."""
    validate.one_of("pose", pose, POSES)
    mirror = rng.uniform() < 0.5
    angle = rng.uniform(-25, 25)
    scale = rng.uniform(0.62, 1.0)
    shift = rng.uniform(-0.16, 0.16, 2) * s
    if pose == "studio":
        mirror, angle, scale, shift = False, 0.0, STUDIO_SCALE, np.zeros(2)
    m = cv2.getRotationMatrix2D((s / 2, s / 2), angle, scale)
    if mirror:  # x -> s - x before rotating
        m = m @ np.array([[-1, 0, s], [0, 1, 0], [0, 0, 1]], np.float64)
    m[:, 2] += shift
    return m


def compose(rng, layer, mask, size, shadow=True, pose="everyday"):
    """Pose the object (``pose_matrix``), put it on a background with its shadow, take the photo."""
    s = layer.shape[0]
    m = pose_matrix(rng, s, pose)
    layer = cv2.warpAffine(layer, m, (s, s), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    alpha = cv2.warpAffine(mask, m, (s, s), flags=cv2.INTER_LINEAR)[..., None]
    img = background(rng, s)
    if shadow:
        dy, dx = max(1, int(s * 0.03)), max(1, int(s * 0.015))
        blurred, sh = soft(alpha[..., 0], s * 0.04), np.zeros((s, s), np.float32)
        sh[dy:, dx:] = blurred[:-dy, :-dx]  # the shadow falls down and to the right
        img *= (1 - 0.35 * sh)[..., None]
    img += (layer - img) * alpha
    return camera(rng, cv2.resize(img.astype(np.float32), (size, size), interpolation=cv2.INTER_AREA))


def camera(rng, img, blur_side=64):
    """Take the photo of a float32 RGB picture: tilted light, exposure and contrast, a blur of up to
    side / ``blur_side`` pixels, and sensor noise. Returns uint8 (the picture may be changed in place)."""
    size = img.shape[0]
    yy, xx = grid(size)
    a, contrast = rng.uniform(0, 2 * np.pi), rng.uniform(0.75, 1.15)
    light = contrast * (1 + rng.uniform(0, 0.35) * (np.cos(a) * xx + np.sin(a) * yy))
    img = img * light[..., None] + (128 * (1 - contrast) + rng.uniform(-25, 25))
    np.clip(img, 0, 255, out=img)
    sigma = rng.uniform(0, 1.0) * size / blur_side
    if sigma > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    img += rng.normal(0, rng.uniform(0, 8), img.shape).astype(np.float32)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def soft(mask, sigma):
    """A wide Gaussian blur of a mask, done at a quarter of the resolution (cheap)."""
    s = mask.shape[0]
    small = cv2.resize(mask, (s // 4, s // 4), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), sigma / 4), (s, s), interpolation=cv2.INTER_LINEAR)


def shade(layer, mask, rng, s):
    """Round the object with light: brighter in the middle and top, darker at its rim."""
    yy = grid(s)[0][:, :1]
    light = 0.72 + 0.38 * soft(mask, s * 0.06) - np.float32(rng.uniform(0.05, 0.25)) * yy
    return layer * light[..., None]


def canvas(s):
    """An empty s x s RGB canvas and its empty mask (where the object is drawn: 255)."""
    return np.zeros((s, s, 3), np.uint8), np.zeros((s, s), np.uint8)



def coat(rng):
    """A chihuahua coat: main colour, muzzle/chest colour and eyebrow/point colour."""
    kind = rng.choice(["fawn", "cream", "golden", "black_tan", "chocolate", "tan"], p=[.24, .16, .14, .2, .12, .14])
    if kind == "black_tan":
        return jitter(rng, PALETTE["black"], 6), jitter(rng, PALETTE["tan"]), jitter(rng, PALETTE["golden"])
    if kind == "chocolate":
        return jitter(rng, PALETTE["chocolate"]), jitter(rng, PALETTE["fawn"]), jitter(rng, PALETTE["tan"])
    main = jitter(rng, PALETTE[kind])
    light = jitter(rng, mix(main, PALETTE["white"], 0.55))
    return main, light, main


def eye(img, s, rng, x, y, r, dark, highlight_dir, closed=False, lid=None):
    """A round eye with a lid rim and a highlight, or a closed eye (an arc)."""
    if closed:
        ellipse(img, s, x, y, r * 1.1, r * 0.6, dark, start=10, end=170, thickness=max(1, int(s * 0.02)))
        return
    circle(img, s, x, y, r * 1.15, lid)          # eyelid rim
    circle(img, s, x, y, r, dark)
    hx, hy = highlight_dir
    circle(img, s, x + hx * r * 0.4, y + hy * r * 0.4, r * 0.28, (250, 250, 250))



def paper_cup(img, mask, s, rng, top_y, top_w, bot_y, bot_w, colour):
    """A ridged paper baking cup: a trapezoid of alternating light and dark pleats."""
    n = int(rng.integers(9, 15))
    dark = mix(colour, (0, 0, 0), 0.28)
    for i in range(n):
        x0t, x1t = 0.5 - top_w + 2 * top_w * i / n, 0.5 - top_w + 2 * top_w * (i + 1) / n
        x0b, x1b = 0.5 - bot_w + 2 * bot_w * i / n, 0.5 - bot_w + 2 * bot_w * (i + 1) / n
        quad = [(x0t, top_y), (x1t, top_y), (x1b, bot_y), (x0b, bot_y)]
        poly(img, s, quad, colour if i % 2 else dark)
        poly(mask, s, quad, 255)
    ellipse(img, s, 0.5, bot_y, bot_w, 0.02, dark)
    ellipse(mask, s, 0.5, bot_y, bot_w, 0.02, 255)


def muffin_colours(rng):
    """A baked-top colour and a paper-cup colour, both from the shared palette."""
    top = jitter(rng, PALETTE[rng.choice(["golden", "fawn", "tan", "brown", "cream", "chocolate"],
                                          p=[.28, .2, .2, .12, .1, .1])])
    cup = jitter(rng, PALETTE[rng.choice(["white", "cream", "tan", "brown", "chocolate", "black"],
                                          p=[.2, .2, .15, .2, .13, .12])])
    return top, cup



def finish(img, mask, rng, size, pose="everyday"):
    """Turn a drawn object (uint8 canvas and its mask) into a ``size`` x ``size`` uint8 RGB photo (``pose``: see
    ``compose``)."""
    s = img.shape[0]
    alpha = mask.astype(np.float32) / 255
    return compose(rng, shade(img.astype(np.float32), alpha, rng, s), alpha, size, pose=pose)


def default_workers(total):
    """Processes to draw ``total`` photos with: two for big sets on multi-core machines (one costs ~1 s to start).

    Only where child processes need not re-run a main script (Jupyter, ``python -m``): a plain
    ``python script.py`` without an ``if __name__ == "__main__"`` guard would run again in each child.
    """
    main = sys.modules.get("__main__")
    safe = getattr(main, "__file__", None) is None or getattr(main, "__spec__", None) is not None
    return min(2, os.cpu_count() or 1) if total >= 400 and safe else 1
