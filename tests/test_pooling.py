"""Tests for utils.pooling: pooling and flattening against Keras layers, parameter counts against count_params()."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.notebook import setup_keras
from utils.pooling import (
    conv_params,
    dense_params,
    flatten,
    format_table,
    keras_layer_specs,
    parameter_table,
    pool2d,
    pool_output_size,
)

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
        (None, TypeError, "got None"),
        (np.zeros(4), ValueError, r"\(H, W\) or \(H, W, C\)"),
        (np.zeros((1, 4, 4, 1)), ValueError, "drop the batch axis"),
        (np.array([["a", "b"], ["c", "d"]]), TypeError, "numeric"),
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


@pytest.mark.parametrize("f, c, k", [(3, 3, 16), (3, 16, 32), (5, 1, 6), (1, 64, 8), (7, 3, 64)])
def test_conv_params_matches_keras(f, c, k):
    layer = keras.layers.Conv2D(k, f)
    layer.build((None, 32, 32, c))
    assert conv_params(f, c, k) == layer.count_params()


@pytest.mark.parametrize("n_in, n_out", [(6272, 64), (64, 1), (784, 10), (1, 1)])
def test_dense_params_matches_keras(n_in, n_out):
    layer = keras.layers.Dense(n_out)
    layer.build((None, n_in))
    assert dense_params(n_in, n_out) == layer.count_params()


@pytest.mark.parametrize(
    "args, error, match",
    [((0, 3, 16), ValueError, "at least 1"), ((3.0, 3, 16), TypeError, "must be an int"), ((3, 3, True), TypeError, "must be an int")],
)
def test_conv_params_bad_inputs(args, error, match):
    with pytest.raises(error, match=match):
        conv_params(*args)


def test_dense_params_bad_inputs():
    with pytest.raises(ValueError, match="n_out"):
        dense_params(10, 0)
    with pytest.raises(TypeError, match="n_in"):
        dense_params("10", 3)


def small_cnn():
    """The lesson's model: 64x64x3 -> conv 16 -> pool -> conv 32 -> pool -> flatten -> dense 64 -> dense 1."""
    return keras.Sequential([
        keras.Input((64, 64, 3)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])


def test_parameter_table_matches_every_keras_layer():
    model = small_cnn()
    rows = parameter_table((64, 64, 3), keras_layer_specs(model))
    assert [r["params"] for r in rows] == [layer.count_params() for layer in model.layers]
    assert [r["output"] for r in rows] == [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert sum(r["params"] for r in rows) == model.count_params() == 406_625


def test_parameter_table_with_strides_same_padding_and_avg_pool():
    model = keras.Sequential([
        keras.Input((33, 40, 1)),
        keras.layers.Conv2D(8, 5, strides=2, padding="same"),
        keras.layers.AveragePooling2D(3, strides=1),
        keras.layers.Conv2D(4, 1),
        keras.layers.Flatten(),
        keras.layers.Dense(3),
    ])
    rows = parameter_table((33, 40, 1), keras_layer_specs(model))
    assert [r["params"] for r in rows] == [layer.count_params() for layer in model.layers]
    assert [r["output"] for r in rows] == [tuple(layer.output.shape[1:]) for layer in model.layers]


def test_parameter_table_rows_and_formulas():
    rows = parameter_table((64, 64, 3), [("conv", 16, 3), ("pool", 2), ("flatten",), ("dense", 1)])
    assert rows[0] == {"layer": "conv 3x3x3 -> 16", "output": (62, 62, 16), "formula": "(3·3·3+1)·16", "params": 448}
    assert rows[1]["params"] == 0 and rows[1]["output"] == (31, 31, 16)
    assert rows[2]["output"] == (31 * 31 * 16,)
    assert rows[3]["formula"] == "(15376+1)·1"


@pytest.mark.parametrize(
    "input_shape, layers, error, match",
    [
        ((64, 64), [("conv", 16, 3)], ValueError, r"input_shape must be \(H, W, C\)"),
        ((8, 8, 1), [("maxpool", 2)], ValueError, "must be a tuple starting with"),
        ((8, 8, 1), [("dense", 4)], ValueError, "add \\('flatten',\\)"),
        ((8, 8, 1), [("flatten",), ("conv", 4, 3)], ValueError, "put it before 'flatten'"),
        ((8, 8, 1), [("conv", 4, 9)], ValueError, "larger than the padded input"),
        ((8, 8, 1), [("conv", 4, 3, 1, "full")], ValueError, "'valid' or 'same'"),
        ((8, 8, 1), [("pool", 9)], ValueError, "does not fit"),
        ((8, 8, 1), [], ValueError, "empty"),
        ((8, 8, 1), "conv", TypeError, "list of layer specs"),
    ],
)
def test_parameter_table_bad_specs(input_shape, layers, error, match):
    with pytest.raises(error, match=match):
        parameter_table(input_shape, layers)


def test_keras_layer_specs_rejects_unsupported_layers():
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.BatchNormalization()])
    with pytest.raises(ValueError, match="BatchNormalization.*not supported"):
        keras_layer_specs(model)
    with pytest.raises(TypeError, match="Keras model"):
        keras_layer_specs([1, 2])
    no_bias = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3, use_bias=False)])
    with pytest.raises(ValueError, match="use_bias"):
        keras_layer_specs(no_bias)


def test_format_table_lists_layers_and_total():
    text = format_table(parameter_table((64, 64, 3), keras_layer_specs(small_cnn())))
    lines = text.splitlines()
    assert lines[0].split() == ["layer", "output", "shape", "formula", "params"]
    assert "62×62×16" in lines[1] and lines[1].endswith("448")
    assert lines[-1].startswith("total") and lines[-1].endswith("406,625")
    with pytest.raises(ValueError, match="rows returned by parameter_table"):
        format_table([])
