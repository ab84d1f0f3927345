"""Answer keys of lesson 09 (`notebooks/09_faces.ipynb`): landmark error, cosine similarity, equal error rate,
and the questionnaire."""

import numpy as np

from utils import landmarks, verification
from utils.checks import check_function, check_value
from utils.quiz import Question

# ten pairs a verification system scored: five of one dog twice (genuine), five of two different dogs (impostor)
EER_SCORES = np.array([0.91, 0.7, 0.85, 0.4, 0.8, 0.3, 0.62, 0.2, 0.45, 0.1])
EER_SAME = np.array([True, False, True, False, True, False, True, False, True, False])


def check_landmark_error(answer, predicted, true):
    """Exercise 1: the mean distance in pixels between predicted and true landmarks."""
    return check_value(answer, landmarks.landmark_error(predicted, true), name="the mean landmark error",
                       rtol=1e-4, success="That is the figure the lesson's bar (at most 2 pixels) is about.",
                       hints=["The error of one landmark is the straight-line distance between where the network "
                              "put it and where it really is, √(dx² + dy²) pixels; then average over every "
                              "landmark of every face.",
                              "`predicted - true` has shape (N, 5, 2): take the length of each (dx, dy) pair "
                              "along the last axis with `np.linalg.norm(..., axis=-1)`, then the mean of all of them."])


def _cases():
    rng = np.random.default_rng(9)
    return [(np.array([1.0, 0.0]), np.array([0.0, 3.0])), (np.array([2.0, 2.0]), np.array([5.0, 5.0])),
            (np.array([1.0, -2.0, 0.5]), np.array([-2.0, 4.0, -1.0])),
            (rng.normal(size=64), rng.normal(size=64)), (rng.normal(size=64) * 40, rng.normal(size=64) * 0.1)]


def check_cosine(func):
    """Exercise 2: a function cosine(a, b) for two embeddings (1-D arrays of one length)."""
    return check_function(func, verification.cosine_similarity, _cases(), name="cosine",
                          success="cosine gives the same as the course's reference on 5 pairs of embeddings.",
                          hints=["Cosine similarity compares directions, not lengths: the dot product of the two "
                                 "vectors divided by the product of their lengths.",
                                 "Use `np.dot(a, b)` for the dot product and `np.linalg.norm(v)` for a vector's "
                                 "length. Two vectors that point the same way must give 1, whatever their lengths."])


def check_eer(answer, scores=EER_SCORES, same=EER_SAME):
    """Exercise 3: the equal error rate of ``scores`` (True in ``same`` = a genuine pair)."""
    return check_value(answer, verification.equal_error_rate(scores, same)[0], name="the equal error rate",
                       rtol=1e-6, success="At that threshold one impostor is let in and one genuine pair refused.",
                       hints=["Try each score as the threshold. False accept rate: the share of impostor pairs "
                              "scored at or above it. False reject rate: the share of genuine pairs below it. "
                              "The EER is the rate where the two are equal.",
                              "For a threshold t: `np.mean(scores[~same] >= t)` and `np.mean(scores[same] < t)`. "
                              "Print both for every t in `np.sort(scores)` and look for the row where they match. "
                              "Give the rate as a fraction (0 to 1), not a percentage."])


QUESTIONS = [
    Question("A Haar cascade and the lesson's CNN both slide a window over the photo. Which statements are true?",
             ("Both look at the photo at several sizes (an image pyramid) to find big and small faces",
              "Non-maximum suppression keeps one box out of many overlapping ones on the same face",
              "The Haar cascade learns its features by backpropagation",
              "A classifier trained on upright faces also finds faces turned on their side"),
             ("Both look at the photo at several sizes (an image pyramid) to find big and small faces",
              "Non-maximum suppression keeps one box out of many overlapping ones on the same face"),
             "Haar features are rectangles picked by boosting (Viola and Jones, 2001), not learned by "
             "backpropagation; neither detector saw turned faces in training."),
    Question("Why did the face/non-face classifier improve after hard-negative mining?",
             ("It was trained again on windows of face-free photos that it had wrongly called faces",
              "It saw more faces",
              "Mining removes the false alarms from the astronaut photo by hand"),
             ("It was trained again on windows of face-free photos that it had wrongly called faces",),
             "The mined windows came from other photos, never from the test photo."),
    Question("The landmark network ends in heatmaps and a soft-argmax. What does the soft-argmax do?",
             ("Turns each heatmap into probabilities and returns their weighted mean position",
              "Picks the single brightest cell, which cannot be trained by gradient descent",
              "Lets a landmark fall between heatmap cells"),
             ("Turns each heatmap into probabilities and returns their weighted mean position",
              "Lets a landmark fall between heatmap cells"),
             "A hard argmax has no gradient; the weighted mean has one and is not tied to the grid."),
    Question("Why does the lesson align faces with their landmarks before computing embeddings?",
             ("The embedding network no longer has to learn to ignore tilt, size and position",
              "Alignment makes every dog look the same",
              "Errors in the landmarks carry over into the embeddings"),
             ("The embedding network no longer has to learn to ignore tilt, size and position",
              "Errors in the landmarks carry over into the embeddings"),
             "Real systems (e.g. ArcFace) also align with five landmarks; a misplaced eye gives a skewed crop."),
    Question("The embedding network was trained to classify 160 training dogs. How can it verify dogs it never saw?",
             ("Its embedding layer learned features that tell dogs apart in general, not only those 160",
              "It adds each new dog as a 161st class",
              "Two photos are compared by the cosine similarity of their embeddings, no class needed"),
             ("Its embedding layer learned features that tell dogs apart in general, not only those 160",
              "Two photos are compared by the cosine similarity of their embeddings, no class needed"),
             "The softmax layer is thrown away after training; verification only compares embeddings."),
    Question("You raise the verification threshold. What happens?",
             ("Fewer impostors are accepted (lower false accept rate)",
              "More genuine pairs are refused (higher false reject rate)",
              "Both error rates fall",
              "The equal error rate changes"),
             ("Fewer impostors are accepted (lower false accept rate)",
              "More genuine pairs are refused (higher false reject rate)"),
             "The threshold moves along the ROC curve; the EER is a property of the scores, not of the threshold."),
    Question("A system uses one threshold for everybody and measures a higher false accept rate for one group. "
             "What does that mean for people in that group?",
             ("They are more often mistaken for somebody else, e.g. wrongly matched to a watch list",
              "The system is fair because the threshold is the same for everybody",
              "The overall error rate can hide it: it has to be measured per group"),
             ("They are more often mistaken for somebody else, e.g. wrongly matched to a watch list",
              "The overall error rate can hide it: it has to be measured per group"),
             "One threshold gives different error rates when the groups' score distributions differ "
             "(NIST measured such differentials for many face recognition algorithms in 2019)."),
    Question("Why does the lesson use drawn dogs, not photos of real people, for recognition?",
             ("Recognising people needs their consent and a lawful reason: biometric data is specially protected",
              "No identity-labelled face photos ship offline, and collecting them would raise the same questions",
              "Neural networks cannot recognise real faces"),
             ("Recognising people needs their consent and a lawful reason: biometric data is specially protected",
              "No identity-labelled face photos ship offline, and collecting them would raise the same questions"),
             "The LFW crops are used only to learn what a face looks like, never who it is."),
]
