"""Load a folder of photos, one subfolder per class (the Kaggle layout), after checking it says what is wrong.

``scan_image_folder`` lists every problem of a folder in one pass, grouped, each group with what to do;
``check_image_folder`` raises with that list when a problem would break loading. The same code loads the
generated set (``utils.dataset``) and real photos; ``utils.folder_repair`` writes a clean copy of a folder.
"""

import hashlib
from pathlib import Path

import cv2
import numpy as np

from utils import validate
from utils.dataset import GENERATOR, read_manifest

# What keras.utils.image_dataset_from_directory reads; it silently skips every other file.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
OTHER_IMAGE_EXTENSIONS = (".webp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".jfif", ".jpe", ".ppm", ".pgm",
                          ".pbm", ".pnm", ".jp2", ".ico", ".psd", ".dng", ".cr2", ".nef", ".arw", ".svg")
KERAS_FORMATS = ("JPEG", "PNG", "BMP", "GIF", "MPO")
EXTENSIONS_OF = {"JPEG": (".jpg", ".jpeg"), "MPO": (".jpg", ".jpeg"), "PNG": (".png",), "BMP": (".bmp",),
                 "GIF": (".gif",)}
SYSTEM_FILES = ("thumbs.db", "desktop.ini", "manifest.json")
LARGE_PIXELS = 4000 * 4000
TINY_SIDE = 32
WIDE_RATIO = 3.0
MAX_LISTED = 10
REPAIR = "utils.folder_repair.repair_image_folder"

# kind of trouble -> (severity, what to do). "error": loading fails or photos are lost without a word;
# "warning": it loads, but probably not as meant; "converted": the loader handles it; "ignored": skipped, harmless.
TROUBLES = {
    "outside class folders": ("error", "Keras ignores images beside the class folders: move each into its class "
                                       "folder"),
    "empty class": ("error", "a class without photos cannot be learnt: add photos or delete the folder"),
    "unsupported format": ("error", f"Keras skips or cannot decode these: convert them to PNG or JPEG ({REPAIR} "
                                    "converts WebP, TIFF and the like; HEIC/AVIF need a photo app)"),
    "unreadable": ("error", f"damaged, truncated or empty: delete them or get a fresh copy ({REPAIR} skips them)"),
    "hidden image file": ("error", "hidden files with an image name (e.g. macOS ._ files): Keras tries to read them "
                                   "and stops; delete them"),
    "not an image": ("warning", "the loader ignores these: move them out of the class folders"),
    "transparent": ("warning", f"Keras drops transparency (clear areas may turn black); {REPAIR} puts them on "
                               "white, as load_image does"),
    "duplicate": ("warning", "the same file twice: counted twice, and a copy can land in training and validation; "
                             "keep one"),
    "same photo in two classes": ("warning", "one photo with two labels: decide which class it belongs to"),
    "tiny": ("warning", f"smaller than {TINY_SIDE} pixels on a side: too little to learn from; replace them"),
    "wide": ("warning", f"longer than {WIDE_RATIO:g}:1: squeezed out of shape when resized to a square; crop them"),
    "CMYK": ("converted", f"CMYK JPEGs (from print software; valid files): turned into RGB on loading without their "
                          f"colour profile, so colours may shift a little; {REPAIR} saves them as RGB"),
    "EXIF-rotated": ("converted", "phone photos stored sideways with a rotation tag: loaded upright"),
    "16-bit": ("converted", "16 bits per channel: reduced to 8 bits on loading"),
    "palette": ("converted", "palette (indexed-colour) images: turned into RGB on loading"),
    "grayscale": ("converted", "one channel: copied into R, G and B on loading"),
    "animated": ("converted", "animated GIFs: only the first frame is used"),
    "huge": ("converted", f"over {LARGE_PIXELS / 1e6:.0f} megapixels: slow to decode; {REPAIR} shrinks them"),
    "misnamed": ("converted", "the extension does not match the content (e.g. a PNG named .jpg): it loads; rename "
                              "it"),
    "in a subfolder": ("converted", "images in a subfolder of a class folder count for that class"),
    "hidden file": ("ignored", "system files (.DS_Store, Thumbs.db): ignored"),
}
SEVERITY_TITLES = {"error": "ERRORS: loading would fail or lose photos", "warning": "WARNINGS: it loads, but check "
                   "these", "converted": "HANDLED on loading", "ignored": "IGNORED"}


def existing_folder(path):
    """A Path to an existing folder, or a clear error."""
    path = validate.path("folder", path)
    if not path.exists():
        raise FileNotFoundError(
            f"folder {path.name!r} not found: generate the course data with utils.dataset.ensure_dataset() "
            "or download the real photos (see data/README.md)")
    if not path.is_dir():
        raise NotADirectoryError(f"{path.name!r} is a file: pass the folder that holds one subfolder per class")
    return path


def _names(paths, root, limit=MAX_LISTED):
    """A short list of file names relative to ``root`` for messages."""
    shown = [Path(p).relative_to(root).as_posix() for p in paths[:limit]]
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return ", ".join(shown) + more


def is_hidden(path):
    """True for hidden and system files (.DS_Store, ._photo.jpg, Thumbs.db) and hidden folders."""
    return path.name.startswith(".") or path.name.lower() in SYSTEM_FILES


def inspect_image(path):
    """Open one image with Pillow and decode it: a dict of format, mode, size, bits, orientation, frames.

    Raises ValueError if it cannot be read (damaged, truncated, empty or not an image).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            facts = {"format": im.format, "mode": im.mode, "size": im.size, "frames": getattr(im, "n_frames", 1),
                     "orientation": im.getexif().get(0x0112, 1), "transparency": "transparency" in im.info}
            if im.format == "JPEG":
                im.draft("RGB", (256, 256))  # decode at reduced scale (still reads all the data)
            im.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise ValueError(str(err) or type(err).__name__) from None
    facts["bits"] = 16 if facts["mode"].startswith("I;16") or _png_bit_depth(path) == 16 else 8
    return facts


def _png_bit_depth(path):
    """Bits per sample of a PNG file (from its IHDR header), or None for other files."""
    with open(path, "rb") as fh:
        head = fh.read(26)
    return head[24] if len(head) == 26 and head[:8] == b"\x89PNG\r\n\x1a\n" else None


def _image_troubles(path, facts):
    """The kinds of trouble (see TROUBLES) one decoded image has."""
    kinds, mode, (w, h) = [], facts["mode"], facts["size"]
    if facts["format"] not in KERAS_FORMATS:
        return ["unsupported format"]
    if mode == "CMYK":
        kinds.append("CMYK")
    if path.suffix.lower() not in EXTENSIONS_OF[facts["format"]]:
        kinds.append("misnamed")
    if mode in ("L", "LA", "1", "I", "I;16", "I;16B", "I;16L"):
        kinds.append("grayscale")
    if mode in ("P", "PA"):
        kinds.append("palette")
    if mode in ("RGBA", "LA", "PA", "La", "RGBa") or facts["transparency"]:
        kinds.append("transparent")
    if facts["bits"] == 16:
        kinds.append("16-bit")
    if facts["orientation"] not in (None, 1):
        kinds.append("EXIF-rotated")
    if facts["frames"] > 1:
        kinds.append("animated")
    if w * h > LARGE_PIXELS:
        kinds.append("huge")
    if min(w, h) < TINY_SIDE:
        kinds.append("tiny")
    if max(w, h) > WIDE_RATIO * min(w, h):
        kinds.append("wide")
    return kinds


def _generated_files(path):
    """Files listed in the manifest.json of a generated set in ``path`` or its parent (trusted, not decoded)."""
    for root in (path, path.parent):
        manifest = read_manifest(root)
        if isinstance(manifest, dict) and manifest.get("generator") == GENERATOR:
            return {root / name for name in manifest.get("files", {})}
    return set()


def _layout(path, subdirs, loose):
    """Problems of the folder layout itself, as messages."""
    if {p.name for p in subdirs} >= {"train", "test"}:
        raise ValueError(f"{path.name!r} holds train/ and test/ folders: pass one of them, e.g. "
                         f"load_image_folder(path / 'train')")
    if not subdirs:
        hint = f" ({len(loose)} images lie directly in it)" if loose else ""
        return [f"{path.name!r} has no class subfolders{hint}: put the images of each class in its own subfolder, "
                "e.g. chihuahua/ and muffin/"]
    if len(subdirs) == 1:
        return [f"{path.name!r} has a single class folder ({subdirs[0].name}/): a classifier needs at least two, "
                "one subfolder per class"]
    return []


def _class_notes(counts):
    """Warnings about the classes as a whole: very unequal sizes, names that look like one class."""
    notes, sizes = [], [n for n in counts.values() if n]
    if sizes and min(sizes) * 5 < max(sizes):
        notes.append(f"classes very unequal in size ({', '.join(f'{k} {v}' for k, v in counts.items())}): the model "
                     "learns to favour the big one; add photos to the small class or weigh the classes")
    keys = {}
    for name in counts:
        keys.setdefault(name.casefold().strip().replace("_", " ").rstrip("s"), []).append(name)
    notes += [f"class folders {' and '.join(n + '/' for n in names)} look like one class split in two: merge them"
              for names in keys.values() if len(names) > 1]
    return notes


def scan_image_folder(path, decode=True):
    """Look at every file of a folder with one subfolder per class, once; return a report (a dict).

    ``troubles`` maps each kind of trouble (see ``TROUBLES``) to the files that have it; ``layout`` and ``notes``
    hold folder-wide problems; ``files`` {class: [images the loader reads]}; ``counts``; ``text`` says it all,
    grouped, with what to do. ``decode=False`` skips opening files (files of a generated set are never opened).
    """
    path = existing_folder(path)
    subdirs = sorted(p for p in path.iterdir() if p.is_dir() and not is_hidden(p))
    loose = sorted(p for p in path.iterdir() if p.is_file() and not is_hidden(p))
    troubles = {kind: [] for kind in TROUBLES}
    layout = _layout(path, subdirs, loose)
    troubles["outside class folders"] = [p for p in loose if p.suffix.lower() in IMAGE_EXTENSIONS]
    files, seen, trusted = {}, {}, _generated_files(path) if decode else set()
    for sub in subdirs:
        files[sub.name] = []
        for f in sorted(p for p in sub.rglob("*") if p.is_file()):
            kinds = _file_troubles(f, sub, decode and f not in trusted, seen)
            for kind in kinds:
                troubles[kind].append(f)
            if f.suffix.lower() in IMAGE_EXTENSIONS and not is_hidden(f) and "unreadable" not in kinds:
                files[sub.name].append(f)
        if not files[sub.name]:
            troubles["empty class"].append(sub)
    counts = {name: len(fs) for name, fs in files.items()}
    report = {"path": path, "classes": list(files), "counts": counts, "files": files, "layout": layout,
              "notes": _class_notes(counts), "troubles": {k: v for k, v in troubles.items() if v}}
    report["text"] = describe(report)
    return report


def _file_troubles(f, class_dir, decode, seen):
    """The kinds of trouble of one file in a class folder; ``seen`` maps content hashes to earlier files."""
    suffix, kinds = f.suffix.lower(), []
    if f.parent != class_dir:
        kinds.append("in a subfolder")
    if is_hidden(f) or any(is_hidden(p) for p in f.relative_to(class_dir).parents if p != Path(".")):
        return kinds + ["hidden image file" if suffix in IMAGE_EXTENSIONS else "hidden file"]
    if suffix not in IMAGE_EXTENSIONS:
        looks_like_image = suffix in OTHER_IMAGE_EXTENSIONS
        if not looks_like_image and decode:
            try:
                inspect_image(f)
                looks_like_image = True
            except ValueError:
                pass
        return kinds + ["unsupported format" if looks_like_image else "not an image"]
    if not decode:
        return kinds
    data = f.read_bytes()
    digest = hashlib.sha1(data).hexdigest()
    if digest in seen and data:
        kinds.append("duplicate" if seen[digest][1] == class_dir else "same photo in two classes")
    seen.setdefault(digest, (f, class_dir))
    try:
        kinds += _image_troubles(f, inspect_image(f))
    except ValueError:
        kinds.append("unreadable")
    return kinds


def describe(report):
    """The report as text: every problem grouped by kind, most serious first, each with what to do."""
    root, troubles = report["path"], report["troubles"]
    counts = report["counts"]
    lines = [f"{root.name}: {len(counts)} classes, " + ", ".join(f"{k} {v}" for k, v in counts.items())
             + f" ({sum(counts.values())} images)"]
    lines += [f"- {message}" for message in report["layout"]]
    for severity, title in SEVERITY_TITLES.items():
        kinds = [k for k in troubles if TROUBLES[k][0] == severity]
        notes = report["notes"] if severity == "warning" else []
        if not kinds and not notes:
            continue
        lines.append(title)
        for kind in kinds:
            lines.append(f"- {kind} ({len(troubles[kind])}): {_names(troubles[kind], root)}")
            lines.append(f"    what to do: {TROUBLES[kind][1]}")
        lines += [f"- {note}" for note in notes]
    return "\n".join(lines)


def check_image_folder(path, decode=True):
    """``scan_image_folder``, then raise a ValueError listing every problem if any would break loading."""
    report = scan_image_folder(path, decode)
    if report["layout"] or any(TROUBLES[k][0] == "error" for k in report["troubles"]):
        raise ValueError(f"{report['path'].name!r} cannot be loaded as it is. {report['text']}")
    return report


def load_image_folder(path, image_size=(64, 64), batch_size=32, validation_split=None, subset=None, seed=0,
                      label_mode="int", shuffle=True, check=True, verbose=True, **kwargs):
    """Check ``path`` (one subfolder per class), then load it with ``keras.utils.image_dataset_from_directory``.

    Returns ``(dataset, class_names)``; with ``subset="both"`` the dataset is a pair ``(train, validation)``.
    Images come as float32 RGB in 0..255, resized with area averaging, upright (EXIF rotation applied);
    labels follow the sorted folder names.
    """
    path = existing_folder(path)
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
    class_names = list(ds[0].class_names if isinstance(ds, (list, tuple)) else ds.class_names)
    rotated = report["troubles"].get("EXIF-rotated") if check else rotated_files([f for fs in report["files"].values()
                                                                              for f in fs])
    if rotated and not kwargs.get("crop_to_aspect_ratio") and not kwargs.get("pad_to_aspect_ratio"):
        from utils.folder_repair import upright_dataset

        settings = dict(directory=path, image_size=image_size, batch_size=batch_size, label_mode=label_mode, seed=seed,
                        interpolation=kwargs["interpolation"], class_names=class_names)
        if isinstance(ds, (list, tuple)):
            ds = [upright_dataset(ds[0], shuffle=shuffle, **settings), upright_dataset(ds[1], shuffle=False,
                                                                                       **settings)]
        else:
            ds = upright_dataset(ds, shuffle=shuffle, **settings)
    return (tuple(ds) if isinstance(ds, (list, tuple)) else ds), class_names


def rotated_files(paths):
    """The JPEG files among ``paths`` whose EXIF header asks for a rotation (read from headers only)."""
    from PIL import Image

    rotated = []
    for p in paths:
        if p.suffix.lower() in (".jpg", ".jpeg"):
            try:
                with Image.open(p) as im:
                    if im.getexif().get(0x0112, 1) not in (None, 1):
                        rotated.append(p)
            except (OSError, ValueError, SyntaxError):
                pass
    return rotated


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
