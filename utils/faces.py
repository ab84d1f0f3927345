"""Drawn chihuahua faces with persistent identities and known landmarks (lesson 09).

An ``Individual`` fixes what a dog always looks like (coat, markings, ear shape, proportions); each photo of it
varies the pose, the light, the background and the fur strokes. ``draw_face`` returns the photo and where its
five landmarks (eyes, nose, ear tips) ended up after the pose, in pixels: x to the right, y down, pixel centres
at whole numbers. Left and right are the viewer's. Photos are never mirrored: a mirrored dog would swap its
markings and pass for another individual.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from utils import drawing
from utils import validate

LANDMARKS = ("left eye", "right eye", "nose", "left ear tip", "right ear tip")
COATS = ("fawn", "cream", "golden", "tan", "black_tan", "chocolate")
COAT_CHANCES = (0.24, 0.16, 0.14, 0.14, 0.2, 0.12)
DARK_COATS = ("black_tan", "chocolate")
LIGHTS = ("normal", "dim")


@dataclass(frozen=True)
class Individual:
    """What stays the same in every photo of one dog: colours, markings and proportions (unit lengths)."""

    ident: int
    coat: str
    main: tuple
    light: tuple
    points: tuple
    dark: tuple
    head: float          # head radius
    ear_length: float    # as a multiple of the head radius
    ear_spread: float    # radians from vertical
    ear_tilt: tuple      # extra angle of the left and right ear
    ear_colour: tuple
    eye_radius: float    # as a fraction of the head radius
    eye_spacing: float
    nose: float
    blaze: float         # width of a white blaze up the forehead (0: none)
    patch: tuple         # (side, size): a dark patch around the left (-1) or right (1) eye; side 0: none
    spot: tuple          # (x offset, size) of a dark spot on the forehead; size 0: none
    freckles: tuple      # (x, y) of dark freckles on the muzzle, as fractions of the head radius

    @property
    def group(self):
        """'dark coat' or 'light coat': the groups the lesson compares."""
        return "dark coat" if self.coat in DARK_COATS else "light coat"


def _coat_colours(rng, kind):
    """Main, muzzle and point colours of a coat kind, varied widely for this individual."""
    pal, white = drawing.PALETTE, drawing.PALETTE["white"]
    if kind == "black_tan":
        return drawing.jitter(rng, pal["black"], 10), drawing.jitter(rng, pal["tan"], 30), \
            drawing.jitter(rng, pal["golden"], 30)
    if kind == "chocolate":
        return drawing.jitter(rng, pal["chocolate"], 25), drawing.jitter(rng, pal["fawn"], 30), \
            drawing.jitter(rng, pal["tan"], 30)
    main = drawing.jitter(rng, pal[kind], 30)
    return main, drawing.jitter(rng, drawing.mix(main, white, rng.uniform(0.3, 0.8)), 10), main


def make_individual(rng, ident=0):
    """One dog with random but fixed looks."""
    rng = validate.rng(rng)
    kind = COATS[rng.choice(len(COATS), p=COAT_CHANCES)]
    main, light, points = _coat_colours(rng, kind)
    ear = drawing.mix(main, (0, 0, 0), rng.uniform(0.25, 0.5)) if rng.uniform() < 0.35 else main
    side = int(rng.choice([-1, 0, 1]))
    return Individual(
        ident=int(ident), coat=kind, main=main, light=light, points=points, dark=drawing.dark_spot_colour(rng),
        head=rng.uniform(0.16, 0.21), ear_length=rng.uniform(1.5, 2.3), ear_spread=rng.uniform(0.5, 1.05),
        ear_tilt=tuple(rng.normal(0, 0.15, 2)), ear_colour=ear, eye_radius=rng.uniform(0.24, 0.38),
        eye_spacing=rng.uniform(0.45, 0.62), nose=rng.uniform(0.13, 0.23),
        blaze=rng.uniform(0.08, 0.25) if rng.uniform() < 0.5 else 0.0,
        patch=(side, rng.uniform(1.6, 2.6) if side else 0.0),
        spot=(rng.uniform(-0.6, 0.6), rng.uniform(0.1, 0.25)) if rng.uniform() < 0.4 else (0.0, 0.0),
        freckles=tuple(map(tuple, rng.uniform([-0.35, 0.45], [0.35, 0.8], (int(rng.integers(0, 4)), 2)))))


def make_individuals(n, seed=0, start=0):
    """``n`` individuals numbered ``start``, ``start + 1``, ...; each has its own seed, so any one can be remade."""
    n = validate.positive_int("n", n)
    seed, start = validate.integer("seed", seed, 0), validate.integer("start", start, 0)
    return [make_individual(np.random.default_rng([seed, 7, i]), i) for i in range(start, start + n)]


def _ear(img, mask, s, dog, side, cy):
    """One big ear (a leaf shape, lighter inside); returns its tip in unit coordinates."""
    hw = dog.head
    base_a = np.array([0.5 + side * hw * 0.2, cy - hw * 0.95])
    base_b = np.array([0.5 + side * hw * 0.98, cy - hw * 0.25])
    mid = (base_a + base_b) / 2
    a = side * dog.ear_spread + dog.ear_tilt[(side + 1) // 2]
    tip = mid + np.array([np.sin(a), -np.cos(a)]) * hw * dog.ear_length

    def outline(scale, bulge):
        pa, pb = mid + (base_a - mid) * scale, mid + (base_b - mid) * scale
        t = tip if scale == 1 else mid + (tip - mid) * 0.86
        f = np.linspace(0, 1, 7)[:, None]
        side_a = pa + (t - pa) * f + (pa - mid) * bulge * np.sin(np.pi * f)
        side_b = pb + (t - pb) * f[::-1] + (pb - mid) * bulge * np.sin(np.pi * f[::-1])
        return [tuple(p) for p in np.concatenate([side_a, side_b])]

    inner = drawing.mix(drawing.mix(dog.main, drawing.PALETTE["white"], 0.5), (225, 165, 150), 0.45)
    drawing.poly(img, s, outline(1.0, 0.35), dog.ear_colour)
    drawing.poly(mask, s, outline(1.0, 0.35), 255)
    drawing.poly(img, s, outline(0.6, 0.3), inner)
    return tip


def draw_dog(dog, rng, s):
    """The dog on an s x s canvas: (image, mask, landmarks (5, 2) in unit coordinates)."""
    img, mask = drawing.canvas(s)
    hw, main, light = dog.head, dog.main, dog.light
    cy = 0.5
    fur = drawing.mix(main, (0, 0, 0), 0.18)
    drawing.ellipse(img, s, 0.5, cy + 0.42, 0.24, 0.24, main)  # chest
    drawing.ellipse(mask, s, 0.5, cy + 0.42, 0.24, 0.24, 255)
    if light != main:
        drawing.ellipse(img, s, 0.5, cy + 0.4, 0.09, 0.2, light)
    drawing.strokes(img, s, rng, 25, (0.3, cy + 0.2, 0.7, 1.0), fur, 0.03, 0.006)
    tips = [_ear(img, mask, s, dog, side, cy) for side in (-1, 1)]
    drawing.circle(img, s, 0.5, cy - hw * 0.08, hw, main)  # apple-dome head and cheeks
    drawing.ellipse(img, s, 0.5, cy + hw * 0.35, hw, hw * 0.7, main)
    drawing.circle(mask, s, 0.5, cy - hw * 0.08, hw, 255)
    drawing.ellipse(mask, s, 0.5, cy + hw * 0.35, hw, hw * 0.7, 255)
    if dog.blaze:
        drawing.ellipse(img, s, 0.5, cy - hw * 0.25, hw * dog.blaze, hw * 0.6, drawing.PALETTE["white"])
    if dog.spot[1]:
        drawing.circle(img, s, 0.5 + dog.spot[0] * hw, cy - hw * 0.6, hw * dog.spot[1], drawing.mix(main, (0, 0, 0), 0.5))
    drawing.strokes(img, s, rng, 30, (0.5 - hw, cy - hw, 0.5 + hw, cy + hw), fur, 0.025, 0.006)
    ex, ey, er = hw * dog.eye_spacing, cy + hw * 0.25, hw * dog.eye_radius
    if dog.patch[0]:
        drawing.circle(img, s, 0.5 + dog.patch[0] * ex, ey - er * 0.2, er * dog.patch[1], drawing.mix(main, (0, 0, 0), 0.55))
    mz_y = cy + hw * 0.6
    drawing.ellipse(img, s, 0.5, mz_y, hw * 0.4, hw * 0.33, light)  # muzzle
    if dog.points != main:  # eyebrow dots of black-and-tan and chocolate coats
        for side in (-1, 1):
            drawing.circle(img, s, 0.5 + side * hw * 0.42, cy - hw * 0.25, hw * 0.1, dog.points)
    lid = drawing.mix(main, (0, 0, 0), 0.45) if sum(main) > 300 else drawing.mix(dog.points, (0, 0, 0), 0.2)
    highlight = (rng.uniform(-0.7, 0.7), -0.7)
    for side in (-1, 1):
        drawing.eye(img, s, rng, 0.5 + side * ex, ey, er, dog.dark, highlight, lid=lid)
    for fx, fy in dog.freckles:
        drawing.circle(img, s, 0.5 + fx * hw, cy + fy * hw, hw * 0.05, drawing.mix(light, (0, 0, 0), 0.6))
    ny, nw = mz_y - hw * 0.05, hw * dog.nose
    drawing.ellipse(img, s, 0.5, ny, nw, nw * 0.72, dog.dark)
    mouth = drawing.mix(light, (0, 0, 0), 0.5)
    drawing.line(img, s, (0.5, ny), (0.5, ny + hw * 0.2), mouth, 0.007)
    drawing.ellipse(img, s, 0.5, ny + hw * 0.14, hw * 0.18, hw * 0.09, mouth, start=20, end=160,
                    thickness=max(1, int(s * 0.008)))
    points = np.array([(0.5 - ex, ey), (0.5 + ex, ey), (0.5, ny), tips[0], tips[1]], np.float64)
    return img, mask, points


def face_pose(rng, s, points):
    """A random pose (2 x 3 affine matrix on the s x s canvas: turn, scale, shift) that keeps ``points`` inside."""
    centre = (s / 2, s / 2)
    for _ in range(50):
        m = cv2.getRotationMatrix2D(centre, rng.uniform(-25, 25), rng.uniform(0.6, 0.95))
        m[:, 2] += rng.uniform(-0.12, 0.12, 2) * s
        moved = apply_pose(m, points * s)
        if moved.min() >= 0.04 * s and moved.max() <= 0.96 * s:
            return m
    return cv2.getRotationMatrix2D(centre, 0.0, 0.6)  # small and centred always fits


def apply_pose(m, points):
    """Points (N, 2) in canvas pixels moved by the 2 x 3 affine matrix ``m``."""
    return np.asarray(points, np.float64) @ np.asarray(m)[:, :2].T + np.asarray(m)[:, 2]


def canvas_to_photo(points, s, size):
    """Canvas pixels (pixel centres at whole numbers) to photo pixels after shrinking s x s to size x size."""
    return (np.asarray(points, np.float64) + 0.5) * (size / s) - 0.5


def light_photo(rng, photo, light):
    """Light a float photo (H, W, 3): 'normal' (exposure, contrast, a tilted light) or 'dim' (dark and grainy);
    then blur and noise. Returns uint8."""
    height, width = photo.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32) / max(height, width) - 0.5
    a = rng.uniform(0, 2 * np.pi)
    tilt = 1 + rng.uniform(0, 0.3) * (np.cos(a) * xx + np.sin(a) * yy)
    if light == "dim":
        photo = photo * (rng.uniform(0.3, 0.45) * tilt)[..., None]
        grain = rng.uniform(5, 9)
    else:
        contrast = rng.uniform(0.8, 1.1)
        photo = photo * (contrast * tilt)[..., None] + (128 * (1 - contrast) + rng.uniform(-20, 20))
        grain = rng.uniform(0, 5)
    sigma = rng.uniform(0, 0.8) * min(height, width) / 64
    if sigma > 0.3:
        photo = cv2.GaussianBlur(np.clip(photo, 0, 255).astype(np.float32), (0, 0), sigma)
    photo = photo + rng.normal(0, grain, photo.shape)
    return np.clip(photo + 0.5, 0, 255).astype(np.uint8)


def posed_dog(dog, rng, s):
    """The dog drawn, shaded and posed on an s x s canvas: (float RGB layer, alpha (s, s, 1) in 0-1,
    landmarks (5, 2) in canvas pixels)."""
    img, mask, points = draw_dog(dog, rng, s)
    m = face_pose(rng, s, points)
    alpha = mask.astype(np.float32) / 255
    layer = cv2.warpAffine(drawing.shade(img.astype(np.float32), alpha, rng, s), m, (s, s),
                           flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    alpha = cv2.warpAffine(alpha, m, (s, s), flags=cv2.INTER_LINEAR)[..., None]
    return layer, alpha, apply_pose(m, points * s)


def draw_face(dog, rng, size=64, light="normal"):
    """One photo of ``dog``: (uint8 RGB (size, size, 3), landmarks (5, 2) float in photo pixels, order LANDMARKS)."""
    if not isinstance(dog, Individual):
        raise TypeError(f"dog must be an Individual (from make_individual), got {type(dog).__name__}")
    rng = validate.rng(rng)
    size = validate.integer("size", size, 32, drawing.MAX_SIZE)
    validate.one_of("light", light, LIGHTS)
    s = 2 * size
    layer, alpha, points = posed_dog(dog, rng, s)
    photo = drawing.background(rng, s)
    photo += (layer - photo) * alpha
    photo = cv2.resize(photo, (size, size), interpolation=cv2.INTER_AREA)
    return light_photo(rng, photo, light), canvas_to_photo(points, s, size)


@dataclass
class FacePhotos:
    """Photos of several individuals: x uint8 (N, size, size, 3), points float32 (N, 5, 2), ids (N,),
    lights (N,) 'normal' or 'dim', groups (N,) 'light coat' or 'dark coat'."""

    x: np.ndarray
    points: np.ndarray
    ids: np.ndarray
    lights: np.ndarray
    groups: np.ndarray

    def __len__(self):
        return len(self.x)

    def subset(self, mask):
        """The photos where ``mask`` (a boolean array or index array) selects them."""
        return FacePhotos(self.x[mask], self.points[mask], self.ids[mask], self.lights[mask], self.groups[mask])


def draw_faces(dogs, per_dog, seed=0, size=64, dim_share=0.0):
    """``per_dog`` photos of each dog, all photos of the first dog first: a ``FacePhotos``.

    A share ``dim_share`` of the photos, chosen at random per photo, is taken in dim light. Each photo has its own
    seed (``seed``, the dog's number, the photo's number), so any photo can be drawn again alone.
    """
    if not isinstance(dogs, (list, tuple)) or not dogs or not all(isinstance(d, Individual) for d in dogs):
        raise TypeError("dogs must be a non-empty list of Individual (from make_individuals)")
    per_dog = validate.positive_int("per_dog", per_dog)
    seed = validate.integer("seed", seed, 0)
    size = validate.integer("size", size, 32, drawing.MAX_SIZE)
    dim_share = float(validate.number("dim_share", dim_share, 0.0, 1.0))
    n = len(dogs) * per_dog
    x, points = np.empty((n, size, size, 3), np.uint8), np.empty((n, len(LANDMARKS), 2), np.float32)
    lights = []
    for i, (dog, k) in enumerate((d, k) for d in dogs for k in range(per_dog)):
        rng = np.random.default_rng([seed, 11, dog.ident, k])
        lights.append("dim" if rng.uniform() < dim_share else "normal")
        x[i], points[i] = draw_face(dog, rng, size, lights[-1])
    return FacePhotos(x, points, np.repeat([d.ident for d in dogs], per_dog), np.array(lights),
                      np.repeat([d.group for d in dogs], per_dog))
