import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.notebook import setup_keras  # noqa: E402

keras = setup_keras(0)
from keras import layers, ops  # noqa: E402

from utils import explain  # noqa: E402
from utils.models import build_cnn  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    keras.utils.set_random_seed(0)  # the same weights whichever tests ran before
    return build_cnn((8, 8, 3), filters=(2, 3), dense_units=4)


@pytest.fixture(scope="module")
def red_detector():
    """Hand-set model: one 1×1 filter that passes the red channel, global max, class 1 = 'much red'."""
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Rescaling(1 / 255),
                              layers.Conv2D(1, 1, activation="relu", name="red"),
                              layers.GlobalMaxPooling2D(), layers.Dense(2, activation="softmax", name="out")])
    model.get_layer("red").set_weights([np.array([1.0, 0, 0]).reshape(1, 1, 3, 1), np.zeros(1)])
    model.get_layer("out").set_weights([np.array([[-3.0, 3.0]]), np.zeros(2)])
    return model


def image(seed=0, shape=(8, 8, 3)):
    return np.random.default_rng(seed).integers(0, 256, shape).astype("float32")


def test_gradient_matches_finite_differences():
    x = np.random.default_rng(2).normal(size=(2, 3)).astype("float32")

    def f(t):
        return ops.sum(ops.sin(t) * t ** 2)

    got = ops.convert_to_numpy(explain.gradient(f, x))
    np.testing.assert_allclose(got, np.cos(x) * x ** 2 + 2 * x * np.sin(x), rtol=1e-5, atol=1e-6)


def test_class_score_is_the_logit_behind_the_softmax(tiny):
    x = image()[None]
    features, score = explain.class_score_function(tiny, "conv2", class_index=1)
    a = features(x)
    _, score0 = explain.class_score_function(tiny, "conv2", class_index=0)
    logit_gap = float(ops.convert_to_numpy(score(a))) - float(ops.convert_to_numpy(score0(a)))
    p = ops.convert_to_numpy(tiny(x))[0]
    np.testing.assert_allclose(logit_gap, np.log(p[1] / p[0]), rtol=1e-4, atol=1e-5)


def test_grad_cam_weights_match_finite_differences(tiny):
    img = image(3)
    peaks = []
    for class_index in (0, 1):
        features, score = explain.class_score_function(tiny, "conv2", class_index=class_index)
        a = ops.convert_to_numpy(features(img[None])).astype("float64")
        f = lambda arr: float(ops.convert_to_numpy(score(arr.astype("float32"))))  # noqa: E731
        eps, grads = 1e-2, np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            up, down = a.copy(), a.copy()
            up[idx] += eps
            down[idx] -= eps
            grads[idx] = (f(up) - f(down)) / (2 * eps)
        cam = np.maximum((grads.mean(axis=(1, 2), keepdims=True) * a).sum(axis=-1)[0], 0)
        expected = cam / cam.max() if cam.max() > 0 else cam
        got = explain.grad_cam(tiny, img, class_index=class_index, layer_name="conv2")
        assert got.shape == (4, 4)
        np.testing.assert_allclose(got, expected, atol=2e-3)
        peaks.append(got.max())
    assert max(peaks) == 1.0  # at least one class has evidence somewhere: the comparison is not all zeros


def test_grad_cam_points_at_the_evidence(red_detector):
    img = np.full((8, 8, 3), 40, dtype="float32")
    img[2, 5] = [250, 0, 0]
    heat = explain.grad_cam(red_detector, img, class_index=1)
    assert np.unravel_index(heat.argmax(), heat.shape) == (2, 5)
    assert heat.max() == 1.0 and heat.min() >= 0
    assert explain.grad_cam(red_detector, img).shape == (8, 8)  # predicted class: 1
    assert np.all(explain.grad_cam(red_detector, img, class_index=0) == 0)  # red speaks against class 0


def test_grad_cam_bad_input(tiny):
    with pytest.raises(ValueError, match=r"expected one image of shape \(8, 8, 3\)"):
        explain.grad_cam(tiny, np.zeros((4, 8, 8, 3)))
    with pytest.raises(ValueError, match="no layer named 'conv9'"):
        explain.grad_cam(tiny, image(), layer_name="conv9")
    with pytest.raises(ValueError, match="class_index"):
        explain.grad_cam(tiny, image(), class_index=2)
    with pytest.raises(ValueError, match=r"\(H, W, C\) output"):
        explain.grad_cam(tiny, image(), layer_name="dense")
    with pytest.raises(TypeError, match="keras.Sequential"):
        explain.grad_cam(object(), image())
    dense_only = keras.Sequential([keras.Input((8, 8, 3)), layers.Flatten(), layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match="no Conv2D layer"):
        explain.grad_cam(dense_only, image())


def test_feature_maps_match_the_layers(tiny):
    img = image(4)
    maps = explain.feature_maps(tiny, img)
    assert [name for name, _ in maps] == ["conv1", "pool1", "conv2", "pool2"]
    assert [m.shape for _, m in maps] == [(8, 8, 2), (4, 4, 2), (4, 4, 3), (2, 2, 3)]
    direct = tiny.get_layer("conv1")(tiny.get_layer("rescale")(img[None]))
    np.testing.assert_allclose(maps[0][1], ops.convert_to_numpy(direct)[0], atol=1e-6)
    np.testing.assert_allclose(maps[1][1], maps[0][1].reshape(4, 2, 4, 2, 2).max(axis=(1, 3)), atol=1e-6)
    assert explain.feature_maps(tiny, img, "conv2")[0][0] == "conv2"


def test_feature_maps_bad_input(tiny):
    with pytest.raises(ValueError, match="not \\(H, W, C\\) feature maps"):
        explain.feature_maps(tiny, image(), ["dense"])
    with pytest.raises(ValueError, match="no layers to show"):
        explain.feature_maps(tiny, image(), [])


def test_conv_layer_names(tiny):
    assert explain.conv_layer_names(tiny) == ["conv1", "conv2"]


def test_filter_images_scaled_per_filter(tiny):
    tiles = explain.filter_images(tiny.get_layer("conv1"))
    assert tiles.shape == (2, 3, 3, 3)
    np.testing.assert_allclose(tiles.min(axis=(1, 2, 3)), 0)
    np.testing.assert_allclose(tiles.max(axis=(1, 2, 3)), 1)
    with pytest.raises(TypeError, match="Conv2D layer"):
        explain.filter_images(tiny.get_layer("dense"))


def test_overlay_heatmap():
    img = np.zeros((16, 16, 3), np.uint8)
    heat = np.zeros((4, 4))
    heat[0, 0] = 1
    out = explain.overlay_heatmap(img, heat, alpha=0.5)
    assert out.shape == (16, 16, 3) and out.dtype == np.uint8
    assert out[0, 0].sum() > out[15, 15].sum()  # the hot corner is bright
    np.testing.assert_allclose(out[0, 0], 0.5 * np.array(plt.get_cmap("inferno")(1.0)[:3]) * 255, atol=1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        explain.overlay_heatmap(img, heat * 3)
    with pytest.raises(ValueError, match=r"RGB of shape \(H, W, 3\)"):
        explain.overlay_heatmap(img[..., 0], heat)
    with pytest.raises(ValueError, match="alpha"):
        explain.overlay_heatmap(img, heat, alpha=2)


def test_plots(tiny):
    img = image(5)
    fig = explain.plot_filters(tiny.get_layer("conv2"), ncols=2)
    assert len(fig.axes) == 4 and "conv2" in fig._suptitle.get_text()
    plt.close(fig)
    maps = explain.feature_maps(tiny, img)
    fig = explain.plot_feature_maps(img, maps, n_channels=2)
    assert len(fig.axes) == 4 * 3
    assert sum(len(ax.images) for ax in fig.axes[::3]) == 1, "the input is drawn once, not on every row"
    assert [ax.get_title() for ax in fig.axes[1:3]] == [f"{maps[0][0]} #0\n8×8", f"{maps[0][0]} #1\n8×8"]
    assert fig.axes[3].texts[0].get_text() == f"{maps[1][0]}\n{maps[1][1].shape[-1]} maps"
    plt.close(fig)
    fig = explain.plot_grad_cam([img, img], [np.ones((2, 2)), np.zeros((2, 2))], titles=["a", "b"])
    assert [ax.get_title() for ax in fig.axes[:2]] == ["a", "b"]
    plt.close(fig)
    with pytest.raises(ValueError, match="one heatmap per image"):
        explain.plot_grad_cam([img], [])
    with pytest.raises(ValueError, match="maps is empty"):
        explain.plot_feature_maps(img, [])
