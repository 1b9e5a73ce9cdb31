"""The checkerboard ("XOR") data of TensorFlow Playground (book Ex. 3.3 and 5.1).

Points are uniform in the square [-5, 5]^2, each coordinate pushed 0.3 away from the axes.
The label is the sign of ``(x1 + n1)(x2 + n2)``, where ``n1, n2 ~ U(-5, 5) * noise`` and
``noise`` is Playground's noise slider divided by 100 (0 to 0.5). The *stored* point keeps its
noise-free position, so noise flips labels near the axes instead of moving points.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

HALF_WIDTH = 5.0
"""Points lie in [-HALF_WIDTH, HALF_WIDTH]^2."""
PADDING = 0.3
"""Distance by which points are pushed away from the axes."""
MAX_NOISE = 0.5
"""Largest noise level of Playground (slider at 50)."""


def simulate(n: int, *, seed: int = 0, noise: float = 0.0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Draw ``n`` checkerboard points.

    Parameters
    ----------
    n
        Number of points (Playground uses 500).
    seed
        Random seed.
    noise
        Label-noise level in [0, 0.5] (Playground's slider / 100).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``x`` (n, 2) float64, the points; ``label`` (n,) int64, 1 where the (noisy) product
        ``x1 x2`` is >= 0 and 0 elsewhere (Playground's +1/-1).
    """
    check_seed(seed)
    noise = check_float(noise, "noise", low=0, high=MAX_NOISE)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        x = rng.uniform(-HALF_WIDTH, HALF_WIDTH, (k, 2))
        x += np.where(x > 0, PADDING, -PADDING)
        shift = rng.uniform(-HALF_WIDTH, HALF_WIDTH, (k, 2)) * noise
        product = (x[:, 0] + shift[:, 0]) * (x[:, 1] + shift[:, 1])
        return {"x": x, "label": (product >= 0).astype(np.int64)}

    return generate(sample, n, seed=seed, chunk_size=100_000, progress=progress, desc="checkerboard")


SPEC = register(
    DatasetSpec(
        name="checkerboard",
        summary="TensorFlow Playground checkerboard/XOR points with label noise (Ex. 3.3, 5.1)",
        simulate=simulate,
        default_n=500,
        version=1,
        arrays="x (n, 2); label (n,) int64 in {0, 1}",
        sample_bytes=lambda **_: 2 * 8 + 8,
        params=(Param("noise", float, 0.0, "label-noise level in [0, 0.5]"),),
    )
)
