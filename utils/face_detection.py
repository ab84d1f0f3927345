"""Finding faces in a photo (lesson 09): OpenCV's Haar cascade, and a small CNN face/non-face classifier slid
over an image pyramid, its windows merged by lesson 08's non-maximum suppression.

Boxes are corners (x1, y1, x2, y2) in pixels of the photo, as in ``utils.detection``.
"""

from pathlib import Path

import cv2
import numpy as np
from skimage import data as skdata

from utils import detection
from utils import validate

WINDOW = 25  # side of the lfw_subset crops, and of the windows the CNN looks at
CASCADE = "haarcascade_frontalface_default.xml"
# the astronaut's face, checked by eye: cheek to cheek, hairline to chin (corners x1, y1, x2, y2)
ASTRONAUT_FACE = (178, 72, 274, 178)
# photos of skimage.data without people: random crops of them are extra "no face" examples
NON_FACE_PHOTOS = ("camera", "coffee", "chelsea", "rocket", "brick", "grass", "gravel", "coins", "page", "clock")


def gray(image, func="gray"):
    """A uint8 grayscale copy of an RGB or grayscale photo; clear errors for empty or odd arrays."""
    img = validate.image(image, func)
    if img.dtype != np.uint8:
        if img.dtype.kind != "f" or img.min() < 0 or img.max() > 1:
            raise TypeError(f"{func} expects a uint8 photo (0-255) or floats in 0-1, got {img.dtype} "
                            f"from {img.min()} to {img.max()}")
        img = (img * 255 + 0.5).astype(np.uint8)
    return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)


def haar_cascade(name=CASCADE):
    """OpenCV's pretrained Haar cascade ``name`` (a file in ``cv2.data.haarcascades``)."""
    folder = Path(getattr(getattr(cv2, "data", None), "haarcascades", "") or ".")
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"OpenCV's Haar cascade {name} is missing (OpenCV {cv2.__version__}): the course pins "
                                "opencv-python-headless 4.14, whose wheel ships the cascades (OpenCV 5 wheels do not); "
                                "reinstall it with `pip install -r requirements.txt`")
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise OSError(f"OpenCV could not read the Haar cascade {path.name}: reinstall opencv-python-headless")
    return cascade


def haar_faces(image, scale_factor=1.1, min_neighbors=5, min_size=24):
    """Faces the Haar cascade finds: boxes (N, 4) as corners. ``scale_factor`` is the pyramid step, and a face
    counts only where at least ``min_neighbors`` overlapping windows agree."""
    g = gray(image, "haar_faces")
    validate.number("scale_factor", scale_factor, 1.01, 2.0)
    min_neighbors = validate.integer("min_neighbors", min_neighbors, 0)
    found = haar_cascade().detectMultiScale(g, scaleFactor=scale_factor, minNeighbors=min_neighbors,
                                            minSize=(min_size, min_size))
    return detection.xywh_to_corners(found) if len(found) else np.zeros((0, 4))


def face_patches(negatives=400, seed=0):
    """Training crops for a face/non-face classifier: x float32 (N, 25, 25, 1) in 0-1 and y (N,) with 1 = face.

    The 100 faces of ``skimage.data.lfw_subset`` and their mirror images, its 100 non-faces, and ``negatives``
    random crops (various sizes) of photos without people.
    """
    negatives = validate.integer("negatives", negatives, 0)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    lfw = skdata.lfw_subset().astype(np.float32)
    faces, others = lfw[:100], lfw[100:]
    crops = []
    photos = [gray(getattr(skdata, name)(), "face_patches") for name in NON_FACE_PHOTOS]
    for k in range(negatives):
        photo = photos[k % len(photos)]
        side = int(rng.integers(WINDOW, min(photo.shape) // 2))
        y, x = rng.integers(0, photo.shape[0] - side), rng.integers(0, photo.shape[1] - side)
        crop = cv2.resize(photo[y:y + side, x:x + side], (WINDOW, WINDOW), interpolation=cv2.INTER_AREA)
        crops.append(crop.astype(np.float32) / 255)
    x = np.concatenate([faces, faces[:, :, ::-1], others, np.reshape(crops, (-1, WINDOW, WINDOW))])
    y = np.r_[np.ones(200, np.int64), np.zeros(100 + negatives, np.int64)]
    return x[..., None], y


def image_pyramid(image, step=0.8, smallest=WINDOW):
    """The photo at shrinking sizes, each ``step`` times the last, until a side would be under ``smallest``:
    a list of (scale, image). A window of fixed size then covers bigger faces at smaller scales."""
    img = validate.image(image, "image_pyramid")
    validate.number("step", step, 0.3, 0.95)
    smallest = validate.positive_int("smallest", smallest)
    levels, scale = [], 1.0
    while min(img.shape[:2]) * scale >= smallest:
        size = (max(1, round(img.shape[1] * scale)), max(1, round(img.shape[0] * scale)))
        levels.append((scale, cv2.resize(img, size, interpolation=cv2.INTER_AREA) if scale < 1 else img))
        scale *= step
    if not levels:
        raise ValueError(f"image_pyramid: the photo {img.shape[:2]} is smaller than one window ({smallest} pixels)")
    return levels


def sliding_windows(image, size=WINDOW, stride=2):
    """Every ``size`` x ``size`` window of a grayscale image, ``stride`` pixels apart: (windows (N, size, size),
    boxes (N, 4) as corners in that image's pixels)."""
    img = validate.image(image, "sliding_windows")
    if img.ndim != 2:
        raise ValueError(f"sliding_windows expects a grayscale image (H, W), got shape {img.shape}")
    size, stride = validate.positive_int("size", size), validate.positive_int("stride", stride)
    if min(img.shape) < size:
        raise ValueError(f"sliding_windows: the image {img.shape} is smaller than one window ({size} pixels)")
    views = np.lib.stride_tricks.sliding_window_view(img, (size, size))[::stride, ::stride]
    rows, cols = np.mgrid[0:views.shape[0], 0:views.shape[1]] * stride
    boxes = np.stack([cols, rows, cols + size, rows + size], axis=-1).reshape(-1, 4)
    return views.reshape(-1, size, size), boxes.astype(np.float64)


def pyramid_windows(image, step=0.8, stride=2, smallest_face=40):
    """Windows of every pyramid level whose faces are at least ``smallest_face`` pixels: (windows float32
    (N, 25, 25, 1) in 0-1, boxes (N, 4) in the photo's pixels)."""
    g = gray(image, "pyramid_windows")
    top = WINDOW / validate.integer("smallest_face", smallest_face, WINDOW)
    windows, boxes = [], []
    for scale, level in image_pyramid(cv2.resize(g, None, fx=top, fy=top, interpolation=cv2.INTER_AREA), step):
        w, b = sliding_windows(level, WINDOW, stride)
        windows.append(w.astype(np.float32) / 255)
        boxes.append(b / (scale * top))
    return np.concatenate(windows)[..., None], np.concatenate(boxes)


def detect(scores, boxes, min_score=0.5, iou_threshold=0.3):
    """Windows scored at least ``min_score``, merged by non-maximum suppression: (boxes (M, 4), scores (M,))."""
    scores = np.asarray(scores, np.float64).reshape(-1)
    validate.number("min_score", min_score, 0.0, 1.0)
    keep = scores >= min_score
    boxes, scores = np.asarray(boxes, np.float64)[keep], scores[keep]
    best = detection.nms(boxes, scores, iou_threshold)
    return boxes[best], scores[best]


def hard_negatives(score, photos=NON_FACE_PHOTOS, per_photo=40, min_score=0.5, stride=4):
    """Windows of photos without faces that ``score`` (a function: windows → P(face)) wrongly calls faces:
    up to ``per_photo`` of the most confident per photo, as float32 (N, 25, 25, 1). Training on them again
    ("hard-negative mining") teaches the classifier what a face is *not*."""
    if not callable(score):
        raise TypeError("score must be a function that maps windows (N, 25, 25, 1) to P(face) (N,)")
    per_photo = validate.positive_int("per_photo", per_photo)
    found = []
    for name in photos:
        windows, _ = pyramid_windows(getattr(skdata, name)(), stride=stride)
        p = np.asarray(score(windows)).reshape(-1)
        best = np.argsort(-p, kind="stable")[:per_photo]
        found.append(windows[best[p[best] >= min_score]])
    return np.concatenate(found)
