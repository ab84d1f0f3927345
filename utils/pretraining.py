"""Lesson 07's models: a convolutional base pretrained on another, larger task (``utils.pets_bakes``), the classifier
and the head built on it, how the lesson trains them, and the online option, MobileNetV2 with ImageNet weights.
``utils.base_cache`` ships the pretrained base. tests/test_model_sources.py checks each builder against the
lesson's own code.
"""

from utils import pets_bakes, validate

SOURCE_CLASSES = pets_bakes.CLASSES


def build_base(size=64, filters=(16, 32, 64), expand=256, stem_stride=2):
    """An untrained convolutional base: Conv2D (ReLU) + MaxPool blocks; the top block ends with a 1×1 convolution
    to ``expand`` channels instead of pooling; global max pooling gives one number per channel.

    The first convolution steps ``stem_stride`` pixels at a time: with 2 every later layer has a quarter of the work.
    """
    size = validate.integer("size", size, 32, 256)
    filters = validate.positive_ints("filters", filters)
    expand = validate.positive_int("expand", expand)
    validate.one_of("stem_stride", stem_stride, (1, 2))
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3), name="image")
    x = layers.Rescaling(1 / 255, name="rescale")(inputs)
    for i, f in enumerate(filters, start=1):
        x = layers.Conv2D(int(f), 3, strides=stem_stride if i == 1 else 1, padding="same", activation="relu",
                          name=f"block{i}_conv")(x)
        if i < len(filters):
            x = layers.MaxPooling2D(name=f"block{i}_pool")(x)
    x = layers.Conv2D(int(expand), 1, activation="relu", name=f"block{len(filters)}_expand")(x)
    x = layers.GlobalMaxPooling2D(name="global_max")(x)
    return keras.Model(inputs, x, name="pets_bakes_base")


def pretrain_base(n_images=3200, epochs=10, size=64, seed=0, filters=(16, 32, 64), expand=256, stem_stride=2,
                  val_images=None):
    """Train a base plus an 8-way softmax head on the pets-and-bakes task; return ``(base, held-out accuracy)``.

    Seeds Keras with ``seed`` first, so the result does not depend on what ran before. The accuracy is measured on
    ``val_images`` other photos (default: an eighth of ``n_images``, at least 64).
    """
    validate.positive_int("epochs", epochs)
    val_images = max(64, n_images // 8) if val_images is None else validate.positive_int("val_images", val_images)
    x, y = pets_bakes.make_images(n_images, size=size, seed=seed)
    x_val, y_val = pets_bakes.make_images(val_images, size=size, seed=seed + 1)
    base, model = train_base(x, y, len(SOURCE_CLASSES), epochs, seed, filters, expand, stem_stride)
    _, accuracy = model.evaluate(x_val, y_val, batch_size=256, verbose=0)
    return base, float(accuracy)


def train_base(x, y, n_classes, epochs=10, seed=0, filters=(16, 32, 64), expand=256, stem_stride=2):
    """Train a new base plus an ``n_classes``-way softmax head on photos ``x`` with labels ``y``; return both.

    Seeds Keras with ``seed`` first; Adam (1e-3), batches of 32, as for the lesson's cached base.
    """
    validate.positive_int("epochs", epochs)
    import keras

    keras.utils.set_random_seed(seed)
    base = build_base(x.shape[1], filters, expand, stem_stride)
    model = keras.Sequential([base, keras.layers.Dense(n_classes, activation="softmax", name="kinds")])
    train(model, x, y, int(epochs), seed=None, batch_size=32)  # seeded above, before the weights were drawn
    return base, model


def build_classifier(base, augment=None, dropout=0.0):
    """Lesson 07's ``make_model``: photo → [augmentation] → ``base`` → Dense(64) + ReLU → [Dropout] → two class
    probabilities."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=base.input_shape[1:])
    x = augment(inputs) if augment is not None else inputs     # active only while training
    x = base(x)
    x = layers.Dense(64, activation="relu", name="head_dense")(x)
    if dropout:
        x = layers.Dropout(dropout, name="head_dropout")(x)
    outputs = layers.Dense(2, activation="softmax", name="head_output")(x)
    return keras.Model(inputs, outputs)


def build_head(features, dropout=0.5):
    """Lesson 07's ``head`` for a frozen base: features normalised (adapted to ``features``), Dense(64) + ReLU,
    Dropout, two class probabilities."""
    import keras
    from keras import layers

    features = validate.array(features, "features", (2,))
    normalize = layers.Normalization(name="head_normalize")
    normalize.adapt(features)
    return keras.Sequential([
        keras.Input(shape=(features.shape[1],)),
        normalize,
        layers.Dense(64, activation="relu", name="head_dense"),
        layers.Dropout(dropout, name="head_dropout"),
        layers.Dense(2, activation="softmax", name="head_output"),
    ], name="head")


def build_transfer(base, head, augment):
    """Lesson 07's ``transfer`` model for fine-tuning: photo → augmentation → ``base`` (BatchNorm kept in inference
    mode) → ``head``."""
    import keras

    inputs = keras.Input(shape=base.input_shape[1:])
    x = augment(inputs)
    x = base(x, training=False)
    return keras.Model(inputs, head(x), name="transfer")


def train(model, x, y, epochs, learning_rate=1e-3, seed=0, batch_size=16, validation_data=None):
    """Lesson 07's ``train``: seed Keras (``seed=None`` keeps the random state), compile with Adam and cross-entropy,
    fit quietly (validation in one batch); return the History."""
    import keras

    validate.positive_int("epochs", epochs)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=-(-len(x) // batch_size))  # an epoch per call
    return model.fit(x, y, validation_data=validation_data, epochs=epochs, batch_size=batch_size,
                     validation_batch_size=None if validation_data is None else len(validation_data[0]), verbose=0)


MOBILENET_SIZES = (96, 128, 160, 192, 224)
MOBILENET_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)


def build_mobilenet_base(size=160, alpha=1.0, weights="imagenet"):
    """The online option: keras.applications.MobileNetV2 without its top (global average pooled), taking 0–255 images.

    ``weights="imagenet"`` downloads about 9 MB once (needs internet); ``weights=None`` builds it untrained, offline.
    """
    validate.one_of("weights", weights, ("imagenet", None))
    validate.one_of("alpha", alpha, MOBILENET_ALPHAS)
    size = validate.integer("size", size, 32)
    if weights == "imagenet" and size not in MOBILENET_SIZES:
        raise ValueError(f"ImageNet weights exist for sizes {MOBILENET_SIZES}; got {size}: resize your photos")
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3), name="image")
    x = layers.Rescaling(1 / 127.5, offset=-1, name="to_minus1_plus1")(inputs)  # MobileNetV2 expects [-1, 1]
    core = keras.applications.MobileNetV2(input_shape=(size, size, 3), alpha=alpha, include_top=False,
                                          weights=weights, pooling="avg")
    return keras.Model(inputs, core(x), name="mobilenet_v2_base")
