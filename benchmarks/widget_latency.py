"""Measure how fast every course widget answers a control change; print a table and write JSON.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/widget_latency.py            # 3 runs of 12 changes per widget
    PYTHONPATH=$PWD .venv/bin/python benchmarks/widget_latency.py --runs 5 --only "01 brightness"

A student changes a control; its observer runs synchronously and leaves the new picture in the widget. So
each change is timed as one assignment ``control.value = v`` (time.perf_counter around it), the way a
student's slider move arrives from the browser. The widgets are built with the lessons' own arguments. Each
widget is measured in ``--runs`` separate runs of ``--changes`` changes; the table gives the median and the
worst change over all runs, the best run's median (the least disturbed by other work on a shared machine), and
the CPU time the kernel process spent per change (what the change costs, whatever else the machine does).
"""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOALS = {"median_ms": 50.0, "max_ms": 100.0}


def _cycle(values, n):
    """``n`` values taken in turn from ``values`` (consecutive ones differ, so every assignment fires)."""
    return [values[k % len(values)] for k in range(n)]


def _lesson01(name):
    from utils.image_widgets import brightness_contrast_widget, jpeg_quality_widget
    from utils.images import load_sample

    if name == "jpeg":
        box = jpeg_quality_widget(load_sample("astronaut"), crop=(90, 170, 80, 80))
        return box.controls["quality"], [10, 35, 60, 85, 20, 95, 5, 50, 70, 40]
    box = brightness_contrast_widget(load_sample("camera"))
    if name == "brightness":
        return box.controls["brightness"], [-150, -90, -30, 30, 90, 150, 60, 0, -60, 120]
    return box.controls["contrast"], [0.2, 0.6, 1.0, 1.4, 1.8, 2.2, 2.6, 3.0, 1.2, 0.4]


def _lesson02(name):
    import numpy as np

    from utils.conv_widgets import conv1d_stepper, correlate2d_explorer

    if name == "stepper":
        box = conv1d_stepper(np.array([1.0, 2.0, 3.0, 2.0, 1.0]), np.array([1.0, 0.0, -1.0]))
        return box.controls["shift"], [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0]
    image = np.array([[3, 0, 1, 2, 7], [1, 5, 8, 9, 3], [2, 7, 2, 5, 1], [0, 1, 3, 1, 7], [4, 2, 1, 6, 2]], float)
    box = correlate2d_explorer(image, np.array([[1, 0, -1]] * 3, float))
    return box.controls["col"], [1, 2, 0, 2, 1, 0, 2, 1, 0, 2]


def _lesson03(name):
    from skimage import data, util

    from utils.conv_widgets import KERNELS, kernel_editor

    editor = kernel_editor(util.img_as_float(data.camera())[::2, ::2])
    if name == "preset":
        return editor.menu, _cycle([k for k in KERNELS if k != "Sobel x"] + ["Sobel x"], 10)
    return editor.cells[4], [1.0, 2.0, -1.0, 0.5, 3.0, -2.0, 4.0, 0.0, 1.5, -0.5]


def _lesson04(name):
    from utils.shape_explorer import conv_explorer

    box = conv_explorer()
    if name == "position":
        return box.controls["step"], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    return box.controls["i"], [6, 7, 8, 9, 10, 11, 12, 4, 3, 5]


def _lesson05(name):
    import skimage.data

    from utils.shape_explorer import pooling_explorer

    box = pooling_explorer(skimage.data.chelsea()[::2, ::2])
    if name == "mode":
        return box.controls["mode"], _cycle(["avg", "max"], 10)
    if name == "stride":
        return box.controls["stride"], [1, 3, 4, 5, 6, 7, 8, 2, 3, 5]
    return box.controls["size"], [3, 4, 5, 6, 7, 8, 1, 2, 4, 2]


def _lesson07(name):
    import ipywidgets as widgets

    from utils import augmentation
    from utils.figure_widget import live_figure
    from utils.muffins import make_arrays
    from utils.notebook import setup_keras

    setup_keras(42)
    image = make_arrays(1, size=64, seed=42, pose="studio")[0][0]
    view = augmentation.AugmentationFigure(image, n=5, live=True)   # the lesson's own view (notebook 07)
    box = live_figure(view.update, {
        "kind": widgets.Dropdown(options=list(augmentation.AUGMENTATIONS), value="rotation", description="layer"),
        "strength": widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="strength")})
    return box.controls["strength"], [0.1, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.35]


# widget name -> (builder, its argument); each builder returns (control, values to assign in turn)
WIDGETS = {
    "01 brightness/contrast, brightness": (_lesson01, "brightness"),
    "01 brightness/contrast, contrast": (_lesson01, "contrast"),
    "01 JPEG quality": (_lesson01, "jpeg"),
    "02 1D convolution stepper": (_lesson02, "stepper"),
    "02 2D window explorer, column": (_lesson02, "window"),
    "03 kernel editor, preset": (_lesson03, "preset"),
    "03 kernel editor, one number": (_lesson03, "number"),
    "04 convolution explorer, position": (_lesson04, "position"),
    "04 convolution explorer, input size": (_lesson04, "input"),
    "05 pooling explorer, size": (_lesson05, "size"),
    "05 pooling explorer, stride": (_lesson05, "stride"),
    "05 pooling explorer, max/avg": (_lesson05, "mode"),
    "07 augmentation, strength": (_lesson07, "strength"),
}


def time_changes(control, values, changes):
    """Wall and CPU milliseconds of each of ``changes`` assignments ``control.value = v`` (values taken in turn)."""
    times, cpu = [], []
    for value in _cycle(values, changes):
        if control.value == value:  # an unchanged value fires nothing: it would time an idle assignment
            raise ValueError(f"value {value!r} equals the control's current value: reorder the benchmark's values")
        start, start_cpu = time.perf_counter(), time.process_time()
        control.value = value
        times.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return times, cpu


def measure(name, runs, changes):
    """Build the widget once per run (not timed) and time ``changes`` control changes; summary in ms."""
    import matplotlib.pyplot as plt

    builder, arg = WIDGETS[name]
    per_run, cpu = [], []
    for _ in range(runs):
        control, values = builder(arg)
        control.value = values[0]  # warm-up, not timed; leaves the control at values[1], unlike the first value
        control.value = values[1]
        wall, cpu_ms = time_changes(control, values, changes)
        per_run.append(wall)
        cpu += cpu_ms
        plt.close("all")
    flat = [t for run in per_run for t in run]
    return {"median_ms": round(statistics.median(flat), 1), "max_ms": round(max(flat), 1),
            "best_run_median_ms": round(min(statistics.median(r) for r in per_run), 1),
            "run_medians_ms": [round(statistics.median(r), 1) for r in per_run],
            "cpu_median_ms": round(statistics.median(cpu), 1), "cpu_max_ms": round(max(cpu), 1),
            "changes_per_run": changes}


def table(report):
    """The results as a Markdown table (the README carries it)."""
    yes = {True: "yes", False: "**no**"}
    lines = ["| widget (control changed) | median | worst | best run's median | CPU median / worst "
             "| goal ≤ 50 ms median, ≤ 100 ms worst |", "| --- | --- | --- | --- | --- | --- |"]
    for name, r in report["widgets"].items():
        met = r["median_ms"] <= GOALS["median_ms"] and r["max_ms"] <= GOALS["max_ms"]
        lines.append(f"| {name} | {r['median_ms']:.0f} ms | {r['max_ms']:.0f} ms | {r['best_run_median_ms']:.0f} ms "
                     f"| {r['cpu_median_ms']:.0f} / {r['cpu_max_ms']:.0f} ms | {yes[met]} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="separate runs per widget (a new widget each)")
    parser.add_argument("--changes", type=int, default=12, help="timed control changes per run (at least 10)")
    parser.add_argument("--only", nargs="+", choices=list(WIDGETS), help="measure only these widgets")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "widget_latency.json")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.changes < 10:
        parser.error("--runs must be at least 1 and --changes at least 10")
    import matplotlib

    matplotlib.use("Agg")
    from utils.notebook import setup

    setup()  # the lessons' figure style (dpi, fonts)
    report = {"date": dt.date.today().isoformat(), "python": platform.python_version(), "cores": os.cpu_count(),
              "load_average_1min": round(os.getloadavg()[0], 1), "runs": args.runs, "widgets": {}}
    for name in args.only or WIDGETS:
        report["widgets"][name] = measure(name, args.runs, args.changes)
        r = report["widgets"][name]
        print(f"  {name:<40} median {r['median_ms']:6.1f} ms  worst {r['max_ms']:6.1f} ms  "
              f"best run {r['best_run_median_ms']:6.1f} ms  CPU {r['cpu_median_ms']:6.1f} / {r['cpu_max_ms']:6.1f} ms",
              flush=True)
    report["load_average_1min_end"] = round(os.getloadavg()[0], 1)
    print(table(report))
    tmp = args.json.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
