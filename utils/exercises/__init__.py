"""Answer keys of the lessons' exercises and questionnaires, one module per lesson, named like its notebook.

`notebooks/04_padding_stride.ipynb` uses `utils/exercises/padding_stride.py`. Each exercise has one
`check_<what>(answer, *inputs)` function: it computes the expected value from the inputs and calls a check of
`utils.checks` with the exercise's hints (conceptual first; `more_help()` shows the next). The student's cell thus
calls `check_<what>(answer, ...)` without the expected value in sight; its solution asserts the same call.
`QUESTIONS` is the lesson's questionnaire (a list of `utils.quiz.Question`).
"""
