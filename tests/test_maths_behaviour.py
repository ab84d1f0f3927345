"""What mutation testing (``benchmarks/mutation.py``) found unguarded in the maths modules, pinned by behaviour.

Each test states a result a student or a lesson relies on: a value worked out by hand, a library's answer, or the
exact message of an error (the message is what a student reads, so it is checked whole, not by a fragment).
"""

import re
import warnings

import numpy as np
import pytest

from utils import conv, detection, evaluation, params, pooling


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


@pytest.mark.parametrize(("args", "expected"), [((2, 2, 2), 1), ((3, 3, 1), 1), ((5, 5, 7), 1), ((5, 4, 1), 2)])
def test_a_pool_window_as_large_as_the_input_fits_once(args, expected):
    assert pooling.pool_output_size(*args) == expected


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


@pytest.mark.parametrize(("call", "message"), [
    (lambda: conv.conv2d_layer(np.ones((5, 5)), np.ones((3, 3, 1, 2))),
     "x has shape (5, 5): conv2d_layer expects (H, W, C); add a channel axis with x[..., None]"),
    (lambda: conv.conv2d_layer(np.ones((5, 5, 3)), np.ones((3, 3, 2, 4))),
     "kernels have 2 input channels but x has 3: kernels must have shape (F, F, C, K) with C = x.shape[2]"),
    (lambda: conv.correlate2d(np.ones((5, 5, 3)), np.ones((3, 3))),
     "image shape (5, 5, 3) and kernel shape (3, 3) do not match: use a (F, F) kernel for an (H, W) image and a "
     "(F, F, C) kernel for an (H, W, C) image"),
    (lambda: conv.correlate2d(np.ones((5, 5, 3)), np.ones((3, 3, 2))),
     "kernel has 2 channels but the image has 3: the kernel's last axis must equal the image's number of channels"),
])
def test_shape_mismatches_say_what_to_change(call, message):
    with pytest.raises(ValueError, match=exact(message)):
        call()


def test_the_window_matrix_is_read_only():
    """Its rows overlap in memory: writing to one window would change its neighbours, so the view refuses writes."""
    x = np.arange(30.0).reshape(5, 6, 1)
    view = conv._patch_matrix(x, 3, 3, 1, [(0, 0), (0, 0)], (3, 4))
    assert view.shape == (3, 9, 4) and not view.flags.writeable
    assert np.array_equal(view[1, :, 2], x[1:4, 2:5, 0].ravel())



@pytest.mark.parametrize(("image", "message"), [
    (np.ones((2, 5)), "kernel 3x3 is larger than the (padded) image 2x5: use a smaller kernel, a bigger image or "
                      "padding='same'"),
    (np.ones((5, 2)), "kernel 3x3 is larger than the (padded) image 5x2: use a smaller kernel, a bigger image or "
                      "padding='same'"),
])
def test_a_kernel_larger_than_the_image_in_one_direction_is_refused(image, message):
    with pytest.raises(ValueError, match=exact(message)):
        conv.correlate2d(image, np.ones((3, 3)))


@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (4, 4)])
def test_same_padding_refuses_a_kernel_that_is_even_in_either_direction(shape):
    message = (f"padding='same' needs an odd kernel size, got {shape[0]}x{shape[1]}: use an odd kernel or an "
               "explicit int padding")
    with pytest.raises(ValueError, match=exact(message)):
        conv.correlate2d(np.ones((6, 6)), np.ones(shape), padding="same")


@pytest.mark.parametrize(("a", "b"), [(np.float64, np.float32), (np.float32, np.float64), (np.int64, np.float32)])
def test_image_and_kernel_are_computed_in_the_wider_float_of_the_two(a, b):
    """float64 in either argument keeps float64 precision; ints need more than float32's 24-bit mantissa."""
    expected = np.result_type(a, b, np.float32)
    assert conv.correlate2d(np.ones((4, 4), a), np.ones((3, 3), b)).dtype == expected
    assert conv.conv1d(np.ones(4, a), np.ones(2, b)).dtype == expected

# ------------------------------------------------------------------------------------------------ params
def test_parameter_table_rows_for_every_kind_of_layer():
    rows = params.parameter_table((28, 28, 1), [("conv", 8, 3, 2), ("pool", 2, 1), ("flatten",), ("dense", 10)])
    assert rows == [
        {"layer": "conv 3x3x1 -> 8", "output": (13, 13, 8), "formula": "(3·3·1+1)·8", "params": 80},
        {"layer": "pool 2x2", "output": (12, 12, 8), "formula": "0", "params": 0},
        {"layer": "flatten", "output": (1152,), "formula": "0", "params": 0},
        {"layer": "dense 10", "output": (10,), "formula": "(1152+1)·10", "params": 11530},
    ]
    same = params.parameter_table((28, 28, 1), [("conv", 4, 3, 2, "same")])
    assert same[0]["output"] == (14, 14, 4)


@pytest.mark.parametrize(("layers", "error", "message"), [
    ([5], ValueError, "each layer spec must be a tuple starting with one of ('conv', 'pool', 'flatten', 'dense'), "
                      "got 5; e.g. ('conv', 16, 3), ('pool', 2), ('flatten',), ('dense', 64)"),
    ([("flatten",), ("pool", 2)], ValueError, "pool needs an (H, W, C) input, got shape (192,): put it before 'flatten'"),
    ([("conv", 0, 3)], ValueError, "filters must be a positive int (at least 1), got 0"),
    ([("conv", 4, 0)], ValueError, "kernel size must be a positive int (at least 1), got 0"),
    ([("conv", 4, 3, 0)], ValueError, "stride must be a positive int (at least 1), got 0"),
    ([("pool", 0)], ValueError, "pool size must be a positive int (at least 1), got 0"),
    ([("pool", 2, 0)], ValueError, "pool stride must be a positive int (at least 1), got 0"),
    ([("flatten",), ("dense", 0)], ValueError, "units must be a positive int (at least 1), got 0"),
])
def test_parameter_table_names_the_bad_spec(layers, error, message):
    with pytest.raises(error, match=exact(message)):
        params.parameter_table((8, 8, 3), layers)


@pytest.mark.parametrize("rows", [[{"layer": "conv"}], [("conv", 1)], []])
def test_format_table_needs_parameter_table_rows(rows):
    with pytest.raises(ValueError, match=exact("format_table expects the non-empty list of rows returned by "
                                               "parameter_table")):
        params.format_table(rows)


def test_count_trainable_names_what_it_got():
    with pytest.raises(TypeError, match=exact("expected a Keras model or layer, got int")):
        params.count_trainable(42)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: params.conv_params(0, 3, 8), ValueError, "f (kernel size) must be a positive int (at least 1), got 0"),
    (lambda: params.conv_params(3, 0, 8), ValueError, "c (input channels) must be a positive int (at least 1), got 0"),
    (lambda: params.conv_params(3, 3, 0), ValueError,
     "k (number of filters) must be a positive int (at least 1), got 0"),
    (lambda: params.dense_params(0, 8), ValueError, "n_in (inputs) must be a positive int (at least 1), got 0"),
    (lambda: params.dense_params(8, 0), ValueError, "n_out (units) must be a positive int (at least 1), got 0"),
    (lambda: params.parameter_table((8, 0, 3), [("flatten",)]), ValueError,
     "input size must be a positive int (at least 1), got 0"),
    (lambda: params.parameter_table((8, 8, 3), "conv"), TypeError,
     "layers must be a list of layer specs such as [('conv', 16, 3), ('pool', 2)]"),
    (lambda: params.parameter_table((8, 8, 3), []), ValueError, "layers is empty: give at least one layer spec"),
    (lambda: params.keras_layer_specs(42), TypeError, "expected a Keras model with .layers, got int"),
])
def test_parameter_counts_name_the_bad_argument(call, error, message):
    with pytest.raises(error, match=exact(message)):
        call()


@pytest.fixture(scope="module")
def keras():
    from utils.notebook import setup

    return setup(keras=True)


def test_keras_layer_specs_skip_the_input_layer_of_a_functional_model(keras):
    inputs = keras.Input(shape=(12, 12, 3))
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same")(inputs)
    x = keras.layers.AveragePooling2D(3, strides=1)(x)
    outputs = keras.layers.Dense(2)(keras.layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    assert type(model.layers[0]).__name__ == "InputLayer"
    specs = params.keras_layer_specs(model)
    assert specs == [("conv", 4, 3, 2, "same"), ("pool", 3, 1), ("flatten",), ("dense", 2)]
    assert sum(r["params"] for r in params.parameter_table((12, 12, 3), specs)) == model.count_params()


@pytest.mark.parametrize(("layer", "message"), [
    ("rect-kernel", "only square kernels, equal strides, no dilation and groups=1 are supported"),
    ("rect-stride", "only square kernels, equal strides, no dilation and groups=1 are supported"),
    ("dilation", "only square kernels, equal strides, no dilation and groups=1 are supported"),
    ("groups", "only square kernels, equal strides, no dilation and groups=1 are supported"),
    ("rect-pool", "only square pools with equal strides and padding='valid' are supported"),
    ("pool-stride", "only square pools with equal strides and padding='valid' are supported"),
    ("pool-same", "only square pools with equal strides and padding='valid' are supported"),
    ("dense-no-bias", "the table assumes one bias per unit (use_bias=True)"),
    ("conv-no-bias", "the table assumes one bias per filter (use_bias=True)"),
    ("dropout", "(Dropout) is not supported: use Conv2D, MaxPooling2D, AveragePooling2D, Flatten or Dense"),
])
def test_keras_layer_specs_refuse_layers_the_formulas_do_not_cover(keras, layer, message):
    L = keras.layers
    odd = {"rect-kernel": L.Conv2D(4, (3, 5), name="odd"), "rect-stride": L.Conv2D(4, 3, strides=(1, 2), name="odd"),
           "dilation": L.Conv2D(4, 3, dilation_rate=2, name="odd"), "groups": L.Conv2D(4, 3, groups=2, name="odd"),
           "rect-pool": L.MaxPooling2D((2, 3), name="odd"), "pool-stride": L.MaxPooling2D(2, strides=(1, 2), name="odd"),
           "pool-same": L.MaxPooling2D(2, padding="same", name="odd"), "dense-no-bias": L.Dense(3, use_bias=False, name="odd"),
           "conv-no-bias": L.Conv2D(4, 3, use_bias=False, name="odd"), "dropout": L.Dropout(0.5, name="odd")}[layer]
    model = keras.Sequential([keras.Input(shape=(8, 8, 4)), odd])
    separator = " " if layer == "dropout" else ": "
    with pytest.raises(ValueError, match=exact(f"layer odd{separator}{message}")):
        params.keras_layer_specs(model)


# ------------------------------------------------------------------------------------------------ detection
@pytest.mark.parametrize(("size", "error", "message"), [
    ((10, 0), ValueError, "image_size must be positive, got (10, 0)"),
    ((0, 10), ValueError, "image_size must be positive, got (0, 10)"),
    ((np.inf, 10), ValueError, "image_size must be positive, got (inf, 10)"),
    ((10, np.nan), ValueError, "image_size must be positive, got (10, nan)"),
    (True, TypeError, "image_size must be an int or (height, width), got True"),
    ((1, 2, 3), TypeError, "image_size must be an int or (height, width), got (1, 2, 3)"),
])
def test_image_size_must_be_two_positive_numbers(size, error, message):
    with pytest.raises(error, match=exact(message)):
        detection.image_shape(size)


def test_image_size_as_an_int_or_a_pair():
    assert detection.image_shape(np.int64(32)) == (32.0, 32.0)
    assert detection.image_shape((24, 40)) == (24.0, 40.0)
    assert detection.clip_boxes([[-3, -3, 50, 50]], (24, 40)).tolist() == [[0, 0, 40, 24]], "height first"


@pytest.mark.parametrize(("boxes", "expected"), [(np.zeros((0, 0)), (0, 4)), ([], (0, 4)), (np.zeros((0, 4)), (0, 4))])
def test_no_boxes_at_all_is_an_empty_list_of_boxes(boxes, expected):
    assert detection.check_boxes(boxes).shape == expected


@pytest.mark.parametrize("boxes", [np.zeros((0, 3)), np.zeros((0, 4, 1))])
def test_empty_arrays_of_the_wrong_shape_are_refused(boxes):
    shape = np.asarray(boxes).shape
    with pytest.raises(ValueError, match=exact(f"boxes must have shape (N, 4), one row (x1, y1, x2, y2) per box, got "
                                               f"shape {shape}")):
        detection.check_boxes(boxes)


def test_xywh_to_corners_converts_every_box():
    assert detection.xywh_to_corners([[1, 2, 3, 4], [0, 0, 1, 1], [5, 5, 0, 2]]).tolist() == [
        [1, 2, 4, 6], [0, 0, 1, 1], [5, 5, 5, 7]]
    assert detection.xywh_to_corners([1, 2, 3, 4]).tolist() == [[1, 2, 4, 6]], "one box as a flat list"


@pytest.mark.parametrize("value", [True, -0.1, 1.01, "0.5", None])
def test_thresholds_are_numbers_from_0_to_1(value):
    with pytest.raises(ValueError, match=exact(f"iou_threshold must be a number from 0 to 1, got {value!r}")):
        detection.nms([[0, 0, 1, 1]], [0.5], value)
    with pytest.raises(ValueError, match=exact(f"score_threshold must be a number from 0 to 1, got {value!r}")):
        detection.decode_grid(np.ones((1, 1)), np.full((1, 1, 4), 0.5), np.ones((1, 1, 1)), 8, value)


@pytest.mark.parametrize(("classes", "message"), [
    ([0.0, 1.0], "classes must be class numbers 0, 1, ... (ints), got float64 [0.0, 1.0]"),
    ([0, -1], "classes must be class numbers 0, 1, ... (ints), got int64 [0, -1]"),
])
def test_classes_are_non_negative_ints(classes, message):
    with pytest.raises(ValueError, match=exact(message)):
        detection.nms_per_class([[0, 0, 1, 1], [2, 2, 3, 3]], [0.5, 0.4], classes)


def test_class_zero_and_no_classes_are_fine():
    assert detection.nms_per_class([[0, 0, 1, 1]], [0.5], [0]).tolist() == [0]
    assert detection.nms_per_class(np.zeros((0, 4)), [], np.zeros(0)).tolist() == [], "an empty float array is fine"


@pytest.mark.parametrize(("scores", "message"), [
    ([np.inf], "scores holds NaN or infinity"),
    ([[0.5]], "scores must hold one number per box: shape (1,), got (1, 1)"),
])
def test_scores_are_one_finite_number_per_box(scores, message):
    with pytest.raises(ValueError, match=exact(message)):
        detection.nms([[0, 0, 1, 1]], scores)


@pytest.mark.parametrize("n_classes", [True, 0, 1.0, "2"])
def test_map_needs_a_positive_int_number_of_classes(n_classes):
    with pytest.raises(ValueError, match=exact(f"n_classes must be a positive int, got {n_classes!r}")):
        detection.mean_average_precision([], [], n_classes)


def test_objectness_with_a_channel_axis_decodes_like_without():
    rng = np.random.default_rng(0)
    obj, box, probs = rng.uniform(size=(3, 3)), rng.uniform(0.1, 0.5, (3, 3, 4)), rng.dirichlet([1, 1], (3, 3))
    flat, channel = detection.decode_grid(obj, box, probs, 48, 0.2), detection.decode_grid(obj[..., None], box, probs,
                                                                                           48, 0.2)
    assert all(np.array_equal(flat[k], channel[k]) for k in ("boxes", "scores", "classes"))
    with pytest.raises(ValueError, match=exact("objectness must be one grid (S, S) or (S, S, 1), got shape (3, 3, 2)")):
        detection.decode_grid(np.ones((3, 3, 2)), box, probs, 48)
    with pytest.raises(ValueError, match=exact("objectness must be one grid (S, S) or (S, S, 1), got shape (3, 2)")):
        detection.decode_grid(np.ones((3, 2)), box, probs, 48)


def test_xywh_to_corners_gives_float_corners():
    assert detection.xywh_to_corners([[1, 2, 3, 4]]).dtype == np.float64, "int input: float corners, like every box"


def boxes_in_a_row(n, size=10, gap=2):
    """``n`` equal, non-overlapping boxes side by side."""
    x = np.arange(n) * (size + gap)
    return np.column_stack([x, np.zeros(n), x + size, np.full(n, size)]).astype(float)


def test_nms_per_class_orders_ties_the_same_on_every_machine():
    """Equal scores: class by class, each in input order, on every machine (numpy's default sort is not stable)."""
    n = 40
    rng = np.random.default_rng(0)
    scores, classes = rng.choice([0.5, 0.9], n), rng.integers(0, 2, n)
    keep = detection.nms_per_class(boxes_in_a_row(n), scores, classes)
    assert keep.tolist() == sorted(range(n), key=lambda i: (-scores[i], classes[i], i))


def test_nms_per_class_uses_the_given_threshold():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 9], [20, 0, 30, 10]]   # IoU of the first two: 0.9
    assert detection.nms_per_class(boxes, [0.9, 0.8, 0.7], [0, 0, 1], 0.95).tolist() == [0, 1, 2]
    assert detection.nms_per_class(boxes, [0.9, 0.8, 0.7], [0, 0, 1], 0.5).tolist() == [0, 2]


@pytest.mark.parametrize("grid", [2.5, 2.0, "3", True, 0])
def test_grid_must_be_a_positive_int(grid):
    with pytest.raises(ValueError, match=exact(f"grid must be a positive int (the grid is grid × grid cells), "
                                               f"got {grid!r}")):
        detection.assign_cells([[0, 0, 1, 1]], grid, 8)


@pytest.mark.parametrize("call", [lambda b: detection.assign_cells(b, 4, 64),
                                  lambda b: detection.encode_grid(b, [0], 4, 64)], ids=["assign", "encode"])
def test_grid_targets_refuse_boxes_outside_the_image(call):
    with pytest.raises(ValueError, match=exact("boxes[0] = [60.0, 0.0, 70.0, 10.0] reaches outside the 64×64 image "
                                               "(x from 0 to 64, y from 0 to 64): clip it or fix the annotation")):
        call([[60, 0, 70, 10]])


def test_a_centre_on_the_far_border_belongs_to_the_last_cell():
    rows, cols = detection.assign_cells([[64, 64, 64, 64], [64, 0, 64, 8]], 4, 64)
    assert rows.tolist() == [3, 0] and cols.tolist() == [3, 3]


def test_grid_targets_are_float32_and_int32_like_the_network_output():
    obj, box, labels = detection.encode_grid([[8, 8, 24, 40]], [1], 4, 64)
    assert (obj.dtype, box.dtype, labels.dtype) == (np.float32, np.float32, np.int32)


def test_encode_keeps_the_last_of_the_largest_boxes_in_one_cell():
    """Equal areas: the later box wins, on every machine (numpy's default sort is not stable)."""
    n = 40
    half = np.random.default_rng(0).choice([5.0, 10.0], n)
    boxes = np.column_stack([32 - half, 32 - half, 32 + half, 32 + half])
    _, _, labels = detection.encode_grid(boxes, np.arange(n), 1, 64)
    assert labels[0, 0] == np.flatnonzero(half == 10).max()


def test_decode_keeps_every_cell_by_default_and_a_score_equal_to_the_threshold():
    obj = np.array([[0.0, 0.5], [0.25, 1.0]])
    box = np.full((2, 2, 4), 0.5)
    probs = np.ones((2, 2, 1))
    assert len(detection.decode_grid(obj, box, probs, 32)["scores"]) == 4, "threshold 0: every cell, even score 0"
    assert detection.decode_grid(obj, box, probs, 32, 0.5)["scores"].tolist() == [1.0, 0.5]


def test_decode_scores_use_each_cells_own_best_class():
    obj = np.ones((2, 2))
    probs = np.array([[[0.9, 0.1], [0.3, 0.7]], [[0.6, 0.4], [0.2, 0.8]]])
    out = detection.decode_grid(obj, np.full((2, 2, 4), 0.5), probs, 32)
    assert out["scores"].tolist() == [0.9, 0.8, 0.7, 0.6] and out["classes"].tolist() == [0, 1, 1, 0]


def test_decode_orders_ties_row_by_row_on_every_machine():
    grid = 6
    obj = np.random.default_rng(0).choice([0.5, 0.9], (grid, grid))
    box = np.broadcast_to([0.5, 0.5, 0.1, 0.1], (grid, grid, 4))   # centred in its cell, 6 pixels wide
    out = detection.decode_grid(obj, box, np.ones((grid, grid, 1)), 60)
    centres = (out["boxes"][:, :2] + out["boxes"][:, 2:]) / 2
    cells = sorted(((r, c) for r in range(grid) for c in range(grid)), key=lambda rc: (-obj[rc], rc))
    assert np.allclose(centres, [((c + 0.5) * 10, (r + 0.5) * 10) for r, c in cells]), "equal scores: reading order"


@pytest.mark.parametrize("probs", [np.ones((2, 2, 2)), np.ones((3, 3)), np.ones((3, 2, 2))])
def test_decode_needs_class_probabilities_for_every_cell(probs):
    shape = np.asarray(probs).shape
    with pytest.raises(ValueError, match=exact(f"for a 3×3 grid expected box (3, 3, 4) and class_probs (3, 3, C), "
                                               f"got (3, 3, 4) and {shape}")):
        detection.decode_grid(np.ones((3, 3)), np.full((3, 3, 4), 0.5), probs, 48)


def test_a_one_by_one_grid_is_a_grid():
    assert [a.tolist() for a in detection.assign_cells([[0, 0, 8, 8]], 1, 8)] == [[0], [0]]
    obj, _, _ = detection.encode_grid([[0, 0, 8, 8]], [0], 1, 8)
    assert obj.tolist() == [[1.0]]


def image(boxes, scores, classes):
    return {"boxes": np.asarray(boxes, float).reshape(-1, 4), "scores": np.asarray(scores, float),
            "classes": np.asarray(classes)}


def truth(boxes, classes):
    return {"boxes": np.asarray(boxes, float).reshape(-1, 4), "classes": np.asarray(classes)}


@pytest.mark.parametrize(("detections", "truths", "error", "message"), [
    ([], {}, TypeError, "detections and ground_truths must be lists with one dict per image"),
    ({}, [], TypeError, "detections and ground_truths must be lists with one dict per image"),
    ([image([], [], [])], [], ValueError, "got detections for 1 images but ground truth for 0: give one entry per "
                                          "image, in the same order (an empty one where nothing was found)"),
    ([{"boxes": []}], [truth([], [])], ValueError,
     "detections[0] must be a dict with keys ('boxes', 'scores', 'classes')"),
    ([image([], [], [])], [{"boxes": []}], ValueError, "ground_truths[0] must be a dict with keys ('boxes', 'classes')"),
    ([image([[0, 0, 1, 1]], [0.5, 0.4], [0])], [truth([], [])], ValueError,
     "detections[0]['scores'] must hold one number per box: shape (1,), got (2,)"),
    ([image([[0, 0, 1, 1]], [0.5], [0, 1])], [truth([], [])], ValueError,
     "detections[0]['classes'] must hold one class number per box: shape (1,), got (2,)"),
    ([image([], [], [])], [truth([[0, 0, 1, 1]], [0, 1])], ValueError,
     "ground_truths[0]['classes'] must hold one class number per box: shape (1,), got (2,)"),
    ([image([], [], [])], [truth([[2, 0, 1, 1]], [0])], ValueError,
     "ground_truths[0]['boxes'][0] = [2.0, 0.0, 1.0, 1.0] has x2 < x1: boxes are corners (x1, y1, x2, y2) with "
     "x1 <= x2 and y1 <= y2, not (x, y, width, height)"),
])
def test_map_inputs_name_the_image_and_the_field(detections, truths, error, message):
    with pytest.raises(error, match=exact(message)):
        detection.mean_average_precision(detections, truths, 2)


def test_iou_threshold_reaches_the_matching():
    """A detection with IoU 0.4 is a hit at 0.3 and a miss at 0.5, in the curve and in mAP."""
    dets, gts = [image([[0, 0, 10, 4]], [0.9], [0])], [truth([[0, 0, 10, 10]], [0])]
    assert detection.precision_recall_curve(dets, gts, 0, 0.3)[0].tolist() == [1.0]
    assert detection.precision_recall_curve(dets, gts, 0, 0.5)[0].tolist() == [0.0]
    assert detection.mean_average_precision(dets, gts, 1, 0.3)[0] == 1.0
    assert detection.mean_average_precision(dets, gts, 1, 0.5)[0] == 0.0
    assert detection.mean_average_precision(dets, gts, 1)[0] == 0.0, "the default threshold is 0.5"


def test_no_images_give_an_empty_curve_and_no_map():
    p, r, s, n = detection.precision_recall_curve([], [], 0)
    assert (p.shape, r.shape, s.shape, n) == ((0,), (0,), (0,), 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a warning would print in the lesson
        m, ap = detection.mean_average_precision([], [], 2)
    assert np.isnan(m) and np.isnan(ap).all() and ap.shape == (2,)


def test_a_class_without_ground_truth_has_recall_and_ap_nan_without_a_warning():
    dets, gts = [image([[0, 0, 4, 4], [5, 5, 9, 9]], [0.9, 0.8], [0, 0])], [truth([[0, 0, 4, 4]], [1])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a warning would print in the lesson
        p, r, _, n = detection.precision_recall_curve(dets, gts, 0)
        m, ap = detection.mean_average_precision(dets, gts, 2)
    assert n == 0 and r.dtype == np.float64 and r.shape == (2,) and np.isnan(r).all() and p.tolist() == [0.0, 0.0]
    assert np.isnan(detection.average_precision(p, r))
    assert np.isnan(ap[0]) and ap[1] == 0.0 and m == 0.0


def test_one_class_is_enough_for_map():
    dets, gts = [image([[0, 0, 4, 4]], [0.9], [0])], [truth([[0, 0, 4, 4]], [0])]
    m, ap = detection.mean_average_precision(dets, gts, 1)
    assert m == 1.0 and ap.tolist() == [1.0]


def test_the_curve_orders_equal_scores_the_same_on_every_machine():
    """Equal scores: image order, then each image's order (numpy's default sort is not stable)."""
    n = 40
    scores = np.random.default_rng(0).choice([0.5, 0.9], n)
    boxes = boxes_in_a_row(n)
    dets, gts = [image(boxes, scores, np.zeros(n, int))], [truth(boxes[::2], np.zeros(n // 2, int))]
    p, r, s, _ = detection.precision_recall_curve(dets, gts, 0)
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    hits = np.array([i % 2 == 0 for i in order])
    assert np.allclose(p, np.cumsum(hits) / np.arange(1, n + 1)) and np.allclose(r, np.cumsum(hits) / (n // 2))
    assert s.tolist() == scores[order].tolist()


AP_INPUT = "recall must rise from 0 to 1 and precision lie in 0..1: pass the arrays from precision_recall_curve, in order"


@pytest.mark.parametrize(("precision", "recall"), [
    ([1.0, 1.0], [0.5, 0.2]),     # recall falls
    ([1.0, 1.0], [-0.5, 0.5]),    # recall below 0
    ([1.0, 1.0], [0.5, 1.5]),     # recall above 1
    ([-0.1, 0.5], [0.5, 1.0]),    # precision below 0
    ([1.5, 1.0], [0.5, 1.0]),     # precision above 1
])
def test_average_precision_refuses_a_curve_out_of_range(precision, recall):
    with pytest.raises(ValueError, match=exact(AP_INPUT)):
        detection.average_precision(precision, recall)


@pytest.mark.parametrize(("precision", "recall", "message"), [
    ([1, 0.5], [0.5, 0.5, 1], "precision and recall must be 1-D arrays of one length, got (2,) and (3,)"),
    ([[1, 0.5]], [[0.5, 1]], "precision and recall must be 1-D arrays of one length, got (1, 2) and (1, 2)"),
])
def test_average_precision_needs_two_curves_of_one_length(precision, recall, message):
    with pytest.raises(ValueError, match=exact(message)):
        detection.average_precision(precision, recall)


def test_average_precision_accepts_the_extremes():
    assert detection.average_precision([1.0, 0.0], [1.0, 1.0]) == 1.0
    assert detection.average_precision([0.0], [0.0]) == 0.0


FLIPPED = "has x2 < x1: boxes are corners (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2, not (x, y, width, height)"


@pytest.mark.parametrize(("args", "message"), [
    (("abcd", [0, 0, 1, 1]), "box_a must be one box (x1, y1, x2, y2), got 'abcd'"),
    (([0, 0, 1, 1], [0, 0, 1]), "box_b must be one box (x1, y1, x2, y2), got [0, 0, 1]"),
    (([2, 0, 1, 1], [0, 0, 1, 1]), f"box_a[0] = [2.0, 0.0, 1.0, 1.0] {FLIPPED}"),
    (([0, 0, 1, 1], [2, 0, 1, 1]), f"box_b[0] = [2.0, 0.0, 1.0, 1.0] {FLIPPED}"),
])
def test_iou_names_the_bad_box(args, message):
    with pytest.raises(ValueError, match=exact(message)):
        detection.iou(*args)


@pytest.mark.parametrize(("args", "message"), [
    (([[2, 0, 1, 1]], [0.5], []), f"det_boxes[0] = [2.0, 0.0, 1.0, 1.0] {FLIPPED}"),
    (([], [], [[2, 0, 1, 1]]), f"gt_boxes[0] = [2.0, 0.0, 1.0, 1.0] {FLIPPED}"),
    (([[0, 0, 1, 1]], [0.5, 0.4], []), "det_scores must hold one number per box: shape (1,), got (2,)"),
    (([[0, 0, 1, 1]], [0.5], [], 2), "iou_threshold must be a number from 0 to 1, got 2"),
])
def test_matching_names_the_bad_argument(args, message):
    with pytest.raises(ValueError, match=exact(message)):
        detection.match_detections(*args)


def test_bad_classes_show_the_first_five():
    with pytest.raises(ValueError, match=exact("classes must be class numbers 0, 1, ... (ints), got float64 "
                                               "[0.0, 1.0, 0.0, 1.0, 0.0]")):
        detection.nms_per_class(boxes_in_a_row(7), np.ones(7), [0.0, 1.0] * 3 + [0.0])


def test_matching_gives_equal_scores_their_input_order_on_every_machine():
    """Detections of equal score claim boxes in input order (numpy's default sort is not stable)."""
    n = 30
    scores = np.random.default_rng(0).choice([0.5, 0.9], n, p=[0.8, 0.2])
    found = detection.match_detections(np.tile([[0.0, 0.0, 10.0, 10.0]], (n, 1)), scores, [[0, 0, 10, 10]])
    first = int(np.flatnonzero(scores == 0.9)[0])
    assert found.tolist() == [0 if i == first else -1 for i in range(n)]
