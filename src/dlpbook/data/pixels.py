"""Summing point deposits into images: the detector read-out shared by the image simulators."""

from __future__ import annotations

import numpy as np


def pixelate(
    image: np.ndarray, row: np.ndarray, column: np.ndarray, weight: np.ndarray | None, *, n_images: int, pixels: int
) -> np.ndarray:
    """Sum the ``weight`` of points into ``n_images`` square images; points off the grid are dropped.

    Parameters
    ----------
    image, row, column
        Integer arrays broadcastable to one shape: the image each point belongs to (0 to
        ``n_images - 1``) and its pixel indices (any integers; those outside ``[0, pixels)`` miss).
    weight
        Deposit of each point, the broadcast shape, or ``None`` to count the points.
    n_images, pixels
        Number and size of the images.

    Returns
    -------
    (n_images, pixels, pixels) float64
        Sums in the order of the points, so results are reproducible to the last bit.
    """
    image, row, column = np.broadcast_arrays(image, row, column)
    inside = (column >= 0) & (column < pixels) & (row >= 0) & (row < pixels)
    cell = (image[inside] * pixels + row[inside]) * pixels + column[inside]
    sums = np.bincount(cell, None if weight is None else weight[inside], minlength=n_images * pixels * pixels)
    return sums.astype(float).reshape(n_images, pixels, pixels)
