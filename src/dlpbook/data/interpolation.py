"""A wiggly one-dimensional function for interpolation (book Fig. 2.4 and Ex. 5.2).

.. math:: f(x) = \\frac{\\sqrt{|x|} + 0.1 x + 0.01 x^2 + 1 - \\sin x + 0.5 e^{x/10}}{0.5 + |\\cos x|}

On [-10, 10] it ranges from about 1 to 11; its sharp peaks where ``cos x = 0`` make it a
demanding target for a small network. Training samples are ``y = f(x) + N(0, noise^2)``
with ``x ~ U(-10, 10)``.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

X_RANGE = (-10.0, 10.0)
"""Interval of the training inputs."""
MAX_NOISE = 100.0
"""Largest noise standard deviation, five times the range of the function."""


def interpolation_function(x: np.ndarray) -> np.ndarray:
    """The target function ``f(x)`` of Fig. 2.4 / Ex. 5.2, element-wise."""
    x = np.asarray(x, dtype=float)
    numerator = np.sqrt(np.abs(x)) + 0.1 * x + 0.01 * x**2 + 1 - np.sin(x) + 0.5 * np.exp(x / 10)
    return numerator / (0.5 + np.abs(np.cos(x)))


def simulate(n: int, *, seed: int = 0, noise: float = 1.0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Draw ``n`` noisy samples of :func:`interpolation_function`.

    Returns
    -------
    dict
        ``x`` (n, 1) float64 in [-10, 10]; ``y`` (n, 1) float64, ``f(x)`` plus Gaussian noise
        of standard deviation ``noise`` (in [0, :data:`MAX_NOISE`]). Both are columns, so ``y - f(x)`` never broadcasts to
        an (n, n) matrix (the bug of the original Ex. 5.2 notebook).
    """
    check_seed(seed)
    noise = check_float(noise, "noise", low=0, high=MAX_NOISE)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        x = rng.uniform(*X_RANGE, (k, 1))
        return {"x": x, "y": interpolation_function(x) + rng.normal(0.0, noise, (k, 1))}

    return generate(sample, n, seed=seed, chunk_size=100_000, progress=progress, desc="interpolation")


SPEC = register(
    DatasetSpec(
        name="interpolation",
        summary="noisy samples of the interpolation function of Fig. 2.4 / Ex. 5.2",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="x (n, 1); y (n, 1) = f(x) + noise",
        sample_bytes=lambda **_: 8 + 8,
        params=(Param("noise", float, 1.0, "standard deviation of the Gaussian noise on y"),),
    )
)
