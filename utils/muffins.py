"""The course's offline muffins-vs-chihuahuas data set: seeded cartoon photos drawn with OpenCV and NumPy.

``ensure_dataset()`` writes PNG files in the Kaggle layout (train/chihuahua, train/muffin, test/...) once;
``make_arrays()`` draws the same images in memory. Run ``python -m utils.muffins --help`` for the command line.
"""

import argparse
import functools
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from utils.paths import DATA_DIR, relative

GENERATOR_VERSION = "1.3"
CLASS_NAMES = ("chihuahua", "muffin")
SPLITS = ("train", "test")
DEFAULT_DIR = DATA_DIR / "muffin_chihuahua"
LOOKALIKE_RATE = 0.2
MIN_SIZE, MAX_SIZE = 16, 512

# One palette for both classes (RGB): coats, muffin tops, paper cups and backgrounds all draw from it.
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


# ----------------------------------------------------------------------------------------------------------
# small drawing helpers (all coordinates are fractions of the canvas side, drawn at twice the final size)
# ----------------------------------------------------------------------------------------------------------
def _jitter(rng, colour, amount=14):
    """A colour with a little random variation (mostly brightness), as a tuple of ints for OpenCV."""
    c = np.asarray(colour, float) * rng.normal(1, amount / 200) + rng.normal(0, amount / 3, 3)
    return tuple(int(v) for v in np.clip(c, 0, 255))


def _mix(a, b, t):
    """Blend two colours: t=0 gives a, t=1 gives b."""
    return tuple(int((1 - t) * x + t * y) for x, y in zip(a, b))


def _pt(s, x, y):
    """Canvas pixel of a point in unit coordinates (with 4 bits of sub-pixel precision)."""
    return int(x * s * 16 + 0.5), int(y * s * 16 + 0.5)


def _len(s, r):
    """Canvas length (sub-pixel units) of a unit length."""
    return max(1, int(r * s * 16 + 0.5))


@functools.lru_cache(maxsize=8)
def _grid(s):
    """Pixel-centre coordinates (yy, xx) in [-0.5, 0.5) for an s x s canvas (cached, read-only)."""
    yy, xx = np.mgrid[0:s, 0:s].astype(np.float32) / s - 0.5
    yy.flags.writeable = xx.flags.writeable = False
    return yy, xx


def _circle(img, s, x, y, r, colour, thickness=-1):
    cv2.circle(img, _pt(s, x, y), _len(s, r), colour, thickness, cv2.LINE_AA, 4)


def _ellipse(img, s, x, y, rx, ry, colour, angle=0.0, start=0, end=360, thickness=-1):
    cv2.ellipse(img, _pt(s, x, y), (_len(s, rx), _len(s, ry)), angle, start, end, colour, thickness,
                cv2.LINE_AA, 4)


def _poly(img, s, points, colour):
    pts = np.array([_pt(s, x, y) for x, y in points], np.int32)
    cv2.fillPoly(img, [pts], colour, cv2.LINE_AA, 4)


def _line(img, s, p, q, colour, width):
    cv2.line(img, _pt(s, *p), _pt(s, *q), colour, max(1, int(round(width * s))), cv2.LINE_AA, 4)


def _dark_spot_colour(rng):
    """Eyes, noses and blueberries share one distribution of dark, slightly blue-black colours."""
    base = np.array([38, 34, 48], float) + rng.uniform(0, 1) * np.array([30, 22, 50])
    return _jitter(rng, base, 6)


def _strokes(img, s, rng, n, box, colour, length, width):
    """Short random strokes inside ``box`` = (x0, y0, x1, y1): fur or crumb texture."""
    x0, y0, x1, y1 = box
    xs, ys = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    ang = rng.normal(np.pi / 2, 0.5, n)
    for x, y, a in zip(xs, ys, ang):
        dx, dy = np.cos(a) * length, np.sin(a) * length
        _line(img, s, (x, y), (x + dx, y + dy), colour, width)


# ----------------------------------------------------------------------------------------------------------
# backgrounds and nuisances (identical for both classes)
# ----------------------------------------------------------------------------------------------------------
def _background(rng, s):
    """A textured background: gradient, blotches, gingham cloth, wood planks or a knitted blanket."""
    c1 = np.array(_jitter(rng, BACKGROUND_COLOURS[rng.integers(len(BACKGROUND_COLOURS))], 10), np.float32)
    c2 = np.array(_jitter(rng, BACKGROUND_COLOURS[rng.integers(len(BACKGROUND_COLOURS))], 10), np.float32)
    kind = rng.integers(5)
    yy, xx = _grid(s)
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


def _compose(rng, layer, mask, size, shadow=True):
    """Pose the object (scale, rotation, shift, mirror), put it on a background, add light, blur and noise."""
    s = layer.shape[0]
    mirror = rng.uniform() < 0.5
    angle = rng.uniform(-25, 25)
    scale = rng.uniform(0.62, 1.0)
    shift = rng.uniform(-0.16, 0.16, 2) * s
    m = cv2.getRotationMatrix2D((s / 2, s / 2), angle, scale)
    if mirror:  # x -> s - x before rotating
        m = m @ np.array([[-1, 0, s], [0, 1, 0], [0, 0, 1]], np.float64)
    m[:, 2] += shift
    layer = cv2.warpAffine(layer, m, (s, s), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    alpha = cv2.warpAffine(mask, m, (s, s), flags=cv2.INTER_LINEAR)[..., None]
    img = _background(rng, s)
    if shadow:
        dy, dx = max(1, int(s * 0.03)), max(1, int(s * 0.015))
        soft, sh = _soft(alpha[..., 0], s * 0.04), np.zeros((s, s), np.float32)
        sh[dy:, dx:] = soft[:-dy, :-dx]  # the shadow falls down and to the right
        img *= (1 - 0.35 * sh)[..., None]
    img += (layer - img) * alpha
    # light: a tilted brightness plane and a global exposure / contrast change
    img = cv2.resize(img.astype(np.float32), (size, size), interpolation=cv2.INTER_AREA)
    yy, xx = _grid(size)
    a, contrast = rng.uniform(0, 2 * np.pi), rng.uniform(0.75, 1.15)
    light = contrast * (1 + rng.uniform(0, 0.35) * (np.cos(a) * xx + np.sin(a) * yy))
    img = img * light[..., None] + (128 * (1 - contrast) + rng.uniform(-25, 25))
    np.clip(img, 0, 255, out=img)
    sigma = rng.uniform(0, 1.0) * size / 64
    if sigma > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    img += rng.normal(0, rng.uniform(0, 8), img.shape).astype(np.float32)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def _soft(mask, sigma):
    """A wide Gaussian blur of a mask, done at a quarter of the resolution (cheap)."""
    s = mask.shape[0]
    small = cv2.resize(mask, (s // 4, s // 4), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), sigma / 4), (s, s), interpolation=cv2.INTER_LINEAR)


def _shade(layer, mask, rng, s):
    """Round the object with light: brighter in the middle and top, darker at its rim."""
    yy = _grid(s)[0][:, :1]
    shade = 0.72 + 0.38 * _soft(mask, s * 0.06) - np.float32(rng.uniform(0.05, 0.25)) * yy
    return layer * shade[..., None]


def _canvas(s):
    return np.zeros((s, s, 3), np.uint8), np.zeros((s, s), np.uint8)


# ----------------------------------------------------------------------------------------------------------
# chihuahuas
# ----------------------------------------------------------------------------------------------------------
def _coat(rng):
    """A chihuahua coat: main colour, muzzle/chest colour and eyebrow/point colour."""
    kind = rng.choice(["fawn", "cream", "golden", "black_tan", "chocolate", "tan"], p=[.24, .16, .14, .2, .12, .14])
    if kind == "black_tan":
        return _jitter(rng, PALETTE["black"], 6), _jitter(rng, PALETTE["tan"]), _jitter(rng, PALETTE["golden"])
    if kind == "chocolate":
        return _jitter(rng, PALETTE["chocolate"]), _jitter(rng, PALETTE["fawn"]), _jitter(rng, PALETTE["tan"])
    main = _jitter(rng, PALETTE[kind])
    light = _jitter(rng, _mix(main, PALETTE["white"], 0.55))
    return main, light, main


def _eye(img, s, rng, x, y, r, dark, highlight_dir, closed=False, lid=None):
    if closed:
        _ellipse(img, s, x, y, r * 1.1, r * 0.6, dark, start=10, end=170, thickness=max(1, int(s * 0.02)))
        return
    _circle(img, s, x, y, r * 1.15, lid)          # eyelid rim
    _circle(img, s, x, y, r, dark)
    hx, hy = highlight_dir
    _circle(img, s, x + hx * r * 0.4, y + hy * r * 0.4, r * 0.28, (250, 250, 250))


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
    _poly(img, s, outer, main)
    _poly(mask, s, outer, 255)
    _poly(img, s, outline(0.6, 0.3), inner)


def _chihuahua_face(rng, s):
    img, mask = _canvas(s)
    main, light, points = _coat(rng)
    dark = _dark_spot_colour(rng)
    cy = 0.5 + rng.uniform(-0.04, 0.04)
    hw = rng.uniform(0.17, 0.2)  # head radius: small head, huge ears and eyes
    # chest below the head
    _ellipse(img, s, 0.5, cy + 0.42, 0.24, 0.24, main)
    _ellipse(mask, s, 0.5, cy + 0.42, 0.24, 0.24, 255)
    if light != main:
        _ellipse(img, s, 0.5, cy + 0.4, 0.09, 0.2, light)
    _strokes(img, s, rng, 25, (0.3, cy + 0.2, 0.7, 1.0), _mix(main, (0, 0, 0), 0.18), 0.03, 0.006)
    # ears: set high on the dome, pointing up and out at about 45 degrees
    inner = _mix(_mix(main, PALETTE["white"], 0.5), (225, 165, 150), 0.45)
    length, spread = hw * rng.uniform(1.7, 2.1), rng.uniform(0.6, 0.95)
    for side in (-1, 1):
        base_a = (0.5 + side * hw * 0.2, cy - hw * 0.95)
        base_b = (0.5 + side * hw * 0.98, cy - hw * 0.25)
        _ear(img, mask, s, rng, side, base_a, base_b, length, spread, main, inner)
    # apple-dome head: a tall round cranium, cheeks a little wider and lower
    _circle(img, s, 0.5, cy - hw * 0.08, hw, main)
    _ellipse(img, s, 0.5, cy + hw * 0.35, hw * 1.0, hw * 0.7, main)
    _circle(mask, s, 0.5, cy - hw * 0.08, hw, 255)
    _ellipse(mask, s, 0.5, cy + hw * 0.35, hw * 1.0, hw * 0.7, 255)
    if rng.uniform() < 0.35:  # white blaze up the forehead
        _ellipse(img, s, 0.5, cy - hw * 0.25, hw * 0.12, hw * 0.6, light)
    _strokes(img, s, rng, 30, (0.5 - hw, cy - hw, 0.5 + hw, cy + hw), _mix(main, (0, 0, 0), 0.18), 0.025, 0.006)
    # short, small muzzle, lighter, right under the eyes
    mz_y = cy + hw * 0.6
    _ellipse(img, s, 0.5, mz_y, hw * 0.4, hw * 0.33, light)
    if points != main:  # tan eyebrow dots of black-and-tan and chocolate coats
        for side in (-1, 1):
            _circle(img, s, 0.5 + side * hw * 0.42, cy - hw * 0.25, hw * 0.1, points)
    # big round bulging eyes, set wide and low
    er = hw * rng.uniform(0.28, 0.34)
    ex, ey = hw * rng.uniform(0.5, 0.58), cy + hw * 0.25
    hdir = (rng.uniform(-0.7, 0.7), -0.7)
    lid = _mix(main, (0, 0, 0), 0.45) if sum(main) > 300 else _mix(points, (0, 0, 0), 0.2)
    for side in (-1, 1):
        _eye(img, s, rng, 0.5 + side * ex, ey, er, dark, hdir, lid=lid)
    # nose and mouth
    ny = mz_y - hw * 0.05
    nw = hw * rng.uniform(0.15, 0.2)
    _ellipse(img, s, 0.5, ny, nw, nw * 0.72, dark)
    mouth = _mix(light, (0, 0, 0), 0.5)
    _line(img, s, (0.5, ny), (0.5, ny + hw * 0.2), mouth, 0.007)
    _ellipse(img, s, 0.5, ny + hw * 0.14, hw * 0.18, hw * 0.09, mouth, start=20, end=160,
             thickness=max(1, int(s * 0.008)))
    return img, mask


def _chihuahua_curled(rng, s):
    """Look-alike: a chihuahua curled up in a ball, ears folded back, face peeking out."""
    img, mask = _canvas(s)
    main, light, points = _coat(rng)
    dark = _dark_spot_colour(rng)
    bx, by = 0.5, 0.56
    rx, ry = rng.uniform(0.28, 0.34), rng.uniform(0.22, 0.27)
    _ellipse(img, s, bx, by, rx, ry, main)
    _ellipse(mask, s, bx, by, rx, ry, 255)
    _strokes(img, s, rng, 45, (bx - rx, by - ry, bx + rx, by + ry), _mix(main, (0, 0, 0), 0.2), 0.035, 0.006)
    # tail curling along the body
    side = 1 if rng.uniform() < 0.5 else -1
    pts = [(bx + side * rx * np.cos(t), by + ry * 0.9 * np.sin(t)) for t in np.linspace(-0.2, 1.6, 8)]
    for p, q in zip(pts, pts[1:]):
        _line(img, s, p, q, _mix(main, (0, 0, 0), 0.25), 0.035)
    # fluffy outline
    for t in np.linspace(0, 2 * np.pi, 28, endpoint=False):
        p = (bx + np.cos(t) * rx * 0.97, by + np.sin(t) * ry * 0.97)
        q = (bx + np.cos(t + 0.08) * rx * 1.05, by + np.sin(t + 0.08) * ry * 1.05)
        _line(img, s, p, q, main, 0.012)
        _line(mask, s, p, q, 255, 0.012)
    # head resting on the front, the big ears folded back flat against it
    hx, hy, hr = bx - side * rx * 0.25, by + ry * 0.05, rng.uniform(0.16, 0.2)
    for e in (-1, 1):
        _ellipse(img, s, hx + e * hr * 0.8, hy - hr * 0.7, hr * 0.6, hr * 0.2, _mix(main, (0, 0, 0), 0.22),
                 angle=e * 25)
    _circle(img, s, hx, hy, hr, main)
    _ellipse(img, s, hx, hy + hr * 0.5, hr * 0.45, hr * 0.38, light)
    if points != main:
        for e in (-1, 1):
            _circle(img, s, hx + e * hr * 0.42, hy - hr * 0.3, hr * 0.1, points)
    er = hr * rng.uniform(0.22, 0.3)
    closed = rng.uniform() < 0.3
    for e in (-1, 1):
        _eye(img, s, rng, hx + e * hr * 0.45, hy + hr * 0.05, er, dark, (0.3, -0.7), closed=closed,
             lid=_mix(main, (0, 0, 0), 0.4))
    _ellipse(img, s, hx, hy + hr * 0.55, hr * 0.17, hr * 0.12, dark)
    # front paws
    for e in (-1, 1):
        _ellipse(img, s, hx + e * hr * 0.55, hy + hr * 1.05, hr * 0.28, hr * 0.16, light)
    return img, mask


def draw_chihuahua(rng, size=64, curled=None):
    """Draw one chihuahua photo as a uint8 RGB array (size, size, 3); ``curled=None`` picks the pose at random."""
    rng = _check_rng(rng)
    size = _check_size(size)
    s = 2 * size
    curled = rng.uniform() < LOOKALIKE_RATE if curled is None else bool(curled)
    img, mask = (_chihuahua_curled if curled else _chihuahua_face)(rng, s)
    m = mask.astype(np.float32) / 255
    layer = _shade(img.astype(np.float32), m, rng, s)
    return _compose(rng, layer, m, size)


# ----------------------------------------------------------------------------------------------------------
# muffins
# ----------------------------------------------------------------------------------------------------------
def _cup(img, mask, s, rng, top_y, top_w, bot_y, bot_w, colour):
    """A ridged paper baking cup: a trapezoid of alternating light and dark pleats."""
    n = int(rng.integers(9, 15))
    dark = _mix(colour, (0, 0, 0), 0.28)
    for i in range(n):
        x0t, x1t = 0.5 - top_w + 2 * top_w * i / n, 0.5 - top_w + 2 * top_w * (i + 1) / n
        x0b, x1b = 0.5 - bot_w + 2 * bot_w * i / n, 0.5 - bot_w + 2 * bot_w * (i + 1) / n
        quad = [(x0t, top_y), (x1t, top_y), (x1b, bot_y), (x0b, bot_y)]
        _poly(img, s, quad, colour if i % 2 else dark)
        _poly(mask, s, quad, 255)
    _ellipse(img, s, 0.5, bot_y, bot_w, 0.02, dark)
    _ellipse(mask, s, 0.5, bot_y, bot_w, 0.02, 255)


def _muffin_colours(rng):
    top = _jitter(rng, PALETTE[rng.choice(["golden", "fawn", "tan", "brown", "cream", "chocolate"],
                                          p=[.28, .2, .2, .12, .1, .1])])
    cup = _jitter(rng, PALETTE[rng.choice(["white", "cream", "tan", "brown", "chocolate", "black"],
                                          p=[.2, .2, .15, .2, .13, .12])])
    return top, cup


def _dome(img, mask, s, rng, cx, cy, rx, ry, colour):
    """A bumpy muffin top: a half-ellipse dome with a lumpy rim, crumbs and cracks."""
    _ellipse(img, s, cx, cy, rx, ry, colour, start=180, end=360)
    _ellipse(mask, s, cx, cy, rx, ry, 255, start=180, end=360)
    _ellipse(img, s, cx, cy, rx, ry * 0.22, colour)
    _ellipse(mask, s, cx, cy, rx, ry * 0.22, 255)
    for t in np.linspace(np.pi, 2 * np.pi, int(rng.integers(7, 12))):
        r = rng.uniform(0.028, 0.05)
        x, y = cx + np.cos(t) * rx * 0.93, cy + np.sin(t) * ry * 0.93
        c = _jitter(rng, colour, 8)
        _circle(img, s, x, y, r, c)
        _circle(mask, s, x, y, r, 255)
    light, darkc = _mix(colour, (255, 240, 210), 0.35), _mix(colour, (0, 0, 0), 0.3)
    for c in (light, darkc):  # crumbs
        xs, ys = rng.uniform(cx - rx * 0.85, cx + rx * 0.85, 45), rng.uniform(cy - ry * 0.9, cy + ry * 0.1, 45)
        for x, y in zip(xs, ys):
            if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 0.8:
                _circle(img, s, x, y, rng.uniform(0.006, 0.014), c)
    for _ in range(int(rng.integers(1, 4))):  # cracks
        x, y = cx + rng.uniform(-0.6, 0.6) * rx, cy - rng.uniform(0.2, 0.8) * ry
        pts = [(x, y)]
        for _ in range(4):
            x, y = x + rng.uniform(-0.04, 0.04), y + rng.uniform(-0.03, 0.03)
            pts.append((x, y))
        for p, q in zip(pts, pts[1:]):
            _line(img, s, p, q, darkc, 0.007)


def _berry(img, s, rng, x, y, r, dark):
    _circle(img, s, x, y, r * 1.12, _mix(dark, (120, 60, 110), 0.3))  # juice stain
    _circle(img, s, x, y, r, dark)
    if rng.uniform() < 0.6:
        _circle(img, s, x - r * 0.3, y - r * 0.35, r * 0.25, _mix(dark, (250, 250, 250), 0.6))


def _muffin_side(rng, s, face_like=False):
    img, mask = _canvas(s)
    top, cupc = _muffin_colours(rng)
    dark = _dark_spot_colour(rng)
    cup_top, cup_bot = rng.uniform(0.52, 0.6), rng.uniform(0.84, 0.92)
    cup_w = rng.uniform(0.21, 0.26)
    _cup(img, mask, s, rng, cup_top, cup_w, cup_bot, cup_w * rng.uniform(0.72, 0.82), cupc)
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


def _muffin_top(rng, s):
    """A muffin seen from above and in front: a big round lumpy top, the ridged cup showing below it."""
    img, mask = _canvas(s)
    top, cupc = _muffin_colours(rng)
    dark = _dark_spot_colour(rng)
    r = rng.uniform(0.29, 0.34)
    cx, cy, ry = 0.5, 0.42, r * rng.uniform(0.75, 0.85)
    _cup(img, mask, s, rng, cy + ry * 0.6, r * 0.82, cy + ry + 0.15, r * 0.64, cupc)
    _ellipse(img, s, cx, cy, r, ry, top)
    _ellipse(mask, s, cx, cy, r, ry, 255)
    for t in np.linspace(0, 2 * np.pi, int(rng.integers(9, 14)), endpoint=False):
        rr = rng.uniform(0.03, 0.05)
        x, y = cx + np.cos(t) * r * 0.95, cy + np.sin(t) * ry * 0.95
        _circle(img, s, x, y, rr, _jitter(rng, top, 8))
        _circle(mask, s, x, y, rr, 255)
    light, darkc = _mix(top, (255, 240, 210), 0.35), _mix(top, (0, 0, 0), 0.3)
    for c in (light, darkc):
        for _ in range(40):
            t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform()) * 0.85
            _circle(img, s, cx + np.cos(t) * d * r, cy + np.sin(t) * d * ry, rng.uniform(0.006, 0.014), c)
    for _ in range(int(rng.integers(4, 10))):
        t, d = rng.uniform(0, 2 * np.pi), np.sqrt(rng.uniform(0.02, 0.75))
        _berry(img, s, rng, cx + np.cos(t) * d * r, cy + np.sin(t) * d * ry, rng.uniform(0.028, 0.05), dark)
    return img, mask


def draw_muffin(rng, size=64, face_like=None):
    """Draw one blueberry-muffin photo as a uint8 RGB array (size, size, 3); ``face_like=None`` picks at random."""
    rng = _check_rng(rng)
    size = _check_size(size)
    s = 2 * size
    face_like = rng.uniform() < LOOKALIKE_RATE if face_like is None else bool(face_like)
    if face_like:
        img, mask = _muffin_side(rng, s, face_like=True)
    elif rng.uniform() < 0.6:
        img, mask = _muffin_side(rng, s)
    else:
        img, mask = _muffin_top(rng, s)
    m = mask.astype(np.float32) / 255
    layer = _shade(img.astype(np.float32), m, rng, s)
    return _compose(rng, layer, m, size)


# ----------------------------------------------------------------------------------------------------------
# data sets in memory and on disk
# ----------------------------------------------------------------------------------------------------------
def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}")
    return rng


def _check_int(name, value, low, high=None):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < low or (high is not None and value > high):
        limit = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {limit}, got {value}")
    return int(value)


def _check_size(size):
    return _check_int("size", size, MIN_SIZE, MAX_SIZE)


def _image_rng(label, index, split, seed):
    """The RNG of one image of a generated set: its own seed, so any subset is reproducible."""
    return np.random.default_rng([seed, SPLITS.index(split), label, index])


def _draw_one(label, index, split, size, seed):
    """The image with this label and index in one split."""
    rng = _image_rng(label, index, split, seed)
    return draw_chihuahua(rng, size) if label == 0 else draw_muffin(rng, size)


def make_arrays(n, size=64, seed=0, split="train"):
    """Draw ``n`` images in memory: (x uint8 (n, size, size, 3), y int (n,)) with 0 = chihuahua, 1 = muffin.

    The images are the same as the first files of the split ``generate`` writes, in a seeded shuffled order.
    """
    n = _check_int("n", n, 1)
    size, seed = _check_size(size), _check_int("seed", seed, 0)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    pairs = [(0, i) for i in range((n + 1) // 2)] + [(1, i) for i in range(n // 2)]
    order = np.random.default_rng([seed, 99]).permutation(n)
    x = np.empty((n, size, size, 3), np.uint8)
    y = np.empty(n, np.int64)
    for k, j in enumerate(order):
        label, index = pairs[j]
        x[k], y[k] = _draw_one(label, index, split, size, seed), label
    return x, y


def _is_lookalike(label, index, split, seed):
    """Whether the generated image with this label, index and split is a look-alike (curled chihuahua, face muffin)."""
    return bool(_image_rng(label, index, split, seed).uniform() < LOOKALIKE_RATE)  # draw_*'s first draw


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
                             ": look-alike flags exist only for photos made by utils.muffins")
        if root not in seeds:
            manifest = read_manifest(root)
            if not manifest or manifest.get("generator") != "utils.muffins":
                raise ValueError(f"the folder {root.name!r} has no manifest.json of utils.muffins: look-alike flags "
                                 "exist only for the generated set (real photos have no such label)")
            seeds[root] = int(manifest["seed"])
        flags.append(_is_lookalike(CLASS_NAMES.index(cls), int(stem[1]), split, seeds[root]))
    return np.array(flags, bool)


def _settings(n_train, n_test, size, seed):
    return {"generator": "utils.muffins", "version": GENERATOR_VERSION, "seed": seed, "size": size,
            "counts": {split: {c: n // 2 for c in CLASS_NAMES} for split, n in zip(SPLITS, (n_train, n_test))}}


def read_manifest(out_dir):
    """The manifest.json of a generated set as a dict, or ``None`` when there is none (or it is unreadable)."""
    path = Path(out_dir) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_current(out_dir, settings):
    """True when ``out_dir`` holds a complete set made with exactly these settings."""
    manifest = read_manifest(out_dir)
    if not manifest or any(manifest.get(k) != v for k, v in settings.items()):
        return False
    return all((Path(out_dir) / name).is_file() for name in manifest.get("files", {}))


def _check_out_dir(out_dir):
    if not isinstance(out_dir, (str, os.PathLike)):
        raise TypeError(f"out_dir must be a folder path (str or Path), got {type(out_dir).__name__}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out_dir {out_dir.name!r} is a file, not a folder: pass a folder path")
    if out_dir.is_dir() and any(out_dir.iterdir()) and read_manifest(out_dir) is None:
        raise ValueError(f"out_dir {out_dir.name!r} already holds files but no manifest.json, so it is not a "
                         "generated set (maybe your real photos): choose another folder or empty it first")
    return out_dir


def _check_counts(n_train, n_test):
    for name, n in (("n_train", n_train), ("n_test", n_test)):
        _check_int(name, n, 2)
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
        img = _draw_one(label, i, split, size, seed)
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


def _default_workers(total):
    """Two processes for big sets on multi-core machines (starting one costs about a second), else one.

    Only where child processes need not re-run a main script (Jupyter, ``python -m``): a plain
    ``python script.py`` without an ``if __name__ == "__main__"`` guard would run again in each child.
    """
    main = sys.modules.get("__main__")
    safe = getattr(main, "__file__", None) is None or getattr(main, "__spec__", None) is not None
    return min(2, os.cpu_count() or 1) if total >= 400 and safe else 1


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
    size, seed = _check_size(size), _check_int("seed", seed, 0)
    out_dir = _check_out_dir(default_dir(n_train, n_test, size, seed) if out_dir is None else out_dir)
    workers = _default_workers(n_train + n_test) if workers is None else _check_int("workers", workers, 1, 64)
    settings = _settings(n_train, n_test, size, seed)
    if not force and _is_current(out_dir, settings):
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
        _swap_into_place(tmp, out_dir, settings, force)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _swap_into_place(tmp, out_dir, settings, force):
    """Rename the finished temporary folder to ``out_dir``, moving an older set aside first."""
    try:
        os.rename(tmp, out_dir)
        return
    except OSError:
        pass  # out_dir exists (non-empty)
    if not force and _is_current(out_dir, settings):
        return  # another process finished the same set first: keep it
    old = out_dir.parent / f"{out_dir.name}.old.tmp-{os.getpid()}"
    os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def ensure_dataset(out_dir=None, n_train=2000, n_test=500, size=64, seed=0, progress=True, workers=None):
    """Return the data set folder, generating it first only if it is missing or made with other settings."""
    return generate(out_dir, n_train, n_test, size, seed, progress, force=False, workers=workers)


DATASET_ENV = "MUFFIN_DATASET"


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

# ----------------------------------------------------------------------------------------------------------
# the meme's gallery
# ----------------------------------------------------------------------------------------------------------
def show_gallery(images=None, labels=None, predictions=None, nrows=4, ncols=4, size=64, seed=0, cell=1.6,
                 title="Muffin or chihuahua?"):
    """The meme: a grid of labelled photos, classes in a checkerboard; with ``predictions`` titles turn green/red.

    Without ``images`` it draws fresh samples (``seed``); returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    nrows, ncols = _check_int("nrows", nrows, 1, 20), _check_int("ncols", ncols, 1, 20)
    n = nrows * ncols
    if images is None:
        if labels is not None or predictions is not None:
            raise ValueError("labels/predictions need images: pass images too, or none of the three")
        size, seed = _check_size(size), _check_int("seed", seed, 0)
        labels = [(r + c) % 2 for r in range(nrows) for c in range(ncols)]
        images = [_draw_one(lab, k, "test", size, seed + 1000) for k, lab in enumerate(labels)]
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"images must have shape (n, H, W, 3), got {images.shape}")
    if labels is None or len(labels) != len(images):
        raise ValueError(f"give one label (0 chihuahua, 1 muffin) per image: {len(images)} images, "
                         f"{None if labels is None else len(labels)} labels")
    if predictions is not None and len(predictions) != len(images):
        raise ValueError(f"give one prediction per image: {len(images)} images, {len(predictions)} predictions")
    fig, axes = plt.subplots(nrows, ncols, figsize=(cell * ncols, cell * nrows + 0.5), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(images):
            continue
        ax.imshow(images[k], interpolation="bilinear")
        text, colour = CLASS_NAMES[int(labels[k])], "black"
        if predictions is not None:
            guess = CLASS_NAMES[int(predictions[k])]
            colour = "green" if int(predictions[k]) == int(labels[k]) else "red"
            text = f"{guess}" if colour == "green" else f"{guess} (is {text})"
        ax.set_title(text, fontsize=9, color=colour)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------------------------------------------
def main(argv=None):
    """Command line: ``python -m utils.muffins --out data/muffin_chihuahua --train 2000 --test 500``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils.muffins",
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
