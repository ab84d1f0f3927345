"""Shared check for the exercise tests: a lesson's questionnaire keys against the answers its test restates."""


def assert_keys_restated(questions, right):
    """Each question is restated once in ``right`` (text prefix -> set of right answers) and its key agrees;
    returns {prefix: question}."""
    assert 5 <= len(questions) <= 10
    keys = {prefix: q for q in questions for prefix in right if q.text.startswith(prefix)}
    assert len(keys) == len(right) == len(questions), "every question is restated once"
    for prefix, q in keys.items():
        assert set(q.correct) == right[prefix], prefix
    return keys
