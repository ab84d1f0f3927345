"""Receptive fields: the formula against literal values and against the brute-force impulse response on Keras."""

import numpy as np
import pytest

from utils.receptive_field import (impulse_response, layer_windows, measured_field, plot_receptive_fields,
                                   plot_response, receptive_fields)


def fields(layers):
    return [row["field"] for row in receptive_fields(layers)]


def test_formula_known_values():
    assert fields([(3, 1)] * 4) == [3, 5, 7, 9]
    assert fields([(3, 1), (3, 2), (3, 1), (3, 2)]) == [3, 5, 9, 13]
    assert fields([("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1)]) == [3, 4, 8, 10, 18]
    assert [row["jump"] for row in receptive_fields([(7, 2), (3, 2), (1, 1)])] == [2, 4, 4]
    assert fields([(7, 2), (3, 2), (1, 1)]) == [7, 11, 11]          # a 1×1 layer sees no further


@pytest.mark.parametrize("layers", [
    [(3, 1), (3, 2), (3, 1), (3, 2)],
    [("conv", 5, 2), ("pool", 3, 2), ("conv", 3, 1)],
    [("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("pool", 2, 2)],
    [(1, 1), (2, 1), (4, 3)],
])
def test_formula_matches_brute_force_on_keras(layers):
    r = receptive_fields(layers)[-1]["field"]
    response = impulse_response(layers, 2 * r + 8)
    assert measured_field(response) == (r, r)
    assert response.min() >= 0 and np.array_equal(response, np.round(response))   # whole path counts


def test_a_broken_formula_would_be_caught():
    """Adding (F − 1)·j with the jump *after* the stride over-counts, and the brute force disagrees."""
    layers = [(3, 2), (3, 1)]
    response = impulse_response(layers, 24)
    assert measured_field(response) == (7, 7) != (9, 9)


def test_layer_windows_reads_lesson_06_cnn():
    from utils.models import build_cnn

    windows = layer_windows(build_cnn())
    assert windows == [("conv1", "conv", 3, 1), ("pool1", "pool", 2, 2), ("conv2", "conv", 3, 1),
                       ("pool2", "pool", 2, 2), ("conv3", "conv", 3, 1), ("pool3", "pool", 2, 2)]
    assert fields([w[1:] for w in windows]) == [3, 4, 8, 10, 18, 22]


def test_bad_input_gets_clear_errors():
    with pytest.raises(ValueError, match="each layer must be"):
        receptive_fields([(3, 1, 2, 4)])
    with pytest.raises(ValueError, match="empty"):
        receptive_fields([])
    with pytest.raises(TypeError, match="list of"):
        receptive_fields("3x3")
    with pytest.raises(ValueError, match="kernel size"):
        receptive_fields([(0, 1)])
    with pytest.raises(TypeError, match="Keras model"):
        layer_windows([1, 2])
    with pytest.raises(ValueError, match="no pixel"):
        measured_field(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="non-empty"):
        plot_receptive_fields(np.zeros((8, 8)), [])


def test_layer_windows_refuses_models_it_cannot_read():
    import keras

    dilated = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Conv2D(1, 3, dilation_rate=2)])
    with pytest.raises(ValueError, match="dilation"):
        layer_windows(dilated)
    dense_only = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="no Conv2D"):
        layer_windows(dense_only)


def test_figures():
    response = impulse_response([(3, 1), (3, 1)], 11)
    ax = plot_response(response, field=5, title="two 3×3 layers")
    square = ax.patches[0]
    assert (square.get_width(), square.get_height()) == (5, 5) and ax.get_title() == "two 3×3 layers"
    fig = plot_receptive_fields(np.zeros((64, 64, 3), np.uint8), [("a", 3), ("b", 18), ("c", 64)])
    sizes = [ax.patches[0].get_width() for ax in fig.axes]
    assert sizes == [3, 18, 64] and [ax.get_title() for ax in fig.axes] == ["a", "b", "c"]
    assert fig.axes[2].patches[0].get_xy() == (-0.5, -0.5)           # the whole image, from its corner


def test_squares_stay_inside_the_image():
    fig = plot_receptive_fields(np.zeros((40, 30)), [("near the corner", 10), ("too big", 50)], centre=(2, 28))
    near, big = (ax.patches[0] for ax in fig.axes)
    assert near.get_xy() == (19.5, -0.5) and near.get_width() == near.get_height() == 10
    assert big.get_xy() == (-0.5, -0.5) and (big.get_width(), big.get_height()) == (30, 40)
