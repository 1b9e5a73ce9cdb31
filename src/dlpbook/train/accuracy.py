"""Accuracy metrics on torch outputs, for :func:`dlpbook.train.fit`'s ``metrics``."""

from __future__ import annotations

import torch


def binary_accuracy(probability: torch.Tensor, target: torch.Tensor, threshold: float = 0.5) -> float:
    """Fraction of samples with ``(probability > threshold) == target`` (target 0/1)."""
    predicted = probability.reshape(-1) > threshold
    return float((predicted == target.reshape(-1).bool()).float().mean())


def categorical_accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of samples whose largest score (logit or probability) is the label's class."""
    return float((scores.argmax(dim=-1) == labels.reshape(-1)).float().mean())
