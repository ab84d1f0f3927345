"""utils.platforms: each platform is recognised and gets its own commands, Python advice and browser paths."""

from pathlib import Path, PureWindowsPath

import pytest

from utils import platforms


@pytest.mark.parametrize("system, machine, kind", [("Windows", "AMD64", "windows"), ("Darwin", "arm64", "macos-arm"),
                                                   ("Darwin", "x86_64", "macos-intel"), ("Linux", "x86_64", "linux"),
                                                   ("Linux", "aarch64", "linux-arm")])
def test_platform_kind(system, machine, kind):
    assert platforms.platform_kind(system, machine, modules={}) == kind


def test_colab_wins_and_unknown_systems_are_refused():
    assert platforms.platform_kind("Linux", "x86_64", modules={"google.colab": object()}) == "colab"
    with pytest.raises(ValueError, match="Windows, macOS and Linux"):
        platforms.platform_kind("FreeBSD", "amd64", modules={})


def test_commands_and_venv_paths():
    assert platforms.course_command("test", "windows") == "py -3.11 -m course test"
    assert platforms.course_command("lab", "macos-arm") == "python3 -m course lab"
    assert platforms.venv_python(Path(".venv"), "windows") == Path(".venv", "Scripts", "python.exe")
    assert platforms.venv_python(Path(".venv"), "linux") == Path(".venv", "bin", "python")
    with pytest.raises(ValueError, match="unknown platform kind"):
        platforms.course_command("lab", "amiga")


@pytest.mark.parametrize("kind, words", [("windows", "winget install Python.Python.3.11"),
                                         ("macos-arm", "brew install python@3.11"),
                                         ("linux", "sudo apt install python3.11 python3.11-venv"),
                                         ("macos-intel", "Intel Macs"), ("colab", "nothing to install")])
def test_python_advice(kind, words):
    assert words in platforms.install_python_advice(kind)


def fake_which(found):
    """A shutil.which that finds only the names or paths in ``found``."""
    return lambda name: name if name in found else ({n.split("/")[-1]: n for n in found}.get(name))


def test_ubuntu_snap_chromium_is_found():
    assert platforms.find_browser("linux", {}, fake_which({"/usr/bin/chromium-browser"})) == "/usr/bin/chromium-browser"


def test_chrome_on_macos_has_spaces_in_its_path():
    chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    assert platforms.find_browser("macos-arm", {}, fake_which({chrome})) == chrome


def test_edge_on_windows_is_found_under_program_files():
    environ = {"PROGRAMFILES(X86)": r"C:\Program Files (x86)", "PROGRAMFILES": r"C:\Program Files"}
    candidates = platforms.browser_candidates("windows", environ)
    edge = next(c for c in candidates if c.endswith("msedge.exe") and "(x86)" in c)
    assert PureWindowsPath(edge).parts[-3:] == ("Edge", "Application", "msedge.exe")
    assert platforms.find_browser("windows", environ, fake_which({edge})) == edge


def test_chromium_variable_wins_even_quoted_with_spaces():
    path = "/opt/My Browsers/chrome"
    assert platforms.find_browser("linux", {"CHROMIUM": f'"{path}"'}, fake_which({path, "chromium"})) == path
    assert platforms.find_browser("linux", {"CHROMIUM": "/nowhere/chrome"}, fake_which({"chromium"})) is None


def test_no_browser_gives_none_and_advice():
    assert platforms.find_browser("macos-arm", {}, fake_which(set())) is None
    assert "Chrome" in platforms.browser_advice("windows") and "snap install chromium" in platforms.browser_advice("linux")
