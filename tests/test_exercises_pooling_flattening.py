"""Lesson 05's answer keys: each check accepts the solution and rejects typical mistakes; the right answers are
restated here independently."""

import numpy as np
import pytest

from questionnaire_keys import assert_keys_restated
from utils.exercises import pooling_flattening as ex


def test_conv_params():
    assert ex.check_conv_params(4864)                       # (5·5·3 + 1)·64
    assert ex.check_conv_params(np.int64(4864))
    for wrong in (4800, 1664, 4864 * 32 * 32, None):        # no bias; no channels; times the image size
        assert not ex.check_conv_params(wrong)


def max_pool_2x2(x):
    h, w = x.shape[0] // 2, x.shape[1] // 2
    return x[:2 * h, :2 * w].reshape(h, 2, w, 2).max(axis=(1, 3))


def test_max_pool_accepts_the_solution():
    assert ex.check_max_pool_2x2(max_pool_2x2)


@pytest.mark.parametrize("wrong", [
    lambda x: x.reshape(x.shape[0] // 2, 2, -1, 2).max(axis=(1, 3)),        # no crop: fails on odd sizes
    lambda x: x[::2, ::2],                                                  # subsampling, not max
    lambda x: max_pool_2x2(x.T).T if x.shape[0] == x.shape[1] else x[:2 * (x.shape[0] // 2)].reshape(
        x.shape[0] // 2, 2, -1).max(axis=1),                                # rows only
    lambda x: np.mean(x[:2 * (x.shape[0] // 2), :2 * (x.shape[1] // 2)].reshape(
        x.shape[0] // 2, 2, x.shape[1] // 2, 2), axis=(1, 3)),              # average pooling
    lambda x: x[:2 * (x.shape[0] // 2), :2 * (x.shape[1] // 2)].reshape(
        x.shape[0] // 2, 2, x.shape[1] // 2, 2).max(axis=(0, 2)),           # max over the wrong axes
])
def test_max_pool_rejects_mistakes(wrong):
    assert not ex.check_max_pool_2x2(wrong)


def test_digits_model():
    assert ex.check_digits_model((1352, 13530))             # 13·13·8, (1352 + 1)·10
    assert ex.check_digits_model([1352, 13530])
    for wrong in ((1352, 13520), (5408, 54090), (169, 1700), (1352,), None):
        assert not ex.check_digits_model(wrong)


def test_conv1x1():
    assert ex.check_conv1x1(((32, 32, 16), 1040))           # (1·1·64 + 1)·16
    assert ex.check_conv1x1([[32, 32, 16], 1040])
    for wrong in (((32, 32, 16), 1024), ((32, 32, 64), 1040), ((30, 30, 16), 1040), 1040, None):
        assert not ex.check_conv1x1(wrong)


RIGHT = {
    "How many trainable parameters does a MaxPooling2D": {"0"},
    "A 32×32×16 stack goes through MaxPooling2D(2)": {"16×16×16"},
    "What does max pooling's tolerance": {
        "a feature moved by a pixel or two changes the pooled map much less than the feature map"},
    "'Pooling reduces overfitting.'": {
        "pooling makes the maps smaller, so the dense layer after it needs far fewer weights",
        "pooling gives some tolerance to small shifts of the object"},
    "Why does Keras need Flatten": {
        "Dense acts on the last axis only; without Flatten it would treat every pixel separately"},
    "What does a 1×1 convolution": {"it mixes the C channel values of each pixel into K new ones",
                                    "it keeps height and width", "it has (C + 1)·K parameters"},
    "Two Conv2D layers with 3×3 kernels and no activation": {"compute exactly what one 5×5 Conv2D layer can compute"},
    "What does the ReLU after a conv layer make possible": {
        "answers such as 'a vertical AND a horizontal edge here' (a corner)", "layers that do not collapse into one"},
    "After conv3×3 → pool2 → conv3×3 → pool2 → conv3×3": {
        "the pooling layers: each doubles the distance between neighbouring positions"},
}


def test_questionnaire_answer_keys():
    assert_keys_restated(ex.QUESTIONS, RIGHT)
