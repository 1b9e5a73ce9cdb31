"""Small arrays drawn as grids of numbered cells: inputs, kernels and outputs of the convolution
examples (book Fig. 8.2, 8.3, 8.5, 8.9)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle


def plot_number_grid(
    ax: plt.Axes,
    values,
    *,
    highlight: tuple[int, int, int, int] | list[tuple[int, int, int, int]] | None = None,
    fmt: str = "{:g}",
    cmap: str = "Blues",
    title: str | None = None,
    symmetric: bool = False,
) -> AxesImage:
    """Draw a 2D array as coloured cells with each value written in its cell.

    NaN cells (e.g. the empty corners of an axial hexagonal image) stay white and unnumbered.
    Text is black on light cells and white on dark ones.

    Parameters
    ----------
    ax
        Axes to draw on; ticks are removed and the aspect is equal.
    values : (rows, columns) float
        The numbers; row 0 is drawn at the top, as the array is printed.
    highlight
        ``(row, column, height, width)`` of a block of cells framed in red, e.g. the window a
        kernel covers, or a list of such blocks (the positions of a strided window, the taps
        of a dilated kernel).
    fmt
        Format of the numbers (``str.format`` syntax).
    cmap
        Colour map of the cell colours.
    title
        Title of the panel.
    symmetric
        Centre the colour scale on zero (for weights of both signs with a diverging ``cmap``
        such as ``"RdBu_r"``); otherwise it spans the values.

    Returns
    -------
    AxesImage
        The cells, e.g. for a colour bar.

    Raises
    ------
    ValueError
        If ``values`` is not a non-empty 2D array, or ``highlight`` leaves the grid.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or 0 in values.shape:
        raise ValueError(f"values must be a non-empty 2D array, got shape {values.shape}")
    finite = np.isfinite(values)
    low, high = (values[finite].min(), values[finite].max()) if finite.any() else (0.0, 1.0)
    if symmetric:
        high = max(abs(low), abs(high))
        low = -high
    if high == low:
        high = low + 1.0
    # light cells get black text, dark ones (far from the light end, or from zero) white text
    vmin = low if symmetric else low - 0.15 * (high - low)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=high)
    for (row, column), value in np.ndenumerate(values):
        if np.isfinite(value):
            shade = abs(value) / high if symmetric else (value - low) / (high - low)
            ax.text(column, row, fmt.format(value), ha="center", va="center",
                    color="white" if shade > 0.6 else "black")
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.4", linewidth=0.8)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    blocks = [] if highlight is None else [highlight] if np.ndim(highlight) == 1 else highlight
    for block in blocks:
        row, column, height, width = block
        if row < 0 or column < 0 or height < 1 or width < 1 or row + height > values.shape[0] \
                or column + width > values.shape[1]:
            raise ValueError(f"highlight {tuple(block)} leaves the {values.shape[0]} x {values.shape[1]} grid")
        ax.add_patch(Rectangle((column - 0.5, row - 0.5), width, height, fill=False, edgecolor="red", linewidth=2.5))
    if title is not None:
        ax.set_title(title)
    return image
