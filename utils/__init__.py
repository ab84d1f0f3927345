"""Shared helpers for the *Muffin or Chihuahua?* course.

Import the module you need, e.g. ``from utils import conv``; this file imports nothing heavy.
"""

__version__ = "0.1.0"
