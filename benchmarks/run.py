"""Measure what the course costs to run on this machine; print a table and write JSON.

    .venv/bin/python benchmarks/run.py                 # everything, 3 repetitions, medians
    .venv/bin/python benchmarks/run.py --only notebooks --repeat 1 --notebooks notebooks/01_*.ipynb

Each notebook runs in a fresh kernel with an empty data folder (MUFFIN_DATA_DIR points at a new
temporary folder), as on CI: generated data and cached models are rebuilt inside the timing.
"""

import argparse
import datetime as dt
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The kernel's peak RSS: VmHWM on Linux (ru_maxrss would keep the peak of the process it was forked from).
PEAK_RSS_CELL = ("import resource as _r\n"
                 "try:\n"
                 "    _peak = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
                 "except (OSError, IndexError):\n"
                 "    _peak = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss\n"
                 "print('PEAK_RSS_KIB', _peak)")
GOALS = {"lesson_s": 90.0, "course_s": 300.0, "lesson_mib": 1536.0, "early_lesson_mib": 1024.0, "conv_vs_cv2": 3.0}
EARLY_LESSONS = ("00", "01", "02", "03", "04", "05")  # these must stay within 1 GiB, the others within 1.5 GiB
SAMPLE_S = 0.1


def machine():
    """Describe the machine the figures come from."""
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": dt.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
    }


class TreeMemory:
    """Samples, in a thread, the memory of every process started from this one: the kernel and its helpers.

    Each process counts with its PSS (proportional set size): a page shared by several processes, e.g. after a
    fork, is split between them, so the sum is what they occupy together. (Peak RSS would count a forked
    child's shared pages again: each spawned drawing worker reported the kernel's 566 MiB as its own.)
    """

    def __init__(self, interval=SAMPLE_S, root_pids=None):
        import threading

        import psutil

        self.interval, self.total, self.helpers, self.most_helpers = interval, 0.0, 0.0, 0
        self.root_pids, self._before = root_pids, {p.pid for p in psutil.Process().children()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self):
        """Measure once: PSS in MiB of the kernel(s) this process started and of their descendants."""
        import psutil

        kernels, sizes = self._kernels(), {}
        for kernel in kernels:
            try:
                tree = [kernel] + kernel.children(recursive=True)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            for proc in tree:
                try:
                    sizes[proc.pid] = proc.memory_full_info().pss / 2**20
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    pass
        helpers = [v for pid, v in sizes.items() if pid not in {k.pid for k in kernels}]
        self.total = max(self.total, sum(sizes.values()))
        self.helpers = max(self.helpers, sum(helpers))
        self.most_helpers = max(self.most_helpers, len(helpers))

    def _kernels(self):
        """The Jupyter kernels this process started since it was created (not other children, e.g. a test's
        subprocess running its own notebooks meanwhile), or the processes ``root_pids`` if given."""
        import psutil

        if self.root_pids is not None:
            return [p for p in psutil.Process().children() if p.pid in self.root_pids]
        found = []
        for proc in psutil.Process().children():
            try:
                if proc.pid not in self._before and "ipykernel" in " ".join(proc.cmdline()):
                    found.append(proc)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                pass
        return found

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_notebook(path):
    """Execute one notebook in a fresh kernel and an empty data folder.

    Returns a dict: ``seconds``; ``kernel_mib`` (the kernel's peak RSS); ``total_mib`` and ``helpers_mib`` (peak
    PSS of the kernel plus every process it started, and of those processes alone, sampled every 0.1 s; the
    total is at least the kernel's peak); ``helpers`` (most helper processes alive at once).
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_RSS_CELL))
    with tempfile.TemporaryDirectory(prefix="muffin-bench-") as data_dir:
        old = os.environ.get("MUFFIN_DATA_DIR")
        os.environ["MUFFIN_DATA_DIR"] = data_dir
        try:
            with TreeMemory() as memory:
                start = time.perf_counter()
                NotebookClient(nb, timeout=900, kernel_name="python3",
                               resources={"metadata": {"path": str(Path(path).parent)}}).execute()
                seconds = time.perf_counter() - start
        finally:
            if old is None:
                os.environ.pop("MUFFIN_DATA_DIR")
            else:
                os.environ["MUFFIN_DATA_DIR"] = old
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    kernel_mib = int(text.split("PEAK_RSS_KIB")[1].split()[0]) / 1024
    return {"seconds": seconds, "kernel_mib": kernel_mib, "total_mib": max(memory.total, kernel_mib),
            "helpers_mib": memory.helpers, "helpers": memory.most_helpers}


def memory_goal(notebook):
    """The memory goal of a lesson in MiB: 1 GiB for lessons 00–05, 1.5 GiB for the others."""
    return GOALS["early_lesson_mib"] if Path(notebook).name[:2] in EARLY_LESSONS else GOALS["lesson_mib"]


def bench_notebooks(paths, repeat):
    """Median wall time and peak memory (kernel, and kernel plus helpers) of every notebook."""
    rows = []
    for path in paths:
        runs = [run_notebook(path) for _ in range(repeat)]
        row = {"notebook": Path(path).name}
        for key in ("seconds", "kernel_mib", "total_mib", "helpers_mib"):
            row[key] = round(statistics.median(r[key] for r in runs), 1 if key == "seconds" else None)
        row["helpers"] = max(r["helpers"] for r in runs)
        row["runs_s"] = [round(r["seconds"], 1) for r in runs]
        row["memory_goal_mib"] = memory_goal(path)
        row["within_goal"] = row["seconds"] <= GOALS["lesson_s"] and row["total_mib"] <= row["memory_goal_mib"]
        rows.append(row)
        print(f"  {row['notebook']:<40} {row['seconds']:>7.1f} s {row['total_mib']:>6} MiB "
              f"(kernel {row['kernel_mib']}, helpers {row['helpers_mib']})", flush=True)
    return rows


def bench_import_tensorflow(repeat):
    """Median seconds of `import tensorflow` in a fresh interpreter."""
    code = ("import os, time; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; os.environ['TF_ENABLE_ONEDNN_OPTS']='0'; "
            "t=time.perf_counter(); import tensorflow; print(time.perf_counter()-t)")
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout.split()[-1]) for _ in range(repeat)]
    return {"seconds": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times]}


def bench_conv(repeat):
    """From-scratch conv2d (naive, vectorised) vs cv2.filter2D and a Keras Conv2D on one 512×512 image."""
    import numpy as np

    from benchmarks.conv_speed import median_time, run as conv_run
    from utils.notebook import setup_keras

    result = conv_run(size=512, repeats=max(repeat, 51), naive_repeats=max(1, repeat // 2))
    keras = setup_keras(0)
    rng = np.random.default_rng(0)
    image = rng.random((1, 512, 512, 1), dtype=np.float32)
    layer = keras.layers.Conv2D(1, 3, padding="same", use_bias=False)
    layer.build(image.shape)
    layer.set_weights([rng.normal(size=(3, 3, 1, 1)).astype(np.float32)])
    t_keras = median_time(lambda: np.asarray(layer(image)), max(repeat, 5))
    s = result["seconds"]
    s["keras_conv2d"] = t_keras
    return {
        "ms": {k: round(v * 1e3, 3) for k, v in s.items()},
        "vectorised_over_cv2": round(result["vectorised_over_cv2"], 2),
        "naive_over_vectorised": round(result["naive_over_vectorised"]),
        "keras_over_cv2": round(t_keras / s["cv2_filter2d"], 2),
        "within_goal": result["vectorised_over_cv2"] <= GOALS["conv_vs_cv2"],
    }


def bench_dataset(repeat):
    """Seconds to generate 2,000 images at 64×64 (1,600 train + 400 test PNG files) with one and two processes."""
    from utils.dataset import generate

    result = {}
    for workers in (1, 2):
        times = []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="muffin-bench-") as tmp:
                start = time.perf_counter()
                generate(Path(tmp) / "set", n_train=1600, n_test=400, size=64, seed=0, progress=False,
                         workers=workers)
                times.append(time.perf_counter() - start)
        result[f"workers_{workers}"] = {"seconds": round(statistics.median(times), 1),
                                        "runs_s": [round(t, 1) for t in times]}
    return result


def training_arrays(path=None):
    """The 2,000 train and 500 test images of the embedded set; read from / saved to ``path`` (.npz) when given."""
    import numpy as np

    if path is not None and Path(path).is_file():
        with np.load(path) as f:
            return f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    from utils.muffins import make_arrays  # needs OpenCV, which the GPU machine lacks: it reads the .npz

    x_train, y_train = make_arrays(2000, size=64, seed=0, split="train")
    x_test, y_test = make_arrays(500, size=64, seed=0, split="test")
    if path is not None:
        tmp = Path(path).with_suffix(".tmp.npz")
        np.savez_compressed(tmp, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        os.replace(tmp, path)
    return x_train, y_train, x_test, y_test


def bench_training(repeat, epochs=20, target=0.95, arrays=None):
    """Lesson 06's CNN on the embedded data (in memory): images/s and seconds of training until test accuracy ≥ 95 %."""
    from utils.models import build_cnn
    from utils.notebook import setup_keras

    x_train, y_train, x_test, y_test = training_arrays(arrays)
    runs = []
    for rep in range(repeat):
        keras = setup_keras(rep)
        model = build_cnn()
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        train_s, reached, acc = 0.0, None, 0.0
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
            train_s += time.perf_counter() - start
            acc = model.evaluate(x_test, y_test, verbose=0)[1]
            if reached is None and acc >= target:
                reached = {"epoch": epoch, "seconds": round(train_s, 1)}
        runs.append({"images_per_s": len(x_train) * epochs / train_s, "reached": reached, "final_acc": acc})
    return {
        "images_per_s": round(statistics.median(r["images_per_s"] for r in runs)),
        "seconds_to_95": (round(statistics.median(r["reached"]["seconds"] for r in runs), 1)
                          if all(r["reached"] for r in runs) else None),
        "epochs_to_95": [r["reached"]["epoch"] if r["reached"] else None for r in runs],
        "final_test_acc": [round(r["final_acc"], 3) for r in runs],
        "epochs": epochs,
        "backend": keras.backend.backend(),
    }


def table(report):
    """Render the results as a Markdown table (the README carries it)."""
    m = report["machine"]
    lines = [f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, "
             f"Python {m['python']}; median of {report['repeat']} run(s). Memory: peak of the kernel plus the "
             "processes it started, together (PSS, sampled every 0.1 s).", "",
             "| what | figure | goal | met |", "| --- | --- | --- | --- |"]
    yes = {True: "yes", False: "**no**"}
    for row in report.get("notebooks", []):
        goal = f"≤ 90 s, ≤ {row['memory_goal_mib'] / 1024:g} GiB"
        helpers = f" + {row['helpers']} helper process(es) {row['helpers_mib']} MiB" if row["helpers"] else ""
        lines.append(f"| `{row['notebook']}` | {row['seconds']} s, {row['total_mib']} MiB peak (kernel "
                     f"{row['kernel_mib']} MiB{helpers}) | {goal} | {yes[row['within_goal']]} |")
    if report.get("notebooks"):
        total = round(sum(r["seconds"] for r in report["notebooks"]), 1)
        lines.append(f"| whole course | {total} s | ≤ 300 s | {yes[total <= GOALS['course_s']]} |")
    if "import_tensorflow" in report:
        lines.append(f"| `import tensorflow` | {report['import_tensorflow']['seconds']} s | — | — |")
    if "conv" in report:
        c = report["conv"]
        lines.append(f"| conv2d 512×512, 3×3: vectorised / `cv2.filter2D` | {c['vectorised_over_cv2']}× "
                     f"({c['ms']['vectorised']} ms vs {c['ms']['cv2_filter2d']} ms) | ≤ 3× | {yes[c['within_goal']]} |")
        lines.append(f"| conv2d naive loop / vectorised | {c['naive_over_vectorised']}× ({c['ms']['naive']} ms) | ≥ 100× | "
                     f"{yes[c['naive_over_vectorised'] >= 100]} |")
        lines.append(f"| Keras `Conv2D` / `cv2.filter2D` | {c['keras_over_cv2']}× ({c['ms']['keras_conv2d']} ms) | — | — |")
    if "dataset" in report:
        d = report["dataset"]
        best = min(v["seconds"] for v in d.values())
        lines.append(f"| generate 2,000 images at 64×64 (1 / 2 processes) | {d['workers_1']['seconds']} s / "
                     f"{d['workers_2']['seconds']} s | ≤ 10 s | {yes[best <= 10]} |")
    if "training" in report:
        t = report["training"]
        reached = f"{t['seconds_to_95']} s" if t["seconds_to_95"] is not None else "not reached"
        lines.append(f"| lesson-06 CNN training throughput ({t.get('backend', 'tensorflow')} backend) | "
                     f"{t['images_per_s']} images/s | — | — |")
        lines.append(f"| training time to ≥ 95 % test accuracy | {reached} (epochs {t['epochs_to_95']}) | ≤ 30 s | "
                     f"{yes[t['seconds_to_95'] is not None and t['seconds_to_95'] <= 30]} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement (median reported)")
    parser.add_argument("--only", nargs="+", choices=["notebooks", "import", "conv", "dataset", "training"],
                        default=["notebooks", "import", "conv", "dataset", "training"], help="which parts to measure")
    parser.add_argument("--notebooks", nargs="+", default=sorted(glob.glob(str(ROOT / "notebooks" / "*.ipynb"))),
                        help="notebooks to time (default: all)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json", help="where to write JSON")
    parser.add_argument("--arrays", type=Path, help="training data as .npz: read if it exists, else drawn and saved "
                                                    "there (lets a machine without OpenCV run the training part)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    missing = [p for p in args.notebooks if not Path(p).is_file()]
    if missing:
        parser.error(f"no such notebook: {missing[0]}")
    report = {"machine": machine(), "repeat": args.repeat}
    if "notebooks" in args.only:
        print("notebooks (fresh kernel, empty data folder):", flush=True)
        report["notebooks"] = bench_notebooks(args.notebooks, args.repeat)
    if "import" in args.only:
        report["import_tensorflow"] = bench_import_tensorflow(args.repeat)
    if "conv" in args.only:
        report["conv"] = bench_conv(args.repeat)
    if "dataset" in args.only:
        report["dataset"] = bench_dataset(args.repeat)
    if "training" in args.only:
        report["training"] = bench_training(args.repeat, arrays=args.arrays)
    text = table(report)
    print(text)
    tmp = args.json.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2) + "\n")
    os.replace(tmp, args.json)
    print(f"\nwrote {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")


if __name__ == "__main__":
    main()
