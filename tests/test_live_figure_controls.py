"""Every control of a ``live_figure`` reaches its view and its caption, and changing any of them redraws.

An audit (issue #23) found that ``live_figure`` passing only its first control to the view survived the widget's
own tests; these read back what the view received and what it drew, for each control in turn.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt

from utils.figure_widget import live_figure


def recording_view(calls):
    """A view with defaults for every argument (so a missing one does not crash) that titles its figure with them."""

    def view(size=0, gain=0.0, cmap="none", flip=False):
        calls.append({"size": size, "gain": gain, "cmap": cmap, "flip": flip})
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.set_title(f"{size} {gain} {cmap} {flip}")
        return fig

    return view


def controls():
    return {"size": widgets.IntSlider(value=3, min=1, max=9), "gain": widgets.FloatSlider(value=0.5, max=2.0),
            "cmap": widgets.Dropdown(options=["viridis", "magma"], value="viridis"),
            "flip": widgets.Checkbox(value=True)}


def test_the_first_drawing_gets_every_control_value():
    calls = []
    box = live_figure(recording_view(calls), controls())
    assert calls == [{"size": 3, "gain": 0.5, "cmap": "viridis", "flip": True}]
    assert box.result.axes[0].get_title() == "3 0.5 viridis True"


def test_each_control_reaches_the_view_and_redraws_it():
    calls = []
    box = live_figure(recording_view(calls), controls())
    expected = {"size": 3, "gain": 0.5, "cmap": "viridis", "flip": True}
    for name, value in [("size", 7), ("gain", 1.5), ("cmap", "magma"), ("flip", False)]:
        before = len(calls)
        box.controls[name].value = value
        expected[name] = value
        assert len(calls) == before + 1, f"changing {name!r} did not redraw the view"
        assert calls[-1] == expected, f"after changing {name!r} the view got {calls[-1]}"
        assert box.result.axes[0].get_title() == " ".join(str(expected[k]) for k in ("size", "gain", "cmap", "flip"))
        assert box.values() == expected


def test_the_image_changes_with_every_control():
    box = live_figure(recording_view([]), controls())
    seen = {bytes(box.image.value)}
    for name, value in [("size", 8), ("gain", 2.0), ("cmap", "magma"), ("flip", False)]:
        box.controls[name].value = value
        seen.add(bytes(box.image.value))
    assert len(seen) == 5, "some control change left the picture as it was"


def test_the_caption_gets_every_control_value():
    got = []

    def caption(**values):
        got.append(values)
        return "; ".join(f"{k}={v}" for k, v in sorted(values.items()))

    box = live_figure(recording_view([]), controls(), caption=caption)
    box.controls["flip"].value = False
    assert got[-1] == {"size": 3, "gain": 0.5, "cmap": "viridis", "flip": False}
    assert box.caption.value == "cmap=viridis; flip=False; gain=0.5; size=3"
