"""Lesson 07's answer keys: each check accepts the solution and rejects typical mistakes; the right answers are
restated here independently (the questionnaire's keys literally)."""

import numpy as np
import pytest

from utils.notebook import setup_keras

keras = setup_keras(0)

from utils import pretraining  # noqa: E402
from utils.exercises import augmentation_transfer as ex  # noqa: E402

layers = keras.layers
IMAGES = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype("float32")


def augment(flip="horizontal", rotation=0.1, zoom=0.2, extra=()):
    return keras.Sequential([layers.RandomFlip(flip), layers.RandomRotation(rotation), layers.RandomZoom(zoom),
                             *extra])


def test_augment_accepts_the_solution_and_symmetric_ranges():
    assert ex.check_augment(augment(), IMAGES)
    assert ex.check_augment(augment(rotation=(-0.1, 0.1), zoom=(-0.2, 0.2)), IMAGES)


@pytest.mark.parametrize("wrong", [
    lambda: None, lambda: [layers.RandomFlip("horizontal")],
    lambda: augment(flip="vertical"), lambda: augment(rotation=0.2), lambda: augment(zoom=0.1),
    lambda: augment(extra=[layers.RandomContrast(0.2)]),
    lambda: keras.Sequential([layers.RandomRotation(0.1), layers.RandomFlip("horizontal"), layers.RandomZoom(0.2)]),
])
def test_augment_rejects_mistakes(wrong):
    assert not ex.check_augment(wrong(), IMAGES)


def my_dropout(x, rate, rng):
    drop = rng.uniform(size=x.shape) < rate
    return np.where(drop, 0.0, x / (1 - rate))


def test_dropout_accepts_the_solution():
    assert ex.check_dropout(my_dropout)


@pytest.mark.parametrize("wrong", [
    None,
    lambda x, rate, rng: np.where(rng.uniform(size=x.shape) < rate, 0.0, x),                 # survivors not scaled
    lambda x, rate, rng: np.where(rng.uniform(size=x.shape) < 1 - rate, 0.0, x / rate),      # keeps `rate`
    lambda x, rate, rng: np.where(np.arange(x.size) < rate * x.size, 0.0, x / (1 - rate)),   # not random
    lambda x, rate, rng: x * (1 - rate),                                                     # inference scaling
    lambda x, rate, rng: 1 / 0,                                                              # raises
])
def test_dropout_rejects_mistakes(wrong):
    assert not ex.check_dropout(wrong)


def test_head_parameters():
    head = pretraining.build_head(np.random.default_rng(0).normal(size=(8, 256)))
    assert ex.check_head_parameters((256 + 1) * 64 + (64 + 1) * 2, head)          # 16,578
    for wrong in (256 * 64 + 64 * 2, (256 + 1) * 64, 16578 + 2 * 256 + 1, None):  # no biases; one layer; + normaliser
        assert not ex.check_head_parameters(wrong, head)


def test_unfreeze_and_the_choice_the_next_cell_makes():
    base = pretraining.build_base(32, [4, 8, 8], expand=8)
    right = ["block3_conv", "block3_expand"]
    assert ex.top_block(base) == right
    assert ex.check_unfreeze(right, base) and ex.check_unfreeze(tuple(reversed(right)), base)
    for wrong in (None, ["block3_conv"], ["block2_conv", "block3_conv", "block3_expand"], "block3", []):
        assert not ex.check_unfreeze(wrong, base)
        assert ex.layers_to_unfreeze(wrong, base) == right, "until the answer is right, the lesson's choice"
    assert ex.layers_to_unfreeze(list(reversed(right)), base) == list(reversed(right)), "a right answer is used"


RIGHT_ANSWERS = {   # restated independently of the module: question start -> the right options' starts
    "Our 200 labelled": {"it only ever saw", "it memorised"},
    "Why are augmentation layers": {"a test photo should", "so that predict"},
    "Keras prints a training": {"Keras' number is", "a smaller gap"},
    "A Dropout(0.5) layer": {"zeroes each value with probability", "doubles the values"},
    "Why does fine-tuning": {"large steps would", "the pretrained weights are"},
    "We call the base": {"BatchNorm layers keep", "the base's trainable layers"},
    "Over five label draws": {"your own run is", "a comparison of two rungs"},
    "What does the label-efficiency": {"with 20 labels", "more studio photos alone"},
}


def test_questionnaire_keys_match_the_right_answers():
    assert 5 <= len(ex.QUESTIONS) <= 10
    assert len(RIGHT_ANSWERS) == len(ex.QUESTIONS)
    for question in ex.QUESTIONS:
        starts = [s for s in RIGHT_ANSWERS if question.text.startswith(s)]
        assert len(starts) == 1, question.text
        right = {o for o in question.options if any(o.startswith(p) for p in RIGHT_ANSWERS[starts[0]])}
        assert len(right) == len(RIGHT_ANSWERS[starts[0]]), question.text
        assert set(question.correct) == right, question.text
