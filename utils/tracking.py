"""Following individuals across the frames of a clip (lesson 09): a generated clip of dogs that swap places,
and trackers that link each frame's faces to the tracks of the frame before, by position or by appearance.

A track keeps one number for as long as it follows one individual; an **ID switch** is a frame where the track
that follows an individual changes.
"""

from dataclasses import dataclass

import cv2
import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import linear_sum_assignment

from utils import drawing
from utils import faces
from utils import validate
from utils.figure_widget import TEXT_SIZE

TRACK_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")  # Okabe-Ito


@dataclass
class Clip:
    """Frames uint8 (T, H, W, 3); boxes (T, N, 4) of the faces in each frame (corners, in a shuffled order);
    ids (T, N): which individual each box shows (the truth a tracker does not see)."""

    frames: np.ndarray
    boxes: np.ndarray
    ids: np.ndarray


def swap_schedule(n_dogs, n_frames, rng):
    """Which place (0 … n_dogs - 1, left to right) each dog takes in each frame: an array (T, n_dogs).
    Every second or third frame two neighbours swap places, as if they ran past each other between frames."""
    places = np.arange(n_dogs)
    schedule = [places.copy()]
    for t in range(1, n_frames):
        if n_dogs > 1 and t % int(rng.integers(2, 4)) == 0:
            i = int(rng.integers(n_dogs - 1))
            a, b = np.flatnonzero(places == i)[0], np.flatnonzero(places == i + 1)[0]
            places[a], places[b] = i + 1, i
        schedule.append(places.copy())
    return np.array(schedule)


def make_clip(dogs, n_frames=8, seed=0, tile=64, gap=24):
    """A clip of ``dogs`` standing in a row, ``tile`` pixels each, who now and then swap places between frames."""
    if not isinstance(dogs, (list, tuple)) or not dogs or not all(isinstance(d, faces.Individual) for d in dogs):
        raise TypeError("dogs must be a non-empty list of Individual (from utils.faces.make_individuals)")
    n_frames = validate.integer("n_frames", n_frames, 2, 60)
    tile = validate.integer("tile", tile, 32, 256)
    gap = validate.integer("gap", gap, 0, 256)
    rng = np.random.default_rng([validate.integer("seed", seed, 0), 23])
    n = len(dogs)
    height, width = tile + gap, n * tile + (n + 1) * gap
    side = max(height, width)
    scene = drawing.background(rng, side)[:height, :width]
    places = swap_schedule(n, n_frames, rng)
    frames = np.empty((n_frames, height, width, 3), np.uint8)
    boxes, ids = np.empty((n_frames, n, 4)), np.empty((n_frames, n), np.int64)
    for t in range(n_frames):
        frame = scene.copy()
        order = rng.permutation(n)  # boxes come in no particular order, as from a detector
        for slot, d in enumerate(order):
            x = gap + places[t, d] * (tile + gap) + int(rng.integers(-gap // 3, gap // 3 + 1))
            y = gap // 2 + int(rng.integers(-gap // 3, gap // 3 + 1))
            layer, alpha, _ = faces.posed_dog(dogs[d], rng, 2 * tile)
            layer = cv2.resize(layer, (tile, tile), interpolation=cv2.INTER_AREA)
            alpha = cv2.resize(alpha, (tile, tile), interpolation=cv2.INTER_AREA)[..., None]
            region = frame[y:y + tile, x:x + tile]
            region += (layer - region) * alpha
            boxes[t, slot], ids[t, slot] = (x, y, x + tile, y + tile), dogs[d].ident
        frames[t] = faces.light_photo(rng, frame, "normal")
    return Clip(frames, boxes, ids)


def crops(clip, t):
    """The faces of frame ``t``: an array (N, tile, tile, 3), one per box, in the order of ``clip.boxes[t]``."""
    return np.stack([clip.frames[t, int(y1):int(y2), int(x1):int(x2)] for x1, y1, x2, y2 in clip.boxes[t]])


def _centres(boxes):
    b = np.asarray(boxes, np.float64)
    return np.c_[(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2]


def track(boxes, embeddings=None):
    """Link the faces of each frame to the tracks of the frame before: by appearance (cosine similarity of
    ``embeddings``, a list of arrays (N, D) per frame) or, without embeddings, by position (box centre distance).
    Each frame's matching is the best one-to-one assignment (Hungarian method). Returns track numbers (T, N)."""
    boxes = [np.asarray(b, np.float64) for b in boxes]
    if not boxes or any(b.ndim != 2 or b.shape[1] != 4 or len(b) != len(boxes[0]) for b in boxes):
        raise ValueError("boxes must give each frame the same number of boxes, each frame an array (N, 4)")
    if embeddings is not None:
        embeddings = [np.asarray(e, np.float64) for e in embeddings]
        if len(embeddings) != len(boxes) or any(e.ndim != 2 or len(e) != len(b) for e, b in zip(embeddings, boxes)):
            raise ValueError("embeddings must give each frame one row (an embedding) per box")
        if len({e.shape[1] for e in embeddings}) != 1:
            raise ValueError("embeddings of different lengths: every frame's must come from the same network")
        embeddings = [e / np.linalg.norm(e, axis=1, keepdims=True) for e in embeddings]
    tracks = np.empty((len(boxes), len(boxes[0])), np.int64)
    tracks[0] = np.arange(len(boxes[0]))
    for t in range(1, len(boxes)):
        if embeddings is None:  # cost: how far each face is from where each track was last seen
            cost = np.linalg.norm(_centres(boxes[t - 1])[:, None] - _centres(boxes[t])[None], axis=-1)
        else:  # cost: how unlike each face is to the track's face in the last frame
            cost = 1 - embeddings[t - 1] @ embeddings[t].T
        rows, cols = linear_sum_assignment(cost)
        tracks[t, cols] = tracks[t - 1, rows]
    return tracks


def id_switches(tracks, ids):
    """How often the track that follows an individual changes from one frame to the next."""
    tracks, ids = np.asarray(tracks), np.asarray(ids)
    if tracks.shape != ids.shape or tracks.ndim != 2:
        raise ValueError(f"tracks and ids must be arrays (T, N) of one shape, got {tracks.shape} and {ids.shape}")
    switches = 0
    for t in range(1, len(ids)):
        before = dict(zip(ids[t - 1].tolist(), tracks[t - 1].tolist()))
        switches += sum(before.get(i) != k for i, k in zip(ids[t].tolist(), tracks[t].tolist()))
    return switches


def show_tracks(clip, tracks, title=None, columns=4):
    """The clip's frames with each box coloured and numbered by its track."""
    tracks = np.asarray(tracks)
    n_frames = len(clip.frames)
    rows = -(-n_frames // columns)
    h, w = clip.frames.shape[1:3]
    width = 2.5 * columns
    height = round(rows * (width / columns * h / w + 0.3) + 0.4, 1)
    fig, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False)
    for t, ax in enumerate(axes.flat):
        ax.axis("off")
        if t >= n_frames:
            continue
        ax.imshow(clip.frames[t])
        ax.set_title(f"frame {t}", fontsize=TEXT_SIZE)
        for (x1, y1, x2, y2), k in zip(clip.boxes[t], tracks[t]):
            colour = TRACK_COLOURS[int(k) % len(TRACK_COLOURS)]
            ax.add_patch(plt.Rectangle((x1, y1), x2 - x1 - 1, y2 - y1 - 1, fill=False, color=colour, lw=2))
            ax.text(x1 + 2, y1 + 2, str(int(k)), color="white", fontsize=TEXT_SIZE, va="top",
                    bbox={"facecolor": colour, "pad": 1, "lw": 0})
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
