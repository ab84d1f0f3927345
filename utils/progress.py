"""Live progress for long work in a lesson: a bar and a line of text that update while Keras trains or data is drawn.

In a Jupyter kernel the bar is an ipywidgets widget shown once per run. What the notebook stores for it is one fixed
line of text (``STORED_TEXT``) plus the widget view, which nbval skips, so outputs do not depend on timings or
results and a run with a frontend stores the same as one without. Outside a kernel (scripts, tests) it writes a text
bar to stderr. ``quiet=True`` shows nothing anywhere.

    history = model.fit(train_ds, epochs=EPOCHS, verbose=0, callbacks=[progress.training("CNN")])
"""

import sys
import time

STORED_TEXT = "(progress bar: it moves while the cell runs)"


def in_kernel():
    """True inside a Jupyter kernel (where widgets can be displayed), False in a plain Python process."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return bool(shell) and getattr(shell, "kernel", None) is not None


def _widget_box(total, label):
    """An HBox (bar + text) whose stored text is STORED_TEXT, displayed now; returns (box, bar, text)."""
    import ipywidgets as widgets
    from IPython.display import display

    class Box(widgets.HBox):
        def _repr_mimebundle_(self, **kwargs):
            return {**super()._repr_mimebundle_(**kwargs), "text/plain": STORED_TEXT}

    bar = widgets.IntProgress(value=0, min=0, max=max(1, int(total)), description=label,
                              style={"description_width": "initial"})
    text = widgets.Label(value="starting …")
    box = Box([bar, text])
    display(box)
    return box, bar, text


class Bar:
    """Progress of ``total`` steps: ``update(done, text)`` moves it, ``close(text)`` marks it finished."""

    def __init__(self, total, label="", quiet=False):
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise ValueError(f"Bar(total=...) expects a non-negative int, got {total!r}")
        self.total, self.label, self.start = total, str(label), time.perf_counter()
        self.widget = _widget_box(total, self.label) if in_kernel() and not quiet else None
        self.quiet, self.shown = quiet or self.widget is not None, None

    def elapsed(self):
        """Seconds since the bar was made."""
        return time.perf_counter() - self.start

    def update(self, done, text=""):
        """Show ``done`` of ``total`` steps and a short text (e.g. the last loss)."""
        done = min(max(int(done), 0), self.total)
        line = text or f"{done}/{self.total} · {self.elapsed():.1f} s"
        if self.widget is not None:
            _, bar, label = self.widget
            bar.value, label.value = done, line
        elif not self.quiet and (done, line) != self.shown:
            width = 25 * done // max(self.total, 1)
            sys.stderr.write(f"\r{self.label}: [{'#' * width}{'.' * (25 - width)}] {line}")
            sys.stderr.flush()
        self.shown = (done, line)

    def close(self, text="", done=None):
        """Mark the work as finished at ``done`` steps (default: all) (a green bar in a notebook, a new line on stderr)."""
        self.update(self.total if done is None else done, text or f"done in {self.elapsed():.1f} s")
        if self.widget is not None:
            self.widget[1].bar_style = "success"
        elif not self.quiet:
            sys.stderr.write("\n")


def epoch_text(epoch, epochs, logs, seconds):
    """One line about the epoch that just ended: its number, the metrics Keras logged (3 digits) and the time."""
    metrics = " · ".join(f"{name} {value:.3f}" for name, value in sorted((logs or {}).items())
                         if isinstance(value, (int, float)))
    return " · ".join(part for part in (f"epoch {epoch}/{epochs}", metrics, f"{seconds:.1f} s") if part)


def training(label="training", quiet=False):
    """A Keras callback that shows a live bar of the epochs, with the latest metrics, while ``fit`` runs."""
    import keras

    class TrainingProgress(keras.callbacks.Callback):
        """Moves a Bar one step per epoch."""

        def on_train_begin(self, logs=None):
            self.bar = Bar(int(self.params.get("epochs") or 1), label, quiet)

        def on_epoch_end(self, epoch, logs=None):
            self.bar.update(epoch + 1, epoch_text(epoch + 1, self.bar.total, logs, self.bar.elapsed()))

        def on_train_end(self, logs=None):
            done, text = self.bar.shown or (0, "")
            self.bar.close(f"{text} · done" if text else "done", done)  # stopped early: the bar stays where it was

    return TrainingProgress()
