"""The course's cross-platform command line (``python -m course lab|test|…``) and the instructor tools it runs:
student copies (``course.student``), grading (``course.grade``) and re-executing lessons (``course.execute``)."""
