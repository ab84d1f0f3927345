"""Figure helpers shared by the lessons."""

import math

import matplotlib.pyplot as plt
import numpy as np


def show_images(images, titles=None, ncols=4, cmap=None, size=2.6, suptitle=None):
    """Show images in a grid with optional titles; grayscale images default to a gray colormap. Returns the figure."""
    if images is None or len(images) == 0:
        raise ValueError("show_images needs a non-empty list of images")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(images)} images but {len(titles)} titles: give one title per image")
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")
    ncols = min(ncols, len(images))
    nrows = math.ceil(len(images) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if suptitle else 0)),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
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
