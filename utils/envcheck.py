"""Check that this computer can run the course, and say plainly what is missing and how to fix it.

In a notebook: ``from utils.envcheck import check_environment; check_environment()``.
In a terminal, from the course folder: ``.venv/bin/python -m utils.envcheck`` (exit code 1 if something fails).
"""

import importlib
import re
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from utils.notebook import quiet_tensorflow_env
from utils.paths import COURSE_ROOT, DATA_DIR, relative

# Quiet TensorFlow's C++ logs before anything imports it (the oneDNN line ignores the log level).
quiet_tensorflow_env()

REQUIREMENTS = COURSE_ROOT / "requirements.txt"
SUPPORTED_PYTHON = ((3, 11), (3, 12))
# Distributions whose import name differs from the name with "-" replaced by "_".
IMPORT_NAMES = {"tensorflow-cpu": "tensorflow", "opencv-python-headless": "cv2", "scikit-image": "skimage",
                "pillow": "PIL", "pyyaml": "yaml", "websocket-client": "websocket"}
# Tools that run outside the notebook kernel (JupyterLab, the test runner): only their version is checked,
# since importing them in a kernel proves nothing and takes seconds.
TOOLS = {"jupyterlab", "jupyterlab-rise", "ipykernel", "nbconvert", "nbformat", "nbclient", "nbval", "pytest", "hypothesis",
         "websocket-client"}
# Distributions that provide the same modules as a pinned one (e.g. macOS has no tensorflow-cpu wheel).
ALTERNATIVES = {"tensorflow-cpu": ("tensorflow",), "opencv-python-headless": ("opencv-python",)}
WIDGETS_FRONTEND = Path("@jupyter-widgets", "jupyterlab-manager", "package.json")
FIX_ALL = "in a terminal in the course folder run `make env`, then restart the kernel"
MARKS = {"ok": "✅", "warn": "⚠️", "fail": "❌"}


@dataclass
class Check:
    """One result: ``status`` is ``"ok"``, ``"warn"`` or ``"fail"``; ``fix`` says what to do about it."""

    name: str
    status: str
    detail: str
    fix: str = ""


def read_pins(path=REQUIREMENTS):
    """``{distribution: version}`` from the ``name==version`` lines of a requirements file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no requirements file at {path}: run the check from inside the course folder")
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.]+)", line)
        if not match:
            raise ValueError(f"{path.name}: expected `name==version`, got {line!r}")
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def check_python(version=None):
    """Python must be 3.11 or 3.12 (what TensorFlow 2.21 and the pinned packages support)."""
    major, minor = tuple(version or sys.version_info)[:2]
    found = f"Python {major}.{minor}"
    if (major, minor) in SUPPORTED_PYTHON:
        return Check("python", "ok", found)
    wanted = " or ".join(f"{a}.{b}" for a, b in SUPPORTED_PYTHON)
    return Check("python", "fail", f"{found}, but the course needs Python {wanted}",
                 "install Python 3.11, delete the `.venv` folder and run `make course PYTHON=python3.11`")


def installed_version(dist):
    """Version of an installed distribution (or of an alternative that provides the same modules), else None."""
    for name in (dist, *ALTERNATIVES.get(dist, ())):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def check_package(dist, pinned):
    """The distribution is installed at the pinned version and (unless it is one of the TOOLS) its module imports."""
    if not isinstance(dist, str) or not isinstance(pinned, str):
        raise TypeError(f"check_package expects two strings (name, version), got {dist!r}, {pinned!r}")
    install = f'in a notebook cell run `%pip install "{dist}=={pinned}"` (or {FIX_ALL})'
    version = installed_version(dist)
    if version is None:
        return Check(dist, "fail", f"{dist} is not installed", install)
    module = IMPORT_NAMES.get(dist, dist.replace("-", "_"))
    try:
        if dist not in TOOLS:
            importlib.import_module(module)
    except Exception as err:  # noqa: BLE001 - any import failure is reported the same way
        first_line = (str(err).splitlines() or [""])[0]
        return Check(dist, "fail", f"{dist} {version} is installed but `import {module}` fails: "
                                   f"{type(err).__name__}: {first_line}", install)
    if version != pinned:
        return Check(dist, "warn", f"{dist} {version} is installed; the course is tested with {pinned}", install)
    return Check(dist, "ok", f"{dist} {version}")


def check_packages(pins=None):
    """One check per pinned requirement, plus a warning when both OpenCV variants are installed."""
    pins = read_pins() if pins is None else pins
    checks = [check_package(dist, version) for dist, version in pins.items()]
    both = [d for d in ("opencv-python", "opencv-python-headless") if _has(d)]
    if len(both) == 2:
        checks.append(Check("opencv", "warn", "both opencv-python and opencv-python-headless are installed; "
                            "they overwrite each other's files",
                            '`%pip uninstall -y opencv-python` then `%pip install --force-reinstall '
                            f'"opencv-python-headless=={pins.get("opencv-python-headless", "4.14.0.94")}"`'))
    return checks


def _has(dist):
    """True when a distribution is installed."""
    try:
        metadata.version(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


def check_tensorflow():
    """Keras runs on TensorFlow: import both quietly and apply one small convolution."""
    fix = f'in a notebook cell run `%pip install "tensorflow-cpu==2.21.0" "keras==3.15.1"` (or {FIX_ALL})'
    try:
        import numpy as np

        keras = importlib.import_module("keras")
        tf = importlib.import_module("tensorflow")
        shape = tuple(keras.layers.Conv2D(1, 3)(np.zeros((1, 8, 8, 1), "float32")).shape)
    except Exception as err:  # noqa: BLE001 - report any failure plainly
        return Check("tensorflow", "fail", f"TensorFlow/Keras do not work: {type(err).__name__}: "
                                           f"{(str(err).splitlines() or [''])[0]}", fix)
    if shape != (1, 6, 6, 1):
        return Check("tensorflow", "fail", f"a 3×3 convolution of an 8×8 image gave shape {shape}, not (1, 6, 6, 1)", fix)
    backend = keras.backend.backend()
    detail = f"TensorFlow {tf.__version__} and Keras {keras.__version__} ({backend} backend) run a convolution"
    if backend != "tensorflow":
        return Check("tensorflow", "warn", detail + "; the notebooks are tested with the tensorflow backend",
                     "unset KERAS_BACKEND (or set it to `tensorflow`) and restart the kernel")
    return Check("tensorflow", "ok", detail)


def check_opencv():
    """OpenCV imports and converts an image between colour spaces."""
    fix = f'in a notebook cell run `%pip install "opencv-python-headless==4.14.0.94"` (or {FIX_ALL})'
    try:
        import numpy as np

        cv2 = importlib.import_module("cv2")
        gray = cv2.cvtColor(np.zeros((4, 4, 3), np.uint8), cv2.COLOR_RGB2GRAY)
    except Exception as err:  # noqa: BLE001 - e.g. ImportError: libGL.so.1 with the non-headless wheel
        return Check("opencv", "fail", f"OpenCV does not work: {type(err).__name__}: "
                                       f"{(str(err).splitlines() or [''])[0]}", fix)
    if gray.shape != (4, 4):
        return Check("opencv", "fail", f"OpenCV turned a 4×4 colour image into gray shape {gray.shape}", fix)
    return Check("opencv", "ok", f"OpenCV {cv2.__version__} converts colour images")


def widgets_frontend_dirs():
    """Folders where JupyterLab looks for prebuilt extensions."""
    from jupyter_core.paths import jupyter_path

    return [Path(p) for p in jupyter_path("labextensions")]


def check_widgets():
    """ipywidgets 8 is importable and JupyterLab has its frontend (otherwise sliders show as plain text)."""
    fix = f'in a notebook cell run `%pip install "ipywidgets==8.1.9" "jupyterlab_widgets~=3.0"`, then reload the page'
    try:
        widgets = importlib.import_module("ipywidgets")
    except Exception as err:  # noqa: BLE001
        return Check("widgets", "fail", f"ipywidgets does not import: {type(err).__name__}: {err}", fix)
    if not widgets.__version__.startswith("8."):
        return Check("widgets", "fail", f"ipywidgets {widgets.__version__} is installed; the course needs 8.x", fix)
    if "google.colab" in sys.modules:
        return Check("widgets", "ok", f"ipywidgets {widgets.__version__} (Colab draws the widgets)")
    if not any((d / WIDGETS_FRONTEND).is_file() for d in widgets_frontend_dirs()):
        return Check("widgets", "fail", f"ipywidgets {widgets.__version__} is installed, but JupyterLab's widget "
                                        "frontend (jupyterlab_widgets) is missing", fix)
    return Check("widgets", "ok", f"ipywidgets {widgets.__version__} with its JupyterLab frontend")


def check_data_dir(data_dir=None):
    """The data folder exists (or can be made) and accepts a new file."""
    data_dir = Path(DATA_DIR if data_dir is None else data_dir)
    fix = ("set MUFFIN_DATA_DIR to a folder you can write to before starting JupyterLab "
           "(e.g. `export MUFFIN_DATA_DIR=$HOME/muffin-data`)")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".envcheck-"):
            pass
    except OSError as err:
        return Check("data", "fail", f"cannot write to the data folder {relative(data_dir)}/ "
                                     f"({type(err).__name__}: {err.strerror or err})", fix)
    return Check("data", "ok", f"the data folder {relative(data_dir)}/ is writable")


def run_checks(pins=None):
    """Every check, in the order a student should fix them."""
    return [check_python(), *check_packages(pins), check_tensorflow(), check_opencv(), check_widgets(),
            check_data_dir()]


def report(checks):
    """Plain-language lines: problems with their fixes, passing packages summed up in one line."""
    if not checks:
        raise ValueError("report needs at least one Check")
    lines = []
    packages_ok = [c for c in checks if c.status == "ok" and c.name not in {"python", "tensorflow", "opencv",
                                                                            "widgets", "data"}]
    for check in checks:
        if check in packages_ok:
            if check is packages_ok[0]:
                lines.append(f"{MARKS['ok']} {len(packages_ok)} packages from requirements.txt at the pinned versions")
            continue
        lines.append(f"{MARKS[check.status]} {check.detail}")
        if check.fix:
            lines.append(f"   Fix: {check.fix}")
    failed = sum(c.status == "fail" for c in checks)
    warned = sum(c.status == "warn" for c in checks)
    if failed:
        lines.append(f"{failed} problem(s) to fix before the course works (see 'Fix:' above).")
    elif warned:
        lines.append(f"Ready, with {warned} warning(s): things should work, but the course was tested as pinned.")
    else:
        lines.append(f"All {len(checks)} checks passed: this computer is ready for the course.")
    return lines


def check_environment(pins=None):
    """Run every check, print the report and return True when nothing failed."""
    checks = run_checks(pins)
    print("\n".join(report(checks)))
    return not any(c.status == "fail" for c in checks)


if __name__ == "__main__":
    sys.exit(0 if check_environment() else 1)
