"""Answer keys of lesson 07 (few labels: augmentation, dropout and transfer learning): its four exercises and its
questionnaire."""

import numpy as np

from utils.checks import check_value
from utils.quiz import Question

AUGMENT_LAYERS = (("RandomFlip", "mode", "horizontal"), ("RandomRotation", "factor", 0.1),
                  ("RandomZoom", "height_factor", 0.2))


def _factor(value):
    """A layer's factor as one number: 0.1 and (-0.1, 0.1) both mean "up to ±0.1"."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and np.isclose(-value[0], value[1]):
        return float(value[1])
    return value


def check_augment(pipeline, images):
    """Exercise 1: ``pipeline``, a keras.Sequential of a horizontal flip, a rotation of up to ±0.1 of a turn and a
    zoom of up to ±20 %, that changes ``images`` in training and passes them through unchanged at inference."""
    import keras

    hints = ["Each change is one Keras preprocessing layer; a Sequential model applies them one after the "
             "other. The lesson's `augment` cell shows the layers and their arguments.",
             "Three layers, in this order: RandomFlip with the mode \"horizontal\", RandomRotation with the fraction "
             "of a full turn, RandomZoom with the fraction of the size.",
             "The factors are plain numbers: 0.1 for the rotation, 0.2 for the zoom."]
    if not isinstance(pipeline, keras.Model):
        return check_value(None if pipeline is None else type(pipeline).__name__, "Sequential",
                           name="my_augment (a keras.Sequential)", hints=hints)
    kinds = tuple(type(layer).__name__ for layer in pipeline.layers)
    if kinds != tuple(kind for kind, _, _ in AUGMENT_LAYERS):
        return check_value(kinds, tuple(kind for kind, _, _ in AUGMENT_LAYERS), name="its layers", hints=hints)
    for layer, (kind, argument, expected) in zip(pipeline.layers, AUGMENT_LAYERS):
        got = _factor(layer.get_config()[argument])
        if got != expected and not (isinstance(expected, float) and np.isclose(got, expected)):
            return check_value(got, expected, name=f"{kind}'s {argument}", hints=hints)
    batch = np.asarray(images, dtype="float32")
    trained = np.asarray(pipeline(batch, training=True))
    inferred = np.asarray(pipeline(batch, training=False))
    if trained.shape != batch.shape or np.allclose(trained, batch):
        return check_value("unchanged photos", "changed photos", name="its output in training", hints=hints)
    return check_value(bool(np.allclose(inferred, batch, atol=1e-3)), True,
                       name="its output at inference equals its input", hints=hints,
                       success="every epoch will now see other versions of the same photos.")


def check_dropout(dropout):
    """Exercise 2: ``dropout(x, rate, rng)`` in NumPy as Keras does it in training: each value is zeroed with
    probability ``rate`` and the others are divided by (1 − rate), so the sum stays the same on average."""
    hints = ["Each value decides on its own, with its own random number, whether it is dropped. The survivors are "
             "scaled up so that the layer's output keeps the same average as its input.",
             "`rng.uniform(size=x.shape) < rate` marks the values to drop; use np.where to set them to 0 and to "
             "divide the others by (1 - rate).",
             "With rate = 0.5 the survivors are doubled; with rate = 0.2 they are multiplied by 1.25."]
    if not callable(dropout):
        return check_value(None if dropout is None else type(dropout).__name__, "a function",
                           name="my_dropout", hints=hints)
    x = np.random.default_rng(5).uniform(0.5, 2.0, 40_000)
    for rate in (0.5, 0.2):
        try:
            out = dropout(x.copy(), rate, np.random.default_rng(0))
            if out is None:
                return check_value(None, "an array", name=f"my_dropout(x, {rate}, rng)", hints=hints)
            out = np.asarray(out, dtype=float)
        except Exception as error:  # noqa: BLE001 - any failure of the student's function is feedback
            return check_value(f"{type(error).__name__}: {error}", "an array", name=f"my_dropout(x, {rate}, rng)",
                               hints=hints)
        if out.shape != x.shape:
            return check_value(out.shape, x.shape, name=f"the shape of my_dropout(x, {rate}, rng)", hints=hints)
        dropped = out == 0
        if not np.allclose(out[~dropped], x[~dropped] / (1 - rate)):
            return check_value("other values", f"x / (1 - {rate})", name=f"the kept values at rate {rate}",
                               hints=hints)
        if abs(dropped.mean() - rate) > 0.02:
            return check_value(round(float(dropped.mean()), 2), rate, name=f"the share of zeroed values at rate "
                               f"{rate}", hints=hints)
    twice = [np.asarray(dropout(x.copy(), 0.5, np.random.default_rng(s))) == 0 for s in (1, 2)]
    return check_value(bool(np.mean(twice[0] != twice[1]) > 0.3), True, name="another rng drops other values",
                       hints=hints, success="on average half of the values are zeroed; a single call zeroes "
                       "more or fewer.")


def check_head_parameters(answer, head):
    """Exercise 3: the number of trainable weights of the lesson's ``head`` (Normalization, Dense 64, Dropout,
    Dense 2 on the base's 256 features)."""
    hints = ["Only the Dense layers learn: one weight per (input, output) pair plus one bias per output. "
             "Normalization measures its mean and variance, Dropout has no weights.",
             "The first Dense layer reads the base's 256 features and has 64 outputs; the second reads those 64 "
             "and has 2 outputs. Each contributes (inputs + 1) · outputs.",
             "Add the two products."]
    expected = sum(int(np.prod(w.shape)) for w in head.trainable_weights)
    return check_value(answer, expected, name="trainable parameters", hints=hints,
                       success="the head is tiny next to the base: it trains in seconds on the stored features.")


def top_block(base):
    """The names of the base's top-block layers (those whose name starts with ``block`` and its last number)."""
    blocks = sorted({layer.name.split("_")[0] for layer in base.layers if layer.name.startswith("block")})
    return [layer.name for layer in base.layers if layer.name.startswith(blocks[-1] + "_")]


def check_unfreeze(to_unfreeze, base):
    """Exercise 4: ``to_unfreeze``, the names of the layers of the base's top block."""
    hints = ["Fine-tuning adapts the most specialised features: those of the last block, nearest to the head. "
             "Look at the names printed above: each starts with the block it belongs to.",
             "A list comprehension over base.layers can keep the names that start with the top block's prefix.",
             "[layer.name for layer in base.layers if layer.name.startswith(...)]"]
    got = None if to_unfreeze is None else sorted(to_unfreeze) if isinstance(to_unfreeze, (list, tuple)) else \
        to_unfreeze
    return check_value(got, sorted(top_block(base)), name="the layers to unfreeze", hints=hints,
                       success="the next cell unfreezes exactly these.")


def layers_to_unfreeze(to_unfreeze, base):
    """The student's ``to_unfreeze`` once it is right, else the lesson's choice (the top block); prints nothing."""
    right = top_block(base)
    if isinstance(to_unfreeze, (list, tuple)) and sorted(to_unfreeze) == sorted(right):
        return list(to_unfreeze)
    return right


QUESTIONS = [
    Question("Our 200 labelled photos were taken in a studio; the test photos are everyday photos. Why does the "
             "model trained from scratch do much worse on the test photos than on its training photos?",
             ("it only ever saw upright, centred subjects at one size, so turned, shifted or mirrored ones look new "
              "to it",
              "it memorised its 200 photos instead of learning what makes a muffin a muffin",
              "the test photos show other kinds of animals",
              "a CNN cannot recognise a turned object at all"),
             ("it only ever saw upright, centred subjects at one size, so turned, shifted or mirrored ones look new "
              "to it",
              "it memorised its 200 photos instead of learning what makes a muffin a muffin"),
             "Both photo sets come from the same generator; only the poses differ. A CNN can learn turned objects "
             "when it sees them."),
    Question("Why are augmentation layers switched off at inference (training=False)?",
             ("a test photo should be judged as it is, once, not as a random variation of it",
              "so that predict gives the same answer every time",
              "because augmentation would make the test photos easier",
              "because Keras cannot augment more than one photo at a time"),
             ("a test photo should be judged as it is, once, not as a random variation of it",
              "so that predict gives the same answer every time"),
             "Augmentation makes the training set more varied; it is not part of what the model computes."),
    Question("Keras prints a training accuracy while a model with augmentation and dropout trains. Why does the "
             "lesson measure the gap to the test accuracy on the clean training photos in inference mode instead?",
             ("Keras' number is measured on augmented photos with dropout on, so it is lower than what the model "
              "does on its own photos",
              "a smaller gap bought with a lower training score would look like less memorising but is not",
              "Keras' training accuracy is computed on the test photos",
              "in inference mode the model is retrained first"),
             ("Keras' number is measured on augmented photos with dropout on, so it is lower than what the model "
              "does on its own photos",
              "a smaller gap bought with a lower training score would look like less memorising but is not"),
             "Memorising means doing better on the very photos it learned from, as they are."),
    Question("A Dropout(0.5) layer in training:",
             ("zeroes each value with probability 0.5, so on average half of them",
              "doubles the values it keeps, so the sum stays the same on average",
              "zeroes exactly half of the values in every call",
              "also zeroes values when the model predicts test photos"),
             ("zeroes each value with probability 0.5, so on average half of them",
              "doubles the values it keeps, so the sum stays the same on average"),
             "Each value is dropped on its own coin toss; at inference the layer passes everything through."),
    Question("Why does fine-tuning use a lower learning rate (3e-4) than training the new head (1e-3)?",
             ("large steps would wreck the pretrained features before the head has settled",
              "the pretrained weights are already good: they need small adjustments",
              "a lower learning rate makes every epoch faster",
              "Keras refuses higher learning rates for unfrozen layers"),
             ("large steps would wreck the pretrained features before the head has settled",
              "the pretrained weights are already good: they need small adjustments"),
             "The epochs cost the same; the step size decides how far the weights move."),
    Question("We call the base with training=False inside the fine-tuning model. What does that do?",
             ("BatchNorm layers keep the running averages learned in pretraining instead of the small batches' "
              "statistics",
              "the base's trainable layers still learn",
              "the base's weights are frozen",
              "augmentation is switched off"),
             ("BatchNorm layers keep the running averages learned in pretraining instead of the small batches' "
              "statistics",
              "the base's trainable layers still learn"),
             "training=False sets the mode of layers that behave differently in training; trainable decides "
             "which weights learn."),
    Question("Over five label draws the lesson shows a spread of test accuracies for each rung. What follows?",
             ("your own run is one sample: it can land anywhere in that spread",
              "a comparison of two rungs from one run each can mislead when their spreads overlap",
              "the rung with the highest single run is the best method",
              "the spread comes only from different test photos"),
             ("your own run is one sample: it can land anywhere in that spread",
              "a comparison of two rungs from one run each can mislead when their spreads overlap"),
             "The test photos are the same in every draw; the labelled photos and the seed change."),
    Question("What does the label-efficiency curve of section 8 show?",
             ("with 20 labels the fine-tuned base beats from scratch with 2,000 studio labels",
              "more studio photos alone do not teach from scratch the everyday poses",
              "the pretrained base needs more labels than from scratch before it helps",
              "from scratch catches up with the pretrained base at 500 labels"),
             ("with 20 labels the fine-tuned base beats from scratch with 2,000 studio labels",
              "more studio photos alone do not teach from scratch the everyday poses"),
             "Read the table under the curve: from scratch stays near the same accuracy from 100 to 2,000 labels, "
             "the fine-tuned base is ahead at every count."),
]
