"""The bootstrap: the spread of a statistic over data sets resampled with replacement (book Sec. 13.1, Ref. [132]).

Efron's bootstrap treats the observed sample as the population: each resample draws ``n``
of the ``n`` samples with replacement, and the scatter of a statistic (a mean, a fitted
parameter, a trained network's prediction) over the resamples estimates its statistical
uncertainty. :func:`dlpbook.uncertainty.train_ensemble` with ``resample=True`` trains each
member on such a resample (bagging).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..train.batches import Nested, map_nested, sample_count
from ..validation import check_count, check_seed


def bootstrap_indices(n: int, resamples: int, *, seed: int = 0) -> np.ndarray:
    """Indices of ``resamples`` bootstrap resamples of ``n`` samples: each row draws ``n`` of ``0 .. n-1`` with replacement.

    Parameters
    ----------
    n
        Number of samples (> 0).
    resamples
        Number of resamples (> 0).
    seed
        Seed (>= 0) of the draws.

    Returns
    -------
    (resamples, n) int64 ndarray
    """
    n, resamples = check_count(n, "n"), check_count(resamples, "resamples")
    return np.random.default_rng(check_seed(seed)).integers(0, n, size=(resamples, n))


def bootstrap(statistic: Callable[[Nested], object], data: Nested, *, resamples: int = 1000, seed: int = 0) -> np.ndarray:
    """The values of ``statistic`` on ``resamples`` bootstrap resamples of ``data``.

    Their standard deviation estimates the statistic's standard error; for the mean of ``n``
    samples it approaches ``s / sqrt(n)`` with ``s`` the sample's standard deviation.

    Parameters
    ----------
    statistic
        ``statistic(resampled) -> number or array``, with ``resampled`` nested like ``data``.
    data
        An array, or a tuple, list or dict of arrays with the samples along the first axis
        (resampled together, so pairs ``(x, y)`` stay pairs).
    resamples, seed
        As for :func:`bootstrap_indices`.

    Returns
    -------
    (resamples, ...) ndarray
        One value of the statistic per resample.
    """
    indices = bootstrap_indices(sample_count(data, "data"), resamples, seed=seed)
    return np.array([statistic(map_nested(lambda array, index=index: array[index], data)) for index in indices])
