"""Create or update the course's virtual environment in ``.venv`` (standard library only: it runs before anything
is installed). An install is redone only when the pin files or pyproject.toml change."""

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from utils.platforms import INTEL_MAC, install_python_advice, venv_python

SUPPORTED = ((3, 11), (3, 12))
WINDOWS_LONG_PATHS = ("On Windows, TensorFlow's files have long paths: if pip mentions 'Long Path support', enable it "
                      "(https://pip.pypa.io/warnings/enable-long-paths) or move the course to a short folder such as "
                      "C:\\course, delete `.venv` and run the command again.")
INPUTS = ("requirements.txt", "requirements-dev.txt", "pyproject.toml")
STAMP = ".course-installed"


class SetupError(Exception):
    """Set-up cannot go on; the message says what to do."""


def check_python(kind, version=None):
    """Stop with plain advice unless this is Python 3.11/3.12 on a computer TensorFlow 2.21 supports."""
    if kind == "macos-intel":
        raise SetupError(INTEL_MAC + ".")
    major, minor = tuple(version or sys.version_info)[:2]
    if (major, minor) not in SUPPORTED:
        raise SetupError(f"This is Python {major}.{minor}; the course needs Python 3.11 or 3.12: "
                         f"{install_python_advice(kind)}.")


def fingerprint(root):
    """A hash of what the environment is built from (the pin files and pyproject.toml)."""
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update(name.encode() + b"\0" + (Path(root) / name).read_bytes())
    return digest.hexdigest()


def is_current(venv, kind, root):
    """True when the environment exists and was installed from the current pins."""
    stamp = Path(venv) / STAMP
    return (venv_python(venv, kind).is_file() and stamp.is_file()
            and stamp.read_text(encoding="utf-8").strip() == fingerprint(root))


def write_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file, so a cut-off run leaves no half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def install_commands(python, root):
    """The pip commands that install the pinned packages and then the course package itself."""
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    return [pip + ["--upgrade", "pip"], pip + ["-r", str(Path(root) / "requirements-dev.txt")],
            pip + ["--no-deps", "-e", str(root)]]


def ensure_venv(root, kind, run=subprocess.run):
    """Create ``.venv`` if needed and install the pins if they changed; returns the environment's Python."""
    check_python(kind)
    venv = Path(root) / ".venv"
    python = venv_python(venv, kind)
    if is_current(venv, kind, root):
        return python
    if not python.is_file():
        print(f"Creating the course's Python environment in {venv.name}/ ...", flush=True)
        if run([sys.executable, "-m", "venv", str(venv)]).returncode != 0:
            raise SetupError("`python -m venv` failed. On Debian/Ubuntu install the venv module first: "
                             f"`sudo apt install python3.{sys.version_info[1]}-venv`, then delete `.venv` and try again.")
    print("Installing the pinned packages (about 2.2 GB, a few minutes the first time) ...", flush=True)
    for cmd in install_commands(python, root):
        if run(cmd).returncode != 0:
            hint = f"\n{WINDOWS_LONG_PATHS}" if kind == "windows" else ""
            raise SetupError(f"this step failed: {' '.join(cmd)}\nCheck the network connection to pypi.org and run "
                             f"the command again; the environment check (`-m course check`) says what is missing.{hint}")
    write_atomically(venv / STAMP, fingerprint(root) + "\n")
    return python
