"""The three small networks of lesson 09, written against ``keras`` only: a face/non-face classifier for 25 x 25
grayscale windows, a landmark network with a soft-argmax keypoint head, and an embedding network trained as an
identity classifier.
"""

import keras
from keras import layers

from utils import validate
from utils.landmarks import SoftArgmax


def build_face_classifier(window=25):
    """Face score (a logit) of a grayscale window (0-1)."""
    window = validate.integer("window", window, 16, 64)
    return keras.Sequential([
        keras.Input((window, window, 1)),
        # each window to mean 0 and standard deviation 1
        layers.LayerNormalization(axis=(1, 2, 3), center=False,
                                  scale=False),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, name="face_score"),  # a logit
    ], name="face_or_not")


def build_landmark_net(size=64, n_points=5):
    """Landmarks (x, y) in pixels of a square RGB photo."""
    size = validate.integer("size", size, 16, 512)
    n_points = validate.positive_int("n_points", n_points)
    conv = dict(padding="same", activation="relu")
    return keras.Sequential([
        keras.Input((size, size, 3)),
        layers.Rescaling(1 / 127.5, offset=-1),
        layers.Conv2D(16, 3, **conv),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, **conv),
        layers.MaxPooling2D(),               # a quarter size
        layers.Conv2D(32, 3, **conv),
        layers.Conv2D(32, 3, dilation_rate=2, **conv),  # wider
        layers.Conv2D(32, 3, dilation_rate=4, **conv),  # view
        layers.Conv2D(n_points, 1, name="heatmaps"),
        SoftArgmax(size, name="keypoints"),  # map → (x, y)
    ], name="landmarks")


def build_embedding_net(n_ids, size=32, dim=64):
    """(classifier, embedder) for aligned faces: a softmax
    over ``n_ids`` training individuals trains both."""
    n_ids = validate.integer("n_ids", n_ids, 2)
    size = validate.integer("size", size, 16, 256)
    dim = validate.positive_int("dim", dim)
    face = keras.Input((size, size, 3))
    x = layers.Rescaling(1 / 127.5, offset=-1)(face)
    for filters in (32, 64, 128):
        x = layers.Conv2D(filters, 3, padding="same",
                          activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalMaxPooling2D()(x)
    embedding = layers.Dense(dim, name="embedding")(x)
    who = layers.Dense(n_ids, activation="softmax")(embedding)
    return (keras.Model(face, who, name="identity_classifier"),
            keras.Model(face, embedding, name="embedder"))
