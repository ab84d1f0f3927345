"""Exercise checks that explain what is wrong, not just that it is wrong.

Every check prints one line that starts with a tick or a cross and returns a verdict that is truthy
when the answer is right; the verdict itself shows nothing in a notebook, so a check can end a cell.
Student cells call a check; solution cells ``assert`` it, so CI proves the solutions pass.

Feedback comes in steps: a failed check prints the first of its ``hints`` (a conceptual one); ``more_help()``
prints the next, more concrete one, on request. No hint gives the answer: that is in the lesson's Solutions.
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


_pending_hints = []  # the hints of the last failed check not shown yet, for more_help()


def _hint_list(hints):
    """Accept one hint (a string) or several (a list or tuple of strings, conceptual first)."""
    if isinstance(hints, str):
        return [hints] if hints else []
    if isinstance(hints, (list, tuple)) and all(isinstance(h, str) and h for h in hints):
        return list(hints)
    raise TypeError(f"hints must be a string or a list of non-empty strings, got {hints!r}")


def _report(ok, message, hints=()):
    """Print the verdict (and the first hint on failure), remember the other hints, and return the verdict."""
    hints = _hint_list(hints)
    _pending_hints.clear()
    if ok:
        print(f"{PASS} Correct! {message}".rstrip())
        return Verdict(ok)
    text = f"{FAIL} Not yet: {message}"
    if hints:
        text += f"\n   Hint: {hints[0]}"
        _pending_hints.extend(hints[1:])
    if _pending_hints:
        text += "\n   Stuck? Run `more_help()` for a stronger hint."
    print(text)
    return Verdict(ok)


def more_help():
    """Print the next, more concrete hint of the last check that failed."""
    if _pending_hints:
        print(f"Hint: {_pending_hints.pop(0)}")
        if _pending_hints:
            print("   (Run `more_help()` again for one more.)")
    else:
        print("No more hints for this exercise: compare with its solution in the Solutions section at the end.")


def _placeholder_message(got):
    """Say what to do when the student has not answered yet; ``None`` when there is an answer."""
    if got is None or got is Ellipsis:
        return "no answer yet (the cell still holds `None` or `...`): replace it with your code."
    return None


def check_value(got, expected, *, name="your answer", hints=(), hint="", rtol=1e-6, success=""):
    """Compare a number, string, bool or tuple with the expected one."""
    hints = _hint_list(hints) or _hint_list(hint)  # `hint=` is one hint, `hints=` several
    missing = _placeholder_message(got)
    if missing:
        return _report(False, missing, hints)
    if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        if isinstance(got, (str, bytes)):
            return _report(False, f"{name} should be a number, not text: remove the quotes around {got!r}.", hints)
        if isinstance(got, (bool, np.bool_)):
            return _report(False, f"{name} should be a number, got {got!r}.", hints)
        try:
            ok = bool(np.isclose(float(got), float(expected), rtol=rtol, atol=rtol))
        except (TypeError, ValueError):
            return _report(False, f"{name} should be a number, got {type(got).__name__} {got!r}.", hints)
        if not ok:
            direction = "too small" if float(got) < float(expected) else "too large"
            return _report(False, f"{name} = {_plain(got)!r} is {direction}.", hints)
        return _report(True, success)
    if isinstance(expected, tuple) and isinstance(got, list):
        got = tuple(got)
    if got != expected:
        return _report(False, f"{name} = {_plain(got)!r} is not what was expected.", hints)
    return _report(True, success)


def check_array(got, expected, *, name="your array", hints=(), hint="", atol=1e-5, success=""):
    """Compare an array with the expected one: type, shape, dtype kind, then values (says where they differ)."""
    hints = _hint_list(hints) or _hint_list(hint)  # `hint=` is one hint, `hints=` several
    missing = _placeholder_message(got)
    if missing:
        return _report(False, missing, hints)
    try:
        got_arr = np.asarray(got)
    except Exception:  # noqa: BLE001 - anything not array-like gets the same clear message
        return _report(False, f"{name} is a {type(got).__name__}, not an array.", hints)
    expected = np.asarray(expected)
    if got_arr.dtype == object:
        return _report(False, f"{name} is not a numeric array (dtype object).", hints)
    if got_arr.shape != expected.shape:
        return _report(False, f"{name} has shape {got_arr.shape}, expected {expected.shape}.", hints)
    if expected.dtype == bool and got_arr.dtype != bool:
        return _report(False, f"{name} should be a boolean mask, got dtype {got_arr.dtype}.", hints)
    if not np.all(np.isfinite(got_arr.astype(float))):
        return _report(False, f"{name} contains NaN or infinite values.", hints)
    diff = np.abs(got_arr.astype(float) - expected.astype(float))
    bad = diff > atol
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        return _report(
            False,
            f"{int(bad.sum())} of {bad.size} values differ; first at index {first}: "
            f"got {_plain(got_arr[first])!r}, expected {_plain(expected[first])!r}.",
            hints,
        )
    return _report(True, success)


def check_function(func, reference, cases, *, name=None, hints=(), hint="", atol=1e-5, success=""):
    """Call ``func`` and ``reference`` on each tuple of arguments in ``cases`` and compare the results."""
    hints = _hint_list(hints) or _hint_list(hint)  # `hint=` is one hint, `hints=` several
    missing = _placeholder_message(func)
    if missing:
        return _report(False, missing, hints)
    if not callable(func):
        return _report(False, f"expected a function, got {type(func).__name__}.", hints)
    name = name or getattr(func, "__name__", "your function")
    for args in cases:
        args = args if isinstance(args, tuple) else (args,)
        expected = reference(*args)
        try:
            got = func(*args)
        except NotImplementedError:
            return _report(False, f"{name} is not written yet (it raises NotImplementedError).", hints)
        except Exception as err:  # noqa: BLE001 - report the student's error plainly
            return _report(False, f"{name}{_short(args)} raised {type(err).__name__}: {err}", hints)
        if got is None:
            return _report(False, f"{name}{_short(args)} returned None: did you forget `return`?", hints)
        got_arr, exp_arr = np.asarray(got), np.asarray(expected)
        if got_arr.shape != exp_arr.shape:
            return _report(
                False, f"{name}{_short(args)} returned shape {got_arr.shape}, expected {exp_arr.shape}.", hints
            )
        if not np.allclose(got_arr.astype(float), exp_arr.astype(float), atol=atol):
            err = float(np.max(np.abs(got_arr.astype(float) - exp_arr.astype(float))))
            return _report(False, f"{name}{_short(args)} is off by up to {err:.3g}.", hints)
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
