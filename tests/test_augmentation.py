"""Tests for utils.augmentation: one Keras layer per kind, identity at inference, previews and widget callback."""

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.notebook import setup  # noqa: E402

keras = setup(keras=True)

from utils import augmentation  # noqa: E402

IMAGE = (np.arange(32 * 32 * 3).reshape(32, 32, 3) % 251).astype(np.uint8)


@pytest.mark.parametrize("kind", augmentation.AUGMENTATIONS)
def test_each_augmentation_changes_images_in_training_only(kind):
    layer = augmentation.make_augmentation(kind, 0.5, seed=1)
    out = augmentation.augmented_versions(IMAGE, layer, n=6)
    assert out.shape == (6, 32, 32, 3) and out.dtype == np.uint8
    assert any(not np.array_equal(o, IMAGE) for o in out), f"{kind} changed none of 6 copies"
    same = np.asarray(layer(IMAGE[None].astype("float32"), training=False))[0]
    np.testing.assert_allclose(same, IMAGE, atol=1e-3)


def test_lesson_block_changes_photos_in_training_only():
    block = augmentation.build_block()
    assert [type(layer).__name__ for layer in block.layers] == [
        "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast"]
    out = augmentation.augmented_versions(IMAGE, block, n=4)
    assert any(not np.array_equal(o, IMAGE) for o in out)
    np.testing.assert_allclose(np.asarray(block(IMAGE[None].astype("float32"), training=False))[0], IMAGE, atol=1e-3)


def test_zero_strength_rotation_is_identity():
    out = augmentation.augmented_versions(IMAGE, augmentation.make_augmentation("rotation", 0.0), n=3)
    assert np.abs(out.astype(int) - IMAGE).max() <= 1


def test_make_augmentation_rejects_bad_input():
    with pytest.raises(ValueError, match="kind must be one of"):
        augmentation.make_augmentation("shear", 0.2)
    with pytest.raises(ValueError, match="between 0 and 1"):
        augmentation.make_augmentation("zoom", 1.5)
    with pytest.raises(TypeError, match="strength must be a number"):
        augmentation.make_augmentation("zoom", True)


def test_augmented_versions_rejects_bad_input():
    layer = augmentation.make_augmentation("flip")
    with pytest.raises(ValueError, match="shape \\(height, width, 3\\)"):
        augmentation.augmented_versions(IMAGE[..., 0], layer)
    with pytest.raises(TypeError, match="callable"):
        augmentation.augmented_versions(IMAGE, "flip")
    with pytest.raises(ValueError, match="positive int"):
        augmentation.augmented_versions(IMAGE, layer, n=0)


def test_augmentation_grid_shows_original_first():
    fig = augmentation.augmentation_grid(IMAGE, augmentation.make_augmentation("flip"), n=5, ncols=3)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == "original" and len(titles) == 6
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), IMAGE)


def test_widget_view_follows_the_controls():
    from utils.figure_widget import live_figure

    ui = live_figure(lambda kind, strength: augmentation.show_augmentation(kind, strength, image=IMAGE, n=3),
                     {"kind": widgets.Dropdown(options=list(augmentation.AUGMENTATIONS), value="flip"),
                      "strength": widgets.FloatSlider(value=0.2, min=0.0, max=1.0, step=0.1)})
    ui.controls["kind"].value = "zoom"
    ui.controls["strength"].value = 0.4
    assert ui.result._suptitle.get_text() == "zoom, strength 0.40"
    assert len([ax for ax in ui.result.axes if ax.images]) == 4


def test_show_augmentation_needs_an_image():
    with pytest.raises(ValueError, match="pass the image"):
        augmentation.show_augmentation("flip", 0.2)


RESULTS = {"from scratch": 0.7, "+ augmentation": 0.76, "pretrained, frozen": 0.9}
