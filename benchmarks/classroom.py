"""Memory and CPU of lessons run side by side, as on a classroom server (JupyterHub) or on Binder.

    .venv/bin/python benchmarks/classroom.py --students 1 2 4                      # lesson 06, 1, 2 and 4 at once
    .venv/bin/python benchmarks/classroom.py --students 1 --notebooks notebooks/07_*.ipynb

Each "student" runs the lesson top to bottom in a fresh kernel with an empty data folder of their own. Every 0.5 s
the proportional set size (PSS: shared pages split between the processes that share them, close to what a memory
cgroup charges) of every kernel and its helper processes is summed; the peaks are reported. CPU seconds are those
of the kernels and their helpers (``RUSAGE_CHILDREN``). Also measures an idle JupyterLab server once. Linux only.
Writes benchmarks/classroom.json.
"""

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "classroom.json"
MIB = 2**20


def tree_pss(proc):
    """PSS in MiB of a process and all its descendants (0 for those that vanished meanwhile)."""
    total = 0
    try:
        family = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for p in family:
        try:
            total += p.memory_full_info().pss
        except psutil.Error:  # vanished, zombie or not ours
            pass
    return total / MIB


def is_kernel(proc):
    """True for a live Jupyter kernel process (zombies and vanished processes are not)."""
    try:
        return "ipykernel" in " ".join(proc.cmdline())
    except psutil.Error:
        return False


class Sampler(threading.Thread):
    """Samples the PSS of every kernel tree below this process until stopped; keeps the peaks."""

    def __init__(self, interval=0.5):
        super().__init__(daemon=True)
        self.interval, self.stop, self.peak_total, self.peak_each = interval, threading.Event(), 0.0, {}

    def run(self):
        me = psutil.Process()
        while not self.stop.is_set():
            sizes = {p.pid: tree_pss(p) for p in me.children() if is_kernel(p)}
            self.peak_total = max(self.peak_total, sum(sizes.values()))
            for pid, size in sizes.items():
                self.peak_each[pid] = max(self.peak_each.get(pid, 0.0), size)
            self.stop.wait(self.interval)


def run_one(path, results, index):
    """One student's run of one lesson: wall seconds, or the error."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="classroom-") as data_dir:
        env = {**os.environ, "MUFFIN_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        try:
            NotebookClient(nb, timeout=1800, kernel_name="python3", shutdown_kernel="immediate",
                           resources={"metadata": {"path": str(Path(path).parent)}}).execute(env=env)
            results[index] = round(time.perf_counter() - start, 1)
        except Exception as err:  # noqa: BLE001 - record and go on
            results[index] = f"{type(err).__name__}: {str(err).splitlines()[-1][:200] if str(err) else ''}"


def classroom(path, students):
    """Run ``students`` copies of one lesson at once; returns what was measured."""
    results = [None] * students
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = Sampler()
    sampler.start()
    threads = [threading.Thread(target=run_one, args=(path, results, i)) for i in range(students)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return {"notebook": Path(path).name, "students": students, "wall_s": round(wall, 1), "runs_s": results,
            "cpu_s_per_student": round(cpu / students, 1), "peak_total_pss_mib": round(sampler.peak_total),
            "peak_pss_mib_per_student": sorted(round(v) for v in sampler.peak_each.values())}


def idle_server_pss():
    """PSS in MiB of a JupyterLab server that has just started and serves the course (no kernel)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=x", f"--notebook-dir={ROOT}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import urllib.request

        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=x", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        return round(tree_pss(psutil.Process(proc.pid)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv=None):
    """Command line: measure, print, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", nargs="+", default=[str(ROOT / "notebooks" / "06_cnn_muffin_or_chihuahua.ipynb")])
    parser.add_argument("--students", nargs="+", type=int, default=[1, 2, 4])
    args = parser.parse_args(argv)
    found = json.loads(OUT.read_text()) if OUT.is_file() else {"runs": []}
    found["machine"] = {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
                        "load_before": [round(x, 1) for x in os.getloadavg()], "date": time.strftime("%Y-%m-%d")}
    found["idle_jupyterlab_pss_mib"] = idle_server_pss()
    print("idle JupyterLab server:", found["idle_jupyterlab_pss_mib"], "MiB", flush=True)
    for path in args.notebooks:
        for n in args.students:
            row = classroom(path, n)
            print(json.dumps(row), flush=True)
            found["runs"] = [r for r in found["runs"] if (r["notebook"], r["students"]) != (row["notebook"], n)] + [row]
            tmp = OUT.with_suffix(".tmp")
            tmp.write_text(json.dumps(found, indent=1) + "\n")
            tmp.replace(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
