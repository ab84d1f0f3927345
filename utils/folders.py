"""Load a folder of photos, one subfolder per class (the Kaggle layout), after checking it says what is wrong.

The same code loads the generated set (``utils.dataset``) and the real Kaggle muffin-vs-chihuahua photos.
"""

import os
from pathlib import Path

import cv2
import numpy as np

from utils import validate
from utils.dataset import GENERATOR, read_manifest

# What keras.utils.image_dataset_from_directory reads; it silently skips every other file.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
OTHER_IMAGE_EXTENSIONS = (".webp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".jfif", ".ppm", ".pgm")
IGNORED_NAMES = ("thumbs.db", "desktop.ini", "manifest.json")
LARGE_PIXELS = 4000 * 4000
MAX_LISTED = 5


def _as_folder(path):
    """A Path to an existing folder, or a clear error."""
    path = validate.path("folder", path)
    if not path.exists():
        raise FileNotFoundError(
            f"folder {path.name!r} not found: generate the course data with utils.dataset.ensure_dataset() "
            "or download the real photos (see data/README.md)")
    if not path.is_dir():
        raise NotADirectoryError(f"{path.name!r} is a file: pass the folder that holds one subfolder per class")
    return path


def _names(paths, root):
    """A short list of file names relative to ``root`` for error messages."""
    shown = [Path(p).relative_to(root).as_posix() for p in paths[:MAX_LISTED]]
    more = f" and {len(paths) - MAX_LISTED} more" if len(paths) > MAX_LISTED else ""
    return ", ".join(shown) + more


def _is_hidden(path):
    return path.name.startswith(".") or path.name.lower() in IGNORED_NAMES


def _inspect(path):
    """Open one image header and pixels with Pillow: returns (width, height, mode) or raises ValueError."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            mode, (w, h) = im.mode, im.size
            im.draft("RGB", (256, 256))  # JPEG: decode at reduced scale (still reads all the data)
            im.load()
            fmt = im.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ValueError(str(err)) from None
    if fmt not in ("JPEG", "PNG", "BMP", "GIF", "MPO"):
        raise ValueError(f"its content is {fmt}, which Keras cannot decode")
    if mode == "CMYK":
        raise ValueError("it is a CMYK JPEG, which Keras cannot decode")
    return w, h, mode


def _png_bit_depth(path):
    """Bits per sample of a PNG file (from its IHDR header), or None for other files."""
    with open(path, "rb") as fh:
        head = fh.read(26)
    return head[24] if len(head) == 26 and head[:8] == b"\x89PNG\r\n\x1a\n" else None


def _generated_files(path):
    """Files listed in the manifest.json of a generated set in ``path`` or its parent (trusted, not decoded)."""
    for root in (path, path.parent):
        manifest = read_manifest(root)
        if isinstance(manifest, dict) and manifest.get("generator") == GENERATOR:
            return {root / name for name in manifest.get("files", {})}
    return set()


def check_image_folder(path, decode=True):
    """Check a folder with one subfolder of images per class; return a report or raise a clear error.

    The report is a dict: ``classes``, ``counts`` {class: n}, ``files`` {class: [paths]}, ``converted``
    {"grayscale"|"alpha"|"16-bit"|"large": [paths]} and a printable ``summary``. ``decode=False`` skips opening files
    (files listed in the manifest of a generated set are never opened).
    """
    path = _as_folder(path)
    subdirs = sorted(p for p in path.iterdir() if p.is_dir() and not _is_hidden(p))
    loose = [p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS]
    if {p.name for p in subdirs} >= {"train", "test"}:
        raise ValueError(f"{path.name!r} holds train/ and test/ folders: pass one of them, e.g. "
                         f"load_image_folder(path / 'train')")
    if not subdirs:
        hint = f" ({len(loose)} images lie directly in it)" if loose else ""
        raise ValueError(f"{path.name!r} has no class subfolders{hint}: put the images of each class in its own "
                         "subfolder, e.g. chihuahua/ and muffin/")
    files, unsupported, other = {}, [], []
    for sub in subdirs:
        found = sorted(p for p in sub.rglob("*") if p.is_file() and not _is_hidden(p))
        files[sub.name] = [p for p in found if p.suffix.lower() in IMAGE_EXTENSIONS]
        unsupported += [p for p in found if p.suffix.lower() in OTHER_IMAGE_EXTENSIONS]
        other += [p for p in found if p.suffix.lower() not in IMAGE_EXTENSIONS + OTHER_IMAGE_EXTENSIONS]
    if unsupported:
        raise ValueError(f"Keras reads only JPEG, PNG, BMP and GIF files; convert these to PNG or JPEG: "
                         f"{_names(unsupported, path)}")
    if other:
        raise ValueError(f"these files are not images: {_names(other, path)}; move them out of the class folders")
    if len(files) < 2:
        raise ValueError(f"{path.name!r} has a single class folder ({subdirs[0].name}/): a classifier needs at "
                         "least two, one subfolder per class")
    empty = [name for name, fs in files.items() if not fs]
    if empty:
        raise ValueError(f"class folder(s) {', '.join(e + '/' for e in empty)} in {path.name!r} hold no images: "
                         "add images or remove the folder")
    converted = {"grayscale": [], "alpha": [], "16-bit": [], "large": []}
    if decode:
        bad, trusted = [], _generated_files(path)
        for fs in files.values():
            for f in fs:
                if f in trusted:
                    continue
                try:
                    w, h, mode = _inspect(f)
                except ValueError as err:
                    bad.append((f, str(err)))
                    continue
                if mode in ("L", "LA", "1", "I", "I;16", "I;16B"):
                    converted["grayscale"].append(f)
                if mode in ("RGBA", "LA", "PA"):
                    converted["alpha"].append(f)
                if _png_bit_depth(f) == 16:
                    converted["16-bit"].append(f)
                if w * h > LARGE_PIXELS:
                    converted["large"].append(f)
        if bad:
            first = bad[0][1]
            raise ValueError(f"{len(bad)} file(s) cannot be read as images (corrupt or truncated): "
                             f"{_names([b[0] for b in bad], path)}. First problem: {first}. Delete or replace them.")
    counts = {name: len(fs) for name, fs in files.items()}
    summary = f"{path.name}: {len(counts)} classes, " + ", ".join(f"{k} {v}" for k, v in counts.items())
    summary += f" ({sum(counts.values())} images)"
    notes = [f"{len(v)} {k}" for k, v in converted.items() if v]
    if notes:
        summary += "; converted on loading: " + ", ".join(notes)
    return {"path": path, "classes": list(files), "counts": counts, "files": files, "converted": converted,
            "summary": summary}


def load_image_folder(path, image_size=(64, 64), batch_size=32, validation_split=None, subset=None, seed=0,
                      label_mode="int", shuffle=True, check=True, verbose=True, **kwargs):
    """Check ``path`` (one subfolder per class), then load it with ``keras.utils.image_dataset_from_directory``.

    Returns ``(dataset, class_names)``; with ``subset="both"`` the dataset is a pair ``(train, validation)``.
    Images come as float32 RGB in 0..255, resized with area averaging; labels follow the sorted folder names.
    """
    path = _as_folder(path)
    image_size = validate.int_pair("image_size", image_size, 1, 4096)
    if batch_size is not None:  # None: single images
        batch_size = validate.positive_int("batch_size", batch_size)
    if validation_split is not None:
        if not isinstance(validation_split, float) or not 0 < validation_split < 1:
            raise ValueError(f"validation_split must be a float between 0 and 1, e.g. 0.2, got {validation_split!r}")
        if subset not in ("training", "validation", "both"):
            raise ValueError(f"with validation_split, set subset to 'training', 'validation' or 'both', "
                             f"got {subset!r}")
    elif subset is not None:
        raise ValueError(f"subset={subset!r} needs validation_split (e.g. validation_split=0.2)")
    validate.one_of("label_mode", label_mode, ("int", "binary", "categorical", None))
    report = check_image_folder(path, decode=check)
    if label_mode == "binary" and len(report["classes"]) != 2:
        raise ValueError(f"label_mode='binary' needs exactly 2 classes, found {report['classes']}")
    import keras

    kwargs.setdefault("interpolation", "area")
    ds = keras.utils.image_dataset_from_directory(
        str(path), label_mode=label_mode, image_size=image_size, batch_size=batch_size, shuffle=shuffle,
        seed=seed, validation_split=validation_split, subset=subset, verbose=verbose, **kwargs)
    class_names = ds[0].class_names if isinstance(ds, (list, tuple)) else ds.class_names
    return (tuple(ds) if isinstance(ds, (list, tuple)) else ds), list(class_names)


def load_image(path, size=(64, 64), dtype="float32"):
    """Read one photo as an RGB array (size given as int or (height, width); None keeps it) for classifying it.

    Handles JPEG/PNG/BMP/TIFF/WebP, grayscale, transparency (put on white), 16-bit and EXIF rotation;
    ``dtype`` "float32" gives 0..255 floats like the folder loader, "uint8" gives bytes.
    """
    path = validate.path("image file", path)
    if not path.is_file():
        raise FileNotFoundError(f"image file {path.name!r} not found: check the name and folder")
    validate.one_of("dtype", dtype, ("float32", "uint8"))
    size = None if size is None else validate.int_pair("size", size, 1, 4096)
    buf = np.fromfile(path, np.uint8)
    raw = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED) if buf.size else None
    if raw is None:
        raise ValueError(f"{path.name!r} is not an image OpenCV can read (corrupt, empty or another format): "
                         "save it as JPEG or PNG")
    if raw.ndim == 3 and raw.shape[2] == 4:  # transparency: composite over white
        alpha = raw[..., 3:].astype(np.float32) / (65535 if raw.dtype == np.uint16 else 255)
        white = 65535 if raw.dtype == np.uint16 else 255
        img = raw[..., :3].astype(np.float32) * alpha + white * (1 - alpha)
        img = img.astype(raw.dtype)
    else:  # decode again with EXIF orientation applied, gray -> 3 channels, keeping 16 bits
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR | cv2.IMREAD_ANYDEPTH)
    if img.dtype == np.uint16:
        img = (img.astype(np.float32) / 257).round().astype(np.uint8)
    elif img.dtype != np.uint8:
        img = np.clip(img, 0, 255).astype(np.uint8)
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    if size is not None and img.shape[:2] != size:
        h, w = size
        shrink = h < img.shape[0] or w < img.shape[1]
        img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
    return img.astype(np.float32) if dtype == "float32" else img
