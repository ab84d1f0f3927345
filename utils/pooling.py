"""Pooling and flattening: reference implementations for lesson 05, checked against Keras in the tests."""

import numpy as np

from utils import validate

POOL_MODES = ("max", "avg")


def _feature_map(x):
    """``x`` as a numeric (H, W) or (H, W, C) array (bools as 0/1), without NaN or inf."""
    arr = validate.array(x, "x", (2, 3))
    return arr.astype(np.uint8) if arr.dtype == bool else arr


def pool_output_size(i, size, stride):
    """Windows that fit along one axis of length ``i``: floor((I - size) / stride) + 1 (no padding)."""
    i, size, stride = validate.positive_int("i", i), validate.positive_int("size", size), validate.positive_int("stride", stride)
    if size > i:
        raise ValueError(f"a pooling window of {size} does not fit in an input of {i}: use a smaller pool size")
    return (i - size) // stride + 1


def pool2d(x, size=2, stride=None, mode="max"):
    """Max or average pooling of an (H, W) or (H, W, C) array, channel by channel; windows that do not fit are dropped.

    ``stride`` defaults to ``size`` (non-overlapping windows), as in Keras ``MaxPooling2D``/``AveragePooling2D``.
    """
    validate.one_of("mode", mode, POOL_MODES)
    arr = _feature_map(x)
    ph, pw = validate.int_pair("size", size)
    sh, sw = validate.int_pair("stride", size if stride is None else stride)
    if ph > arr.shape[0] or pw > arr.shape[1]:
        raise ValueError(f"pool window {ph}x{pw} is larger than the input {arr.shape[0]}x{arr.shape[1]}: "
                         "use a smaller size")
    oh, ow = pool_output_size(arr.shape[0], ph, sh), pool_output_size(arr.shape[1], pw, sw)
    windows = np.lib.stride_tricks.sliding_window_view(arr, (ph, pw), axis=(0, 1))
    windows = windows[: (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(-2, -1))


def flatten(x):
    """Unroll one sample of shape (H, W, D) (or any shape) into a vector, row by row, as Keras ``Flatten`` does."""
    if x is None:
        raise TypeError("flatten expects an array, got None")
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError("flatten expects a numeric array; got ragged or non-numeric data (dtype object)")
    if arr.ndim == 0:
        raise ValueError("flatten expects an array with at least one axis, got a single number")
    return arr.reshape(-1)
