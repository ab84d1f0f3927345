"""The benchmark script's own logic: the notebook timer and the Markdown table."""

import nbformat

from benchmarks import run


def test_run_notebook_measures_time_and_memory_of_kernel_and_helpers(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nx = bytearray(64 * 2**20)\nprint(os.environ['MUFFIN_DATA_DIR'] != '')"),
                nbformat.v4.new_code_cell("import subprocess, sys\n"
                                          "subprocess.run([sys.executable, '-c', 'import time; "
                                          "x = bytearray(160 * 2**20); x[::4096] = b\"1\" * len(x[::4096]); "
                                          "time.sleep(1.5)'])")]
    path = tmp_path / "01_tiny.ipynb"
    nbformat.write(nb, path)
    result = run.run_notebook(path)
    assert 0 < result["seconds"] < 120
    assert result["kernel_mib"] >= 64, "the 64 MiB allocation must show in the kernel's peak memory"
    assert result["helpers_mib"] >= 160 and result["helpers"] >= 1, "the helper process's 160 MiB must show"
    assert result["total_mib"] >= result["helpers_mib"] + 64, "kernel and helper together"


def test_run_notebook_ignores_other_children_of_the_measuring_process(tmp_path):
    """A process this one started for something else (e.g. a test running a notebook meanwhile) is not a helper."""
    import subprocess
    import sys

    other = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(300 * 2**20); "
                              "x[::4096] = b'1' * len(x[::4096]); time.sleep(30)"])
    try:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("import time; time.sleep(1)")]
        nbformat.write(nb, tmp_path / "01_tiny.ipynb")
        result = run.run_notebook(tmp_path / "01_tiny.ipynb")
    finally:
        other.kill()
        other.wait()
    # (a kernel may start a short-lived child of its own while it starts; the 300 MiB process must not count)
    assert result["helpers_mib"] < 100, f"the other process counted as a helper: {result}"
    assert result["total_mib"] < 300, f"the other process's 300 MiB counted: {result['total_mib']:.0f} MiB"


def test_memory_sampler_counts_pages_shared_after_a_fork_once():
    """A forked child shares the parent's pages: their PSS adds up to one copy, their RSS would count two."""
    import subprocess
    import sys

    code = ("import os, sys, time\nx = bytearray(200 * 2**20)\nx[::4096] = b'1' * len(x[::4096])\n"
            "pid = os.fork()\nif pid: print('ready', flush=True)\nsys.stdin.readline()\n"
            "if pid: os.waitpid(pid, 0)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        memory = run.TreeMemory(root_pids={proc.pid})
        assert proc.stdout.readline().strip() == "ready"   # both processes hold the pages now, however busy the machine
        memory.sample()
    finally:
        proc.communicate("go\n" * 2, timeout=60)
    assert 190 <= memory.total <= 300, f"one copy of 200 MiB plus the interpreter, got {memory.total:.0f} MiB"
    assert memory.most_helpers == 1


def test_memory_goals_per_lesson():
    assert run.memory_goal("notebooks/05_pooling_flattening.ipynb") == 1024
    assert run.memory_goal("notebooks/06_cnn_muffin_or_chihuahua.ipynb") == 1536


def test_table_marks_missed_goals():
    report = {
        "machine": {"date": "2026-11-26", "cpu": "CPU", "cores": 2, "memory_gib": 23.5, "python": "3.11.7"},
        "repeat": 3,
        "notebooks": [{"notebook": "01_a.ipynb", "seconds": 20.0, "kernel_mib": 300, "total_mib": 350,
                       "helpers_mib": 50, "helpers": 1, "memory_goal_mib": 1024, "within_goal": True},
                      {"notebook": "06_b.ipynb", "seconds": 95.0, "kernel_mib": 1000, "total_mib": 1200,
                       "helpers_mib": 0, "helpers": 0, "memory_goal_mib": 1536, "within_goal": False}],
        "conv": {"ms": {"vectorised": 2.0, "cv2_filter2d": 0.2, "naive": 2000.0, "keras_conv2d": 20.0},
                 "vectorised_over_cv2": 10.0, "naive_over_vectorised": 1000, "keras_over_cv2": 100.0,
                 "within_goal": False},
    }
    text = run.table(report)
    assert ("| `01_a.ipynb` | 20.0 s, 350 MiB peak (kernel 300 MiB + 1 helper process(es) 50 MiB) | ≤ 90 s, ≤ 1 GiB "
            "| yes |") in text
    assert "| `06_b.ipynb` | 95.0 s, 1200 MiB peak (kernel 1000 MiB) | ≤ 90 s, ≤ 1.5 GiB | **no** |" in text
    assert "| whole course | 115.0 s | ≤ 300 s | yes |" in text
    assert "10.0× (2.0 ms vs 0.2 ms) | ≤ 3× | **no** |" in text


def test_interleaved_timings_alternate_the_contenders():
    """Each round calls every function once, in order, so their ratio sees one machine state."""
    from benchmarks.conv_speed import interleaved_timings

    calls = []
    result = interleaved_timings([lambda: calls.append("a"), lambda: calls.append("b")], repeats=3)
    assert calls == ["a", "b"] * 4  # one warm-up round, then three timed rounds
    assert len(result) == 2 and all(0 <= low <= median for median, low in result)


def test_training_arrays_are_saved_once_then_read(tmp_path, monkeypatch):
    """The GPU machine has no OpenCV: it reads the arrays this machine drew and saved."""
    import numpy as np

    from utils import muffins

    drawn = []

    def fake_make_arrays(n, size=64, seed=0, split="train"):
        drawn.append(split)
        return np.full((2, 4, 4, 3), len(drawn), np.uint8), np.array([0, 1])

    monkeypatch.setattr(muffins, "make_arrays", fake_make_arrays)
    path = tmp_path / "arrays.npz"
    first = run.training_arrays(path)
    second = run.training_arrays(path)
    assert drawn == ["train", "test"], "the second call must read the file, not draw again"
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arrays.npz"], "no temporary file may be left behind"
