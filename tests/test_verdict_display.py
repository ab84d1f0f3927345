"""A check that ends a cell shows only its message: the ``Verdict`` it returns must not print as the cell's value.

Executed in a real kernel (nbclient), as a lesson is, because only IPython's display hook shows the difference: an
audit (issue #23) found that a ``Verdict`` printing ``Verdict(ok=False)`` under every exercise passed the unit tests.
"""

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

CELLS = [
    "from utils.checks import check_array, check_function, check_value, more_help",
    "check_value(None, 3, hints=['think first', 'then look closer'])",    # a student cell: placeholder
    "check_value(3, 3)",                                                    # right
    "check_array([1, 2], [1, 3], hints='compare the second entry')",        # wrong
    "check_function(None, abs, [(1,)])",
    "assert check_value(4, 4)",                                             # a solution cell
    "verdict = check_value(2, 3)\nverdict",                                 # a verdict as the cell's value
    "more_help()",
]


def run_cells(cells):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    env_path = f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    os.environ["PYTHONPATH"], old = env_path, os.environ.get("PYTHONPATH")
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    return nb


def test_checks_show_their_message_and_no_verdict():
    nb = run_cells(CELLS)
    outputs = [c.outputs for c in nb.cells]
    for cell, outs in zip(CELLS[1:], outputs[1:]):
        kinds = [o.output_type for o in outs]
        assert kinds == ["stream"] and outs[0].name == "stdout", f"{cell!r} shows {kinds}: {outs}"
        assert "Verdict" not in outs[0].text, f"{cell!r} printed the verdict: {outs[0].text!r}"
    texts = [o[0].text for o in outputs[1:]]
    assert texts[0].startswith("❌ Not yet: no answer yet") and "Hint: think first" in texts[0]
    assert texts[1].startswith("✅ Correct!")
    assert texts[2].startswith("❌ Not yet: 1 of 2 values differ") and "compare the second entry" in texts[2]
    assert texts[3].startswith("❌ Not yet: no answer yet")
    assert texts[4].startswith("✅")
    assert texts[5].startswith("❌ Not yet: your answer = 2 is too small")
    assert texts[6].startswith("No more hints"), "the last failed check had no second hint"
