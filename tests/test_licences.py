"""The code licence (MIT, as pyproject.toml says), the content licence (CC BY 4.0) and CITATION.cff agree."""

import tomllib
from pathlib import Path

import yaml

from utils.colab import repository_url

ROOT = Path(__file__).resolve().parents[1]


def test_code_is_mit_as_pyproject_says():
    with open(ROOT / "pyproject.toml", "rb") as f:
        assert tomllib.load(f)["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_content_is_cc_by_4():
    text = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text and "`LICENSE`" in text


def test_citation_file():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["title"] and cff["authors"]
    assert cff["license"] == ["MIT", "CC-BY-4.0"]
    assert cff["repository-code"] == repository_url(), "CITATION.cff and pyproject.toml name different repositories"
    with open(ROOT / "pyproject.toml", "rb") as f:
        assert cff["version"] == tomllib.load(f)["project"]["version"]
