"""utils.conv against np.convolve, cv2.filter2D and Keras Conv2D, plus properties and clear errors."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.conv import conv1d, conv2d, conv2d_layer, correlate2d, correlate2d_naive, output_size, pad2d

RNG = np.random.default_rng(0)


def filter2d_same(image, kernel):
    """cv2.filter2D with zero borders: a 'same' cross-correlation for odd kernels."""
    return cv2.filter2D(image.astype(np.float64), -1, kernel.astype(np.float64), borderType=cv2.BORDER_CONSTANT)


# ---------- conv1d ----------

@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("n", [1, 2, 5, 8])
@pytest.mark.parametrize("m", [1, 3, 4, 9])
def test_conv1d_equals_np_convolve(n, m, mode):
    x, k = RNG.normal(size=n), RNG.normal(size=m)
    np.testing.assert_allclose(conv1d(x, k, mode), np.convolve(x, k, mode), atol=1e-12)


def test_conv1d_worked_example():
    # flip [1, 0, -1] -> [-1, 0, 1]; slide over [1, 2, 3]
    assert conv1d([1, 2, 3], [1, 0, -1]).tolist() == [1, 2, 2, -2, -3]


def test_conv1d_is_commutative_and_flips_kernel():
    x, k = [0, 0, 1, 0, 0], [1, 2, 3]
    assert conv1d(x, k, "same").tolist() == [0, 1, 2, 3, 0]  # an impulse copies the kernel, unflipped
    np.testing.assert_allclose(conv1d(k, x), conv1d(x, k))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=30),
       st.lists(st.floats(-100, 100), min_size=1, max_size=10),
       st.sampled_from(["full", "same", "valid"]))
def test_conv1d_property_matches_numpy(x, k, mode):
    np.testing.assert_allclose(conv1d(x, k, mode), np.convolve(x, k, mode), rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("x, k, mode, err, match", [
    (None, [1], "full", TypeError, "x is None"),
    ([1, 2], None, "full", TypeError, "k is None"),
    (["a", "b"], [1], "full", TypeError, "dtype"),
    ([[1, 2]], [1], "full", ValueError, "expected a 1-D"),
    ([], [1], "full", ValueError, "empty"),
    ([1, np.nan], [1], "full", ValueError, "NaN or infinite"),
    ([1, 2], [np.inf], "full", ValueError, "NaN or infinite"),
    ([1, 2], [1], "middle", ValueError, "mode must be one of"),
])
def test_conv1d_errors(x, k, mode, err, match):
    with pytest.raises(err, match=match):
        conv1d(x, k, mode)


# ---------- pad2d and output_size ----------

def test_pad2d_gray_and_colour():
    img = np.ones((2, 3))
    padded = pad2d(img, 1)
    assert padded.shape == (4, 5) and padded.sum() == 6 and padded[0].sum() == 0
    assert pad2d(np.ones((2, 3, 3)), 2).shape == (6, 7, 3)
    np.testing.assert_array_equal(pad2d(img, 0), img)


@pytest.mark.parametrize("image, p, err, match", [
    (np.ones((2, 2)), -1, ValueError, "padding must be at least 0"),
    (np.ones((2, 2)), 1.5, TypeError, "padding must be an int"),
    (np.ones(4), 1, ValueError, "expected a 2-D or 3-D"),
    (None, 1, TypeError, "image is None"),
])
def test_pad2d_errors(image, p, err, match):
    with pytest.raises(err, match=match):
        pad2d(image, p)


@pytest.mark.parametrize("i, f, p, s, expected", [
    (5, 3, 0, 1, 3), (5, 3, 1, 1, 5), (7, 3, 0, 2, 3), (8, 3, 1, 2, 4), (32, 5, 2, 1, 32), (4, 4, 0, 1, 1),
])
def test_output_size(i, f, p, s, expected):
    assert output_size(i, f, p, s) == expected


@pytest.mark.parametrize("args, err, match", [
    ((5, 3, 0, 0), ValueError, "stride must be a positive int"),
    ((5, 3, 0, -2), ValueError, "stride must be a positive int"),
    ((5, 3, -1, 1), ValueError, "padding must be at least 0"),
    ((3, 5, 0, 1), ValueError, "larger than the padded input"),
    ((5.0, 3, 0, 1), TypeError, "must be an int"),
    ((5, 3, 0, True), TypeError, "must be an int"),
])
def test_output_size_errors(args, err, match):
    with pytest.raises(err, match=match):
        output_size(*args)


def test_output_size_matches_correlate2d():
    for i, f, p, s in [(9, 3, 0, 1), (9, 3, 1, 2), (10, 5, 2, 3), (6, 1, 0, 2)]:
        out = correlate2d(np.ones((i, i)), np.ones((f, f)), stride=s, padding=p)
        assert out.shape == (output_size(i, f, p, s),) * 2


# ---------- correlate2d / conv2d ----------

def test_correlate2d_hand_example():
    image = np.arange(16).reshape(4, 4)
    kernel = np.array([[1, 0], [0, -1]])
    # every 2x2 window: top-left minus bottom-right = -5
    np.testing.assert_array_equal(correlate2d(image, kernel), np.full((3, 3), -5.0))
    # convolution flips the kernel: bottom-right minus top-left = +5
    np.testing.assert_array_equal(conv2d(image, kernel), np.full((3, 3), 5.0))


@pytest.mark.parametrize("shape", [(7, 7), (12, 9), (1, 1), (5, 30)])
@pytest.mark.parametrize("f", [1, 3, 5])
def test_correlate2d_same_equals_cv2_filter2d(shape, f):
    img, k = RNG.normal(size=shape), RNG.normal(size=(f, f))
    np.testing.assert_allclose(correlate2d(img, k, padding="same"), filter2d_same(img, k), atol=1e-9)


def test_conv2d_equals_filter2d_with_flipped_kernel():
    img, k = RNG.normal(size=(10, 11)), RNG.normal(size=(3, 3))
    np.testing.assert_allclose(conv2d(img, k, padding="same"), filter2d_same(img, k[::-1, ::-1]), atol=1e-9)
    assert not np.allclose(conv2d(img, k, padding="same"), filter2d_same(img, k))


def test_float32_stays_float32_and_matches():
    img, k = RNG.normal(size=(64, 64)).astype(np.float32), RNG.normal(size=(3, 3)).astype(np.float32)
    out = correlate2d(img, k, padding="same")
    assert out.dtype == np.float32
    expected = cv2.filter2D(img, -1, k, borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_uint8_image_is_converted_to_float():
    img = np.full((4, 4), 200, dtype=np.uint8)
    out = correlate2d(img, np.ones((3, 3), dtype=np.uint8))
    assert out.dtype.kind == "f" and np.all(out == 1800)  # no uint8 overflow


def test_correlate2d_multichannel_sums_channels():
    img, k = RNG.normal(size=(8, 9, 3)), RNG.normal(size=(3, 3, 3))
    per_channel = sum(filter2d_same(img[..., c], k[..., c]) for c in range(3))
    np.testing.assert_allclose(correlate2d(img, k, padding="same"), per_channel, atol=1e-9)


def test_non_square_kernel_supported():
    img, k = RNG.normal(size=(6, 8)), RNG.normal(size=(1, 3))
    out = correlate2d(img, k, padding="same")
    np.testing.assert_allclose(out, filter2d_same(img, k), atol=1e-9)
    assert correlate2d(img, k).shape == (6, 6)


def test_integer_padding_and_stride():
    img, k = RNG.normal(size=(9, 9)), RNG.normal(size=(3, 3))
    full = correlate2d(img, k, padding=1)
    np.testing.assert_allclose(full, correlate2d(img, k, padding="same"))
    np.testing.assert_allclose(correlate2d(img, k, stride=2, padding=1), full[::2, ::2])


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 12), w=st.integers(1, 12), c=st.integers(0, 3), f=st.sampled_from([1, 3, 5]),
       stride=st.integers(1, 3), padding=st.sampled_from(["valid", "same", 0, 1, 2]), seed=st.integers(0, 2**16))
def test_vectorised_equals_naive_and_flip(h, w, c, f, stride, padding, seed):
    rng = np.random.default_rng(seed)
    shape = (h, w) if c == 0 else (h, w, c)
    img = rng.normal(size=shape)
    k = rng.normal(size=(f, f) + shape[2:])
    try:
        fast = correlate2d(img, k, stride=stride, padding=padding)
    except ValueError as err:
        assert "larger than" in str(err)
        return
    np.testing.assert_allclose(fast, correlate2d_naive(img, k, stride=stride, padding=padding), atol=1e-9)
    np.testing.assert_allclose(conv2d(img, k, stride=stride, padding=padding),
                               correlate2d(img, k[::-1, ::-1], stride=stride, padding=padding), atol=1e-12)
    if padding == "same":
        assert fast.shape == (-(-h // stride), -(-w // stride))


@pytest.mark.parametrize("func", [correlate2d, conv2d, correlate2d_naive])
@pytest.mark.parametrize("image, kernel, kwargs, err, match", [
    (np.ones((5, 5)), np.ones((3, 3)), {"stride": 0}, ValueError, "stride must be a positive int"),
    (np.ones((5, 5)), np.ones((3, 3)), {"stride": 1.0}, TypeError, "stride must be an int"),
    (np.ones((5, 5)), np.ones((3, 3)), {"padding": -1}, ValueError, "padding must be at least 0"),
    (np.ones((5, 5)), np.ones((3, 3)), {"padding": "full"}, ValueError, "'valid', 'same' or an int"),
    (np.ones((2, 2)), np.ones((3, 3)), {}, ValueError, "larger than the"),
    (np.ones((5, 5)), np.ones((2, 2)), {"padding": "same"}, ValueError, "odd kernel"),
    (np.ones((5, 5, 3)), np.ones((3, 3, 2)), {}, ValueError, "channels"),
    (np.ones((5, 5, 3)), np.ones((3, 3)), {}, ValueError, "do not match"),
    (np.ones((5, 5)), np.ones((3, 3, 3)), {}, ValueError, "do not match"),
    (np.full((5, 5), np.nan), np.ones((3, 3)), {}, ValueError, "NaN or infinite"),
    (np.ones((5, 5)), np.full((3, 3), np.inf), {}, ValueError, "NaN or infinite"),
    (np.ones(5), np.ones((3, 3)), {}, ValueError, "expected a 2-D or 3-D"),
    (np.ones((2, 5, 5, 3)), np.ones((3, 3)), {}, ValueError, "expected a 2-D or 3-D"),
    (None, np.ones((3, 3)), {}, TypeError, "image is None"),
    (np.ones((5, 5)), None, {}, TypeError, "kernel is None"),
    (np.array([["a"] * 5] * 5), np.ones((3, 3)), {}, TypeError, "dtype"),
    (np.ones((5, 5)), np.ones((3, 3), dtype=complex), {}, TypeError, "dtype"),
])
def test_correlate2d_errors(func, image, kernel, kwargs, err, match):
    with pytest.raises(err, match=match):
        func(image, kernel, **kwargs)


# ---------- conv2d_layer ----------

def test_conv2d_layer_is_a_stack_of_correlations_plus_bias():
    x, w, b = RNG.normal(size=(7, 6, 3)), RNG.normal(size=(3, 3, 3, 4)), RNG.normal(size=4)
    out = conv2d_layer(x, w, b, padding="same")
    assert out.shape == (7, 6, 4)
    for j in range(4):
        np.testing.assert_allclose(out[..., j], correlate2d(x, w[..., j], padding="same") + b[j], atol=1e-12)


@pytest.fixture(scope="module")
def keras():
    from utils.notebook import setup

    return setup(keras=True)


@pytest.mark.parametrize("shape, f, k, stride, padding", [
    ((9, 9, 3), 3, 4, 1, "valid"),
    ((9, 8, 3), 3, 2, 1, "same"),
    ((8, 8, 1), 3, 3, 2, "same"),    # even input, stride 2: Keras pads more at the bottom/right
    ((11, 10, 2), 5, 2, 3, "same"),
    ((10, 10, 2), 5, 2, 2, "valid"),
    ((6, 7, 1), 1, 1, 1, "valid"),
])
def test_conv2d_layer_equals_keras_conv2d(keras, shape, f, k, stride, padding):
    x = RNG.normal(size=shape).astype(np.float32)
    w = RNG.normal(size=(f, f, shape[2], k)).astype(np.float32)
    b = RNG.normal(size=k).astype(np.float32)
    layer = keras.layers.Conv2D(k, f, strides=stride, padding=padding)
    layer.build((None,) + shape)
    layer.set_weights([w, b])
    expected = keras.ops.convert_to_numpy(layer(x[None]))[0]
    np.testing.assert_allclose(conv2d_layer(x, w, b, stride=stride, padding=padding), expected, atol=1e-4)


@pytest.mark.parametrize("x, w, b, err, match", [
    (np.ones((5, 5)), np.ones((3, 3, 1, 2)), None, ValueError, r"expects \(H, W, C\)"),
    (np.ones((5, 5, 3)), np.ones((3, 3, 2, 2)), None, ValueError, "input channels"),
    (np.ones((5, 5, 3)), np.ones((3, 3, 3)), None, ValueError, "expected a 4-D"),
    (np.ones((5, 5, 3)), np.ones((3, 3, 3, 2)), np.ones(3), ValueError, "one bias per kernel"),
    (np.ones((5, 5, 3)), np.ones((3, 3, 3, 2)), "b", TypeError, "dtype"),
    (np.ones((2, 2, 3)), np.ones((3, 3, 3, 2)), None, ValueError, "larger than the"),
    (None, np.ones((3, 3, 3, 2)), None, TypeError, "image is None"),
])
def test_conv2d_layer_errors(x, w, b, err, match):
    with pytest.raises(err, match=match):
        conv2d_layer(x, w, b)
