"""Answer keys of lesson 00 (`notebooks/00_welcome.ipynb`): the first try of a check, and the questionnaire."""

import numpy as np

from utils.checks import check_value
from utils.quiz import Question


def check_muffin_count(answer, labels):
    """The number of muffins among the photos whose ``labels`` are 0 (chihuahua) and 1 (muffin)."""
    labels = np.asarray(labels)
    hints = ["Look at the answers slide: every photo's title names its class. Count the muffins, not the photos.",
             "`labels` holds one number per photo, 1 for a muffin and 0 for a chihuahua: adding the labels "
             "up counts the muffins too."]
    if answer is not None and np.ndim(answer) == 0 and answer == len(labels):
        hints = ["That is the number of all photos: only the muffins count.", *hints]
    return check_value(answer, int((labels == 1).sum()), name="muffins", hints=hints)


QUESTIONS = [
    Question(
        "Why does a rule on one hand-made number, such as a photo's mean brightness, fail to tell muffins from "
        "chihuahuas?",
        ("The photos are too small to measure their brightness",
         "Brightness cannot be computed for colour photos",
         "The brightness histograms of the two classes overlap: many muffins and chihuahuas are equally bright",
         "Muffins are always brighter, but the threshold was chosen badly"),
        ("The brightness histograms of the two classes overlap: many muffins and chihuahuas are equally bright",),
        "The best brightness threshold is barely better than guessing because the classes overlap.",
    ),
    Question(
        "What does a CNN learn from labelled example photos?",
        ("Many small pattern detectors (kernels), such as edges, eyes or paper-cup ridges",
         "A brightness threshold that a programmer chose",
         "How to combine what those detectors find into one answer",
         "A copy of every training photo, to look up the nearest one"),
        ("Many small pattern detectors (kernels), such as edges, eyes or paper-cup ridges",
         "How to combine what those detectors find into one answer"),
        "Its kernels and the weights of its last layers are learned from data; nobody writes them by hand.",
    ),
    Question(
        "The course's data set draws about one photo in five as a look-alike. Which are look-alikes?",
        ("A muffin seen from above",
         "A chihuahua curled up into a round, muffin-coloured ball",
         "A chihuahua's face seen from the front",
         "A muffin whose berries sit like two eyes and a nose"),
        ("A chihuahua curled up into a round, muffin-coloured ball",
         "A muffin whose berries sit like two eyes and a nose"),
        "Curled-up chihuahuas and face-like muffins keep the problem honest, as in the meme.",
    ),
    Question(
        "A 3 × 3 convolution turns a 64 × 64 image into 62 × 62. Which lesson explains why, and how to keep "
        "64 × 64?",
        ("02 · Convolution math", "04 · Padding & stride", "05 · Pooling & flattening", "07 · Better models"),
        ("04 · Padding & stride",),
        "A 3 × 3 kernel fits in 62 positions along 64 pixels; padding adds a border so the size stays 64.",
    ),
    Question(
        "In which order does a photo pass through the course's CNN?",
        ("flatten → convolution → pooling → dense",
         "dense → pooling → convolution → flatten",
         "convolution → ReLU → pooling (three times), then flatten → dense → probability",
         "pooling → flatten → convolution → dense"),
        ("convolution → ReLU → pooling (three times), then flatten → dense → probability",),
        "Convolution blocks find patterns and shrink the maps; flatten and dense turn them into an answer.",
    ),
    Question(
        "An exercise answers ❌ Not yet. What are good next steps?",
        ("Read the message and the hint, change your code, run the cell again",
         "Nothing works any more: restart the kernel and reinstall the course",
         "Skip the rest of the notebook: a ❌ stops it",
         "Run `more_help()` for a stronger hint if you are stuck"),
        ("Read the message and the hint, change your code, run the cell again",
         "Run `more_help()` for a stronger hint if you are stuck"),
        "A ❌ never stops the notebook; the solutions at the end of each lesson are there when you are stuck.",
    ),
    Question(
        "`check_environment()` prints a ❌ line. What do you do?",
        ("Ignore it: the lessons will work anyway",
         "Run the command on its Fix: line, restart the kernel and run the check again",
         "Delete the data folder and start again",
         "Re-run the same cell until it turns ✅"),
        ("Run the command on its Fix: line, restart the kernel and run the check again",),
        "Each ❌ comes with the exact command that fixes it; a new kernel then imports the fixed packages.",
    ),
]
