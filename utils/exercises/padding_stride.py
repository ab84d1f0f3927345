"""Answer keys of lesson 04 (padding and stride): its four exercises and its questionnaire."""

import numpy as np

from utils.checks import check_function, check_value
from utils.conv import output_size
from utils.quiz import Question
from utils.receptive_field import receptive_fields


def _keras_size(i, f, stride, padding):
    """Keras Conv2D output size along one axis: 'valid' = floor((I − F) / S) + 1, 'same' = ceil(I / S)."""
    return -(-i // stride) if padding == "same" else output_size(i, f, 0, stride)


# (input size, kernel, stride, padding): odd kernels (the lesson's P = (F − 1) / 2 holds), strides 1 to 3, inputs
# that divide and that do not
_SIZE_CASES = [(32, 5, 1, "valid"), (32, 5, 1, "same"), (7, 3, 2, "same"), (7, 3, 2, "valid"), (8, 3, 2, "valid"),
               (8, 3, 2, "same"), (10, 3, 3, "valid"), (10, 3, 3, "same"), (224, 7, 2, "same"),
               (224, 7, 2, "valid"), (9, 9, 1, "valid"), (11, 5, 3, "same")]


def check_layer_output_size(layer_output_size):
    """Exercise 1: the output size of a Keras Conv2D along one axis, for padding 'valid' and 'same', on hidden cases."""
    hints = ["'valid' adds no zeros, so the output-size formula applies with P = 0. For 'same', look again at the "
             "slide on 'valid' and 'same': how many outputs does it promise for a stride S?",
             "With stride 1, 'same' keeps the size; with stride S it divides the size by S and rounds up. For "
             "'valid', the floor in the formula matters when (I − F) is not a multiple of S.",
             "Python's // rounds down; −(−a // b) rounds a / b up (or use math.ceil)."]
    return check_function(layer_output_size, _keras_size, _SIZE_CASES, name="layer_output_size", hints=hints)


_PAD_CASES = [(np.arange(1, 17).reshape(4, 4), 2), (np.arange(-6, 6).reshape(3, 4), 1),
              (np.arange(10).reshape(2, 5), 0), (np.ones((1, 1)), 3)]


def check_pad_zeros(pad_zeros):
    """Exercise 2: ``pad_zeros(image, p)``, p rings of zeros around a 2-D image, on hidden cases (p = 0 included)."""
    hints = ["The result is a frame of zeros, 2p rows taller and 2p columns wider than the image, with the image "
             "copied into its middle.",
             "Make an array of zeros of the padded shape first, then assign the image into the slice that starts "
             "at row p and column p.",
             "Write the slice's end as p + height (and p + width): a slice ending at −p is empty when p = 0."]
    return check_function(pad_zeros, lambda image, p: np.pad(image, p), _PAD_CASES, name="pad_zeros", hints=hints)


PADDING_TASK = {"input": 28, "kernel": 5, "stride": 2, "output": 14}


def check_padding(answer):
    """Exercise 3: the smallest padding P that gives a 14×14 output for a 28×28 input, 5×5 kernel, stride 2."""
    t = PADDING_TASK
    expected = next(p for p in range(t["kernel"]) if output_size(t["input"], t["kernel"], p, t["stride"]) == t["output"])
    hints = ["Write the output-size formula with the output you want, then solve it for P. The floor means that "
             "more than one value can look right on paper: try each candidate in the formula.",
             "Try P = 0, 1, 2, … in order and compute O for each; stop at the first that gives the wanted size."]
    return check_value(answer, expected, name="P", hints=hints, success="the output is 14×14.")


RECEPTIVE_FIELD_TASK = [(5, 1), (3, 2), (3, 2), (3, 1)]  # (kernel, stride) of four conv layers


def check_receptive_field(answer):
    """Exercise 4: the receptive field (one side, in input pixels) after the four layers of ``RECEPTIVE_FIELD_TASK``."""
    hints = ["Go layer by layer and keep two numbers: the receptive field r and the jump j (input pixels between "
             "neighbouring positions of the layer's input). Start from one pixel.",
             "Each layer first adds (F − 1) · j to r, using the jump of its *input*; only then does its stride "
             "multiply j for the layers after it.",
             "Write r and j after each of the four layers in a small table."]
    return check_value(answer, receptive_fields(RECEPTIVE_FIELD_TASK)[-1]["field"], name="the receptive field",
                       hints=hints, success="one output of the fourth layer sees that many pixels per side.")


QUESTIONS = [
    Question("A Conv2D layer with padding='same' and stride 1 reads a 64×64 map. How large is its output?",
             ("64×64", "62×62", "32×32", "it depends on the kernel size"),
             ("64×64",),
             "'same' adds (F − 1) / 2 zeros per side for an odd kernel, exactly enough to keep the size."),
    Question("Why do CNNs pad with zeros?",
             ("to keep the feature map from shrinking layer after layer",
              "so that border pixels take part in as many kernel positions as inner ones do, or nearly",
              "to add information about the photo", "to make the kernel larger"),
             ("to keep the feature map from shrinking layer after layer",
              "so that border pixels take part in as many kernel positions as inner ones do, or nearly"),
             "The zeros carry no information; they only give the kernel room at the border."),
    Question("What does a stride of 2 do (same padding)?",
             ("the output has about half the rows and half the columns",
              "the output is every second value of the stride-1 output",
              "the kernel becomes twice as large", "the output has twice as many channels"),
             ("the output has about half the rows and half the columns",
              "the output is every second value of the stride-1 output"),
             "The layer just skips computing the positions in between."),
    Question("(I − F + 2P) / S is not a whole number, e.g. I = 8, F = 3, P = 0, S = 2. What happens?",
             ("the last rows and columns are never covered and are dropped", "Keras raises an error",
              "the kernel shrinks to fit", "the output gets a fractional size"),
             ("the last rows and columns are never covered and are dropped",),
             "The floor in the formula throws away the last, incomplete step."),
    Question("Two 3×3 conv layers with stride 1 are stacked. How many input pixels (per side) does one output of "
             "the second layer see?",
             ("5", "3", "6", "9"),
             ("5",),
             "It reads 3×3 outputs of the first layer, which together cover 5×5 input pixels: 3 + (3 − 1) · 1."),
    Question("Which settings make the receptive field grow fastest from layer to layer?",
             ("strides (and pooling) in earlier layers", "more filters per layer", "padding='same'",
              "a larger input image"),
             ("strides (and pooling) in earlier layers",),
             "A stride multiplies the jump j, so every later layer's F − 1 steps cover more pixels."),
    Question("Why does the receptive field matter for recognising a chihuahua?",
             ("a unit cannot respond to a structure larger than what it sees",
              "a larger receptive field always means higher accuracy",
              "the receptive field decides how many parameters a layer has"),
             ("a unit cannot respond to a structure larger than what it sees",),
             "Early layers see edges; only layers that see a whole ear can respond to an ear."),
]
