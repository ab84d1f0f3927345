"""How much do lesson 08's results move between seeds, thread counts and oneDNN on/off?

    .venv/bin/python benchmarks/detection_spread.py                 # the default plan, writes detection_spread.json
    .venv/bin/python benchmarks/detection_spread.py --seeds 42 1 --quick   # a short check of the script itself
    .venv/bin/python benchmarks/detection_spread.py --weights 0.1 1 10 100 # the localizer's box-loss weight
    .venv/bin/python benchmarks/detection_spread.py --broken lr100 no_conv  # do the lesson's asserts fail?

Each run trains the lesson's localizer and detector (utils.detectors: same data, models, epochs and losses as the
notebook) in a fresh process, with the kernel pinned to one core (``taskset -c 0``) or on all cores, and oneDNN
switched on or off through TF_ENABLE_ONEDNN_OPTS. The JSON lists every run and the range of each figure; the
notebook's asserted ranges are calibrated from it. About one to two minutes per run on two cores.

``--broken`` trains deliberately broken variants instead (first seed, all cores, oneDNN on) and stores their figures
under "broken": ``lr100``, the lesson's models with a learning rate 100 times too high (Adam 0.1 instead of 0.001);
``no_conv``, the convolutions removed (the localizer becomes Flatten + Dense, the detector averages each 16 x 16 cell
before its 1 x 1 heads). tests/test_detection_spread.py runs the notebook's own asserts on these figures.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "detection_spread.json"
METRICS = ("class_accuracy", "mean_iou", "map50", "ap_chihuahua", "ap_muffin")
BROKEN = ("lr100", "no_conv")


def no_conv_models():
    """The lesson's two models with their convolutions removed: (localizer, detector), same heads."""
    import keras
    from keras import layers

    from utils import detectors

    inputs = keras.Input(shape=(detectors.LOC_SET["size"],) * 2 + (3,))
    x = layers.Flatten()(layers.Rescaling(1 / 127.5, offset=-1)(inputs))
    x = layers.Dense(128, activation="relu")(x)
    localizer = keras.Model(inputs, {"class": layers.Dense(2, activation="softmax", name="class")(x),
                                     "box": layers.Dense(4, activation="sigmoid", name="box")(x)})
    size = detectors.DET_SET["size"]
    inputs = keras.Input(shape=(size, size, 3))
    x = layers.AveragePooling2D(size // detectors.GRID)(layers.Rescaling(1 / 127.5, offset=-1)(inputs))
    detector = keras.Model(inputs, {"objectness": layers.Conv2D(1, 1, activation="sigmoid", name="objectness")(x),
                                    "box": layers.Conv2D(4, 1, activation="sigmoid", name="box")(x),
                                    "class": layers.Conv2D(2, 1, activation="softmax", name="class")(x)})
    return localizer, detector


def one_run(seed, quick=False, box_weight=None, broken=None):
    """Train both models once in this process (seeded like the lesson) and return the figures as a dict; with
    ``box_weight``, only the localizer, with that weight on its box loss; with ``broken``, a broken variant."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import numpy as np

    from utils import detection, detectors, scenes

    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    loc_dir, det_dir = scenes.ensure_scenes(**detectors.LOC_SET), scenes.ensure_scenes(**detectors.DET_SET)
    rate = 0.1 if broken == "lr100" else 1e-3
    loc_model, det_model = no_conv_models() if broken == "no_conv" else (None, None)
    x, t = scenes.load_scenes(loc_dir, "train")
    x_test, t_test = scenes.load_scenes(loc_dir, "test")
    start = time.perf_counter()
    loc = detectors.train_localizer(x, t, epochs=1 if quick else detectors.LOC_EPOCHS,
                                    box_weight=detectors.LOC_BOX_WEIGHT if box_weight is None else box_weight,
                                    learning_rate=rate, model=loc_model)
    loc_seconds = time.perf_counter() - start
    accuracy, ious = detectors.localization_scores(loc, x_test, t_test)
    if box_weight is not None:
        return {"box_weight": box_weight, "class_accuracy": accuracy, "mean_iou": float(ious.mean()),
                "train_seconds": round(loc_seconds, 1)}
    x, t = scenes.load_scenes(det_dir, "train")
    x_test, t_test = scenes.load_scenes(det_dir, "test")
    start = time.perf_counter()
    model = detectors.train_detector(x, t, epochs=1 if quick else detectors.DET_EPOCHS, learning_rate=rate,
                                     model=det_model)
    det_seconds = time.perf_counter() - start
    found = detectors.detect(model, x_test)
    m, ap = detection.mean_average_precision(found, t_test, 2)
    return {"class_accuracy": accuracy, "mean_iou": float(ious.mean()), "map50": m, "ap_chihuahua": float(ap[0]),
            "ap_muffin": float(ap[1]), "train_seconds": round(loc_seconds + det_seconds, 1)}


def plan(seeds):
    """(seed, one core?, oneDNN on?) for every run: all seeds as in the lesson (all cores, oneDNN on), the first
    two seeds also on one core and with oneDNN off."""
    runs = [(s, False, True) for s in seeds]
    for s in seeds[:2]:
        runs += [(s, True, True), (s, False, False), (s, True, False)]
    return runs


def spawn(seed, one_core, onednn, quick, box_weight=None, broken=None):
    """Run ``one_run`` in a fresh process with these settings; returns its dict."""
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "1" if onednn else "0", "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, __file__, "--one", str(seed)] + (["--quick"] if quick else [])
    cmd += [] if box_weight is None else ["--box-weight", str(box_weight)]
    cmd += [] if broken is None else ["--variant", broken]
    if one_core:
        if not shutil.which("taskset"):
            raise RuntimeError("taskset (util-linux) is needed to pin a run to one core")
        cmd = ["taskset", "-c", "0"] + cmd
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def summary(runs):
    """The lowest, highest and mean value of each figure over the runs."""
    return {k: {"min": round(min(r[k] for r in runs), 4), "max": round(max(r[k] for r in runs), 4),
                "mean": round(sum(r[k] for r in runs) / len(runs), 4)} for k in METRICS}


def record_broken(args):
    """Train each broken variant once and add its figures to the JSON under "broken" (other entries are kept)."""
    path = Path(args.json)
    report = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    report["broken"] = []
    for variant in args.broken:
        result = {"variant": variant, **spawn(args.seeds[0], False, True, args.quick, broken=variant),
                  "seed": args.seeds[0], "quick": args.quick}
        report["broken"].append(result)
        print(json.dumps(result), flush=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python benchmarks/detection_spread.py", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 1, 2, 3], help="seeds (default 42 1 2 3)")
    parser.add_argument("--quick", action="store_true", help="one epoch per model (checks the script, not results)")
    parser.add_argument("--weights", type=float, nargs="+", default=None,
                        help="instead: train the localizer with each of these box-loss weights (first seed only)")
    parser.add_argument("--broken", nargs="+", choices=BROKEN, default=None,
                        help="instead: train these broken variants (first seed only); see the module's docstring")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--variant", choices=BROKEN, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--box-weight", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", default=str(RESULTS), help="where to write the results")
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one_run(args.one, args.quick, args.box_weight, args.variant)))
        return 0
    if args.broken:
        return record_broken(args)
    if args.weights:
        path = Path(args.json)
        report = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        report["box_weights"] = []
        for weight in args.weights:
            result = spawn(args.seeds[0], False, True, args.quick, weight)
            report["box_weights"].append({**result, "seed": args.seeds[0]})
            print(json.dumps(result), flush=True)
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        return 0
    runs = []
    for seed, one_core, onednn in plan(args.seeds):
        result = spawn(seed, one_core, onednn, args.quick)
        result.update(seed=seed, cores="1 (taskset -c 0)" if one_core else "all", onednn=onednn)
        runs.append(result)
        print(json.dumps(result), flush=True)
    path = Path(args.json)
    earlier = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    report = {"date": time.strftime("%Y-%m-%d"), "machine": platform.processor() or platform.machine(),
              "cores": os.cpu_count(), "quick": args.quick, "runs": runs, "range": summary(runs),
              **{key: earlier[key] for key in ("box_weights", "broken") if key in earlier}}
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report["range"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
