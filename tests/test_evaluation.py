import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn import metrics  # noqa: E402

from utils import evaluation as ev  # noqa: E402

NAMES = ["chihuahua", "muffin"]


def test_plot_confusion_matrix_puts_each_count_in_its_row_and_column():
    y_true = np.repeat([0, 0, 1, 1], [40, 10, 5, 45])     # 10 chihuahuas called muffin, 5 muffins called chihuahua
    y_pred = np.repeat([0, 1, 0, 1], [40, 10, 5, 45])
    fig = ev.plot_confusion_matrix(metrics.confusion_matrix(y_true, y_pred), NAMES)
    ax = fig.axes[0]
    at = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert at == {(0, 0): "40", (0, 1): "10", (1, 0): "5", (1, 1): "45"}   # (row = truth, column = prediction)
    assert ax.get_xlabel() == "prediction" and ax.get_ylabel() == "truth"
    plt.close(fig)
    with pytest.raises(ValueError, match="2×2 matrix"):
        ev.plot_confusion_matrix(np.eye(3), NAMES)


def test_plot_history_from_dict_and_object():
    h = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8], "val_accuracy": [0.5, 0.7]}
    fig = ev.plot_history(h)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    assert fig.axes[0].get_ylabel() == "loss" and fig.axes[1].get_xlabel() == "epoch"
    plt.close(fig)

    class History:
        history = {"loss": [1.0, 0.4]}

    fig = ev.plot_history(History())
    assert [len(ax.lines) for ax in fig.axes] == [1, 0]
    plt.close(fig)
    with pytest.raises(ValueError, match="History that model.fit returns"):
        ev.plot_history([1, 2])


def test_most_confident_mistakes_order():
    y_true = np.array([0, 0, 1, 1, 0])
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.99, 0.01], [0.4, 0.6], [0.45, 0.55]])
    np.testing.assert_array_equal(ev.most_confident_mistakes(y_true, probs, k=5), [2, 1, 4])
    np.testing.assert_array_equal(ev.most_confident_mistakes(y_true, probs, k=1), [2])
    assert ev.most_confident_mistakes(np.array([0]), np.array([[1.0, 0.0]])).size == 0


def test_most_confident_mistakes_bad_input():
    with pytest.raises(ValueError, match=r"shape \(n_images, n_classes\)"):
        ev.most_confident_mistakes([0, 1], np.ones((3, 2)) / 2)
    with pytest.raises(ValueError, match="k must be a positive int"):
        ev.most_confident_mistakes([0], [[0.5, 0.5]], k=0)


def test_show_mistakes_titles():
    images = np.zeros((3, 4, 4, 3), np.uint8)
    y_true = np.array([0, 1, 1])
    probs = np.array([[0.07, 0.93], [0.6, 0.4], [0.1, 0.9]])
    fig = ev.show_mistakes(images, y_true, probs, NAMES, k=4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["93 % muffin\n(really chihuahua)", "60 % chihuahua\n(really muffin)"]
    plt.close(fig)
    fig = ev.show_mistakes(images[:1], [0], [[1.0, 0.0]], NAMES)
    assert "No mistakes" in fig.axes[0].texts[0].get_text()
    plt.close(fig)


# ------------------------------------------------------------------------- several models compared
RESULTS = {"from scratch": 0.7, "+ augmentation": 0.76, "pretrained, frozen": 0.9}


def test_results_table_lists_gains_over_the_first_rung():
    table = ev.results_table(RESULTS)
    lines = table.splitlines()
    assert len(lines) == 2 + len(RESULTS)
    assert "70.0%" in lines[2] and "+0.0 points" in lines[2]
    assert "+ augmentation" in lines[3] and "+6.0 points" in lines[3]
    assert "+20.0 points" in lines[4]


@pytest.mark.parametrize("bad, error, message", [
    ({}, ValueError, "non-empty dict"), ([0.5], ValueError, "non-empty dict"),
    ({"a": 1.5}, ValueError, "between 0 and 1"), ({"a": "high"}, TypeError, "must be a number")])
def test_results_reject_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        ev.results_table(bad)
    with pytest.raises(error, match=message):
        ev.plot_ladder(bad)


def test_plot_ladder_draws_one_labelled_bar_per_rung():
    fig = ev.plot_ladder(RESULTS)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [70, 76, 90])
    labels = [t.get_text() for t in ax.texts]
    assert {"70 %", "76 %", "90 %"} <= set(labels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["coin flip"], "the chance line is in the legend"


def test_plot_validation_curves():
    hist = {"a": {"val_accuracy": [0.5, 0.6, 0.7]}, "b": {"val_accuracy": [0.5, 0.8]}}
    fig = ev.plot_validation_curves(hist)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [50, 60, 70])
    with pytest.raises(ValueError, match="val_accuracy"):
        ev.plot_validation_curves({"a": {"accuracy": [0.5]}})
    with pytest.raises(ValueError, match="non-empty dict"):
        ev.plot_validation_curves({})



def test_accuracy_by_group_splits_each_rung_over_the_groups():
    y = np.array([0, 0, 1, 1, 1, 0])
    hard = np.array([False, False, False, False, True, True])
    table = ev.accuracy_by_group(y, {"a": [0, 0, 1, 1, 0, 1], "b": y}, {"easy": ~hard, "hard": hard})
    assert table == {"a": {"easy": 1.0, "hard": 0.0}, "b": {"easy": 1.0, "hard": 1.0}}
    text = ev.group_table(table)
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
        ev.accuracy_by_group(np.array([0, 1, 1]), predictions, groups)


def test_plot_groups_draws_one_bar_per_rung_and_group():
    table = {"scratch": {"easy": 0.9, "hard": 0.6}, "fine-tuned": {"easy": 0.92, "hard": 0.85}}
    fig = ev.plot_groups(table)
    ax = fig.axes[0]
    assert len(ax.patches) == 4 and ax.get_ylabel() == "test accuracy (%)"
    assert sorted(round(p.get_height()) for p in ax.patches) == [60, 85, 90, 92]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["coin flip", "easy", "hard"]
    matplotlib.pyplot.close(fig)


def test_curves_tick_whole_epochs_only():
    ten = np.linspace(1, 0, 20).tolist()  # 20 epochs: matplotlib alone would tick 2.5, 5, 7.5
    h = {"loss": ten, "val_loss": ten, "accuracy": ten, "val_accuracy": ten}
    for fig in (ev.plot_history(h), ev.plot_validation_curves({"a": h})):
        fig.canvas.draw()
        for ax in fig.axes:
            ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
            assert ticks and all(float(t).is_integer() for t in ticks), ticks
