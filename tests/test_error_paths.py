"""The ``raise`` statements of ``utils`` that no other test reached (``benchmarks/raise_coverage.py`` lists them):
each is driven here through the public function a student or a lesson calls, and its message is checked."""

import json
import re
from pathlib import Path

import numpy as np
import pytest


def exact(message):
    return f"^{re.escape(message)}$"


# --- course plumbing -------------------------------------------------------------------------------------------
def test_readme_without_link_markers_says_where_the_table_goes():
    from utils import colab

    with pytest.raises(ValueError, match=exact("README.md has no colab-links markers: add them where the table belongs")):
        colab.readme_with_links("# A README without markers\n", "| table |")


# --- data --------------------------------------------------------------------------------------------------------
def test_a_failed_png_encoding_stops_the_data_set_and_leaves_nothing_behind(tmp_path, monkeypatch):
    from utils import dataset
    from utils.drawing import MIN_SIZE

    monkeypatch.setattr(dataset.cv2, "imencode", lambda *args, **kwargs: (False, None))
    out = tmp_path / "set"
    with pytest.raises(RuntimeError, match=r"^OpenCV could not encode image chihuahua_00000\.png$"):
        dataset.generate(out, n_train=2, n_test=2, size=MIN_SIZE, progress=False, workers=1)
    assert list(tmp_path.iterdir()) == [], "a failed run must leave no half-written folder"


def test_a_cmyk_jpeg_is_named_not_passed_to_keras(tmp_path):
    from PIL import Image

    from utils import folders

    for cls in ("chihuahua", "muffin"):
        (tmp_path / cls).mkdir()
        Image.new("RGB", (8, 8), (200, 150, 100)).save(tmp_path / cls / "ok.jpg")
    Image.new("CMYK", (8, 8), (0, 50, 100, 0)).save(tmp_path / "muffin" / "print.jpg")
    try:
        report = folders.check_image_folder(tmp_path)
    except ValueError as err:             # main: the folder check refuses it and says why
        assert "print.jpg" in str(err) and "it is a CMYK JPEG, which Keras cannot decode" in str(err)
    else:                                 # the folder-repair redesign converts it on loading and says so
        assert "CMYK" in str(report)


def test_grid_quiz_needs_two_classes():
    from utils.grid_quiz import grid_quiz

    image = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match=exact("give at least two class names, got ['muffin']")):
        grid_quiz([image], ["muffin"], ["muffin"], ["muffin"])


def test_grid_quiz_says_when_a_photo_cannot_be_encoded(monkeypatch):
    from utils import grid_quiz

    monkeypatch.setattr(grid_quiz.cv2, "imencode", lambda *args, **kwargs: (False, None))
    image = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match=exact("could not encode the image as JPEG")):
        grid_quiz.grid_quiz([image, image], ["muffin", "chihuahua"], ["muffin", "muffin"], ["chihuahua", "muffin"])


def test_jpeg_roundtrip_says_when_opencv_cannot_encode(monkeypatch):
    from utils import images

    monkeypatch.setattr(images.cv2, "imencode", lambda *args, **kwargs: (False, None))
    with pytest.raises(RuntimeError, match=exact("OpenCV could not encode the image as JPEG")):
        images.jpeg_roundtrip(np.zeros((8, 8, 3), np.uint8), 50)


# --- models ------------------------------------------------------------------------------------------------------
class FlatModel:
    """A stand-in with a model's input shape whose ``predict`` returns one number per image (no class axis)."""

    input_shape = (None, 4, 4, 3)

    def predict(self, x, batch_size=None, verbose=0):
        return np.zeros(len(x))


def test_predict_proba_needs_one_probability_per_class():
    from utils.models import predict_proba

    with pytest.raises(ValueError, match=exact("expected the model to output (n, n_classes) probabilities, got shape (2,)")):
        predict_proba(FlatModel(), np.zeros((2, 4, 4, 3)))


@pytest.fixture(scope="module")
def keras():
    from utils.notebook import setup

    return setup(keras=True)


# --- explanation -------------------------------------------------------------------------------------------------
def test_explaining_an_unbuilt_model_says_how_to_build_it(keras):
    from utils import explain

    with pytest.raises(ValueError, match=exact("the model is not built yet: start it with keras.Input(shape=...) or "
                                               "call it on a batch")):
        explain.conv_layer_names(keras.Sequential([keras.layers.Conv2D(2, 3)]))


def test_feature_maps_need_a_numeric_image(keras):
    from utils import explain

    model = keras.Sequential([keras.Input(shape=(4, 4, 1)), keras.layers.Conv2D(2, 3)])
    with pytest.raises(TypeError, match=exact("image must be a numeric array, got dtype <U1")):
        explain.feature_maps(model, np.full((4, 4, 1), "a"))


def test_gradient_names_the_backends_it_supports(keras, monkeypatch):
    from utils import explain

    monkeypatch.setattr(keras.backend, "backend", lambda: "numpy")
    with pytest.raises(NotImplementedError,
                       match=exact("gradient() supports the tensorflow, jax and torch backends, not 'numpy'")):
        explain.gradient(lambda x: x, np.ones(2, "float32"))


def test_grad_cam_figure_needs_one_title_per_image():
    from utils import explain

    images, heatmaps = np.zeros((2, 8, 8, 3), np.uint8), np.zeros((2, 4, 4))
    with pytest.raises(ValueError, match=exact("give one title per image (got 1 titles for 2 images)")):
        explain.plot_grad_cam(images, heatmaps, titles=["only one"])


# --- lessons 06 and 08 (added after the redesign of utils) -----------------------------------------------------------
@pytest.mark.parametrize("y_true, message", [
    (np.zeros((2, 2), int), "y_true must be a non-empty 1-D array of class numbers, got shape (2, 2)"),
    ([], "y_true must be a non-empty 1-D array of class numbers, got shape (0,)"),
    ([0.0, 1.0], "y_true must hold class numbers 0, 1, ... (ints), got dtype float64; "
                 "turn probabilities into labels with probs.argmax(axis=1)"),
    ([0, -1], "y_true must hold class numbers 0, 1, ... (ints), got dtype int64; "
              "turn probabilities into labels with probs.argmax(axis=1)"),
])
def test_mistakes_need_class_numbers(y_true, message):
    from utils import evaluation

    with pytest.raises(ValueError, match=exact(message)):
        evaluation.most_confident_mistakes(y_true, np.full((2, 2), 0.5))


def test_a_failed_live_figure_encoding_is_named(monkeypatch):
    from utils import figure_widget

    monkeypatch.setattr(figure_widget.cv2, "imencode", lambda *args, **kwargs: (False, None))
    with pytest.raises(RuntimeError, match=exact("OpenCV could not encode a (4, 6, 3) image as jpeg")):
        figure_widget.encode_image(np.zeros((4, 6, 3), np.uint8), "jpeg")


def test_repairing_a_folder_without_class_subfolders_says_how_to_lay_it_out(tmp_path):
    from utils import folder_repair

    src = tmp_path / "photos"
    src.mkdir()
    (src / ".hidden").mkdir()
    with pytest.raises(ValueError, match=exact("'photos' has no class subfolders: put the images of each class in its "
                                               "own subfolder (e.g. chihuahua/, muffin/), then repair")):
        folder_repair.repair_image_folder(src, tmp_path / "clean")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"], "nothing written"


def test_a_failed_scene_encoding_stops_the_set_and_leaves_nothing_behind(tmp_path, monkeypatch):
    from utils import scenes

    monkeypatch.setattr(scenes.cv2, "imencode", lambda *args, **kwargs: (False, None))
    with pytest.raises(RuntimeError, match=exact("OpenCV could not encode scene 0")):
        scenes.generate(tmp_path / "scenes", n_train=2, n_test=1, size=64)
    assert list(tmp_path.iterdir()) == [], "a failed run must leave no half-written folder"


def test_detections_need_one_class_per_box():
    from utils import detection

    with pytest.raises(ValueError, match=exact("classes must hold one class number per box: shape (2,), got (1,)")):
        detection.nms_per_class([[0, 0, 1, 1], [2, 2, 3, 3]], [0.5, 0.4], [0])
    with pytest.raises(ValueError, match=exact("classes must hold one class number per box: shape (1,), got (1, 1)")):
        detection.encode_grid([[0, 0, 1, 1]], [[0]], 2, 8)


def test_average_precision_needs_two_curves_of_one_length():
    from utils import detection

    with pytest.raises(ValueError, match=exact("precision and recall must be 1-D arrays of one length, got (2,) and (3,)")):
        detection.average_precision([1, 0.5], [0.5, 0.5, 1])
    with pytest.raises(ValueError, match=exact("precision and recall must be 1-D arrays of one length, got (1, 2) and "
                                               "(1, 2)")):
        detection.average_precision([[1, 0.5]], [[0.5, 1]])


def test_readme_reports_the_recorded_raise_count():
    root = Path(__file__).resolve().parents[1]
    recorded = json.loads((root / "benchmarks" / "raise_coverage.json").read_text(encoding="utf-8"))
    assert recorded["reached"] == recorded["raises"], f"unreached raises: {recorded['never_reached']}"
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())  # lines wrap anywhere
    assert f"{recorded['reached']} of {recorded['raises']} `raise` statements" in readme, "README: report the count"


# --- lesson 09 (merged after the first count) ---------------------------------------------------------------------
def test_an_unreadable_haar_cascade_says_to_reinstall_opencv(tmp_path, monkeypatch):
    from utils import face_detection

    # a well-formed storage file without a cascade (a malformed one makes OpenCV raise a raw SystemError instead)
    (tmp_path / "broken.xml").write_text('<?xml version="1.0"?>\n<opencv_storage>\n</opencv_storage>\n',
                                         encoding="utf-8")
    monkeypatch.setattr(face_detection.cv2.data, "haarcascades", str(tmp_path))
    with pytest.raises(OSError, match=exact("OpenCV could not read the Haar cascade broken.xml: reinstall "
                                            "opencv-python-headless")):
        face_detection.haar_cascade("broken.xml")


def test_sliding_windows_on_an_image_smaller_than_a_window():
    from utils import face_detection

    with pytest.raises(ValueError, match=exact("sliding_windows: the image (10, 30) is smaller than one window "
                                               "(12 pixels)")):
        face_detection.sliding_windows(np.zeros((10, 30), np.uint8), size=12)


def test_alignment_names_the_points_it_cannot_use():
    from utils import landmarks

    with pytest.raises(ValueError, match=r"^no similarity transform fits these points \(.*\): are two of them on top "
                                         r"of each other\?$"):
        landmarks.similarity([[1.0, 1.0], [1.0, 1.0]], [[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match=exact("points must be (N, K, 2) for N faces, got shape (3, 2)")):
        landmarks.reference_shape(np.zeros((3, 2)))
