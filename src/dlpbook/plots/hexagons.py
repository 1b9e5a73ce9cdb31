"""Values on hexagonal grids: telescope cameras (Fig. 2.1b) and surface-detector arrays (Ch. 11)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import RegularPolygon

from ..validation import check_positive


def plot_hexagons(ax: plt.Axes, centres, values=None, *, pitch: float = 1.0, sizes=None, **style) -> PatchCollection:
    """Draw one pointy-top hexagon per grid point, coloured by ``values``.

    Hexagons of circumradius ``pitch / sqrt(3)`` tile a hexagonal grid whose neighbouring points
    are ``pitch`` apart (offset or axial layouts alike, since only the centres matter).

    Parameters
    ----------
    ax
        Axes to draw on; its aspect is set to equal and its limits follow the hexagons.
    centres : (n, 2) float
        Cell centres, in the units of the axes.
    values : (n,) float, optional
        Colour values (through ``cmap``/``norm`` in ``style``); without them the cells take
        ``facecolor`` from ``style``.
    pitch
        Distance between neighbouring centres (> 0).
    sizes : (n,) float, optional
        Factor on each hexagon's size (1 fills the cell), e.g. to show a second quantity.
    **style
        Passed to :class:`matplotlib.collections.PatchCollection` (``cmap``, ``norm``,
        ``edgecolor``, ``facecolor``, ``linewidth``, ...).

    Returns
    -------
    PatchCollection
        For a colour bar: ``fig.colorbar(collection, ax=ax)``.
    """
    centres = np.asarray(centres, dtype=float).reshape(-1, 2)
    scale = np.ones(len(centres)) if sizes is None else np.asarray(sizes, dtype=float).ravel()
    pitch = check_positive(pitch, "pitch")
    if len(scale) != len(centres):
        raise ValueError(f"sizes has {len(scale)} entries for {len(centres)} centres")
    radius = pitch / np.sqrt(3.0)
    cells = [RegularPolygon(tuple(c), numVertices=6, radius=radius * s) for c, s in zip(centres, scale)]
    collection = PatchCollection(cells, **style)
    if values is not None:
        values = np.asarray(values, dtype=float).ravel()
        if len(values) != len(centres):
            raise ValueError(f"values has {len(values)} entries for {len(centres)} centres")
        collection.set_array(values)
    ax.add_collection(collection)
    ax.set_aspect("equal")
    ax.autoscale_view()
    return collection
