"""Answer keys of lesson 03 (filters and feature maps): its three exercises and its questionnaire."""

import cv2
import numpy as np

from utils.checks import check_array, check_function
from utils.conv import conv2d, correlate2d
from utils.quiz import Question

_TEST_IMAGE = np.arange(1.0, 43.0).reshape(6, 7)  # every pixel different, so any wrong kernel shows


def _shifted_right(image):
    """The image moved one column to the right; a column of zeros enters on the left."""
    moved = np.zeros_like(image)
    moved[:, 1:] = image[:, :-1]
    return moved


def check_shift_kernel(kernel):
    """Exercise 1: a 3×3 kernel whose 'same' cross-correlation moves every pixel one step to the right."""
    hints = ["Output pixel (i, j) must copy input pixel (i, j − 1). Which of the nine window positions holds that "
             "pixel when the window is centred on (i, j)?",
             "A kernel with a single 1 and eight 0s copies one pixel of its window. Correlation does not flip the "
             "kernel: the 1 sits where the pixel you want to copy sits in the window.",
             "The window's middle row holds row i; its three columns hold columns j − 1, j and j + 1."]
    try:
        arr = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if kernel is None or arr is None or arr.shape != (3, 3) or not np.all(np.isfinite(arr)):
        return check_array(kernel, np.zeros((3, 3)), name="shift_right", hints=hints)  # only type/shape differ
    moved = correlate2d(_TEST_IMAGE, arr, padding="same")
    return check_array(moved, _shifted_right(_TEST_IMAGE), name="the test image after your kernel", hints=hints,
                       success="the picture moves one pixel to the right.")


def _reference_gradient(X, error):
    """dL/dW of the mean squared error: the input correlated with the error, times 2 / N."""
    return 2 * correlate2d(X, error) / error.size


def _gradient_cases():
    """Random images with error maps that make a 3×3 gradient: square, tall, wide."""
    rng = np.random.default_rng(303)
    return [(rng.normal(size=(h, w)), rng.normal(size=(h - 2, w - 2))) for h, w in [(6, 6), (9, 5), (5, 11)]]


def check_kernel_gradient(kernel_gradient):
    """Exercise 2: the 3×3 gradient of the MSE with respect to the kernel, checked on hidden random cases."""
    hints = ["Weight W[u, v] multiplied pixel X[i + u, j + v] in prediction (i, j). Its gradient adds up "
             "error × that pixel over every output position (i, j), times 2 / N.",
             "For one (u, v), the pixels X[i + u, j + v] over all (i, j) form a slice of X as large as the error "
             "map, starting at row u and column v.",
             "Loop over u and v (3 × 3), multiply the error map by that slice element by element, sum, and scale "
             "by 2 / error.size."]
    return check_function(kernel_gradient, _reference_gradient, _gradient_cases(), name="kernel_gradient",
                          hints=hints)


def check_cv2_kernel(k_for_cv2, kernel, image):
    """Exercise 3: the kernel that makes ``cv2.filter2D`` (a correlation) compute the true convolution with ``kernel``."""
    hints = ["cv2.filter2D correlates. A true convolution is a correlation with a changed kernel: which change "
             "did section 5 show?",
             "Flipping only the rows, or only the columns, is not enough for an asymmetric kernel; a transpose "
             "is not a flip.",
             "NumPy slicing with a step of −1 reverses an axis."]
    image = np.asarray(image, dtype=np.float32)
    expected = conv2d(image, kernel, padding="same")
    try:
        k = np.asarray(k_for_cv2, dtype=np.float32)
    except (TypeError, ValueError):
        k = None
    if k_for_cv2 is None or k is None or k.shape != np.shape(kernel) or not np.all(np.isfinite(k)):
        return check_array(k_for_cv2, np.zeros(np.shape(kernel)), name="k_for_cv2", hints=hints)
    got = cv2.filter2D(image, -1, k, borderType=cv2.BORDER_CONSTANT)
    return check_array(got, expected, name="cv2.filter2D's result", atol=1e-4, hints=hints,
                       success="OpenCV now convolves.")


QUESTIONS = [
    Question("A 3×3 kernel's nine weights add up to 0. What is its feature map on a flat, evenly lit wall?",
             ("0 everywhere", "the wall's brightness", "the wall, three times brighter", "random noise"),
             ("0 everywhere",),
             "Every window holds the same value v, so the output is v × (sum of the weights) = 0."),
    Question("Which kernels keep the overall brightness of a photo (their weights add up to 1)?",
             ("box blur", "Gaussian blur", "sharpen", "emboss", "Sobel x", "Laplacian"),
             ("box blur", "Gaussian blur", "sharpen", "emboss"),
             "Sobel and the Laplacian add up to 0: they answer only to change."),
    Question("On the red–blue map of the vertical-edge kernel [−1 0 1] (three rows), a strong red line means…",
             ("dark on the left, bright on the right", "bright on the left, dark on the right",
              "a bright horizontal line", "nothing: red is the background"),
             ("dark on the left, bright on the right",),
             "Right column minus left column is large and positive where brightness rises to the right."),
    Question("What does a CNN change when it learns?",
             ("the numbers in its kernels (and biases)", "the training photos", "the kernel size",
              "the order of the pixels"),
             ("the numbers in its kernels (and biases)",),
             "Gradient descent moves every weight a little against the gradient of the loss."),
    Question("In section 4, the gradient of the MSE with respect to the kernel is…",
             ("the input correlated with the error (times 2/N)", "the error map itself", "the kernel flipped",
              "zero once the loss is small"),
             ("the input correlated with the error (times 2/N)",),
             "Each weight moves by how much its pixels agree with the mistakes."),
    Question("Why did gradient descent find Sobel x from the gravel photo but not from the smooth cameraman photo?",
             ("in smooth regions neighbouring pixels are nearly equal, so many kernels predict almost the same map",
              "the cameraman photo is too small", "gradient descent only works on textures",
              "the learning rate was negative"),
             ("in smooth regions neighbouring pixels are nearly equal, so many kernels predict almost the same map",),
             "Varied training images pin the kernel down."),
    Question("Keras Conv2D, cv2.filter2D and utils.conv.correlate2d compute…",
             ("cross-correlation: the kernel is not flipped", "true convolution: the kernel is flipped",
              "three different things"),
             ("cross-correlation: the kernel is not flipped",),
             "A true convolution needs the kernel flipped in both axes first."),
    Question("Why is the vectorised correlate2d hundreds of times faster than the Python loop?",
             ("its arithmetic runs in compiled code, as one matrix product over all windows",
              "it skips pixels", "it uses a smaller kernel", "it rounds the numbers"),
             ("its arithmetic runs in compiled code, as one matrix product over all windows",),
             "Both compute every output pixel exactly; the loop pays Python's overhead per pixel."),
]
