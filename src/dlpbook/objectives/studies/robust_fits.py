"""Barron's loss family and robust fits of a calibration line with outliers (Sec. 14.4, Fig. 14.2)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from ...validation import check_count, check_float, check_int, check_positive, check_seed
from .. import robust_loss
from ..fitting import FitResult, minimize


def barron_curves(x, alphas: Sequence[float], scale: float = 1.0) -> dict[float, dict[str, np.ndarray]]:
    """Loss, derivative and (where normalisable) density of Barron's family at ``x``.

    Parameters
    ----------
    x
        Residuals, 1D.
    alphas
        Shape parameters (numbers or ``-inf``).
    scale
        ``c > 0``.

    Returns
    -------
    dict
        Per ``alpha``: ``loss`` ``rho(x)`` (Eq. 14.30), ``derivative`` ``d rho / dx`` (autograd)
        and, for ``0 <= alpha <= 2``, ``density`` ``exp(-rho) / (c Z(alpha))``.
    """
    x = torch.as_tensor(np.asarray(x, dtype=float)).requires_grad_(True)
    curves = {}
    for alpha in alphas:
        loss = robust_loss.barron_loss(x, alpha, scale)
        (derivative,) = torch.autograd.grad(loss.sum(), x)
        curves[alpha] = {"loss": loss.detach().numpy(), "derivative": derivative.numpy()}
        if 0 <= alpha <= 2:
            curves[alpha]["density"] = robust_loss.barron_density(x.detach(), alpha, scale).numpy()
    return curves


def line_with_outliers(n: int = 40, *, n_outliers: int = 6, seed: int = 0) -> dict[str, np.ndarray]:
    """A calibration line ``y = 5 + 20 x`` (ADC counts against energy in GeV) with outliers.

    ``n`` energies uniform in [1, 10] GeV, Gaussian noise of 5 ADC counts; ``n_outliers`` of
    the points get an extra 40-120 counts (say, pile-up of a second particle).

    Returns
    -------
    dict
        ``x`` (GeV), ``y`` (ADC counts), ``sigma`` (5 counts), ``outlier`` (bool),
        ``truth`` ``(intercept, slope)``.
    """
    n = check_count(n, "n")
    n_outliers = check_int(n_outliers, "n_outliers", low=0, high=n)
    rng = np.random.default_rng(check_seed(seed))
    x = np.sort(rng.uniform(1, 10, n))
    truth = np.array([5.0, 20.0])
    y = truth[0] + truth[1] * x + rng.normal(0, 5.0, n)
    outlier = np.zeros(n, dtype=bool)
    outlier[rng.choice(n, n_outliers, replace=False)] = True
    y[outlier] += rng.uniform(40, 120, n_outliers)
    return {"x": x, "y": y, "sigma": np.full(n, 5.0), "outlier": outlier, "truth": truth}


def _line(x: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
    return theta[0] + theta[1] * x


def robust_line_fit(x, y, *, alpha: float, scale: float) -> FitResult:
    """Fit ``y = theta_0 + theta_1 x`` by minimising ``sum_i rho(y_i - y_hat_i, alpha, c)`` (Eq. 14.30).

    ``alpha = 2`` with ``c = sigma`` is the chi-square fit (half of Eq. 14.1); smaller ``alpha``
    weighs outliers down. ``exp(-rho)`` is a likelihood for ``0 <= alpha <= 2``, so the errors
    come from the Hessian with ``errordef = 1/2``.
    """
    alpha, scale = check_float(alpha, "alpha", low=0, high=2), check_positive(scale, "scale")
    x, y = torch.as_tensor(np.asarray(x, dtype=float)), torch.as_tensor(np.asarray(y, dtype=float))
    return minimize(lambda theta: robust_loss.barron_loss(y - _line(x, theta), alpha, scale).sum(), [0.0, 0.0])


def adaptive_line_fit(x, y, *, initial_scale: float = 1.0, max_iterations: int = 500) -> dict[str, float]:
    """Fit the line together with Barron's ``alpha`` and ``c`` (:class:`AdaptiveRobustLoss`).

    The line's parameters, ``alpha`` and the scale all minimise the negative log-likelihood
    ``sum [rho + ln c + ln Z(alpha)]`` (L-BFGS, float64), started at the least-squares line.

    Returns
    -------
    dict
        ``intercept``, ``slope``, ``alpha``, ``scale``.
    """
    x, y = torch.as_tensor(np.asarray(x, dtype=float)), torch.as_tensor(np.asarray(y, dtype=float))
    start = np.polyfit(x.numpy(), y.numpy(), 1)[::-1].copy()
    theta = torch.tensor(start, requires_grad=True)
    loss = robust_loss.AdaptiveRobustLoss(initial_scale=check_positive(initial_scale, "initial_scale")).double()
    optimizer = torch.optim.LBFGS([theta, *loss.parameters()], max_iter=check_count(max_iterations, "max_iterations"),
                                  tolerance_grad=1e-10, tolerance_change=1e-14, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        value = loss(_line(x, theta), y)
        value.backward()
        return value

    optimizer.step(closure)
    intercept, slope = theta.detach().tolist()
    alpha, scale = float(loss.alpha.detach()), float(loss.scale.detach())
    return {"intercept": intercept, "slope": slope, "alpha": alpha, "scale": scale}
