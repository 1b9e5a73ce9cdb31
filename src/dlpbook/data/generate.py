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

from ..validation import check_count, check_seed

Arrays = dict[str, np.ndarray]


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
