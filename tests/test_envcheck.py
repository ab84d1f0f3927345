"""utils.envcheck: each check passes here, and fails with a plain fix when its part is broken (monkeypatched)."""

import sys
from importlib import metadata

import pytest

from utils import envcheck
from utils.envcheck import Check


def missing(name):
    raise metadata.PackageNotFoundError(name)


def test_read_pins_reads_the_course_requirements():
    pins = envcheck.read_pins()
    assert pins["keras"] == "3.15.1" and pins["tensorflow-cpu"] == "2.21.0" and pins["jupyterlab-rise"]


def test_read_pins_rejects_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="course folder"):
        envcheck.read_pins(tmp_path / "nope.txt")
    bad = tmp_path / "requirements.txt"
    bad.write_text("numpy>=2\n")
    with pytest.raises(ValueError, match="name==version"):
        envcheck.read_pins(bad)
    bad.write_text('numpy==2.4.6\nnumpy==2.4.5; sys_platform == "linux"\n')
    with pytest.raises(ValueError, match="pinned twice"):
        envcheck.read_pins(bad, {"sys_platform": "linux"})
    assert envcheck.read_pins(bad, {"sys_platform": "win32"}) == {"numpy": "2.4.6"}


MACHINES = {"windows": {"sys_platform": "win32", "platform_machine": "AMD64"},
            "macos-arm": {"sys_platform": "darwin", "platform_machine": "arm64"},
            "macos-intel": {"sys_platform": "darwin", "platform_machine": "x86_64"},
            "linux": {"sys_platform": "linux", "platform_machine": "x86_64"},
            "linux-arm": {"sys_platform": "linux", "platform_machine": "aarch64"}}


@pytest.mark.parametrize("kind, tensorflow", [("windows", "tensorflow-cpu"), ("linux", "tensorflow-cpu"),
                                              ("macos-arm", "tensorflow"), ("linux-arm", "tensorflow"),
                                              ("macos-intel", None)])
def test_markers_pick_each_platforms_tensorflow(kind, tensorflow):
    pins = envcheck.read_pins(envcheck.REQUIREMENTS, MACHINES[kind])
    assert [name for name in pins if name.startswith("tensorflow")] == ([tensorflow] if tensorflow else [])
    assert pins["keras"] == "3.15.1"


def test_dev_requirements_follow_the_include():
    dev = envcheck.read_pins(envcheck.COURSE_ROOT / "requirements-dev.txt")
    assert dev["nbval"] and dev["keras"] == "3.15.1"
    assert "nbval" not in envcheck.read_pins()


@pytest.mark.parametrize("kind, command", [("windows", "`py -3.11 -m course env`"), ("linux", "`python3 -m course env`"),
                                           ("macos-arm", "`python3 -m course env`"),
                                           ("colab", "run the lesson's first cell again")])
def test_fix_all_speaks_each_platforms_language(kind, command):
    assert command in envcheck.fix_all(kind)
    assert "make" not in envcheck.fix_all(kind) and ".venv/bin" not in envcheck.fix_all(kind)


@pytest.mark.parametrize("kind, wanted", [("windows", '"tensorflow-cpu==2.21.0" "keras==3.15.1"'),
                                          ("linux", '"tensorflow-cpu==2.21.0" "keras==3.15.1"'),
                                          ("macos-arm", '"tensorflow==2.21.0" "keras==3.15.1"'),
                                          ("linux-arm", '"tensorflow==2.21.0" "keras==3.15.1"'),
                                          ("macos-intel", "Colab or Binder"), ("colab", "Colab provides TensorFlow")])
def test_tensorflow_fix_per_platform(kind, wanted):
    pins = envcheck.read_pins(envcheck.REQUIREMENTS, MACHINES.get(kind))
    assert wanted in envcheck.tensorflow_fix(pins, kind)


def test_colab_checks_the_colab_requirements(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert envcheck.requirements_file().name == "requirements-colab.txt"
    assert "tensorflow" not in " ".join(envcheck.read_pins())


@pytest.mark.parametrize("version, status", [((3, 11, 7), "ok"), ((3, 12, 1), "ok"), ((3, 10, 14), "fail"),
                                             ((3, 13, 0), "fail")])
def test_python_version(version, status):
    check = envcheck.check_python(version)
    assert check.status == status
    assert f"Python {version[0]}.{version[1]}" in check.detail
    if status == "fail":
        assert "-m course lab" in check.fix and "make" not in check.fix


@pytest.mark.parametrize("kind, advice", [("windows", "py -3.11 -m course lab"), ("windows", "winget"),
                                          ("macos-arm", "brew install python@3.11"),
                                          ("linux", "sudo apt install python3.11 python3.11-venv"),
                                          ("macos-intel", "Colab or Binder")])
def test_python_advice_per_platform(kind, advice):
    assert advice in envcheck.check_python((3, 10), kind).fix


def test_package_ok_here():
    assert envcheck.check_package("numpy", metadata.version("numpy")).status == "ok"


def test_missing_package_says_what_to_install(monkeypatch):
    monkeypatch.setattr(envcheck.metadata, "version", missing)
    check = envcheck.check_package("keras", "3.15.1")
    assert check.status == "fail" and "not installed" in check.detail
    assert '%pip install "keras==3.15.1"' in check.fix and "-m course env" in check.fix


def test_other_version_is_a_warning(monkeypatch):
    monkeypatch.setattr(envcheck.metadata, "version", lambda name: "1.0.0")
    check = envcheck.check_package("numpy", "2.4.6")
    assert check.status == "warn" and "numpy 1.0.0" in check.detail and "tested with 2.4.6" in check.detail


def test_installed_but_broken_import_is_a_failure(monkeypatch):
    def broken(name):
        raise ImportError("libGL.so.1: cannot open shared object file\nmore detail")

    monkeypatch.setattr(envcheck.importlib, "import_module", broken)
    check = envcheck.check_package("opencv-python-headless", metadata.version("opencv-python-headless"))
    assert check.status == "fail" and "`import cv2` fails" in check.detail and "libGL.so.1" in check.detail
    assert "more detail" not in check.detail


def test_tools_outside_the_kernel_are_not_imported(monkeypatch):
    def no_import(name):
        raise AssertionError(f"{name} should not be imported")

    monkeypatch.setattr(envcheck.importlib, "import_module", no_import)
    assert envcheck.check_package("jupyterlab", metadata.version("jupyterlab")).status == "ok"
    check = envcheck.check_package("numpy", metadata.version("numpy"))  # a kernel library is imported
    assert check.status == "fail" and "numpy should not be imported" in check.detail


def test_tensorflow_instead_of_tensorflow_cpu_counts(monkeypatch):
    monkeypatch.setattr(envcheck.metadata, "version", lambda name: "2.21.0" if name == "tensorflow" else missing(name))
    assert envcheck.installed_version("tensorflow-cpu") == "2.21.0"
    assert envcheck.installed_version("keras") is None


def test_check_package_rejects_non_strings():
    with pytest.raises(TypeError, match="two strings"):
        envcheck.check_package("numpy", 2.4)


def test_both_opencv_wheels_warn(monkeypatch):
    monkeypatch.setattr(envcheck.metadata, "version", lambda name: "4.14.0.94")
    monkeypatch.setattr(envcheck.importlib, "import_module", lambda name: None)
    checks = envcheck.check_packages({"opencv-python-headless": "4.14.0.94"})
    assert [c.status for c in checks] == ["ok", "warn"]
    assert "uninstall -y opencv-python" in checks[1].fix


def test_tensorflow_works_here():
    check = envcheck.check_tensorflow()
    assert check.status == "ok", check.detail
    assert "TensorFlow 2.21.0" in check.detail and "tensorflow backend" in check.detail


def test_tensorflow_import_failure(monkeypatch):
    def no_tf(name):
        raise ImportError(f"No module named '{name}'")

    monkeypatch.setattr(envcheck.importlib, "import_module", no_tf)
    check = envcheck.check_tensorflow()
    assert check.status == "fail" and "ImportError" in check.detail and "tensorflow-cpu==2.21.0" in check.fix


def test_other_keras_backend_warns(monkeypatch):
    import keras

    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    check = envcheck.check_tensorflow()
    assert check.status == "warn" and "KERAS_BACKEND" in check.fix


def test_opencv_works_here_and_failure_is_explained(monkeypatch):
    assert envcheck.check_opencv().status == "ok"

    def no_libgl(name):
        raise ImportError("libGL.so.1: cannot open shared object file")

    monkeypatch.setattr(envcheck.importlib, "import_module", no_libgl)
    check = envcheck.check_opencv()
    assert check.status == "fail" and "libGL.so.1" in check.detail and "opencv-python-headless" in check.fix


def test_widgets_frontend(monkeypatch, tmp_path):
    assert envcheck.check_widgets().status == "ok"
    monkeypatch.setattr(envcheck, "widgets_frontend_dirs", lambda: [tmp_path])
    check = envcheck.check_widgets()
    assert check.status == "fail" and "frontend" in check.detail and "jupyterlab_widgets" in check.fix


def test_old_ipywidgets_fails(monkeypatch):
    import ipywidgets

    monkeypatch.setattr(ipywidgets, "__version__", "7.8.1")
    check = envcheck.check_widgets()
    assert check.status == "fail" and "needs 8.x" in check.detail


def test_data_dir_writable_and_not(tmp_path):
    assert envcheck.check_data_dir(tmp_path / "new" / "data").status == "ok"
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    check = envcheck.check_data_dir(blocker / "data")
    assert check.status == "fail" and "cannot write" in check.detail and "MUFFIN_DATA_DIR" in check.fix


def test_report_lists_fixes_and_sums_up():
    ok = [Check("numpy", "ok", "numpy 2.4.6"), Check("keras", "ok", "keras 3.15.1"), Check("data", "ok", "data ok")]
    assert envcheck.report(ok) == ["✅ 2 packages from requirements.txt at the pinned versions", "✅ data ok",
                                   "All 3 checks passed: this computer is ready for the course."]
    warn = envcheck.report([*ok, Check("scikit-image", "warn", "old skimage", "upgrade")])
    assert warn[-1].startswith("Ready, with 1 warning(s)") and "   Fix: upgrade" in warn
    bad = envcheck.report([Check("python", "fail", "Python 3.10, but ...", "install 3.11"), *ok])
    assert bad[:2] == ["❌ Python 3.10, but ...", "   Fix: install 3.11"]
    assert bad[-1].startswith("1 problem(s) to fix")
    with pytest.raises(ValueError, match="at least one"):
        envcheck.report([])


def test_check_environment_prints_and_returns_the_verdict(monkeypatch, capsys):
    monkeypatch.setattr(envcheck, "run_checks", lambda pins=None: [Check("data", "fail", "no data", "fix it")])
    assert envcheck.check_environment() is False
    assert "❌ no data" in capsys.readouterr().out


def test_this_environment_passes(capsys):
    assert envcheck.check_environment(), capsys.readouterr().out
    assert sys.version_info[:2] in envcheck.SUPPORTED_PYTHON
