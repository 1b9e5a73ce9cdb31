"""Bin edges and bin membership shared by the binned metrics (``binned_mean``, ``binned_resolution``)."""

from __future__ import annotations

import numpy as np

from ..validation import check_count
from ._arrays import finite_1d


def bin_edges(x: np.ndarray, bins, *, log: bool = False) -> np.ndarray:
    """Edges of the bins of ``x``.

    ``bins`` is a number of equal bins between ``min(x)`` and ``max(x)`` (equal in
    ``log10(x)`` for ``log=True``; ``x`` must then be > 0), the increasing edges themselves,
    or ``None`` for one bin per distinct value of ``x`` (edges halfway between neighbours).
    """
    if bins is None:
        distinct = np.unique(x)
        if distinct.size < 2:
            raise ValueError("one bin per distinct value needs at least two distinct values of x")
        return np.r_[distinct[0], (distinct[1:] + distinct[:-1]) / 2, distinct[-1]]
    if np.ndim(bins) == 0:
        n_bins = check_count(bins, "bins")
        low, high = float(x.min()), float(x.max())
        if log:
            return np.logspace(np.log10(low), np.log10(high if high > low else 10 * low), n_bins + 1)
        return np.linspace(low, high if high > low else low + 1.0, n_bins + 1)
    edges = finite_1d("bins", bins)
    if edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"bin edges must be at least two increasing values, got {edges}")
    return edges


def bin_index(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin of each ``x`` (-1 outside the edges; the last bin includes its upper edge)."""
    index = np.searchsorted(edges, x, side="right") - 1
    index[x == edges[-1]] = len(edges) - 2
    index[(x < edges[0]) | (x > edges[-1])] = -1
    return index
