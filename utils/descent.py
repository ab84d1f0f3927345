"""Lesson 06's picture of training: a toy data set small enough to draw the loss of a two-weight model over every
pair of weights, and the paths that gradient descent and Adam take down that surface.

The update rules themselves (cross-entropy, its gradient, gradient descent, Adam) are written in lesson 06; this
module only makes the toy data and draws.
"""

import matplotlib.pyplot as plt
import numpy as np

from utils import validate

COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7")     # Okabe-Ito: safe for colour-blind eyes


def two_clusters(n=200, spread=(1.0, 0.1), seed=0):
    """``(x, y)``: ``n`` points with two features, half of class 0 around ``-spread`` and half of class 1 around
    ``+spread`` (each feature with that standard deviation too), so the second feature is on a smaller scale."""
    n = validate.positive_int("n", n)
    if n < 2 or n % 2:
        raise ValueError(f"n must be an even number of at least 2 (half per class), got {n}")
    spread = np.asarray([validate.number("spread", s, 1e-6, 1e6) for s in spread], dtype="float64")
    if spread.shape != (2,):
        raise ValueError(f"spread must hold two numbers (one per feature), got {spread.tolist()}")
    rng = np.random.default_rng(seed)
    y = np.repeat([0.0, 1.0], n // 2)
    x = rng.normal((2 * y - 1)[:, None] * spread, spread)
    return x, y


def loss_grid(loss, w1, w2):
    """The loss at every pair of weights of the grid ``w1`` × ``w2``: an array (len(w2), len(w1))."""
    return np.array([[float(loss(np.array([a, b]))) for a in w1] for b in w2])


def plot_descent(loss, paths, w1_range, w2_range, title="Two optimisers walking down the same loss surface"):
    """Left: the loss over two weights as contour lines, with each path of weights drawn on it; right: the loss
    at every step of each path. ``paths`` maps a name to an array (steps, 3) of (w1, w2, loss)."""
    if not isinstance(paths, dict) or not paths:
        raise ValueError("paths must be a non-empty dict {optimiser name: array of (w1, w2, loss) per step}")
    paths = {name: np.asarray(p, dtype="float64") for name, p in paths.items()}
    for name, p in paths.items():
        if p.ndim != 2 or p.shape[1] != 3 or len(p) < 1:
            raise ValueError(f"the path of {name!r} must have shape (steps, 3): w1, w2, loss; got {p.shape}")
    w1, w2 = np.linspace(*w1_range, 90), np.linspace(*w2_range, 90)
    z = loss_grid(loss, w1, w2)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.25, 1]})
    levels = np.quantile(z, np.linspace(0.0, 0.97, 14) ** 2)
    left.contour(w1, w2, z, levels=np.unique(levels), cmap="viridis", linewidths=1)
    best = np.unravel_index(np.argmin(z), z.shape)
    left.plot(w1[best[1]], w2[best[0]], "k*", ms=12, label="lowest loss")
    for colour, (name, p) in zip(COLOURS, paths.items()):
        left.plot(p[:, 0], p[:, 1], "o-", color=colour, ms=3, lw=1.5, label=name)
        right.plot(np.arange(len(p)), p[:, 2], color=colour, lw=2, label=name)
    start = next(iter(paths.values()))[0]
    left.plot(start[0], start[1], "s", color="0.2", ms=7, label="start")
    left.set_xlim(*w1_range)
    left.set_ylim(*w2_range)
    left.set_xlabel("weight 1")
    left.set_ylabel("weight 2")
    left.set_title("loss surface (contour lines) and paths")
    left.legend(fontsize=11, loc="upper left")
    right.set_xlabel("step")
    right.set_ylabel("loss (cross-entropy)")
    right.set_title("loss at every step")
    right.grid(alpha=0.3)
    right.legend(fontsize=11)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
