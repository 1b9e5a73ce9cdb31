"""Kullback-Leibler divergences in closed form (book Sec. 14.2, Eqs. 14.11-14.13).

``D_KL(p || q) = E_{x ~ p}[ln p(x) - ln q(x)]`` measures how much ``q`` (the model) misses
``p`` (the data). It is >= 0, zero only for ``p = q``, and not symmetric (so not a distance,
book footnote 1). Minimising it over a model's parameters is maximum likelihood and
cross-entropy minimisation (Eq. 14.13).

- :func:`kl_divergence`: between discrete distributions (histograms, class probabilities);
- :func:`gaussian_kl_divergence`: between two normal distributions (univariate, broadcast),
  ``ln(s_q / s_p) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2``.
"""

from __future__ import annotations

import torch

from ..validation import ParameterError

NORMALISATION_TOLERANCE = 1e-6
"""How far the probabilities of a discrete distribution may sum from 1."""


def _probabilities(values, name: str) -> torch.Tensor:
    p = torch.as_tensor(values)
    p = p if p.is_floating_point() else p.double()
    if p.ndim == 0 or p.shape[-1] == 0 or not torch.all(torch.isfinite(p)) or torch.any(p < 0):
        raise ParameterError(name, "non-negative finite probabilities along the last axis", values)
    if torch.any((p.sum(-1) - 1).abs() > NORMALISATION_TOLERANCE):
        raise ParameterError(name, "probabilities that sum to 1 along the last axis", values)
    return p


def kl_divergence(p, q) -> torch.Tensor:
    """``D_KL(p || q) = sum_j p_j ln(p_j / q_j)`` of discrete distributions (Eqs. 14.11, 14.12).

    Terms with ``p_j = 0`` contribute 0; ``q_j = 0`` where ``p_j > 0`` gives ``inf``.

    Parameters
    ----------
    p, q
        Probabilities along the last axis (each summing to 1), broadcastable.

    Returns
    -------
    torch.Tensor
        The divergence in nats, one per distribution (the last axis summed).
    """
    p, q = _probabilities(p, "p"), _probabilities(q, "q")
    p, q = torch.broadcast_tensors(p, q.to(p.dtype))
    terms = torch.where(p > 0, p * (torch.log(p) - torch.log(q)), torch.zeros_like(p))
    return terms.sum(-1)


def gaussian_kl_divergence(mean_p, std_p, mean_q, std_q) -> torch.Tensor:
    """``D_KL(N(m_p, s_p^2) || N(m_q, s_q^2))`` in closed form, elementwise (nats).

    ``ln(s_q / s_p) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2``.

    Parameters
    ----------
    mean_p, std_p, mean_q, std_q
        Means and standard deviations (> 0), numbers or tensors that broadcast.
    """
    mean_p, mean_q = torch.as_tensor(mean_p, dtype=torch.float64), torch.as_tensor(mean_q, dtype=torch.float64)
    std_p, std_q = torch.as_tensor(std_p, dtype=torch.float64), torch.as_tensor(std_q, dtype=torch.float64)
    for name, value in (("mean_p", mean_p), ("mean_q", mean_q), ("std_p", std_p), ("std_q", std_q)):
        if not torch.all(torch.isfinite(value)) or (name.startswith("std") and torch.any(value <= 0)):
            requirement = "positive finite numbers" if name.startswith("std") else "finite numbers"
            raise ParameterError(name, requirement, value.numpy() if value.ndim else float(value))
    return torch.log(std_q / std_p) + (std_p**2 + (mean_p - mean_q) ** 2) / (2 * std_q**2) - 0.5
