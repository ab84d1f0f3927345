"""Lesson 03's answer keys: each check accepts the solution and rejects typical mistakes; the questionnaire's right
answers are restated here independently."""

import numpy as np
import pytest

from utils.checks import more_help
from questionnaire_keys import assert_keys_restated
from utils.exercises import filters_feature_maps as ex

K_ASYM = np.array([[0, 1, 2], [0, 0, 3], [0, 0, 0]], dtype=np.float32)
IMAGE = np.random.default_rng(1).random((20, 24)).astype(np.float32)


def test_shift_kernel_accepts_the_solution(capsys):
    assert ex.check_shift_kernel([[0, 0, 0], [1, 0, 0], [0, 0, 0]])
    assert "Correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [
    [[0, 0, 0], [0, 0, 1], [0, 0, 0]],          # moves the picture left (the convolution habit)
    [[0, 1, 0], [0, 0, 0], [0, 0, 0]],          # moves it down
    [[0, 0, 0], [0, 1, 0], [0, 0, 0]],          # identity
    [[0, 0], [1, 0]],                           # wrong shape
    None, "kernel", [[np.nan] * 3] * 3,
])
def test_shift_kernel_rejects_mistakes(wrong, capsys):
    assert not ex.check_shift_kernel(wrong)
    out = capsys.readouterr().out
    assert "Not yet" in out and "Hint:" in out


def test_hints_come_in_steps(capsys):
    ex.check_shift_kernel(None)
    first = capsys.readouterr().out
    more_help()
    second = capsys.readouterr().out
    assert "Stuck?" in first and second.startswith("Hint:") and second not in first


def kernel_gradient(X, error):
    h, w = error.shape
    return np.array([[2 * np.sum(error * X[u:u + h, v:v + w]) / error.size for v in range(3)] for u in range(3)])


def test_kernel_gradient_accepts_the_solution():
    assert ex.check_kernel_gradient(kernel_gradient)


@pytest.mark.parametrize("wrong", [
    lambda X, e: kernel_gradient(X, e) / 2,                         # forgot the 2
    lambda X, e: kernel_gradient(X, e) * e.size / X.size,           # divided by the image size
    lambda X, e: kernel_gradient(X, e).T,                           # rows and columns swapped
    lambda X, e: kernel_gradient(X, e)[::-1, ::-1],                 # flipped
    lambda X, e: -kernel_gradient(X, e),                            # sign
])
def test_kernel_gradient_rejects_mistakes(wrong):
    assert not ex.check_kernel_gradient(wrong)


def test_kernel_gradient_reports_a_missing_function(capsys):
    def not_written(X, error):
        raise NotImplementedError

    assert not ex.check_kernel_gradient(not_written)
    assert "not written yet" in capsys.readouterr().out


def test_cv2_kernel_accepts_the_flip_in_both_axes():
    assert ex.check_cv2_kernel(K_ASYM[::-1, ::-1], K_ASYM, IMAGE)
    assert ex.check_cv2_kernel(np.flip(K_ASYM).tolist(), K_ASYM, IMAGE)


@pytest.mark.parametrize("wrong", [K_ASYM, K_ASYM[::-1], K_ASYM[:, ::-1], K_ASYM.T, K_ASYM[:2], None])
def test_cv2_kernel_rejects_mistakes(wrong):
    assert not ex.check_cv2_kernel(wrong, K_ASYM, IMAGE)


RIGHT = {  # the right options, restated (not read from the module)
    "A 3×3 kernel's nine weights add up to 0": {"0 everywhere"},
    "Which kernels keep the overall brightness": {"box blur", "Gaussian blur", "sharpen", "emboss"},
    "On the red–blue map of the vertical-edge kernel": {"dark on the left, bright on the right"},
    "What does a CNN change when it learns": {"the numbers in its kernels (and biases)"},
    "In section 4, the gradient of the MSE": {"the input correlated with the error (times 2/N)"},
    "Why did gradient descent find Sobel x": {
        "in smooth regions neighbouring pixels are nearly equal, so many kernels predict almost the same map"},
    "Keras Conv2D, cv2.filter2D and utils.conv.correlate2d compute": {"cross-correlation: the kernel is not flipped"},
    "Why is the vectorised correlate2d": {
        "its arithmetic runs in compiled code, as one matrix product over all windows"},
}


def test_questionnaire_answer_keys():
    assert_keys_restated(ex.QUESTIONS, RIGHT)


def test_the_kernel_families_hold():
    """The brightness question's key follows from the kernels' sums."""
    from utils.conv_widgets import KERNELS

    sums = {name: round(float(k.sum()), 6) for name, k in KERNELS.items()}
    assert {n for n, s in sums.items() if s == 1} >= {"box blur", "Gaussian blur", "sharpen", "emboss"}
    assert sums["Sobel x"] == 0 and sums["Laplacian (outline)"] == 0
