"""Tests for utils.pretraining: the base, its pretraining, the classifier, head and transfer models, training,
the MobileNetV2 option."""

import numpy as np
import pytest

from utils.notebook import setup

keras = setup(keras=True)

from utils import pretraining  # noqa: E402


def test_build_base_blocks_and_output():
    base = pretraining.build_base(32, [4, 8, 8], expand=12)
    assert base.output_shape == (None, 12)
    names = [layer.name for layer in base.layers]
    assert [n for n in names if n.endswith("_conv")] == ["block1_conv", "block2_conv", "block3_conv"]
    assert [n for n in names if n.startswith("block3")] == ["block3_conv", "block3_expand"]
    with pytest.raises(ValueError, match="expand must be"):
        pretraining.build_base(32, [4], expand=0)
    with pytest.raises(ValueError, match="filters must be"):
        pretraining.build_base(32, [])
    with pytest.raises(ValueError, match="filters must be"):
        pretraining.build_base(32, [4, 0])
    with pytest.raises(ValueError, match="stem_stride must be one of"):
        pretraining.build_base(32, [4], stem_stride=3)


def test_stem_stride_halves_the_first_feature_map():
    strided, plain = pretraining.build_base(32, [4, 8], 8, stem_stride=2), pretraining.build_base(32, [4, 8], 8, stem_stride=1)
    assert strided.get_layer("block1_conv").output.shape[1:3] == (16, 16)
    assert plain.get_layer("block1_conv").output.shape[1:3] == (32, 32)
    assert strided.count_params() == plain.count_params(), "a stride changes the work, not the number of weights"


def test_pretrain_base_trains_the_base_and_reports_accuracy():
    kw = dict(n_images=64, epochs=1, size=32, filters=[4, 8], expand=8)
    keras.utils.set_random_seed(0)
    untrained = pretraining.build_base(32, [4, 8], 8)
    base, acc = pretraining.pretrain_base(**kw)
    assert base.output_shape == (None, 8) and 0.0 <= acc <= 1.0
    changed = [not np.allclose(a, b) for a, b in zip(base.get_weights(), untrained.get_weights())]
    assert all(changed), "pretraining left some weights at their initial values"
    again, acc2 = pretraining.pretrain_base(**kw)
    assert acc2 == acc, "pretraining must not depend on what ran before (it seeds Keras itself)"
    for a, b in zip(base.get_weights(), again.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_train_base_fits_any_number_of_classes_and_checks_epochs():
    x = np.random.default_rng(0).integers(0, 256, (12, 32, 32, 3)).astype("uint8")
    y = np.arange(12) % 3
    base, model = pretraining.train_base(x, y, 3, epochs=1, filters=[4, 8], expand=8)
    assert model.output_shape == (None, 3) and base.output_shape == (None, 8)
    assert model.layers[0] is base, "the returned base is the one inside the trained model"
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        pretraining.train_base(x, y, 3, epochs=0)



def test_classifier_head_and_transfer_models_have_the_lessons_shape():
    base = pretraining.build_base(32, [4, 8], 8)
    plain = pretraining.build_classifier(base)
    assert plain.output_shape == (None, 2) and [layer.name for layer in plain.layers][1:] == [
        "pets_bakes_base", "head_dense", "head_output"]
    regularised = pretraining.build_classifier(base, augment=keras.layers.RandomFlip(), dropout=0.5)
    assert "head_dropout" in [layer.name for layer in regularised.layers]
    features = np.random.default_rng(0).normal(3.0, 2.0, (20, 8))
    head = pretraining.build_head(features)
    normalized = np.asarray(head.get_layer("head_normalize")(features))
    np.testing.assert_allclose(normalized.mean(axis=0), 0, atol=1e-5)  # adapted to the features it was given
    transfer = pretraining.build_transfer(base, head, keras.layers.RandomFlip())
    assert transfer.output_shape == (None, 2) and transfer.name == "transfer"
    with pytest.raises(ValueError, match="features has shape"):
        pretraining.build_head(features[0])


def test_train_is_seeded_and_checks_epochs():
    x = np.random.default_rng(1).uniform(0, 255, (8, 32, 32, 3)).astype("float32")
    y = np.arange(8) % 2
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        model = pretraining.build_classifier(pretraining.build_base(32, [4], 4))
        history = pretraining.train(model, x, y, 1, validation_data=(x[:4], y[:4]))
        runs.append(model.get_weights())
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(np.array_equal(a, b) for a, b in zip(*runs))
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        pretraining.train(model, x, y, 0)


def test_mobilenet_option_builds_offline_without_weights():
    base = pretraining.build_mobilenet_base(size=64, alpha=0.35, weights=None)
    assert base.output_shape == (None, 1280)
    core = base.layers[-1]
    n_bn = sum(isinstance(layer, keras.layers.BatchNormalization) for layer in core.layers)
    assert n_bn > 30, "MobileNetV2 is full of BatchNorm layers, the reason for training=False"
    out = base.predict(np.full((2, 64, 64, 3), 255, "float32"), verbose=0)
    assert out.shape == (2, 1280) and np.isfinite(out).all()


def test_mobilenet_option_checks_its_arguments():
    with pytest.raises(ValueError, match="weights must be"):
        pretraining.build_mobilenet_base(weights="cifar")
    with pytest.raises(ValueError, match="alpha must be one of"):
        pretraining.build_mobilenet_base(alpha=0.2, weights=None)
    with pytest.raises(ValueError, match="ImageNet weights exist for sizes"):
        pretraining.build_mobilenet_base(size=64, weights="imagenet")
    with pytest.raises(ValueError, match="size must be at least 32"):
        pretraining.build_mobilenet_base(size=16, weights=None)



def test_pretrain_base_checks_epochs():
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        pretraining.pretrain_base(n_images=16, epochs=0, size=32, filters=[4], expand=4)
