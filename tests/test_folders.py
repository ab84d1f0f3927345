"""Tests for utils.folders: checking and loading real-format image folders (JPEG/PNG written with OpenCV)."""

import os

import cv2
import numpy as np
import pytest

from utils import folders


def photo(h=48, w=60, seed=0):
    """A smooth random RGB picture (compresses like a photo)."""
    small = np.random.default_rng(seed).integers(0, 256, (6, 6, 3), np.uint8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def write(path, img, ext=".png"):
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, buf = cv2.imencode(ext, img)
    assert ok
    path.write_bytes(buf.tobytes())
    return path


@pytest.fixture
def good(tmp_path):
    """A two-class folder like the Kaggle one: JPEGs and PNGs of different sizes, a hidden file to ignore."""
    root = tmp_path / "train"
    for i in range(6):
        write(root / "chihuahua" / f"dog_{i}.jpg", photo(40 + i, 50, seed=i), ".jpg")
        write(root / "muffin" / f"muffin_{i}.png", photo(64, 64 + i, seed=10 + i))
    (root / "muffin" / ".DS_Store").write_bytes(b"\x00\x01")
    return root


# ---------------------------------------------------------------------------------------------- check
def test_check_reports_classes_and_counts(good):
    report = folders.check_image_folder(good)
    assert report["classes"] == ["chihuahua", "muffin"]
    assert report["counts"] == {"chihuahua": 6, "muffin": 6}
    assert report["text"].splitlines()[0] == "train: 2 classes, chihuahua 6, muffin 6 (12 images)"
    assert report["troubles"] == {"hidden file": [good / "muffin" / ".DS_Store"]}, "only the ignored system file"


def test_check_notes_images_that_get_converted(tmp_path):
    root = tmp_path / "odd"
    img = photo(30, 30)
    write(root / "a" / "gray.png", img[..., 0])
    write(root / "a" / "rgba.png", np.dstack([img, np.full((30, 30), 100, np.uint8)]))
    write(root / "b" / "deep.png", img.astype(np.uint16) * 257)
    write(root / "b" / "huge.jpg", cv2.resize(img, (4100, 4000)), ".jpg")
    found = folders.check_image_folder(root)["troubles"]
    assert [p.name for p in found["grayscale"]] == ["gray.png"]
    assert [p.name for p in found["transparent"]] == ["rgba.png"]
    assert [p.name for p in found["16-bit"]] == ["deep.png"]
    assert [p.name for p in found["huge"]] == ["huge.jpg"]


# ---------------------------------------------------------------------------------------------- bad folders
def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="'nope' not found.*ensure_dataset"):
        folders.check_image_folder(tmp_path / "nope")


def test_a_file_instead_of_a_folder(good):
    with pytest.raises(NotADirectoryError, match="is a file"):
        folders.load_image_folder(good / "muffin" / "muffin_0.png")


def test_path_of_wrong_type():
    with pytest.raises(TypeError, match="folder must be a path"):
        folders.check_image_folder(["train"])


def test_root_with_train_and_test(tmp_path, good):
    (tmp_path / "test").mkdir()
    with pytest.raises(ValueError, match="holds train/ and test/.*path / 'train'"):
        folders.check_image_folder(tmp_path)


def test_images_without_class_folders(tmp_path):
    write(tmp_path / "flat" / "a.png", photo())
    with pytest.raises(ValueError, match=r"no class subfolders \(1 images lie directly in it\)"):
        folders.check_image_folder(tmp_path / "flat")


def test_single_class(tmp_path):
    write(tmp_path / "one" / "muffin" / "a.png", photo())
    with pytest.raises(ValueError, match=r"single class folder \(muffin/\)"):
        folders.check_image_folder(tmp_path / "one")


def test_empty_class(good):
    (good / "croissant").mkdir()
    with pytest.raises(ValueError, match=r"empty class \(1\): croissant\n.*add photos or delete the folder"):
        folders.check_image_folder(good)


def test_non_image_files_are_named_but_do_not_stop_loading(good):
    (good / "muffin" / "notes.txt").write_text("hello")
    report = folders.check_image_folder(good)
    assert "- not an image (1): muffin/notes.txt\n    what to do: the loader ignores these" in report["text"]


def test_formats_keras_cannot_read_are_named(good):
    write(good / "chihuahua" / "phone.webp", photo(), ".webp")
    with pytest.raises(ValueError, match=r"unsupported format \(1\): chihuahua/phone.webp\n.*convert them to PNG"):
        folders.check_image_folder(good)


def test_corrupt_files_are_named(good):
    (good / "muffin" / "random.png").write_bytes(os.urandom(300))
    (good / "chihuahua" / "empty.jpg").write_bytes(b"")
    jpeg = (good / "chihuahua" / "dog_0.jpg").read_bytes()
    (good / "chihuahua" / "cut.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    with pytest.raises(ValueError, match=r"unreadable \(3\): chihuahua/cut.jpg, chihuahua/empty.jpg, "
                                         r"muffin/random.png\n.*damaged, truncated or empty"):
        folders.check_image_folder(good)


def test_a_png_named_jpg_is_fine_but_a_tiff_named_png_is_not(good):
    write(good / "muffin" / "really_png.jpg", photo())
    report = folders.check_image_folder(good)
    assert report["counts"]["muffin"] == 7 and report["troubles"]["misnamed"] == [good / "muffin" / "really_png.jpg"]
    write(good / "muffin" / "really_tiff.png", photo(), ".tiff")
    with pytest.raises(ValueError, match=r"unsupported format \(1\): muffin/really_tiff.png"):
        folders.check_image_folder(good)


def test_many_bad_files_are_summarised(good):
    for i in range(14):
        (good / "muffin" / f"bad_{i:02d}.png").write_bytes(b"not a png")
    with pytest.raises(ValueError, match=r"unreadable \(14\):.*bad_09.png and 4 more"):
        folders.check_image_folder(good)
    report = folders.scan_image_folder(good)
    assert len(report["troubles"]["unreadable"]) == 14, "the report itself lists every file"


def test_every_category_is_reported_at_once(good):
    """The issue's complaint: four rounds of fix-and-retry. One check must name all of these."""
    write(good / "chihuahua" / "phone.webp", photo(), ".webp")
    (good / "muffin" / "notes.txt").write_text("hello")
    (good / "muffin" / "broken.png").write_bytes(b"broken")
    (good / "chihuahua" / "._dog_0.jpg").write_bytes(b"\x00\x05\x16\x07" + bytes(100))
    with pytest.raises(ValueError) as err:
        folders.check_image_folder(good)
    text = str(err.value)
    for name in ("chihuahua/phone.webp", "muffin/notes.txt", "muffin/broken.png", "chihuahua/._dog_0.jpg"):
        assert name in text
    assert text.index("ERRORS") < text.index("WARNINGS") < text.index("IGNORED")


# ---------------------------------------------------------------------------------------------- loading
def test_load_image_folder_gives_batches_and_class_names(good):
    ds, names = folders.load_image_folder(good, image_size=(32, 32), batch_size=4, verbose=False)
    assert names == ["chihuahua", "muffin"]
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds])
    x, y = np.concatenate(xs), np.concatenate(ys)
    assert x.shape == (12, 32, 32, 3) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 255.01
    assert sorted(y.tolist()) == [0] * 6 + [1] * 6
    assert xs[0].shape[0] == 4


def test_validation_split_both(good):
    (train, val), names = folders.load_image_folder(good, image_size=16, validation_split=0.25, subset="both",
                                                    seed=1, verbose=False)
    n_train = sum(int(x.shape[0]) for x, _ in train)
    n_val = sum(int(x.shape[0]) for x, _ in val)
    assert (n_train, n_val) == (9, 3) and names == ["chihuahua", "muffin"]


def test_binary_labels(good):
    ds, _ = folders.load_image_folder(good, image_size=16, batch_size=12, label_mode="binary", verbose=False)
    _, y = next(iter(ds))
    assert y.shape == (12, 1)


def test_loader_converts_grayscale_alpha_16bit_and_huge(tmp_path):
    root = tmp_path / "odd"
    img = photo(30, 40)
    write(root / "a" / "gray.jpg", img[..., 0], ".jpg")
    write(root / "a" / "rgba.png", np.dstack([img, np.full((30, 40), 255, np.uint8)]))
    write(root / "b" / "deep.png", img.astype(np.uint16) * 257)
    write(root / "b" / "huge.jpg", cv2.resize(img, (4100, 4000)), ".jpg")
    ds, _ = folders.load_image_folder(root, image_size=(24, 24), batch_size=None, shuffle=False, verbose=False)
    got = [x.numpy() for x, _ in ds]
    assert len(got) == 4 and all(g.shape == (24, 24, 3) for g in got)
    gray = got[0]
    assert np.allclose(gray[..., 0], gray[..., 1]) and np.allclose(gray[..., 1], gray[..., 2])


def test_loader_matches_load_image(good):
    """The single-image reader gives the same pixels as the Keras folder loader (PNG, area resizing)."""
    ds, _ = folders.load_image_folder(good, image_size=(20, 24), batch_size=None, shuffle=False, verbose=False)
    keras_imgs = [x.numpy() for x, _ in ds]
    mine = [folders.load_image(p, (20, 24)) for cls in ("chihuahua", "muffin")
            for p in sorted((good / cls).glob("*.*")) if not p.name.startswith(".")]
    for k, m in zip(keras_imgs[6:], mine[6:]):  # PNGs: identical decoding, same area resize
        assert np.abs(k - m).max() <= 1.0
    for k, m in zip(keras_imgs[:6], mine[:6]):  # JPEGs: decoders may differ by a few levels
        assert np.abs(k - m).mean() <= 3.0


@pytest.mark.parametrize("kwargs, match", [
    ({"image_size": 0}, "image_size must be an int or"),
    ({"batch_size": 0}, "batch_size must be a positive int"),
    ({"validation_split": 1.5, "subset": "training"}, "validation_split must be a float between 0 and 1"),
    ({"validation_split": 0.2}, "set subset to 'training', 'validation' or 'both'"),
    ({"subset": "training"}, "needs validation_split"),
    ({"label_mode": "onehot"}, "label_mode must be"),
])
def test_loader_rejects_bad_options(good, kwargs, match):
    with pytest.raises(ValueError, match=match):
        folders.load_image_folder(good, **kwargs)


def test_loader_rejects_an_image_size_of_the_wrong_kind(good):
    with pytest.raises(TypeError, match="image_size must be an int or a pair of ints"):
        folders.load_image_folder(good, image_size=(64,))


def test_binary_labels_need_two_classes(good):
    write(good / "croissant" / "c.png", photo())
    with pytest.raises(ValueError, match="needs exactly 2 classes"):
        folders.load_image_folder(good, label_mode="binary")


def test_loads_the_generated_set(tmp_path):
    from utils import dataset, muffins

    out = dataset.generate(tmp_path / "mc", n_train=8, n_test=4, size=32, progress=False)
    ds, names = folders.load_image_folder(out / "train", image_size=(32, 32), batch_size=8, shuffle=False,
                                          verbose=False)
    x, y = next(iter(ds))
    assert names == ["chihuahua", "muffin"] and x.shape == (8, 32, 32, 3)
    assert np.array_equal(x.numpy()[0].astype(np.uint8), muffins.draw_one(0, 0, "train", 32, 0))


def test_generated_files_are_trusted_but_others_beside_them_are_checked(tmp_path):
    from utils import dataset, muffins

    out = dataset.generate(tmp_path / "mc", n_train=4, n_test=2, size=16, progress=False)
    assert folders.check_image_folder(out / "test")["counts"] == {"chihuahua": 1, "muffin": 1}
    (out / "test" / "muffin" / "added.png").write_bytes(b"broken")
    with pytest.raises(ValueError, match="muffin/added.png"):
        folders.check_image_folder(out / "test")


# ---------------------------------------------------------------------------------------------- one image
def test_load_image_sizes_and_types(tmp_path):
    img = photo(30, 50)
    path = write(tmp_path / "p.png", img)
    full = folders.load_image(path, None, dtype="uint8")
    assert np.array_equal(full, cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    assert folders.load_image(path, 16).shape == (16, 16, 3)
    big = folders.load_image(path, (60, 100))
    assert big.shape == (60, 100, 3) and big.dtype == np.float32


def test_load_image_converts_odd_formats(tmp_path):
    img = photo(20, 20)
    gray = folders.load_image(write(tmp_path / "g.png", img[..., 0]), None, dtype="uint8")
    assert gray.shape == (20, 20, 3) and np.array_equal(gray[..., 0], img[..., 0])
    deep = folders.load_image(write(tmp_path / "d.png", img.astype(np.uint16) * 257), None, dtype="uint8")
    assert np.array_equal(deep, cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    clear = np.dstack([img, np.zeros((20, 20), np.uint8)])
    assert folders.load_image(write(tmp_path / "a.png", clear), None, dtype="uint8").min() == 255, \
        "fully transparent pixels become white"
    assert folders.load_image(write(tmp_path / "w.webp", img, ".webp"), 8).shape == (8, 8, 3)


def test_load_image_rejects_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="'missing.jpg' not found"):
        folders.load_image(tmp_path / "missing.jpg")
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(ValueError, match="'text.png' is not an image OpenCV can read"):
        folders.load_image(tmp_path / "text.png")
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(ValueError, match="not an image"):
        folders.load_image(tmp_path / "empty.jpg")
    good = write(tmp_path / "ok.png", photo())
    with pytest.raises(ValueError, match="dtype must be"):
        folders.load_image(good, dtype="float64")
    with pytest.raises(ValueError, match="size must be"):
        folders.load_image(good, (-1, 5))
    with pytest.raises(TypeError, match="image file must be a path"):
        folders.load_image(None)
