"""Lesson 04's answer keys: each check accepts the solution and rejects typical mistakes; the right answers are
restated here independently."""

import math

import numpy as np
import pytest

from questionnaire_keys import assert_keys_restated
from utils.exercises import padding_stride as ex


def layer_output_size(i, f, stride, padding):
    return math.ceil(i / stride) if padding == "same" else (i - f) // stride + 1


def test_layer_output_size_accepts_the_solution():
    assert ex.check_layer_output_size(layer_output_size)


def test_layer_output_size_also_accepts_the_padding_formula():
    """The lesson's other route, P = (F − 1) / 2 in the formula, is right for the odd kernels of the cases."""
    assert ex.check_layer_output_size(lambda i, f, s, padding: (i - f + 2 * ((f - 1) // 2 if padding == "same"
                                                                             else 0)) // s + 1)


@pytest.mark.parametrize("wrong", [
    lambda i, f, s, padding: i if padding == "same" else (i - f) // s + 1,          # 'same' ignores the stride
    lambda i, f, s, padding: i // s if padding == "same" else (i - f) // s + 1,     # rounds down
    lambda i, f, s, padding: math.ceil(i / s) if padding == "same" else (i - f) // s,   # forgot + 1
    lambda i, f, s, padding: math.ceil(i / s) if padding == "same" else math.ceil((i - f) / s) + 1,
    lambda i, f, s, padding: None,
])
def test_layer_output_size_rejects_mistakes(wrong):
    assert not ex.check_layer_output_size(wrong)


def test_the_size_cases_agree_with_keras_values():
    """A few cases restated from Keras (lesson 04's table): (7, 3, 2, same) -> 4, (8, 5, 2, valid) -> 2."""
    assert ex._keras_size(7, 3, 2, "same") == 4 and ex._keras_size(8, 5, 2, "valid") == 2
    assert ex._keras_size(10, 7, 2, "same") == 5 and ex._keras_size(10, 7, 3, "valid") == 2


def pad_zeros(image, p):
    h, w = image.shape
    out = np.zeros((h + 2 * p, w + 2 * p), dtype=image.dtype)
    out[p:p + h, p:p + w] = image
    return out


def test_pad_zeros_accepts_the_solution():
    assert ex.check_pad_zeros(pad_zeros)


def bad_slice(image, p):                       # the classic: out[p:-p] is empty when p = 0
    out = np.zeros((image.shape[0] + 2 * p, image.shape[1] + 2 * p))
    out[p:-p, p:-p] = image
    return out


@pytest.mark.parametrize("wrong", [
    bad_slice,
    lambda image, p: np.pad(image, (0, 2 * p)),         # all zeros after the image
    lambda image, p: np.pad(image, p, constant_values=1),
    lambda image, p: np.pad(image, p + 1),
])
def test_pad_zeros_rejects_mistakes(wrong):
    assert not ex.check_pad_zeros(wrong)


def test_padding_answer():
    assert ex.check_padding(2)
    for wrong in (0, 1, 3, 4, None, "two"):
        assert not ex.check_padding(wrong)


def test_receptive_field_answer():
    """5×5 s1, then 3×3 s2, 3×3 s2, 3×3 s1: r = 5, 7, 11, 19."""
    assert ex.check_receptive_field(19)
    for wrong in (11, 25, 13, None):    # strides ignored; stride applied one layer too early; a guess
        assert not ex.check_receptive_field(wrong)


RIGHT = {
    "A Conv2D layer with padding='same' and stride 1": {"64×64"},
    "Why do CNNs pad with zeros": {"to keep the feature map from shrinking layer after layer",
                                   "so that border pixels take part in as many kernel positions as inner ones do, "
                                   "or nearly"},
    "What does a stride of 2 do": {"the output has about half the rows and half the columns",
                                   "the output is every second value of the stride-1 output"},
    "(I − F + 2P) / S is not a whole number": {"the last rows and columns are never covered and are dropped"},
    "Two 3×3 conv layers with stride 1 are stacked": {"5"},
    "Which settings make the receptive field grow fastest": {"strides (and pooling) in earlier layers"},
    "Why does the receptive field matter": {"a unit cannot respond to a structure larger than what it sees"},
}


def test_questionnaire_answer_keys():
    assert_keys_restated(ex.QUESTIONS, RIGHT)
