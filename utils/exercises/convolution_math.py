"""Answer keys of lesson 02 (`notebooks/02_convolution_math.ipynb`): exercise checks and the questionnaire."""

import numpy as np

from utils.checks import check_array, check_function, check_value
from utils.conv import correlate2d, output_size
from utils.quiz import Question


def _same_numbers(answer, expected):
    """Whether ``answer`` holds the same numbers as ``expected`` (False when it cannot be compared)."""
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(expected) and np.allclose(got, expected)


def check_convolution(answer, x, k):
    """Exercise 1: the full convolution of ``x`` with ``k``, worked out by hand (a list of numbers)."""
    expected = np.convolve(x, k)
    hints = ["Convolution flips the kernel before sliding it: y[n] adds up x[i]·k[n − i] for every i where both "
             f"exist, for n = 0 … {len(x) + len(k) - 2}.",
             "Write k backwards under x so that its last entry (after the flip) sits under x[0] for y[0]; move it "
             "one step to the right for each next output, and add the products of the numbers that overlap."]
    if _same_numbers(answer, np.convolve(x, np.asarray(k)[::-1])):
        hints = ["You slid k without flipping it: that is a cross-correlation, not a convolution.", *hints[1:]]
    elif _same_numbers(answer, np.convolve(x, k, "valid")):
        hints = ["Those are only the positions where k fits entirely; the full convolution also counts the "
                 "partial overlaps at both ends.", *hints]
    return check_array(answer, expected, name="your convolution", hints=hints)


def _cases(image, kernel):
    """The student's example plus random inputs with rectangular images and kernels (catches swapped axes)."""
    rng = np.random.default_rng(2)
    return [(np.asarray(image, float), np.asarray(kernel, float)),
            (rng.normal(size=(6, 8)), rng.normal(size=(3, 3))),
            (rng.normal(size=(7, 5)), rng.normal(size=(2, 4))),
            (rng.normal(size=(4, 9)), rng.normal(size=(4, 1)))]


def check_corr2d(func, image, kernel):
    """Exercise 2: ``func(image, kernel)`` is the 'valid' cross-correlation, on ``image, kernel`` and random cases."""
    hints = ["Each output number is the sum of one window of the image times the kernel, entry by entry; there is "
             "one output for every position where the whole kernel fits inside the image.",
             "The output has shape (H − Fh + 1, W − Fw + 1). Loop i and j over it; the window is "
             "image[i:i + Fh, j:j + Fw]. Do not flip the kernel."]
    return check_function(func, correlate2d, _cases(image, kernel), name="corr2d", hints=hints)


def check_output_height(answer, size, kernel, padding=0, stride=1):
    """Exercise 3: the output height of a convolution layer, from the output-size formula."""
    hints = ["Count the positions the kernel can take: the padded input is size + 2 × padding long, the kernel "
             "covers kernel rows, and it jumps stride rows at a time; the first position counts too.",
             "The formula is ⌊(H − F + 2P) / S⌋ + 1. In Python, // divides and rounds down."]
    if answer is not None and not isinstance(answer, (bool, str)) and np.ndim(answer) == 0:
        if answer == (size - kernel + 2 * padding) / stride + 1 and stride > 1:
            hints = ["A layer has a whole number of rows: round the division down before adding 1.", *hints[1:]]
        elif answer == output_size(size, kernel, 0, stride):
            hints = ["You left out the padding: it adds rows of zeros on both sides.", *hints]
        elif answer == output_size(size, kernel, padding, 1):
            hints = ["You left out the stride: the kernel jumps that many rows at a time.", *hints]
    return check_value(answer, output_size(size, kernel, padding, stride), name="the output height", hints=hints)


QUESTIONS = [
    Question(
        "Which four steps make one output value of a convolution?",
        ("flip the kernel, shift it, multiply point by point, sum",
         "sort the values, take the middle one",
         "shift the kernel, multiply, take the maximum",
         "add the kernel to the signal, then divide by its length"),
        ("flip the kernel, shift it, multiply point by point, sum",),
        "(f * g)(t) = ∫ f(τ) g(t − τ) dτ: the minus sign flips g, t shifts it, the product and the integral do the rest.",
    ),
    Question(
        "Which statements about convolving a signal with a box (all ones, divided by its length) are true?",
        ("It blurs: each output is the average over a window",
         "It finds edges",
         "It makes the signal longer only, with the same values",
         "Two boxes give a triangle"),
        ("It blurs: each output is the average over a window", "Two boxes give a triangle"),
        "A box kernel averages; the overlap of two boxes grows and shrinks linearly, hence the triangle.",
    ),
    Question(
        "A signal of length 10 is convolved with a kernel of length 3 in 'full' mode. How many outputs?",
        ("8", "10", "12", "13"),
        ("12",),
        "Full mode keeps every partial overlap: N + M − 1 = 10 + 3 − 1 = 12 ('valid' keeps 8, 'same' 10).",
    ),
    Question(
        "What does `keras.layers.Conv2D` compute, and why does nobody mind?",
        ("A cross-correlation: the kernel is not flipped",
         "A true convolution: the kernel is flipped",
         "It does not matter because the kernel is learned: training finds the flipped kernel if that works better",
         "It does not matter because all kernels are symmetric"),
        ("A cross-correlation: the kernel is not flipped",
         "It does not matter because the kernel is learned: training finds the flipped kernel if that works better"),
        "Keras, PyTorch and cv2.filter2D all correlate; the name 'convolution' stuck.",
    ),
    Question(
        "An impulse [0, 0, 1, 0, 0] is convolved with the kernel [1, 2, 3] ('same' mode). What comes out?",
        ("[0, 1, 2, 3, 0]", "[0, 3, 2, 1, 0]", "[0, 0, 6, 0, 0]", "[1, 2, 3, 0, 0]"),
        ("[0, 1, 2, 3, 0]",),
        "Convolution copies the kernel where the impulse sits (the impulse response); correlation copies it reversed.",
    ),
    Question(
        "A 32 × 32 input, a 3 × 3 kernel, padding 1, stride 1. What size is the output?",
        ("30 × 30", "32 × 32", "34 × 34", "16 × 16"),
        ("32 × 32",),
        "⌊(32 − 3 + 2) / 1⌋ + 1 = 32: padding (F − 1)/2 keeps the size, which is what padding='same' does.",
    ),
    Question(
        "A Conv2D layer with one 3 × 3 filter runs on an RGB photo. Which statements are true?",
        ("Its kernel has shape 3 × 3 × 3: one 3 × 3 slice per colour channel",
         "It outputs three feature maps, one per colour",
         "It outputs one feature map: the sum runs over the channels too",
         "It only looks at the red channel"),
        ("Its kernel has shape 3 × 3 × 3: one 3 × 3 slice per colour channel",
         "It outputs one feature map: the sum runs over the channels too"),
        "One kernel, one map; a layer with K filters outputs K maps stacked along the last axis.",
    ),
    Question(
        "What does `Conv3D` add to `Conv2D`?",
        ("The kernel also slides along a third axis, such as time in a video or depth in a CT scan",
         "It accepts colour images, which Conv2D cannot",
         "It uses three kernels instead of one",
         "It can see motion between frames, which a 2D kernel on one frame cannot"),
        ("The kernel also slides along a third axis, such as time in a video or depth in a CT scan",
         "It can see motion between frames, which a 2D kernel on one frame cannot"),
        "Conv2D already handles colour (its kernel spans the channels); Conv3D slides over a third axis.",
    ),
]
