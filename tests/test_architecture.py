"""The architecture map in CONTRIBUTING.md names every module of utils/, and every module it names exists."""

import re

from utils.paths import COURSE_ROOT


def _section(text, title):
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_architecture_map_names_every_utils_module():
    section = _section((COURSE_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), "Architecture")
    named = set(re.findall(r"`utils/(\w+)\.py`", section))
    present = {p.stem for p in (COURSE_ROOT / "utils").glob("*.py") if p.stem != "__init__"}
    assert "`utils/exercises/`" in section, "the map must name the answer-key package `utils/exercises/`"
    assert named - present == set(), f"CONTRIBUTING's map names modules that do not exist: {sorted(named - present)}"
    assert present - named == set(), f"add these modules to CONTRIBUTING's architecture map: {sorted(present - named)}"


def test_no_module_uses_a_private_name_of_another():
    files = sorted((COURSE_ROOT / "utils").glob("*.py"))
    modules = "|".join(p.stem for p in files)
    pattern = re.compile(rf"from utils(?:\.\w+)? import [^\n]*\b_[a-z]\w*|\b(?:{modules})\._[a-z]\w*")
    offenders = [f"{p.name}: {m.group(0)}" for p in files for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == [], "make the helper public (or move it to utils.validate) instead"


def test_every_answer_key_module_belongs_to_a_lesson():
    topics = {p.stem[3:] for p in (COURSE_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    keys = {p.stem for p in (COURSE_ROOT / "utils" / "exercises").glob("*.py") if p.stem != "__init__"}
    assert keys - topics == set(), (
        f"utils/exercises/ modules {sorted(keys - topics)} match no lesson: name each like its notebook "
        "(notebooks/04_padding_stride.ipynb → utils/exercises/padding_stride.py)")
