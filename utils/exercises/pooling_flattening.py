"""Answer keys of lesson 05 (pooling and flattening): its four exercises and its questionnaire."""

import numpy as np

from utils.checks import check_function, check_value
from utils.params import conv_params, parameter_table
from utils.pooling import pool2d
from utils.quiz import Question


def _plain(value):
    """Lists inside an answer as tuples and NumPy integers as ints, so (13, [1, 2]) compares like (13, (1, 2))."""
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


def check_conv_params(answer):
    """Exercise 1: the trainable parameters of Conv2D(64, 5) on 32×32 RGB images."""
    hints = ["Count what one filter holds: one weight per kernel position and per input channel, plus a bias. "
             "Then multiply by the number of filters. Does the image size enter?",
             "A 5×5 filter on an RGB input is a 5×5×3 block of weights; each of the 64 filters also has one bias."]
    return check_value(_plain(answer), conv_params(5, 3, 64), name="the parameter count", hints=hints)


def _pool_cases():
    """Hidden inputs for max_pool_2x2: even and odd sizes, a single row pair, integers."""
    rng = np.random.default_rng(505)
    return [rng.normal(size=(4, 4)), rng.normal(size=(6, 10)), rng.normal(size=(7, 9)), rng.integers(0, 9, (5, 2)),
            -rng.random((3, 3))]


def check_max_pool_2x2(max_pool_2x2):
    """Exercise 2: 2×2 max pooling with stride 2 of a 2-D array, without loops, on hidden cases (odd sizes too)."""
    hints = ["Each 2×2 window should get its own pair of axes, so that one max over those axes does every window "
             "at once. What must happen to a last row or column that does not fill a window?",
             "Crop the array to even height and width first; then reshape (2h, 2w) into (h, 2, w, 2).",
             "After the reshape, axes 1 and 3 run inside a window: take the max over both."]
    return check_function(max_pool_2x2, lambda x: pool2d(x, 2), _pool_cases(), name="max_pool_2x2", hints=hints)


def check_digits_model(answer):
    """Exercise 3: (length of the flattened vector, parameters of the Dense layer) of the small digits model."""
    table = parameter_table((28, 28, 1), [("conv", 8, 3), ("pool", 2), ("flatten",), ("dense", 10)])
    expected = (table[2]["output"][0], table[3]["params"])
    hints = ["Follow the shape layer by layer: the 'valid' conv shrinks height and width, pooling halves them, "
             "the channels come from the number of filters; Flatten multiplies the three numbers.",
             "A Dense layer with N_in inputs and N_out units has (N_in + 1) · N_out parameters: do not forget the "
             "biases."]
    return check_value(_plain(answer), expected, name="(flat length, dense parameters)", hints=hints)


def check_conv1x1(answer):
    """Exercise 4: (output shape, parameters) of Conv2D(16, 1) on a 32×32×64 feature map."""
    expected = ((32, 32, 16), conv_params(1, 64, 16))
    hints = ["A 1×1 kernel sees one pixel: height and width stay. At that pixel it mixes all input channels into "
             "each of its filters' outputs.",
             "The parameter formula (F·F·C + 1)·K holds with F = 1."]
    return check_value(_plain(answer), expected, name="(output shape, parameters)", hints=hints)


QUESTIONS = [
    Question("How many trainable parameters does a MaxPooling2D layer have?",
             ("0", "one per window", "pool size × pool size", "one per channel"),
             ("0",),
             "It takes a fixed maximum: nothing to learn."),
    Question("A 32×32×16 stack goes through MaxPooling2D(2). What comes out?",
             ("16×16×16", "16×16×8", "32×32×4", "31×31×16"),
             ("16×16×16",),
             "Pooling works channel by channel: height and width halve, the channels stay."),
    Question("What does max pooling's tolerance to small shifts mean?",
             ("a feature moved by a pixel or two changes the pooled map much less than the feature map",
              "the output never changes, however far the object moves",
              "pooling removes the feature's position completely"),
             ("a feature moved by a pixel or two changes the pooled map much less than the feature map",),
             "Tolerant, not invariant: a shift across a window border still shows."),
    Question("'Pooling reduces overfitting.' Which statements are right?",
             ("pooling makes the maps smaller, so the dense layer after it needs far fewer weights",
              "pooling gives some tolerance to small shifts of the object",
              "pooling has weights that learn to ignore noise",
              "with pooling a model cannot overfit"),
             ("pooling makes the maps smaller, so the dense layer after it needs far fewer weights",
              "pooling gives some tolerance to small shifts of the object"),
             "Fewer weights downstream leave less room to memorise; whether a model overfits is still measured on "
             "photos it has not seen."),
    Question("Why does Keras need Flatten between the last pooling layer and Dense?",
             ("Dense acts on the last axis only; without Flatten it would treat every pixel separately",
              "Flatten learns which pixels matter", "Flatten makes the maps smaller"),
             ("Dense acts on the last axis only; without Flatten it would treat every pixel separately",),
             "Flatten only lines the numbers up; it computes nothing."),
    Question("What does a 1×1 convolution with K filters do to an H×W×C stack?",
             ("it mixes the C channel values of each pixel into K new ones", "it keeps height and width",
              "it has (C + 1)·K parameters", "it blurs each map", "it has no parameters"),
             ("it mixes the C channel values of each pixel into K new ones", "it keeps height and width",
              "it has (C + 1)·K parameters"),
             "It is a Dense layer applied to every pixel's channel vector."),
    Question("Two Conv2D layers with 3×3 kernels and no activation between them…",
             ("compute exactly what one 5×5 Conv2D layer can compute",
              "can learn more than any single conv layer", "are equivalent to one 3×3 layer"),
             ("compute exactly what one 5×5 Conv2D layer can compute",),
             "Linear maps compose into one linear map: the depth is wasted without a non-linearity such as ReLU."),
    Question("What does the ReLU after a conv layer make possible?",
             ("answers such as 'a vertical AND a horizontal edge here' (a corner)",
              "layers that do not collapse into one", "fewer parameters", "a larger receptive field"),
             ("answers such as 'a vertical AND a horizontal edge here' (a corner)",
              "layers that do not collapse into one"),
             "ReLU has no weights and does not change what a unit sees; it bends the map."),
    Question("After conv3×3 → pool2 → conv3×3 → pool2 → conv3×3, a unit of the last conv sees about 18×18 pixels. "
             "What lets it see so much more than 3×3?",
             ("the pooling layers: each doubles the distance between neighbouring positions",
              "the ReLUs", "the number of filters"),
             ("the pooling layers: each doubles the distance between neighbouring positions",),
             "Every later 3×3 kernel then spans twice as many input pixels."),
]
