"""utils.progress: a live bar while Keras trains or data is drawn; in a notebook it stores one fixed line, so nbval
still compares the outputs exactly."""

import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from utils import progress

ROOT = Path(__file__).resolve().parents[1]
TRAIN = """from utils.notebook import setup
keras = setup(keras=True)
import numpy as np
from utils import progress
x, y = np.random.rand(64, 4).astype("float32"), np.random.randint(0, 2, 64)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
callback = progress.training("tiny model")
history = model.fit(x, y, epochs=3, verbose=0, callbacks=[callback])
bar = callback.bar.widget[1]
print(bar.value, bar.max, bar.bar_style, len(history.history["loss"]))"""


def test_text_bar_outside_a_notebook(capsys):
    bar = progress.Bar(4, "drawing")
    bar.update(2, "half")
    bar.close()
    err = capsys.readouterr().err
    assert "drawing: [############.............] half" in err and err.endswith("\n")
    quiet = progress.Bar(4, "drawing", quiet=True)
    quiet.update(3)
    quiet.close()
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("total", [-1, 2.5, "3", True])
def test_bar_rejects_bad_totals(total):
    with pytest.raises(ValueError, match="non-negative int"):
        progress.Bar(total)


def test_epoch_text():
    assert progress.epoch_text(3, 20, {"loss": 0.41234, "val_accuracy": 0.875, "note": "x"}, 2.04) == (
        "epoch 3/20 · loss 0.412 · val_accuracy 0.875 · 2.0 s")


def test_widget_in_a_kernel_is_stored_as_fixed_text(monkeypatch):
    shown = []
    monkeypatch.setattr(progress, "in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj._repr_mimebundle_()))
    bar = progress.Bar(5, "drawing")
    bar.update(2, "2 of 5")
    bar.close()
    assert len(shown) == 1 and shown[0]["text/plain"] == progress.STORED_TEXT
    assert "application/vnd.jupyter.widget-view+json" in shown[0]
    assert (bar.widget[1].value, bar.widget[1].max, bar.widget[1].bar_style) == (5, 5, "success")
    assert progress.Bar(5, "quiet", quiet=True).widget is None and len(shown) == 1


def test_keras_callback_outside_a_notebook(capsys):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    callback = progress.training("tiny", quiet=True)
    model.fit(np.ones((8, 3), "float32"), np.ones(8, "float32"), epochs=2, verbose=0, callbacks=[callback])
    assert callback.bar.shown[0] == 2 and callback.bar.shown[1].startswith("epoch 2/2 · loss ")
    assert capsys.readouterr().err == ""


def test_a_notebook_that_trains_with_progress_passes_nbval(tmp_path):
    """Run a notebook that trains with the callback, store it, then let strict nbval re-run and compare it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(TRAIN)]
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data", "stream"]
    assert outputs[0].data["text/plain"] == progress.STORED_TEXT and outputs[1].text == "3 3 success 3\n"
    path = tmp_path / "progress_check.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-current-env", str(path)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
