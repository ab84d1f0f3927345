"""Lesson 08's two models and their training recipe, for checks and benchmarks outside the notebook.

The lesson shows the same model code in its cells (and asserts that the parameter counts agree);
``benchmarks/detection_spread.py`` trains these to measure how much the results move between machines and seeds.
Model code uses ``keras.*`` only.
"""

import numpy as np

from utils import detection

LOC_SET = {"n_train": 1000, "n_test": 300, "size": 64, "n_objects": (1, 1), "scale": (0.45, 0.9)}
DET_SET = {"n_train": 1000, "n_test": 300, "size": 96, "n_objects": (1, 4), "scale": (0.3, 0.6)}
GRID = 6
LOC_EPOCHS, DET_EPOCHS = 10, 7
LOC_BOX_WEIGHT, DET_BOX_WEIGHT = 10.0, 20.0
SCORE_THRESHOLD, NMS_THRESHOLD = 0.05, 0.5


def mirror(images, targets):
    """Mirror pictures left-right and their boxes with them (x1' = W - x2, x2' = W - x1)."""
    images = np.asarray(images)
    width = images.shape[2]
    flipped = []
    for t in targets:
        b = detection.check_boxes(t["boxes"]).copy()
        b[:, [0, 2]] = width - b[:, [2, 0]]
        flipped.append({"boxes": b, "classes": np.asarray(t["classes"])})
    return images[:, :, ::-1], flipped


def box_to_cxcywh(boxes, size):
    """Corners (N, 4) in pixels to (centre x, centre y, width, height) as fractions of the picture side."""
    b = detection.check_boxes(boxes) / size
    return np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]])


def cxcywh_to_box(values, size):
    """The inverse of ``box_to_cxcywh``: fractions (N, 4) to corners in pixels, clipped to the picture."""
    v = np.asarray(values, np.float64).reshape(-1, 4) * size
    corners = np.column_stack([v[:, 0] - v[:, 2] / 2, v[:, 1] - v[:, 3] / 2, v[:, 0] + v[:, 2] / 2,
                               v[:, 1] + v[:, 3] / 2])
    return detection.clip_boxes(corners, size)


def _backbone(inputs):
    """The convolutions both models share: pixels to [-1, 1], a stride-2 convolution, three conv + pool blocks."""
    from keras import layers

    x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(x)
    for filters in (32, 64, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    return x


def build_localizer(size=64):
    """Classification + localization: a small CNN (a first convolution with stride 2), Flatten (position matters), and two heads."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(size, size, 3))
    x = _backbone(inputs)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    outputs = {"class": layers.Dense(2, activation="softmax", name="class")(x),
               "box": layers.Dense(4, activation="sigmoid", name="box")(x)}
    return keras.Model(inputs, outputs, name="localizer")


def build_detector(size=96):
    """One-stage detector: a fully convolutional CNN down to a 6 × 6 grid, three 1 × 1 convolution heads."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(size, size, 3))
    x = _backbone(inputs)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
    outputs = {"objectness": layers.Conv2D(1, 1, activation="sigmoid", name="objectness")(x),
               "box": layers.Conv2D(4, 1, activation="sigmoid", name="box")(x),
               "class": layers.Conv2D(2, 1, activation="softmax", name="class")(x)}
    return keras.Model(inputs, outputs, name="detector")


def localization_targets(targets, size):
    """Class numbers (N,) and boxes as (cx, cy, w, h) fractions (N, 4) of one-object pictures."""
    if any(len(t["boxes"]) != 1 for t in targets):
        raise ValueError("localization needs exactly one object per picture")
    return (np.array([t["classes"][0] for t in targets]),
            box_to_cxcywh(np.array([t["boxes"][0] for t in targets]), size))


def detection_targets(targets, size, grid=GRID):
    """Grid targets of many pictures: objectness (N, S, S, 1), box (N, S, S, 4), class (N, S, S)."""
    encoded = [detection.encode_grid(t["boxes"], t["classes"], grid, size) for t in targets]
    return (np.stack([e[0] for e in encoded])[..., None], np.stack([e[1] for e in encoded]),
            np.stack([e[2] for e in encoded]))


def train_localizer(images, targets, epochs=LOC_EPOCHS, box_weight=LOC_BOX_WEIGHT, learning_rate=1e-3, model=None):
    """Build, compile and fit the localizer on pictures and their mirror images; returns the model.
    ``model`` replaces the lesson's (benchmarks train broken variants to show that the lesson's asserts fail)."""
    import keras

    x, t = mirror(images, targets)
    x, t = np.concatenate([images, x]), list(targets) + t
    classes, boxes = localization_targets(t, x.shape[1])
    model = build_localizer(x.shape[1]) if model is None else model
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss={"class": "sparse_categorical_crossentropy", "box": "mean_absolute_error"},
                  loss_weights={"class": 1.0, "box": box_weight})
    model.fit(x, {"class": classes, "box": boxes}, epochs=epochs, batch_size=32, verbose=0)
    return model


def train_detector(images, targets, epochs=DET_EPOCHS, box_weight=DET_BOX_WEIGHT, learning_rate=1e-3, model=None):
    """Build, compile and fit the grid detector on scenes and their mirror images; returns the model.
    ``model`` replaces the lesson's (as for ``train_localizer``)."""
    import keras

    x, t = mirror(images, targets)
    x, t = np.concatenate([images, x]), list(targets) + t
    objectness, boxes, classes = detection_targets(t, x.shape[1])
    mask = objectness[..., 0]
    model = build_detector(x.shape[1]) if model is None else model
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss={"objectness": "binary_crossentropy", "box": "mean_absolute_error",
                        "class": "sparse_categorical_crossentropy"},
                  loss_weights={"objectness": 1.0, "box": box_weight, "class": 1.0})
    model.fit(x, {"objectness": objectness, "box": boxes, "class": classes},
              sample_weight={"objectness": np.ones_like(mask), "box": mask, "class": mask},
              epochs=epochs, batch_size=32, verbose=0)
    return model


def localization_scores(model, images, targets):
    """Class accuracy and the IoU of each predicted box with the true one, on one-object pictures."""
    classes, _ = localization_targets(targets, images.shape[1])
    pred = model.predict(images, verbose=0)
    boxes = cxcywh_to_box(pred["box"], images.shape[1])
    ious = np.array([detection.iou(p, t["boxes"][0]) for p, t in zip(boxes, targets)])
    return float(np.mean(pred["class"].argmax(axis=1) == classes)), ious


def detect(model, images, score_threshold=SCORE_THRESHOLD, nms_threshold=NMS_THRESHOLD):
    """Detections of each picture: decode the grid, drop low scores, NMS per class."""
    pred = model.predict(images, verbose=0)
    out = []
    for obj, box, probs in zip(pred["objectness"], pred["box"], pred["class"]):
        raw = detection.decode_grid(obj, box, probs, images.shape[1], score_threshold)
        keep = detection.nms_per_class(raw["boxes"], raw["scores"], raw["classes"], nms_threshold)
        out.append({k: v[keep] for k, v in raw.items()})
    return out
