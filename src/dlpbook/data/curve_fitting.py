"""The curve-fitting toy of chapter 5: noisy measurements of ``g(x) = sin(2 pi x)`` on [0, 1].

Chapter 5 uses it for the bias-variance decomposition (book Eq. 5.1, 5.2), for under- and
overfitting (Fig. 5.2), for cross-validation and for overtraining (Fig. 5.3). The truth is
smooth, one period on [0, 1]; the measurements carry Gaussian noise of standard deviation
:data:`NOISE`, so no model can get below a mean squared error of ``NOISE**2`` on new data.

Like :mod:`dlpbook.data.toys`, these are tiny illustration data made on the fly, not a
registered data set. The functions take a :class:`numpy.random.Generator`, so that a page can
draw data and, from the same generator, the folds of a cross-validation.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_count, check_non_negative

NOISE = 0.3
"""Standard deviation of the measurement noise."""


def truth(x: np.ndarray) -> np.ndarray:
    """The true function ``g(x) = sin(2 pi x)``, element-wise."""
    return np.sin(2 * np.pi * np.asarray(x, dtype=float))


def measure(x: np.ndarray, rng: np.random.Generator, *, noise: float = NOISE) -> np.ndarray:
    """Noisy measurements ``g(x) + N(0, noise^2)`` at the positions ``x`` (any shape, same shape out)."""
    noise = check_non_negative(noise, "noise")
    x = np.asarray(x, dtype=float)
    return truth(x) + rng.normal(0.0, noise, x.shape)


def sample(n: int, rng: np.random.Generator, *, noise: float = NOISE) -> tuple[np.ndarray, np.ndarray]:
    """``n`` measurements at positions drawn uniformly from [0, 1].

    Returns
    -------
    x, y : (n,) float64
        Positions and noisy measurements :func:`measure`.
    """
    n = check_count(n, "n")
    x = rng.uniform(0.0, 1.0, n)
    return x, measure(x, rng, noise=noise)
