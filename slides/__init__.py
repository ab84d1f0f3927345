"""Offline reveal.js decks of the lessons: export (export.py), browser driver (browser.py), fit check (fit.py)."""
