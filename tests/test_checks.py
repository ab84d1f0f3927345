import numpy as np
import pytest

from utils.checks import check_array, check_function, check_value, more_help


def test_check_value_right_and_wrong(capsys):
    assert check_value(6, 6, success="six")
    assert "✅ Correct! six" in capsys.readouterr().out
    assert not check_value(5, 6, name="n", hint="count again")
    out = capsys.readouterr().out
    assert "❌ Not yet: n = 5 is too small." in out and "Hint: count again" in out
    assert not check_value(7.5, 6)
    assert "too large" in capsys.readouterr().out


def test_check_value_refuses_a_number_written_as_text_or_a_bool(capsys):
    assert not check_value("8", 8)
    assert "not text: remove the quotes" in capsys.readouterr().out
    assert not check_value(True, 1)
    assert "should be a number" in capsys.readouterr().out
    assert check_value(np.int64(8), 8) and check_value(8.0, 8)


def test_check_value_placeholder_and_type(capsys):
    assert not check_value(None, 3)
    assert "no answer yet" in capsys.readouterr().out
    assert not check_value("abc", 3)
    assert "should be a number" in capsys.readouterr().out
    assert check_value([5, 5], (5, 5))
    assert not check_value("same", "valid")
    assert "'same' is not what was expected" in capsys.readouterr().out


def test_check_array_reports_shape_and_first_difference(capsys):
    expected = np.arange(6).reshape(2, 3)
    assert check_array(expected.copy(), expected)
    assert not check_array(np.zeros((3, 2)), expected)
    assert "shape (3, 2), expected (2, 3)" in capsys.readouterr().out
    wrong = expected.copy()
    wrong[1, 2] = 9
    assert not check_array(wrong, expected)
    assert "1 of 6 values differ; first at index (1, 2): got 9, expected 5" in capsys.readouterr().out


def test_check_array_rejects_nan_objects_and_non_bool_masks(capsys):
    assert not check_array(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))
    assert "NaN" in capsys.readouterr().out
    assert not check_array(np.array([None, 1], dtype=object), np.array([0, 1]))
    assert "dtype object" in capsys.readouterr().out
    assert not check_array(np.array([0, 1]), np.array([False, True]))
    assert "boolean mask" in capsys.readouterr().out


def test_check_function(capsys):
    def ref(x):
        return x * 2

    assert check_function(lambda x: x + x, ref, [np.ones(3), (np.arange(4),)], name="double")
    assert "double matches the reference on 2 test inputs" in capsys.readouterr().out

    def unfinished(x):
        raise NotImplementedError

    assert not check_function(unfinished, ref, [1])
    assert "not written yet" in capsys.readouterr().out
    assert not check_function(lambda x: None, ref, [1], name="f")
    assert "returned None" in capsys.readouterr().out
    assert not check_function(lambda x: x * 3, ref, [np.ones(2)], name="f")
    assert "off by up to 1" in capsys.readouterr().out
    assert not check_function(lambda x: 1 / 0, ref, [1], name="f")
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not check_function(3, ref, [1])
    assert "expected a function" in capsys.readouterr().out


def test_verdict_is_truthy_and_silent_in_notebooks(capsys):
    right, wrong = check_value(1, 1), check_value(2, 1)
    assert bool(right) is True and bool(wrong) is False
    assert repr(right) == "Verdict(ok=True)"
    assert right._ipython_display_() is None


def test_messages_round_long_floats(capsys):
    assert not check_value(2.7554614543914795, 3.0)
    assert "= 2.755 is too small" in capsys.readouterr().out


def test_hints_come_in_steps_on_request(capsys):
    hints = ["think about what one ring of zeros adds", "each side grows by 2·P", "use np.pad"]
    assert not check_value(3, 4, name="n", hints=hints)
    out = capsys.readouterr().out
    assert "Hint: think about what one ring of zeros adds" in out and "more_help()" in out
    assert "each side" not in out and "np.pad" not in out  # stronger hints only on request
    more_help()
    out = capsys.readouterr().out
    assert "Hint: each side grows by 2·P" in out and "again" in out and "np.pad" not in out
    more_help()
    assert "Hint: use np.pad" in capsys.readouterr().out
    more_help()
    out = capsys.readouterr().out
    assert "No more hints" in out and "Solutions" in out


def test_a_passing_check_forgets_the_hints_of_an_earlier_failure(capsys):
    assert not check_array(np.zeros(2), np.ones(2), hints=["first", "second"])
    assert check_array(np.ones(2), np.ones(2), hints=["first", "second"])
    capsys.readouterr()
    more_help()
    assert "second" not in capsys.readouterr().out


def test_one_hint_says_nothing_about_more_help(capsys):
    assert not check_function(lambda x: x, lambda x: 2 * x, [1], hint="double it")
    out = capsys.readouterr().out
    assert "Hint: double it" in out and "more_help" not in out


def test_bad_hints_are_refused_clearly():
    with pytest.raises(TypeError, match="hints must be a string or a list of non-empty strings"):
        check_value(1, 1, hints=[""])
    with pytest.raises(TypeError, match="hints must be"):
        check_value(1, 1, hints=42)
