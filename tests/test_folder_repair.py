"""Tests for utils.folder_repair and the one-pass check: a folder with every kind of everyday trouble."""

import hashlib
import os

import cv2
import numpy as np
import pytest
from PIL import Image

from utils import folder_repair, folders


def photo(h=48, w=60, seed=0):
    """A smooth random RGB picture (compresses like a photo)."""
    small = np.random.default_rng(seed).integers(0, 256, (6, 6, 3), np.uint8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def save(path, img, fmt=None, **options):
    """Write an RGB array (or a PIL image) with Pillow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = img if isinstance(img, Image.Image) else Image.fromarray(img)
    im.save(path, fmt, **options)
    return path


def with_orientation(img, code):
    """EXIF bytes asking viewers to turn the stored picture (orientation ``code``, 1-8)."""
    exif = Image.Exif()
    exif[0x0112] = code
    return exif.tobytes()


# file (relative to the folder) -> the kind of trouble the scan must name it under
EXPECTED = {
    "loose.jpg": "outside class folders",
    "croissant": "empty class",
    "chihuahua/phone.webp": "unsupported format",
    "muffin/scan.tif": "unsupported format",
    "muffin/really_tiff.png": "unsupported format",
    "chihuahua/cut.jpg": "unreadable",
    "muffin/empty.png": "unreadable",
    "muffin/random.png": "unreadable",
    "chihuahua/._dog_0.jpg": "hidden image file",
    "muffin/notes.txt": "not an image",
    "muffin/clear.png": "transparent",
    "chihuahua/dog_0_copy.jpg": "duplicate",
    "muffin/dog_1.jpg": "same photo in two classes",
    "chihuahua/tiny.png": "tiny",
    "chihuahua/panorama.jpg": "wide",
    "chihuahua/print_cmyk.jpg": "CMYK",
    "chihuahua/phone_rotated.jpg": "EXIF-rotated",
    "muffin/deep.png": "16-bit",
    "muffin/palette.png": "palette",
    "chihuahua/gray.jpg": "grayscale",
    "muffin/anim.gif": "animated",
    "muffin/huge.jpg": "huge",
    "muffin/really_png.jpg": "misnamed",
    "chihuahua/extra/dog_9.png": "in a subfolder",
    "muffin/.DS_Store": "hidden file",
}


@pytest.fixture
def troubled(tmp_path):
    """A two-class photo folder with 22 kinds of trouble, plus six good photos per class."""
    root = tmp_path / "photos"
    for i in range(6):
        save(root / "chihuahua" / f"dog_{i}.jpg", photo(50, 60, seed=i), quality=90)
        save(root / "muffin" / f"muffin_{i}.png", photo(56, 56, seed=10 + i))
    img = photo(40, 64, seed=20)
    save(root / "loose.jpg", img)
    (root / "croissant").mkdir()
    save(root / "chihuahua" / "phone.webp", img, "WEBP")
    save(root / "muffin" / "scan.tif", img, "TIFF")
    save(root / "muffin" / "really_tiff.png", photo(40, 64, seed=21), "TIFF")
    jpeg = (root / "chihuahua" / "dog_2.jpg").read_bytes()
    (root / "chihuahua" / "cut.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (root / "muffin" / "empty.png").write_bytes(b"")
    (root / "muffin" / "random.png").write_bytes(np.random.default_rng(1).bytes(300))
    (root / "chihuahua" / "._dog_0.jpg").write_bytes(b"\x00\x05\x16\x07" + bytes(200))  # a macOS AppleDouble file
    (root / "muffin" / "notes.txt").write_text("bought at the bakery on Friday")
    save(root / "muffin" / "clear.png", np.dstack([img, np.full(img.shape[:2], 60, np.uint8)]))
    (root / "chihuahua" / "dog_0_copy.jpg").write_bytes((root / "chihuahua" / "dog_0.jpg").read_bytes())
    (root / "muffin" / "dog_1.jpg").write_bytes((root / "chihuahua" / "dog_1.jpg").read_bytes())
    save(root / "chihuahua" / "tiny.png", photo(16, 16, seed=3))
    save(root / "chihuahua" / "panorama.jpg", photo(40, 200, seed=4))
    save(root / "chihuahua" / "print_cmyk.jpg", Image.fromarray(img).convert("CMYK"), "JPEG")
    save(root / "chihuahua" / "phone_rotated.jpg", img, "JPEG", exif=with_orientation(img, 6), quality=95)
    cv2.imwrite(str(root / "muffin" / "deep.png"), img.astype(np.uint16) * 257)
    save(root / "muffin" / "palette.png", Image.fromarray(img).convert("P", palette=Image.Palette.ADAPTIVE))
    save(root / "chihuahua" / "gray.jpg", img[..., 0])
    frames = [Image.fromarray(photo(40, 40, seed=s)) for s in (5, 6)]
    frames[0].save(root / "muffin" / "anim.gif", save_all=True, append_images=frames[1:], duration=100)
    save(root / "muffin" / "huge.jpg", cv2.resize(img, (4100, 4000)), quality=70)
    save(root / "muffin" / "really_png.jpg", photo(40, 64, seed=22), "PNG")
    save(root / "chihuahua" / "extra" / "dog_9.png", photo(50, 50, seed=9))
    (root / "muffin" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return root


def checksums(root):
    """Every file under ``root`` with the sha256 of its bytes (and the empty folders)."""
    sums = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}
    sums.update({p.relative_to(root).as_posix() + "/": "folder" for p in root.rglob("*") if p.is_dir()})
    return sums


def test_one_report_names_every_bad_file_under_its_kind(troubled):
    report = folders.scan_image_folder(troubled)
    found = {p.relative_to(troubled).as_posix(): kind for kind, paths in report["troubles"].items() for p in paths
             if kind == EXPECTED.get(p.relative_to(troubled).as_posix())}
    assert found == EXPECTED, f"missing: {sorted(set(EXPECTED) - set(found))}"
    assert len(set(EXPECTED.values())) >= 15, "at least 15 kinds of trouble"
    assert "CMYK" in report["troubles"] and troubled / "chihuahua" / "print_cmyk.jpg" not in \
        report["troubles"].get("unreadable", []), "a CMYK JPEG is named CMYK, not corrupt"
    with pytest.raises(ValueError) as err:
        folders.check_image_folder(troubled)
    text = str(err.value)
    for name, kind in EXPECTED.items():
        assert name in text, f"{name} ({kind}) is missing from the one error message"
    for kind in set(EXPECTED.values()):
        assert f"- {kind} (" in text and folders.TROUBLES[kind][1] in text, f"group {kind!r} or its advice missing"


def test_class_wide_notes_flag_unequal_and_look_alike_classes(tmp_path):
    for i in range(12):
        save(tmp_path / "f" / "muffin" / f"m{i}.png", photo(seed=i))
    save(tmp_path / "f" / "Muffins" / "m.png", photo(seed=40))
    save(tmp_path / "f" / "chihuahua" / "c.png", photo(seed=41))
    notes = folders.scan_image_folder(tmp_path / "f")["notes"]
    assert any("very unequal" in n for n in notes)
    assert any("Muffins/ and muffin/" in n or "muffin/ and Muffins/" in n for n in notes)


def test_repair_writes_a_clean_copy_that_loads_and_trains_and_leaves_the_originals(troubled, tmp_path):
    before = checksums(troubled)
    report = folder_repair.repair_image_folder(troubled, tmp_path / "clean")
    assert checksums(troubled) == before, "the originals are untouched"
    clean = tmp_path / "clean"
    skipped = {reason: sorted(p.relative_to(troubled).as_posix() for p in paths)
               for reason, paths in report["skipped"].items()}
    assert skipped == {"unreadable": ["chihuahua/cut.jpg", "muffin/empty.png", "muffin/random.png"],
                       "hidden or system file": ["chihuahua/._dog_0.jpg", "muffin/.DS_Store"],
                       "not an image": ["muffin/notes.txt"], "duplicate": ["chihuahua/dog_0_copy.jpg"],
                       "outside class folders": ["loose.jpg"]}
    assert report["copied"] >= 12 and "muffin/notes.txt" in report["text"]
    converted = {p.relative_to(troubled).as_posix() for p in report["converted"]}
    assert {"chihuahua/phone.webp", "muffin/scan.tif", "muffin/really_tiff.png", "chihuahua/print_cmyk.jpg",
            "chihuahua/phone_rotated.jpg", "muffin/deep.png", "muffin/palette.png", "muffin/clear.png",
            "muffin/anim.gif", "muffin/huge.jpg", "muffin/really_png.jpg"} <= converted
    check = folders.check_image_folder(clean)  # no error left: loads with the course loader
    left = set(check["troubles"])
    assert left <= {"same photo in two classes", "tiny", "wide", "grayscale", "in a subfolder"}, check["text"]
    for name in ("chihuahua/phone.png", "muffin/scan.png", "chihuahua/print_cmyk.jpg", "muffin/deep.png"):
        with Image.open(clean / name) as im:
            assert im.mode == "RGB", f"{name} is {im.mode}"
    with Image.open(clean / "chihuahua" / "phone_rotated.jpg") as im:
        assert im.size == (40, 64) and im.getexif().get(0x0112, 1) == 1, "turned upright, no rotation tag left"
    with Image.open(clean / "muffin" / "huge.jpg") as im:
        assert im.size[0] * im.size[1] <= folders.LARGE_PIXELS
    ds, names = folders.load_image_folder(clean, image_size=(32, 32), batch_size=8, verbose=False)
    assert names == ["chihuahua", "muffin"]
    import keras

    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.Conv2D(4, 3, activation="relu"), keras.layers.GlobalMaxPooling2D(),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_repair_is_atomic_and_never_overwrites(troubled, tmp_path, monkeypatch):
    before = checksums(troubled)
    calls = []

    def failing(path):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        return original(path)

    original = folder_repair.to_rgb8
    monkeypatch.setattr(folder_repair, "to_rgb8", failing)
    with pytest.raises(OSError, match="disk full"):
        folder_repair.repair_image_folder(troubled, tmp_path / "clean")
    assert not (tmp_path / "clean").exists(), "nothing half-done"
    assert [p.name for p in tmp_path.iterdir()] == ["photos"], "no temporary folder left behind"
    assert checksums(troubled) == before
    (tmp_path / "taken").mkdir()
    with pytest.raises(FileExistsError, match="already exists"):
        folder_repair.repair_image_folder(troubled, tmp_path / "taken")
    with pytest.raises(ValueError, match="outside"):
        folder_repair.repair_image_folder(troubled, troubled / "clean")


def test_repair_handles_a_train_test_root(tmp_path):
    for split in ("train", "test"):
        for cls in ("a", "b"):
            save(tmp_path / "set" / split / cls / "p.webp", photo(seed=len(split + cls)), "WEBP")
    report = folder_repair.repair_image_folder(tmp_path / "set", tmp_path / "clean")
    assert sorted(p.relative_to(tmp_path / "clean").as_posix() for p in (tmp_path / "clean").rglob("*.png")) == \
        ["test/a/p.png", "test/b/p.png", "train/a/p.png", "train/b/p.png"]
    assert len(report["converted"]) == 4


@pytest.mark.parametrize("code", range(1, 9))
def test_folder_loading_turns_exif_rotated_photos_upright_like_load_image(tmp_path, code):
    img = photo(36, 60, seed=code)
    img[:6, :10] = (255, 0, 0)  # a red corner shows which way is up
    root = tmp_path / "f"
    save(root / "a" / "rotated.jpg", img, "JPEG", exif=with_orientation(img, code), quality=98)
    save(root / "b" / "plain.png", photo(60, 36, seed=30))
    ds, _ = folders.load_image_folder(root, image_size=(30, 30), batch_size=None, shuffle=False, verbose=False)
    loaded = [x.numpy() for x, _ in ds][0]
    expected = folders.load_image(root / "a" / "rotated.jpg", (30, 30))
    assert np.abs(loaded - expected).mean() < 4, f"orientation {code} not applied as load_image does"


def test_upright_dataset_repeats_keras_exactly_for_upright_photos(tmp_path):
    """Same order, labels and pixels as image_dataset_from_directory (with shuffling, split and every label mode)."""
    import keras

    for i in range(10):
        save(tmp_path / "f" / ("a" if i % 3 else "b") / f"p{i}.jpg", photo(30 + i, 40, seed=i))
    for label_mode, subset in (("int", "both"), ("binary", "training"), ("categorical", None)):
        split = {"validation_split": 0.3, "subset": subset} if subset else {}
        ds = keras.utils.image_dataset_from_directory(tmp_path / "f", label_mode=label_mode, image_size=(20, 20),
                                                      batch_size=3, seed=7, interpolation="area", verbose=False,
                                                      **split)
        for keras_ds in ds if isinstance(ds, list) else [ds]:
            mine = folder_repair.upright_dataset(keras_ds, tmp_path / "f", (20, 20), 3, label_mode, 7, "area",
                                                 ["a", "b"], shuffle=keras_ds is not ds[1] if subset == "both"
                                                 else True)
            for (x1, y1), (x2, y2) in zip(keras_ds, mine, strict=True):
                np.testing.assert_array_equal(x1.numpy(), x2.numpy())
                np.testing.assert_array_equal(y1.numpy(), y2.numpy())
                assert y1.dtype == y2.dtype


def test_inspect_image_facts(tmp_path):
    img = photo(20, 30)
    facts = folders.inspect_image(save(tmp_path / "r.jpg", img, "JPEG", exif=with_orientation(img, 8)))
    assert facts["format"] == "JPEG" and facts["size"] == (30, 20) and facts["orientation"] == 8
    (tmp_path / "bad.png").write_bytes(os.urandom(50))
    with pytest.raises(ValueError):
        folders.inspect_image(tmp_path / "bad.png")


def test_repair_skips_hidden_folders_inside_a_class(tmp_path):
    save(tmp_path / "f" / "a" / "p.png", photo(seed=1))
    save(tmp_path / "f" / "a" / ".thumbnails" / "p.png", photo(seed=2))
    save(tmp_path / "f" / "b" / "q.png", photo(seed=3))
    report = folder_repair.repair_image_folder(tmp_path / "f", tmp_path / "clean")
    assert sorted(p.relative_to(tmp_path / "clean").as_posix() for p in (tmp_path / "clean").rglob("*")) == \
        ["a", "a/p.png", "b", "b/q.png"]
    assert report["skipped"] == {"hidden or system file": [tmp_path / "f" / "a" / ".thumbnails" / "p.png"]}
