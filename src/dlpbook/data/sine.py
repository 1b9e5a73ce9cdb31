"""A sampled sine wave for sequence forecasting (book Ex. 9.1).

``f(t) = sin(pi t)`` on ``t = linspace(0, t_max, n)``: period 2, i.e. about 200 samples per
period for the default ``n = 10,000`` and ``t_max = 100``. :func:`sliding_windows` cuts the
series into (window, next value) pairs; :func:`roll_forecast` runs a trained forecaster on its
own predictions, the loop behind PyTorch's ``autoregressive_forecast`` (the Keras twin runs
the same loop in one TensorFlow graph), and :func:`start_windows` checks the starting windows
of both.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import check_count, check_float, check_int, check_seed
from .registry import DatasetSpec, Param, register

MAX_T_MAX = 1e6
"""Largest ``t_max``: beyond it ``sin(pi t)`` loses its precision in float64 (and its sense)."""
MAX_NOISE = 100.0
"""Largest noise standard deviation, 100 times the amplitude."""


def simulate(
    n: int, *, seed: int = 0, t_max: float = 100.0, noise: float = 0.0, progress: bool | None = False
) -> dict[str, np.ndarray]:
    """Sample ``sin(pi t)`` at ``n`` equidistant times in [0, t_max].

    ``t_max`` lies in (0, :data:`MAX_T_MAX`], ``noise`` in [0, :data:`MAX_NOISE`].

    Returns
    -------
    dict
        ``t`` (n,) float64; ``f`` (n,) float64, the sine plus Gaussian noise of standard
        deviation ``noise``. ``progress`` is accepted for a uniform interface (the series is
        made in one step).
    """
    n = check_count(n)
    check_seed(seed)
    t_max = check_float(t_max, "t_max", low=0, high=MAX_T_MAX, low_open=True)
    noise = check_float(noise, "noise", low=0, high=MAX_NOISE)
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
    length = check_int(length, "length", low=1, high=len(series) - 1)
    windows = np.lib.stride_tricks.sliding_window_view(series, length)[:-1]
    return windows.copy(), series[length:].copy()



def roll_forecast(predict: Callable[[np.ndarray], np.ndarray], window, n_steps: int) -> np.ndarray:
    """Forecast ``n_steps`` ahead by feeding each prediction back into the window (Ex. 9.1).

    Starting from a true window of ``L`` values, ``predict`` gives the next value; the window
    then drops its oldest value and appends the prediction, and so on. Errors accumulate: after
    the first step the forecaster reads its own output.

    Parameters
    ----------
    predict
        Maps windows, a float32 array (batch, L, 1), to the next values (batch, 1), array_like.
    window
        The starting window(s), (L,) or (batch, L).
    n_steps
        Number of values to predict (> 0).

    Returns
    -------
    numpy.ndarray
        (n_steps,) or (batch, n_steps) float32, the predictions in time order.
    """
    n_steps = check_count(n_steps, "n_steps")
    current = start_windows(window)
    predictions = []
    for _ in range(n_steps):
        following = np.asarray(predict(current), dtype=np.float32).reshape(-1, 1, 1)
        predictions.append(following[:, 0, 0])
        current = np.concatenate([current[:, 1:], following], axis=1)
    forecast = np.stack(predictions, axis=1)
    return forecast if np.ndim(window) == 2 else forecast[0]


def start_windows(window) -> np.ndarray:
    """The starting window(s) of a forecast, (L,) or (batch, L), as a float32 copy (batch, L, 1).

    Raises ``ValueError`` for other shapes or an empty window.
    """
    window = np.array(window, dtype=np.float32)  # a contiguous copy: the caller's array stays as it is
    if window.ndim not in (1, 2) or window.shape[-1] == 0:
        raise ValueError(f"window must have shape (L,) or (batch, L) with L > 0, got {window.shape}")
    return np.atleast_2d(window)[..., None]


SPEC = register(
    DatasetSpec(
        name="sine",
        summary="sin(pi t) sampled on [0, t_max] for LSTM forecasting (Ex. 9.1)",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="t (n,); f (n,)",
        sample_bytes=lambda **_: 8 + 8,
        params=(
            Param("t_max", float, 100.0, "end of the time interval"),
            Param("noise", float, 0.0, "standard deviation of Gaussian noise on f"),
        ),
    )
)
