"""Tests for utils.validate: every check returns the clean value or names the argument, what was expected and what came."""

from pathlib import Path

import numpy as np
import pytest

from utils import validate


def test_integer_accepts_python_and_numpy_ints_in_range():
    assert validate.integer("n", 3) == 3 and type(validate.integer("n", np.int64(3))) is int
    assert validate.integer("n", 5, 1, 5) == 5 and validate.positive_int("n", 1) == 1


@pytest.mark.parametrize("value, low, high, error, match", [
    (True, None, None, TypeError, "n must be an int, got bool True"),
    (2.0, None, None, TypeError, "n must be an int, got float 2.0"),
    ("3", 0, None, TypeError, "n must be an int, got str '3'"),
    (0, 1, None, ValueError, r"n must be a positive int \(at least 1\), got 0"),
    (-1, 0, None, ValueError, "n must be at least 0, got -1"),
    (9, 1, 8, ValueError, "n must be between 1 and 8, got 9"),
    (9, None, 8, ValueError, "n must be at most 8, got 9"),
])
def test_integer_errors_say_what_was_expected(value, low, high, error, match):
    with pytest.raises(error, match=match):
        validate.integer("n", value, low, high)


def test_sequences_and_pairs_of_ints():
    assert validate.positive_ints("filters", [16, np.int32(32)]) == (16, 32)
    with pytest.raises(TypeError, match="filters must be a sequence of positive ints"):
        validate.positive_ints("filters", 16)
    with pytest.raises(ValueError, match="non-empty sequence of positive ints"):
        validate.positive_ints("filters", [16, 0])
    assert validate.int_pair("size", 3) == (3, 3) and validate.int_pair("size", (2, 4)) == (2, 4)
    with pytest.raises(TypeError, match=r"size must be an int or a pair of ints \(rows, cols\)"):
        validate.int_pair("size", (2, 2, 2))
    with pytest.raises(ValueError, match="each between 1 and 10"):
        validate.int_pair("size", (2, 11), 1, 10)


def test_numbers_choices_rngs_and_paths():
    assert validate.number("alpha", 0.5, 0, 1) == 0.5
    with pytest.raises(ValueError, match="alpha must be between 0 and 1, got nan"):
        validate.number("alpha", float("nan"), 0, 1)
    with pytest.raises(TypeError, match="alpha must be a number, got bool"):
        validate.number("alpha", True, 0, 1)
    with pytest.raises(ValueError, match=r"mode must be one of \('max', 'avg'\), got 'min'"):
        validate.one_of("mode", "min", ("max", "avg"))
    rng = np.random.default_rng(0)
    assert validate.rng(rng) is rng
    with pytest.raises(TypeError, match="numpy Generator"):
        validate.rng(np.random.RandomState(0))
    assert validate.path("folder", "a/b") == Path("a/b")
    with pytest.raises(TypeError, match="folder must be a path"):
        validate.path("folder", 3)


@pytest.mark.parametrize("value, error, match", [
    (None, TypeError, "x is None"),
    ([[1], [2, 3]], TypeError, "could not be turned into a numeric array"),
    (np.array(["a"]), TypeError, "expected numbers"),
    (np.zeros(3), ValueError, "expected a 2-D or 3-D array"),
    (np.zeros((1, 2, 2, 1)), ValueError, "drop the batch axis"),
    (np.zeros((0, 2)), ValueError, "x is empty"),
    (np.array([[1.0, np.inf]]), ValueError, "NaN or infinite"),
])
def test_array_errors(value, error, match):
    with pytest.raises(error, match=match):
        validate.array(value, "x", (2, 3))


def test_images():
    img = np.zeros((4, 4, 3), np.uint8)
    assert validate.image(img, "f", dtypes=(np.uint8,)) is img
    with pytest.raises(TypeError, match="f expects dtype uint8, got float64"):
        validate.image(img.astype(float), "f", dtypes=(np.uint8,))
    with pytest.raises(ValueError, match=r"grayscale \(H, W\) or colour \(H, W, 3\)"):
        validate.image(np.zeros((4, 4, 4), np.uint8), "f")
    assert validate.rgb_image(img.tolist()).shape == (4, 4, 3)
    with pytest.raises(ValueError, match=r"one RGB image of shape \(height, width, 3\)"):
        validate.rgb_image(np.zeros((4, 4)))
