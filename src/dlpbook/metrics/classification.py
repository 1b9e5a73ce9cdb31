"""Classification measures (book Sec. 5.1): accuracy, confusion matrix, efficiency, purity, ROC curve, AUC.

Framework-free: every function takes NumPy arrays (or anything :func:`numpy.asarray`
accepts) and returns Python floats or NumPy arrays.

The one convention of the package
    Class A (signal) is ``label == 1``, the rest is ``label == 0``. A sample is classified as
    class A when its score reaches the working point, ``score >= threshold``
    (:func:`predict_labels`). Every selection in dlpbook applies this rule: the counts, the
    efficiency and purity here, the ROC curve's working points, the accuracy metrics of
    :mod:`dlpbook.train` and the exercises. The book writes ``p_A > v``; for continuous scores
    the two agree, and ``>=`` makes the working point itself a selected score. For a logit
    :math:`z` the rule ``z >= 0`` is the same as ``sigmoid(z) >= 0.5``, and for a tanh output
    ``t >= 0`` the same as ``(1 + t) / 2 >= 0.5``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_float, check_int
from ._arrays import finite_1d, same_length

__all__ = [
    "BinaryCounts",
    "RocCurve",
    "accuracy",
    "binary_counts",
    "confusion_matrix",
    "efficiency",
    "most_confused_pairs",
    "predict_labels",
    "purity",
    "roc_auc",
    "roc_curve",
]


def predict_labels(score, threshold: float = 0.5) -> np.ndarray:
    """Classify by the package's one rule: class A (label 1) where ``score >= threshold``.

    Parameters
    ----------
    score : array_like float, any shape
        Classifier output: a probability :math:`p_A` (``threshold=0.5``), a logit or a tanh
        output in [-1, 1] (``threshold=0``, the same decision as probability 0.5). Torch
        tensors must be detached and on the CPU (``output.detach().cpu()``).
    threshold : float
        Working point :math:`v`.

    Returns
    -------
    ndarray of bool, the shape of ``score``
        True for class A.

    Raises
    ------
    ValueError
        If a score or the threshold is NaN or infinite.
    """
    threshold = check_float(threshold, "threshold")
    score = np.asarray(score, dtype=float)
    if not np.all(np.isfinite(score)):
        raise ValueError("score must be finite, got NaN or inf")
    return score >= threshold


def _binary_labels(label) -> np.ndarray:
    label = finite_1d("label", label)
    if not np.all((label == 0) | (label == 1)):
        raise ValueError(f"label must contain only 0 and 1, got values {np.unique(label)[:5]}")
    return label.astype(bool)



def accuracy(label, predicted) -> float:
    """Fraction of correctly classified events (Eq. 5.3).

    .. math:: \\text{accuracy} = \\frac{N_A^\\text{true} + N_{\\bar A}^\\text{true}}{N_\\text{total}}

    Parameters
    ----------
    label : (n,) int or bool
        True classes (any number of classes).
    predicted : (n,) int or bool
        Predicted classes, e.g. ``predict_labels(score)`` or ``probabilities.argmax(axis=1)``.

    Returns
    -------
    float
        Accuracy in [0, 1].
    """
    label = finite_1d("label", label, dtype=None)
    predicted = finite_1d("predicted", predicted, dtype=None)
    same_length("label", label, "predicted", predicted)
    if predicted.dtype.kind == "f" and np.any(predicted != np.round(predicted)):
        raise ValueError("predicted must hold class labels, not scores: classify them first with predict_labels(score)")
    return float(np.mean(label == predicted))


def confusion_matrix(label, predicted, n_classes: int | None = None) -> np.ndarray:
    """Counts of true class against predicted class, for any number of classes.

    Parameters
    ----------
    label, predicted : (n,) int
        True and predicted classes in ``0 .. n_classes - 1``.
    n_classes : int, optional
        Number of classes (default: one more than the largest class in either).

    Returns
    -------
    (n_classes, n_classes) int64
        Entry ``[i, j]``: samples of true class ``i`` predicted as ``j`` (rows: truth, as
        scikit-learn's ``confusion_matrix``); the diagonal holds the right ones. Divide each row
        by its sum for the fraction of each class that goes where.
    """
    label = finite_1d("label", label, dtype=None)
    predicted = finite_1d("predicted", predicted, dtype=None)
    same_length("label", label, "predicted", predicted)
    for name, values in (("label", label), ("predicted", predicted)):
        if values.dtype.kind not in "iub" or np.any(values < 0):
            raise ValueError(f"{name} must hold class indices >= 0, got {values[:5]}")
    largest = int(max(label.max(), predicted.max())) + 1
    n_classes = largest if n_classes is None else check_int(n_classes, "n_classes", low=largest)
    counts = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(counts, (label.astype(np.int64), predicted.astype(np.int64)), 1)
    return counts


def most_confused_pairs(matrix, k: int = 4) -> list[tuple[int, int, int]]:
    """The ``k`` pairs of classes confused most often, in both directions together.

    Parameters
    ----------
    matrix : (c, c) array
        A :func:`confusion_matrix` (counts; rows truth).
    k : int
        Pairs to return (> 0; fewer if there are fewer confused pairs).

    Returns
    -------
    list of (i, j, count)
        ``i < j`` and ``count = matrix[i, j] + matrix[j, i] > 0``, the largest count first (ties:
        the lower classes first).
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    k = check_int(k, "k", low=1)
    both = matrix + matrix.T
    pairs = [(int(both[i, j]), i, j) for i in range(len(both)) for j in range(i + 1, len(both)) if both[i, j] > 0]
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return [(i, j, count) for count, i, j in pairs[:k]]


@dataclass(frozen=True)
class BinaryCounts:
    """Event counts of a binary classifier at one working point.

    Attributes
    ----------
    true_positive : int
        Class-A events selected as A (:math:`N_A^\\text{true}`).
    false_positive : int
        Non-A events selected as A (:math:`N_A^\\text{false}`).
    true_negative : int
        Non-A events rejected.
    false_negative : int
        Class-A events rejected.
    """

    true_positive: int
    false_positive: int
    true_negative: int
    false_negative: int


def binary_counts(label, score, threshold: float = 0.5) -> BinaryCounts:
    """Count true/false positives/negatives when events are selected by :func:`predict_labels`.

    Parameters
    ----------
    label : (n,) {0, 1}
        True classes; 1 is class A.
    score : (n,) float
        Classifier output, e.g. the probability :math:`p_A`.
    threshold : float
        Working point :math:`v`.

    Returns
    -------
    BinaryCounts
    """
    label = _binary_labels(label)
    score = finite_1d("score", score)
    same_length("label", label, "score", score)
    selected = predict_labels(score, threshold)
    return BinaryCounts(
        true_positive=int(np.sum(selected & label)),
        false_positive=int(np.sum(selected & ~label)),
        true_negative=int(np.sum(~selected & ~label)),
        false_negative=int(np.sum(~selected & label)),
    )


def efficiency(label, score, threshold: float = 0.5) -> float:
    """Efficiency (sensitivity, true-positive rate) at a working point (Eq. 5.4).

    .. math:: \\text{efficiency} = \\frac{N_A^\\text{true}}{N_A^\\text{total}}

    The fraction of class-A events with ``score >= threshold``.

    Raises
    ------
    ValueError
        If there is no class-A event (the efficiency is undefined).
    """
    counts = binary_counts(label, score, threshold)
    n_signal = counts.true_positive + counts.false_negative
    if n_signal == 0:
        raise ValueError("efficiency is undefined without class-A events (label == 1)")
    return counts.true_positive / n_signal


def purity(label, score, threshold: float = 0.5) -> float:
    """Purity (precision) of the selection at a working point (Eq. 5.5).

    .. math:: \\text{purity} = \\frac{N_A^\\text{true}}{N_A^\\text{true} + N_A^\\text{false}}

    The fraction of class-A events among those with ``score >= threshold``.

    Returns
    -------
    float
        Purity in [0, 1], or NaN when no event is selected.
    """
    counts = binary_counts(label, score, threshold)
    n_selected = counts.true_positive + counts.false_positive
    return counts.true_positive / n_selected if n_selected else float("nan")


@dataclass(frozen=True)
class RocCurve:
    """Receiver operating characteristic: one point per distinct working point.

    Attributes
    ----------
    fpr : (k,) float
        False-positive rate (the fraction of non-A events selected), rising from 0 to 1.
    tpr : (k,) float
        True-positive rate, i.e. the efficiency of Eq. 5.4, rising from 0 to 1.
    purity : (k,) float
        Purity (Eq. 5.5) at each working point; NaN at the first point, where nothing is selected.
    thresholds : (k,) float
        Working points, decreasing; the first is ``+inf`` (nothing selected).
    """

    fpr: np.ndarray
    tpr: np.ndarray
    purity: np.ndarray
    thresholds: np.ndarray

    @property
    def auc(self) -> float:
        """Area under the curve (trapezoidal rule), see :func:`roc_auc`."""
        return float(np.trapezoid(self.tpr, self.fpr))


def roc_curve(label, score) -> RocCurve:
    """ROC curve, the true-positive rate (efficiency) against the false-positive rate.

    Every distinct score is used as a working point, with the selection of
    :func:`predict_labels` (``score >= threshold``): point ``i`` holds the rates of
    :func:`binary_counts` at ``thresholds[i]``. Equal scores are passed together, so ties give
    a straight segment of the curve.

    Parameters
    ----------
    label : (n,) {0, 1}
        True classes; both must occur.
    score : (n,) float
        Classifier output; larger means more A-like.

    Returns
    -------
    RocCurve

    Notes
    -----
    The book describes the ROC as "(1 - purity) for different efficiency thresholds"; the
    standard curve (used here and by scikit-learn) is efficiency (TPR) against the
    false-positive rate. The purity of each working point is returned as well.
    """
    label = _binary_labels(label)
    score = finite_1d("score", score)
    same_length("label", label, "score", score)
    n_signal = int(label.sum())
    n_background = label.size - n_signal
    if n_signal == 0 or n_background == 0:
        raise ValueError(f"ROC needs both classes, got {n_signal} events with label 1 and {n_background} with label 0")
    order = np.argsort(-score, kind="stable")
    sorted_score = score[order]
    true_positive = np.cumsum(label[order])
    # keep the last index of each run of equal scores, so ties enter one working point at once
    last_of_run = np.flatnonzero(np.r_[sorted_score[1:] != sorted_score[:-1], True])
    tp = np.r_[0, true_positive[last_of_run]]
    fp = np.r_[0, last_of_run + 1 - true_positive[last_of_run]]
    with np.errstate(invalid="ignore", divide="ignore"):
        selection_purity = tp / (tp + fp)
    return RocCurve(
        fpr=fp / n_background,
        tpr=tp / n_signal,
        purity=selection_purity,
        thresholds=np.r_[np.inf, sorted_score[last_of_run]],
    )


def roc_auc(label, score) -> float:
    """Area under the ROC curve (AUC; the book's "AOC").

    It equals the probability that a randomly chosen class-A event gets a higher score than
    a randomly chosen non-A event (ties count one half): 0.5 for random guessing, 1 for a
    perfect separation.
    """
    return roc_curve(label, score).auc
