"""Face verification from scratch: cosine similarity of embeddings, genuine and impostor pairs, the ROC curve,
the equal error rate, and error rates per group at one threshold (lesson 09).

A verification system compares two photos and says "same individual" when the cosine similarity of their
embeddings is at least a threshold. It can fail in two ways: a **false accept** (two different individuals
called the same) and a **false reject** (one individual not recognised). Raising the threshold trades false
accepts for false rejects.
"""

import numpy as np

from utils import validate


def cosine_similarity(a, b):
    """Cosine of the angle between two embeddings (1-D, one length), or between every row of ``a`` and of ``b``
    (2-D, an array (len(a), len(b))). From -1 (opposite) through 0 (unrelated) to 1 (same direction)."""
    a = validate.array(a, "a", (1, 2), "pass one embedding (D,) or one per row (N, D)")
    b = validate.array(b, "b", (1, 2), "pass one embedding (D,) or one per row (N, D)")
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"embeddings of different lengths: a has {a.shape[-1]} numbers per embedding, b has "
                         f"{b.shape[-1]}; compare embeddings made by the same network")
    if a.ndim != b.ndim:
        raise ValueError(f"a is {a.ndim}-D and b is {b.ndim}-D: pass two embeddings (D,) or two arrays (N, D)")
    na, nb = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)
    if np.any(na == 0) or np.any(nb == 0):
        raise ValueError("an embedding is all zeros: its direction, and so its cosine similarity, is undefined")
    a, b = a / na[..., None], b / nb[..., None]
    return float(a @ b) if a.ndim == 1 else a @ b.T


def pair_scores(embeddings, ids):
    """Every pair of photos once: (similarity scores, True where both photos show one individual, pair indices)."""
    emb = validate.array(embeddings, "embeddings", (2,), "one embedding per row (N, D)")
    ids = np.asarray(ids)
    if ids.shape != (len(emb),):
        raise ValueError(f"ids must hold one identity per embedding: shape ({len(emb)},), got {ids.shape}")
    if len(emb) < 2:
        raise ValueError("need at least two embeddings to make a pair")
    i, j = np.triu_indices(len(emb), 1)
    return cosine_similarity(emb, emb)[i, j], ids[i] == ids[j], (i, j)


def _scores_and_truth(scores, same):
    """Checked scores (1-D, each in [-1, 1] up to rounding) and a boolean array saying which pairs are genuine."""
    s = validate.array(scores, "scores", (1,), "one similarity per pair")
    same = np.asarray(same)
    if same.shape != s.shape or same.dtype != bool:
        raise ValueError(f"same must be a boolean array with one entry per score: shape {s.shape}, "
                         f"got {same.dtype} {same.shape}")
    if s.min() < -1 - 1e-6 or s.max() > 1 + 1e-6:
        raise ValueError(f"cosine similarities lie in [-1, 1], got scores from {s.min():.3g} to {s.max():.3g}")
    if same.all() or not same.any():
        raise ValueError("need both genuine pairs (same individual) and impostor pairs (different individuals)")
    return s.astype(np.float64), same


def check_threshold(threshold):
    """``threshold`` as a float if it lies in [-1, 1], the range of a cosine similarity."""
    return float(validate.number("threshold", threshold, -1.0, 1.0))


def error_rates(scores, same, threshold):
    """(false accept rate, false reject rate) when pairs with a score >= ``threshold`` are called "same"."""
    s, same = _scores_and_truth(scores, same)
    t = check_threshold(threshold)
    accept = s >= t
    return float(accept[~same].mean()), float((~accept[same]).mean())


def roc_curve(scores, same):
    """The ROC curve: (false accept rates, true accept rates, thresholds), one point per distinct score,
    from the strictest threshold (nothing accepted) to the most lenient (everything accepted)."""
    s, same = _scores_and_truth(scores, same)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], same[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]  # the last pair of each run of equal scores
    tar = np.cumsum(y)[last] / y.sum()
    far = np.cumsum(~y)[last] / (~y).sum()
    return np.r_[0.0, far], np.r_[0.0, tar], np.r_[np.inf, s[last]]


def equal_error_rate(scores, same):
    """(EER, threshold): where the false accept rate equals the false reject rate, read off the ROC curve
    between its two nearest points (linear interpolation)."""
    far, tar, thresholds = roc_curve(scores, same)
    frr = 1 - tar
    k = int(np.argmax(far >= frr))  # first point where false accepts have caught up (k >= 1: far[0] = 0, frr[0] = 1)
    d0, d1 = frr[k - 1] - far[k - 1], far[k] - frr[k]  # both >= 0
    w = d0 / (d0 + d1) if d0 + d1 > 0 else 0.0
    eer = far[k - 1] + w * (far[k] - far[k - 1])
    return float(eer), float(thresholds[k])


def group_rates(scores, same, groups, threshold):
    """Error rates of each group of pairs at one threshold: {group: {"pairs", "genuine", "far", "frr", "eer"}}.

    ``groups`` names the group of each pair (e.g. both photos of dark-coated dogs); the EER is the group's own,
    at the threshold that would suit that group best. Groups without both genuine and impostor pairs are left out.
    """
    s, same = _scores_and_truth(scores, same)
    groups = np.asarray(groups)
    if groups.shape != s.shape:
        raise ValueError(f"groups must name the group of each pair: shape {s.shape}, got {groups.shape}")
    t = check_threshold(threshold)
    table = {}
    for g in sorted(set(groups.tolist())):
        mine = groups == g
        if not (same[mine].any() and (~same[mine]).any()):
            continue
        far, frr = error_rates(s[mine], same[mine], t)
        table[g] = {"pairs": int(mine.sum()), "genuine": int(same[mine].sum()), "far": far, "frr": frr,
                    "eer": equal_error_rate(s[mine], same[mine])[0]}
    return table


def pair_groups(labels, pairs, mixed="mixed"):
    """The group of each pair from the label of each photo: the label when both photos share it, else ``mixed``
    (or, with ``mixed=None``, the two labels joined by ' + ', in sorted order)."""
    labels = np.asarray(labels)
    i, j = pairs
    a, b = labels[i], labels[j]
    if mixed is not None:
        return np.where(a == b, a, mixed)
    return np.array([x if x == y else " + ".join(sorted((str(x), str(y)))) for x, y in zip(a.tolist(), b.tolist())])
