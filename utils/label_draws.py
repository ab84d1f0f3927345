"""Lesson 07's results over many label draws, as measured by ``benchmarks/few_labels.py`` and stored in
``benchmarks/few_labels.json``: reading them, and the figures that show a student's run against them.

A run's key is ``"rung | labels | draw"``; its record holds ``test`` (test accuracy), ``train_clean`` (accuracy on
its own training photos in inference mode), ``epochs``, ``seconds``, ``cpu_seconds`` and, at the lesson's budget,
``curve``: [wall s, test accuracy, cpu s] after every epoch of training (the pretrained path's starts with
extracting the features and training the head).
"""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from utils import validate
from utils.paths import COURSE_ROOT, relative

MEASURED = COURSE_ROOT / "benchmarks" / "few_labels.json"
RUNGS = ("from scratch", "+ augmentation", "+ augmentation + dropout", "pretrained, frozen",
         "pretrained, fine-tuned")
SCRATCH, AUGMENTED, REGULARISED, FROZEN, TUNED = RUNGS
COLOURS = dict(zip(RUNGS, plt.cm.viridis([0.0, 0.3, 0.45, 0.65, 0.85])))
YOURS = "#d55e00"  # vermilion: stands out against viridis for colour-blind readers too
MEASURE_COMMAND = "PYTHONPATH=$PWD .venv/bin/python benchmarks/few_labels.py --plan full"


def key(rung, n, draw):
    """A run's key in the JSON."""
    return f"{rung} | {n} | {draw}"


def parse(run_key):
    """(rung, labels, draw) of a run's key."""
    rung, n, draw = (p.strip() for p in run_key.split("|"))
    return rung, int(n), int(draw)


def load(path=MEASURED):
    """The stored measurement; a clear error naming the command that makes it when the file is missing or broken."""
    path = Path(path)
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FileNotFoundError(f"{relative(path)} is missing or not JSON ({type(error).__name__}): measure it "
                                f"with `{MEASURE_COMMAND}` (about an hour on 2 cores)") from error
    if not isinstance(results, dict) or not isinstance(results.get("runs"), dict):
        raise ValueError(f"{relative(path)} holds no runs: measure it with `{MEASURE_COMMAND}`")
    return results


def runs(results, rung, n):
    """The records of one rung at ``n`` labels, in draw order: {draw: record}."""
    found = {parse(k)[2]: r for k, r in results["runs"].items() if parse(k)[:2] == (rung, n)}
    return dict(sorted(found.items()))


def accuracies(results, rung, n):
    """Test accuracies of one rung at ``n`` labels over the draws (array, draw order)."""
    return np.array([r["test"] for r in runs(results, rung, n).values()])


def clean_gaps(results, rung, n):
    """Accuracy on the clean training photos minus test accuracy, over the draws (array, draw order)."""
    return np.array([r["train_clean"] - r["test"] for r in runs(results, rung, n).values()])


def label_counts(results, rung=SCRATCH):
    """The numbers of labels measured for ``rung``, ascending."""
    return sorted({parse(k)[1] for k in results["runs"] if parse(k)[0] == rung})


def time_to_reach(results, target_rung=SCRATCH, n=200):
    """Per draw: (target = ``target_rung``'s final test accuracy, cpu seconds it needed to first reach it, cpu
    seconds of its whole training, cpu seconds the pretrained path needed to first reach it, or None if never).

    Both paths are timed alike, from the test accuracy after every epoch (training cpu seconds only)."""
    target_runs, tuned = runs(results, target_rung, n), runs(results, TUNED, n)
    rows = {}
    for draw in sorted(set(target_runs) & set(tuned)):
        target = target_runs[draw]["test"]
        first = [next((p[2] for p in r[draw]["curve"] if p[1] >= target), None) for r in (target_runs, tuned)]
        rows[draw] = (target, first[0], target_runs[draw]["curve"][-1][2], first[1])
    return rows


def _percent_axis(ax, label="test accuracy (%)", axis="y"):
    getattr(ax, f"set_{axis}label")(label)
    getattr(ax, f"set_{axis}lim")(45, 101)
    ax.grid(alpha=0.3, axis=axis)


def plot_draws(results, yours=None, n=200, title=None):
    """Every rung's test accuracy over the stored draws (dots, mean as a bar) and ``yours`` = {rung: accuracy}
    (this run, as stars); returns the figure."""
    yours = {} if yours is None else dict(yours)
    unknown = set(yours) - set(RUNGS)
    if unknown:
        raise ValueError(f"yours: unknown rungs {sorted(unknown)}; known: {list(RUNGS)}")
    shown = [rung for rung in RUNGS if len(accuracies(results, rung, n))]
    if not shown:
        raise ValueError(f"no stored runs at {n} labels")
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(shown) + 1.6))
    for row, rung in enumerate(shown):
        acc = 100 * accuracies(results, rung, n)
        ax.scatter(acc, np.full(acc.size, row), s=45, color=COLOURS[rung], alpha=0.8, zorder=2,
                   label=f"stored draws ({acc.size} per rung)" if row == 0 else None)
        ax.plot([acc.mean()] * 2, [row - 0.3, row + 0.3], color="black", lw=2, zorder=3,
                label="their mean" if row == 0 else None)
        if rung in yours:
            ax.scatter(100 * yours[rung], row, s=220, marker="*", color=YOURS, edgecolor="black", zorder=4,
                       label="your run" if rung == next(r for r in shown if r in yours) else None)
    ax.set_yticks(range(len(shown)), shown)
    ax.invert_yaxis()
    _percent_axis(ax, axis="x")
    ax.legend(loc="lower left", fontsize=11, ncol=3, frameon=False, bbox_to_anchor=(0, 1.0))
    ax.set_title(title or f"{n} labels: every rung over {len(accuracies(results, shown[0], n))} label draws",
                 pad=30)
    fig.tight_layout()
    return fig


def plot_label_curve(results, rungs=(SCRATCH, REGULARISED, TUNED)):
    """Test accuracy against the number of labels: each draw a dot, the mean a line; returns the figure."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    counts = set()
    for rung in rungs:
        ns = [m for m in label_counts(results, rung) if len(accuracies(results, rung, m))]
        if not ns:
            continue
        counts.update(ns)
        accs = [100 * accuracies(results, rung, m) for m in ns]
        ax.plot(ns, [a.mean() for a in accs], "-", color=COLOURS[rung], lw=2, label=rung)
        for m, a in zip(ns, accs):
            ax.scatter(np.full(a.size, m), a, s=14, color=COLOURS[rung], alpha=0.6)
    validate.positive_int("number of label counts", len(counts))
    ax.set_xscale("log")
    ax.set_xticks(sorted(counts), [f"{m:,}" for m in sorted(counts)])
    ax.minorticks_off()
    ax.set_xlabel("labelled photos (studio)")
    _percent_axis(ax)
    ax.legend(loc="lower right", fontsize=11)
    ax.set_title("Label efficiency: test accuracy against labels (dots: draws)")
    fig.tight_layout()
    return fig


def plot_time_to_reach(results, n=200):
    """Test accuracy against training cpu seconds for every draw: from scratch, with augmentation and dropout, and
    the pretrained path (features, head, fine-tuning); a dot where each first reaches from scratch's final
    accuracy. Returns the figure."""
    reach = time_to_reach(results, SCRATCH, n)
    if not reach:
        raise ValueError(f"no draw at {n} labels has curves of both from scratch and the pretrained path")
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    for rung, name in ((SCRATCH, SCRATCH), (REGULARISED, REGULARISED), (TUNED, "pretrained path")):
        for i, record in enumerate(runs(results, rung, n).values()):
            curve = np.array(record["curve"])
            ax.plot(curve[:, 2], 100 * curve[:, 1], color=COLOURS[rung], lw=1.2, alpha=0.8,
                    label=name if i == 0 else None)
    for i, (target, scratch_s, _, tuned_s) in enumerate(reach.values()):
        for seconds, rung in ((scratch_s, SCRATCH), (tuned_s, TUNED)):
            if seconds is not None:
                ax.scatter(seconds, 100 * target, s=50, color=COLOURS[rung], edgecolor="black", zorder=3,
                           label="first reaches from scratch's final accuracy" if i == 0 and rung == TUNED else None)
    ax.set_xscale("log")
    ax.set_xlabel("training time (cpu seconds, log scale)")
    _percent_axis(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=10, frameon=False)
    ax.set_title(f"{n} labels: test accuracy while training, {len(reach)} draws")
    fig.tight_layout()
    return fig
