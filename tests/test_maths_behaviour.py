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


# ------------------------------------------------------------------------------------------------ conv
def loops(image, kernel, stride, pads):
    """Cross-correlation written out with loops, independent of utils.conv: zero-pad, slide, multiply, sum."""
    (top, bottom), (left, right) = pads
    x = np.pad(image, [(top, bottom), (left, right)] + [(0, 0)] * (image.ndim - 2))
    fh, fw = kernel.shape[:2]
    rows, cols = (x.shape[0] - fh) // stride + 1, (x.shape[1] - fw) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = np.sum(x[i * stride:i * stride + fh, j * stride:j * stride + fw] * kernel)
    return out


def keras_same_pads(size, f, stride):
    """Keras/TensorFlow 'same': ceil(size / stride) outputs, the extra zero (if odd) at the end."""
    total = max((-(-size // stride) - 1) * stride + f - size, 0)
    return total // 2, total - total // 2


def test_correlate2d_equals_loops_on_every_small_case():
    """Every image up to 6×7, odd and even kernels up to 4 wide, strides 1-3, paddings 0-2 and 'same'."""
    rng = np.random.default_rng(0)
    checked = 0
    for h in range(1, 7):
        for w in (1, 2, 5, 7):
            image = rng.integers(-9, 10, size=(h, w, 2)).astype(float)
            for fh, fw in [(1, 1), (1, 3), (3, 1), (2, 2), (3, 3), (4, 3)]:
                kernel = rng.integers(-3, 4, size=(fh, fw, 2)).astype(float)
                for stride in (1, 2, 3):
                    for padding in (0, 1, 2, "same"):
                        if padding == "same":
                            if fh % 2 == 0 or fw % 2 == 0:
                                continue
                            pads = (keras_same_pads(h, fh, stride), keras_same_pads(w, fw, stride))
                        else:
                            pads = ((padding, padding), (padding, padding))
                        if fh > h + sum(pads[0]) or fw > w + sum(pads[1]):
                            continue
                        want = loops(image, kernel, stride, pads)
                        got = conv.correlate2d(image, kernel, stride=stride, padding=padding)
                        assert np.array_equal(got, want), (h, w, fh, fw, stride, padding)
                        naive = conv.correlate2d_naive(image, kernel, stride=stride, padding=padding)
                        assert np.array_equal(naive, want), ("naive", h, w, fh, fw, stride, padding)
                        checked += 1
    assert checked > 900


def test_output_size_defaults_to_no_padding_and_stride_1():
    assert conv.output_size(5, 3) == 3 and conv.output_size(1, 1) == 1


@pytest.mark.parametrize(("args", "expected"), [((3, 5, 1), 1), ((1, 3, 1), 1), ((2, 4, 1, 2), 1)])
def test_output_size_where_the_padded_input_just_fits_the_kernel(args, expected):
    assert conv.output_size(*args) == expected


@pytest.mark.parametrize(("args", "error", "message"), [
    ((0, 1), ValueError, "input size i must be a positive int (at least 1), got 0"),
    ((5, 0), ValueError, "kernel size f must be a positive int (at least 1), got 0"),
    ((5.0, 3), TypeError, "input size i must be an int, got float 5.0"),
    ((5, 3.0), TypeError, "kernel size f must be an int, got float 3.0"),
    ((3, 6, 1), ValueError, "kernel size 6 is larger than the padded input 3 + 2*1 = 5: "
                            "use a smaller kernel or more padding"),
    ((2, 7, 2), ValueError, "kernel size 7 is larger than the padded input 2 + 2*2 = 6: "
                            "use a smaller kernel or more padding"),
])
def test_output_size_errors_say_which_argument(args, error, message):
    with pytest.raises(error, match=exact(message)):
        conv.output_size(*args)


def test_naive_defaults_and_dtype_match_the_vectorised_version():
    rng = np.random.default_rng(1)
    image, kernel = rng.normal(size=(7, 6)).astype(np.float32), rng.normal(size=(3, 3)).astype(np.float32)
    naive, fast = conv.correlate2d_naive(image, kernel), conv.correlate2d(image, kernel)
    assert naive.shape == fast.shape == (5, 4)
    assert naive.dtype == fast.dtype == np.float32
    assert np.allclose(naive, fast, atol=1e-5)


def test_conv2d_layer_without_bias_adds_nothing():
    rng = np.random.default_rng(2)
    x, k = rng.normal(size=(5, 5, 2)), rng.normal(size=(3, 3, 2, 4))
    assert np.array_equal(conv.conv2d_layer(x, k), conv.conv2d_layer(x, k, bias=np.zeros(4)))
    assert conv.conv2d_layer(x, k).shape == (3, 3, 4)


def test_conv2d_layer_adds_the_bias_in_the_layer_dtype():
    rng = np.random.default_rng(3)
    x, k = rng.normal(size=(9, 9, 3)).astype(np.float32), rng.normal(size=(3, 3, 3, 2)).astype(np.float32)
    bias = np.array([0.1, 1 / 3])                       # float64 numbers that float32 cannot hold exactly
    out = conv.conv2d_layer(x, k, bias)
    assert out.dtype == np.float32
    assert np.array_equal(out, conv.conv2d_layer(x, k) + bias.astype(np.float32))


def test_conv2d_layer_names_a_bias_of_the_wrong_shape():
    with pytest.raises(ValueError, match=exact("bias has shape (1, 2) (2-D): expected a 1-D array (drop the batch axis: x[0])")):
        conv.conv2d_layer(np.ones((4, 4, 1)), np.ones((3, 3, 1, 2)), bias=np.ones((1, 2)))
