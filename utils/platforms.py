"""Which computer the course runs on, and the plain commands that work there (standard library only).

``python -m course`` (before any package is installed) and ``utils.envcheck`` (in a notebook) both use it, so the
advice a student reads is the same in the terminal and in lesson 00.
"""

import os
import platform
import shutil
import sys
from pathlib import Path

KINDS = ("windows", "macos-arm", "macos-intel", "linux", "linux-arm", "colab")
INTEL_MAC = ("TensorFlow 2.21 and OpenCV 4.14 publish no wheels for Intel Macs (the last are TensorFlow 2.16.2 "
             "and OpenCV 4.12), so the course cannot be installed there: open it on Google Colab or Binder "
             "(links in README.md), or run it in Docker (README: 'Intel Macs')")


def platform_kind(system=None, machine=None, modules=None):
    """One of KINDS for this computer (or for the given ``platform.system()``/``platform.machine()`` values)."""
    modules = sys.modules if modules is None else modules
    if "google.colab" in modules:
        return "colab"
    system = platform.system() if system is None else system
    machine = (platform.machine() if machine is None else machine).lower()
    if system == "Windows":
        return "windows"
    if system == "Darwin":
        return "macos-arm" if machine in {"arm64", "aarch64"} else "macos-intel"
    if system == "Linux":
        return "linux-arm" if machine in {"aarch64", "arm64"} else "linux"
    raise ValueError(f"the course supports Windows, macOS and Linux, not {system!r}")


def python_launcher(kind):
    """How a student starts Python 3.11 in a terminal on this kind of computer."""
    _known(kind)
    return "py -3.11" if kind == "windows" else "python3"


def course_command(action, kind):
    """The terminal command, run in the course folder, that does ``action`` (lab, test, env, …)."""
    return f"{python_launcher(kind)} -m course {action}"


def venv_python(venv, kind):
    """Path of the Python inside a virtual environment (``Scripts\\python.exe`` on Windows, else ``bin/python``)."""
    _known(kind)
    venv = Path(venv)
    return venv / "Scripts" / "python.exe" if kind == "windows" else venv / "bin" / "python"


def install_python_advice(kind):
    """What to do when the Python at hand is not 3.11 or 3.12."""
    _known(kind)
    then = f"delete the `.venv` folder and run `{course_command('lab', kind)}` again"
    if kind == "windows":
        return ("install Python 3.11 from python.org (tick 'Add python.exe to PATH') or with "
                f"`winget install Python.Python.3.11`, then {then}")
    if kind == "macos-intel":
        return INTEL_MAC
    if kind == "macos-arm":
        return ("install Python 3.11 from python.org or with `brew install python@3.11`, then delete the `.venv` "
                "folder and run `python3.11 -m course lab`")
    if kind == "colab":
        return "Colab chooses its own Python: nothing to install (the lessons run on 3.11 and 3.12)"
    return ("install Python 3.11 (Debian/Ubuntu: `sudo apt install python3.11 python3.11-venv`; where your release "
            "has no such package: `uv python install 3.11`), then delete the `.venv` folder and run "
            "`python3.11 -m course lab`")


def browser_candidates(kind, environ=None):
    """Chrome/Chromium/Edge executables to try, in order: names on PATH and the usual install paths."""
    _known(kind)
    environ = os.environ if environ is None else environ
    if kind == "windows":
        roots = [environ.get(k) for k in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")]
        apps = [("Google", "Chrome", "Application", "chrome.exe"), ("Chromium", "Application", "chrome.exe"),
                ("Microsoft", "Edge", "Application", "msedge.exe")]
        return ["chrome", "msedge"] + [str(Path(root, *app)) for app in apps for root in roots if root]
    if kind.startswith("macos"):
        return ["chromium", "google-chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                "/Applications/Chromium.app/Contents/MacOS/Chromium",
                "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"]
    return ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
            "/snap/bin/chromium"]


def find_browser(kind, environ=None, which=shutil.which):
    """Full path of a Chromium-based browser: $CHROMIUM if set (a name or a path, spaces allowed), else the first
    candidate found; None when there is none."""
    environ = os.environ if environ is None else environ
    wanted = environ.get("CHROMIUM", "").strip().strip('"')
    for name in [wanted] if wanted else browser_candidates(kind, environ):
        found = which(name)
        if found:
            return found
    return None


def browser_advice(kind):
    """How to get a browser the slide test can drive."""
    _known(kind)
    if kind == "windows":
        return "install Google Chrome (Edge also works), or set CHROMIUM to the full path of chrome.exe or msedge.exe"
    if kind.startswith("macos"):
        return "install Google Chrome or Chromium (`brew install --cask chromium`), or set CHROMIUM to its path"
    return ("install Chromium (Debian: `sudo apt install chromium`; Ubuntu: `sudo snap install chromium`) or "
            "Google Chrome, or set CHROMIUM to its path")


def _known(kind):
    """Reject a kind that is not one of KINDS."""
    if kind not in KINDS:
        raise ValueError(f"unknown platform kind {kind!r}; expected one of {', '.join(KINDS)}")
