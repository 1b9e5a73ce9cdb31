"""Choosing a model's flexibility: bias and variance, and k-fold cross-validation (book Sec. 5.1, 5.2).

The models are least-squares polynomials of a chosen degree, which are fitted in one step, so
that thousands of training sets can be drawn and every one fitted:

- :func:`bias_variance` estimates the three terms of the expected squared error of a model
  trained on random data sets, ``MSE = bias^2 + variance + sigma^2`` (Eq. 5.1, 5.2), together
  with the directly measured MSE on fresh data;
- :func:`k_fold_indices` and :func:`cross_validation_mse` choose the degree by k-fold
  cross-validation.

Framework-free (NumPy only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .validation import check_count, check_int, check_non_negative


def polynomial_fits(x_train: np.ndarray, y: np.ndarray, degree: int, x_eval: np.ndarray) -> np.ndarray:
    """Least-squares polynomials of ``degree`` through every row of ``y``, evaluated at ``x_eval``.

    The polynomials are written in the Legendre basis on [-1, 1] (``x`` in [0, 1] is mapped to
    ``2 x - 1``), whose columns stay far from linear dependence up to high degrees, unlike the
    monomials ``x^k``.

    Parameters
    ----------
    x_train : (n,) float
        Positions of the measurements, in [0, 1].
    y : (n,) or (m, n) float
        One or ``m`` data sets measured at ``x_train``.
    degree : int
        Polynomial degree (>= 0).
    x_eval : (k,) float
        Where to evaluate the fits.

    Returns
    -------
    (k,) or (m, k) float
        The fitted polynomials at ``x_eval``, one row per data set.
    """
    degree = check_int(degree, "degree", low=0)
    y = np.asarray(y, dtype=float)
    basis_train = np.polynomial.legendre.legvander(2 * np.asarray(x_train, dtype=float) - 1, degree)
    basis_eval = np.polynomial.legendre.legvander(2 * np.asarray(x_eval, dtype=float) - 1, degree)
    coefficients = np.linalg.lstsq(basis_train, np.atleast_2d(y).T, rcond=None)[0]
    fits = (basis_eval @ coefficients).T
    return fits[0] if y.ndim == 1 else fits


@dataclass(frozen=True)
class BiasVariance:
    """The terms of Eq. (5.2), each averaged over the evaluation points.

    Attributes
    ----------
    mse : float
        Mean squared deviation of the trained models from fresh noisy measurements (Eq. 5.1).
    bias2 : float
        Squared deviation of the average model from the truth.
    variance : float
        Spread of the models around their average.
    noise_variance : float
        ``sigma^2`` of the measurements.
    """

    mse: float
    bias2: float
    variance: float
    noise_variance: float

    @property
    def total(self) -> float:
        """``bias^2 + variance + sigma^2``, which Eq. (5.2) equates with :attr:`mse`."""
        return self.bias2 + self.variance + self.noise_variance


def bias_variance(
    truth: Callable[[np.ndarray], np.ndarray],
    x_design: np.ndarray,
    x_eval: np.ndarray,
    degree: int,
    *,
    noise: float,
    n_datasets: int,
    rng: np.random.Generator,
) -> BiasVariance:
    """Estimate bias, variance and MSE of degree-``degree`` polynomials by drawing many data sets.

    Each of ``n_datasets`` data sets measures ``truth`` at the fixed positions ``x_design`` with
    Gaussian noise of standard deviation ``noise`` and is fitted by :func:`polynomial_fits`;
    the fits are compared at ``x_eval`` with the truth (bias, variance) and with fresh noisy
    measurements (MSE).
    """
    noise = check_non_negative(noise, "noise")
    n_datasets = check_count(n_datasets, "n_datasets")
    x_design, x_eval = np.asarray(x_design, dtype=float), np.asarray(x_eval, dtype=float)
    y_sets = truth(x_design) + rng.normal(0.0, noise, (n_datasets, x_design.size))
    fits = polynomial_fits(x_design, y_sets, degree, x_eval)  # (n_datasets, len(x_eval))
    y_new = truth(x_eval) + rng.normal(0.0, noise, fits.shape)  # Eq. 5.1: new measurements
    return BiasVariance(
        mse=float(np.mean((y_new - fits) ** 2)),
        bias2=float(np.mean((fits.mean(axis=0) - truth(x_eval)) ** 2)),
        variance=float(np.mean(fits.var(axis=0))),
        noise_variance=noise**2,
    )


def k_fold_indices(n: int, k: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Split the indices ``0 .. n-1`` at random into ``k`` folds of (almost) equal size."""
    n = check_count(n, "n")
    k = check_int(k, "k", low=2, high=n)
    return np.array_split(rng.permutation(n), k)


def cross_validation_mse(x: np.ndarray, y: np.ndarray, degree: int, folds: Sequence[np.ndarray]) -> float:
    """k-fold cross-validation of a degree-``degree`` polynomial: the mean held-out MSE.

    Each fold in turn is held out; the polynomial is fitted to the other folds and its mean
    squared error on the held-out measurements is averaged over the folds.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    errors = []
    for held_out in folds:
        keep = np.setdiff1d(np.arange(x.size), held_out)
        prediction = polynomial_fits(x[keep], y[keep], degree, x[held_out])
        errors.append(np.mean((prediction - y[held_out]) ** 2))
    return float(np.mean(errors))
