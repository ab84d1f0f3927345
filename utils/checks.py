"""Exercise checks that explain what is wrong, not just that it is wrong.

Every check prints one line that starts with a tick or a cross and returns a verdict that is truthy
when the answer is right; the verdict itself shows nothing in a notebook, so a check can end a cell.
Student cells call a check; solution cells ``assert`` it, so CI proves the solutions pass.
"""

import numpy as np

PASS = "✅"
FAIL = "❌"


class Verdict:
    """The outcome of a check: truthy when correct, and silent when it is a cell's last value."""

    def __init__(self, ok):
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"Verdict(ok={self.ok})"

    def _ipython_display_(self):
        """Display nothing: the check already printed its message."""


def _report(ok, message, hint=""):
    """Print the verdict (and the hint on failure) and return it."""
    if ok:
        print(f"{PASS} Correct! {message}".rstrip())
    else:
        text = f"{FAIL} Not yet: {message}"
        if hint:
            text += f"\n   Hint: {hint}"
        print(text)
    return Verdict(ok)


def _placeholder_message(got):
    """Say what to do when the student has not answered yet; ``None`` when there is an answer."""
    if got is None or got is Ellipsis:
        return "no answer yet (the cell still holds `None` or `...`): replace it with your code."
    return None


def check_value(got, expected, *, name="your answer", hint="", rtol=1e-6, success=""):
    """Compare a number, string, bool or tuple with the expected one."""
    missing = _placeholder_message(got)
    if missing:
        return _report(False, missing, hint)
    if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        try:
            ok = bool(np.isclose(float(got), float(expected), rtol=rtol, atol=rtol))
        except (TypeError, ValueError):
            return _report(False, f"{name} should be a number, got {type(got).__name__} {got!r}.", hint)
        if not ok:
            direction = "too small" if float(got) < float(expected) else "too large"
            return _report(False, f"{name} = {_plain(got)!r} is {direction}.", hint)
        return _report(True, success)
    if isinstance(expected, tuple) and isinstance(got, list):
        got = tuple(got)
    if got != expected:
        return _report(False, f"{name} = {_plain(got)!r} is not what was expected.", hint)
    return _report(True, success)


def check_array(got, expected, *, name="your array", hint="", atol=1e-5, success=""):
    """Compare an array with the expected one: type, shape, dtype kind, then values (says where they differ)."""
    missing = _placeholder_message(got)
    if missing:
        return _report(False, missing, hint)
    try:
        got_arr = np.asarray(got)
    except Exception:  # noqa: BLE001 - anything not array-like gets the same clear message
        return _report(False, f"{name} is a {type(got).__name__}, not an array.", hint)
    expected = np.asarray(expected)
    if got_arr.dtype == object:
        return _report(False, f"{name} is not a numeric array (dtype object).", hint)
    if got_arr.shape != expected.shape:
        return _report(False, f"{name} has shape {got_arr.shape}, expected {expected.shape}.", hint)
    if expected.dtype == bool and got_arr.dtype != bool:
        return _report(False, f"{name} should be a boolean mask, got dtype {got_arr.dtype}.", hint)
    if not np.all(np.isfinite(got_arr.astype(float))):
        return _report(False, f"{name} contains NaN or infinite values.", hint)
    diff = np.abs(got_arr.astype(float) - expected.astype(float))
    bad = diff > atol
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        return _report(
            False,
            f"{int(bad.sum())} of {bad.size} values differ; first at index {first}: "
            f"got {_plain(got_arr[first])!r}, expected {_plain(expected[first])!r}.",
            hint,
        )
    return _report(True, success)


def check_function(func, reference, cases, *, name=None, hint="", atol=1e-5, success=""):
    """Call ``func`` and ``reference`` on each tuple of arguments in ``cases`` and compare the results."""
    missing = _placeholder_message(func)
    if missing:
        return _report(False, missing, hint)
    if not callable(func):
        return _report(False, f"expected a function, got {type(func).__name__}.", hint)
    name = name or getattr(func, "__name__", "your function")
    for args in cases:
        args = args if isinstance(args, tuple) else (args,)
        expected = reference(*args)
        try:
            got = func(*args)
        except NotImplementedError:
            return _report(False, f"{name} is not written yet (it raises NotImplementedError).", hint)
        except Exception as err:  # noqa: BLE001 - report the student's error plainly
            return _report(False, f"{name}{_short(args)} raised {type(err).__name__}: {err}", hint)
        if got is None:
            return _report(False, f"{name}{_short(args)} returned None: did you forget `return`?", hint)
        got_arr, exp_arr = np.asarray(got), np.asarray(expected)
        if got_arr.shape != exp_arr.shape:
            return _report(
                False, f"{name}{_short(args)} returned shape {got_arr.shape}, expected {exp_arr.shape}.", hint
            )
        if not np.allclose(got_arr.astype(float), exp_arr.astype(float), atol=atol):
            err = float(np.max(np.abs(got_arr.astype(float) - exp_arr.astype(float))))
            return _report(False, f"{name}{_short(args)} is off by up to {err:.3g}.", hint)
    return _report(True, success or f"{name} matches the reference on {len(cases)} test inputs.")


def _plain(value):
    """Turn NumPy scalars into Python ones and round floats to 4 significant digits for messages."""
    value = value.item() if isinstance(value, np.generic) else value
    return float(f"{value:.4g}") if isinstance(value, float) else value


def _short(args):
    """Describe call arguments briefly: arrays by shape, the rest by repr."""
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"<array {a.shape}>")
        else:
            text = repr(a)
            parts.append(text if len(text) <= 30 else text[:27] + "...")
    return "(" + ", ".join(parts) + ")"
