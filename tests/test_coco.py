"""Tests for utils.coco: COCO annotation files written atomically and read back with clear errors naming the
file and the problem; the pictures they list loaded and checked."""

import json
import shutil

import cv2
import numpy as np
import pytest

from utils import coco, scenes

NAMES = scenes.CLASS_NAMES


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    """A small scenes set on disk (6 train + 4 test pictures, 48 px)."""
    return scenes.generate(tmp_path_factory.mktemp("coco") / "set", n_train=6, n_test=4, size=48, seed=2)


def copy_set(src, dst):
    """A writable copy of a generated set, for tests that damage it."""
    shutil.copytree(src, dst)
    return dst


def test_write_annotations_is_atomic_and_checks_boxes(tmp_path):
    path = coco.write_annotations(tmp_path / "a.json", ["p.png"], [{"boxes": [[1, 2, 5, 6]], "classes": [1]}], 8,
                                  NAMES)
    before = path.read_text()
    with pytest.raises(ValueError, match="outside"):
        coco.write_annotations(path, ["p.png"], [{"boxes": [[1, 2, 9, 6]], "classes": [1]}], 8, NAMES)
    assert path.read_text() == before and [p.name for p in tmp_path.iterdir()] == ["a.json"]
    with pytest.raises(ValueError, match="one per picture"):
        coco.write_annotations(path, ["p.png", "q.png"], [], 8, NAMES)
    entries = coco.read_annotations(path, NAMES, check_files=False)
    assert entries[0]["boxes"].tolist() == [[1, 2, 5, 6]] and entries[0]["classes"].tolist() == [1]


# ---------------------------------------------------------------------------------------------- corrupt annotations
def damage(folder, change):
    """Apply ``change`` to the train annotations (a dict) and write them back."""
    path = folder / "train" / "annotations.json"
    coco = json.loads(path.read_text())
    change(coco)
    path.write_text(json.dumps(coco))
    return path


@pytest.mark.parametrize("change, message", [
    (lambda c: c["images"][0].update(file_name="images/missing.png"), r"picture 'images/missing.png' \(id 0\) does not exist"),
    (lambda c: c["annotations"][0].update(image_id=99), "refers to picture id 99, which is not in 'images'"),
    (lambda c: c["annotations"][0].update(category_id=7), "category_id 7"),
    (lambda c: c["annotations"][0].update(bbox=[1, 2, float("nan"), 3]), "finite numbers"),
    (lambda c: c["annotations"][0].update(bbox=[10, 2, -3, 3]), "width, height >= 0"),
    (lambda c: c["annotations"][0].update(bbox=[40, 2, 20, 3]), "outside the 48×48 image"),
    (lambda c: c["annotations"][0].update(bbox=[1, 2, 3]), r"bbox must be 4 numbers \[x, y, width, height\]"),
    (lambda c: c["images"].append(dict(c["images"][0])), "picture id 0 appears twice"),
    (lambda c: c.pop("annotations"), "needs the COCO lists"),
    (lambda c: c["categories"].append({"id": 3, "name": "bagel"}), "not one of the classes"),
    (lambda c: c["images"][0].pop("width"), "needs 'id', 'file_name', 'width' and 'height'"),
])
def test_corrupt_annotations_name_the_file_and_the_problem(small_set, tmp_path, change, message):
    folder = copy_set(small_set, tmp_path / "copy")
    damage(folder, change)
    with pytest.raises(coco.AnnotationError, match=message) as err:
        scenes.load_scenes(folder, "train")
    assert "annotations.json:" in str(err.value)


def test_not_json_and_missing_file(small_set, tmp_path):
    folder = copy_set(small_set, tmp_path / "copy")
    (folder / "train" / "annotations.json").write_text('{"images": [')
    with pytest.raises(coco.AnnotationError, match=r"annotations.json: is not valid JSON \(line 1"):
        scenes.load_scenes(folder, "train")
    (folder / "train" / "annotations.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(coco.AnnotationError, match="not a text file"):
        scenes.load_scenes(folder, "train")
    (folder / "train" / "annotations.json").unlink()
    with pytest.raises(FileNotFoundError, match="no annotation file"):
        scenes.load_scenes(folder, "train")
    with pytest.raises(ValueError, match="split"):
        scenes.load_scenes(folder, "validation")


def test_corrupt_or_resized_pictures(small_set, tmp_path):
    folder = copy_set(small_set, tmp_path / "copy")
    (folder / "test" / "images" / "scene_00001.png").write_text("not a picture")
    with pytest.raises(coco.AnnotationError, match="scene_00001.png cannot be read"):
        scenes.load_scenes(folder, "test")
    cv2.imwrite(str(folder / "test" / "images" / "scene_00001.png"), np.zeros((30, 48, 3), np.uint8))
    with pytest.raises(coco.AnnotationError, match="is 48×30 but the annotation says 48×48"):
        scenes.load_scenes(folder, "test")


def test_pictures_of_different_sizes(small_set, tmp_path):
    folder = copy_set(small_set, tmp_path / "copy")
    path = folder / "test" / "annotations.json"
    data = json.loads(path.read_text())
    data["images"][1].update(width=40, height=40)
    data["annotations"] = [a for a in data["annotations"] if a["image_id"] != 1]
    path.write_text(json.dumps(data))
    cv2.imwrite(str(folder / "test" / "images" / "scene_00001.png"), np.zeros((40, 40, 3), np.uint8))
    with pytest.raises(coco.AnnotationError, match="different sizes"):
        coco.load_pictures(path, NAMES)
