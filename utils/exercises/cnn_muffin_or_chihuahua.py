"""Answer keys of lesson 06 (a CNN that tells muffins from chihuahuas): its four exercises and its questionnaire."""

import numpy as np

from utils.checks import check_array, check_value
from utils.models import build_cnn, probability_sentence
from utils.params import conv_params
from utils.quiz import Question


def check_conv2_params(answer):
    """Exercise 1: the parameters of ``conv2`` with 5×5 kernels (16 input channels, 32 filters)."""
    hints = ["Each of the 32 filters has one weight for every number it sees at one position — a 5×5 window "
             "through all of its input channels — plus one bias.",
             "How many input channels does conv2 read? As many as conv1 has filters. Then use lesson 05's formula "
             "(F·F·C + 1)·K.",
             "Check your count for the 3×3 kernels first: it must give the 4,640 that the lesson printed for conv2."]
    return check_value(answer, conv_params(5, 16, 32), name="the parameter count", hints=hints,
                       success="5×5 kernels cost almost three times the weights of 3×3 ones.")


def check_flat_cnn(flat_cnn):
    """Exercise 2: ``flat_cnn``, the lesson's CNN with Flatten in place of GlobalMaxPooling2D."""
    import keras

    hints = ["Keep every layer of `cnn` and change only what turns conv3's 8×8×64 block into a vector: Flatten "
             "keeps all 4,096 numbers instead of one per map.",
             "Copy the cell that builds `cnn` into this one and replace the GlobalMaxPooling2D line; nothing else "
             "changes.",
             "Flatten takes no size argument: layers.Flatten() alone."]
    if flat_cnn is None or not isinstance(flat_cnn, keras.Model):
        return check_value(None if flat_cnn is None else type(flat_cnn).__name__, "Sequential",
                           name="flat_cnn (a keras model)", hints=hints)
    reference = build_cnn(input_shape=tuple(flat_cnn.input_shape[1:]), pooling="flatten")
    kinds = tuple(type(layer).__name__ for layer in flat_cnn.layers)
    expected_kinds = tuple(type(layer).__name__ for layer in reference.layers)
    if kinds != expected_kinds:
        return check_value(kinds, expected_kinds, name="its layer types", hints=hints)
    if tuple(flat_cnn.output_shape) != tuple(reference.output_shape):
        return check_value(tuple(flat_cnn.output_shape), tuple(reference.output_shape), name="its output shape",
                           hints=hints)
    return check_value(flat_cnn.count_params(), reference.count_params(), name="its number of weights",
                       hints=hints, success="the Flatten head costs far more weights than global max pooling.")


def check_sentence(answer, p, class_names):
    """Exercise 3: the prediction ``p`` said as the lesson says it, e.g. ``"93 % chihuahua"``."""
    hints = ["The sentence names the more likely class and its probability, in whole percent, with a space before "
             "`%` and one after it.",
             "`p.argmax()` is the position of the larger probability; `class_names` turns it into a name; "
             "`round(100 * ...)` turns a probability into whole percent.",
             "Build the string with an f-string: f\"{...} % {...}\"."]
    return check_value(answer, probability_sentence(p, class_names), name="your sentence", hints=hints)


def _penultimate(cnn, images):
    """The 64 numbers the output layer reads for each image (the ``dense`` layer's output)."""
    import keras
    from keras import ops

    features = keras.Model(cnn.inputs[0], cnn.get_layer("dense").output)
    return ops.convert_to_numpy(features(np.asarray(images, dtype="float32"))).astype("float64")


def check_sigmoid_unit(w, c, cnn, images):
    """Exercise 4: weights ``w`` (64,) and bias ``c`` of one sigmoid unit that gives the same P(muffin) as the
    CNN's two-unit softmax output, on ``images``."""
    from keras import ops

    hints = ["Softmax over two scores depends only on their difference: P(muffin) = sigmoid(z_muffin − "
             "z_chihuahua). Each score is h·W[:, k] + b[k]: which single weight vector and bias give that "
             "difference?",
             "The difference of h·a + b and h·a′ + b′ is h·(a − a′) + (b − b′). The output layer's kernel (64 × 2) "
             "and bias (2) come from cnn.get_layer(\"output\").get_weights(); column 1 is muffin.",
             "w has one number per input of the output layer (64), c is one number."]
    if w is None or c is None:
        return check_value(None, 0.0, hints=hints)
    h = _penultimate(cnn, images)
    try:
        w, c = np.asarray(w, dtype="float64").reshape(-1), float(np.asarray(c, dtype="float64").reshape(()))
    except (TypeError, ValueError):
        return check_value("not numbers of the right shape", "numbers", name="(w, c)", hints=hints)
    if w.size != h.shape[1]:
        return check_value(w.size, h.shape[1], name="the number of weights in w", hints=hints)
    yours = 1 / (1 + np.exp(-(h @ w + c)))
    theirs = ops.convert_to_numpy(cnn(np.asarray(images, dtype="float32")))[:, 1].astype("float64")
    return check_array(yours, theirs, name="P(muffin) from your one unit", atol=1e-4, hints=hints,
                       success="one sigmoid unit with 65 weights says exactly what the two softmax units say.")


QUESTIONS = [
    Question("Why does the lesson keep a validation set apart from the training photos?",
             ("to watch for overfitting on photos the network does not learn from",
              "to give the network more photos to learn from",
              "to choose settings such as the number of epochs without touching the test set",
              "because Keras cannot train on more than 80 % of a folder"),
             ("to watch for overfitting on photos the network does not learn from",
              "to choose settings such as the number of epochs without touching the test set"),
             "The test set stays untouched until the end, for one honest score."),
    Question("The dense baseline has 1.6 million weights, the CNN 28 thousand, yet the CNN does far better. Why?",
             ("a filter is slid over every position, so it finds a pattern wherever it is",
              "the dense network has a weight per pixel position and memorises where things were in its photos",
              "more weights always mean lower accuracy",
              "the CNN was trained on more photos"),
             ("a filter is slid over every position, so it finds a pattern wherever it is",
              "the dense network has a weight per pixel position and memorises where things were in its photos"),
             "Both saw the same photos; sharing one small filter over all positions is what helps."),
    Question("Without ReLU the lesson's CNN still learned; without ReLU *and* with average pooling it stayed near a "
             "coin toss. Why?",
             ("max pooling is itself non-linear: the larger of two numbers is not a weighted sum of them",
              "with every layer linear, the whole network is one linear map of the pixels, however deep",
              "average pooling has too many weights to train",
              "ReLU is only needed in the output layer"),
             ("max pooling is itself non-linear: the larger of two numbers is not a weighted sum of them",
              "with every layer linear, the whole network is one linear map of the pixels, however deep"),
             "Depth only pays when something non-linear sits between the layers (lesson 05)."),
    Question("A muffin photo gets P(muffin) = 0.01. What does the cross-entropy loss say?",
             ("the loss is large, −log 0.01 ≈ 4.6: confident and wrong costs the most",
              "the loss would be near 0 if P(muffin) were near 1",
              "the loss is 0.99, the distance to the right answer",
              "the loss does not depend on how confident the network was"),
             ("the loss is large, −log 0.01 ≈ 4.6: confident and wrong costs the most",
              "the loss would be near 0 if P(muffin) were near 1"),
             "Cross-entropy is −log of the probability given to the right class."),
    Question("What does Adam do differently from plain gradient descent?",
             ("it gives every weight its own step size, from the typical size of that weight's gradient",
              "it keeps a running average of past gradients (momentum)",
              "it needs no gradient at all",
              "it always reaches the lowest loss in one step"),
             ("it gives every weight its own step size, from the typical size of that weight's gradient",
              "it keeps a running average of past gradients (momentum)"),
             "Both walk downhill along the gradient; Adam scales each weight's step."),
    Question("Lesson 05 ends with Dense(1, sigmoid), lesson 06 with Dense(2, softmax). For two classes:",
             ("both can give exactly the same probabilities: a softmax of two scores is the sigmoid of their "
              "difference",
              "the two-unit softmax has twice the weights, though only the difference of its two units matters",
              "only softmax can be trained with cross-entropy",
              "the sigmoid version cannot say how sure it is"),
             ("both can give exactly the same probabilities: a softmax of two scores is the sigmoid of their "
              "difference",
              "the two-unit softmax has twice the weights, though only the difference of its two units matters"),
             "Exercise 4 builds the one-unit version from the trained CNN."),
    Question("Why are hand-crafted features called tedious and costly?",
             ("a person must invent, program and tune every measurement, and start again for the next problem",
              "whatever the person did not think of measuring is lost to the classifier",
              "computing HOG needs a GPU",
              "a linear classifier cannot use more than 100 features"),
             ("a person must invent, program and tune every measurement, and start again for the next problem",
              "whatever the person did not think of measuring is lost to the classifier"),
             "A CNN learns its features from labelled photos instead."),
    Question("Muffin precision is 0.99 and muffin recall 0.80. What does that say?",
             ("almost every photo called muffin is a muffin",
              "one real muffin in five was missed (called chihuahua)",
              "the F1 score, their harmonic mean, lies closer to the lower of the two",
              "the network calls many chihuahuas muffins"),
             ("almost every photo called muffin is a muffin",
              "one real muffin in five was missed (called chihuahua)",
              "the F1 score, their harmonic mean, lies closer to the lower of the two"),
             "Many chihuahuas called muffin would lower the muffin precision, not the recall."),
    Question("Grad-CAM puts most of its heat on the background of the photos. What could that mean?",
             ("the network may use a shortcut, such as a background that only one class has",
              "the network looks at the parts a person would name",
              "the network cannot be wrong on these photos",
              "the photos should be checked for such a difference between the classes"),
             ("the network may use a shortcut, such as a background that only one class has",
              "the photos should be checked for such a difference between the classes"),
             "Heat shows where the evidence for the class came from, not whether it is a good reason."),
]
