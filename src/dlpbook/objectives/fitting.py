"""Fitting the parameters of a function to data (book Sec. 14.1-14.3, Examples 14.1, 14.2).

The objectives (all sums over the data points, as in the book):

- :func:`chi_square`: ``sum ((y_i - f(x_i, theta)) / sigma_i)^2`` (Eq. 14.1);
- :func:`gaussian_nll`: ``-sum ln N(y_i | f(x_i, theta), sigma_i)`` (Eqs. 14.21-14.23), which
  is ``chi^2 / 2`` plus a constant, so both have the same minimum (Eq. 14.24);
- :func:`poisson_nll`: ``-sum ln Pois(n_i | mu_i)`` (Eq. 14.4 for counts).

:func:`minimize` finds ``theta' = arg min F(theta)`` (Eq. 14.5) by gradient-based descent
(L-BFGS on the autograd gradient, in double precision) and takes the parameter covariance from
the Hessian at the minimum, ``V = 2 * errordef * H^-1``: ``errordef = 1`` for a chi-square
(``Delta chi^2 = 1`` is one standard deviation), ``0.5`` for a negative log-likelihood
(``Delta F = 1/2``), as in MINUIT. :func:`fit_parameters` does both for a model ``f(x, theta)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from ..validation import ParameterError, check_choice, check_count, check_positive

OBJECTIVES = {"chi2": 1.0, "gaussian": 0.5, "poisson": 0.5}
"""The objectives of :func:`fit_parameters` and their ``errordef``."""


@dataclass(frozen=True)
class FitResult:
    """The outcome of :func:`minimize`.

    Attributes
    ----------
    parameters
        ``theta'``, the minimum (float64 array).
    covariance
        ``2 * errordef * H^-1``, the parameter covariance from the Hessian ``H`` at the minimum.
    minimum
        ``F(theta')``.
    """

    parameters: np.ndarray
    covariance: np.ndarray
    minimum: float

    @property
    def errors(self) -> np.ndarray:
        """Standard deviations of the parameters, ``sqrt(diag V)``."""
        return np.sqrt(np.diag(self.covariance))


def chi_square(y: torch.Tensor, prediction: torch.Tensor, sigma: torch.Tensor | float = 1.0) -> torch.Tensor:
    """``chi^2 = sum ((y_i - f(x_i)) / sigma_i)^2`` (Eq. 14.1)."""
    return (((y - prediction) / sigma) ** 2).sum()


def gaussian_nll(y: torch.Tensor, prediction: torch.Tensor, sigma: torch.Tensor | float = 1.0) -> torch.Tensor:
    """``F = sum [ln(sqrt(2 pi) sigma_i) + (y_i - f(x_i))^2 / (2 sigma_i^2)]`` (Eq. 14.23)."""
    sigma = torch.as_tensor(sigma, dtype=prediction.dtype)
    return (torch.log(np.sqrt(2 * np.pi) * sigma) + 0.5 * ((y - prediction) / sigma) ** 2).sum()


def poisson_nll(counts: torch.Tensor, rate: torch.Tensor) -> torch.Tensor:
    """``F = -sum ln(mu_i^n_i e^-mu_i / n_i!) = sum [mu_i - n_i ln mu_i + ln n_i!]`` (Eq. 14.4)."""
    return (rate - counts * torch.log(rate) + torch.lgamma(counts + 1)).sum()


def hessian_covariance(objective: Callable[[torch.Tensor], torch.Tensor], parameters, *, errordef: float = 0.5) -> np.ndarray:
    """``V = 2 * errordef * H^-1``, with ``H`` the Hessian of ``objective`` at ``parameters``.

    Parameters
    ----------
    objective
        ``F(theta) -> scalar tensor``, differentiable twice.
    parameters
        The point, usually the minimum.
    errordef
        The rise of ``F`` that marks one standard deviation: 1 for a chi-square, 0.5 for a
        negative log-likelihood.
    """
    errordef = check_positive(errordef, "errordef")
    theta = torch.as_tensor(np.asarray(parameters, dtype=float))
    hessian = torch.autograd.functional.hessian(objective, theta).numpy()
    return 2 * errordef * np.linalg.inv(hessian)


def minimize(
    objective: Callable[[torch.Tensor], torch.Tensor],
    initial,
    *,
    errordef: float = 0.5,
    max_iterations: int = 500,
) -> FitResult:
    """``theta' = arg min F(theta)`` (Eq. 14.5) by gradient descent, with the Hessian covariance.

    L-BFGS with a strong-Wolfe line search follows the autograd gradient of ``F`` (a
    quasi-Newton form of gradient descent) in float64 until the gradient vanishes.

    Parameters
    ----------
    objective
        ``F(theta) -> scalar tensor`` for a float64 vector ``theta``.
    initial
        Start values (a sequence of numbers).
    errordef
        1 for a chi-square, 0.5 for a negative log-likelihood (see :func:`hessian_covariance`).
    max_iterations
        Most L-BFGS iterations (> 0).

    Returns
    -------
    FitResult
        The minimum, its covariance and ``F`` there.
    """
    max_iterations = check_count(max_iterations, "max_iterations")
    start = np.asarray(initial, dtype=float).ravel()
    if start.size == 0 or not np.all(np.isfinite(start)):
        raise ParameterError("initial", "a non-empty sequence of finite numbers", initial)
    theta = torch.tensor(start, requires_grad=True)
    optimizer = torch.optim.LBFGS([theta], lr=1, max_iter=max_iterations, tolerance_grad=1e-12,
                                  tolerance_change=1e-15, history_size=20, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        value = objective(theta)
        value.backward()
        return value

    optimizer.step(closure)
    parameters = theta.detach().clone()
    return FitResult(
        parameters=parameters.numpy(),
        covariance=hessian_covariance(objective, parameters, errordef=errordef),
        minimum=float(objective(parameters)),
    )


def fit_parameters(
    model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    x,
    y,
    initial,
    *,
    objective: str = "chi2",
    sigma=1.0,
    max_iterations: int = 500,
) -> FitResult:
    """Fit ``f(x, theta)`` to data points ``(x_i, y_i)`` (Examples 14.1, 14.2).

    Parameters
    ----------
    model
        ``f(x, theta) -> prediction``: torch operations on a float64 tensor ``x`` and the
        parameter vector ``theta``; for ``"poisson"`` the prediction is the expected count.
    x, y
        The data (arrays; ``y`` holds counts for ``"poisson"``).
    initial
        Start values of ``theta``.
    objective
        ``"chi2"`` (Eq. 14.1), ``"gaussian"`` (Eq. 14.23) or ``"poisson"`` (Eq. 14.4).
    sigma
        Uncertainties ``sigma_i`` of ``y`` (a number or an array; positive), not used for
        ``"poisson"``.
    max_iterations
        Most L-BFGS iterations.

    Returns
    -------
    FitResult
        ``chi2`` and ``gaussian`` give the same parameters and covariance (Eq. 14.24).
    """
    check_choice(objective, "objective", OBJECTIVES)
    x, y = torch.as_tensor(np.asarray(x, dtype=float)), torch.as_tensor(np.asarray(y, dtype=float))
    sigma_array = np.asarray(sigma, dtype=float)
    if not np.all(np.isfinite(sigma_array)) or np.any(sigma_array <= 0):
        raise ParameterError("sigma", "positive finite numbers", sigma)
    sigma = torch.as_tensor(sigma_array)
    if objective == "poisson" and (torch.any(y < 0) or torch.any(y != torch.round(y))):
        raise ParameterError("y", "counts (integers >= 0) for the Poisson likelihood", np.asarray(y))

    def loss(theta: torch.Tensor) -> torch.Tensor:
        prediction = model(x, theta)
        if objective == "poisson":
            return poisson_nll(y, prediction)
        return chi_square(y, prediction, sigma) if objective == "chi2" else gaussian_nll(y, prediction, sigma)

    return minimize(loss, initial, errordef=OBJECTIVES[objective], max_iterations=max_iterations)
