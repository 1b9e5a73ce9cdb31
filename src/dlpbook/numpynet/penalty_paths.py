"""Where the minimum of a loss moves under an L1 or an L2 penalty (book Eq. 5.6, 5.7, Fig. 5.5).

Near its minimum ``W*`` any smooth loss is quadratic, ``L(W) = (W - W*)^T A (W - W*)`` with a
symmetric, positive-definite curvature matrix ``A``. Adding a penalty ``lambda P(W)`` moves the
minimum:

- L2, ``P = sum W_i^2``: the minimum solves ``(A + lambda 1) W = A W*`` (set the gradient to
  zero); every weight shrinks, none becomes exactly zero;
- L1, ``P = sum |W_i|``: no closed form in general; proximal gradient descent (ISTA) takes a
  gradient step on ``L`` and then soft-thresholds every weight by ``step * lambda``, which sets
  weights exactly to zero once their pull from the data is weaker than the penalty.

Framework-free (NumPy only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_count, check_non_negative


def l1_norm(w: np.ndarray) -> np.ndarray:
    """``sum_i |W_i|`` over the last axis (the L1 penalty of Eq. 5.6 without ``lambda``)."""
    return np.abs(w).sum(axis=-1)


def l2_norm_squared(w: np.ndarray) -> np.ndarray:
    """``sum_i W_i^2`` over the last axis (the L2 penalty of Eq. 5.7 without ``lambda``)."""
    return (np.asarray(w) ** 2).sum(axis=-1)


def soft_threshold(w: np.ndarray, threshold: float) -> np.ndarray:
    """``sign(w) max(|w| - threshold, 0)``: the proximal step of the L1 penalty."""
    return np.sign(w) * np.maximum(np.abs(w) - threshold, 0.0)


@dataclass(frozen=True)
class QuadraticLoss:
    """``L(W) = (W - W*)^T A (W - W*)``, a loss near its minimum ``W*``.

    Attributes
    ----------
    minimum : (k,) float
        The minimum ``W*`` without penalty.
    curvature : (k, k) float
        The symmetric, positive-definite matrix ``A``.
    """

    minimum: np.ndarray
    curvature: np.ndarray

    def __post_init__(self):
        minimum, curvature = np.asarray(self.minimum, dtype=float), np.asarray(self.curvature, dtype=float)
        if minimum.ndim != 1 or curvature.shape != (minimum.size, minimum.size):
            raise ValueError(f"need minimum (k,) and curvature (k, k), got {minimum.shape} and {curvature.shape}")
        if not np.allclose(curvature, curvature.T) or np.linalg.eigvalsh(curvature).min() <= 0:
            raise ValueError("curvature must be symmetric and positive definite")
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "curvature", curvature)

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The loss at ``w`` (..., k), e.g. a grid of weight vectors; shape (...)."""
        d = np.asarray(w, dtype=float) - self.minimum
        return np.einsum("...i,ij,...j->...", d, self.curvature, d)

    def l2_minimum(self, lam: float) -> np.ndarray:
        """The minimum of ``L + lam sum W^2``: the solution of ``(A + lam 1) W = A W*``."""
        lam = check_non_negative(lam, "lam")
        return np.linalg.solve(self.curvature + lam * np.eye(self.minimum.size), self.curvature @ self.minimum)

    def l1_minimum(self, lam: float, *, steps: int = 200) -> np.ndarray:
        """The minimum of ``L + lam sum |W|`` by ``steps`` proximal gradient steps (ISTA), from ``W*``.

        The step size is ``1 / (2 max eig(A))``, the inverse Lipschitz constant of the gradient
        ``2 A (W - W*)``, for which ISTA converges; 200 steps suffice for a well-conditioned ``A``.
        """
        lam, steps = check_non_negative(lam, "lam"), check_count(steps, "steps")
        step = 0.5 / np.linalg.eigvalsh(self.curvature).max()
        w = self.minimum.copy()
        for _ in range(steps):
            w = w - step * 2 * self.curvature @ (w - self.minimum)  # gradient step on L
            w = soft_threshold(w, step * lam)  # proximal step on lam * |W|
        return w
