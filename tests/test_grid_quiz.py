import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import grid_quiz as gq  # noqa: E402

NAMES = ["chihuahua", "muffin"]
TRUTH = ["muffin", "chihuahua", "muffin", "chihuahua"]
CNN = ["muffin", "chihuahua", "chihuahua", "chihuahua"]
IMAGES = np.random.default_rng(0).integers(0, 256, (4, 16, 16, 3), dtype=np.uint8)


def test_grade_grid():
    assert gq.grade_grid(TRUTH, TRUTH, NAMES) == (4, 0)
    assert gq.grade_grid(CNN, TRUTH, NAMES) == (3, 0)
    assert gq.grade_grid([None, "chihuahua", None, "muffin"], TRUTH, NAMES) == (1, 2)


@pytest.mark.parametrize(
    "answers, truth, message",
    [
        (["muffin"], TRUTH, "1 answers for 4 images"),
        (["cat", None, None, None], TRUTH, "'cat', which is not one of the classes"),
        (TRUTH, [None] * 4, "truth holds None"),
    ],
)
def test_grade_grid_bad_input(answers, truth, message):
    with pytest.raises(ValueError, match=message):
        gq.grade_grid(answers, truth, NAMES)


def test_score_message():
    assert gq.score_message(13, 15, 16) == "You: 13 / 16 · CNN: 15 / 16 — the CNN wins."
    assert gq.score_message(16, 15, 16) == "You: 16 / 16 · CNN: 15 / 16 — you win!"
    assert gq.score_message(15, 15, 16, unanswered=1).endswith("a draw. (1 image left unlabelled counted as wrong.)")
    with pytest.raises(ValueError, match="student must be between 0 and 16"):
        gq.score_message(17, 15, 16)


def test_widget_scores_the_student_and_the_cnn():
    box = gq.grid_quiz(IMAGES, TRUTH, CNN, NAMES)
    assert len(box.toggles) == 4 and all(t.value is None for t in box.toggles)
    assert box.toggles[0].options == tuple(NAMES)
    for toggle, answer in zip(box.toggles, ["muffin", "muffin", "muffin", None]):
        toggle.value = answer
    assert box.score() == (2, 3)
    assert "You: 2 / 4 · CNN: 3 / 4 — the CNN wins." in box.feedback.value
    assert "1 image left unlabelled" in box.feedback.value
    assert "truth: <b>chihuahua</b>" in box.reveals[1].value and "you ❌ · CNN ✅" in box.reveals[1].value


def test_widget_button_calls_score():
    box = gq.grid_quiz(IMAGES, TRUTH, CNN, NAMES)
    for toggle, answer in zip(box.toggles, TRUTH):
        toggle.value = answer
    button = box.children[2]
    button.click()
    assert "You: 4 / 4 · CNN: 3 / 4 — you win!" in box.feedback.value


@pytest.mark.parametrize(
    "images, truth, cnn, message",
    [
        (IMAGES[:3], TRUTH, CNN, "as many truths and CNN answers as images"),
        (IMAGES[..., 0], TRUTH, CNN, r"expected RGB \(H, W, 3\)"),
        (IMAGES, TRUTH, ["dog"] * 4, "cnn_answers holds 'dog'"),
    ],
)
def test_widget_and_figure_bad_input(images, truth, cnn, message):
    with pytest.raises(ValueError, match=message):
        gq.grid_quiz(images, truth, cnn, NAMES)
    with pytest.raises(ValueError, match=message):
        gq.show_quiz_answers(images, truth, cnn, NAMES)


def test_static_figure_marks_the_cnn_answers():
    fig = gq.show_quiz_answers(IMAGES, TRUTH, CNN, NAMES, ncols=2)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["CNN: muffin ✓", "CNN: chihuahua ✓", "CNN: chihuahua ✗", "CNN: chihuahua ✓"]
    assert fig.axes[2].title.get_color() == "firebrick"
    assert "3 / 4 right" in fig._suptitle.get_text()
    plt.close(fig)


def test_widget_images_are_jpeg_at_their_own_size():
    import cv2

    smooth = np.zeros((4, 16, 16, 3), np.uint8)
    smooth[0] = np.linspace(0, 255, 16)[None, :, None]
    smooth[0, ..., 2] = 80
    box = gq.grid_quiz(smooth, TRUTH, CNN, NAMES)
    first = box.children[1].children[0].children[0]
    assert first.format == "jpeg"
    decoded = cv2.imdecode(np.frombuffer(first.value, np.uint8), cv2.IMREAD_COLOR)[..., ::-1]  # back to RGB
    assert decoded.shape == (16, 16, 3)
    assert np.abs(decoded.astype(int) - smooth[0]).mean() < 4  # same picture, channel order kept
