"""Accuracy metrics on torch outputs, for :func:`dlpbook.train.fit`'s ``metrics``.

Both count with :func:`dlpbook.metrics.accuracy` (Eq. 5.3), and :func:`binary_accuracy`
classifies with the package's one rule, :func:`dlpbook.metrics.predict_labels`: a sample is
class A (label 1) when its score is ``>= threshold``.
"""

from __future__ import annotations

import torch

from .. import metrics


def _on_host(values) -> torch.Tensor:
    """A detached CPU tensor (NumPy arrays are accepted as well)."""
    return torch.as_tensor(values).detach().cpu()


def binary_accuracy(score: torch.Tensor, target: torch.Tensor, threshold: float = 0.5) -> float:
    """Fraction of samples whose class ``score >= threshold`` equals ``target``.

    Parameters
    ----------
    score : (n,) or (n, 1) torch.Tensor or ndarray
        Probabilities of class A (``threshold=0.5``), or logits or tanh outputs
        (``threshold=0``, the same decision).
    target : (n,) or (n, 1) torch.Tensor or ndarray
        True classes, 0 or 1.
    threshold : float
        Working point.
    """
    predicted = metrics.predict_labels(_on_host(score).reshape(-1), threshold)
    return metrics.accuracy(_on_host(target).reshape(-1), predicted)


def categorical_accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of samples whose largest score (logit or probability) is the label's class.

    Parameters
    ----------
    scores : (n, k) torch.Tensor or ndarray
        One score per class.
    labels : (n,) or (n, 1) torch.Tensor or ndarray
        True classes in ``0 .. k-1``.
    """
    return metrics.accuracy(_on_host(labels).reshape(-1), _on_host(scores).argmax(dim=-1))
