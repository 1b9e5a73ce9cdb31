"""Accuracy metrics on torch outputs, for :func:`dlpbook.train.fit`'s ``metrics``.

Both count with :func:`dlpbook.metrics.accuracy` (Eq. 5.3), and :func:`binary_accuracy`
classifies with the package's one rule, :func:`dlpbook.metrics.predict_labels`: a sample is
class A (label 1) when its score is ``>= threshold``.
"""

from __future__ import annotations

import torch

from .. import metrics


def binary_accuracy(score: torch.Tensor, target: torch.Tensor, threshold: float = 0.5) -> float:
    """Fraction of samples whose class ``score >= threshold`` equals ``target``.

    Parameters
    ----------
    score : (n,) or (n, 1) torch.Tensor
        Probabilities of class A (``threshold=0.5``), or logits or tanh outputs
        (``threshold=0``, the same decision).
    target : (n,) or (n, 1) torch.Tensor
        True classes, 0 or 1.
    threshold : float
        Working point.
    """
    predicted = metrics.predict_labels(score.detach().cpu().reshape(-1), threshold)
    return metrics.accuracy(target.detach().cpu().reshape(-1), predicted)


def categorical_accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of samples whose largest score (logit or probability) is the label's class.

    Parameters
    ----------
    scores : (n, k) torch.Tensor
        One score per class.
    labels : (n,) or (n, 1) torch.Tensor
        True classes in ``0 .. k-1``.
    """
    return metrics.accuracy(labels.detach().cpu().reshape(-1), scores.detach().argmax(dim=-1).cpu())
