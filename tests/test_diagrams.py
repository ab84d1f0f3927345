import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from utils.notebook import setup_keras  # noqa: E402

keras = setup_keras(0)

from utils import diagrams, models  # noqa: E402


@pytest.fixture(scope="module")
def cnn():
    return models.build_cnn()


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_rows_read_the_model(cnn):
    rows = diagrams.layer_rows(cnn)
    assert rows[0] == ("input", "input", "photo", (64, 64, 3), 0)
    assert [r[0] for r in rows[1:]] == [layer.name for layer in cnn.layers]
    assert rows[2] == ("conv1", "conv", "3×3 relu", (64, 64, 16), 448)
    assert rows[3][1:3] == ("pool", "2×2 max") and rows[3][3] == (32, 32, 16)
    assert rows[-3][1:4] == ("pool", "global max", (64,))
    assert rows[-1] == ("output", "dense", "softmax", (2,), 130)
    assert sum(r[-1] for r in rows) == cnn.count_params()


def test_linear_layers_say_so():
    rows = diagrams.layer_rows(models.build_cnn(activation=None, pooling="avg", block_pooling="avg"))
    assert [r[2] for r in rows[2:4]] == ["3×3 linear", "2×2 avg"]
    assert [r[2] for r in rows[-3:]] == ["global avg", "linear", "softmax"]


def test_one_box_per_layer_labelled_with_shape_and_weights(cnn):
    fig = diagrams.plot_architecture(cnn)
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert len(boxes) == len(cnn.layers) + 1
    shown = texts(fig)
    for layer in cnn.layers:
        assert layer.name in shown
        assert f"{layer.count_params():,}" in shown
    assert "16×16×64" in shown and "8×8×64" in shown
    assert ax.get_title() == f"cnn: {len(cnn.layers)} layers, {cnn.count_params():,} weights"
    heights = {name: box.get_height() for name, box in zip(["input"] + [x.name for x in cnn.layers], boxes)}
    assert heights["conv1"] > heights["conv2"] > heights["conv3"], "deeper maps are smaller: drawn lower"
    plt.close(fig)


def test_flatten_and_a_title(cnn):
    flat = models.build_cnn(pooling="flatten")
    fig = diagrams.plot_architecture(flat, title="Exercise 2")
    assert "4096" in texts(fig) and "262,208" in texts(fig)
    assert fig.axes[0].get_title() == "Exercise 2"
    plt.close(fig)


def test_bad_models():
    inputs = keras.Input((4,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    with pytest.raises(TypeError, match="keras.Sequential"):
        diagrams.plot_architecture(functional)
    with pytest.raises(ValueError, match="not built yet"):
        diagrams.plot_architecture(keras.Sequential([keras.layers.Dense(2)]))
