"""Network inputs and targets from air-shower footprints, as the book's exercises prepare them (Ex. 7.2, 8.2, 11.1).

Framework-free: NumPy in, NumPy (float32) out, for both the PyTorch and the Keras networks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# Ex. 11.1 scales the core by 750 m and centres log10(E/eV) on the middle of [18.5, 20]
CORE_UNIT_M = 750.0
LOG_ENERGY_CENTRE = 19.25
# the Ex. 11.1 targets: name -> number of components (the outputs of the multi-task networks)
MULTITASK_TARGETS = {"axis": 3, "core": 2, "energy": 1}


def footprint_inputs(time, signal) -> np.ndarray:
    """Stack arrival times and signals into network inputs ``(n, rows, columns, 2)``.

    As in the exercises: the times are standardised with the mean and standard deviation
    of all triggered stations of the whole array, ``(t - mean) / std``; the signals become
    ``log10(1 + S)``, shifted and divided so that they span [0, 1]. Silent stations (NaN)
    become 0 in both channels afterwards.

    Parameters
    ----------
    time, signal : (n, rows, columns) float
        Arrival times (s) and signals (VEM >= 0), NaN for silent stations, same shape; at
        least two triggered stations with different times and signals.

    Returns
    -------
    (n, rows, columns, 2) float32 ndarray
        Channel 0 the normalised time, channel 1 the normalised signal.
    """
    time, signal = np.asarray(time, dtype=float), np.asarray(signal, dtype=float)
    if time.shape != signal.shape or time.ndim != 3:
        raise ValueError(
            f"time and signal must have the same shape (n, rows, columns), got {time.shape} and {signal.shape}"
        )
    if np.isinf(time).any() or np.isinf(signal).any() or (signal < 0).any():
        raise ValueError("time and signal must be finite or NaN, and signal >= 0")
    log_signal = np.log10(1 + signal)
    if np.isfinite(time).sum() < 2 or np.isfinite(log_signal).sum() < 2:
        raise ValueError("time and signal need at least two triggered stations")
    time_std, signal_span = np.nanstd(time), np.nanmax(log_signal) - np.nanmin(log_signal)
    if time_std == 0 or signal_span == 0:
        raise ValueError("time and signal must vary between the triggered stations")
    time = (time - np.nanmean(time)) / time_std
    log_signal = (log_signal - np.nanmin(log_signal)) / signal_span
    return np.nan_to_num(np.stack([time, log_signal], axis=-1), nan=0.0).astype(np.float32)


def multitask_targets(events: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The three targets of Ex. 11.1 from the ``airshowers`` arrays.

    Parameters
    ----------
    events
        With ``showeraxis`` (n, 3) unit vectors, ``showercore`` (n, >= 2) in m and ``logE``
        (n,) = log10(E/eV), as :func:`dlpbook.data.load` ("airshowers") returns them.

    Returns
    -------
    dict of float32 ndarrays
        ``axis`` (n, 3) unit vectors; ``core`` (n, 2) = core / 750 m; ``energy`` (n, 1) =
        log10(E/eV) - 19.25.
    """
    return {
        "axis": np.asarray(events["showeraxis"], dtype=np.float32),
        "core": (np.asarray(events["showercore"])[:, :2] / CORE_UNIT_M).astype(np.float32),
        "energy": (np.asarray(events["logE"]) - LOG_ENERGY_CENTRE).astype(np.float32)[:, None],
    }
