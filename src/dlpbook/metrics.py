"""Evaluation metrics for classifiers and regressions (book Sec. 5.1 and 7.2).

Framework-free: every function takes NumPy arrays (or anything :func:`numpy.asarray`
accepts) and returns Python floats or NumPy arrays.

Classification
    :func:`accuracy` (Eq. 5.3); :func:`efficiency` (sensitivity, Eq. 5.4) and :func:`purity`
    (precision, Eq. 5.5) at a working point; :func:`roc_curve` and :func:`roc_auc`.
Regression
    :func:`bias`, :func:`resolution`, :func:`central_interval_half_width` of the residuals,
    :func:`fit_rayleigh` for two-dimensional distance residuals (Fig. 7.3b), and
    :func:`pearson_r`.

Binary conventions: class A (signal) is ``label == 1``, the rest is ``label == 0``; an event
is *selected* as class A when its score reaches the working point, ``score >= threshold``.
The book writes ``p_A > v``; for continuous scores the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "BinaryCounts",
    "RayleighFit",
    "RocCurve",
    "accuracy",
    "bias",
    "binary_counts",
    "central_interval_half_width",
    "efficiency",
    "fit_rayleigh",
    "pearson_r",
    "purity",
    "rayleigh_pdf",
    "resolution",
    "roc_auc",
    "roc_curve",
]


def _finite_1d(name: str, values, *, dtype=float) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or inf")
    return array


def _binary_labels(label) -> np.ndarray:
    label = _finite_1d("label", label)
    if not np.all((label == 0) | (label == 1)):
        raise ValueError(f"label must contain only 0 and 1, got values {np.unique(label)[:5]}")
    return label.astype(bool)


def _same_length(first: str, a: np.ndarray, second: str, b: np.ndarray) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{first} and {second} must have the same length, got {a.shape[0]} and {b.shape[0]}")


# --------------------------------------------------------------------------- classification


def accuracy(label, predicted) -> float:
    """Fraction of correctly classified events (Eq. 5.3).

    .. math:: \\text{accuracy} = \\frac{N_A^\\text{true} + N_{\\bar A}^\\text{true}}{N_\\text{total}}

    Parameters
    ----------
    label : (n,) int or bool
        True classes (any number of classes).
    predicted : (n,) int or bool
        Predicted classes, e.g. ``score >= 0.5`` or ``probabilities.argmax(axis=1)``.

    Returns
    -------
    float
        Accuracy in [0, 1].
    """
    label = _finite_1d("label", label, dtype=None)
    predicted = _finite_1d("predicted", predicted, dtype=None)
    _same_length("label", label, "predicted", predicted)
    if predicted.dtype.kind == "f" and np.any(predicted != np.round(predicted)):
        raise ValueError("predicted must hold class labels, not scores: threshold the scores first (score >= 0.5)")
    return float(np.mean(label == predicted))


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
    """Count true/false positives/negatives when events with ``score >= threshold`` are selected.

    Parameters
    ----------
    label : (n,) {0, 1}
        True classes; 1 is class A.
    score : (n,) float
        Classifier output, e.g. the probability :math:`p_A`.
    threshold : float
        Working point :math:`v`.
    """
    label = _binary_labels(label)
    score = _finite_1d("score", score)
    _same_length("label", label, "score", score)
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be finite, got {threshold}")
    selected = score >= threshold
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

    Every distinct score is used as a working point ``score >= threshold``. Equal scores
    are passed together, so ties give a straight segment of the curve.

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
    score = _finite_1d("score", score)
    _same_length("label", label, "score", score)
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


# --------------------------------------------------------------------------- regression


def _residuals(prediction, target) -> np.ndarray:
    prediction = np.asarray(prediction, dtype=float)
    target = np.asarray(target, dtype=float)
    if prediction.shape != target.shape:
        # refuse to broadcast: (n, 1) - (n,) would silently give an (n, n) matrix
        raise ValueError(f"prediction and target must have the same shape, got {prediction.shape} and {target.shape}")
    if prediction.ndim not in (1, 2) or prediction.shape[0] == 0:
        raise ValueError(f"prediction must have shape (n,) or (n, k) with n > 0, got {prediction.shape}")
    if not (np.all(np.isfinite(prediction)) and np.all(np.isfinite(target))):
        raise ValueError("prediction and target must be finite, got NaN or inf")
    return prediction - target


def _per_column(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def bias(prediction, target) -> float | np.ndarray:
    """Mean residual ``mean(prediction - target)``: the systematic offset of a regression.

    Parameters
    ----------
    prediction, target : (n,) or (n, k) float
        Same shape; for (n, k) every column is treated separately.

    Returns
    -------
    float or (k,) ndarray
        In the units of the target.
    """
    return _per_column(np.mean(_residuals(prediction, target), axis=0))


def resolution(prediction, target) -> float | np.ndarray:
    """Standard deviation of the residuals ``prediction - target`` (population, ``ddof=0``).

    Parameters
    ----------
    prediction, target : (n,) or (n, k) float
        Same shape; for (n, k) every column is treated separately.

    Returns
    -------
    float or (k,) ndarray
        In the units of the target.
    """
    return _per_column(np.std(_residuals(prediction, target), axis=0))


def central_interval_half_width(prediction, target, coverage: float = 0.68) -> float | np.ndarray:
    """Half the width of the central interval holding ``coverage`` of the residuals.

    ``(q[(1 + c) / 2] - q[(1 - c) / 2]) / 2`` of the residuals ``prediction - target``. For
    Gaussian residuals and ``coverage = 0.68`` it equals the standard deviation, but it is
    robust against outliers, so it is a common definition of a resolution in physics.

    Parameters
    ----------
    prediction, target : (n,) or (n, k) float
        Same shape; for (n, k) every column is treated separately.
    coverage : float
        Fraction in (0, 1).
    """
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must be in (0, 1), got {coverage}")
    residual = _residuals(prediction, target)
    low, high = np.quantile(residual, [(1 - coverage) / 2, (1 + coverage) / 2], axis=0)
    return _per_column((high - low) / 2)


@dataclass(frozen=True)
class RayleighFit:
    """Maximum-likelihood Rayleigh fit of distances.

    Attributes
    ----------
    sigma : float
        Scale parameter, in the units of the distances: the standard deviation of each of
        the two Gaussian components.
    sigma_error : float
        Its statistical uncertainty ``sigma / sqrt(4 n)``.
    n : int
        Number of distances.
    """

    sigma: float
    sigma_error: float
    n: int


def fit_rayleigh(distance) -> RayleighFit:
    """Fit a Rayleigh distribution to distances ``d = |r_pred - r_true|`` in a plane.

    If both components of a 2D residual are independent Gaussians with standard deviation
    :math:`\\sigma`, the distance follows :math:`p(d) = d/\\sigma^2 \\exp(-d^2 / 2\\sigma^2)`
    (:func:`rayleigh_pdf`). The maximum-likelihood estimate is
    :math:`\\hat\\sigma = \\sqrt{\\langle d^2 \\rangle / 2}`. The book quotes
    :math:`\\sigma = 0.069` km for the earthquake epicentres of Fig. 7.3b.

    Parameters
    ----------
    distance : (n,) float
        Non-negative distances, e.g. ``np.linalg.norm(pred - true, axis=1)``.

    Returns
    -------
    RayleighFit
    """
    distance = _finite_1d("distance", distance)
    if np.any(distance < 0):
        raise ValueError(f"distance must be >= 0, got minimum {distance.min()}")
    sigma = float(np.sqrt(np.mean(distance**2) / 2))
    return RayleighFit(sigma=sigma, sigma_error=sigma / np.sqrt(4 * distance.size), n=int(distance.size))


def rayleigh_pdf(distance, sigma: float) -> np.ndarray:
    """Rayleigh probability density :math:`d/\\sigma^2 \\exp(-d^2 / 2\\sigma^2)` for ``d >= 0``.

    Parameters
    ----------
    distance : array_like float
        Distances (any shape); negative values have density 0.
    sigma : float
        Scale, > 0, in the units of ``distance``.

    Returns
    -------
    ndarray
        Density in 1 / (units of ``distance``), same shape as ``distance``.
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    d = np.asarray(distance, dtype=float)
    return np.where(d >= 0, d / sigma**2 * np.exp(-(d**2) / (2 * sigma**2)), 0.0)


def pearson_r(x, y) -> float:
    """Pearson correlation coefficient of two samples.

    .. math:: r = \\frac{\\sum_i (x_i - \\bar x)(y_i - \\bar y)}
              {\\sqrt{\\sum_i (x_i - \\bar x)^2 \\sum_i (y_i - \\bar y)^2}}

    Parameters
    ----------
    x, y : (n,) float
        Same length, n >= 2, neither constant.
    """
    x = _finite_1d("x", x)
    y = _finite_1d("y", y)
    _same_length("x", x, "y", y)
    if x.size < 2:
        raise ValueError(f"pearson_r needs at least 2 points, got {x.size}")
    dx, dy = x - x.mean(), y - y.mean()
    norm = np.sqrt(np.sum(dx**2) * np.sum(dy**2))
    if norm == 0:
        raise ValueError("pearson_r is undefined for a constant sample")
    return float(np.sum(dx * dy) / norm)
