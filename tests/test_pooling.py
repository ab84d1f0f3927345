"""Tests for utils.pooling: pooling and flattening against Keras layers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.notebook import setup_keras
from utils.pooling import flatten, pool2d, pool_output_size

keras = setup_keras()

keras = setup_keras()


def keras_pool(x, size, stride, mode):
    """Pool one (H, W, C) array with the Keras layer."""
    layer_cls = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    layer = layer_cls(pool_size=size, strides=stride, padding="valid")
    return keras.ops.convert_to_numpy(layer(x[None].astype("float32")))[0]


@st.composite
def pooling_cases(draw):
    """A random feature map with a pool size and stride that fit it."""
    size = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 4))
    h = draw(st.integers(size, 11))
    w = draw(st.integers(size, 11))
    c = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**16))
    x = np.random.default_rng(seed).normal(size=(h, w, c)).astype("float32")
    return x, size, stride


@settings(max_examples=40, deadline=None)
@given(pooling_cases(), st.sampled_from(["max", "avg"]))
def test_pool2d_matches_keras(case, mode):
    x, size, stride = case
    ours = pool2d(x, size=size, stride=stride, mode=mode)
    assert ours.shape == keras_pool(x, size, stride, mode).shape
    np.testing.assert_allclose(ours, keras_pool(x, size, stride, mode), rtol=1e-5, atol=1e-6)


def test_pool2d_rectangular_window_matches_keras():
    x = np.random.default_rng(0).normal(size=(9, 10, 2)).astype("float32")
    np.testing.assert_allclose(pool2d(x, size=(2, 3), stride=(1, 2)), keras_pool(x, (2, 3), (1, 2), "max"))


def test_pool2d_small_example_by_hand():
    x = np.array([[1, 2, 5, 6],
                  [3, 4, 7, 8],
                  [0, 0, 1, 1],
                  [0, 9, 1, 3]])
    np.testing.assert_array_equal(pool2d(x), [[4, 8], [9, 3]])
    np.testing.assert_allclose(pool2d(x, mode="avg"), [[2.5, 6.5], [2.25, 1.5]])


def test_pool2d_default_stride_equals_size_and_drops_leftovers():
    x = np.arange(7 * 7).reshape(7, 7)
    assert pool2d(x, size=2).shape == (3, 3)
    assert pool2d(x, size=3).shape == (2, 2)
    assert pool2d(x, size=3, stride=1).shape == (5, 5)
    assert pool2d(x, size=2)[0, 0] == 8


def test_pool2d_keeps_channels_apart():
    x = np.stack([np.ones((4, 4)), 2 * np.ones((4, 4))], axis=-1)
    out = pool2d(x)
    assert out.shape == (2, 2, 2)
    np.testing.assert_array_equal(out[..., 0], 1)
    np.testing.assert_array_equal(out[..., 1], 2)


def test_pool2d_bool_input_works():
    x = np.zeros((4, 4), dtype=bool)
    x[0, 0] = True
    np.testing.assert_array_equal(pool2d(x), [[1, 0], [0, 0]])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"size": 0}, ValueError, "at least 1"),
        ({"stride": 0}, ValueError, "at least 1"),
        ({"size": 5}, ValueError, "larger than the input"),
        ({"size": 2.0}, TypeError, "int or a pair"),
        ({"size": (2, 2, 2)}, TypeError, "int or a pair"),
        ({"mode": "min"}, ValueError, "mode must be one of"),
    ],
)
def test_pool2d_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        pool2d(np.zeros((4, 4)), **kwargs)


@pytest.mark.parametrize(
    "x, error, match",
    [
        (None, TypeError, "x is None"),
        (np.zeros(4), ValueError, "expected a 2-D or 3-D array"),
        (np.zeros((1, 4, 4, 1)), ValueError, "drop the batch axis"),
        (np.array([["a", "b"], ["c", "d"]]), TypeError, "expected numbers"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), ValueError, "NaN"),
    ],
)
def test_pool2d_bad_inputs(x, error, match):
    with pytest.raises(error, match=match):
        pool2d(x)


def test_pool_output_size():
    assert pool_output_size(64, 2, 2) == 32
    assert pool_output_size(7, 2, 2) == 3
    assert pool_output_size(5, 3, 1) == 3
    with pytest.raises(ValueError, match="does not fit"):
        pool_output_size(2, 3, 1)
    with pytest.raises(ValueError, match="positive int"):
        pool_output_size(4, 2, 0)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 4))
def test_flatten_matches_keras(h, w, d):
    x = np.arange(h * w * d, dtype="float32").reshape(h, w, d)
    expected = keras.ops.convert_to_numpy(keras.layers.Flatten()(x[None]))[0]
    np.testing.assert_array_equal(flatten(x), expected)


def test_flatten_order_is_row_by_row_channels_fastest():
    x = np.arange(8).reshape(2, 2, 2)
    np.testing.assert_array_equal(flatten(x), np.arange(8))
    assert flatten(x)[1] == x[0, 0, 1]


@pytest.mark.parametrize(
    "x, error, match",
    [(None, TypeError, "got None"), (3.0, ValueError, "single number"), (np.array([[1], [2, 3]], dtype=object), TypeError, "dtype object")],
)
def test_flatten_bad_inputs(x, error, match):
    with pytest.raises(error, match=match):
        flatten(x)
