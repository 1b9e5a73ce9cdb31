"""Objective functions of book Sec. 4.4: mean squared error, softmax and cross-entropy.

Shapes: ``k`` samples (a minibatch) in the first axis, ``n`` outputs or classes in the last.
Every loss is the *mean* over the minibatch (the 1/k of Eq. 4.11 and 4.15); every gradient is
the derivative of that mean with respect to the network output, ready for
:meth:`dlpbook.numpynet.Network.backward`.
"""

from __future__ import annotations

import numpy as np

from ..validation import ParameterError, check_count, check_positive


def _same_shape(prediction: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    prediction, target = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
    if prediction.shape != target.shape:
        raise ValueError(f"prediction and target must have the same shape, got {prediction.shape} and {target.shape}")
    return prediction, target


def mse(prediction: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error, averaged over samples and outputs (Eq. 4.11).

    For several outputs Eq. 4.12 sums over them; like Keras and PyTorch we average instead,
    which divides the loss (and its gradient) by the number of outputs.
    """
    prediction, target = _same_shape(prediction, target)
    return float(np.mean((prediction - target) ** 2))


def mse_gradient(prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
    """d mse / d prediction = 2 (f - y) / size, same shape as ``prediction``."""
    prediction, target = _same_shape(prediction, target)
    return 2.0 * (prediction - target) / prediction.size


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """q_j = e^{z_j} / sum_i e^{z_i} (Eq. 4.18), shifted by max(z) so that e^z cannot overflow."""
    z = np.asarray(logits, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """log q_j = z_j - log sum_i e^{z_i}, accurate even where q_j underflows to 0."""
    z = np.asarray(logits, dtype=float)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer labels (k,) -> one-hot rows (k, n_classes) of 0.0/1.0 (Eq. 4.19).

    Raises
    ------
    ValueError
        If a label is not an integer in ``[0, n_classes)``.
    """
    labels = np.asarray(labels)
    n_classes = check_count(n_classes, "n_classes")
    if labels.size and not np.all(np.mod(labels, 1) == 0):
        raise ValueError(f"labels must be integers, got {labels}")
    labels = labels.astype(int)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in [0, {n_classes - 1}], got min {labels.min()} and max {labels.max()}")
    return np.eye(n_classes)[labels]


def _log(x: np.ndarray, base: float) -> np.ndarray:
    if check_positive(base, "base") == 1:
        raise ParameterError("base", "a finite number > 0 other than 1", base)
    return np.log(x) / np.log(base)


def categorical_cross_entropy(target: np.ndarray, probability: np.ndarray, *, base: float = np.e) -> float:
    """L = -(1/k) sum_i sum_j p_ij log q_ij (Eq. 4.15, 4.22).

    Parameters
    ----------
    target : (k, n) float
        True distributions p, usually one-hot rows.
    probability : (k, n) float
        Predicted distributions q, e.g. :func:`softmax` outputs.
    base : float
        Base of the logarithm. Frameworks use ``np.e`` (nats); ``base=10`` reproduces the
        numbers of the book's Example 4.3 (see the erratum on the chapter 4 page).
    """
    target, probability = _same_shape(target, probability)
    terms = np.where(target > 0, target * _log(np.where(target > 0, probability, 1.0), base), 0.0)
    return float(-terms.sum(axis=-1).mean())


def cross_entropy_from_logits(target: np.ndarray, logits: np.ndarray, *, base: float = np.e) -> float:
    """Categorical cross-entropy of ``softmax(logits)``, computed through :func:`log_softmax`."""
    target, logits = _same_shape(target, logits)
    return float(-(target * _log(np.exp(1.0), base) * log_softmax(logits)).sum(axis=-1).mean())


def softmax_cross_entropy_gradient(target: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """d/dz of the mean cross-entropy (natural log) of softmax(z): (q - p) / k (Eq. 4.18 + 4.22)."""
    target, logits = _same_shape(target, logits)
    return (softmax(logits) - target) / len(logits)


def binary_cross_entropy(target: np.ndarray, probability: np.ndarray, *, base: float = np.e) -> float:
    """L = -(1/k) sum_i [y log q + (1 - y) log(1 - q)] (Eq. 4.16), averaged over all entries."""
    target, probability = _same_shape(target, probability)
    if np.any((probability <= 0) | (probability >= 1)):
        raise ValueError("probabilities must lie strictly between 0 and 1; use a sigmoid output")
    return float(-np.mean(target * _log(probability, base) + (1 - target) * _log(1 - probability, base)))


def binary_cross_entropy_gradient(target: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """d/dq of :func:`binary_cross_entropy` (natural log): (q - y) / (q (1 - q)) / size.

    Multiplied by the sigmoid derivative q (1 - q) it becomes the familiar (q - y) / size.
    """
    target, probability = _same_shape(target, probability)
    return (probability - target) / (probability * (1 - probability)) / probability.size
