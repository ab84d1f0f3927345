"""Data augmentation for lesson 07: its augmentation block, one Keras preprocessing layer per kind, and previews."""

import numpy as np

from utils import validate
from utils.plots import image_grid

AUGMENTATIONS = ("flip", "rotation", "zoom", "translation", "contrast", "brightness")


def build_block():
    """Lesson 07's augmentation block (its ``augment``): the poses of everyday photos (mirror, turn up to ±25°, zoom
    ±20 %, shift ±16 %), contrast ×0.8–1.2 and sensor noise of 4 grey levels; active only in training.
    tests/test_model_sources.py checks it against the lesson's cell."""
    import keras
    from keras import layers

    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.07, fill_mode="reflect"),
        layers.RandomZoom(0.2, fill_mode="reflect"),
        layers.RandomTranslation(0.16, 0.16, fill_mode="reflect"),
        layers.RandomContrast(0.2, value_range=(0, 255)),
        layers.Rescaling(1 / 255),          # GaussianNoise takes a standard deviation of at most 1:
        layers.GaussianNoise(4 / 255),      # on the 0-1 scale, 4 grey levels are 4 / 255
        layers.Rescaling(255),
    ], name="augment")


def make_augmentation(kind, strength=0.2, seed=0):
    """One Keras preprocessing layer of the given ``kind`` (see AUGMENTATIONS) and ``strength`` in [0, 1]."""
    from keras import layers

    validate.one_of("kind", kind, AUGMENTATIONS)
    validate.number("strength", strength, 0, 1)
    if kind == "flip":
        return layers.RandomFlip("horizontal", seed=seed)
    if kind == "rotation":
        return layers.RandomRotation(strength / 2, fill_mode="reflect", seed=seed)  # 0.5 = ±180°
    if kind == "zoom":
        return layers.RandomZoom(strength, fill_mode="reflect", seed=seed)
    if kind == "translation":
        return layers.RandomTranslation(strength / 2, strength / 2, fill_mode="reflect", seed=seed)
    if kind == "contrast":
        return layers.RandomContrast(strength, value_range=(0, 255), seed=seed)
    return layers.RandomBrightness(strength, value_range=(0, 255), seed=seed)


def augmented_versions(image, augment, n=8):
    """``n`` augmented copies of one image, each drawn by calling ``augment`` in training mode; uint8 array."""
    img = validate.rgb_image(image)
    if not callable(augment):
        raise TypeError(f"augment must be a Keras layer or model (callable), got {type(augment).__name__}")
    n = validate.positive_int("n", n)
    batch = np.repeat(img[None].astype("float32"), n, axis=0)
    out = np.asarray(augment(batch, training=True))
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def augmentation_grid(image, augment, n=11, ncols=6, size=1.7, title="One photo, many augmented versions"):
    """The original image followed by ``n`` augmented versions in a grid; returns the figure."""
    versions = augmented_versions(image, augment, n)
    images = [np.asarray(image).astype(np.uint8)] + list(versions)
    titles = ["original"] + [f"version {i}" for i in range(1, n + 1)]
    fig, axes = image_grid(len(images), ncols, size, extra_height=0.5)
    for ax, img, t in zip(axes, images, titles):
        ax.imshow(img)
        ax.set_title(t, fontsize=9, fontweight="bold" if t == "original" else None)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_augmentation(kind="rotation", strength=0.3, image=None, n=5, seed=0):
    """Widget callback: the original and ``n`` versions made by one augmentation layer; returns the figure."""
    if image is None:
        raise ValueError("pass the image to augment, e.g. widgets.fixed(x_small[0])")
    layer = make_augmentation(kind, strength, seed)
    return augmentation_grid(image, layer, n=n, ncols=n + 1, size=1.6,
                             title=f"{kind}, strength {strength:.2f}")
