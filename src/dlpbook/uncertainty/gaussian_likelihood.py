"""The heteroscedastic Gaussian likelihood: a network that predicts a mean and a variance (book Sec. 13.1).

A regression network with ``2 d`` outputs for a ``d``-dimensional target reads its first ``d``
outputs as the means ``mu`` and the last ``d`` as the log-variances ``s = log sigma^2`` of a
Gaussian per target (:func:`split_mean_log_variance`); training minimises the negative
log-likelihood of the targets (:func:`gaussian_nll`, :func:`heteroscedastic_nll`). Then
``sigma^2`` estimates the aleatoric variance, the scatter of the target around its mean at
this input. Predicting ``log sigma^2`` keeps the variance positive without a constraint.
"""

from __future__ import annotations

import math

import torch


def split_mean_log_variance(outputs):
    """The means (first half of the last axis) and log-variances (second half) of heteroscedastic outputs.

    Parameters
    ----------
    outputs : (..., 2 d) torch.Tensor or ndarray
        Network outputs.

    Returns
    -------
    mean, log_variance : (..., d) torch.Tensor or ndarray
        Views of ``outputs``.
    """
    width = outputs.shape[-1]
    if width % 2:
        raise ValueError(f"heteroscedastic outputs need an even number of columns (means, log-variances), got {width}")
    return outputs[..., : width // 2], outputs[..., width // 2 :]


def gaussian_nll(mean: torch.Tensor, log_variance: torch.Tensor, target: torch.Tensor, *, full: bool = False) -> torch.Tensor:
    """The negative log-likelihood of ``target`` under ``N(mean, exp(log_variance))``, element by element.

    ``0.5 (log sigma^2 + (y - mu)^2 / sigma^2)`` (+ ``0.5 log 2 pi`` with ``full``), the
    heteroscedastic loss of Sec. 13.1. It equals :class:`torch.nn.GaussianNLLLoss` with
    ``reduction="none"`` given the variance ``exp(log_variance)``, except that torch clamps that
    variance at ``eps = 1e-6`` and omits the constant unless ``full=True`` too.

    Parameters
    ----------
    mean, log_variance : (n, d) torch.Tensor
        Predicted mean ``mu`` and ``log sigma^2``.
    target : (n, d) or (n,) torch.Tensor
        The true values; reshaped to ``mean``'s shape (an ``(n,)`` target for ``d = 1``).
    full
        Whether to add the constant ``0.5 log 2 pi`` (then the value is ``-log p(y)``).

    Returns
    -------
    (n, d) torch.Tensor
    """
    if target.numel() != mean.numel():
        raise ValueError(f"target has {target.numel()} values for {mean.numel()} means (shape {tuple(mean.shape)})")
    target = target.reshape(mean.shape).to(mean.dtype)
    nll = 0.5 * (log_variance + (target - mean) ** 2 * torch.exp(-log_variance))
    return nll + 0.5 * math.log(2 * math.pi) if full else nll


def heteroscedastic_nll(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean Gaussian negative log-likelihood of ``targets`` for outputs ``(mu, log sigma^2)``: a loss for :func:`dlpbook.train.fit`.

    Parameters
    ----------
    outputs : (n, 2 d) torch.Tensor
        Means and log-variances (:func:`split_mean_log_variance`).
    targets : (n, d) or (n,) torch.Tensor

    Returns
    -------
    torch.Tensor
        The scalar :func:`gaussian_nll` averaged over samples and target components.
    """
    return gaussian_nll(*split_mean_log_variance(outputs), targets).mean()
