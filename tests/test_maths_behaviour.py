"""What mutation testing (``benchmarks/mutation.py``) found unguarded in the maths modules, pinned by behaviour.

Each test states a result a student or a lesson relies on: a value worked out by hand, a library's answer, or the
exact message of an error (the message is what a student reads, so it is checked whole, not by a fragment).
"""

import re

import numpy as np
import pytest

from utils import conv, evaluation, params, pooling


def exact(message):
    """A ``pytest.raises(match=...)`` pattern for exactly this message."""
    return f"^{re.escape(message)}$"


# ------------------------------------------------------------------------------------------------ pooling
def test_pooling_bools_counts_them_as_0_and_1():
    mask = np.array([[True, False, False, False], [False, False, True, True]])
    as_ints = mask.astype(np.uint8)
    for mode in ("max", "avg"):
        got = pooling.pool2d(mask, 2, mode=mode)
        assert got.dtype == pooling.pool2d(as_ints, 2, mode=mode).dtype
        assert np.array_equal(got, pooling.pool2d(as_ints, 2, mode=mode))
    assert np.array_equal(pooling.pool2d(mask, 2, mode="avg"), [[0.25, 0.5]])


@pytest.mark.parametrize(("shape", "size", "message"), [
    ((2, 5), (3, 1), "pool window 3x1 is larger than the input 2x5: use a smaller size"),
    ((5, 2), (1, 3), "pool window 1x3 is larger than the input 5x2: use a smaller size"),
    ((4, 6), 7, "pool window 7x7 is larger than the input 4x6: use a smaller size"),
])
def test_pool_window_larger_than_the_input_in_either_direction(shape, size, message):
    with pytest.raises(ValueError, match=exact(message)):
        pooling.pool2d(np.ones(shape), size)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": 0}, "size must be an int or a pair of ints (rows, cols), each a positive int (at least 1); got 0"),
    ({"size": 2, "stride": (1, 0)},
     "stride must be an int or a pair of ints (rows, cols), each a positive int (at least 1); got (1, 0)"),
])
def test_pool2d_names_the_bad_argument(kwargs, message):
    with pytest.raises(ValueError, match=exact(message)):
        pooling.pool2d(np.ones((4, 4)), **kwargs)


@pytest.mark.parametrize(("args", "message"), [
    ((0, 2, 2), "i must be a positive int (at least 1), got 0"),
    ((4, 0, 2), "size must be a positive int (at least 1), got 0"),
    ((4, 2, 0), "stride must be a positive int (at least 1), got 0"),
    ((3, 4, 1), "a pooling window of 4 does not fit in an input of 3: use a smaller pool size"),
])
def test_pool_output_size_names_the_bad_argument(args, message):
    with pytest.raises(ValueError, match=exact(message)):
        pooling.pool_output_size(*args)


@pytest.mark.parametrize(("x", "error", "message"), [
    (None, TypeError, "flatten expects an array, got None"),
    ([[1, 2], [3]], TypeError, "flatten expects a numeric array; got ragged or non-numeric data (dtype object)"),
    (3.0, ValueError, "flatten expects an array with at least one axis, got a single number"),
])
def test_flatten_bad_inputs_say_what_is_wrong(x, error, message):
    if x is not None and not np.isscalar(x):
        x = np.array(x, dtype=object)
    with pytest.raises(error, match=exact(message)):
        pooling.flatten(x)


def test_flatten_is_one_long_vector():
    x = np.arange(24).reshape(2, 3, 4)
    assert pooling.flatten(x).shape == (24,) and np.array_equal(pooling.flatten(x), np.arange(24))
