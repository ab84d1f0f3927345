"""How fast is utils.conv? Vectorised correlate2d vs cv2.filter2D, and the naive Python loop vs vectorised.

Usage: python benchmarks/conv_speed.py [--size 512] [--repeats 7] [--json results.json]
Bars: vectorised within 3x of cv2.filter2D; naive loop at least 100x slower than vectorised.
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from utils.conv import correlate2d, correlate2d_naive  # noqa: E402

MAX_VS_CV2 = 3.0
MIN_NAIVE_VS_VECTORISED = 100.0


def timings(func, repeats):
    """(median, minimum) wall-clock seconds of ``repeats`` calls of ``func()`` after one warm-up call."""
    return interleaved_timings([func], repeats)[0]


def interleaved_timings(funcs, repeats):
    """(median, minimum) seconds for each function, called in turn each round so that all see the same machine state.

    Sub-millisecond timings drift with CPU clock and cache state; timing the contenders side by side makes
    their ratio stable even when the absolute times move.
    """
    for func in funcs:
        func()
    times = [[] for _ in funcs]
    for _ in range(repeats):
        for func, bucket in zip(funcs, times):
            start = time.perf_counter()
            func()
            bucket.append(time.perf_counter() - start)
    return [(float(np.median(t)), float(np.min(t))) for t in times]


def median_time(func, repeats):
    """Median wall-clock seconds of ``repeats`` calls of ``func()`` (benchmarks/run.py uses it)."""
    return timings(func, repeats)[0]


def numpy_floor(image, kernel):
    """The least a NumPy sum of shifted slices can cost: 2*F*F - 1 whole-array passes, no allocation, no padding."""
    out, tmp = np.empty_like(image), np.empty_like(image)
    taps = [float(w) for w in kernel.ravel()]

    def passes():
        np.multiply(image, taps[0], out=out)
        for w in taps[1:]:
            np.multiply(image, w, out=tmp)
            np.add(out, tmp, out=out)

    return passes


def run(size=512, repeats=7, naive_repeats=3, seed=0):
    """Time the three implementations on one size x size float32 image with a 3x3 kernel; return a dict."""
    rng = np.random.default_rng(seed)
    image = rng.random((size, size), dtype=np.float32)
    kernel = rng.normal(size=(3, 3)).astype(np.float32)
    fast = correlate2d(image, kernel, padding="same")
    reference = cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT)
    slow = correlate2d_naive(image, kernel, padding="same")
    if not (np.allclose(fast, reference, atol=1e-4) and np.allclose(fast, slow, atol=1e-4)):
        raise AssertionError("the three implementations disagree: fix utils.conv before timing it")
    (t_cv2, m_cv2), (t_vec, m_vec), (t_floor, m_floor) = interleaved_timings(
        [lambda: cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT),
         lambda: correlate2d(image, kernel, padding="same"), numpy_floor(image, kernel)], repeats)
    t_naive, m_naive = timings(lambda: correlate2d_naive(image, kernel, padding="same"), naive_repeats)
    return {
        "image": f"{size}x{size} float32", "kernel": "3x3 float32", "padding": "same",
        "repeats": repeats, "naive_repeats": naive_repeats,
        "seconds": {"cv2_filter2d": t_cv2, "vectorised": t_vec, "naive": t_naive, "numpy_floor": t_floor},
        "min_seconds": {"cv2_filter2d": m_cv2, "vectorised": m_vec, "naive": m_naive, "numpy_floor": m_floor},
        "numpy_floor_over_cv2": t_floor / t_cv2,
        "vectorised_over_cv2": t_vec / t_cv2,
        "naive_over_vectorised": t_naive / t_vec,
        "vectorised_over_cv2_min": m_vec / m_cv2,
        "naive_over_vectorised_min": m_naive / m_vec,
        "bars": {"vectorised_over_cv2_max": MAX_VS_CV2, "naive_over_vectorised_min": MIN_NAIVE_VS_VECTORISED},
        "meets_bars": bool(t_vec / t_cv2 <= MAX_VS_CV2 and t_naive / t_vec >= MIN_NAIVE_VS_VECTORISED),
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "opencv": cv2.__version__,
                    "cv2_threads": cv2.getNumThreads(), "processor": platform.machine()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512, help="image side in pixels (default 512)")
    parser.add_argument("--repeats", type=int, default=51, help="timed repeats for the fast versions")
    parser.add_argument("--naive-repeats", type=int, default=3, help="timed repeats for the naive loop")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file (default: stdout)")
    args = parser.parse_args(argv)
    if args.size < 3 or args.repeats < 1 or args.naive_repeats < 1:
        parser.error("--size must be >= 3 and the repeats >= 1")
    result = run(args.size, args.repeats, args.naive_repeats)
    s = result["seconds"]
    m = result["min_seconds"]
    print(f"median (min) of {args.repeats} runs, {result['image']} image, {result['kernel']} kernel", file=sys.stderr)
    print(f"cv2.filter2D  {s['cv2_filter2d'] * 1e3:9.3f} ({m['cv2_filter2d'] * 1e3:.3f}) ms", file=sys.stderr)
    print(f"vectorised    {s['vectorised'] * 1e3:9.3f} ({m['vectorised'] * 1e3:.3f}) ms   "
          f"{result['vectorised_over_cv2']:.1f}x ({result['vectorised_over_cv2_min']:.1f}x) cv2, bar <= {MAX_VS_CV2:g}x",
          file=sys.stderr)
    print(f"NumPy floor   {s['numpy_floor'] * 1e3:9.3f} ({m['numpy_floor'] * 1e3:.3f}) ms   "
          f"{result['numpy_floor_over_cv2']:.1f}x cv2 (17 bare array passes: no slicing, padding or allocation)",
          file=sys.stderr)
    print(f"naive loops   {s['naive'] * 1e3:9.1f} ({m['naive'] * 1e3:.1f}) ms   "
          f"{result['naive_over_vectorised']:.0f}x ({result['naive_over_vectorised_min']:.0f}x) vectorised, "
          f"bar >= {MIN_NAIVE_VS_VECTORISED:g}x", file=sys.stderr)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    else:
        print(text)
    return 0 if result["meets_bars"] else 1


if __name__ == "__main__":
    sys.exit(main())
