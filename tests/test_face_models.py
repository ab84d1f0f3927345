"""The three networks of lesson 09: shapes, parameter counts, what they share, bad arguments."""

import keras
import numpy as np
import pytest

from utils import face_models


def test_face_classifier_outputs_one_logit_per_window():
    model = face_models.build_face_classifier()
    assert model.output_shape == (None, 1)
    assert model.layers[-1].get_config()["activation"] == "linear"
    x = np.random.default_rng(0).uniform(size=(3, 25, 25, 1)).astype("float32")
    brighter = np.asarray(model(x * 0.5 + 0.3, training=False))
    # standardised windows: brightness and contrast barely change the score (LayerNormalization's epsilon)
    np.testing.assert_allclose(brighter, np.asarray(model(x, training=False)), rtol=0.05)
    # 25 → conv 23 → pool 11 → conv 9 → pool 4: 4·4·32 = 512 numbers into Dense(32)
    assert model.count_params() == (3 * 3 * 1 + 1) * 16 + (3 * 3 * 16 + 1) * 32 + (512 + 1) * 32 + (32 + 1)


def test_landmark_net_outputs_points_in_pixels():
    model = face_models.build_landmark_net(64, 5)
    assert model.output_shape == (None, 5, 2)
    assert model.get_layer("heatmaps").output.shape[1:] == (16, 16, 5)
    out = model.predict(np.zeros((2, 64, 64, 3), "float32"), verbose=0)
    assert ((out >= -0.5) & (out <= 63.5)).all()


def test_embedding_net_shares_its_layers():
    classifier, embedder = face_models.build_embedding_net(10, 32, 16)
    assert classifier.output_shape == (None, 10) and embedder.output_shape == (None, 16)
    assert embedder.get_layer("embedding") is classifier.get_layer("embedding")
    x = np.random.default_rng(1).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    probs = classifier.predict(x, verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=1e-5)


@pytest.mark.parametrize("call, message", [
    (lambda: face_models.build_face_classifier(8), "window"),
    (lambda: face_models.build_landmark_net(64, 0), "n_points"),
    (lambda: face_models.build_embedding_net(1), "n_ids"),
    (lambda: face_models.build_embedding_net(5, dim=0), "dim"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_models_use_keras_only():
    import inspect

    source = inspect.getsource(face_models)
    assert "tensorflow" not in source and "tf." not in source
    assert keras.__name__ == "keras"
