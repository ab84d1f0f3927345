"""The bad inputs of issue #23 get a clear error that names the argument and says what to do.

An audit found them escaping as raw errors (``StopIteration``, ``IndexError``, numpy's ``UFuncTypeError``), a
``None`` result, or a message naming a parameter that does not exist.
"""

import numpy as np
import pytest

from utils import base_cache, evaluation


@pytest.mark.parametrize("call", [evaluation.group_table, evaluation.plot_groups], ids=["group_table", "plot_groups"])
@pytest.mark.parametrize("table", [{}, {"cnn": {}}, [], {"cnn": 0.8}], ids=["empty", "no-groups", "list", "flat"])
def test_group_tables_need_the_table_accuracy_by_group_returns(call, table):
    with pytest.raises(ValueError, match=r"non-empty table that accuracy_by_group returns"):
        call(table)


def test_group_tables_need_the_same_groups_for_every_rung():
    table = {"cnn": {"all": 0.9, "look-alikes": 0.7}, "dense": {"all": 0.6}}
    with pytest.raises(ValueError, match=r"rung 'dense' has groups \['all'\]"):
        evaluation.group_table(table)


def test_show_mistakes_needs_a_name_for_every_class():
    probs = np.array([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1], [0.2, 0.7, 0.1]])
    images = np.zeros((3, 8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match=r"got 2 class names for 3 classes"):
        evaluation.show_mistakes(images, np.array([0, 2, 1]), probs, ["muffin", "chihuahua"])


@pytest.mark.parametrize("path", [42, None, ["pets_bakes_base.keras"]])
def test_base_check_needs_a_path(path):
    with pytest.raises(TypeError, match=r"path of the pretrained base must be a path \(str or pathlib.Path\)"):
        base_cache.problem(path)


@pytest.mark.parametrize("x", ["abc", [1, 2], np.array([1, 2]), 5], ids=["str", "int-list", "int-array", "int"])
def test_gradient_needs_floats(x):
    from utils import explain

    with pytest.raises(TypeError, match=r"x must be an array or tensor of floats"):
        explain.gradient(lambda t: t, x)


def test_gradient_needs_a_function():
    from utils import explain

    with pytest.raises(TypeError, match=r"fn must be a function of x"):
        explain.gradient("x ** 2", np.ones(2, "float32"))


def test_gradient_of_floats_still_works():
    from keras import ops

    from utils import explain

    grad = explain.gradient(lambda t: ops.sum(t * t), np.array([1.0, -2.0], "float32"))
    assert np.allclose(ops.convert_to_numpy(grad), [2.0, -4.0])


def test_load_image_names_its_size_argument(tmp_path):
    import cv2

    from utils.folders import load_image

    path = tmp_path / "photo.png"
    cv2.imwrite(str(path), np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ValueError, match=r"^size must be an int or a pair of ints") as err:
        load_image(path, size=(-1, 5))
    assert "image_size" not in str(err.value)
