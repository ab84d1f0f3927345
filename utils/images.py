"""Lesson 01's image helpers: offline sample photos, the JPEG round trip and the brightness/contrast edit it teaches.

Conversions, PSNR and noise come from scikit-image (``skimage.util.img_as_float``/``img_as_ubyte``,
``skimage.metrics.peak_signal_noise_ratio``, ``skimage.util.random_noise``), which the lessons call directly.
"""

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


def jpeg_roundtrip(img, quality):
    """Encode an RGB or grayscale uint8 image as JPEG at ``quality`` (0–100), decode it; return ``(decoded, nbytes)``.

    The ``cv2.imencode`` lines lesson 01 shows in section 5.3, plus the decoding."""
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
    """Stretch a uint8 image around mid-grey by ``contrast``, add ``brightness``, clip to 0–255 (uint8).

    Taught in lesson 01 (section 5.1), which checks its own lines against this function."""
    validate.image(img, "adjust_brightness_contrast", dtypes=(np.uint8,))
    validate.number("brightness", brightness, -255, 255)
    validate.number("contrast", contrast, 0, 10)
    out = contrast * (img.astype(np.float32) - 128.0) + 128.0 + brightness
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)
