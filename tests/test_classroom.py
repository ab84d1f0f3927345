"""benchmarks/classroom.py: measures concurrent runs of a notebook (memory by PSS, CPU seconds) on Linux."""

import sys

import nbformat
import psutil
import pytest

from benchmarks import classroom

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PSS is read from /proc (Linux only)")


def test_tree_pss_counts_this_process_and_is_no_kernel():
    assert 10 < classroom.tree_pss(psutil.Process()) < 50_000
    assert not classroom.is_kernel(psutil.Process())


def test_two_students_run_a_small_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import time\nblock = bytearray(200 * 2**20)\ntime.sleep(2)\nprint('done')")]
    path = tmp_path / "small.ipynb"
    nbformat.write(nb, path)
    row = classroom.classroom(path, 2)
    assert row["students"] == 2 and all(isinstance(s, float) for s in row["runs_s"]), row["runs_s"]
    assert len(row["peak_pss_mib_per_student"]) == 2
    assert all(200 <= m < 1000 for m in row["peak_pss_mib_per_student"]), "each kernel holds a 200 MiB block"
    assert row["peak_total_pss_mib"] >= 400 and row["cpu_s_per_student"] > 0
