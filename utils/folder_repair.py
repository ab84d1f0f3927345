"""Repairs for photo folders: a clean copy on disk, and upright loading of phone photos with an EXIF rotation.

``repair_image_folder(src, dst)`` writes a copy of a class-per-folder photo folder that the course loader reads
without complaint: WebP, TIFF, CMYK, 16-bit, palette, transparent and EXIF-rotated photos become plain 8-bit
RGB files; what cannot be read is listed and skipped. The originals are only read. ``upright_dataset`` is what
``utils.folders.load_image_folder`` uses to turn EXIF-rotated photos upright while loading.
"""

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np

from utils import validate
from utils.folders import (IMAGE_EXTENSIONS, LARGE_PIXELS, OTHER_IMAGE_EXTENSIONS, existing_folder, is_hidden,
                           inspect_image)

KEPT_AS_IS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "BMP": (".bmp",)}  # plain files are copied byte for byte
JPEG_QUALITY = 95


def _plain(path, facts):
    """True when a file can be copied unchanged: a still 8-bit RGB or grayscale JPEG/PNG/BMP, named for its format."""
    return (facts["format"] in KEPT_AS_IS and path.suffix.lower() in KEPT_AS_IS[facts["format"]]
            and facts["mode"] in ("RGB", "L") and facts["bits"] == 8 and facts["orientation"] in (None, 1)
            and not facts["transparency"] and facts["size"][0] * facts["size"][1] <= LARGE_PIXELS)


def to_rgb8(path):
    """Open an image with Pillow as upright 8-bit RGB: EXIF rotation applied, 16-bit scaled, CMYK and palette
    converted, transparency put on white, first frame of an animation, shrunk to at most LARGE_PIXELS."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.seek(0)
        im = ImageOps.exif_transpose(im)
        if im.mode.startswith("I;16") or im.mode == "I":
            arr = np.asarray(im, dtype=np.float64)
            peak = 65535.0 if arr.max() > 255 or im.mode.startswith("I;16") else 255.0
            im = Image.fromarray(np.clip(np.rint(arr / peak * 255), 0, 255).astype(np.uint8), "L")
        if im.mode == "P" or im.mode == "PA":
            im = im.convert("RGBA")
        if im.mode in ("RGBA", "LA", "La", "RGBa"):
            im = im.convert("RGBA")
            white = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(white, im)
        im = im.convert("RGB")
        if im.size[0] * im.size[1] > LARGE_PIXELS:
            scale = (LARGE_PIXELS / (im.size[0] * im.size[1])) ** 0.5
            im = im.resize((max(1, int(im.size[0] * scale)), max(1, int(im.size[1] * scale))), Image.Resampling.BOX)
        return im.copy()


def _target(out_dir, stem, suffix, taken):
    """A file name in ``out_dir`` for ``stem`` + ``suffix`` that no other repaired file uses."""
    name, n = f"{stem}{suffix}", 1
    while (out_dir / name).as_posix().lower() in taken:
        n += 1
        name = f"{stem}_{n}{suffix}"
    taken.add((out_dir / name).as_posix().lower())
    return out_dir / name


def _class_folders(src):
    """(split name or "", class folder) pairs of ``src``: its class folders, or those of its train/ and test/."""
    subdirs = sorted(p for p in src.iterdir() if p.is_dir() and not is_hidden(p))
    names = {p.name for p in subdirs}
    if names >= {"train", "test"}:
        return [(split.name, c) for split in subdirs if split.name in ("train", "test")
                for c in sorted(p for p in split.iterdir() if p.is_dir() and not is_hidden(p))]
    return [("", c) for c in subdirs]


def _repair_file(f, class_dir, out_dir, taken, seen):
    """Write the repaired copy of one file into ``out_dir``; returns (what happened, detail)."""
    if is_hidden(f) or any(is_hidden(p) for p in f.relative_to(class_dir).parents if p != Path(".")):
        return "skipped: hidden or system file", None
    suffix = f.suffix.lower()
    try:
        facts = inspect_image(f)
    except ValueError as err:
        kind = "not an image" if suffix not in IMAGE_EXTENSIONS + OTHER_IMAGE_EXTENSIONS else "unreadable"
        return f"skipped: {kind}", str(err)
    data = f.read_bytes()
    digest = hashlib.sha1(data).hexdigest()
    if digest in seen:
        return "skipped: duplicate", seen[digest]
    seen[digest] = f
    out_dir.mkdir(parents=True, exist_ok=True)
    if _plain(f, facts):
        shutil.copyfile(f, _target(out_dir, f.stem, suffix, taken))
        return "copied", None
    img = to_rgb8(f)
    jpeg = facts["format"] in ("JPEG", "MPO")
    target = _target(out_dir, f.stem, ".jpg" if jpeg else ".png", taken)
    img.save(target, "JPEG", quality=JPEG_QUALITY) if jpeg else img.save(target, "PNG")
    reasons = [facts["format"] if facts["format"] not in KEPT_AS_IS else None, facts["mode"] if facts["mode"] not in
               ("RGB", "L") else None, "16-bit" if facts["bits"] == 16 else None,
               "EXIF-rotated" if facts["orientation"] not in (None, 1) else None,
               "huge" if facts["size"][0] * facts["size"][1] > LARGE_PIXELS else None]
    return "converted", ", ".join(r for r in reasons if r) or "renamed"


def repair_image_folder(src, dst):
    """Write a clean copy of photo folder ``src`` to the new folder ``dst`` and return a report (a dict).

    Plain JPEG/PNG/BMP files are copied unchanged; other readable images are saved as 8-bit RGB (JPEG stays JPEG,
    the rest becomes PNG); unreadable, hidden and non-image files, and second copies of a file within a class, are
    skipped (the same photo in two classes is kept: which label is right is yours to decide). Images lying beside
    the class folders are skipped (their class is unknown). Nothing is written into ``src``; ``dst`` appears only
    when complete. The report: ``copied``, ``converted`` {file: why}, ``skipped`` {reason: [files]}, ``text``.
    """
    src = existing_folder(src)
    dst = validate.path("dst", dst)
    if dst.exists():
        raise FileExistsError(f"{dst.name!r} already exists: repair_image_folder writes a new folder; choose "
                              "another name or delete it first")
    if dst.resolve().is_relative_to(src.resolve()):
        raise ValueError(f"dst must lie outside {src.name!r}, or the copy would land among the photos it repairs")
    folders = _class_folders(src)
    if not folders:
        raise ValueError(f"{src.name!r} has no class subfolders: put the images of each class in its own "
                         "subfolder (e.g. chihuahua/, muffin/), then repair")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.parent / f".{dst.name}.repair-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    report = {"source": src, "path": dst, "copied": 0, "converted": {}, "skipped": {}}
    try:
        for split, class_dir in folders:
            taken, seen = set(), {}
            for f in sorted(p for p in class_dir.rglob("*") if p.is_file()):
                out_dir = tmp / split / class_dir.name / f.parent.relative_to(class_dir)
                what, detail = _repair_file(f, class_dir, out_dir, taken, seen)
                if what == "copied":
                    report["copied"] += 1
                elif what == "converted":
                    report["converted"][f] = detail
                else:
                    report["skipped"].setdefault(what.split(": ", 1)[1], []).append(f)
        loose = [p for p in src.iterdir() if p.is_file() and not is_hidden(p)]
        if loose:
            report["skipped"]["outside class folders"] = sorted(loose)
        os.rename(tmp, dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report["text"] = _describe(report)
    return report


def _describe(report):
    """The repair report as text."""
    src = report["source"]
    lines = [f"{report['path'].name}: {report['copied']} copied unchanged, {len(report['converted'])} converted, "
             f"{sum(len(v) for v in report['skipped'].values())} skipped"]
    lines += [f"- converted {f.relative_to(src).as_posix()} ({why})" for f, why in report["converted"].items()]
    lines += [f"- skipped ({reason}): {', '.join(f.relative_to(src).as_posix() for f in files)}"
              for reason, files in report["skipped"].items()]
    return "\n".join(lines)


def upright_dataset(ds, directory, image_size, batch_size, label_mode, seed, interpolation, class_names, shuffle):
    """The images of a Keras folder dataset decoded again with their EXIF rotation applied, in the same order.

    ``ds`` comes from ``keras.utils.image_dataset_from_directory(directory, ...)``; its ``file_paths`` are read
    again with the same steps (shuffle buffer and seed, decoding, resizing, batching), plus the rotation.
    """
    import tensorflow as tf

    from utils.folders import rotated_files

    paths = list(ds.file_paths)
    rotated = {str(p) for p in rotated_files([Path(p) for p in paths])}
    orientation = [_orientation(p) if p in rotated else 1 for p in paths]
    labels = [class_names.index(Path(p).relative_to(directory).parts[0]) for p in paths]
    items = tf.data.Dataset.from_tensor_slices((paths, orientation))
    if label_mode:
        values = {"int": np.array(labels, "int32"), "binary": np.array(labels, "float32")[:, None],
                  "categorical": np.eye(len(class_names), dtype="float32")[labels]}[label_mode]
        items = tf.data.Dataset.zip((items, tf.data.Dataset.from_tensor_slices(values)))
    if shuffle:
        items = items.shuffle(buffer_size=batch_size * 8 if batch_size else 1024, seed=seed)

    def load(path, turn):
        img = tf.image.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
        img = tf.switch_case(turn - 1, [lambda: img, lambda: tf.image.flip_left_right(img),
                                        lambda: tf.image.rot90(img, 2), lambda: tf.image.flip_up_down(img),
                                        lambda: tf.image.transpose(img), lambda: tf.image.rot90(img, 3),
                                        lambda: tf.image.rot90(tf.image.transpose(img), 2),
                                        lambda: tf.image.rot90(img, 1)])  # EXIF codes 1-8; rot90 turns left
        img = tf.image.resize(img, image_size, method=interpolation)
        img.set_shape((*image_size, 3))
        return img

    items = items.map((lambda item, label: (load(*item), label)) if label_mode else (lambda p, t: load(p, t)),
                      num_parallel_calls=tf.data.AUTOTUNE)
    if batch_size is not None:
        items = items.batch(batch_size)
    items = items.prefetch(tf.data.AUTOTUNE)
    items.class_names, items.file_paths = class_names, paths
    return items


def _orientation(path):
    """The EXIF orientation code (1–8) of a file, 1 when it has none."""
    from PIL import Image

    with Image.open(path) as im:
        value = im.getexif().get(0x0112, 1)
    return value if value in range(1, 9) else 1
