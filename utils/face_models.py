"""The three small networks of lesson 09, written against ``keras`` only: a face/non-face classifier for 25 x 25
grayscale windows, a landmark network with a soft-argmax keypoint head, and an embedding network trained as an
identity classifier.
"""

import keras
from keras import layers

from utils import validate
from utils.landmarks import SoftArgmax


def build_face_classifier(window=25):
    """A face score for a grayscale window (pixels 0-1): a logit, so P(face) =
    sigmoid(score), and a score above 0 means "more likely a face than not"."""
    window = validate.integer("window", window, 16, 64)
    return keras.Sequential([
        keras.Input((window, window, 1)),
        # each window to mean 0, standard deviation 1: bright and dim faces look alike
        layers.LayerNormalization(axis=(1, 2, 3), center=False, scale=False),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, name="face_score"),  # a logit, no sigmoid: never saturates
    ], name="face_or_not")


def build_landmark_net(size=64, n_points=5):
    """``n_points`` landmarks (x, y) in pixels of a square RGB photo: convolutions
    down to a quarter of its size, a heatmap per landmark, and their soft-argmax."""
    size = validate.integer("size", size, 16, 512)
    n_points = validate.positive_int("n_points", n_points)
    return keras.Sequential([
        keras.Input((size, size, 3)),
        layers.Rescaling(1 / 127.5, offset=-1),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        # dilated: each layer sees further around, to tell the left eye from the right
        layers.Conv2D(32, 3, padding="same", dilation_rate=2, activation="relu"),
        layers.Conv2D(32, 3, padding="same", dilation_rate=4, activation="relu"),
        layers.Conv2D(n_points, 1, name="heatmaps"),  # one map per landmark
        SoftArgmax(size, name="keypoints"),           # each map → (x, y) in pixels
    ], name="landmarks")


def build_embedding_net(n_ids, size=32, dim=64):
    """(classifier, embedder): the embedder maps an aligned face to ``dim`` numbers;
    the classifier adds a softmax over the ``n_ids`` training individuals (to train)."""
    n_ids = validate.integer("n_ids", n_ids, 2)
    size = validate.integer("size", size, 16, 256)
    dim = validate.positive_int("dim", dim)
    face = keras.Input((size, size, 3))
    x = layers.Rescaling(1 / 127.5, offset=-1)(face)
    for filters in (32, 64, 128):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalMaxPooling2D()(x)
    embedding = layers.Dense(dim, name="embedding")(x)
    who = layers.Dense(n_ids, activation="softmax", name="identity")(embedding)
    classifier = keras.Model(face, who, name="identity_classifier")
    return classifier, keras.Model(face, embedding, name="embedder")
