"""One-call set-up for the first code cell of every lesson."""

import os
import random

ONEDNN = "TF_ENABLE_ONEDNN_OPTS"
# Holds "1" while ONEDNN holds the course's own default rather than a value the user chose. Child processes (a
# kernel started by pytest, lesson 07's background build) inherit both, so they can tell the two apart.
COURSE_DEFAULT = "MUFFIN_ONEDNN_DEFAULT"


def quiet_tensorflow_env():
    """Before TensorFlow is imported: quiet its C++ logs; unless the user set TF_ENABLE_ONEDNN_OPTS, keep oneDNN off.

    oneDNN's start-up line ignores the log level, so code that imports TensorFlow on its own stays silent;
    ``setup_keras`` switches oneDNN on (and mutes that line) unless the user chose otherwise.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if ONEDNN not in os.environ:
        os.environ[ONEDNN] = "0"
        os.environ[COURSE_DEFAULT] = "1"


def onednn_choice():
    """The user's TF_ENABLE_ONEDNN_OPTS (e.g. ``"0"`` set before starting Jupyter or pytest), or None if not chosen."""
    if os.environ.get(COURSE_DEFAULT) == "1":
        return None
    return os.environ.get(ONEDNN)


# Must happen before TensorFlow is first imported in the kernel, so it runs at import time of this module.
quiet_tensorflow_env()

FIGURE_STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 100,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": False,
    "image.interpolation": "nearest",
    "font.size": 11,
}


def setup(seed=42, keras=False):
    """Quiet logs, seed every RNG and set figure defaults; with ``keras=True`` also make Keras deterministic.

    Returns the ``keras`` module when asked for it, else ``None``.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"setup(seed=...) expects a non-negative int, got {seed!r}")
    import matplotlib
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=3, suppress=True, linewidth=100)
    matplotlib.rcParams.update(FIGURE_STYLE)
    if not keras:
        return None
    return setup_keras(seed)


def _import_keras_fast_and_quiet():
    """Import Keras (and TensorFlow) with oneDNN's fast CPU kernels on, unless the user chose, and fd 2 muted.

    oneDNN trains the course's CNNs about twice as fast, but TensorFlow then prints an INFO line at import that
    ignores TF_CPP_MIN_LOG_LEVEL; a stored notebook would hold it and nbval (which cannot see C++ output) fail.
    A TF_ENABLE_ONEDNN_OPTS set before the process started wins (``0`` gives another floating-point order, as on
    another machine). If TensorFlow was already imported elsewhere, its settings stay as they were.
    """
    import sys

    if "tensorflow" in sys.modules or "keras" in sys.modules:
        import keras

        return keras
    if onednn_choice() is None:
        os.environ[ONEDNN] = "1"
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import keras

        if keras.backend.backend() == "tensorflow":
            import tensorflow  # noqa: F401 - its C++ start-up happens here, while fd 2 is muted
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return keras


def setup_keras(seed=42):
    """Import Keras quietly, seed it and switch on op determinism for the TensorFlow backend."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    keras = _import_keras_fast_and_quiet()

    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        tf.get_logger().setLevel("ERROR")
    return keras
