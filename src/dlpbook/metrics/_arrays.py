"""Input checks shared by the metrics: one-dimensional, non-empty, finite, equally long."""

from __future__ import annotations

import numpy as np


def finite_1d(name: str, values, *, dtype=float) -> np.ndarray:
    """``values`` as a non-empty one-dimensional array; floats must be finite."""
    array = np.asarray(values, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or inf")
    return array


def same_length(first: str, a: np.ndarray, second: str, b: np.ndarray) -> None:
    """Refuse arrays of different lengths, naming both."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{first} and {second} must have the same length, got {a.shape[0]} and {b.shape[0]}")
