import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.notebook import setup_keras  # noqa: E402

keras = setup_keras(0)

from utils import models  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    """A tiny CNN on 8×8 RGB images: fast to build and call."""
    return models.build_cnn((8, 8, 3), filters=(2, 3), dense_units=4)


def test_build_cnn_layers_and_parameter_counts(tiny):
    names = [layer.name for layer in tiny.layers]
    assert names == ["rescale", "conv1", "pool1", "conv2", "pool2", "max_pool", "dense", "output"]
    # (F·F·C + 1)·K per conv layer, (N_in + 1)·N_out per dense layer, nothing for pooling
    expected = (3 * 3 * 3 + 1) * 2 + (3 * 3 * 2 + 1) * 3 + (3 + 1) * 4 + (4 + 1) * 2
    assert tiny.count_params() == expected
    assert tiny.output_shape == (None, 2)


def test_build_cnn_flatten_and_avg_heads():
    flat = models.build_cnn((8, 8, 1), n_classes=3, filters=(2,), dense_units=4, pooling="flatten")
    assert flat.get_layer("flatten").output.shape[1:] == (4 * 4 * 2,)
    assert flat.count_params() == (9 * 1 + 1) * 2 + (32 + 1) * 4 + (4 + 1) * 3
    avg = models.build_cnn((8, 8, 3), filters=(2,), dense_units=4, pooling="avg")
    assert isinstance(avg.get_layer("avg_pool"), keras.layers.GlobalAveragePooling2D)


def test_build_cnn_without_relu_and_with_average_pooling():
    linear = models.build_cnn((8, 8, 3), filters=(2, 3), dense_units=4, activation=None, pooling="avg",
                              block_pooling="avg")
    kinds = [type(layer).__name__ for layer in linear.layers]
    assert kinds == ["Rescaling", "Conv2D", "AveragePooling2D", "Conv2D", "AveragePooling2D",
                     "GlobalAveragePooling2D", "Dense", "Dense"]
    assert [layer.get_config()["activation"] for layer in linear.layers if "activation" in layer.get_config()] == [
        "linear", "linear", "linear", "softmax"]
    assert linear.count_params() == models.build_cnn((8, 8, 3), filters=(2, 3), dense_units=4).count_params()


def test_a_cnn_without_any_non_linearity_is_one_linear_map():
    """No ReLU, average pooling: the logit difference is linear in the pixels (f(a + b) = f(a) + f(b) - f(0))."""
    from keras import ops

    keras.utils.set_random_seed(3)
    linear = models.build_cnn((8, 8, 3), filters=(2, 3), dense_units=4, activation=None, pooling="avg",
                              block_pooling="avg")
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 255, (2, 1, 8, 8, 3)).astype("float32")
    zero = np.zeros_like(a)

    def logit(x):  # log P(muffin) - log P(chihuahua): the one score a two-class softmax decides with
        p = ops.convert_to_numpy(linear(x)).astype("float64")
        return np.log(p[:, 1]) - np.log(p[:, 0])

    np.testing.assert_allclose(logit(a + b), logit(a) + logit(b) - logit(zero), atol=1e-4)
    relu = models.build_cnn((8, 8, 3), filters=(2, 3), dense_units=4)
    relu.set_weights(linear.get_weights())
    out = [ops.convert_to_numpy(relu(x)).astype("float64") for x in (a + b, a, b, zero)]
    logits = [np.log(p[:, 1]) - np.log(p[:, 0]) for p in out]
    assert not np.allclose(logits[0], logits[1] + logits[2] - logits[3], atol=1e-4)


def test_build_dense_baseline_counts():
    model = models.build_dense_baseline((4, 4, 3), hidden=(5,))
    assert [layer.name for layer in model.layers] == ["rescale", "flatten", "dense1", "output"]
    assert model.count_params() == (48 + 1) * 5 + (5 + 1) * 2


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"input_shape": (8, 8)}, ValueError, "height, width, channels"),
        ({"input_shape": (8, 8, 4)}, ValueError, "1 or 3 channels"),
        ({"filters": ()}, ValueError, "non-empty"),
        ({"filters": (16, 0)}, ValueError, "positive ints"),
        ({"filters": 16}, TypeError, "sequence"),
        ({"pooling": "mean"}, ValueError, "pooling must be one of"),
        ({"n_classes": 1}, ValueError, "n_classes must be at least 2"),
        ({"dense_units": 2.5}, TypeError, "dense_units must be an int"),
        ({"activation": "tanh"}, ValueError, "activation must be one of"),
        ({"block_pooling": "flatten"}, ValueError, "block_pooling must be one of"),
    ],
)
def test_build_cnn_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        models.build_cnn(**kwargs)


def test_dense_baseline_bad_hidden():
    with pytest.raises(ValueError, match="hidden"):
        models.build_dense_baseline(hidden=(0,))


def test_predict_proba_single_image_and_batch(tiny):
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    probs = models.predict_proba(tiny, batch)
    assert probs.shape == (5, 2)
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(models.predict_proba(tiny, batch[2]), probs[2:3], atol=1e-6)


@pytest.mark.parametrize(
    "images, error, message",
    [
        (np.zeros((16, 16, 3)), ValueError, r"expects images of shape \(8, 8, 3\)"),
        (np.zeros((2, 8, 8, 1)), ValueError, "resize them first"),
        (np.array(["a"]), TypeError, "numeric array"),
    ],
)
def test_predict_proba_bad_images(tiny, images, error, message):
    with pytest.raises(error, match=message):
        models.predict_proba(tiny, images)


def test_input_size(tiny):
    assert models.input_size(tiny) == (8, 8, 3)
    with pytest.raises(ValueError, match="built image model"):
        models.input_size(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]))


def test_probability_sentence():
    assert models.probability_sentence([0.93, 0.07], ["chihuahua", "muffin"]) == "93 % chihuahua"
    assert models.probability_sentence(np.array([0.004, 0.996]), ("chihuahua", "muffin")) == "100 % muffin"
    assert models.probability_sentence([0.2, 0.3, 0.5], ["a", "b", "c"]) == "50 % c"


@pytest.mark.parametrize(
    "probs, names, message",
    [
        ([0.5, 0.5], ["only"], "one per class"),
        ([1.0], ["only"], "one per class"),
        ([0.9, 0.3], ["a", "b"], "sum to 1"),
        ([1.2, -0.2], ["a", "b"], "non-negative"),
        ([np.nan, 1.0], ["a", "b"], "sum to 1"),
    ],
)
def test_probability_sentence_bad_input(probs, names, message):
    with pytest.raises(ValueError, match=message):
        models.probability_sentence(probs, names)


def test_classify_image_any_size_grayscale_or_rgba(tiny, tmp_path):
    import cv2

    gray = np.random.default_rng(3).integers(0, 256, (20, 30), dtype=np.uint8)  # 30 wide, 20 high
    cv2.imwrite(str(tmp_path / "gray.png"), gray)
    rgba = np.dstack([np.full((12, 9, 3), 200, np.uint8), np.full((12, 9), 255, np.uint8)])
    cv2.imwrite(str(tmp_path / "rgba.png"), rgba)
    for name in ("gray.png", "rgba.png"):
        probs, sentence = models.classify_image(tiny, tmp_path / name, ["chihuahua", "muffin"])
        assert probs.shape == (2,) and abs(probs.sum() - 1) < 1e-5
        assert sentence == models.probability_sentence(probs, ["chihuahua", "muffin"])
    # the grayscale file is read as three equal channels, resized to the model's 8×8 input
    resized = cv2.resize(gray, (8, 8), interpolation=cv2.INTER_AREA).astype("float32")
    expected = models.predict_proba(tiny, np.dstack([resized] * 3))[0]
    np.testing.assert_allclose(models.classify_image(tiny, tmp_path / "gray.png", ["c", "m"])[0], expected, atol=1e-5)


def test_classify_image_missing_or_unreadable(tiny, tmp_path):
    with pytest.raises(FileNotFoundError, match="'no_such_photo.jpg' not found"):
        models.classify_image(tiny, tmp_path / "no_such_photo.jpg", ["chihuahua", "muffin"])
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ValueError, match="not an image OpenCV can read"):
        models.classify_image(tiny, tmp_path / "notes.png", ["chihuahua", "muffin"])
    cv2_file = tmp_path / "ok.png"
    import cv2

    cv2.imwrite(str(cv2_file), np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ValueError, match="one per class"):
        models.classify_image(tiny, cv2_file, ["only one"])
