"""Widgets that redraw a matplotlib figure into an ``Image`` widget when a control changes.

Why not ``interact`` or an ``Output`` widget: when a notebook is executed headless (``make execute``), nbclient
mirrors every Output widget and sends its new state back to the kernel in the middle of the cell. That send can
swallow the wake-up for the cell's reply, and the run then waits silently for the whole cell timeout (600 s).
An ``Image`` widget only sends messages from the kernel to the client, so it cannot cause that stall.
"""

import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def figure_png(fig):
    """Render a matplotlib figure to PNG bytes (tight bounding box, the figure's own dpi) and close it."""
    if not isinstance(fig, Figure):
        raise TypeError(f"figure_png expects a matplotlib Figure (e.g. from plt.subplots()), got {type(fig).__name__}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def live_figure(view, controls, caption=None):
    """Controls above an image of ``view(**values)`` (a Figure) that is redrawn whenever a control changes.

    ``controls`` maps keyword arguments of ``view`` to widgets; ``caption(**values)`` may return a line shown
    above the figure. A ``ValueError`` from ``view`` is shown as the caption instead of a figure. Returns a VBox
    with ``.controls``, ``.image``, ``.caption``, ``.values()``, ``.redraw()`` and ``.result`` (the last figure, closed).
    """
    if not callable(view) or (caption is not None and not callable(caption)):
        raise TypeError("live_figure needs view (and caption, if given) to be functions of the control values")
    if not isinstance(controls, dict) or not controls:
        raise TypeError(f"controls must be a non-empty dict {{argument name: widget}}, got {type(controls).__name__}")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets widget with a value (e.g. IntSlider), "
                            f"got {type(control).__name__}")
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
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
        label.value = html.escape(caption(**kwargs)) if caption else ""
        box.result = fig
        image.value = figure_png(fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    box.controls, box.image, box.caption, box.values, box.redraw = controls, image, label, values, redraw
    box.result = None
    redraw()
    return box
