"""A sampled sine wave for sequence forecasting (book Ex. 9.1).

``f(t) = sin(pi t)`` on ``t = linspace(0, t_max, n)``: period 2, i.e. about 200 samples per
period for the default ``n = 10,000`` and ``t_max = 100``. :func:`sliding_windows` cuts the
series into (window, next value) pairs.
"""

from __future__ import annotations

import numpy as np

from .generate import check_count, check_seed
from .registry import DatasetSpec, Param, register


def simulate(
    n: int, *, seed: int = 0, t_max: float = 100.0, noise: float = 0.0, progress: bool | None = False
) -> dict[str, np.ndarray]:
    """Sample ``sin(pi t)`` at ``n`` equidistant times in [0, t_max].

    Returns
    -------
    dict
        ``t`` (n,) float64; ``f`` (n,) float64, the sine plus Gaussian noise of standard
        deviation ``noise``. ``progress`` is accepted for a uniform interface (the series is
        made in one step).
    """
    n = check_count(n)
    check_seed(seed)
    if not t_max > 0:
        raise ValueError(f"t_max must be > 0, got {t_max}")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    t = np.linspace(0.0, t_max, n)
    f = np.sin(np.pi * t) + np.random.default_rng(seed).normal(0.0, noise, n)
    return {"t": t, "f": f}


def sliding_windows(series: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a 1D series into windows of ``length`` values and the value that follows each.

    Returns
    -------
    windows : (len(series) - length, length)
    targets : (len(series) - length,)
    """
    series = np.asarray(series)
    if series.ndim != 1:
        raise ValueError(f"series must be one-dimensional, got shape {series.shape}")
    if not 0 < length < len(series):
        raise ValueError(f"length must be in [1, {len(series) - 1}], got {length}")
    windows = np.lib.stride_tricks.sliding_window_view(series, length)[:-1]
    return windows.copy(), series[length:].copy()


SPEC = register(
    DatasetSpec(
        name="sine",
        summary="sin(pi t) sampled on [0, t_max] for LSTM forecasting (Ex. 9.1)",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="t (n,); f (n,)",
        params=(
            Param("t_max", float, 100.0, "end of the time interval"),
            Param("noise", float, 0.0, "standard deviation of Gaussian noise on f"),
        ),
    )
)
