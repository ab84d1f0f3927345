"""Tests for utils.params: parameter counts against Keras count_params(), the table of a stack of layers."""

import numpy as np
import pytest

from utils.notebook import setup_keras
from utils.params import conv_params, count_trainable, dense_params, format_table, keras_layer_specs, parameter_table

keras = setup_keras()


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


def test_count_trainable_follows_freezing():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="a"), keras.layers.Dense(2, name="b")])
    assert count_trainable(model) == 4 * 3 + 3 + 3 * 2 + 2
    model.get_layer("a").trainable = False
    assert count_trainable(model) == 3 * 2 + 2
    with pytest.raises(TypeError, match="Keras model"):
        count_trainable("model")
