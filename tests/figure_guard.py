"""A cheap guard that a figure still shows what the lesson says it shows (nbval compares none of them).

``describe(fig)`` lists what a reader reads off a figure: titles, axis labels, tick labels, legend entries, the
texts written on each axes and how many images, lines and bars it holds. ``dhash(fig)`` is a 64-bit perceptual
hash (difference hash of the rendered figure), compared with ``hamming`` and a tolerance, so that small rendering
differences between machines pass and a changed picture does not.
"""

import cv2
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


def describe(fig):
    """{'suptitle': str, 'axes': [{title, xlabel, ylabel, xticks, yticks, legend, texts, images, lines, bars}]}."""
    FigureCanvasAgg(fig).draw()   # tick labels exist only once drawn
    axes = []
    for ax in fig.axes:
        legend = ax.get_legend()
        axes.append({
            "title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "xticks": [t.get_text() for t in ax.get_xticklabels()],
            "yticks": [t.get_text() for t in ax.get_yticklabels()],
            "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
            "texts": [t.get_text() for t in ax.texts],
            "images": len(ax.images), "lines": len(ax.lines), "bars": len(ax.patches),
        })
    return {"suptitle": fig._suptitle.get_text() if fig._suptitle else "", "axes": axes}


def dhash(fig, dpi=40):
    """64-bit difference hash of the rendered figure: is each of 8×8 cells darker than its right neighbour?"""
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    canvas.draw()
    gray = cv2.cvtColor(np.asarray(canvas.buffer_rgba())[..., :3], cv2.COLOR_RGB2GRAY)
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(int)
    bits = (small[:, 1:] > small[:, :-1]).ravel()
    return int("".join("1" if b else "0" for b in bits), 2)


def hamming(a, b):
    """Number of bits in which two hashes differ."""
    return bin(a ^ b).count("1")
