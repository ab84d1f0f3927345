"""Lesson 06's answer keys: each check accepts the solution and rejects typical mistakes; the right answers are
restated here independently (the questionnaire's keys literally)."""

import numpy as np
import pytest

from utils.notebook import setup_keras

keras = setup_keras(0)

from utils import checks  # noqa: E402
from questionnaire_keys import assert_keys_restated
from utils.exercises import cnn_muffin_or_chihuahua as ex  # noqa: E402
from utils.models import build_cnn  # noqa: E402

layers = keras.layers
NAMES = ["chihuahua", "muffin"]


def test_conv2_params():
    assert ex.check_conv2_params((5 * 5 * 16 + 1) * 32)      # 12,832
    assert ex.check_conv2_params(12832)
    for wrong in (5 * 5 * 16 * 32, (5 * 5 * 3 + 1) * 32, (3 * 3 * 16 + 1) * 32, (5 * 5 + 1) * 32, None, "12832x"):
        assert not ex.check_conv2_params(wrong)


def flat(head=layers.Flatten, dense=64):
    return keras.Sequential([
        keras.Input(shape=(64, 64, 3)), layers.Rescaling(1 / 127.5, offset=-1),
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        head(), layers.Dense(dense, activation="relu"), layers.Dense(2, activation="softmax")])


def test_flat_cnn_accepts_the_solution():
    model = flat()
    assert model.count_params() == 285_922                   # 27,874 - 4,160 + (4,096 + 1)·64
    assert ex.check_flat_cnn(model)


@pytest.mark.parametrize("wrong", [lambda: None, lambda: [1, 2], lambda: flat(layers.GlobalMaxPooling2D),
                                   lambda: flat(dense=32), lambda: build_cnn(pooling="avg")])
def test_flat_cnn_rejects_mistakes(wrong):
    assert not ex.check_flat_cnn(wrong())


@pytest.mark.parametrize("p, sentence", [([0.751, 0.249], "75 % chihuahua"), ([0.3, 0.7], "70 % muffin"),
                                         ([0.004, 0.996], "100 % muffin")])
def test_sentence(p, sentence):
    p = np.array(p)
    assert ex.check_sentence(sentence, p, NAMES)
    assert not ex.check_sentence(sentence.replace(" %", "%"), p, NAMES)
    assert not ex.check_sentence(f"{round(100 * p.min())} % {NAMES[p.argmin()]}", p, NAMES)
    assert not ex.check_sentence(None, p, NAMES)


@pytest.fixture(scope="module")
def trained_like():
    """A CNN with random (untrained) weights and a few images: the identity holds for any weights."""
    keras.utils.set_random_seed(5)
    return build_cnn(), np.random.default_rng(0).uniform(0, 255, (6, 64, 64, 3)).astype("float32")


def test_sigmoid_unit_accepts_the_difference_of_the_two_units(trained_like):
    cnn, images = trained_like
    kernel, bias = cnn.get_layer("output").get_weights()
    assert ex.check_sigmoid_unit(kernel[:, 1] - kernel[:, 0], bias[1] - bias[0], cnn, images)
    assert ex.check_sigmoid_unit((kernel[:, 1] - kernel[:, 0])[:, None], np.array([bias[1] - bias[0]]), cnn, images)


def test_sigmoid_unit_rejects_mistakes(trained_like):
    cnn, images = trained_like
    kernel, bias = cnn.get_layer("output").get_weights()
    assert not ex.check_sigmoid_unit(kernel[:, 0] - kernel[:, 1], bias[0] - bias[1], cnn, images)  # P(chihuahua)
    assert not ex.check_sigmoid_unit(kernel[:, 1], bias[1], cnn, images)                            # one unit only
    assert not ex.check_sigmoid_unit(kernel, bias, cnn, images)                                     # both columns
    assert not ex.check_sigmoid_unit(None, None, cnn, images)


def test_hints_come_in_steps_and_never_name_the_answer(capsys):
    assert not ex.check_conv2_params(None)
    first = capsys.readouterr().out
    assert "12832" not in first.replace(",", "") and "Hint:" in first and "more_help()" in first
    checks.more_help()
    assert "conv1" in capsys.readouterr().out


# The right answers, restated: question prefix -> the options that are right.
RIGHT = {
    "Why does the lesson keep a validation set": {
        "to watch for overfitting on photos the network does not learn from",
        "to choose settings such as the number of epochs without touching the test set"},
    "The dense baseline has 1.6 million weights": {
        "a filter is slid over every position, so it finds a pattern wherever it is",
        "the dense network has a weight per pixel position and memorises where things were in its photos"},
    "Without ReLU the lesson's CNN still learned": {
        "max pooling is itself non-linear: the larger of two numbers is not a weighted sum of them",
        "with every layer linear, the whole network is one linear map of the pixels, however deep"},
    "A muffin photo gets P(muffin) = 0.01": {
        "the loss is large, −log 0.01 ≈ 4.6: confident and wrong costs the most",
        "the loss would be near 0 if P(muffin) were near 1"},
    "What does Adam do differently": {
        "it gives every weight its own step size, from the typical size of that weight's gradient",
        "it keeps a running average of past gradients (momentum)"},
    "Lesson 05 ends with Dense(1, sigmoid)": {
        "both can give exactly the same probabilities: a softmax of two scores is the sigmoid of their difference",
        "the two-unit softmax has twice the weights, though only the difference of its two units matters"},
    "Why are hand-crafted features called tedious and costly": {
        "a person must invent, program and tune every measurement, and start again for the next problem",
        "whatever the person did not think of measuring is lost to the classifier"},
    "Muffin precision is 0.99 and muffin recall 0.80": {
        "almost every photo called muffin is a muffin",
        "one real muffin in five was missed (called chihuahua)",
        "the F1 score, their harmonic mean, lies closer to the lower of the two"},
    "Grad-CAM puts most of its heat on the background": {
        "the network may use a shortcut, such as a background that only one class has",
        "the photos should be checked for such a difference between the classes"},
}


def test_questionnaire_answer_keys():
    assert_keys_restated(ex.QUESTIONS, RIGHT)


def test_the_facts_behind_the_keys():
    assert round(-np.log(0.01), 1) == 4.6
    f1 = 2 * 0.99 * 0.80 / (0.99 + 0.80)
    assert abs(f1 - 0.80) < abs(f1 - 0.99)
    z = np.array([1.3, -0.4])
    assert np.isclose(np.exp(z[1]) / np.exp(z).sum(), 1 / (1 + np.exp(-(z[1] - z[0]))))
