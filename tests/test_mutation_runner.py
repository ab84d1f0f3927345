"""The mutation-testing runner's own logic (``benchmarks/mutation.py``), without running mutmut."""

import json
import tomllib
from pathlib import Path

from benchmarks import mutation

ROOT = Path(__file__).resolve().parents[1]


def test_every_listed_module_and_test_file_exists():
    for module, (tests, functions) in mutation.MODULES.items():
        assert (ROOT / "utils" / f"{module}.py").exists(), module
        assert tests and all((ROOT / t).exists() for t in tests), f"{module}: a listed test file is missing"
        assert tests[0] == f"tests/test_{module}.py", f"{module}: the module's own test file comes first (--baseline)"
        if functions:
            source = (ROOT / "utils" / f"{module}.py").read_text(encoding="utf-8")
            assert all(f"def {f}(" in source for f in functions), f"{module}: a listed function does not exist"


def test_config_mutates_one_file_and_runs_the_copied_tests(tmp_path, monkeypatch):
    config = tomllib.loads(mutation.config("pooling"))
    mm = config["tool"]["mutmut"]
    assert mm["only_mutate"] == ["utils/pooling.py"] and mm["source_paths"] == ["utils/"]
    assert mm["pytest_add_cli_args_test_selection"] == ["tests/"]
    assert "no:nbval" in mm["pytest_add_cli_args"] and mm["process_isolation"] == "forkserver"
    monkeypatch.setattr(mutation, "WORK", tmp_path)
    (tmp_path / "pooling" / "tests").mkdir(parents=True)
    (tmp_path / "pooling" / "tests" / "test_old.py").write_text("", encoding="utf-8")
    work = mutation.prepare("pooling", ("tests/test_pooling.py",), keep=True)
    assert sorted(p.name for p in (work / "tests").iterdir()) == ["conftest.py", "test_pooling.py"]
    assert (work / "utils" / "pooling.py").read_bytes() == (ROOT / "utils" / "pooling.py").read_bytes()


def test_table_counts_timeouts_as_caught_and_sums_the_modules():
    rows = [{"module": "utils/a.py", "mutants": 10, "killed": 8, "timeout": 1, "survived": 1, "score": 90.0},
            {"module": "utils/b.py", "mutants": 30, "killed": 27, "timeout": 0, "survived": 3, "score": 90.0}]
    text = mutation.table(rows)
    assert "| `utils/a.py` | 10 | 8 | 1 | 1 | 90.0 % |" in text
    assert text.splitlines()[-1] == "| all | 40 | 35 | 1 | 4 | 90.0 % |"


def test_readme_reports_the_recorded_scores():
    recorded = json.loads((ROOT / "benchmarks" / "mutation.json").read_text(encoding="utf-8"))["modules"]
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())  # lines wrap anywhere
    for module, result in recorded.items():
        assert f"`utils/{module}.py` {result['score']} %" in readme, f"README: report {module}'s mutation score"
