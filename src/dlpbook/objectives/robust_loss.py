"""Barron's general and adaptive robust loss (book Sec. 14.4, Eq. 14.30; Barron, Ref. [148]).

With the residual ``x = y - y_hat`` and a scale ``c`` of the quadratic core, one shape
parameter ``alpha`` interpolates between familiar losses (:func:`barron_loss`):

==================  ===========================================  ==========================
``alpha``           ``rho(x, alpha, c)`` with ``z = (x / c)^2``  name
==================  ===========================================  ==========================
2                   ``z / 2``                                    L2 (Gaussian, MSE)
1                   ``sqrt(z + 1) - 1``                          Charbonnier, pseudo-Huber
0 (a limit)         ``log(z / 2 + 1)``                           Cauchy (Lorentz)
-2                  ``2 z / (z + 4)``                            Geman-McClure
-inf (a limit)      ``1 - exp(-z / 2)``                          Welsch (Leclerc)
==================  ===========================================  ==========================

The flatter the loss (smaller ``alpha``), the smaller the gradient an outlier contributes.
For ``alpha >= 0``, ``exp(-rho)`` normalises to a probability density (:func:`barron_density`),
so ``alpha`` and ``c`` can be learned by maximum likelihood: :class:`AdaptiveRobustLoss` is
the negative log of that density, ``rho + log c + log Z(alpha)`` (the book's "adapted
dynamically during training"). The partition function ``Z(alpha)`` has no closed form except
at ``alpha = 2`` (``sqrt(2 pi)``) and ``alpha = 0`` (``pi sqrt(2)``); it is integrated
numerically once on a grid and interpolated (:func:`log_partition`).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch
from torch import nn

from ..validation import check_float, check_positive

ALPHA_GRID_STEP = 0.001
"""Spacing of the tabulated ``log Z(alpha)`` on [0, 2] (linear interpolation between the points)."""
QUADRATURE_NODES = 400
"""Gauss-Legendre nodes of the partition-function integral."""


def _check_alpha(alpha: float) -> float:
    """A shape parameter: a finite number, or ``-inf`` (the Welsch limit)."""
    if isinstance(alpha, (int, float)) and alpha == -math.inf:
        return -math.inf
    return check_float(alpha, "alpha")


def barron_loss(x: torch.Tensor, alpha: float | torch.Tensor, scale: float | torch.Tensor = 1.0) -> torch.Tensor:
    """Barron's general robust loss ``rho(x, alpha, c)`` (Eq. 14.30), elementwise.

    The general branch ``|alpha - 2| / alpha * ((z / |alpha - 2| + 1)^(alpha / 2) - 1)`` is
    evaluated with ``expm1`` and ``log1p``, so it is continuous into the limits ``alpha -> 0``
    and ``alpha -> 2``; ``alpha = 2``, ``0`` and ``-inf`` use their closed forms (module table).

    Parameters
    ----------
    x
        Residuals ``y - y_hat``.
    alpha
        Shape: a number (any finite value, or ``-inf``), or a tensor broadcastable with ``x``
        (e.g. a learned parameter; then it is not checked).
    scale
        ``c > 0``, the width of the quadratic core; a number or a positive tensor.

    Returns
    -------
    torch.Tensor
        ``rho`` for every residual, shaped as ``x`` broadcast with ``alpha`` and ``scale``.
    """
    x = torch.as_tensor(x)
    x = x if x.is_floating_point() else x.double()
    if not torch.is_tensor(alpha):
        alpha = _check_alpha(alpha)
    if not torch.is_tensor(scale):
        scale = check_positive(scale, "scale")
    alpha = torch.as_tensor(alpha, dtype=x.dtype, device=x.device)
    z = (x / scale) ** 2
    is_l2, is_cauchy, is_welsch = alpha == 2, alpha == 0, torch.isneginf(alpha)
    # a harmless alpha in the general branch where a closed form applies, so that no NaN reaches the gradient
    safe = torch.where(is_l2 | is_cauchy | is_welsch, torch.ones_like(alpha), alpha)
    b = (safe - 2).abs()
    general = b / safe * torch.expm1(safe / 2 * torch.log1p(z / b))
    return torch.where(
        is_l2, z / 2, torch.where(is_cauchy, torch.log1p(z / 2), torch.where(is_welsch, -torch.expm1(-z / 2), general))
    )


@functools.cache
def _log_partition_table() -> torch.Tensor:
    """``log Z`` on the grid of :data:`ALPHA_GRID_STEP`, ``Z(alpha) = integral exp(-rho(x, alpha, 1)) dx``.

    With ``x = sqrt(2) tan(u)`` the integral runs over ``(-pi/2, pi/2)`` and its integrand is
    smooth (constant for the Cauchy case); Gauss-Legendre quadrature then converges fast.
    """
    alphas = torch.linspace(0, 2, round(2 / ALPHA_GRID_STEP) + 1, dtype=torch.float64)[:, None]
    nodes, weights = (torch.from_numpy(a) for a in np.polynomial.legendre.leggauss(QUADRATURE_NODES))
    u = nodes * math.pi / 2
    x = math.sqrt(2) * torch.tan(u)
    jacobian = math.sqrt(2) / torch.cos(u) ** 2 * math.pi / 2
    return torch.log((weights * jacobian * torch.exp(-barron_loss(x, alphas))).sum(-1))


def log_partition(alpha: float | torch.Tensor) -> torch.Tensor:
    """``log Z(alpha)`` for ``0 <= alpha <= 2``, interpolated linearly in a quadrature table.

    Differentiable in ``alpha`` (piecewise linear); within 1e-4 of the integral (the largest
    deviation just below ``alpha = 2``, where ``log Z`` rises steeply), 1e-6 elsewhere. ``Z(2) = sqrt(2 pi)``, ``Z(0) = pi sqrt(2)``.

    Parameters
    ----------
    alpha
        A number or tensor in [0, 2] (a tensor is clamped to that range).
    """
    if not torch.is_tensor(alpha):
        alpha = check_float(alpha, "alpha", low=0, high=2)
    table = _log_partition_table()
    position = torch.as_tensor(alpha, dtype=torch.float64).clamp(0, 2) / ALPHA_GRID_STEP
    lower = position.floor().clamp(max=len(table) - 2).long()
    fraction = position - lower
    table = table.to(position.device)
    return (table[lower] * (1 - fraction) + table[lower + 1] * fraction).to(
        alpha.dtype if torch.is_tensor(alpha) else torch.float64
    )


def barron_density(x: torch.Tensor, alpha: float, scale: float = 1.0) -> torch.Tensor:
    """The probability density ``exp(-rho(x, alpha, c)) / (c Z(alpha))`` (book Fig. 14.2a).

    Normalisable for ``0 <= alpha <= 2`` only (for ``alpha < 0`` the loss is bounded); ``alpha
    = 2`` is the Gaussian of standard deviation ``c``, ``alpha = 0`` a Cauchy (Student-t)
    density.

    Parameters
    ----------
    x
        Where to evaluate.
    alpha
        Shape, in [0, 2].
    scale
        ``c > 0``.
    """
    alpha = check_float(alpha, "alpha", low=0, high=2)
    scale = check_positive(scale, "scale")
    return torch.exp(-barron_loss(x, alpha, scale) - log_partition(alpha)) / scale


class AdaptiveRobustLoss(nn.Module):
    """Barron's adaptive loss: the negative log-likelihood ``rho + log c + log Z(alpha)``.

    ``alpha`` and the scale ``c`` are parameters learned together with the model (pass this
    module's parameters to the optimiser too): data with heavy tails drive ``alpha`` towards
    0 (Cauchy), Gaussian data towards 2. ``alpha = alpha_low + (alpha_high - alpha_low) *
    sigmoid(a)`` and ``c = min_scale + softplus(s)`` keep both in range.

    Parameters
    ----------
    alpha_low, alpha_high
        The range of ``alpha``, ``0 <= alpha_low < alpha_high <= 2``.
    initial_alpha
        Start value, strictly inside the range.
    initial_scale
        Start value of ``c``, > ``min_scale``.
    min_scale
        Lower bound of ``c`` (> 0), which keeps the loss from collapsing onto exact fits.
    """

    def __init__(
        self,
        *,
        alpha_low: float = 0.0,
        alpha_high: float = 2.0,
        initial_alpha: float = 1.0,
        initial_scale: float = 1.0,
        min_scale: float = 1e-5,
    ):
        super().__init__()
        self.alpha_low = check_float(alpha_low, "alpha_low", low=0, high=2, high_open=True)
        self.alpha_high = check_float(alpha_high, "alpha_high", low=self.alpha_low, high=2, low_open=True)
        initial_alpha = check_float(initial_alpha, "initial_alpha", low=self.alpha_low, high=self.alpha_high,
                                    low_open=True, high_open=True)
        self.min_scale = check_positive(min_scale, "min_scale")
        initial_scale = check_float(initial_scale, "initial_scale", low=self.min_scale, low_open=True)
        fraction = (initial_alpha - self.alpha_low) / (self.alpha_high - self.alpha_low)
        self.latent_alpha = nn.Parameter(torch.tensor(math.log(fraction / (1 - fraction))))
        self.latent_scale = nn.Parameter(torch.tensor(math.log(math.expm1(initial_scale - self.min_scale))))

    @property
    def alpha(self) -> torch.Tensor:
        """The current shape parameter."""
        return self.alpha_low + (self.alpha_high - self.alpha_low) * torch.sigmoid(self.latent_alpha)

    @property
    def scale(self) -> torch.Tensor:
        """The current scale ``c``."""
        return self.min_scale + nn.functional.softplus(self.latent_scale)

    def forward(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of the residuals ``target - prediction``."""
        residual = target - prediction
        alpha, scale = self.alpha.to(residual.dtype), self.scale.to(residual.dtype)
        return (barron_loss(residual, alpha, scale) + torch.log(scale) + log_partition(alpha)).mean()

