"""Lesson 09's answer keys: right answers pass, typical mistakes fail with a hint, hints never give the answer."""

import numpy as np

from utils import checks
from utils.exercises import faces as ex
from utils.quiz import Question


def _last_line(capsys):
    return capsys.readouterr().out


def test_landmark_error_check(capsys):
    rng = np.random.default_rng(0)
    true = rng.uniform(0, 64, (6, 5, 2))
    pred = true + rng.normal(0, 2, true.shape)
    right = np.linalg.norm(pred - true, axis=-1).mean()
    assert ex.check_landmark_error(right, pred, true)
    assert "Correct" in _last_line(capsys)
    for wrong in (np.abs(pred - true).mean(), np.sqrt(((pred - true) ** 2).mean()),
                  np.linalg.norm(pred - true, axis=-1).sum()):
        assert not ex.check_landmark_error(wrong, pred, true)
        out = _last_line(capsys)
        assert "Not yet" in out and "Hint" in out and f"{right:.3f}" not in out
    assert not ex.check_landmark_error(None, pred, true)
    assert "no answer yet" in _last_line(capsys)


def test_cosine_check(capsys):
    def cosine(a, b):
        return np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))

    def forgot_norm(a, b):
        return np.dot(a, b)

    def raises(a, b):
        raise NotImplementedError

    assert ex.check_cosine(cosine)
    assert "Correct" in _last_line(capsys)
    assert not ex.check_cosine(forgot_norm)
    assert "off by" in _last_line(capsys)
    assert not ex.check_cosine(raises)
    assert "not written yet" in _last_line(capsys)


def test_eer_check_and_its_designed_data(capsys):
    scores, same = ex.EER_SCORES, ex.EER_SAME
    assert same.sum() == 5 and (~same).sum() == 5
    # by hand: at threshold 0.62 one impostor (0.7) is accepted and one genuine pair (0.45) refused
    t = 0.62
    assert np.mean(scores[~same] >= t) == np.mean(scores[same] < t) == 0.2
    assert ex.check_eer(0.2)
    assert not ex.check_eer(20)
    out = _last_line(capsys)
    assert "too large" in out and "0.2" not in out.split("Hint")[1]
    checks.more_help()
    assert "fraction" in _last_line(capsys)


def test_questionnaire_answers_restated_independently():
    assert 5 <= len(ex.QUESTIONS) <= 10 and all(isinstance(q, Question) for q in ex.QUESTIONS)
    right = {
        0: {0, 1}, 1: {0}, 2: {0, 2}, 3: {0, 2}, 4: {0, 2}, 5: {0, 1}, 6: {0, 2}, 7: {0, 1},
    }
    for i, q in enumerate(ex.QUESTIONS):
        assert {q.options.index(c) for c in q.correct} == right[i], q.text


def test_the_lessons_static_questions_match_the_answer_keys():
    import json
    import re

    from utils.paths import COURSE_ROOT
    from utils.quiz import questionnaire_markdown

    nb = json.loads((COURSE_ROOT / "notebooks" / "09_faces.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    static = [c for c in cells if re.match(r"\d+\. ", c)]
    assert "\n".join(static) == questionnaire_markdown(ex.QUESTIONS)
