"""Checks of function arguments, shared by every module: each returns the clean value or raises a clear error.

A wrong type raises ``TypeError``, a value out of range ``ValueError``; every message names the argument, says
what was expected and what was given, so a student can fix the call.
"""

import math
import numbers
import os

import numpy as np


def is_int(value):
    """True for a Python or NumPy integer (not a bool)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _range_words(low, high):
    """'between 1 and 4', 'a positive int (at least 1)', 'at least 0' or 'at most 9'."""
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return "a positive int (at least 1)" if low == 1 else f"at least {low}"
    return f"at most {high}"


def integer(name, value, low=None, high=None):
    """``value`` as an int (Python or NumPy integer, not a bool) within ``[low, high]``."""
    if not is_int(value):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_range_words(low, high)}, got {value!r}")
    return int(value)


def positive_int(name, value):
    """``value`` as an int >= 1."""
    return integer(name, value, 1)


def positive_ints(name, values):
    """A non-empty sequence of positive ints, returned as a tuple, e.g. filters (16, 32, 64)."""
    try:
        values = tuple(values)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of positive ints, e.g. (16, 32, 64); got {values!r}") from None
    if not values or not all(is_int(v) and v > 0 for v in values):
        raise ValueError(f"{name} must be a non-empty sequence of positive ints, e.g. (16, 32, 64); got {values!r}")
    return tuple(int(v) for v in values)


def int_pair(name, value, low=1, high=None):
    """(rows, cols) from an int or a pair of ints, each within ``[low, high]``."""
    pair = value if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(is_int(v) for v in pair):
        raise TypeError(f"{name} must be an int or a pair of ints (rows, cols), got {value!r}")
    if min(pair) < low or (high is not None and max(pair) > high):
        raise ValueError(f"{name} must be an int or a pair of ints (rows, cols), each {_range_words(low, high)}; "
                         f"got {value!r}")
    return int(pair[0]), int(pair[1])


def number(name, value, low=-math.inf, high=math.inf):
    """``value`` as a real number (not a bool) within ``[low, high]``; NaN is rejected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not low <= value <= high:  # also rejects NaN
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return value


def one_of(name, value, options):
    """``value`` if it is one of ``options``."""
    if value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}, got {value!r}")
    return value


def rng(value):
    """``value`` if it is a NumPy random Generator."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(value).__name__}")
    return value


def path(name, value):
    """``value`` as a ``Path`` if it is a str or path-like (nothing is read from disk)."""
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__}")
    return Path(value)


def array(value, name, ndims, hint=""):
    """``value`` as a non-empty numeric array (bool, int or float, no NaN or inf) with one of ``ndims`` axes."""
    if value is None:
        raise TypeError(f"{name} is None: pass a NumPy array (or nested list) of numbers")
    try:
        arr = np.asarray(value)
    except Exception as err:  # noqa: BLE001 - ragged lists and odd objects get one clear message
        raise TypeError(f"{name} could not be turned into a numeric array ({err}): "
                        "pass a rectangular array of numbers") from err
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} has dtype {arr.dtype}: expected numbers (bool, int or float); "
                        "convert it with .astype(float)")
    if arr.ndim not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        batch = " (drop the batch axis: x[0])" if arr.ndim == max(ndims) + 1 else ""
        raise ValueError(f"{name} has shape {arr.shape} ({arr.ndim}-D): expected a {wanted} array{batch}"
                         + (f"; {hint}" if hint else ""))
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}): it needs at least one value")
    # one cheap sum first; the element-wise test only runs when it is not finite (NaN, inf or overflow). Not a
    # BLAS call such as np.vdot: multi-threaded BLAS took 11 ms instead of 0.01 ms on a busy 2-core machine.
    if arr.dtype.kind == "f" and not np.isfinite(np.add.reduce(arr, axis=None)) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values: clean or clip them first")
    return arr


def image(img, func, dtypes=None):
    """``img`` if it is a non-empty 2-D grayscale or (H, W, 3) colour NumPy array of one of ``dtypes``."""
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
        raise TypeError(f"{func} expects dtype {names}, got {img.dtype}; convert it with "
                        "skimage.util.img_as_ubyte(...) or img_as_float(...)")
    return img


def rgb_image(value, name="image"):
    """``value`` as one RGB image array of shape (H, W, 3)."""
    img = np.asarray(value)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"{name} must be one RGB image of shape (height, width, 3), got shape {img.shape}")
    return img
