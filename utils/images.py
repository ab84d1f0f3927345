"""Image helpers for the lessons: offline sample photos, dtype conversion, PSNR, JPEG, simple edits and noise."""

import math
import numbers

import cv2
import numpy as np

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


def _check_image(img, func, dtypes=None):
    """Raise a clear error unless ``img`` is a 2-D grayscale or (H, W, 3) colour array of an allowed dtype."""
    if img is None:
        raise ValueError(f"{func} got None instead of an image: load one first, e.g. load_sample('astronaut')")
    if not isinstance(img, np.ndarray):
        raise TypeError(f"{func} expects a NumPy array, got {type(img).__name__}; wrap it with np.asarray(...)")
    if not (img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 3)):
        raise ValueError(f"{func} expects a grayscale (H, W) or colour (H, W, 3) image, got shape {img.shape}")
    if img.size == 0:
        raise ValueError(f"{func} got an empty image of shape {img.shape}")
    if dtypes is not None and img.dtype not in dtypes:
        names = " or ".join(np.dtype(d).name for d in dtypes)
        raise TypeError(f"{func} expects dtype {names}, got {img.dtype}; convert with to_uint8(...) or to_float(...)")


def _check_number(value, name, func, low=-math.inf, high=math.inf, integer=False):
    """Raise a clear error unless ``value`` is a real number (an int if asked) in ``[low, high]``."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an int" if integer else "a number"
        raise TypeError(f"{func}: {name} must be {what}, got {type(value).__name__} {value!r}")
    if not (low <= value <= high):  # also rejects NaN
        raise ValueError(f"{func}: {name} must be between {low} and {high}, got {value!r}")


def to_float(img):
    """Convert a uint8 image (0–255) to float32 in [0, 1]; float images must already lie in [0, 1]."""
    _check_image(img, "to_float", dtypes=(np.uint8, np.float32, np.float64))
    if img.dtype == np.uint8:
        return img.astype(np.float32) / 255.0
    if not np.all(np.isfinite(img)) or img.min() < 0 or img.max() > 1:
        raise ValueError(f"to_float: a float image must hold values in [0, 1], got range "
                         f"[{np.nanmin(img):.3g}, {np.nanmax(img):.3g}]; rescale it first (e.g. img / 255)")
    return img.astype(np.float32)


def to_uint8(img):
    """Convert a float image in [0, 1] to uint8 0–255 (rounded, values outside [0, 1] clipped)."""
    _check_image(img, "to_uint8", dtypes=(np.uint8, np.float32, np.float64))
    if img.dtype == np.uint8:
        return img.copy()
    if not np.all(np.isfinite(img)):
        raise ValueError("to_uint8: the image contains NaN or infinite values")
    return np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)


def psnr(reference, test):
    """Peak signal-to-noise ratio in dB between two images of the same shape and dtype (inf if identical)."""
    _check_image(reference, "psnr", dtypes=(np.uint8, np.float32, np.float64))
    _check_image(test, "psnr", dtypes=(np.uint8, np.float32, np.float64))
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
    _check_image(img, "jpeg_roundtrip", dtypes=(np.uint8,))
    _check_number(quality, "quality", "jpeg_roundtrip", 0, 100, integer=True)
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
    _check_image(img, "adjust_brightness_contrast", dtypes=(np.uint8,))
    _check_number(brightness, "brightness", "adjust_brightness_contrast", -255, 255)
    _check_number(contrast, "contrast", "adjust_brightness_contrast", 0, 10)
    out = contrast * (img.astype(np.float32) - 128.0) + 128.0 + brightness
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def add_gaussian_noise(img, sigma, seed=0):
    """Add Gaussian noise with standard deviation ``sigma`` (in 0–255 units) to a uint8 image; clipped uint8."""
    _check_image(img, "add_gaussian_noise", dtypes=(np.uint8,))
    _check_number(sigma, "sigma", "add_gaussian_noise", 0, 255)
    _check_number(seed, "seed", "add_gaussian_noise", 0, integer=True)
    noise = np.random.default_rng(seed).normal(0.0, sigma, img.shape)
    return np.clip(np.rint(img + noise), 0, 255).astype(np.uint8)


def add_salt_pepper(img, amount, seed=0):
    """Set a fraction ``amount`` of pixels to black or white at random (half each); returns a uint8 copy."""
    _check_image(img, "add_salt_pepper", dtypes=(np.uint8,))
    _check_number(amount, "amount", "add_salt_pepper", 0, 1)
    _check_number(seed, "seed", "add_salt_pepper", 0, integer=True)
    rng = np.random.default_rng(seed)
    out = img.copy()
    hit = rng.random(img.shape[:2]) < amount
    values = np.where(rng.random(int(hit.sum())) < 0.5, 0, 255).astype(np.uint8)
    out[hit] = values[:, None] if img.ndim == 3 else values
    return out
