"""Two-dimensional test surfaces for comparing optimisers (book Fig. 4.3, 4.6).

Each surface maps a point ``p = (p0, p1)`` (or arrays of such points, last axis 2) to
``(value, gradient)``; :func:`descend` runs an optimiser from a start point and records the path.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import check_int
from .optimizers import Optimizer

Surface = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def elongated_valley(p: np.ndarray, *, curvature: tuple[float, float] = (0.1, 2.0)) -> tuple[np.ndarray, np.ndarray]:
    """f = (a p0^2 + c p1^2) / 2, an anisotropic bowl: shallow along p0, steep along p1 (Fig. 4.6b)."""
    p = np.asarray(p, dtype=float)
    a, c = curvature
    value = 0.5 * (a * p[..., 0] ** 2 + c * p[..., 1] ** 2)
    return value, np.stack([a * p[..., 0], c * p[..., 1]], axis=-1)


def rosenbrock(p: np.ndarray, *, a: float = 1.0, b: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """f = (a - x)^2 + b (y - x^2)^2: a curved, flat-bottomed valley with its minimum at (a, a^2)."""
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    value = (a - x) ** 2 + b * (y - x**2) ** 2
    grad = np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)
    return value, grad


def beale(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Beale's function, flat plateaus and steep ridges with its minimum 0 at (3, 0.5)."""
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    terms = [(1.5 - x + x * y, y - 1), (2.25 - x + x * y**2, y**2 - 1), (2.625 - x + x * y**3, y**3 - 1)]
    value = sum(t**2 for t, _ in terms)
    dx = sum(2 * t * dt_dx for t, dt_dx in terms)
    dy = sum(2 * t * x * k * y ** (k - 1) for k, (t, _) in enumerate(terms, start=1))
    return value, np.stack([dx, dy], axis=-1)


def descend(surface: Surface, optimizer: Optimizer, start, steps: int) -> np.ndarray:
    """Run ``steps`` optimiser steps from ``start`` on ``surface``; return the path (steps + 1, 2)."""
    steps = check_int(steps, "steps", low=0)
    point = np.array(start, dtype=float)
    if point.shape != (2,):
        raise ValueError(f"start must be a point (p0, p1), got shape {point.shape}")
    path = [point.copy()]
    for _ in range(steps):
        optimizer.step([point], [surface(point)[1]])
        path.append(point.copy())
    return np.array(path)
