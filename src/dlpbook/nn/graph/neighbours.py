"""k-nearest-neighbour graphs of point clouds, batched in torch (book Sec. 10.4.2, step 1)."""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import ArrayLike

from ...validation import check_count, check_int


def knn_indices(points: torch.Tensor, k: int) -> torch.Tensor:
    """Indices of the ``k`` nearest neighbours of every point, the point itself excluded.

    Distances are Euclidean in the last axis, so ``points`` may be coordinates (a fixed graph) or
    the features of a hidden layer (a dynamic graph, Sec. 10.4.3). The graph is directed: ``j``
    being a neighbour of ``i`` does not make ``i`` one of ``j``. No gradient flows through it.

    Parameters
    ----------
    points : (batch, n, d) float
        One point cloud per batch entry.
    k
        Neighbours per point, ``1 <= k < n``.

    Returns
    -------
    (batch, n, k) int64
        Neighbour indices into axis 1, nearest first.
    """
    if points.ndim != 3:
        raise ValueError(f"points must have shape (batch, n, d), got {tuple(points.shape)}")
    n = points.shape[1]
    check_int(k, "k", low=1, high=n - 1)  # a neighbour other than the point itself
    with torch.no_grad():
        # |x_j|^2 - 2 x_i.x_j ranks the neighbours j of i like |x_i - x_j|^2 (|x_i|^2 is common to the row)
        squared = (points * points).sum(-1, keepdim=True).transpose(1, 2)
        distance = torch.baddbmm(squared, points, points.transpose(1, 2), alpha=-2)
        distance.diagonal(dim1=1, dim2=2).fill_(float("inf"))
        return distance.topk(k, dim=-1, largest=False).indices


def precompute_knn(points: ArrayLike, k: int, *, batch_size: int = 256) -> np.ndarray:
    """:func:`knn_indices` of a whole data set, in batches: a fixed graph computed once, not per epoch.

    Parameters
    ----------
    points : (N, n, d) float array or tensor
        The coordinates of every point cloud of the data set (e.g. the arrival directions of
        sky maps), in the dtype the model sees, so that ties resolve as in the model.
    k
        Neighbours per point, ``1 <= k < n``.
    batch_size
        Point clouds per kNN call (> 0); it bounds the memory of the (batch, n, n) distances.

    Returns
    -------
    (N, n, k) int64 ndarray
    """
    points = torch.as_tensor(points)
    if points.ndim != 3:
        raise ValueError(f"points must have shape (N, n, d), got {tuple(points.shape)}")
    batch_size = check_count(batch_size, "batch_size")
    chunks = [knn_indices(points[i : i + batch_size], k) for i in range(0, len(points), batch_size)]
    return torch.cat(chunks).numpy() if chunks else np.zeros((0, points.shape[1], k), dtype=np.int64)


def gather_neighbours(features: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """Features of the neighbours: ``out[b, i, m] = features[b, indices[b, i, m]]``.

    Parameters
    ----------
    features : (batch, n, f)
    indices : (batch, n, k) int64, from :func:`knn_indices`.

    Returns
    -------
    (batch, n, k, f)
    """
    batch, n, k = indices.shape
    if features.shape[:2] != (batch, n):
        raise ValueError(f"features {tuple(features.shape)} do not match indices {tuple(indices.shape)}")
    flat = indices.reshape(batch, n * k, 1).expand(-1, -1, features.shape[-1])
    return features.gather(1, flat).reshape(batch, n, k, features.shape[-1])
