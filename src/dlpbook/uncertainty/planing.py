"""Planing: sample weights that flatten the distribution of a protected variable in every class (book Sec. 13.2, Ex. 13.1).

Planing (Refs. [136, 137]) removes the information a classifier could draw from the shape of
a variable ``m`` (a mass, say) by weighting each training sample with the inverse content of
its histogram bin, class by class: the weighted distribution of ``m`` is then flat in every
class, so no value of ``m`` is more signal-like than another. The weights multiply the
per-sample loss (:func:`weighted_binary_cross_entropy`). ``m`` may stay an input; the
classifier just gains nothing from its distribution. Planing is a simple baseline that
becomes hard beyond one or two protected variables, whose joint histogram empties quickly.
"""

from __future__ import annotations

import numpy as np
import torch

from ..validation import check_count
from ._binary import binary_cross_entropy


def planing_weights(feature, labels, *, bins: int = 50) -> np.ndarray:
    """Per-sample weights ``1 / (bin content)`` that flatten ``feature``'s histogram within each class.

    The bins are ``bins`` equal intervals from the smallest to the largest value of ``feature``
    (the same for all classes). Within each class the weights are scaled to a mean of 1, so
    every class keeps its total weight, its number of samples.

    Parameters
    ----------
    feature : (n,) array_like
        The protected variable, finite.
    labels : (n,) array_like
        The class of every sample (any discrete values).
    bins
        Number of histogram bins (> 0).

    Returns
    -------
    (n,) float64 ndarray
        Weights > 0; the weighted histogram of ``feature`` in each class is flat over its
        non-empty bins.
    """
    bins = check_count(bins, "bins")
    feature, labels = np.asarray(feature, dtype=float), np.asarray(labels)
    if feature.ndim != 1 or labels.shape != feature.shape or feature.size == 0:
        raise ValueError(f"feature and labels must be non-empty and of shape (n,), got {feature.shape} and {labels.shape}")
    if not np.all(np.isfinite(feature)):
        raise ValueError("feature must be finite")
    edges = np.linspace(feature.min(), feature.max(), bins + 1)
    index = np.clip(np.digitize(feature, edges[1:-1]), 0, bins - 1)  # the last bin includes the maximum
    weights = np.empty(feature.size)
    for label in np.unique(labels):
        members = labels == label
        inverse_counts = 1.0 / np.bincount(index[members], minlength=bins)[index[members]]
        weights[members] = inverse_counts * members.sum() / inverse_counts.sum()
    return weights


def weighted_binary_cross_entropy(outputs: torch.Tensor, targets: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """The binary cross-entropy with sample weights, for :func:`dlpbook.train.fit` with targets ``(labels, weights)``.

    ``(1/n) sum_i w_i BCE(sigmoid(o_i), y_i)`` over a minibatch, as Keras' ``sample_weight``; with
    :func:`planing_weights` the planed training of Ex. 13.1:
    ``fit(model, (x, (labels, planing_weights(x[:, 0], labels))), loss=weighted_binary_cross_entropy, ...)``.

    Parameters
    ----------
    outputs : (n,) or (n, 1) torch.Tensor
        Logits (pre-sigmoid outputs).
    targets
        ``(labels, weights)``: classes 0 or 1 and the sample weights, each ``(n,)``.
    """
    labels, weights = targets
    return binary_cross_entropy(outputs, labels, weights)
