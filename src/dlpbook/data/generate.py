"""Chunked, seeded generation shared by all simulators.

A data set of ``n`` samples is generated in chunks; chunk ``i`` draws from
``numpy.random.default_rng([seed, i])``. The result depends only on ``seed`` and ``n`` (not
on how it is called), the first ``m`` samples of a larger set equal the set of size ``m``
when ``m`` is a multiple of the chunk size, memory stays flat for large sets, and the CLI
can show a progress bar per chunk.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from tqdm import tqdm

Arrays = dict[str, np.ndarray]


def check_count(n: int, name: str = "n") -> int:
    """Validate a sample count: a positive integer."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(n).__name__}")
    if n <= 0:
        raise ValueError(f"{name} must be > 0, got {n}")
    return int(n)


def check_seed(seed: int) -> int:
    """Validate a seed: a non-negative integer."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed)


def generate(
    sample: Callable[[int, np.random.Generator], Arrays],
    n: int,
    *,
    seed: int,
    chunk_size: int,
    progress: bool | None = False,
    desc: str = "simulating",
) -> Arrays:
    """Call ``sample(k, rng)`` chunk by chunk and concatenate the arrays along axis 0.

    Parameters
    ----------
    sample
        Returns a dict of arrays whose first axis has length ``k``.
    n
        Total number of samples.
    seed
        Seed of the whole set.
    chunk_size
        Samples per chunk.
    progress
        ``True`` shows a progress bar, ``False`` hides it, ``None`` shows it on a terminal.
    """
    n = check_count(n)
    seed = check_seed(seed)
    starts = range(0, n, chunk_size)
    parts: list[Arrays] = []
    with tqdm(total=n, desc=desc, unit="sample", disable=None if progress is None else not progress) as bar:
        for index, start in enumerate(starts):
            k = min(chunk_size, n - start)
            parts.append(sample(k, np.random.default_rng([seed, index])))
            bar.update(k)
    return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
