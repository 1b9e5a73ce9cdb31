"""Decorrelation by distance correlation, DisCo (book Sec. 13.2, Refs. [140-143]).

The distance correlation of Szekely and Rizzo is 0 if and only if two variables are
independent, and 1 for a linear relation; unlike a histogram-based dependence measure it is
differentiable and needs no binning, so Kasieczka and Shih add it to the classifier's loss
on each minibatch: ``L = L_clf + lambda dCorr^2(classifier output, m)``, evaluated on the
background (:class:`DisCoLoss`). A minimisation without an adversary, hence easier to train.

For ``n`` samples with distances ``a_ij = |x_i - x_j|`` and ``b_ij = |y_i - y_j|`` (Euclidean for
vectors), double-centred as ``A_ij = a_ij - a_i. - a_.j + a_..`` (row, column and grand means;
``B`` likewise),

    dCov^2(x, y) = (1/n^2) sum_ij A_ij B_ij,
    dCorr^2(x, y) = dCov^2(x, y) / sqrt(dCov^2(x, x) dCov^2(y, y)).

This is the biased (V-statistic) estimator, the one of the DisCo paper: it lies in [0, 1]
and is exactly 0 when the sample's joint distribution is the product of its marginals, but
for independent variables it exceeds 0 by O(1/n) (the unbiased U-centred estimator of
Szekely and Rizzo 2014 removes that bias, at the price of values below 0).
"""

from __future__ import annotations

import torch
from torch import nn

from ..validation import check_non_negative
from ._binary import background, binary_cross_entropy

_TINY = 1e-30
"""Floor of the product of the distance variances: a constant variable has correlation 0, not 0/0."""


def _double_centred_distances(x: torch.Tensor) -> torch.Tensor:
    """``A_ij = a_ij - a_i. - a_.j + a_..`` for the distances ``a_ij`` of the rows of ``x``."""
    points = x.reshape(len(x), -1)
    # not the matrix-product form: that one is inexact and has no finite gradient at a_ii = 0
    a = torch.cdist(points, points, compute_mode="donot_use_mm_for_euclid_dist")
    return a - a.mean(dim=0, keepdim=True) - a.mean(dim=1, keepdim=True) + a.mean()


def distance_correlation_squared(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The squared distance correlation ``dCorr^2(x, y)`` of paired samples (biased estimator, Refs. [141-143]).

    Differentiable in ``x`` and ``y``; memory and time grow as ``n^2``, fine for minibatches.

    Parameters
    ----------
    x : (n,) or (n, p) torch.Tensor
    y : (n,) or (n, q) torch.Tensor
        Samples of the two variables, paired by row.

    Returns
    -------
    torch.Tensor
        A scalar in [0, 1]: 0 for a sample whose joint distribution factorises (and, up to
        O(1/n), for independent variables), 1 when ``y`` is a linear function of a 1D ``x``;
        0 if either variable is constant.
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must hold the same number of samples, got {len(x)} and {len(y)}")
    x_centred, y_centred = _double_centred_distances(x), _double_centred_distances(y.to(x.dtype))
    covariance = (x_centred * y_centred).mean()
    variances = (x_centred**2).mean() * (y_centred**2).mean()
    return covariance / torch.sqrt(variances.clamp_min(_TINY))


class DisCoLoss(nn.Module):
    """``L_clf + lambda dCorr^2(sigmoid(logits), m)``: a classifier's loss with the DisCo penalty (Ref. [140]).

    Called as ``loss(logits, (labels, protected))`` by :func:`dlpbook.train.fit` with targets
    ``(labels, m)``: ``L_clf`` is the binary cross-entropy of the logits, and the penalty is
    :func:`distance_correlation_squared` between the classifier's probabilities and ``m`` on
    the background (label 0) samples of the minibatch, or on all (a minibatch with fewer than
    two of them adds nothing). Larger minibatches estimate the penalty better (its bias is O(1/n)).

    Parameters
    ----------
    strength
        ``lambda`` (>= 0).
    background_only
        Whether the penalty is evaluated on the background only.
    """

    def __init__(self, strength: float = 1.0, *, background_only: bool = True) -> None:
        super().__init__()
        self.strength, self.background_only = check_non_negative(strength, "strength"), bool(background_only)

    def forward(self, logits: torch.Tensor, targets: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """``L_clf + lambda dCorr^2`` of a minibatch."""
        labels, protected = targets
        classifier_loss = binary_cross_entropy(logits, labels)
        selected = background(labels, self.background_only)
        if selected.sum() < 2:
            return classifier_loss
        scores = torch.sigmoid(logits.reshape(-1)[selected])
        return classifier_loss + self.strength * distance_correlation_squared(scores, protected[selected])
