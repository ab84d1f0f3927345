"""Facial landmarks (lesson 09): the soft-argmax keypoint head, the landmark error in pixels, and figures of
predicted against true landmarks.

Landmarks are arrays (..., K, 2) of (x, y) pixel positions: x to the right, y down, pixel centres at whole
numbers, as ``utils.faces.draw_face`` returns them.
"""

import cv2
import keras
import matplotlib.pyplot as plt
import numpy as np
from skimage.transform import SimilarityTransform

from utils import validate
from utils.figure_widget import TEXT_SIZE

COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")  # Okabe-Ito: safe for colour-blind eyes


@keras.saving.register_keras_serializable(package="course")
class SoftArgmax(keras.layers.Layer):
    """Heatmaps (batch, H, W, K) of an image of ``image_size`` pixels to K points (batch, K, 2) in pixels.

    Each heatmap is turned into probabilities over its cells (softmax); the point is their weighted mean
    position, so it can fall between cells and the whole head can be trained by gradient descent.
    """

    def __init__(self, image_size, **kwargs):
        super().__init__(**kwargs)
        self.image_size = validate.positive_int("image_size", image_size)

    def call(self, heatmaps):
        ops = keras.ops
        _, height, width, k = heatmaps.shape
        probs = ops.softmax(ops.reshape(heatmaps, (-1, height * width, k)), axis=1)
        rows, cols = np.mgrid[0:height, 0:width].astype("float32")
        xs = ((cols + 0.5) * self.image_size / width - 0.5).reshape(1, -1, 1)   # cell centres in pixels
        ys = ((rows + 0.5) * self.image_size / height - 0.5).reshape(1, -1, 1)
        return ops.stack([ops.sum(probs * xs, axis=1), ops.sum(probs * ys, axis=1)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1], 2)

    def get_config(self):
        return {**super().get_config(), "image_size": self.image_size}


def _points(value, name):
    """``value`` as a float array (..., K, 2) of points."""
    arr = validate.array(value, name, (2, 3), "pass points as (K, 2) for one face or (N, K, 2) for N faces")
    if arr.shape[-1] != 2:
        raise ValueError(f"{name} has shape {arr.shape}: the last axis must hold (x, y), size 2")
    return arr.astype(np.float64)


def point_errors(predicted, true):
    """Distance in pixels between each predicted point and its true position: an array (..., K)."""
    p, t = _points(predicted, "predicted"), _points(true, "true")
    if p.shape != t.shape:
        raise ValueError(f"predicted {p.shape} and true {t.shape} landmarks must have the same shape: one "
                         "(x, y) per landmark and face, in the same order")
    return np.linalg.norm(p - t, axis=-1)


def landmark_error(predicted, true):
    """Mean distance in pixels between predicted and true landmarks (over every face and landmark)."""
    return float(point_errors(predicted, true).mean())


def show_landmarks(images, true, predicted=None, names=None, columns=6, cell=1.6, title=None):
    """Photos with their true landmarks (circles) and, if given, the predicted ones (crosses) joined to them."""
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be an array (N, H, W, 3), got shape {images.shape}")
    true = _points(true, "true").reshape(len(images), -1, 2)
    if predicted is not None:
        predicted = _points(predicted, "predicted").reshape(true.shape)
    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * cell, rows * cell + (0.4 if title else 0)),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i])
        for k, (x, y) in enumerate(true[i]):
            colour = COLOURS[k % len(COLOURS)]
            ax.plot(x, y, "o", ms=6, mfc="none", mec=colour, mew=1.5)
            if predicted is not None:
                px, py = predicted[i, k]
                ax.plot([x, px], [y, py], "-", color="white", lw=0.8)
                ax.plot(px, py, "x", ms=6, color=colour, mew=1.8)
        if predicted is not None:
            ax.set_title(f"{point_errors(predicted[i], true[i]).mean():.1f} px", fontsize=TEXT_SIZE)
    if names:
        handles = [plt.Line2D([], [], marker="o", ls="", mfc="none", mec=c, label=n) for c, n in zip(COLOURS, names)]
        fig.legend(handles=handles, loc="lower center", ncol=len(names), frameon=False, fontsize=TEXT_SIZE,
                   bbox_to_anchor=(0.5, -0.02))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# where the eyes and the nose go in an aligned crop (fractions of its side): the eyes level, a fixed distance apart
ALIGNED_EYES_NOSE = np.array([[0.42, 0.62], [0.58, 0.62], [0.5, 0.665]])


def similarity(points, reference):
    """The 2 x 3 matrix of the rotation + scale + shift that moves ``points`` (K, 2) closest to ``reference``
    (K, 2) in the least-squares sense (``skimage.transform.SimilarityTransform``)."""
    src, dst = _points(points, "points"), _points(reference, "reference")
    if src.ndim != 2 or src.shape != dst.shape or len(src) < 2:
        raise ValueError(f"points {src.shape} and reference {dst.shape} must both be (K, 2) with K >= 2")
    tf = SimilarityTransform.from_estimate(src, dst)
    if not tf:
        raise ValueError(f"no similarity transform fits these points ({tf}): are two of them on top of each other?")
    return tf.params[:2]


def reference_shape(points, size=32):
    """The average face in an aligned ``size`` x ``size`` crop: each face's eyes and nose moved onto
    ``ALIGNED_EYES_NOSE``, then all K landmarks averaged. ``points`` is (N, K, 2) with eyes and nose first."""
    pts = _points(points, "points")
    if pts.ndim != 3:
        raise ValueError(f"points must be (N, K, 2) for N faces, got shape {pts.shape}")
    target = ALIGNED_EYES_NOSE * validate.positive_int("size", size)
    moved = [p @ m[:, :2].T + m[:, 2] for p, m in ((p, similarity(p[:3], target)) for p in pts)]
    return np.mean(moved, axis=0)


def align_faces(images, points, reference, size=32):
    """Each photo turned, scaled and shifted so that its landmarks best match ``reference`` (K, 2), and cut to a
    ``size`` x ``size`` crop: faces upright, one size, in one place. Returns uint8 (N, size, size, 3)."""
    images = np.asarray(images)
    pts = _points(points, "points")
    if images.ndim != 4 or pts.ndim != 3 or len(images) != len(pts):
        raise ValueError(f"need photos (N, H, W, 3) and their landmarks (N, K, 2), got {images.shape} and {pts.shape}")
    size = validate.positive_int("size", size)
    out = np.empty((len(images), size, size, images.shape[-1]), images.dtype)
    for i, (img, p) in enumerate(zip(images, pts)):
        out[i] = cv2.warpAffine(img, similarity(p, reference), (size, size), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REFLECT)
    return out
