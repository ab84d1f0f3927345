"""Lesson 07's pretrained base, cached on disk: checked by size and checksum, rebuilt automatically when the file
is missing, truncated or was made with other settings, and built in a background process while a lesson runs.

``python -m utils.base_cache`` builds it from a terminal.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from utils.paths import COURSE_ROOT, DATA_DIR, relative
from utils.pretraining import SOURCE_CLASSES, pretrain_base

CACHE_PATH = DATA_DIR / "cache" / "pretrained_base.keras"
DEFAULT_SETTINGS = {"n_images": 3200, "epochs": 10, "size": 64, "seed": 0, "filters": [16, 32, 64], "expand": 256,
                    "stem_stride": 2}
FORMAT_VERSION = 5  # bump when the source task or the base architecture change, so old caches are rebuilt


def _sha256(path):
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _settings(overrides):
    """DEFAULT_SETTINGS updated with ``overrides`` (unknown keys are an error), filters as a list."""
    unknown = set(overrides) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"unknown pretraining settings {sorted(unknown)}; known: {sorted(DEFAULT_SETTINGS)}")
    settings = {**DEFAULT_SETTINGS, **overrides}
    settings["filters"] = [int(f) for f in settings["filters"]]
    return settings


def sidecar_path(path):
    """The JSON file next to a cached base that records its settings and checksum."""
    return Path(path).with_suffix(".json")


def cache_status(path=CACHE_PATH, **overrides):
    """Say whether the cached base at ``path`` is usable: 'ok', 'missing', 'stale' (other settings) or 'corrupt'."""
    path = Path(path)
    settings = _settings(overrides)
    if not path.exists():
        return "missing"
    try:
        meta = json.loads(sidecar_path(path).read_text())
    except (OSError, ValueError):
        return "corrupt"
    if meta.get("settings") != settings or meta.get("format") != FORMAT_VERSION:
        return "stale"
    if path.stat().st_size != meta.get("bytes") or _sha256(path) != meta.get("sha256"):
        return "corrupt"
    return "ok"


def save_base(base, path, settings, accuracy):
    """Write the base and its JSON sidecar atomically (temporary file, then ``os.replace``)."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"the cached base must be a .keras file, got {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".keras", prefix=f".{path.stem}.", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)
    try:
        base.save(tmp)
        meta = {"format": FORMAT_VERSION, "settings": settings, "accuracy": round(float(accuracy), 4),
                "bytes": os.path.getsize(tmp), "sha256": _sha256(tmp), "classes": list(SOURCE_CLASSES)}
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    fd, tmp_json = tempfile.mkstemp(suffix=".json", prefix=f".{path.stem}.", dir=path.parent)
    os.chmod(tmp_json, 0o644)
    with os.fdopen(fd, "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(tmp_json, sidecar_path(path))
    return meta


_BACKGROUND = {}  # cache path -> (process building it, status found when it started)


def start_in_background(path=CACHE_PATH, **overrides):
    """Start building the cached base in another process if it is not usable yet; ``load_base`` waits for it.

    A lesson calls this at the top, so the pretraining runs while the first sections train their models.
    Returns the status found: 'ok' means there is nothing to build.
    """
    path = Path(path).resolve()
    _settings(overrides)  # unknown settings are an error here already
    status = cache_status(path, **overrides)
    running = _BACKGROUND.get(path)
    if status == "ok" or (running is not None and running[0].poll() is None):
        return status
    command = [sys.executable, "-m", "utils.base_cache", str(path), json.dumps(overrides)]
    try:
        process = subprocess.Popen(command, cwd=COURSE_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    except OSError:  # no second process here: load_base will build the base itself
        return status
    _BACKGROUND[path] = (process, status)
    return status


def _wait_for_background(path, timeout=600):
    """Wait for a background build of ``path`` started by ``start_in_background``; return (seconds, status found)."""
    process, status = _BACKGROUND.pop(Path(path).resolve(), (None, None))
    if process is None:
        return 0.0, None
    start = time.perf_counter()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:  # a stuck build: stop it, load_base then builds the base itself
        process.kill()
        process.wait()
    return time.perf_counter() - start, status


def load_base(path=CACHE_PATH, **overrides):
    """Load the cached pretrained base, pretraining and caching it first if it is missing, stale or corrupt.

    Returns ``(base, info)``; ``info`` holds the settings, held-out source accuracy, status found and seconds spent;
    after ``start_in_background`` also ``background_status`` (found then) and ``waited`` (seconds waited for it).
    """
    import keras

    path = Path(path)
    settings = _settings(overrides)
    start = time.perf_counter()
    waited, found = _wait_for_background(path)
    extra = {} if found is None else {"background_status": found, "waited": waited}
    status = cache_status(path, **overrides)
    if status == "ok":
        try:
            base = keras.saving.load_model(path, compile=False)
            meta = json.loads(sidecar_path(path).read_text())
            return base, {**meta, "status": status, "rebuilt": False, "seconds": time.perf_counter() - start, **extra}
        except Exception:  # noqa: BLE001 - any unreadable file is rebuilt rather than crashing the lesson
            status = "corrupt"
    base, accuracy = pretrain_base(**settings)
    meta = save_base(base, path, settings, accuracy)
    return base, {**meta, "status": status, "rebuilt": True, "seconds": time.perf_counter() - start, **extra}


def main(argv=None):
    """Command line: ``python -m utils.base_cache [PATH] [SETTINGS]`` builds the cached base unless it is usable."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m utils.base_cache",
                                     description="Build lesson 07's pretrained base (cached; rebuilt if missing, "
                                                 "truncated or made with other settings).")
    parser.add_argument("path", nargs="?", type=Path, default=CACHE_PATH, help="the .keras file to build or check")
    parser.add_argument("settings", nargs="?", type=json.loads, default={},
                        help=f'JSON of settings to change, e.g. \'{{"epochs": 5}}\'; known: {sorted(DEFAULT_SETTINGS)}')
    args = parser.parse_args(argv)
    if args.path.suffix != ".keras" or not isinstance(args.settings, dict):
        parser.error("path must end in .keras and settings must be a JSON object")
    from utils.notebook import setup

    if hasattr(os, "nice"):
        os.nice(10)  # low priority: as a background build, the lesson's own training gets the cores first
    setup(keras=True)  # the same seeds, determinism and oneDNN as in the lessons, so the base is the same
    _, info = load_base(args.path, **args.settings)
    print(f"{relative(args.path)}: {info['status']}, {'rebuilt' if info['rebuilt'] else 'loaded'} in "
          f"{info['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
