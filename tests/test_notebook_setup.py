import os
import random
from pathlib import Path

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


def test_keras_imports_with_onednn_and_prints_nothing():
    """oneDNN's start-up line ignores the log level; setup mutes it, so stored notebooks match nbval runs."""
    import subprocess
    import sys

    code = ("from utils.notebook import setup; import os, sys; setup(keras=True); "
            "import tensorflow as tf; print(os.environ['TF_ENABLE_ONEDNN_OPTS'], 'tensorflow' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.split() == ["1", "True"]
    assert done.stderr == "", f"TensorFlow wrote to stderr: {done.stderr[:300]}"


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
