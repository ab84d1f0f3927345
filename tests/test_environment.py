"""The pin sets agree (pip, conda, Binder, Colab), and the pinned set resolves to wheels on every platform.

The resolution test asks the package index, without installing anything, whether every pin (and every dependency)
has a wheel for Python 3.11 on macOS arm64, Windows amd64, Linux x86-64 and Linux aarch64. pip evaluates
environment markers for the machine it runs on, even with ``--platform``, so the markers are evaluated here for
each target and pip gets the resulting plain list. It needs the package index (as installing does).
"""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from utils.envcheck import Pin, parse_pins, read_requirements

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "requirements.txt"
DEV = ROOT / "requirements-dev.txt"
PYTHON = "3.11"
GLIBC = 28  # oldest glibc the Linux targets assume (2.28: Debian 10+, Ubuntu 20.04+, RHEL 8+)
# name: (pip --platform tags, environment-marker values of such a machine)
TARGETS = {
    "macOS arm64": (["macosx_13_0_arm64"], {"sys_platform": "darwin", "platform_system": "Darwin",
                                            "platform_machine": "arm64", "os_name": "posix"}),
    "Windows amd64": (["win_amd64"], {"sys_platform": "win32", "platform_system": "Windows",
                                      "platform_machine": "AMD64", "os_name": "nt"}),
    "Linux x86-64": ([f"manylinux_2_{v}_x86_64" for v in range(17, GLIBC + 1)]
                     + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"],
                     {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
                      "os_name": "posix"}),
    "Linux aarch64": ([f"manylinux_2_{v}_aarch64" for v in range(17, GLIBC + 1)] + ["manylinux2014_aarch64"],
                      {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "aarch64",
                       "os_name": "posix"}),
}
MARKER_PYTHON = {"python_version": PYTHON, "python_full_version": f"{PYTHON}.9", "implementation_name": "cpython",
                 "platform_python_implementation": "CPython"}
# What Colab must keep as it is (its TensorFlow and what TensorFlow or the runtime already imported).
COLAB_KEEPS = {"tensorflow", "tensorflow-cpu", "keras", "numpy", "matplotlib", "opencv-python-headless", "ipykernel",
               "jupyterlab", "jupyterlab-rise", "nbconvert", "nbformat", "nbclient", "pillow", "scipy", "packaging"}


def pins_for(target, path=DEV):
    """The ``name==version`` lines of a requirements file that apply to one target platform."""
    env = {**TARGETS[target][1], **MARKER_PYTHON}
    return [f"{p.name}=={p.version}" for p in read_requirements(path) if p.applies(env)]


def test_parsers_accept_markers_and_reject_loose_pins():
    pins = parse_pins(['tensorflow==2.21.0; sys_platform == "darwin"  # macOS', "keras==3.15.1", "# note", ""])
    assert pins == [Pin("tensorflow", "2.21.0", 'sys_platform == "darwin"'), Pin("keras", "3.15.1")]
    for bad in ["numpy>=2", "numpy", "numpy==2.*", "numpy[extra]==2.4.6", "numpy==2.4.6; nonsense =="]:
        with pytest.raises(ValueError, match="name==version"):
            parse_pins([bad])


@pytest.mark.parametrize("target", TARGETS)
def test_each_platform_gets_exactly_one_tensorflow(target):
    names = [line.split("==")[0] for line in pins_for(target)]
    assert len(names) == len(set(names)), f"a package is pinned twice for {target}"
    assert [n for n in names if n.startswith("tensorflow")] == (
        ["tensorflow-cpu"] if target in {"Linux x86-64", "Windows amd64"} else ["tensorflow"])


def test_intel_macs_get_no_tensorflow_pin():
    env = {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "x86_64", **MARKER_PYTHON}
    assert not [p for p in read_requirements(COURSE) if p.name.startswith("tensorflow") and p.applies(env)]


def test_environment_yml_matches_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip: section"
    lines = [line for line in pip_sections[0] if line != "-e ."]
    assert parse_pins(lines, "environment.yml") == read_requirements(DEV), "environment.yml and requirements-dev.txt differ"
    assert "python=3.11" in env["dependencies"], "environment.yml must pin python=3.11"
    assert "-e ." in pip_sections[0], "environment.yml must install the course package itself (-e .)"


def test_dev_requirements_include_the_course_ones():
    assert read_requirements(DEV)[:len(read_requirements(COURSE))] == read_requirements(COURSE)
    assert "-r requirements.txt" in DEV.read_text().splitlines()


def test_binder_installs_the_course_pins_then_the_package():
    binder = ROOT / "binder"
    assert read_requirements(binder / "requirements.txt") == read_requirements(COURSE)
    text = (binder / "requirements.txt").read_text()
    assert "-e" not in text.split() and "-r" not in text.split(), "repo2docker installs this before copying the course"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    post = binder / "postBuild"
    assert post.read_text().startswith("#!/bin/bash") and "pip install --no-cache-dir --no-deps -e ." in post.read_text()
    if sys.platform != "win32":
        assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"


def test_colab_requirements_keep_colab_tensorflow():
    colab = read_requirements(ROOT / "requirements-colab.txt")
    course = {p.name: p.version for p in read_requirements(COURSE)}
    assert colab, "requirements-colab.txt is empty"
    for pin in colab:
        assert pin.name not in COLAB_KEEPS, f"requirements-colab.txt must not replace Colab's {pin.name}"
        assert course.get(pin.name) == pin.version, f"{pin.name}: requirements-colab.txt and requirements.txt differ"


def test_python_version_matches_pyproject():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11' in text


def resolve(target):
    """Ask pip to resolve the target's pins to wheels only, installing nothing; returns (returncode, report, stderr)."""
    tags, _ = TARGETS[target]
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--only-binary=:all:",
           "--python-version", PYTHON, "--implementation", "cp", "--quiet", "--report", "-",
           "--disable-pip-version-check"]
    cmd += [arg for tag in tags for arg in ("--platform", tag)] + pins_for(target)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout) if done.returncode == 0 else {}
    return done.returncode, report, done.stderr


def test_pinned_set_resolves_to_wheels_on_every_platform():
    """pip finds a wheel for every pin and dependency on each target (about 10-40 s: the index is asked four times)."""
    with ThreadPoolExecutor(len(TARGETS)) as pool:
        results = dict(zip(TARGETS, pool.map(resolve, TARGETS)))
    errors = {t: err.strip().splitlines()[-3:] for t, (rc, _, err) in results.items() if rc != 0}
    if errors and all(any("connection" in line.lower() or "network" in line.lower() for line in e)
                      for e in errors.values()):
        pytest.fail(f"this test needs the package index (pypi.org), which did not answer: {errors}")
    assert not errors, f"no wheels for: {errors}"
    for target, (_, report, _) in results.items():
        got = {item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"]
               for item in report["install"]}
        for line in pins_for(target):
            name, version = line.split("==")
            assert got.get(name) == version, f"{target}: pip chose {name} {got.get(name)}, not {version}"
        assert all(item["download_info"]["url"].endswith(".whl") for item in report["install"]), target
