"""Lesson 07's pretrained base, shipped with the course: the lesson's analogue of downloading ImageNet weights.

The course's own script pretrained it on 16,000 drawn pets and bakes (``utils.pets_bakes``; no muffin, no
chihuahua) and committed the weights (``data/pretrained/pets_bakes_base.keras``, about 200 kB) with a JSON sidecar
of the settings, the source task's held-out accuracy and the file's sha256. The lesson loads it in well under a
second; ``check`` refuses a file that is missing, altered or made with other settings, and says how to rebuild it:

    .venv/bin/python -m utils.base_cache            # check the shipped file
    .venv/bin/python -m utils.base_cache --build    # pretrain it again (about 5 minutes on 2 cores) and write it
"""

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from utils import validate
from utils.paths import COURSE_ROOT, relative
from utils.pretraining import SOURCE_CLASSES, pretrain_base

SHIPPED = COURSE_ROOT / "data" / "pretrained" / "pets_bakes_base.keras"
SETTINGS = {"n_images": 16000, "epochs": 15, "size": 64, "seed": 0, "filters": [16, 32, 64], "expand": 256,
            "stem_stride": 2, "val_images": 800}
FORMAT_VERSION = 6  # bump when the source task or the base architecture change
BUILD_COMMAND = ".venv/bin/python -m utils.base_cache --build"


class BaseFileError(RuntimeError):
    """The pretrained base's file is missing, altered or was made with other settings."""


def sidecar_path(path):
    """The JSON file next to a base that records its settings and checksum."""
    return Path(path).with_suffix(".json")


def _sha256(path):
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def problem(path=SHIPPED, settings=None):
    """What is wrong with the base at ``path`` (a sentence), or None when it is the one ``settings`` make."""
    path, settings = validate.path("path of the pretrained base", path), SETTINGS if settings is None else settings
    if not path.exists():
        return f"{relative(path)} is missing"
    try:
        meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"its sidecar {relative(sidecar_path(path))} is missing or not JSON"
    if meta.get("format") != FORMAT_VERSION or meta.get("settings") != settings:
        return (f"{relative(path)} was made with other settings (format {meta.get('format')}, {meta.get('settings')}) "
                f"than the code's (format {FORMAT_VERSION}, {settings})")
    if path.stat().st_size != meta.get("bytes") or _sha256(path) != meta.get("sha256"):
        return f"{relative(path)} is not the file its sidecar describes (size or sha256 differ): truncated or altered"
    return None


def check(path=SHIPPED, settings=None):
    """Raise ``BaseFileError`` saying what is wrong and how to rebuild, unless the base at ``path`` is intact."""
    found = problem(path, settings)
    if found:
        raise BaseFileError(f"The pretrained base cannot be used: {found}. Rebuild it from the course folder with "
                            f"`{BUILD_COMMAND}` (about 5 minutes on 2 cores), or restore it with "
                            f"`git checkout -- data/pretrained`.")
    return json.loads(sidecar_path(path).read_text(encoding="utf-8"))


def load_base(path=SHIPPED, settings=None):
    """Load the pretrained base after ``check``; returns ``(base, info)`` with the sidecar's settings and accuracy."""
    meta = check(path, settings)
    import keras

    try:
        base = keras.saving.load_model(path, compile=False)
    except Exception as error:  # noqa: BLE001 - any unreadable file gets the same advice
        raise BaseFileError(f"Keras cannot read {relative(path)} ({type(error).__name__}: {error}). Rebuild it with "
                            f"`{BUILD_COMMAND}`.") from error
    return base, meta


def _write_atomically(path, write):
    """Call ``write(temporary path)`` next to ``path``, then rename it into place (no half-written file)."""
    fd, tmp = tempfile.mkstemp(suffix=path.suffix, prefix=f".{path.stem}.", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_base(base, path, settings, accuracy, seconds=None):
    """Write the base and its JSON sidecar (settings, source accuracy, size, sha256), each atomically."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"the base must be a .keras file, got {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, base.save)
    import keras

    meta = {"format": FORMAT_VERSION, "settings": settings, "source_accuracy": round(float(accuracy), 4),
            "classes": list(SOURCE_CLASSES), "bytes": path.stat().st_size, "sha256": _sha256(path),
            "keras": keras.__version__, "command": BUILD_COMMAND}
    if seconds is not None:
        meta["build_seconds"] = round(float(seconds))
    text = json.dumps(meta, indent=1) + "\n"
    _write_atomically(sidecar_path(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return meta


def build(path=SHIPPED, settings=None):
    """Pretrain the base with ``settings`` (default ``SETTINGS``) and write it to ``path``; returns the sidecar."""
    settings = dict(SETTINGS if settings is None else settings)
    start = time.perf_counter()
    base, accuracy = pretrain_base(**settings)
    return save_base(base, path, settings, accuracy, time.perf_counter() - start)


def main(argv=None):
    """Command line: check the shipped base, or ``--build`` it again."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m utils.base_cache", description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="pretrain the base again and write it with its sidecar")
    parser.add_argument("--path", type=Path, default=SHIPPED, help="the .keras file (default: the shipped one)")
    args = parser.parse_args(argv)
    if args.path.suffix != ".keras":
        parser.error("--path must end in .keras")
    if not args.build:
        try:
            meta = check(args.path)
        except BaseFileError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"{relative(args.path)}: intact (sha256 {meta['sha256'][:12]}…), source accuracy "
              f"{meta['source_accuracy']:.1%} on {len(meta['classes'])} pets and bakes")
        return 0
    from utils.notebook import setup

    setup(keras=True)  # the lessons' seeds, determinism and oneDNN
    meta = build(args.path)
    print(f"{relative(args.path)}: built in {meta['build_seconds']} s, source accuracy {meta['source_accuracy']:.1%}, "
          f"sha256 {meta['sha256'][:12]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
