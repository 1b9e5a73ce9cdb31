"""Minimising without gradients: a (1+1) evolution strategy (book Sec. 14.7).

When an objective is not differentiable (a step function, a count of correct decisions, the
outcome of a simulation), only its values can guide the search. The (1+1)-ES of Rechenberg and
Schwefel is the smallest such method: one parent ``x``; each generation draws one child
``x + sigma * N(0, 1)`` and keeps it if it is not worse. The step size follows the one-fifth
success rule: it grows (by ``exp(1/3)``) after a success and shrinks (by ``exp(-1/12)``)
after a failure, so it stays where about one child in five succeeds, which is near optimal
for smooth, bowl-shaped objectives. The book itself sets gradient-free problems aside
(reinforcement learning); this is the supplement's demonstration of the idea.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..validation import ParameterError, check_count, check_positive, check_seed

SUCCESS_FACTOR = np.exp(1 / 3)
"""Step-size factor after a successful child."""
FAILURE_FACTOR = np.exp(-1 / 12)
"""Step-size factor after a failed child (``SUCCESS_FACTOR * FAILURE_FACTOR^4 = 1``: balance at 1/5)."""


@dataclass(frozen=True)
class SearchResult:
    """The outcome of :func:`evolution_strategy`.

    Attributes
    ----------
    x
        The best point found.
    value
        The objective there.
    step_size
        The final ``sigma``.
    evaluations
        Number of objective calls.
    best_values
        The best value after each generation (the convergence curve).
    """

    x: np.ndarray
    value: float
    step_size: float
    evaluations: int
    best_values: np.ndarray


def evolution_strategy(
    objective: Callable[[np.ndarray], float],
    initial,
    *,
    step_size: float = 1.0,
    max_evaluations: int = 10_000,
    target: float = -np.inf,
    min_step_size: float = 1e-12,
    seed: int = 0,
) -> SearchResult:
    """Minimise ``objective`` with a (1+1) evolution strategy and the one-fifth success rule.

    Parameters
    ----------
    objective
        ``f(x) -> float`` for a float64 vector ``x``; only its values are used.
    initial
        Start point (a non-empty sequence of finite numbers).
    step_size
        Initial ``sigma`` (> 0), about the distance to the minimum.
    max_evaluations
        Budget of objective calls (> 0).
    target
        Stop once the value is at most this.
    min_step_size
        Stop once ``sigma`` falls below this (> 0).
    seed
        Seed of the mutations.

    Returns
    -------
    SearchResult
    """
    x = np.asarray(initial, dtype=float).ravel()
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ParameterError("initial", "a non-empty sequence of finite numbers", initial)
    sigma = check_positive(step_size, "step_size")
    max_evaluations = check_count(max_evaluations, "max_evaluations")
    min_step_size = check_positive(min_step_size, "min_step_size")
    if np.isnan(target):
        raise ParameterError("target", "a number (or -inf)", target)
    rng = np.random.default_rng(check_seed(seed))
    value = float(objective(x))
    best_values, evaluations = [value], 1
    while evaluations < max_evaluations and value > target and sigma >= min_step_size:
        child = x + sigma * rng.standard_normal(x.size)
        child_value = float(objective(child))
        evaluations += 1
        if child_value <= value:
            x, value, sigma = child, child_value, sigma * SUCCESS_FACTOR
        else:
            sigma *= FAILURE_FACTOR
        best_values.append(value)
    return SearchResult(x=x, value=value, step_size=sigma, evaluations=evaluations, best_values=np.array(best_values))
