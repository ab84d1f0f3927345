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
# the astronaut's face, checked by eye on a 5x enlargement: cheek to cheek, where the fringe ends to the chin
ASTRONAUT_FACE = (182, 76, 270, 178)
# photos of skimage.data without people (not "camera": the cameraman has a face): "no face" examples
NON_FACE_PHOTOS = ("coffee", "chelsea", "rocket", "brick", "grass", "gravel", "coins", "page", "clock", "moon",
                   "text", "immunohistochemistry", "cell")


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


def _jittered(face, rng):
    """A face crop moved by up to 1.5 pixels, scaled by up to 8 %, turned by up to 10 degrees, with another
    gamma (lighter or darker mid-tones) and a little blur."""
    m = cv2.getRotationMatrix2D((WINDOW / 2 - 0.5, WINDOW / 2 - 0.5), rng.uniform(-10, 10), rng.uniform(0.92, 1.08))
    m[:, 2] += rng.uniform(-1.5, 1.5, 2)
    out = cv2.warpAffine(face, m, (WINDOW, WINDOW), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    out = np.clip(out, 0, 1) ** np.exp(rng.uniform(-0.4, 0.4))
    sigma = rng.uniform(0, 0.9)
    return cv2.GaussianBlur(out, (0, 0), sigma) if sigma > 0.3 else out


def face_patches(negatives=2000, copies=9, seed=0):
    """Training crops for a face/non-face classifier: x float32 (N, 25, 25, 1) in 0-1 and y (N,) with 1 = face.

    The 100 faces of ``skimage.data.lfw_subset``, their mirror images and ``copies`` slightly moved, scaled and
    turned copies of each; its 100 non-faces, and ``negatives`` random crops (various sizes) of photos without
    people.
    """
    negatives = validate.integer("negatives", negatives, 0)
    copies = validate.integer("copies", copies, 0)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    lfw = skdata.lfw_subset().astype(np.float32)
    faces = np.concatenate([lfw[:100], lfw[:100, :, ::-1]])
    faces = np.concatenate([faces] + [np.stack([_jittered(f, rng) for f in faces]) for _ in range(copies)])
    crops = []
    photos = [gray(getattr(skdata, name)(), "face_patches") for name in NON_FACE_PHOTOS]
    for k in range(negatives):
        photo = photos[k % len(photos)]
        side = int(rng.integers(WINDOW, min(photo.shape) // 2))
        y, x = rng.integers(0, photo.shape[0] - side), rng.integers(0, photo.shape[1] - side)
        crop = cv2.resize(photo[y:y + side, x:x + side], (WINDOW, WINDOW), interpolation=cv2.INTER_AREA)
        crops.append(crop.astype(np.float32) / 255)
    x = np.concatenate([faces, lfw[100:], np.reshape(crops, (-1, WINDOW, WINDOW))])
    y = np.r_[np.ones(len(faces), np.int64), np.zeros(100 + negatives, np.int64)]
    return x[..., None].astype(np.float32), y


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


def pyramid_levels(image, step=0.8, smallest_face=40):
    """The grayscale photo shrunk so that a face of ``smallest_face`` pixels fills one window, then an image
    pyramid of it: a list of (scale against the photo, level)."""
    g = gray(image, "pyramid_levels")
    top = WINDOW / validate.integer("smallest_face", smallest_face, WINDOW)
    first = cv2.resize(g, None, fx=top, fy=top, interpolation=cv2.INTER_AREA) if top < 1 else g
    return [(scale * top, level) for scale, level in image_pyramid(first, step)]


def pyramid_windows(image, step=0.8, stride=2, smallest_face=40):
    """Windows of every pyramid level whose faces are at least ``smallest_face`` pixels: (windows float32
    (N, 25, 25, 1) in 0-1, boxes (N, 4) in the photo's pixels)."""
    levels = [(scale, *sliding_windows(level, WINDOW, stride)) for scale, level in pyramid_levels(image, step,
                                                                                                  smallest_face)]
    windows = np.empty((sum(len(w) for _, w, _ in levels), WINDOW, WINDOW, 1), np.float32)  # one copy in memory
    start = 0
    for _, w, _ in levels:
        windows[start:start + len(w), ..., 0] = w
        start += len(w)
    windows /= 255
    return windows, np.concatenate([b / scale for scale, _, b in levels])


def detect(scores, boxes, min_score=0.0, iou_threshold=0.3, min_neighbours=1, max_windows=2000):
    """Windows scored at least ``min_score``, merged by non-maximum suppression: (boxes (M, 4), scores (M,)).

    Each box NMS keeps is replaced by the mean of the windows it suppressed and itself (its *neighbours*), and
    dropped if it has fewer than ``min_neighbours`` of them: a real face fires many overlapping windows, a false
    alarm often few (OpenCV's ``detectMultiScale`` groups its windows the same way). With the lesson's
    classifier a score is a logit: 0 means P(face) = 0.5. Only the ``max_windows`` best-scored windows take
    part: NMS compares every pair, so its memory grows with their square (6,000 windows: about 1.3 GB).
    """
    scores = np.asarray(scores, np.float64).reshape(-1)
    boxes = detection.check_boxes(boxes)
    if len(scores) != len(boxes):
        raise ValueError(f"detect needs one score per box: {len(scores)} scores, {len(boxes)} boxes")
    validate.number("min_score", min_score)
    min_neighbours = validate.positive_int("min_neighbours", min_neighbours)
    max_windows = validate.positive_int("max_windows", max_windows)
    keep = np.argsort(-scores, kind="stable")[:max_windows]
    keep = keep[scores[keep] >= min_score]
    boxes, scores = boxes[keep], scores[keep]
    best = detection.nms(boxes, scores, iou_threshold)
    overlaps = detection.iou_matrix(boxes[best], boxes) > iou_threshold
    overlaps[np.arange(len(best)), best] = True
    count = overlaps.sum(axis=1)
    merged = overlaps @ boxes / np.maximum(count, 1)[:, None]
    strong = count >= min_neighbours
    return merged[strong], scores[best][strong]


def hard_negatives(score, photos=NON_FACE_PHOTOS, per_photo=40, min_score=0.0, stride=6):
    """Windows of photos without faces that ``score`` (a function: windows → face scores) wrongly calls faces:
    up to ``per_photo`` of the most confident per photo, as float32 (N, 25, 25, 1). Training on them again
    ("hard-negative mining") teaches the classifier what a face is *not*."""
    if not callable(score):
        raise TypeError("score must be a function that maps windows (N, 25, 25, 1) to face scores (N,)")
    per_photo = validate.positive_int("per_photo", per_photo)
    found = []
    for name in photos:
        windows, _ = pyramid_windows(getattr(skdata, name)(), stride=stride)
        p = np.asarray(score(windows)).reshape(-1)
        best = np.argsort(-p, kind="stable")[:per_photo]
        found.append(windows[best[p[best] >= min_score]])
    return np.concatenate(found)


def photo_variants(image, box=ASTRONAUT_FACE):
    """The photo as it is, turned by 30°, in dim light and at a quarter of its size, each with its face box moved
    along: {name: (photo, box (1, 4))}. Where does each detector stop finding the face?"""
    img = validate.image(image, "photo_variants")
    h, w = img.shape[:2]
    box = np.asarray(box, np.float64).reshape(1, 4)
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), 30, 1.0)
    corners = np.array([[box[0, 0], box[0, 1]], [box[0, 2], box[0, 1]], [box[0, 0], box[0, 3]], [box[0, 2], box[0, 3]]])
    moved = corners @ turn[:, :2].T + turn[:, 2]
    side = np.sqrt(np.prod(box[0, 2:] - box[0, :2]))  # a turned face is still about this big
    centre = moved.mean(axis=0)
    turned_box = np.r_[centre - side / 2, centre + side / 2][None]
    return {
        "as it is": (img, box),
        "turned 30°": (cv2.warpAffine(img, turn, (w, h), borderMode=cv2.BORDER_REFLECT), turned_box),
        "dim light": ((img * 0.3).astype(img.dtype), box),
        "quarter size": (cv2.resize(img, (w // 4, h // 4), interpolation=cv2.INTER_AREA), box / 4),
    }


def judge(found, box, min_iou=0.5):
    """(whether one of the ``found`` boxes overlaps ``box`` by IoU >= ``min_iou``, number of other boxes)."""
    found = detection.check_boxes(found, name="found")
    ious = detection.iou_matrix(found, box)[:, 0] if len(found) else np.zeros(0)
    hit = bool((ious >= min_iou).any())
    return hit, int(len(found) - hit)
