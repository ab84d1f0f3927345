"""Data augmentation for lesson 07: its augmentation block, one Keras preprocessing layer per kind, and previews."""

import numpy as np

from utils import validate
from utils.figure_widget import animate
from utils.plots import image_grid

AUGMENTATIONS = ("flip", "rotation", "zoom", "translation", "contrast", "noise")  # the kinds in build_block


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
    """One augmentation of the given ``kind`` (see AUGMENTATIONS) and ``strength`` in [0, 1], as a Keras layer;
    "noise" at strength 1 adds noise of 40 grey levels."""
    import keras
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
    return keras.Sequential([layers.Rescaling(1 / 255), layers.GaussianNoise(strength * 40 / 255, seed=seed),
                             layers.Rescaling(255)], name="noise")


def augmented_versions(image, augment, n=8):
    """``n`` augmented copies of one image, each drawn by calling ``augment`` in training mode; uint8 array."""
    img = validate.rgb_image(image)
    if not callable(augment):
        raise TypeError(f"augment must be a Keras layer or model (callable), got {type(augment).__name__}")
    n = validate.positive_int("n", n)
    batch = np.repeat(img[None].astype("float32"), n, axis=0)
    out = np.asarray(augment(batch, training=True))
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


class AugmentationFigure:
    """The original photo and ``n`` augmented versions in one row (or rows of ``ncols``), built once; ``show``
    replaces the versions and the title, so a widget redraws only those (``live=True``)."""

    def __init__(self, image, n=5, ncols=None, size=1.7, live=False):
        self.image = validate.rgb_image(image).astype(np.uint8)
        n = validate.positive_int("n", n)
        ncols = n + 1 if ncols is None else validate.positive_int("ncols", ncols)
        self.fig, axes = image_grid(n + 1, ncols, size, title_height=0.3, extra_height=0.45)
        self.pictures = [ax.imshow(self.image) for ax in axes[:n + 1]]
        axes[0].set_title("original", fontweight="bold")
        for i, ax in enumerate(axes[1:n + 1], start=1):
            ax.set_title(f"version {i}")
        self.fig.suptitle(" ")
        self.fig.tight_layout()
        if live:
            animate(*self.pictures[1:], self.fig._suptitle)

    def show(self, augment, title):
        """Fill the versions with ``augment`` applied in training mode; returns the figure."""
        for picture, version in zip(self.pictures[1:], augmented_versions(self.image, augment, len(self.pictures) - 1)):
            picture.set_data(version)
        self.fig._suptitle.set_text(title)
        return self.fig

    def update(self, kind="rotation", strength=0.3, seed=0):
        """Widget view: the versions made by one augmentation layer (``make_augmentation``)."""
        return self.show(make_augmentation(kind, strength, seed), f"{kind}, strength {strength:.2f}")


def augmentation_grid(image, augment, n=11, ncols=6, size=1.7, title="One photo, many augmented versions"):
    """The original image followed by ``n`` augmented versions in a grid; returns the figure."""
    return AugmentationFigure(image, n, ncols, size).show(augment, title)


def show_augmentation(kind="rotation", strength=0.3, image=None, n=5, seed=0):
    """The original and ``n`` versions made by one augmentation layer (the widget's static twin); returns the figure."""
    if image is None:
        raise ValueError("pass the image to augment, e.g. x_small[0]")
    return AugmentationFigure(image, n).update(kind, strength, seed)
