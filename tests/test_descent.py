import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import descent  # noqa: E402


def test_two_clusters_are_balanced_and_scaled():
    x, y = descent.two_clusters(400, spread=(1.0, 0.2), seed=1)
    assert x.shape == (400, 2) and y.tolist() == [0.0] * 200 + [1.0] * 200
    for label, sign in ((0, -1), (1, 1)):
        centre = x[y == label].mean(axis=0)
        assert np.all(np.abs(centre - [sign * 1.0, sign * 0.2]) < [0.3, 0.06])   # 200 points: within ~4 s.e.
    assert 3 < x[:, 0].std() / x[:, 1].std() < 7, "the second feature is on a smaller scale"
    np.testing.assert_array_equal(descent.two_clusters(seed=3)[0], descent.two_clusters(seed=3)[0])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 7}, ValueError, "even number"),
    ({"n": 0}, ValueError, "positive"),
    ({"spread": (1.0,)}, ValueError, "two numbers"),
    ({"spread": (1.0, -1.0)}, ValueError, "between"),
])
def test_two_clusters_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        descent.two_clusters(**kwargs)


def test_loss_grid_rows_follow_the_second_weight():
    grid = descent.loss_grid(lambda w: w[0] + 10 * w[1], [0, 1, 2], [0, 1])
    np.testing.assert_array_equal(grid, [[0, 1, 2], [10, 11, 12]])


def test_plot_descent_draws_every_path_and_its_losses():
    def loss(w):
        return float((w[0] - 1) ** 2 + 4 * (w[1] + 2) ** 2)

    paths = {"a": np.array([[0, 0, 17], [0.5, -1, 4.25]]), "b": np.array([[0, 0, 17], [1, -2, 0]])}
    fig = descent.plot_descent(loss, paths, (-1, 3), (-4, 1))
    left, right = fig.axes
    labels = [line.get_label() for line in left.get_lines()]
    assert {"a", "b", "lowest loss", "start"} <= set(labels)
    star = left.get_lines()[labels.index("lowest loss")]
    assert abs(star.get_xdata()[0] - 1) < 0.05 and abs(star.get_ydata()[0] + 2) < 0.06
    np.testing.assert_array_equal(right.get_lines()[1].get_ydata(), [17, 0])
    assert right.get_ylabel() == "loss (cross-entropy)"
    plt.close(fig)


@pytest.mark.parametrize("paths, message", [
    ({}, "non-empty dict"),
    ({"a": np.zeros((3, 2))}, "shape"),
])
def test_plot_descent_bad_paths(paths, message):
    with pytest.raises(ValueError, match=message):
        descent.plot_descent(lambda w: 0.0, paths, (0, 1), (0, 1))
