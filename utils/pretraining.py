"""The pretrained base of lesson 07: a convolutional base, trained on another, larger task (``utils.pets_bakes``),
and the online option, MobileNetV2 with ImageNet weights. ``utils.base_cache`` keeps the trained base on disk.
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


def pretrain_base(n_images=3200, epochs=10, size=64, seed=0, filters=(16, 32, 64), expand=256, stem_stride=2):
    """Train a base plus an 8-way softmax head on the pets-and-bakes task; return ``(base, held-out accuracy)``.

    Seeds Keras with ``seed`` first, so the result does not depend on what ran before.
    """
    validate.positive_int("epochs", epochs)
    x, y = pets_bakes.make_images(n_images, size=size, seed=seed)
    x_val, y_val = pets_bakes.make_images(max(64, n_images // 8), size=size, seed=seed + 1)
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
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=int(epochs), batch_size=32, verbose=0)
    return base, model


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
