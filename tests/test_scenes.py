"""Tests for utils.scenes: seeded scenes with boxes, the COCO annotation files and their checks, atomic writes."""

import json

import numpy as np
import pytest

from utils import drawing, scenes
from utils.detection import check_boxes


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    """A small scenes set on disk (6 train + 4 test pictures, 48 px)."""
    out = tmp_path_factory.mktemp("scenes") / "set"
    return scenes.generate(out, n_train=6, n_test=4, size=48, seed=2)


# ---------------------------------------------------------------------------------------------- drawing
def test_the_camera_blurs_less_with_a_larger_blur_side():
    """Scenes take their photo with drawing.camera (as muffins do), blurring up to side / blur_side pixels."""
    stripes = np.zeros((96, 96, 3), np.float32)
    stripes[:, ::2] = 200
    detail = []
    for blur_side in (96, 10**9):
        photos = [drawing.camera(np.random.default_rng(seed), stripes.copy(), blur_side) for seed in range(12)]
        assert all(p.shape == (96, 96, 3) and p.dtype == np.uint8 for p in photos)
        detail.append([np.abs(np.diff(p.astype(float), axis=1)).mean() for p in photos])
    blurred, sharp = np.array(detail)
    assert (blurred <= sharp + 1e-9).all() and (blurred < sharp - 20).sum() >= 3


def test_draw_scene_returns_a_picture_and_valid_boxes():
    for seed in range(20):
        img, boxes, classes = scenes.draw_scene(np.random.default_rng(seed), size=64)
        assert img.shape == (64, 64, 3) and img.dtype == np.uint8 and img.std() > 5
        assert 1 <= len(boxes) <= 4 and boxes.shape == (len(classes), 4)
        check_boxes(boxes, image_size=64)
        assert set(classes.tolist()) <= {0, 1}
        sides = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
        assert np.all((sides >= 0.3 * 64 - 1) & (sides <= 0.6 * 64 + 1)), "the longer side follows `scale`"


def test_draw_scene_is_seeded():
    a = scenes.draw_scene(np.random.default_rng(5))
    b = scenes.draw_scene(np.random.default_rng(5))
    c = scenes.draw_scene(np.random.default_rng(6))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_boxes_overlap_at_most_max_overlap_and_counts_span_the_range():
    counts = []
    for seed in range(40):
        _, boxes, _ = scenes.draw_scene(np.random.default_rng(seed), size=96, max_overlap=0.3)
        counts.append(len(boxes))
        for i in range(len(boxes)):
            others = [tuple(b) for j, b in enumerate(boxes) if j != i]
            assert scenes._overlap(boxes[i], others) <= 0.3 + 1e-9
    assert min(counts) == 1 and max(counts) == 4
    overlapping = [scenes._overlap(b, [tuple(o) for o in bs if tuple(o) != tuple(b)]) > 0
                   for bs in (scenes.draw_scene(np.random.default_rng(s))[1] for s in range(40)) for b in bs]
    assert any(overlapping), "some objects should partly overlap"


def test_the_box_fits_the_object_tightly():
    # one object on a flat background (no light, blur or noise): its pixels fill the box to every edge
    rng = np.random.default_rng(0)
    sprite = scenes._draw_object(rng, 1, 0.2)
    alpha = sprite[..., 3] > 127
    assert alpha[0].any() and alpha[-1].any() and alpha[:, 0].any() and alpha[:, -1].any()
    img = np.zeros((64, 64, 3), np.float32)
    scenes._paste(img, sprite, (10, 20, 40, 50))
    changed = np.argwhere(img.sum(axis=2) > 30)
    assert changed[:, 1].min() == 10 and changed[:, 0].min() == 20
    assert changed[:, 1].max() <= 41 and changed[:, 0].max() <= 51  # the shadow may fall one pixel past the box


def test_single_object_pictures_and_both_classes():
    _, targets = scenes.make_scenes(30, size=32, n_objects=(1, 1), scale=(0.5, 0.9))
    assert all(len(t["boxes"]) == 1 for t in targets)
    assert {int(t["classes"][0]) for t in targets} == {0, 1}


@pytest.mark.parametrize("kwargs, error, message", [
    ({"rng": 3}, TypeError, "numpy Generator"),
    ({"n_objects": (3, 1)}, ValueError, "n_objects"),
    ({"n_objects": 2}, TypeError, "pair"),
    ({"scale": (0.0, 2.0)}, ValueError, "scale"),
    ({"size": 8}, ValueError, "size"),
    ({"max_overlap": 1.5}, ValueError, "max_overlap"),
])
def test_draw_scene_bad_arguments(kwargs, error, message):
    args = {"rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=message):
        scenes.draw_scene(**args)


def test_make_scenes_bad_split():
    with pytest.raises(ValueError, match="split"):
        scenes.make_scenes(2, split="valid")


# ---------------------------------------------------------------------------------------------- files
def test_generate_writes_pictures_coco_annotations_and_a_manifest(small_set):
    manifest = json.loads((small_set / "manifest.json").read_text())
    assert manifest["generator"] == "utils.scenes" and manifest["counts"] == {"train": 6, "test": 4}
    assert len(list((small_set / "train" / "images").glob("*.png"))) == 6
    coco = json.loads((small_set / "train" / "annotations.json").read_text())
    assert [c["name"] for c in coco["categories"]] == ["chihuahua", "muffin"]
    assert {a["category_id"] for a in coco["annotations"]} <= {1, 2}
    ann = coco["annotations"][0]
    assert len(ann["bbox"]) == 4 and ann["area"] == pytest.approx(ann["bbox"][2] * ann["bbox"][3])
    assert not list(small_set.parent.glob("*tmp*")), "no temporary folder is left behind"


def test_files_hold_the_same_scenes_as_make_scenes(small_set):
    images, targets = scenes.load_scenes(small_set, "test")
    x, t = scenes.make_scenes(4, "test", size=48, seed=2)
    assert np.array_equal(images, x)
    for a, b in zip(targets, t):
        assert np.array_equal(a["boxes"], b["boxes"]) and np.array_equal(a["classes"], b["classes"])


def test_generate_twice_does_nothing_and_force_rewrites(small_set):
    stamp = (small_set / "manifest.json").stat().st_mtime_ns
    assert scenes.ensure_scenes(small_set, n_train=6, n_test=4, size=48, seed=2) == small_set
    assert (small_set / "manifest.json").stat().st_mtime_ns == stamp


def test_other_settings_replace_the_set(tmp_path):
    out = scenes.generate(tmp_path / "s", n_train=2, n_test=2, size=40, seed=0)
    digest = json.loads((out / "manifest.json").read_text())["digest"]
    scenes.generate(out, n_train=2, n_test=2, size=40, seed=1)
    assert json.loads((out / "manifest.json").read_text())["digest"] != digest


def test_an_interrupted_generate_leaves_nothing(tmp_path, monkeypatch):
    def broken(tmp, settings, split):
        if split == "test":
            raise KeyboardInterrupt
        return original(tmp, settings, split)

    original = scenes._write_split
    monkeypatch.setattr(scenes, "_write_split", broken)
    with pytest.raises(KeyboardInterrupt):
        scenes.generate(tmp_path / "s", n_train=2, n_test=2, size=40)
    assert not list(tmp_path.iterdir()), "neither the set nor a temporary folder may remain"


def test_generate_refuses_a_folder_of_other_files(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"x")
    with pytest.raises(ValueError, match="no manifest.json"):
        scenes.generate(tmp_path, n_train=2, n_test=2, size=40)


def test_default_dir_names_the_settings():
    assert scenes.default_dir(100, 20, 64, (1, 1), 3).name == "scenes_64px_1-1obj_100-20_seed3"
    assert scenes.default_dir().parent.name == "cache"


# ---------------------------------------------------------------------------------------------- command line
def test_command_line(tmp_path, capsys):
    assert scenes.main(["--out", str(tmp_path / "cli"), "--train", "2", "--test", "2", "--size", "40"]) == 0
    assert "2 train + 2 test pictures, 40x40" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        scenes.main(["--out", str(tmp_path / "bad"), "--size", "4"])
    assert "size must be between 32 and 512" in capsys.readouterr().err
