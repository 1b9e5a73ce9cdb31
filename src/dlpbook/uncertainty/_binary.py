"""The binary cross-entropy of a classifier's logits, shared by the decorrelation losses."""

from __future__ import annotations

import torch
from torch.nn import functional as F


def flat(values: torch.Tensor, like: torch.Tensor, name: str) -> torch.Tensor:
    """``values`` as a flat tensor of ``like``'s dtype, with one value per element of ``like``."""
    if values.numel() != like.numel():
        raise ValueError(f"{name} has {values.numel()} values for {like.numel()} classifier outputs")
    return values.reshape(-1).to(like.dtype)


def binary_cross_entropy(logits: torch.Tensor, labels: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
    """The mean of ``w_i BCE(sigmoid(logit_i), label_i)`` over the samples (``w_i = 1`` without ``weights``).

    Parameters
    ----------
    logits : (n,) or (n, 1) torch.Tensor
        Pre-sigmoid classifier outputs.
    labels : (n,) or (n, 1) torch.Tensor
        True classes, 0 or 1 (any dtype).
    weights : (n,) torch.Tensor, optional
        Sample weights, as Keras' ``sample_weight``: the weighted losses are averaged over ``n``.
    """
    logits = logits.reshape(-1)
    loss = F.binary_cross_entropy_with_logits(logits, flat(labels, logits, "labels"), reduction="none")
    return (loss * flat(weights, logits, "weights")).mean() if weights is not None else loss.mean()


def background(labels: torch.Tensor, background_only: bool) -> torch.Tensor:
    """The flat mask of the samples a decorrelation term sees: those of class 0 (background), or all."""
    labels = labels.reshape(-1)
    return labels == 0 if background_only else torch.ones_like(labels, dtype=torch.bool)
