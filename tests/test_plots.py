import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.plots import show_images  # noqa: E402


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
