"""Figures, widget callbacks and the quiz for lesson 01 (pixels and images)."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from skimage.metrics import peak_signal_noise_ratio

from utils.figure_widget import TEXT_SIZE, animate, live_figure
from utils import validate
from utils.images import adjust_brightness_contrast, jpeg_roundtrip
from utils.plots import image_grid
from utils.quiz import multi_choice

# --- Figures -------------------------------------------------------------------------------------------------


def show_pixel_values(crop, ax=None, fontsize=TEXT_SIZE):
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
        ax.text(col, row, label, ha="center", va="center", fontsize=fontsize,
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
    fig, axes = image_grid(len(views), len(views), size)
    offsets = [(0, 0)] + [(b[0], b[1]) for b in boxes]
    for i, (ax, view) in enumerate(zip(axes, views)):
        ax.axis("on")  # the last panel has pixel ticks, the others a frame and their width below
        if i == len(views) - 1:
            show_pixel_values(view, ax=ax)
        else:
            ax.imshow(view, cmap="gray" if view.ndim == 2 else None, vmin=0, vmax=255)
            row, col, height, width = boxes[i]
            ax.add_patch(Rectangle((col - offsets[i][1] - 0.5, row - offsets[i][0] - 0.5), width, height,
                                   fill=False, edgecolor="red", linewidth=2))
            ax.set(xlabel=f"{view.shape[1]} pixels wide", xticks=[], yticks=[])
        ax.set_title(titles[i] if titles else f"{view.shape[0]} × {view.shape[1]} pixels")
    fig.set_layout_engine("constrained")  # one tight_layout pass leaves these square panels' titles cut off
    return fig


def _image_and_histogram(axes, img, title):
    """Draw an image on the first axes and its intensity histogram on the second; returns (image, histogram) artists."""
    picture = axes[0].imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0, vmax=255)
    axes[0].set_title(title)
    axes[0].axis("off")
    histogram = axes[1].stairs(_histogram(img), np.arange(0, 257, 4), fill=True, color="0.3")
    axes[1].set_xlim(0, 255)
    axes[1].set_ylim(0, 1.05)
    axes[1].set_xlabel("pixel value")
    axes[1].set_ylabel("count")
    axes[1].set_yticks([])
    return picture, histogram


def _histogram(img):
    """Counts of a uint8 image's values in 64 bins of width 4, scaled so the tallest bin is 1 (the axis has no ticks)."""
    counts = np.bincount(img.ravel() >> 2, minlength=64)
    return counts / counts.max()


# --- Widget callbacks ----------------------------------------------------------------------------------------


class BrightnessContrastFigure:
    """The brightness/contrast figure, built once; ``update`` redraws only the adjusted image and its histogram."""

    def __init__(self, image, live=False):
        validate.image(image, "brightness_contrast_view", dtypes=(np.uint8,))
        self.image = image
        # not plots.image_grid: each picture has its histogram below it, in a row of another height
        self.fig, axes = plt.subplots(2, 2, figsize=(6.2, 4.2), gridspec_kw={"height_ratios": [3, 1]})
        _image_and_histogram(axes[:, 0], image, "original")
        self.picture, self.histogram = _image_and_histogram(axes[:, 1], image, "brightness +0, contrast × 1.0")
        self.title = axes[0, 1].title
        self.fig.suptitle("0.0 % of values are pinned at 0 or 255 (clipped)")
        self.fig.tight_layout()
        if live:
            animate(self.picture, self.histogram, self.title, self.fig._suptitle)

    def update(self, brightness=0, contrast=1.0):
        """Show ``adjust_brightness_contrast(image, brightness, contrast)``; returns the figure."""
        adjusted = adjust_brightness_contrast(self.image, brightness, contrast)
        clipped = np.count_nonzero((adjusted == 0) | (adjusted == 255)) / adjusted.size * 100
        self.picture.set_data(adjusted)
        self.histogram.set_data(_histogram(adjusted))
        self.title.set_text(f"brightness {brightness:+}, contrast × {contrast:.1f}")
        self.fig._suptitle.set_text(f"{clipped:.1f} % of values are pinned at 0 or 255 (clipped)")
        return self.fig


def brightness_contrast_view(image, brightness=0, contrast=1.0):
    """Figure: ``image`` and its histogram before and after ``adjust_brightness_contrast``. Returns the figure."""
    return BrightnessContrastFigure(image).update(brightness, contrast)


class JpegQualityFigure:
    """The JPEG-quality figure, built once; ``update`` redraws only the decoded panels and the title.

    ``crop`` = (row, col, height, width) adds a zoomed view of that region, where the artefacts show.
    """

    def __init__(self, image, crop=None, live=False):
        validate.image(image, "jpeg_quality_view", dtypes=(np.uint8,))
        self.image, self.crop = image, crop
        panels, names = [image], ["after JPEG (quality 50)"]
        if crop is not None:
            row, col, height, width = crop
            if row < 0 or col < 0 or row + height > image.shape[0] or col + width > image.shape[1]:
                raise ValueError(f"crop {crop} (row, col, height, width) must lie inside the image of shape {image.shape}")
            self.zoom = (slice(row, row + height), slice(col, col + width))
            panels += [image[self.zoom], image[self.zoom]]
            names += ["original, zoomed", "after JPEG, zoomed"]
        self.fig, axes = image_grid(len(panels), len(panels), 3.6, title_height=0.4)
        self.pictures = []
        for ax, panel, name in zip(axes, panels, names):
            self.pictures.append(ax.imshow(panel, cmap="gray" if panel.ndim == 2 else None, vmin=0, vmax=255))
            ax.set_title(name)
        if crop is not None:
            axes[0].add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False, edgecolor="yellow",
                                        linewidth=2))
        self.title = axes[0].title
        self.fig.suptitle("JPEG quality 50: 10,000 bytes (10× smaller than raw), PSNR 30.0 dB")
        self.fig.tight_layout()
        if live:
            changing = [self.pictures[0], self.title, self.fig._suptitle] + self.pictures[2:]
            animate(*changing, *(p for p in axes[0].patches))

    def update(self, quality=50):
        """Show the image after a JPEG round trip at ``quality``; returns the figure."""
        decoded, nbytes = jpeg_roundtrip(self.image, quality)
        self.pictures[0].set_data(decoded)
        if self.crop is not None:
            self.pictures[2].set_data(decoded[self.zoom])
        self.title.set_text(f"after JPEG (quality {quality})")
        self.fig._suptitle.set_text(f"JPEG quality {quality}: {nbytes:,} bytes ({self.image.nbytes / nbytes:.0f}× "
                                    f"smaller than raw), PSNR {peak_signal_noise_ratio(self.image, decoded):.1f} dB")
        return self.fig


def jpeg_quality_view(image, quality=50, crop=None):
    """Figure: ``image`` after a JPEG round trip at ``quality``, with size, compression ratio and PSNR in the title.

    ``crop`` = (row, col, height, width) adds a zoomed view of that region, where the artefacts show. Returns the figure.
    """
    return JpegQualityFigure(image, crop).update(quality)


def brightness_contrast_widget(image):
    """Sliders for brightness and contrast wired to ``brightness_contrast_view`` (display the returned box)."""
    validate.image(image, "brightness_contrast_widget", dtypes=(np.uint8,))
    controls = {
        "brightness": widgets.IntSlider(value=0, min=-150, max=150, step=10, description="brightness",
                                        continuous_update=False),
        "contrast": widgets.FloatSlider(value=1.0, min=0.2, max=3.0, step=0.1, description="contrast",
                                        continuous_update=False),
    }
    return live_figure(BrightnessContrastFigure(image, live=True).update, controls)


def jpeg_quality_widget(image, crop=None):
    """A JPEG quality slider wired to ``jpeg_quality_view`` (display the returned box)."""
    validate.image(image, "jpeg_quality_widget", dtypes=(np.uint8,))
    controls = {"quality": widgets.IntSlider(value=50, min=1, max=100, step=1, description="JPEG quality",
                                             continuous_update=False,
                                             style={"description_width": "initial"})}
    return live_figure(JpegQualityFigure(image, crop, live=True).update, controls)


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

