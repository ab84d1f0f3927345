import os
import random

import numpy as np
import pytest

from utils import paths
from utils.notebook import setup


def test_setup_seeds_and_quiets():
    setup(seed=3)
    a = (random.random(), np.random.rand())
    setup(seed=3)
    assert a == (random.random(), np.random.rand())
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_setup_keras_is_deterministic():
    keras = setup(seed=1, keras=True)
    x = keras.random.normal((3,), seed=None)
    keras = setup(seed=1, keras=True)
    y = keras.random.normal((3,), seed=None)
    np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


@pytest.mark.parametrize("seed", [-1, 1.5, "1", None, True])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="non-negative int"):
        setup(seed=seed)


def test_relative_paths():
    assert paths.relative(paths.COURSE_ROOT / "data" / "x.png") == "data/x.png"
    assert paths.relative("/somewhere/else/y.png") == "y.png"


def test_relative_rejects_non_paths():
    with pytest.raises(TypeError, match="expects a path"):
        paths.relative(None)
