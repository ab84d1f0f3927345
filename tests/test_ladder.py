"""Tests for utils.ladder: augmentation previews, widget callback, results table, bar chart, parameter counts."""

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.notebook import setup  # noqa: E402

keras = setup(keras=True)

from utils import ladder  # noqa: E402

IMAGE = (np.arange(32 * 32 * 3).reshape(32, 32, 3) % 251).astype(np.uint8)


@pytest.mark.parametrize("kind", ladder.AUGMENTATIONS)
def test_each_augmentation_changes_images_in_training_only(kind):
    layer = ladder.make_augmentation(kind, 0.5, seed=1)
    out = ladder.augmented_versions(IMAGE, layer, n=6)
    assert out.shape == (6, 32, 32, 3) and out.dtype == np.uint8
    assert any(not np.array_equal(o, IMAGE) for o in out), f"{kind} changed none of 6 copies"
    same = np.asarray(layer(IMAGE[None].astype("float32"), training=False))[0]
    np.testing.assert_allclose(same, IMAGE, atol=1e-3)


def test_zero_strength_rotation_is_identity():
    out = ladder.augmented_versions(IMAGE, ladder.make_augmentation("rotation", 0.0), n=3)
    assert np.abs(out.astype(int) - IMAGE).max() <= 1


def test_make_augmentation_rejects_bad_input():
    with pytest.raises(ValueError, match="kind must be one of"):
        ladder.make_augmentation("shear", 0.2)
    with pytest.raises(ValueError, match="between 0 and 1"):
        ladder.make_augmentation("zoom", 1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        ladder.make_augmentation("zoom", True)


def test_augmented_versions_rejects_bad_input():
    layer = ladder.make_augmentation("flip")
    with pytest.raises(ValueError, match="shape \\(height, width, 3\\)"):
        ladder.augmented_versions(IMAGE[..., 0], layer)
    with pytest.raises(TypeError, match="callable"):
        ladder.augmented_versions(IMAGE, "flip")
    with pytest.raises(ValueError, match="positive int"):
        ladder.augmented_versions(IMAGE, layer, n=0)


def test_augmentation_grid_shows_original_first():
    fig = ladder.augmentation_grid(IMAGE, ladder.make_augmentation("flip"), n=5, ncols=3)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == "original" and len(titles) == 6
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), IMAGE)


def test_widget_view_follows_the_controls():
    from utils.figure_widget import live_figure

    ui = live_figure(lambda kind, strength: ladder.show_augmentation(kind, strength, image=IMAGE, n=3),
                     {"kind": widgets.Dropdown(options=list(ladder.AUGMENTATIONS), value="flip"),
                      "strength": widgets.FloatSlider(value=0.2, min=0.0, max=1.0, step=0.1)})
    ui.controls["kind"].value = "zoom"
    ui.controls["strength"].value = 0.4
    assert ui.result._suptitle.get_text() == "zoom, strength 0.40"
    assert len([ax for ax in ui.result.axes if ax.images]) == 4


def test_show_augmentation_needs_an_image():
    with pytest.raises(ValueError, match="pass the image"):
        ladder.show_augmentation("flip", 0.2)


RESULTS = {"from scratch": 0.7, "+ augmentation": 0.76, "pretrained, frozen": 0.9}


def test_results_table_lists_gains_over_the_first_rung():
    table = ladder.results_table(RESULTS)
    lines = table.splitlines()
    assert len(lines) == 2 + len(RESULTS)
    assert "70.0%" in lines[2] and "+0.0 points" in lines[2]
    assert "+ augmentation" in lines[3] and "+6.0 points" in lines[3]
    assert "+20.0 points" in lines[4]


@pytest.mark.parametrize("bad, message", [({}, "non-empty dict"), ([0.5], "non-empty dict"),
                                          ({"a": 1.5}, "between 0 and 1"), ({"a": "high"}, "between 0 and 1")])
def test_results_reject_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        ladder.results_table(bad)
    with pytest.raises(ValueError, match=message):
        ladder.plot_ladder(bad)


def test_plot_ladder_draws_one_labelled_bar_per_rung():
    fig = ladder.plot_ladder(RESULTS)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [70, 76, 90])
    labels = [t.get_text() for t in ax.texts]
    assert {"70 %", "76 %", "90 %"} <= set(labels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["coin flip"], "the chance line is in the legend"


def test_plot_validation_curves():
    hist = {"a": {"val_accuracy": [0.5, 0.6, 0.7]}, "b": {"val_accuracy": [0.5, 0.8]}}
    fig = ladder.plot_validation_curves(hist)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [50, 60, 70])
    with pytest.raises(ValueError, match="val_accuracy"):
        ladder.plot_validation_curves({"a": {"accuracy": [0.5]}})
    with pytest.raises(ValueError, match="non-empty dict"):
        ladder.plot_validation_curves({})


def test_count_trainable_follows_freezing():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="a"), keras.layers.Dense(2, name="b")])
    assert ladder.count_trainable(model) == 4 * 3 + 3 + 3 * 2 + 2
    model.get_layer("a").trainable = False
    assert ladder.count_trainable(model) == 3 * 2 + 2
    with pytest.raises(TypeError, match="Keras model"):
        ladder.count_trainable("model")


def test_accuracy_by_group_splits_each_rung_over_the_groups():
    y = np.array([0, 0, 1, 1, 1, 0])
    hard = np.array([False, False, False, False, True, True])
    table = ladder.accuracy_by_group(y, {"a": [0, 0, 1, 1, 0, 1], "b": y}, {"easy": ~hard, "hard": hard})
    assert table == {"a": {"easy": 1.0, "hard": 0.0}, "b": {"easy": 1.0, "hard": 1.0}}
    text = ladder.group_table(table)
    assert text.splitlines()[0].split() == ["rung", "easy", "hard"]
    assert "100.0%" in text.splitlines()[2] and "0.0%" in text.splitlines()[2]


@pytest.mark.parametrize("predictions, groups, message", [
    ({}, {"all": np.ones(3, bool)}, "non-empty dicts"),
    ({"a": [0, 1, 1]}, {"all": np.ones(3)}, "boolean mask"),
    ({"a": [0, 1, 1]}, {"none": np.zeros(3, bool)}, "at least one"),
    ({"a": np.zeros((3, 2))}, {"all": np.ones(3, bool)}, "argmax"),
])
def test_accuracy_by_group_rejects_bad_input(predictions, groups, message):
    with pytest.raises(ValueError, match=message):
        ladder.accuracy_by_group(np.array([0, 1, 1]), predictions, groups)


def test_plot_groups_draws_one_bar_per_rung_and_group():
    table = {"scratch": {"easy": 0.9, "hard": 0.6}, "fine-tuned": {"easy": 0.92, "hard": 0.85}}
    fig = ladder.plot_groups(table)
    ax = fig.axes[0]
    assert len(ax.patches) == 4 and ax.get_ylabel() == "test accuracy (%)"
    assert sorted(round(p.get_height()) for p in ax.patches) == [60, 85, 90, 92]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["coin flip", "easy", "hard"]
    matplotlib.pyplot.close(fig)
