import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import muffins  # noqa: E402
from utils import plots  # noqa: E402
from utils.plots import show_gallery, show_images  # noqa: E402


def test_show_images_grid_and_titles():
    imgs = [np.zeros((4, 4), np.uint8), np.ones((4, 4, 3)), np.zeros((5, 5), np.uint8)]
    fig = show_images(imgs, titles=["a", "b", "c"], ncols=2, suptitle="S")
    axes = fig.get_axes()
    assert len(axes) == 4 and [a.get_title() for a in axes[:3]] == ["a", "b", "c"]
    assert axes[0].images[0].get_cmap().name == "gray"
    plt.close(fig)


@pytest.mark.parametrize(
    "args, message",
    [
        (([],), "non-empty"),
        ((None,), "non-empty"),
        (([np.zeros((2, 2))], ["a", "b"]), "one title per image"),
        (([np.zeros((2, 2, 2, 2))],), r"expected \(H, W\)"),
    ],
)
def test_show_images_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        show_images(*args)
    plt.close("all")


def test_show_images_bad_ncols():
    with pytest.raises(ValueError, match="ncols"):
        show_images([np.zeros((2, 2))], ncols=0)


# ---------------------------------------------------------------------------------------------- gallery
def test_show_gallery_draws_a_labelled_checkerboard():
    fig = show_gallery()
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 16 and titles[:4] == ["chihuahua", "muffin", "chihuahua", "muffin"]
    assert titles[4] == "muffin"
    plt.close(fig)


def test_show_gallery_marks_wrong_predictions_red():
    x, y = muffins.make_arrays(4, 16, seed=0)
    pred = y.copy()
    pred[0] = 1 - pred[0]
    fig = show_gallery(x, y, pred, nrows=2, ncols=2)
    colours = [matplotlib.colors.to_hex(ax.title.get_color()) for ax in fig.axes]
    assert colours[0] == "#ff0000" and colours[1:] == ["#008000"] * 3
    assert "(is " in fig.axes[0].get_title()
    plt.close(fig)


def test_gallery_rejects_bad_input():
    x, y = muffins.make_arrays(4, 16)
    with pytest.raises(ValueError, match="one label .* per image"):
        show_gallery(x, y[:3])
    with pytest.raises(ValueError, match="one prediction per image"):
        show_gallery(x, y, y[:2])
    with pytest.raises(ValueError, match=r"shape \(n, H, W, 3\)"):
        show_gallery(x[..., 0], y)
    with pytest.raises(ValueError, match="need images"):
        show_gallery(labels=y)


def test_image_grid_lays_out_rows_and_switches_axes_off():
    fig, axes = plots.image_grid(5, ncols=3, size=2.0, extra_height=0.5, title_height=0.25)
    assert len(axes) == 6 and tuple(fig.get_size_inches()) == (6.0, 5.0)  # 2 rows of 2.25 in + 0.5 in
    assert not any(ax.axison for ax in axes)
    with pytest.raises(ValueError, match="n must be a positive int"):
        plots.image_grid(0)
    with pytest.raises(TypeError, match="ncols must be an int"):
        plots.image_grid(3, ncols=2.5)
    plt.close("all")
