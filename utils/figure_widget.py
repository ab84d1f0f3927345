"""Widgets that redraw a matplotlib figure into an ``Image`` widget when a control changes, fast.

Why not ``interact`` or an ``Output`` widget: when a notebook is executed headless (``make execute``), nbclient
mirrors every Output widget and sends its new state back to the kernel in the middle of the cell. That send can
swallow the wake-up for the cell's reply, and the run then waits silently for the whole cell timeout (600 s).
An ``Image`` widget only sends messages from the kernel to the client, so it cannot cause that stall.

Why so fast: building a new figure and saving it with ``savefig(bbox_inches="tight")`` took 100–200 ms per
change. A view may instead keep its figure alive and change only its artists (``set_data``, ``set_text``).
``render_figure`` then draws the figure once, keeps that picture, and on later calls draws only the artists
marked as changing (``animate``) over it, encoding the pixels with OpenCV.
"""

import html
from functools import lru_cache

import cv2
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

TEXT_SIZE = 11  # points: the smallest figure text readable on a 1280×720 slide at the course's 80 dpi (CONTRIBUTING)
ENCODINGS = {"png": (".png", [cv2.IMWRITE_PNG_COMPRESSION, 1]), "jpeg": (".jpg", [cv2.IMWRITE_JPEG_QUALITY, 90])}


def encode_image(rgb, fmt="png"):
    """Encode an (H, W), (H, W, 3) or (H, W, 4) uint8 RGB(A) array as PNG or JPEG bytes with OpenCV."""
    if fmt not in ENCODINGS:
        raise ValueError(f"fmt must be one of {list(ENCODINGS)}, got {fmt!r}")
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim not in (2, 3) or (rgb.ndim == 3 and rgb.shape[2] not in (3, 4)):
        raise ValueError(f"encode_image needs a uint8 array of shape (H, W), (H, W, 3) or (H, W, 4), "
                         f"got {rgb.dtype} {rgb.shape}")
    if rgb.ndim == 3:
        rgb = cv2.cvtColor(rgb, cv2.COLOR_RGBA2BGR if rgb.shape[2] == 4 else cv2.COLOR_RGB2BGR)
    extension, params = ENCODINGS[fmt]
    ok, data = cv2.imencode(extension, rgb, params)
    if not ok:
        raise RuntimeError(f"OpenCV could not encode a {rgb.shape} image as {fmt}")
    return data.tobytes()


def animate(*artists):
    """Mark artists (already in a figure) that a live view changes: ``render_figure`` redraws only these."""
    for artist in artists:
        fig = artist.get_figure(root=True)
        if fig is None:
            raise ValueError(f"animate: {artist!r} is not in a figure yet; add it to an axes first")
        artist.set_animated(True)
        kept = getattr(fig, "live_artists", [])  # kept on the figure: gone with it
        fig.live_artists = kept if artist in kept else [*kept, artist]


def _check_figure(fig, name):
    if not isinstance(fig, Figure):
        raise TypeError(f"{name} expects a matplotlib Figure (e.g. from plt.subplots()), got {type(fig).__name__}")


def render_figure(fig, fmt="jpeg"):
    """The figure's pixels as PNG or JPEG bytes; the figure stays open for the next update.

    The full figure is drawn only the first time, or after a change to an artist that is not marked with
    ``animate``; otherwise the kept picture is restored and only the animated artists are drawn on it.
    """
    _check_figure(fig, "render_figure")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    kept = getattr(fig, "live_background", None)  # (picture without the animated artists, canvas size)
    if kept is None or fig.stale or kept[1] != canvas.get_width_height():
        canvas.draw()  # draws everything except the animated artists
        kept = fig.live_background = (canvas.copy_from_bbox(fig.bbox), canvas.get_width_height())
    else:
        canvas.restore_region(kept[0])
    fig.live_artists = [a for a in getattr(fig, "live_artists", []) if a.get_figure(root=True) is fig]  # not removed
    for artist in sorted(fig.live_artists, key=lambda a: a.get_zorder()):
        fig.draw_artist(artist)
    return encode_image(np.asarray(canvas.buffer_rgba()), fmt)


class NumberCollection(PathCollection):
    """Numbers written at many points as one artist of glyph outlines; ``.labels`` holds the strings.

    Hundreds of ``ax.text`` artists take about 0.5 ms each to draw; one collection of their outlines takes a few ms.
    """


@lru_cache(maxsize=4096)
def _glyphs(label, size):
    """The outline of ``label`` in the default font at ``size`` points, centred on (0, 0)."""
    path = TextPath((0, 0), label, size=size, prop=FontProperties(family=plt.rcParams["font.family"]))
    low, high = path.vertices.min(axis=0), path.vertices.max(axis=0)  # the box of the outline's control points
    return path.transformed(Affine2D().translate(*-(low + high) / 2))


def write_numbers(ax, labels, centres, fontsize, colors):
    """Write each of ``labels`` centred at its (x, y) data point in ``centres``; returns the ``NumberCollection``."""
    numbers = NumberCollection([_glyphs(label, fontsize) for label in labels], offsets=centres,
                               offset_transform=ax.transData, transform=Affine2D().scale(ax.figure.dpi / 72),
                               facecolors=colors, edgecolors="none")
    numbers.labels, numbers.fontsize = list(labels), fontsize
    numbers.set_in_layout(False)
    numbers.set_zorder(3)  # above cells and windows, like text
    ax.add_collection(numbers, autolim=False)
    return numbers


def fitting_size(labels, cell, largest=14):
    """The largest whole font size (points, at most ``largest``) at which every label fits in a square cell of ``cell``
    points (80 % of its width, 60 % of its height); 0 if that is below ``TEXT_SIZE``: then write no numbers."""
    if not labels:
        return largest
    width, height = np.max([_label_box(label) for label in set(labels)], axis=0)
    size = min(largest, TEXT_SIZE * min(0.8 * cell / max(width, 1e-9), 0.6 * cell / max(height, 1e-9)))
    return int(size) if size >= TEXT_SIZE else 0  # whole points: the glyph outlines of each size are kept


@lru_cache(maxsize=4096)
def _label_box(label):
    """Width and height, in points, of the box around the control points of ``label``'s outline at ``TEXT_SIZE``."""
    return tuple(np.ptp(_glyphs(label, TEXT_SIZE).vertices, axis=0))


def drawn_texts(fig):
    """Every non-empty text the figure draws, as (text, size in points, box in pixels), numbers written by
    ``write_numbers`` included (box None): to check that a figure stays readable and inside its edges."""
    _check_figure(fig, "drawn_texts")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer, found = canvas.get_renderer(), []

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            found.append((s, prop.get_size_in_points(), mtext))
        return type(renderer).draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)

    renderer.draw_text = record  # the instance's method, for this one drawing
    try:
        canvas.draw()
        for artist in getattr(fig, "live_artists", []):  # animated artists are left out of a plain draw
            if artist.get_figure(root=True) is fig:  # not removed since
                fig.draw_artist(artist)
    finally:
        del renderer.draw_text
    found = [(s, size, None if text is None else text.get_window_extent(renderer)) for s, size, text in found]
    return found + [(label, c.fontsize, None) for c in fig.findobj(NumberCollection) if c.get_visible()
                    for label in c.labels]


def unreadable_texts(fig, min_size=TEXT_SIZE):
    """What a student could not read in ``fig``: each drawn text smaller than ``min_size`` points or cut off at
    the figure's edge, as a line such as ``"'k[0]': 8 pt"``; an empty list when every text is readable."""
    width, height = (fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)).get_width_height()
    problems = []
    for text, size, box in drawn_texts(fig):
        if size < min_size:
            problems.append(f"{text!r}: {size:g} pt")
        if box is not None and (box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1):
            problems.append(f"{text!r}: cut off at the figure's edge")
    return problems


def figure_png(fig):
    """Render a matplotlib figure to PNG bytes and close it."""
    _check_figure(fig, "figure_png")
    png = render_figure(fig, "png")
    plt.close(fig)
    return png


def live_figure(view, controls, caption=None, fmt="jpeg"):
    """Controls above an image of ``view(**values)`` (a Figure) that is redrawn whenever a control changes.

    ``controls`` maps keyword arguments of ``view`` to widgets; ``caption(**values)`` may return a line shown
    above the figure. A ``ValueError`` from ``view`` is shown as the caption instead of a figure. The view may
    return a new figure each time, or keep one and update its artists (fast: see ``render_figure``). Returns a
    VBox with ``.controls``, ``.image``, ``.caption``, ``.values()``, ``.redraw()`` and ``.result`` (the last figure).
    """
    if not callable(view) or (caption is not None and not callable(caption)):
        raise TypeError("live_figure needs view (and caption, if given) to be functions of the control values")
    if not isinstance(controls, dict) or not controls:
        raise TypeError(f"controls must be a non-empty dict {{argument name: widget}}, got {type(controls).__name__}")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets widget with a value (e.g. IntSlider), "
                            f"got {type(control).__name__}")
    if fmt not in ENCODINGS:
        raise ValueError(f"fmt must be one of {list(ENCODINGS)}, got {fmt!r}")
    image = widgets.Image(format=fmt, layout=widgets.Layout(max_width="100%"))
    label = widgets.HTML()
    box = widgets.VBox([widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                        label, image])

    def values():
        return {name: control.value for name, control in controls.items()}

    def redraw(_=None):
        kwargs = values()
        try:
            fig = view(**kwargs)
        except ValueError as err:
            label.value = f"<b>{html.escape(str(err))}</b>"
            return
        _check_figure(fig, "live_figure's view")
        label.value = html.escape(caption(**kwargs)) if caption else ""
        box.result = fig
        image.value = render_figure(fig, fmt)
        plt.close(fig)  # out of pyplot's list (a notebook would show it again); it can still be drawn

    for control in controls.values():
        control.observe(redraw, names="value")
    box.controls, box.image, box.caption, box.values, box.redraw = controls, image, label, values, redraw
    box.result = None
    redraw()
    return box
