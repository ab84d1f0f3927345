"""Check that this computer can run the course, and say plainly what is missing and how to fix it.

In a notebook: ``from utils.envcheck import check_environment; check_environment()``.
In a terminal, from the course folder: ``python3 -m course check`` (Windows: ``py -3.11 -m course check``), which
runs ``python -m utils.envcheck`` in the course's environment (exit code 1 if something fails).
Pins may carry environment markers (``tensorflow==2.21.0; sys_platform == "darwin"``): only those that hold on this
computer are checked. On Google Colab the check reads ``requirements-colab.txt`` instead of ``requirements.txt``.
"""

import importlib
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from utils.notebook import quiet_tensorflow_env
from utils.paths import COURSE_ROOT, DATA_DIR, relative
from utils.platforms import INTEL_MAC, course_command, install_python_advice, platform_kind

# Quiet TensorFlow's C++ logs before anything imports it (the oneDNN line ignores the log level).
quiet_tensorflow_env()

REQUIREMENTS = COURSE_ROOT / "requirements.txt"
COLAB_REQUIREMENTS = COURSE_ROOT / "requirements-colab.txt"
SUPPORTED_PYTHON = ((3, 11), (3, 12))
# Distributions whose import name differs from the name with "-" replaced by "_".
IMPORT_NAMES = {"tensorflow-cpu": "tensorflow", "opencv-python-headless": "cv2", "scikit-image": "skimage",
                "pillow": "PIL", "pyyaml": "yaml", "websocket-client": "websocket", "scikit-learn": "sklearn"}
# Tools that run outside the notebook kernel (JupyterLab, the test runner): only their version is checked,
# since importing them in a kernel proves nothing and takes seconds.
TOOLS = {"jupyterlab", "jupyterlab-rise", "ipykernel", "nbconvert", "nbformat", "nbclient", "nbval", "pytest", "hypothesis",
         "websocket-client", "psutil", "pyyaml"}
# Distributions that provide the same modules as a pinned one (e.g. macOS has no tensorflow-cpu wheel).
ALTERNATIVES = {"tensorflow-cpu": ("tensorflow",), "opencv-python-headless": ("opencv-python",)}
WIDGETS_FRONTEND = Path("@jupyter-widgets", "jupyterlab-manager", "package.json")
MARKS = {"ok": "✅", "warn": "⚠️", "fail": "❌"}


@dataclass
class Check:
    """One result: ``status`` is ``"ok"``, ``"warn"`` or ``"fail"``; ``fix`` says what to do about it."""

    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Pin:
    """One requirement line: ``name==version``, optionally only where an environment ``marker`` holds."""

    name: str
    version: str
    marker: str = ""

    def applies(self, env=None):
        """True when the marker holds for ``env`` (a dict of marker variables; default: this computer)."""
        if not self.marker:
            return True
        from packaging.markers import Marker

        return Marker(self.marker).evaluate(env or {})


def parse_pins(lines, source="requirements"):
    """The pins in requirement lines (comments and blank lines skipped); anything but ``name==version`` is an error."""
    from packaging.requirements import InvalidRequirement, Requirement

    pins = []
    for line in lines:
        line = line.split("#")[0].strip()
        if not line:
            continue
        try:
            req = Requirement(line)
        except InvalidRequirement:
            req = None
        specs = list(req.specifier) if req else []
        if not req or req.url or req.extras or len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            raise ValueError(f"{source}: expected `name==version` (optionally followed by `; marker`), got {line!r}")
        pins.append(Pin(req.name.lower().replace("_", "-"), specs[0].version, str(req.marker or "")))
    return pins


def read_requirements(path=REQUIREMENTS):
    """Every pin of a requirements file, following ``-r other.txt`` lines (relative to the file)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no requirements file at {path}: run the check from inside the course folder")
    pins, own = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("-r "):
            pins += read_requirements(path.parent / line.strip()[3:].strip())
        else:
            own.append(line)
    return pins + parse_pins(own, path.name)


def requirements_file(kind=None):
    """The requirements file this computer is checked against: requirements-colab.txt on Colab."""
    return COLAB_REQUIREMENTS if (kind or platform_kind()) == "colab" else REQUIREMENTS


def read_pins(path=None, env=None):
    """``{distribution: version}`` of the pins that apply to ``env`` (default: this computer)."""
    path = requirements_file() if path is None else path
    found = {}
    for pin in read_requirements(path):
        if pin.applies(env):
            if pin.name in found:
                raise ValueError(f"{Path(path).name}: {pin.name} is pinned twice for the same platform")
            found[pin.name] = pin.version
    return found


def fix_all(kind=None):
    """The one step that reinstalls everything, in this computer's words."""
    kind = kind or platform_kind()
    if kind == "colab":
        return "run the lesson's first cell again, then *Runtime → Restart session*"
    return f"in a terminal in the course folder run `{course_command('env', kind)}`, then restart the kernel"


def check_python(version=None, kind=None):
    """Python must be 3.11 or 3.12 (what TensorFlow 2.21 and the pinned packages support)."""
    major, minor = tuple(version or sys.version_info)[:2]
    found = f"Python {major}.{minor}"
    if (major, minor) in SUPPORTED_PYTHON:
        return Check("python", "ok", found)
    wanted = " or ".join(f"{a}.{b}" for a, b in SUPPORTED_PYTHON)
    return Check("python", "fail", f"{found}, but the course needs Python {wanted}",
                 install_python_advice(kind or platform_kind()))


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
    install = f'in a notebook cell run `%pip install "{dist}=={pinned}"` (or {fix_all()})'
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
    if len(both) == 2 and platform_kind() != "colab":  # Colab ships both and keeps them in step
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


def tensorflow_fix(pins=None, kind=None):
    """How to install TensorFlow and Keras here: the pins that apply to this computer, or why there are none."""
    kind = kind or platform_kind()
    if kind == "colab":
        return "Colab provides TensorFlow and Keras: *Runtime → Restart session*, then run the lesson again"
    pins = read_pins() if pins is None else pins
    wanted = [f'"{name}=={pins[name]}"' for name in ("tensorflow-cpu", "tensorflow", "keras") if name in pins]
    if not any(w.startswith('"tensorflow') for w in wanted):
        return INTEL_MAC if kind == "macos-intel" else "no TensorFlow wheel is pinned for this computer (README: 'Set-up')"
    return f"in a notebook cell run `%pip install {' '.join(wanted)}` (or {fix_all(kind)})"


def check_tensorflow(pins=None, kind=None):
    """Keras runs on TensorFlow: import both quietly and apply one small convolution."""
    fix = tensorflow_fix(pins, kind)
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
    fix = f'in a notebook cell run `%pip install "opencv-python-headless==4.14.0.94"` (or {fix_all()})'
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
    pins = read_pins() if pins is None else pins
    return [check_python(), *check_packages(pins), check_tensorflow(pins), check_opencv(), check_widgets(),
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
                lines.append(f"{MARKS['ok']} {len(packages_ok)} packages from {requirements_file().name} at the pinned versions")
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
