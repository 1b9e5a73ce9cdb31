"""Weight initialisers of book Sec. 4.3 (Eq. 4.8, 4.9).

All return a weight matrix of shape ``(n_out, n_in)`` so that a layer computes ``z = W x + b``.
A uniform distribution on [-s, s] has standard deviation s / sqrt(3), so the uniform variants
use the limit ``s = sqrt(3) * sigma``.

.. admonition:: Erratum

   The book's text shows "s = 3 sigma" (a lost square root) in Sec. 4.3, and in Sec. 7.2 it
   calls sqrt(6 / (n_in + n_out)) a standard deviation; that value is the Glorot-uniform
   *limit* s, whose standard deviation is sqrt(2 / (n_in + n_out)).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import check_count


def _check(n_in: int, n_out: int, rng: np.random.Generator) -> None:
    check_count(n_in, "n_in")
    check_count(n_out, "n_out")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")


def glorot_std(n_in: int, n_out: int) -> float:
    """sigma = sqrt(2 / (n_in + n_out)) (Eq. 4.8)."""
    return float(np.sqrt(2.0 / (n_in + n_out)))


def he_std(n_in: int) -> float:
    """sigma = sqrt(2 / n_in) for ReLU layers (Eq. 4.9)."""
    return float(np.sqrt(2.0 / n_in))


def glorot_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ N(0, 2 / (n_in + n_out)) (Eq. 4.8; Keras truncates its normal at 2 sigma, we do not)."""
    _check(n_in, n_out, rng)
    return rng.normal(0.0, glorot_std(n_in, n_out), size=(n_out, n_in))


def glorot_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ U[-s, s] with s = sqrt(3) sigma = sqrt(6 / (n_in + n_out))."""
    _check(n_in, n_out, rng)
    limit = np.sqrt(3.0) * glorot_std(n_in, n_out)
    return rng.uniform(-limit, limit, size=(n_out, n_in))


def he_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ N(0, 2 / n_in) (Eq. 4.9)."""
    _check(n_in, n_out, rng)
    return rng.normal(0.0, he_std(n_in), size=(n_out, n_in))


def he_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ U[-s, s] with s = sqrt(3) sigma = sqrt(6 / n_in)."""
    _check(n_in, n_out, rng)
    limit = np.sqrt(3.0) * he_std(n_in)
    return rng.uniform(-limit, limit, size=(n_out, n_in))


def zeros(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """All-zero weights: every node computes the same thing, the symmetry is never broken."""
    _check(n_in, n_out, rng)
    return np.zeros((n_out, n_in))


INITIALIZERS: dict[str, Callable[[int, int, np.random.Generator], np.ndarray]] = {
    "glorot_normal": glorot_normal,
    "glorot_uniform": glorot_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "zeros": zeros,
}
"""Name -> initialiser ``f(n_in, n_out, rng) -> (n_out, n_in)``."""
