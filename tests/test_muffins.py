"""Tests for utils.muffins: the seeded synthetic muffins-vs-chihuahuas set, its files, manifest and command line."""

import json
import os

import cv2
import matplotlib
import numpy as np
import pytest

from utils import muffins

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    """A small generated set (20 train + 10 test at 32 x 32) shared by the file tests."""
    out = tmp_path_factory.mktemp("gen") / "muffin_chihuahua"
    return muffins.generate(out, n_train=20, n_test=10, size=32, seed=3, progress=False, workers=1)


def read_rgb(path):
    return cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_UNCHANGED), cv2.COLOR_BGR2RGB)


# ---------------------------------------------------------------------------------------------- drawing
@pytest.mark.parametrize("draw", [muffins.draw_chihuahua, muffins.draw_muffin])
@pytest.mark.parametrize("size", [16, 45, 64, 128])
def test_draw_returns_rgb_bytes(draw, size):
    img = draw(np.random.default_rng(0), size)
    assert img.shape == (size, size, 3) and img.dtype == np.uint8
    assert img.std() > 5, "the picture should not be flat"


@pytest.mark.parametrize("draw", [muffins.draw_chihuahua, muffins.draw_muffin])
def test_draw_is_seeded(draw):
    a, b = draw(np.random.default_rng(7), 64), draw(np.random.default_rng(7), 64)
    c = draw(np.random.default_rng(8), 64)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_lookalike_poses_can_be_forced():
    rng = np.random.default_rng(1)
    assert muffins.draw_chihuahua(rng, 32, curled=True).shape == (32, 32, 3)
    assert muffins.draw_muffin(rng, 32, face_like=True).shape == (32, 32, 3)


# ---------------------------------------------------------------------------------------------- arrays
def test_make_arrays_shapes_labels_and_balance():
    x, y = muffins.make_arrays(40, 32, seed=1)
    assert x.shape == (40, 32, 32, 3) and x.dtype == np.uint8
    assert set(np.unique(y)) == {0, 1} and y.sum() == 20
    assert not np.array_equal(y[:20], np.sort(y[:20])), "labels should be shuffled, not sorted"
    _, y_odd = muffins.make_arrays(7, 16, seed=1)
    assert (y_odd == 0).sum() == 4 and (y_odd == 1).sum() == 3


def test_make_arrays_same_seed_same_images_other_seed_other_images():
    a, ya = muffins.make_arrays(10, 24, seed=5)
    b, yb = muffins.make_arrays(10, 24, seed=5)
    c, _ = muffins.make_arrays(10, 24, seed=6)
    assert np.array_equal(a, b) and np.array_equal(ya, yb)
    assert not np.array_equal(a, c)
    t, _ = muffins.make_arrays(10, 24, seed=5, split="test")
    assert not np.array_equal(a, t), "train and test images must differ"


def test_colour_alone_does_not_separate_the_classes():
    """A nearest-class-mean rule on colour histograms stays far from a CNN's accuracy."""
    x, y = muffins.make_arrays(300, 32, seed=0)
    xt, yt = muffins.make_arrays(200, 32, seed=0, split="test")

    def hist(imgs):
        q = (imgs // 64).astype(int)
        idx = (q[..., 0] * 4 + q[..., 1]) * 4 + q[..., 2]
        return np.stack([np.bincount(i.ravel(), minlength=64) for i in idx]) / (32 * 32)

    h, ht = hist(x), hist(xt)
    means = np.stack([h[y == k].mean(0) for k in (0, 1)])
    pred = np.argmin(((ht[:, None] - means[None]) ** 2).sum(-1), axis=1)
    assert (pred == yt).mean() < 0.75


# ---------------------------------------------------------------------------------------------- files
def test_generate_writes_kaggle_layout_and_manifest(small_set):
    for split, n in (("train", 10), ("test", 5)):
        for cls in ("chihuahua", "muffin"):
            files = sorted((small_set / split / cls).glob("*.png"))
            assert len(files) == n
    manifest = muffins.read_manifest(small_set)
    assert manifest["seed"] == 3 and manifest["size"] == 32
    assert manifest["counts"] == {"train": {"chihuahua": 10, "muffin": 10}, "test": {"chihuahua": 5, "muffin": 5}}
    assert manifest["version"] == muffins.GENERATOR_VERSION
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
    assert np.array_equal(muffins._draw_one(1, 4, "train", 32, 3), fourth_muffin)


def test_second_run_does_nothing(small_set):
    before = {p: p.stat().st_mtime_ns for p in small_set.rglob("*.png")}
    assert muffins.ensure_dataset(small_set, n_train=20, n_test=10, size=32, seed=3, progress=False) == small_set
    assert {p: p.stat().st_mtime_ns for p in small_set.rglob("*.png")} == before


def test_same_seed_same_checksums_other_seed_differs(tmp_path, small_set):
    again = muffins.generate(tmp_path / "again", 20, 10, 32, seed=3, progress=False, workers=2)
    other = muffins.generate(tmp_path / "other", 20, 10, 32, seed=4, progress=False, workers=1)
    assert muffins.read_manifest(again)["digest"] == muffins.read_manifest(small_set)["digest"]
    assert muffins.read_manifest(other)["digest"] != muffins.read_manifest(small_set)["digest"]


def test_changed_settings_regenerate_and_leave_no_temporary_folder(tmp_path):
    out = muffins.generate(tmp_path / "set", 4, 2, 16, seed=0, progress=False)
    muffins.generate(out, 6, 2, 16, seed=0, progress=False)
    assert len(list((out / "train" / "muffin").glob("*.png"))) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]


def test_interrupted_run_leaves_no_half_written_set(tmp_path, monkeypatch):
    out = tmp_path / "set"
    real, calls = muffins._draw_one, []

    def failing(*args):
        calls.append(args)
        if len(calls) > 5:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(muffins, "_draw_one", failing)
    with pytest.raises(KeyboardInterrupt):
        muffins.generate(out, 10, 4, 16, seed=0, progress=False, workers=1)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(muffins, "_draw_one", real)
    muffins.generate(out, 4, 2, 16, seed=0, progress=False)
    monkeypatch.setattr(muffins, "_draw_one", failing)
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        muffins.generate(out, 10, 4, 16, seed=0, progress=False, workers=1)
    assert muffins.read_manifest(out)["counts"]["train"]["muffin"] == 2, "the old complete set must survive"


def test_a_set_finished_first_by_another_process_is_kept(tmp_path, monkeypatch):
    out, real = tmp_path / "set", muffins._write_all

    def racing(tmp, *args):
        files = real(tmp, *args)
        monkeypatch.setattr(muffins, "_write_all", real)
        muffins.generate(tmp_path / "other", 4, 2, 16, progress=False)  # another process finishes first
        (tmp_path / "other" / "marker").write_text("first")
        os.rename(tmp_path / "other", out)
        return files

    monkeypatch.setattr(muffins, "_write_all", racing)
    assert muffins.generate(out, 4, 2, 16, progress=False) == out
    assert (out / "marker").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]


def test_progress_bar_goes_to_stderr(tmp_path, capsys):
    muffins.generate(tmp_path / "p", 4, 2, 16, progress=True)
    err = capsys.readouterr().err
    assert "6/6" in err and "[#" in err


def test_sets_with_other_settings_get_their_own_default_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(muffins, "DATA_DIR", tmp_path)
    monkeypatch.setattr(muffins, "DEFAULT_DIR", tmp_path / "muffin_chihuahua")
    assert muffins.default_dir() == tmp_path / "muffin_chihuahua"
    small = muffins.ensure_dataset(n_train=4, n_test=2, size=16, seed=1, progress=False)
    assert small == tmp_path / "cache" / "muffin_chihuahua_16px_4-2_seed1"
    assert muffins.read_manifest(small)["size"] == 16


# ---------------------------------------------------------------------------------------------- data source
def test_dataset_dir_uses_environment_variable(tmp_path, monkeypatch):
    for split in ("train", "test"):
        (tmp_path / "real" / split / "muffin").mkdir(parents=True)
    monkeypatch.setenv("MUFFIN_DATASET", str(tmp_path / "real"))
    assert muffins.dataset_dir() == tmp_path / "real"
    assert muffins.dataset_dir(tmp_path / "real") == tmp_path / "real"


# ---------------------------------------------------------------------------------------------- gallery
def test_show_gallery_draws_a_labelled_checkerboard():
    fig = muffins.show_gallery()
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 16 and titles[:4] == ["chihuahua", "muffin", "chihuahua", "muffin"]
    assert titles[4] == "muffin"
    plt.close(fig)


def test_show_gallery_marks_wrong_predictions_red():
    x, y = muffins.make_arrays(4, 16, seed=0)
    pred = y.copy()
    pred[0] = 1 - pred[0]
    fig = muffins.show_gallery(x, y, pred, nrows=2, ncols=2)
    colours = [matplotlib.colors.to_hex(ax.title.get_color()) for ax in fig.axes]
    assert colours[0] == "#ff0000" and colours[1:] == ["#008000"] * 3
    assert "(is " in fig.axes[0].get_title()
    plt.close(fig)


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_train": 21}, ValueError, "n_train must be even"),
    ({"n_test": 0}, ValueError, "n_test must be >= 2"),
    ({"n_train": 20.0}, TypeError, "n_train must be an int"),
    ({"size": 8}, ValueError, "size must be between 16 and 512"),
    ({"size": "64"}, TypeError, "size must be an int"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
    ({"workers": 0}, ValueError, "workers must be between 1 and 64"),
])
def test_generate_rejects_bad_settings(tmp_path, kwargs, error, match):
    args = {"out_dir": tmp_path / "x", "n_train": 4, "n_test": 2, "size": 16, "progress": False} | kwargs
    with pytest.raises(error, match=match):
        muffins.generate(**args)
    assert not (tmp_path / "x").exists()


def test_generate_refuses_a_file_or_a_folder_of_other_photos(tmp_path):
    (tmp_path / "file.png").write_bytes(b"x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        muffins.generate(tmp_path / "file.png", 4, 2, 16)
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "my_dog.jpg").write_bytes(b"x")
    with pytest.raises(ValueError, match="no manifest.json.*choose another folder"):
        muffins.generate(tmp_path / "photos", 4, 2, 16)
    assert (tmp_path / "photos" / "my_dog.jpg").exists()
    with pytest.raises(TypeError, match="out_dir must be a folder path"):
        muffins.generate(42, 4, 2, 16)


def test_draw_and_arrays_reject_bad_input():
    with pytest.raises(TypeError, match="numpy Generator"):
        muffins.draw_chihuahua(0, 64)
    with pytest.raises(TypeError, match="numpy Generator"):
        muffins.draw_muffin(np.random.RandomState(0), 64)
    with pytest.raises(ValueError, match="size must be between"):
        muffins.draw_muffin(np.random.default_rng(0), 1000)
    with pytest.raises(ValueError, match="n must be >= 1"):
        muffins.make_arrays(0)
    with pytest.raises(ValueError, match="split must be one of"):
        muffins.make_arrays(4, 16, split="validation")


def test_gallery_and_dataset_dir_reject_bad_input(tmp_path):
    x, y = muffins.make_arrays(4, 16)
    with pytest.raises(ValueError, match="one label .* per image"):
        muffins.show_gallery(x, y[:3])
    with pytest.raises(ValueError, match="one prediction per image"):
        muffins.show_gallery(x, y, y[:2])
    with pytest.raises(ValueError, match=r"shape \(n, H, W, 3\)"):
        muffins.show_gallery(x[..., 0], y)
    with pytest.raises(ValueError, match="need images"):
        muffins.show_gallery(labels=y)
    with pytest.raises(FileNotFoundError, match="not a folder"):
        muffins.dataset_dir(tmp_path / "nowhere")
    (tmp_path / "half" / "train").mkdir(parents=True)
    with pytest.raises(ValueError, match="no test/ folder"):
        muffins.dataset_dir(tmp_path / "half")
    with pytest.raises(TypeError, match="'synthetic' or a folder path"):
        muffins.dataset_dir(3)


# ---------------------------------------------------------------------------------------------- command line
def test_command_line_writes_then_reports_up_to_date(tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["--out", str(out), "--train", "4", "--test", "2", "--size", "16", "--seed", "2", "--quiet"]
    assert muffins.main(args) == 0
    assert "written" in capsys.readouterr().out
    assert muffins.main(args) == 0
    assert "up to date" in capsys.readouterr().out
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2


def test_command_line_help_and_clear_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        muffins.main(["--help"])
    assert exit_info.value.code == 0 and "--train" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        muffins.main(["--out", str(tmp_path / "c"), "--train", "3", "--quiet"])
    assert exit_info.value.code == 2 and "n_train must be even" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        muffins.main(["--size", "big"])
    assert "invalid int value" in capsys.readouterr().err


def test_module_runs_as_a_script(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(muffins.__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, "-m", "utils.muffins", "--out", str(tmp_path / "s"), "--train", "2",
                          "--test", "2", "--size", "16", "--quiet"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "s" / "test" / "muffin" / "muffin_00000.png").is_file()


def test_lookalike_flags_name_the_pose_each_file_was_drawn_in(small_set, monkeypatch):
    paths = sorted(small_set.glob("*/*/*.png"))
    drawn = []
    for name in ("_chihuahua_curled", "_chihuahua_face", "_muffin_side", "_muffin_top"):
        real = getattr(muffins, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            drawn.append(_name == "_chihuahua_curled" or (_name == "_muffin_side" and kwargs.get("face_like", False)))
            return _real(*args, **kwargs)
        monkeypatch.setattr(muffins, name, spy)
    for p in paths:  # redraw each file and record whether a look-alike pose was drawn
        split, cls, index = p.parent.parent.name, p.parent.name, int(p.stem.split("_")[1])
        muffins._draw_one(muffins.CLASS_NAMES.index(cls), index, split, 32, 3)  # small_set: size 32, seed 3
    flags = muffins.lookalike_flags(paths)
    assert flags.dtype == bool and flags.tolist() == drawn
    assert 0 < flags.sum() < len(paths)


def test_lookalike_flags_about_one_in_five_of_a_large_split():
    flags = [muffins._is_lookalike(label, i, "test", 0) for label in (0, 1) for i in range(250)]
    assert 0.15 <= np.mean(flags) <= 0.25


def test_lookalike_flags_refuse_photos_the_generator_did_not_make(tmp_path, small_set):
    with pytest.raises(TypeError, match="list of photo files"):
        muffins.lookalike_flags(str(small_set))
    with pytest.raises(ValueError, match="not a photo of the generated set"):
        muffins.lookalike_flags([tmp_path / "train" / "muffin" / "IMG_0042.jpg"])
    (tmp_path / "train" / "muffin").mkdir(parents=True)
    with pytest.raises(ValueError, match="no manifest.json of utils.muffins"):
        muffins.lookalike_flags([tmp_path / "train" / "muffin" / "muffin_00001.png"])
