"""Lesson 06's Keras models: builders, predictions as probabilities, classifying an image file.

Saving and loading are Keras's own calls, shown in lesson 06: ``model.save("x.keras")`` and
``keras.models.load_model("x.keras", safe_mode=True)``.

Everything is written against ``keras.*`` only, so it runs on the TensorFlow, JAX or PyTorch backend.
"""

import numpy as np

from utils import validate

POOLINGS = ("max", "avg", "flatten")
ACTIVATIONS = ("relu", None)          # None: linear (lesson 06 trains its CNN without ReLU)


def _image_shape(input_shape):
    """Check an (H, W, C) input shape with C = 1 or 3."""
    shape = validate.positive_ints("input_shape", input_shape)
    if len(shape) != 3 or shape[2] not in (1, 3):
        raise ValueError(f"input_shape must be (height, width, channels) with 1 or 3 channels, got {input_shape!r}")
    return shape


def build_cnn(input_shape=(64, 64, 3), n_classes=2, filters=(16, 32, 64), dense_units=64, pooling="max",
              kernel_size=3, activation="relu", block_pooling="max"):
    """Lesson 06's CNN (its ``cnn``, built layer by layer there; ``pooling="flatten"`` is exercise 2's ``flat_cnn``):
    Rescaling (0–255 to -1…1), one Conv2D+``activation``+2×2 pooling (``block_pooling`` "max" or "avg") block per
    entry of ``filters``, then global max/average pooling or Flatten, Dense+``activation`` and a softmax output
    (uncompiled). ``activation=None`` makes the conv and hidden Dense layers linear (lesson 06's "without ReLU")."""
    import keras
    from keras import layers

    shape = _image_shape(input_shape)
    filters = validate.positive_ints("filters", filters)
    dense_units = validate.positive_int("dense_units", dense_units)
    kernel_size = validate.positive_int("kernel_size", kernel_size)
    validate.one_of("pooling", pooling, POOLINGS)
    validate.one_of("block_pooling", block_pooling, POOLINGS[:2])
    validate.one_of("activation", activation, ACTIVATIONS)
    pool = {"max": layers.MaxPooling2D, "avg": layers.AveragePooling2D}[block_pooling]
    stack = [keras.Input(shape=shape), layers.Rescaling(1 / 127.5, offset=-1, name="rescale")]
    for i, k in enumerate(filters, start=1):
        stack += [layers.Conv2D(k, kernel_size, padding="same", activation=activation, name=f"conv{i}"),
                  pool(2, name=f"pool{i}")]
    head = {"max": layers.GlobalMaxPooling2D, "avg": layers.GlobalAveragePooling2D, "flatten": layers.Flatten}
    stack += [head[pooling](name=f"{pooling}_pool" if pooling != "flatten" else "flatten"),
              layers.Dense(dense_units, activation=activation, name="dense"),
              layers.Dense(validate.integer("n_classes", n_classes, 2), activation="softmax", name="output")]
    return keras.Sequential(stack, name="cnn")


def build_dense_baseline(input_shape=(64, 64, 3), n_classes=2, hidden=(128,)):
    """Lesson 06's dense baseline (its ``baseline``, built layer by layer there), a network without convolution:
    Rescaling (0–255 to -1…1), Flatten, Dense+ReLU layers of sizes ``hidden``, softmax output (uncompiled)."""
    import keras
    from keras import layers

    shape = _image_shape(input_shape)
    hidden = validate.positive_ints("hidden", hidden)
    stack = [keras.Input(shape=shape), layers.Rescaling(1 / 127.5, offset=-1, name="rescale"),
             layers.Flatten(name="flatten")]
    stack += [layers.Dense(units, activation="relu", name=f"dense{i}") for i, units in enumerate(hidden, start=1)]
    stack.append(layers.Dense(validate.integer("n_classes", n_classes, 2), activation="softmax", name="output"))
    return keras.Sequential(stack, name="dense_baseline")


def input_size(model):
    """The (height, width, channels) a model expects, read from its input layer."""
    shape = getattr(model, "input_shape", None)
    if shape is None or len(shape) != 4 or any(s is None for s in shape[1:]):
        raise ValueError(f"expected a built image model with input shape (None, H, W, C), got {shape!r}")
    return tuple(int(s) for s in shape[1:])


def as_batch(images, model):
    """Return ``images`` (one (H, W, C) image or a batch) as a float32 batch matching the model's input."""
    x = np.asarray(images)
    if x.dtype == object or not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"images must be a numeric array, got dtype {x.dtype}")
    expected = input_size(model)
    if x.shape == expected:
        x = x[None]
    if x.ndim != 4 or x.shape[1:] != expected:
        raise ValueError(f"the model expects images of shape {expected} (or a batch of them), got {x.shape}; "
                         "resize them first, e.g. with utils.folders.load_image(path, size)")
    return x.astype("float32")


def predict_proba(model, images, batch_size=64):
    """Class probabilities, shape (n, n_classes), for one image or a batch of raw 0–255 images."""
    x = as_batch(images, model)
    probs = np.asarray(model.predict(x, batch_size=batch_size, verbose=0), dtype="float64")
    if probs.ndim != 2:
        raise ValueError(f"expected the model to output (n, n_classes) probabilities, got shape {probs.shape}")
    return probs


def probability_sentence(probs, class_names):
    """Say a prediction in words, e.g. ``'93 % chihuahua'``: the most likely class and its rounded percentage.

    Taught in lesson 06 (exercise 3 asks for the same sentence)."""
    p = np.asarray(probs, dtype="float64").ravel()
    names = list(class_names)
    if p.size != len(names) or p.size < 2:
        raise ValueError(f"got {p.size} probabilities for {len(names)} class names: give one per class (at least 2)")
    if not np.all(np.isfinite(p)) or p.min() < 0 or abs(p.sum() - 1) > 1e-3:
        raise ValueError(f"probabilities must be non-negative and sum to 1, got {np.round(p, 3).tolist()}")
    best = int(np.argmax(p))
    return f"{round(100 * p[best])} % {names[best]}"


def classify_image(model, path, class_names):
    """Read an image file of any size (grayscale, RGB or RGBA), fit it to the model and return
    ``(probabilities, sentence)``, e.g. ``(array([0.93, 0.07]), '93 % chihuahua')``."""
    from utils.folders import load_image

    height, width, _ = input_size(model)
    image = load_image(path, (height, width))
    probs = predict_proba(model, image)[0]
    return probs, probability_sentence(probs, class_names)
