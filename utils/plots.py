"""Figures shared by the lessons: the image grid every figure of images is laid out on, a grid of images with
titles, the meme's gallery of muffins and chihuahuas, and text enlarged for slides."""

import math

import matplotlib.pyplot as plt
import numpy as np

from utils import validate
from utils.drawing import MAX_SIZE, MIN_SIZE
from utils.muffins import CLASS_NAMES, draw_one


def image_grid(n, ncols=4, size=2.6, extra_height=0.0, title_height=0.0):
    """A figure with room for ``n`` images, ``ncols`` per row, every axis switched off: ``(fig, axes)`` with all the
    rows' axes in one flat list. Each row is ``size + title_height`` inches high, plus ``extra_height`` in all."""
    n, ncols = validate.positive_int("n", n), validate.positive_int("ncols", ncols)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + title_height) * nrows + extra_height),
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, list(axes.flat)


def show_images(images, titles=None, ncols=4, cmap=None, size=2.6, suptitle=None):
    """Show images in a grid with optional titles; grayscale images default to a gray colormap. Returns the figure."""
    if images is None or len(images) == 0:
        raise ValueError("show_images needs a non-empty list of images")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(images)} images but {len(titles)} titles: give one title per image")
    ncols = min(validate.positive_int("ncols", ncols), len(images))
    fig, axes = image_grid(len(images), ncols, size, extra_height=0.4 if suptitle else 0)
    for i, ax in enumerate(axes[:len(images)]):
        img = np.asarray(images[i])
        if img.ndim not in (2, 3):
            raise ValueError(f"image {i} has shape {img.shape}: expected (H, W) or (H, W, 3)")
        gray = img.ndim == 2
        ax.imshow(img, cmap=cmap or ("gray" if gray else None),
                  vmin=0 if gray and img.dtype == np.uint8 else None,
                  vmax=255 if gray and img.dtype == np.uint8 else None)
        if titles is not None:
            ax.set_title(titles[i])
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def show_gallery(images=None, labels=None, predictions=None, nrows=4, ncols=4, size=64, seed=0, cell=1.6,
                 title="Muffin or chihuahua?"):
    """The meme: a grid of labelled photos, classes in a checkerboard; with ``predictions`` titles turn green/red.

    Without ``images`` it draws fresh samples (``seed``); returns the matplotlib figure.
    """
    nrows, ncols = validate.integer("nrows", nrows, 1, 20), validate.integer("ncols", ncols, 1, 20)
    n = nrows * ncols
    if images is None:
        if labels is not None or predictions is not None:
            raise ValueError("labels/predictions need images: pass images too, or none of the three")
        size, seed = validate.integer("size", size, MIN_SIZE, MAX_SIZE), validate.integer("seed", seed, 0)
        labels = [(r + c) % 2 for r in range(nrows) for c in range(ncols)]
        images = [draw_one(lab, k, "test", size, seed + 1000) for k, lab in enumerate(labels)]
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"images must have shape (n, H, W, 3), got {images.shape}")
    if labels is None or len(labels) != len(images):
        raise ValueError(f"give one label (0 chihuahua, 1 muffin) per image: {len(images)} images, "
                         f"{None if labels is None else len(labels)} labels")
    if predictions is not None and len(predictions) != len(images):
        raise ValueError(f"give one prediction per image: {len(images)} images, {len(predictions)} predictions")
    fig, axes = image_grid(nrows * ncols, ncols, cell, extra_height=0.5)
    for k, ax in enumerate(axes[:len(images)]):
        ax.imshow(images[k], interpolation="bilinear")
        text, colour = CLASS_NAMES[int(labels[k])], "black"
        if predictions is not None:
            guess = CLASS_NAMES[int(predictions[k])]
            colour = "green" if int(predictions[k]) == int(labels[k]) else "red"
            text = f"{guess}" if colour == "green" else f"{guess} (is {text})"
        ax.set_title(text, fontsize=9, color=colour)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
