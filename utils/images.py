"""Image helpers for the lessons: offline sample photos, dtype conversion, PSNR, JPEG, simple edits and noise."""

import math

import cv2
import numpy as np

from utils import validate

# Photos that ship inside the scikit-image wheel (no download needed). "horse" is a binary silhouette.
SAMPLES = (
    "astronaut", "brick", "camera", "cat", "chelsea", "clock", "coffee", "coins", "colorwheel", "grass",
    "gravel", "horse", "hubble_deep_field", "immunohistochemistry", "moon", "page", "retina", "rocket", "text",
)


def load_sample(name):
    """Return a sample photo from ``skimage.data`` by name (a fresh copy; RGB or grayscale uint8, ``horse`` bool)."""
    if not isinstance(name, str):
        raise TypeError(f"load_sample expects a sample name as a string, got {type(name).__name__}; "
                        f"choose one of: {', '.join(SAMPLES)}")
    if name not in SAMPLES:
        raise ValueError(f"unknown sample {name!r}: choose one of: {', '.join(SAMPLES)}")
    import skimage.data

    return np.array(getattr(skimage.data, name)(), copy=True)


def to_float(img):
    """Convert a uint8 image (0–255) to float32 in [0, 1]; float images must already lie in [0, 1]."""
    validate.image(img, "to_float", dtypes=(np.uint8, np.float32, np.float64))
    if img.dtype == np.uint8:
        return img.astype(np.float32) / 255.0
    if not np.all(np.isfinite(img)) or img.min() < 0 or img.max() > 1:
        raise ValueError(f"to_float: a float image must hold values in [0, 1], got range "
                         f"[{np.nanmin(img):.3g}, {np.nanmax(img):.3g}]; rescale it first (e.g. img / 255)")
    return img.astype(np.float32)


def to_uint8(img):
    """Convert a float image in [0, 1] to uint8 0–255 (rounded, values outside [0, 1] clipped)."""
    validate.image(img, "to_uint8", dtypes=(np.uint8, np.float32, np.float64))
    if img.dtype == np.uint8:
        return img.copy()
    if not np.all(np.isfinite(img)):
        raise ValueError("to_uint8: the image contains NaN or infinite values")
    return np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)


def psnr(reference, test):
    """Peak signal-to-noise ratio in dB between two images of the same shape and dtype (inf if identical)."""
    validate.image(reference, "psnr", dtypes=(np.uint8, np.float32, np.float64))
    validate.image(test, "psnr", dtypes=(np.uint8, np.float32, np.float64))
    if reference.shape != test.shape:
        raise ValueError(f"psnr needs two images of the same shape, got {reference.shape} and {test.shape}")
    if reference.dtype != test.dtype:
        raise TypeError(f"psnr needs two images of the same dtype, got {reference.dtype} and {test.dtype}; "
                        "convert both with to_uint8(...) or to_float(...)")
    peak = 255.0 if reference.dtype == np.uint8 else 1.0
    mse = np.mean((reference.astype(np.float64) - test.astype(np.float64)) ** 2)
    if mse == 0:
        return math.inf
    return float(10 * np.log10(peak**2 / mse))


def jpeg_roundtrip(img, quality):
    """Encode an RGB or grayscale uint8 image as JPEG at ``quality`` (0–100), decode it; return ``(decoded, nbytes)``."""
    validate.image(img, "jpeg_roundtrip", dtypes=(np.uint8,))
    validate.integer("quality", quality, 0, 100)
    bgr = cv2.cvtColor(img, cv2.COLOR_RGB2BGR) if img.ndim == 3 else img
    ok, buffer = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 image
        raise RuntimeError("OpenCV could not encode the image as JPEG")
    flag = cv2.IMREAD_COLOR if img.ndim == 3 else cv2.IMREAD_GRAYSCALE
    decoded = cv2.imdecode(buffer, flag)
    if img.ndim == 3:
        decoded = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
    return decoded, int(buffer.size)


def adjust_brightness_contrast(img, brightness=0, contrast=1.0):
    """Stretch a uint8 image around mid-grey by ``contrast``, add ``brightness``, clip to 0–255 (uint8)."""
    validate.image(img, "adjust_brightness_contrast", dtypes=(np.uint8,))
    validate.number("brightness", brightness, -255, 255)
    validate.number("contrast", contrast, 0, 10)
    out = contrast * (img.astype(np.float32) - 128.0) + 128.0 + brightness
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def add_gaussian_noise(img, sigma, seed=0):
    """Add Gaussian noise with standard deviation ``sigma`` (in 0–255 units) to a uint8 image; clipped uint8."""
    validate.image(img, "add_gaussian_noise", dtypes=(np.uint8,))
    validate.number("sigma", sigma, 0, 255)
    validate.integer("seed", seed, 0)
    noise = np.random.default_rng(seed).normal(0.0, sigma, img.shape)
    return np.clip(np.rint(img + noise), 0, 255).astype(np.uint8)


def add_salt_pepper(img, amount, seed=0):
    """Set a fraction ``amount`` of pixels to black or white at random (half each); returns a uint8 copy."""
    validate.image(img, "add_salt_pepper", dtypes=(np.uint8,))
    validate.number("amount", amount, 0, 1)
    validate.integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    out = img.copy()
    hit = rng.random(img.shape[:2]) < amount
    values = np.where(rng.random(int(hit.sum())) < 0.5, 0, 255).astype(np.uint8)
    out[hit] = values[:, None] if img.ndim == 3 else values
    return out
