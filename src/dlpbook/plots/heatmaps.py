"""Grids of signed heatmaps: saliency, relevance and reconstruction maps of chapter 12.

Explanations of a prediction have a sign (raises or lowers the score), so each heatmap is drawn
on a diverging colour scale centred at zero, red positive and blue negative, optionally over
the input in grey or with the outline of the input drawn on top.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..validation import ParameterError, check_float

DIVERGING = "RdBu_r"
"""The colour map of signed maps: blue negative, white zero, red positive."""


def plot_heatmaps(heatmaps, *, titles=None, backgrounds=None, outline_level: float | None = None,
                  shared_scale: bool = False, colorbar_label: str | None = None, panel_size: float = 2.2):
    """Draw ``(rows, columns, h, w)`` signed maps as a grid, each on a scale symmetric about zero.

    Parameters
    ----------
    heatmaps
        ``(rows, columns, h, w)`` array (or ``(columns, h, w)`` for one row).
    titles
        One title per panel, nested as the panels (rows of strings), or ``None``.
    backgrounds
        The inputs the maps explain, ``(rows, h, w)`` (one per row) or ``(rows, columns, h, w)``:
        drawn in grey under the maps (if ``outline_level`` is ``None``) or as an outline.
    outline_level
        If given, the backgrounds are drawn as a grey contour at this value instead of as an
        image.
    shared_scale
        One colour scale for each row (True) or for each panel (False, the default: every map
        uses its full range, so the patterns, not the magnitudes, are compared).
    colorbar_label
        If given, a colour bar per row with this label (only with ``shared_scale``).
    panel_size
        Width of a panel, inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    maps = np.asarray(heatmaps, dtype=float)
    if maps.ndim == 3:
        maps = maps[None]
    if maps.ndim != 4:
        raise ParameterError("heatmaps", "an array (rows, columns, height, width)", maps.shape)
    rows, columns = maps.shape[:2]
    if backgrounds is not None:
        backgrounds = np.asarray(backgrounds, dtype=float)
        if backgrounds.ndim == 3 and len(backgrounds) == rows:
            backgrounds = np.broadcast_to(backgrounds[:, None], (rows, columns, *backgrounds.shape[1:]))
        if backgrounds.ndim != 4 or backgrounds.shape[:2] != (rows, columns):
            raise ParameterError("backgrounds", f"one image per row ({rows}) or per panel ({rows} x {columns})",
                                 backgrounds.shape)
    if colorbar_label is not None and not shared_scale:
        raise ParameterError("colorbar_label", "None unless shared_scale is True", colorbar_label)
    size = check_float(panel_size, "panel_size", low=0.5)
    if colorbar_label is None:
        # a fixed grid of square panels, each with room for its title above: the constrained layout
        # measured every title several times, half the drawing time of a 4 x 4 grid with titles
        title = 0.28 if titles is not None else 0.06  # inches above each panel
        margin = 0.04
        fig = plt.figure(figsize=(size * columns, (size + title) * rows + margin))
        fig.subplots_adjust(left=margin / (size * columns), right=1 - margin / (size * columns),
                            bottom=margin / fig.get_figheight(), top=1 - title / fig.get_figheight(),
                            wspace=2 * margin / (size - 2 * margin / columns), hspace=title / size)
        axes = fig.subplots(rows, columns, squeeze=False)
    else:
        fig, axes = plt.subplots(rows, columns, figsize=(size * columns + 1.2, size * rows + 0.3),
                                 layout="constrained", squeeze=False)
    for row in range(rows):
        row_limit = np.abs(maps[row]).max()
        for column in range(columns):
            ax, heat = axes[row, column], maps[row, column]
            limit = (row_limit if shared_scale else np.abs(heat).max()) or 1.0
            underlay = backgrounds is not None and outline_level is None
            if underlay:
                ax.imshow(backgrounds[row, column], cmap="gray_r", alpha=0.35)
            image = ax.imshow(heat, cmap=DIVERGING, vmin=-limit, vmax=limit, alpha=0.8 if underlay else 1.0)
            if backgrounds is not None and outline_level is not None:
                ax.contour(backgrounds[row, column], levels=[outline_level], colors="0.45", linewidths=0.7)
            if titles is not None:
                ax.set_title(titles[row][column], fontsize=10)
            ax.set_axis_off()
        if colorbar_label is not None:
            fig.colorbar(image, ax=axes[row, :], shrink=0.85, label=colorbar_label)
    return fig
