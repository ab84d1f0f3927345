"""The pip path (requirements.txt) and the conda/Binder path (environment.yml) declare the same pins."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pins(lines):
    """Map package name (normalised) to its pinned version from requirement lines."""
    found = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.]+)", line)
        assert m, f"every requirement must be pinned as name==version, got {line!r}"
        found[m.group(1).lower().replace("_", "-")] = m.group(2)
    return found


def test_environment_yml_matches_requirements():
    req = pins((ROOT / "requirements.txt").read_text().splitlines())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip: section"
    env_pins = pins(pip_sections[0])
    assert env_pins == req, (
        f"only in requirements.txt: {sorted(set(req.items()) - set(env_pins.items()))}; "
        f"only in environment.yml: {sorted(set(env_pins.items()) - set(req.items()))}"
    )
    assert "python=3.11" in env["dependencies"], "environment.yml must pin python=3.11"
    assert "-e ." in pip_sections[0], "environment.yml must install the course package itself (-e .)"


def test_python_version_matches_pyproject():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11' in text
