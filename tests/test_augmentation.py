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


def test_lesson_block_adds_the_everyday_poses_and_noise_in_training_only():
    block = augmentation.build_block()
    assert [type(layer).__name__ for layer in block.layers] == [
        "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "Rescaling",
        "GaussianNoise", "Rescaling"]
    rotation, zoom, shift = (layer.get_config() for layer in block.layers[1:4])
    top = lambda v: max(v) if isinstance(v, (tuple, list)) else v  # noqa: E731 - 0.2 and (-0.2, 0.2) alike
    assert abs(top(rotation["factor"]) * 360 - 25) < 1, "the everyday photos turn by up to ±25°"
    assert top(shift["height_factor"]) == top(shift["width_factor"]) == 0.16
    assert top(zoom["height_factor"]) == 0.2
    assert abs(block.layers[6].stddev * 255 - 4) < 1e-6, "sensor noise of 4 grey levels"
    out = augmentation.augmented_versions(IMAGE, block, n=4)
    assert any(not np.array_equal(o, IMAGE) for o in out)
    np.testing.assert_allclose(np.asarray(block(IMAGE[None].astype("float32"), training=False))[0], IMAGE, atol=1e-3)


def test_noise_keeps_the_photos_statistics_that_interpolation_smooths():
    """Turning a photo interpolates its pixels and smooths its sensor noise; the block's noise puts it back."""
    rng = np.random.default_rng(0)
    noisy = np.clip(128 + rng.normal(0, 6, (64, 64, 3)), 0, 255).astype(np.uint8)
    turned = augmentation.augmented_versions(noisy, augmentation.make_augmentation("rotation", 0.2, seed=1), n=8)
    with_noise = augmentation.augmented_versions(noisy, augmentation.build_block(), n=8)
    roughness = lambda x: np.abs(np.diff(x.astype(float), axis=-2)).mean()  # noqa: E731
    assert roughness(turned) < 0.9 * roughness(noisy[None])
    assert roughness(with_noise) > roughness(turned)


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


def test_augmentation_grid_shows_original_first_with_readable_titles_that_do_not_overlap():
    from utils.figure_widget import unreadable_texts

    fig = augmentation.augmentation_grid(IMAGE, augmentation.build_block(), n=11, ncols=6)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == "original" and len(titles) == 12
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), IMAGE)
    assert unreadable_texts(fig) == []
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    second_row_titles = [ax.title.get_window_extent(renderer) for ax in fig.axes[6:12]]
    first_row_images = [ax.get_window_extent(renderer) for ax in fig.axes[:6]]
    for title, image in zip(second_row_titles, first_row_images):
        assert title.y1 <= image.y0 + 1, "a title of the second row overlaps the image above it"


def test_widget_view_follows_the_controls_and_updates_one_figure():
    from utils.figure_widget import live_figure

    explorer = augmentation.AugmentationFigure(IMAGE, n=3, live=True)
    ui = live_figure(explorer.update,
                     {"kind": widgets.Dropdown(options=list(augmentation.AUGMENTATIONS), value="flip"),
                      "strength": widgets.FloatSlider(value=0.2, min=0.0, max=1.0, step=0.1)})
    first = ui.result
    ui.controls["kind"].value = "noise"
    ui.controls["strength"].value = 0.4
    assert ui.result is first, "the widget should update its figure, not build a new one"
    assert ui.result._suptitle.get_text() == "noise, strength 0.40"
    assert len([ax for ax in ui.result.axes if ax.images]) == 4
    versions = [np.asarray(p.get_array()) for p in explorer.pictures[1:]]
    assert all(not np.array_equal(v, IMAGE) for v in versions), "noise changes every version"
    np.testing.assert_array_equal(explorer.pictures[0].get_array(), IMAGE)


def test_show_augmentation_needs_an_image():
    with pytest.raises(ValueError, match="pass the image"):
        augmentation.show_augmentation("flip", 0.2)


RESULTS = {"from scratch": 0.7, "+ augmentation": 0.76, "pretrained, frozen": 0.9}
