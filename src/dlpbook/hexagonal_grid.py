"""Offset and axial coordinates of hexagonal grids (book Sec. 8.5, Fig. 8.12).

A hexagonal (triangular) grid of pointy-top cells can be stored in a rectangular array in two
ways:

* **offset** coordinates ``(column, row)``: every row is a straight line of cells and every
  other row is shifted right by half a spacing, ``x = column + 0.5 (row mod 2)``; the grid fills
  an ``n x n`` image without gaps (the 9 x 9 air-shower array of :mod:`dlpbook.data.airshower`),
  but the six neighbours of a cell sit at index offsets that depend on the parity of its row;
* **axial** coordinates ``(q, r)``: the second axis runs along the 60-degree direction,
  ``x = q + 0.5 r``, ``y = r sin 60 deg``; every cell has its six neighbours at the same index
  offsets, so one ``3 x 3`` kernel with two corners masked (:data:`AXIAL_NEIGHBOURHOOD`) is a
  hexagonal filter and ordinary convolutions work, at the price of a wider, partly empty array;
  :func:`rotate_axial_kernel` turns such a filter by multiples of 60 degrees (p6, Fig. 8.13).

Row 0 is unshifted; with the rows centred on a middle row of even index (the 9 x 9 array's
``n0 = 4``) centred and image indices have the same parity. Framework-free.
"""

from __future__ import annotations

import numpy as np

from .validation import check_count

AXIAL_NEIGHBOURHOOD = np.array([[0, 1, 1], [1, 1, 1], [1, 1, 0]], dtype=bool)
"""The cell and its six neighbours in axial coordinates, indexed ``[dr + 1, dq + 1]``.

The neighbours are ``(dq, dr) = (+-1, 0), (0, +-1), (1, -1), (-1, 1)``, one spacing away; the
corners ``(-1, -1)`` and ``(1, 1)`` are sqrt(3) spacings away and are masked out.
"""


def offset_to_axial(column: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offset indices (column, row) of a hexagonal grid to axial indices (q, r) (Fig. 8.12).

    With the odd rows shifted right, ``x = column + 0.5 (row mod 2) = q + 0.5 r``, so
    ``q = column - floor(row / 2)`` and ``r = row``.

    Parameters
    ----------
    column, row : int arrays of one shape
        Offset indices (centred or not: only the parity of ``row`` matters).

    Returns
    -------
    q, r : int arrays of that shape
    """
    column, row = np.asarray(column), np.asarray(row)
    return column - np.floor_divide(row, 2), row


def axial_to_offset(q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`offset_to_axial`: axial (q, r) to offset (column, row)."""
    q, r = np.asarray(q), np.asarray(r)
    return q + np.floor_divide(r, 2), r


def _check_image(image: np.ndarray, name: str) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim < 2 or 0 in image.shape[-2:]:
        raise ValueError(f"{name} must have shape (..., rows, columns) with rows, columns > 0, got {image.shape}")
    return image


def offset_to_axial_image(image: np.ndarray, *, fill: float = 0.0) -> np.ndarray:
    """Resample a hexagonal-grid image from offset to axial layout (Fig. 8.12).

    Cell ``[row, column]`` moves to ``[r, q + (rows - 1) // 2]`` (the shift keeps q >= 0), so
    every row slides left by half its index; the corners that no cell reaches get ``fill``.
    A ``3 x 3`` convolution masked with :data:`AXIAL_NEIGHBOURHOOD` then sees exactly each
    cell's hexagonal neighbourhood.

    Parameters
    ----------
    image : (..., rows, columns) array
        Values in offset layout (odd rows shifted right), e.g. a ``(n, 9, 9)`` footprint.
    fill
        Value of the empty cells.

    Returns
    -------
    (..., rows, columns + (rows - 1) // 2) array
        The same values in axial layout, of the input's dtype.
    """
    image = _check_image(image, "image")
    rows, columns = image.shape[-2:]
    shift = (rows - 1) // 2
    row, column = np.meshgrid(np.arange(rows), np.arange(columns), indexing="ij")
    q, r = offset_to_axial(column, row)
    axial = np.full((*image.shape[:-2], rows, columns + shift), fill, dtype=image.dtype)
    axial[..., r, q + shift] = image
    return axial


def axial_to_offset_image(axial: np.ndarray, columns: int) -> np.ndarray:
    """Inverse of :func:`offset_to_axial_image`: the ``columns``-wide offset image back.

    Parameters
    ----------
    axial : (..., rows, columns + (rows - 1) // 2) array
    columns
        Width of the offset image (> 0).

    Returns
    -------
    (..., rows, columns) array
    """
    axial = _check_image(axial, "axial")
    columns = check_count(columns, "columns")
    rows = axial.shape[-2]
    shift = (rows - 1) // 2
    if axial.shape[-1] != columns + shift:
        raise ValueError(f"an axial image of {rows} rows and {columns} columns has {columns + shift} columns, "
                         f"got {axial.shape[-1]}")
    row, column = np.meshgrid(np.arange(rows), np.arange(columns), indexing="ij")
    q, r = offset_to_axial(column, row)
    return axial[..., r, q + shift]


def rotate_axial_kernel(kernel: np.ndarray, steps: int = 1) -> np.ndarray:
    """Rotate hexagonal 3 x 3 kernels in axial layout by ``steps`` x 60 degrees (HexaConv, Fig. 8.13).

    A rotation by 60 degrees counter-clockwise (in the frame ``x = q + 0.5 r``,
    ``y = r sin 60 deg``) moves the neighbour at ``(dq, dr)`` to ``(-dr, dq + dr)``; the centre
    stays. Six rotations of one filter give the six orientation channels of a p6 convolution.

    Parameters
    ----------
    kernel : (..., 3, 3) array
        Kernels indexed ``[dr + 1, dq + 1]`` as :data:`AXIAL_NEIGHBOURHOOD`; the two masked
        corners must be 0.
    steps
        Number of 60-degree steps (any integer; negative turns clockwise, 6 is the identity).

    Returns
    -------
    (..., 3, 3) array
        The rotated kernels, of the input's dtype.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim < 2 or kernel.shape[-2:] != (3, 3):
        raise ValueError(f"kernel must have shape (..., 3, 3), got {kernel.shape}")
    if np.any(kernel[..., ~AXIAL_NEIGHBOURHOOD] != 0):
        raise ValueError("the masked corners [0, 0] and [2, 2] of a hexagonal kernel must be 0")
    steps = int(steps) % 6
    dr, dq = np.nonzero(AXIAL_NEIGHBOURHOOD)
    dr, dq = dr - 1, dq - 1
    rotated = kernel
    for _ in range(steps):
        turned = np.zeros_like(rotated)
        turned[..., dq + dr + 1, -dr + 1] = rotated[..., dr + 1, dq + 1]
        rotated = turned
    return rotated
