"""Figures, widget callbacks and the quiz for lesson 01 (pixels and images)."""

from functools import partial

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from skimage.metrics import peak_signal_noise_ratio

from utils.figure_widget import live_figure
from utils import validate
from utils.images import adjust_brightness_contrast, jpeg_roundtrip
from utils.quiz import multi_choice

# --- Figures -------------------------------------------------------------------------------------------------


def show_pixel_values(crop, ax=None, fontsize=9):
    """Draw a small grayscale or RGB crop with every pixel's value written on it. Returns the axes."""
    validate.image(crop, "show_pixel_values", dtypes=(np.uint8,))
    if crop.shape[0] * crop.shape[1] > 400:
        raise ValueError(f"show_pixel_values writes one label per pixel: give a crop of at most 400 pixels "
                         f"(e.g. 12 × 12), got {crop.shape[0]} × {crop.shape[1]}")
    gray = crop.ndim == 2
    if ax is None:
        cell = 0.6 if gray else 0.85  # inches per pixel: room for one number or three
        _, ax = plt.subplots(figsize=(cell * crop.shape[1] + 1, cell * crop.shape[0] + 1))
    ax.imshow(crop, cmap="gray" if gray else None, vmin=0, vmax=255)
    brightness = crop if gray else crop @ np.array([0.299, 0.587, 0.114])  # luminance decides the text colour
    for (row, col), level in np.ndenumerate(brightness):
        label = str(crop[row, col]) if gray else "\n".join(str(v) for v in crop[row, col])
        ax.text(col, row, label, ha="center", va="center", fontsize=fontsize if gray else fontsize - 1,
                color="black" if level > 140 else "white")
    ax.set_xticks(range(crop.shape[1]))
    ax.set_yticks(range(crop.shape[0]))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    return ax


def show_zoom(img, boxes, titles=None, size=2.6):
    """Show ``img`` and successive crops ``boxes`` = [(row, col, height, width), ...], each outlined in the one before.

    The last crop is drawn with its pixel values. Returns the figure.
    """
    validate.image(img, "show_zoom", dtypes=(np.uint8,))
    if not boxes:
        raise ValueError("show_zoom needs at least one box (row, col, height, width) to zoom into")
    if titles is not None and len(titles) != len(boxes) + 1:
        raise ValueError(f"show_zoom needs {len(boxes) + 1} titles (the full image and each crop), got {len(titles)}")
    views, (top, left) = [img], (0, 0)
    for box in boxes:
        row, col, height, width = box
        if row < top or col < left or row + height > top + views[-1].shape[0] or col + width > left + views[-1].shape[1]:
            raise ValueError(f"box {box} (row, col, height, width in full-image coordinates) must lie inside the previous view")
        views.append(img[row:row + height, col:col + width])
        top, left = row, col
    fig, axes = plt.subplots(1, len(views), figsize=(size * len(views), size))
    offsets = [(0, 0)] + [(b[0], b[1]) for b in boxes]
    for i, (ax, view) in enumerate(zip(axes, views)):
        if i == len(views) - 1:
            show_pixel_values(view, ax=ax)
        else:
            ax.imshow(view, cmap="gray" if view.ndim == 2 else None, vmin=0, vmax=255)
            row, col, height, width = boxes[i]
            ax.add_patch(Rectangle((col - offsets[i][1] - 0.5, row - offsets[i][0] - 0.5), width, height,
                                   fill=False, edgecolor="red", linewidth=2))
            ax.set_xlabel(f"{view.shape[1]} pixels wide")
            ax.set_yticks([])
            ax.set_xticks([])
        ax.set_title(titles[i] if titles else f"{view.shape[0]} × {view.shape[1]} pixels")
    fig.tight_layout()
    return fig


def _image_and_histogram(axes, img, title):
    """Draw an image on the first axes and its intensity histogram on the second."""
    axes[0].imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0, vmax=255)
    axes[0].set_title(title)
    axes[0].axis("off")
    axes[1].hist(img.ravel(), bins=64, range=(0, 255), color="0.3")
    axes[1].set_xlim(0, 255)
    axes[1].set_xlabel("pixel value")
    axes[1].set_ylabel("count")
    axes[1].set_yticks([])


# --- Widget callbacks ----------------------------------------------------------------------------------------


def brightness_contrast_view(image, brightness=0, contrast=1.0):
    """Figure: ``image`` and its histogram before and after ``adjust_brightness_contrast``. Returns the figure."""
    adjusted = adjust_brightness_contrast(image, brightness, contrast)
    clipped = np.mean((adjusted == 0) | (adjusted == 255)) * 100
    fig, axes = plt.subplots(2, 2, figsize=(6.2, 4.2), gridspec_kw={"height_ratios": [3, 1]})
    _image_and_histogram(axes[:, 0], image, "original")
    _image_and_histogram(axes[:, 1], adjusted, f"brightness {brightness:+}, contrast × {contrast:.1f}")
    fig.suptitle(f"{clipped:.1f} % of values are pinned at 0 or 255 (clipped)")
    fig.tight_layout()
    return fig


def jpeg_quality_view(image, quality=50, crop=None):
    """Figure: ``image`` after a JPEG round trip at ``quality``, with size, compression ratio and PSNR in the title.

    ``crop`` = (row, col, height, width) adds a zoomed view of that region, where the artefacts show. Returns the figure.
    """
    decoded, nbytes = jpeg_roundtrip(image, quality)
    ratio = image.nbytes / nbytes
    panels, names = [decoded], [f"after JPEG (quality {quality})"]
    if crop is not None:
        row, col, height, width = crop
        if row < 0 or col < 0 or row + height > image.shape[0] or col + width > image.shape[1]:
            raise ValueError(f"crop {crop} (row, col, height, width) must lie inside the image of shape {image.shape}")
        panels += [image[row:row + height, col:col + width], decoded[row:row + height, col:col + width]]
        names += ["original, zoomed", "after JPEG, zoomed"]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 4.0), squeeze=False)
    for ax, panel, name in zip(axes[0], panels, names):
        ax.imshow(panel, cmap="gray" if panel.ndim == 2 else None, vmin=0, vmax=255)
        ax.set_title(name)
        ax.axis("off")
    if crop is not None:
        axes[0, 0].add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False, edgecolor="yellow", linewidth=2))
    fig.suptitle(f"JPEG quality {quality}: {nbytes:,} bytes ({ratio:.0f}× smaller than raw), "
                 f"PSNR {peak_signal_noise_ratio(image, decoded):.1f} dB")
    fig.tight_layout()
    return fig


def brightness_contrast_widget(image):
    """Sliders for brightness and contrast wired to ``brightness_contrast_view`` (display the returned box)."""
    validate.image(image, "brightness_contrast_widget", dtypes=(np.uint8,))
    controls = {
        "brightness": widgets.IntSlider(value=0, min=-150, max=150, step=10, description="brightness",
                                        continuous_update=False),
        "contrast": widgets.FloatSlider(value=1.0, min=0.2, max=3.0, step=0.1, description="contrast",
                                        continuous_update=False),
    }
    return live_figure(partial(brightness_contrast_view, image), controls)


def jpeg_quality_widget(image, crop=None):
    """A JPEG quality slider wired to ``jpeg_quality_view`` (display the returned box)."""
    validate.image(image, "jpeg_quality_widget", dtypes=(np.uint8,))
    controls = {"quality": widgets.IntSlider(value=50, min=1, max=100, step=1, description="JPEG quality",
                                             continuous_update=False,
                                             style={"description_width": "initial"})}
    return live_figure(partial(jpeg_quality_view, image, crop=crop), controls)


# --- Quiz ----------------------------------------------------------------------------------------------------

CLASSIFICATION_QUESTION = "Which of these are real-world applications of image classification? (tick all that apply)"
CLASSIFICATION_OPTIONS = (
    "Sorting recyclables (glass, paper, plastic) from photos on a conveyor belt",
    "Flagging chest X-rays that show signs of pneumonia",
    "Reading a thermometer's temperature from a spreadsheet column",
    "Telling a plant's disease from a photo of its leaf",
    "Translating a paragraph of text from French to English",
    "Recognising which bird species is in a wildlife-camera photo",
    "Predicting tomorrow's stock price from past prices",
    "Deciding whether a photo shows a muffin or a chihuahua",
)
CLASSIFICATION_CORRECT = (
    CLASSIFICATION_OPTIONS[0], CLASSIFICATION_OPTIONS[1], CLASSIFICATION_OPTIONS[3],
    CLASSIFICATION_OPTIONS[5], CLASSIFICATION_OPTIONS[7],
)
CLASSIFICATION_EXPLANATION = ("Each right answer takes an image in and gives one label out. The spreadsheet, "
                              "the translation and the stock price have no image as input.")


def classification_quiz():
    """The lesson's multi-choice quiz on applications of image classification (a widget with a Check button)."""
    return multi_choice(CLASSIFICATION_QUESTION, list(CLASSIFICATION_OPTIONS), list(CLASSIFICATION_CORRECT),
                        explanation=CLASSIFICATION_EXPLANATION)

