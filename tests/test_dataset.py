"""Tests for utils.dataset: the generated set's files, manifest, look-alike flags, data source and command line."""

import json
import os

import cv2
import numpy as np
import pytest

from utils import dataset, muffins


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    """A small generated set (20 train + 10 test at 32 x 32) shared by the file tests."""
    out = tmp_path_factory.mktemp("gen") / "muffin_chihuahua"
    return dataset.generate(out, n_train=20, n_test=10, size=32, seed=3, progress=False, workers=1)


def read_rgb(path):
    return cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_UNCHANGED), cv2.COLOR_BGR2RGB)


# ---------------------------------------------------------------------------------------------- files
def test_generate_writes_kaggle_layout_and_manifest(small_set):
    for split, n in (("train", 10), ("test", 5)):
        for cls in ("chihuahua", "muffin"):
            files = sorted((small_set / split / cls).glob("*.png"))
            assert len(files) == n
    manifest = dataset.read_manifest(small_set)
    assert manifest["seed"] == 3 and manifest["size"] == 32
    assert manifest["counts"] == {"train": {"chihuahua": 10, "muffin": 10}, "test": {"chihuahua": 5, "muffin": 5}}
    assert manifest["version"] == dataset.GENERATOR_VERSION
    assert len(manifest["files"]) == 30 and len(manifest["digest"]) == 64
    import hashlib

    for name, sha in manifest["files"].items():
        assert hashlib.sha256((small_set / name).read_bytes()).hexdigest() == sha
    img = read_rgb(small_set / "train" / "muffin" / "muffin_00000.png")
    assert img.shape == (32, 32, 3) and img.dtype == np.uint8


def test_files_match_make_arrays(small_set):
    """The files are the same images make_arrays draws in memory."""
    x, y = muffins.make_arrays(20, 32, seed=3)
    files = [read_rgb(p) for cls in ("chihuahua", "muffin") for p in sorted((small_set / "train" / cls).glob("*"))]
    for img, label in zip(x, y):
        assert any(np.array_equal(img, f) for f in files)
    fourth_muffin = read_rgb(small_set / "train" / "muffin" / "muffin_00004.png")
    assert np.array_equal(muffins.draw_one(1, 4, "train", 32, 3), fourth_muffin)


def test_second_run_does_nothing(small_set):
    before = {p: p.stat().st_mtime_ns for p in small_set.rglob("*.png")}
    assert dataset.ensure_dataset(small_set, n_train=20, n_test=10, size=32, seed=3, progress=False) == small_set
    assert {p: p.stat().st_mtime_ns for p in small_set.rglob("*.png")} == before


def test_same_seed_same_checksums_other_seed_differs(tmp_path, small_set):
    again = dataset.generate(tmp_path / "again", 20, 10, 32, seed=3, progress=False, workers=2)
    other = dataset.generate(tmp_path / "other", 20, 10, 32, seed=4, progress=False, workers=1)
    assert dataset.read_manifest(again)["digest"] == dataset.read_manifest(small_set)["digest"]
    assert dataset.read_manifest(other)["digest"] != dataset.read_manifest(small_set)["digest"]


def test_changed_settings_regenerate_and_leave_no_temporary_folder(tmp_path):
    out = dataset.generate(tmp_path / "set", 4, 2, 16, seed=0, progress=False)
    dataset.generate(out, 6, 2, 16, seed=0, progress=False)
    assert len(list((out / "train" / "muffin").glob("*.png"))) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]


def test_interrupted_run_leaves_no_half_written_set(tmp_path, monkeypatch):
    out = tmp_path / "set"
    real, calls = muffins.draw_one, []

    def failing(*args):
        calls.append(args)
        if len(calls) > 5:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(dataset, "draw_one", failing)
    with pytest.raises(KeyboardInterrupt):
        dataset.generate(out, 10, 4, 16, seed=0, progress=False, workers=1)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(dataset, "draw_one", real)
    dataset.generate(out, 4, 2, 16, seed=0, progress=False)
    monkeypatch.setattr(dataset, "draw_one", failing)
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        dataset.generate(out, 10, 4, 16, seed=0, progress=False, workers=1)
    assert dataset.read_manifest(out)["counts"]["train"]["muffin"] == 2, "the old complete set must survive"


def test_a_set_finished_first_by_another_process_is_kept(tmp_path, monkeypatch):
    out, real = tmp_path / "set", dataset._write_all

    def racing(tmp, *args):
        files = real(tmp, *args)
        monkeypatch.setattr(dataset, "_write_all", real)
        dataset.generate(tmp_path / "other", 4, 2, 16, progress=False)  # another process finishes first
        (tmp_path / "other" / "marker").write_text("first")
        os.rename(tmp_path / "other", out)
        return files

    monkeypatch.setattr(dataset, "_write_all", racing)
    assert dataset.generate(out, 4, 2, 16, progress=False) == out
    assert (out / "marker").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]


def test_progress_bar_goes_to_stderr(tmp_path, capsys):
    dataset.generate(tmp_path / "p", 4, 2, 16, progress=True)
    err = capsys.readouterr().err
    assert "6/6" in err and "[#" in err


def test_sets_with_other_settings_get_their_own_default_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset, "DATA_DIR", tmp_path)
    monkeypatch.setattr(dataset, "DEFAULT_DIR", tmp_path / "muffin_chihuahua")
    assert dataset.default_dir() == tmp_path / "muffin_chihuahua"
    small = dataset.ensure_dataset(n_train=4, n_test=2, size=16, seed=1, progress=False)
    assert small == tmp_path / "cache" / "muffin_chihuahua_16px_4-2_seed1"
    assert dataset.read_manifest(small)["size"] == 16


# ---------------------------------------------------------------------------------------------- data source
def test_dataset_dir_uses_environment_variable(tmp_path, monkeypatch):
    for split in ("train", "test"):
        (tmp_path / "real" / split / "muffin").mkdir(parents=True)
    monkeypatch.setenv("MUFFIN_DATASET", str(tmp_path / "real"))
    assert dataset.dataset_dir() == tmp_path / "real"
    assert dataset.dataset_dir(tmp_path / "real") == tmp_path / "real"


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_train": 21}, ValueError, "n_train must be even"),
    ({"n_test": 0}, ValueError, "n_test must be at least 2"),
    ({"n_train": 20.0}, TypeError, "n_train must be an int"),
    ({"size": 8}, ValueError, "size must be between 16 and 512"),
    ({"size": "64"}, TypeError, "size must be an int"),
    ({"seed": -1}, ValueError, "seed must be at least 0"),
    ({"workers": 0}, ValueError, "workers must be between 1 and 64"),
])
def test_generate_rejects_bad_settings(tmp_path, kwargs, error, match):
    args = {"out_dir": tmp_path / "x", "n_train": 4, "n_test": 2, "size": 16, "progress": False} | kwargs
    with pytest.raises(error, match=match):
        dataset.generate(**args)
    assert not (tmp_path / "x").exists()


def test_generate_refuses_a_file_or_a_folder_of_other_photos(tmp_path):
    (tmp_path / "file.png").write_bytes(b"x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        dataset.generate(tmp_path / "file.png", 4, 2, 16)
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "my_dog.jpg").write_bytes(b"x")
    with pytest.raises(ValueError, match="no manifest.json.*choose another folder"):
        dataset.generate(tmp_path / "photos", 4, 2, 16)
    assert (tmp_path / "photos" / "my_dog.jpg").exists()
    with pytest.raises(TypeError, match="out_dir must be a path"):
        dataset.generate(42, 4, 2, 16)


def test_dataset_dir_rejects_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        dataset.dataset_dir(tmp_path / "nowhere")
    (tmp_path / "half" / "train").mkdir(parents=True)
    with pytest.raises(ValueError, match="no test/ folder"):
        dataset.dataset_dir(tmp_path / "half")
    with pytest.raises(TypeError, match="'synthetic' or a folder path"):
        dataset.dataset_dir(3)


# ---------------------------------------------------------------------------------------------- command line
def test_command_line_writes_then_reports_up_to_date(tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["--out", str(out), "--train", "4", "--test", "2", "--size", "16", "--seed", "2", "--quiet"]
    assert dataset.main(args) == 0
    assert "written" in capsys.readouterr().out
    assert dataset.main(args) == 0
    assert "up to date" in capsys.readouterr().out
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2


def test_command_line_help_and_clear_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        dataset.main(["--help"])
    assert exit_info.value.code == 0 and "--train" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        dataset.main(["--out", str(tmp_path / "c"), "--train", "3", "--quiet"])
    assert exit_info.value.code == 2 and "n_train must be even" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        dataset.main(["--size", "big"])
    assert "invalid int value" in capsys.readouterr().err


def test_module_runs_as_a_script(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(dataset.__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, "-m", "utils.dataset", "--out", str(tmp_path / "s"), "--train", "2",
                          "--test", "2", "--size", "16", "--quiet"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "s" / "test" / "muffin" / "muffin_00000.png").is_file()


def test_lookalike_flags_name_the_pose_each_file_was_drawn_in(small_set, monkeypatch):
    paths = sorted(small_set.glob("*/*/*.png"))
    drawn = []
    for name in ("chihuahua_curled", "chihuahua_face", "muffin_side", "muffin_top"):
        real = getattr(muffins, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            drawn.append(_name == "chihuahua_curled" or (_name == "muffin_side" and kwargs.get("face_like", False)))
            return _real(*args, **kwargs)
        monkeypatch.setattr(muffins, name, spy)
    for p in paths:  # redraw each file and record whether a look-alike pose was drawn
        split, cls, index = p.parent.parent.name, p.parent.name, int(p.stem.split("_")[1])
        muffins.draw_one(muffins.CLASS_NAMES.index(cls), index, split, 32, 3)  # small_set: size 32, seed 3
    flags = dataset.lookalike_flags(paths)
    assert flags.dtype == bool and flags.tolist() == drawn
    assert 0 < flags.sum() < len(paths)


def test_lookalike_flags_refuse_photos_the_generator_did_not_make(tmp_path, small_set):
    with pytest.raises(TypeError, match="list of photo files"):
        dataset.lookalike_flags(str(small_set))
    with pytest.raises(ValueError, match="not a photo of the generated set"):
        dataset.lookalike_flags([tmp_path / "train" / "muffin" / "IMG_0042.jpg"])
    (tmp_path / "train" / "muffin").mkdir(parents=True)
    with pytest.raises(ValueError, match="no manifest.json of the generated set"):
        dataset.lookalike_flags([tmp_path / "train" / "muffin" / "muffin_00001.png"])

