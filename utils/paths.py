"""Where the course keeps its files, relative to the course folder."""

import os
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("MUFFIN_DATA_DIR", COURSE_ROOT / "data"))


def relative(path):
    """Show ``path`` relative to the course folder (for printing without absolute paths)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"relative() expects a path (str or pathlib.Path), got {type(path).__name__}")
    path = Path(path).resolve()
    try:
        return path.relative_to(COURSE_ROOT).as_posix()
    except ValueError:
        return path.name
