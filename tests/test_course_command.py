"""The course command (`python -m course ...`): standard library only, the same on every platform, set-up only when
the pins change, and `lab` serves the lessons. Nothing here assumes POSIX; no test installs anything."""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from course import environment, helpers
from course.__main__ import lab_command, parse_args, tool_command
from course.environment import SetupError

ROOT = Path(__file__).resolve().parents[1]


def recorder(make_python=None):
    """A fake subprocess.run that records commands (and, for `-m venv`, creates the venv's python file)."""
    calls = []

    def run(cmd, **kwargs):
        calls.append([str(c) for c in cmd])
        if make_python and cmd[1:3] == ["-m", "venv"]:
            make_python.parent.mkdir(parents=True)
            make_python.write_text("")
        return SimpleNamespace(returncode=0)

    return run, calls


def course_copy(tmp_path):
    """A folder with the files set-up reads (the pins and pyproject.toml)."""
    for name in environment.INPUTS:
        shutil.copyfile(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_command_needs_only_the_standard_library():
    done = subprocess.run([sys.executable, "-S", "-m", "course", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "python3 -m course lab" in done.stdout and "py -3.11 -m course lab" in done.stdout


@pytest.mark.parametrize("kind, python", [("windows", Path(".venv", "Scripts", "python.exe")),
                                          ("linux", Path(".venv", "bin", "python"))])
def test_set_up_installs_once_and_again_when_the_pins_change(tmp_path, kind, python):
    root = course_copy(tmp_path)
    run, calls = recorder(make_python=root / python)
    assert environment.ensure_venv(root, kind, run) == root / python
    assert calls[0][1:3] == ["-m", "venv"] and len(calls) == 4
    assert calls[2][-2:] == ["-r", str(root / "requirements-dev.txt")] and calls[3][-3:] == ["--no-deps", "-e", str(root)]
    calls.clear()
    environment.ensure_venv(root, kind, run)
    assert calls == [], "nothing changed, so nothing should be installed"
    (root / "requirements.txt").write_text((root / "requirements.txt").read_text() + "tqdm==4.67.1\n")
    environment.ensure_venv(root, kind, run)
    assert len(calls) == 3 and calls[0][-2:] == ["--upgrade", "pip"], "changed pins reinstall (no new venv)"


def test_a_failed_install_leaves_no_stamp(tmp_path):
    root = course_copy(tmp_path)
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").write_text("")
    failing = lambda cmd, **kw: SimpleNamespace(returncode=1)  # noqa: E731
    with pytest.raises(SetupError, match="network connection to pypi.org") as err:
        environment.ensure_venv(root, "linux", failing)
    assert not (root / ".venv" / environment.STAMP).exists() and "Long Path" not in str(err.value)
    (root / ".venv" / "Scripts").mkdir()
    (root / ".venv" / "Scripts" / "python.exe").write_text("")
    with pytest.raises(SetupError, match="Long Path support"):
        environment.ensure_venv(root, "windows", failing)


@pytest.mark.parametrize("kind, version, words", [("macos-intel", (3, 11), "Intel Macs"),
                                                  ("windows", (3, 13), "winget install Python.Python.3.11"),
                                                  ("linux", (3, 10), "python3.11-venv")])
def test_wrong_python_or_computer_stops_with_advice(kind, version, words):
    with pytest.raises(SetupError, match=re.escape(words)):
        environment.check_python(kind, version)


def test_arguments_after_the_command_go_to_the_tool():
    args = parse_args(["--python", "/opt/py", "test", "-k", "envcheck", "-x"])
    assert (args.command, args.python, args.rest) == ("test", "/opt/py", ["-k", "envcheck", "-x"])
    assert parse_args(["lab", "--", "--port=8890"]).rest == ["--port=8890"]
    assert parse_args(["grade", "subs", "--timeout", "60"]).rest == ["subs", "--timeout", "60"]


def test_lab_allows_root_only_where_it_means_something():
    linux = lab_command("py", "linux", ["--no-browser"], is_root=True)
    assert linux[:3] == ["py", "-m", "jupyterlab"] and "--allow-root" in linux and linux[-1].endswith("00_welcome.ipynb")
    assert "--allow-root" not in lab_command("py", "windows", [], is_root=True)
    assert "--allow-root" not in lab_command("py", "macos-arm", [], is_root=False)


def test_tool_commands():
    assert tool_command("py", "test", ["-x"]) == ["py", "-m", "pytest", "-x"]
    assert tool_command("py", "check", []) == ["py", "-m", "utils.envcheck"]
    assert tool_command("py", "grade", ["subs"]) == ["py", "-m", "course.grade", "subs"]
    assert tool_command("py", "slides", [])[1:] == [str(Path("slides", "export.py")), "--out", str(Path("build", "slides"))]


def test_slides_js_installs_once_and_needs_npm(tmp_path):
    (tmp_path / "slides").mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(ROOT / "slides" / name, tmp_path / "slides" / name)
    with pytest.raises(SetupError, match="Node.js with npm"):
        helpers.ensure_slides_js(tmp_path, which=lambda name: None)
    run, calls = recorder()
    helpers.ensure_slides_js(tmp_path, run, which=lambda name: "C:/Program Files/nodejs/npm.cmd")
    assert calls == [["C:/Program Files/nodejs/npm.cmd", "ci", "--no-audit", "--no-fund", "--loglevel=error"]]
    helpers.ensure_slides_js(tmp_path, run, which=lambda name: "npm")
    assert len(calls) == 1, "the locked packages are installed already"


def test_browser_missing_outside_debian_root_says_how_to_get_one(monkeypatch):
    monkeypatch.setattr(helpers, "can_apt_install", lambda kind, which=None: False)
    with pytest.raises(SetupError, match="install Google Chrome"):
        helpers.ensure_browser("windows", environ={}, which=lambda name: None)


def test_ubuntu_as_root_installs_the_snap_chromium(monkeypatch):
    monkeypatch.setattr(helpers, "can_apt_install", lambda kind, which=None: True)
    monkeypatch.setattr(helpers, "linux_browser_package", lambda: "chromium-browser")
    installed = set()
    run, calls = recorder()

    def apt(cmd, **kwargs):
        installed.update(cmd[4:] if cmd[:2] == ["apt-get", "install"] else [])
        return run(cmd, **kwargs)

    which = lambda name: "/snap/bin/chromium" if name == "/snap/bin/chromium" and installed else None  # noqa: E731
    assert helpers.ensure_browser("linux", environ={}, run=apt, which=which) == "/snap/bin/chromium"
    assert ["apt-get", "install", "-y", "-qq", "fonts-noto-color-emoji", "chromium-browser"] in calls
    env = helpers.environ_for_tests("/snap/bin/chromium", environ={})
    assert env["CHROMIUM"] == "/snap/bin/chromium" and Path(env["TMPDIR"]).parts[-2:] == ("build", "tmp")


def test_os_release_decides_the_chromium_package(tmp_path):
    release = tmp_path / "os-release"
    release.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n')
    assert helpers.linux_browser_package(release) == "chromium-browser"
    release.write_text('ID=debian\n')
    assert helpers.linux_browser_package(release) == "chromium"
    assert helpers.linux_browser_package(tmp_path / "missing") == "chromium"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\| run every test[^|]*\| `([^`]+)` \|", readme).group(1)
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == command == "python3 -m course test"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (e.g. Windows)")
def test_makefile_calls_the_course_command():
    dry = subprocess.run(["make", "-n", "test", "course", "PYTHON=python3.11", "LAB_ARGS=--no-browser"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert dry == ['"python3.11" -m course test', '"python3.11" -m course lab --no-browser']


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_course_lab_serves_the_notebooks():
    """`python -m course lab` with this Python (no set-up) starts JupyterLab on the lessons."""
    port, token = free_port(), "course-test"
    cmd = [sys.executable, "-m", "course", "--python", sys.executable, "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
        names, deadline = None, time.time() + 90
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    names = [item["name"] for item in json.load(reply)["content"]]
                break
            except OSError:
                time.sleep(1)
        assert names is not None, f"JupyterLab did not answer: {proc.stdout.read() if proc.poll() is not None else ''}"
        assert "00_welcome.ipynb" in names and len([n for n in names if n.endswith(".ipynb")]) >= 8
    finally:
        try:
            family = [*psutil.Process(proc.pid).children(recursive=True), psutil.Process(proc.pid)]
        except psutil.NoSuchProcess:
            family = []
        for p in family:
            try:
                p.terminate()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(family, timeout=30)
