"""Station layouts of the toy surface detector (book D3/D4, Fig. 8.12).

Two ground arrays at 1400 m above sea level (the Auger site), all stations at height
``z = 0`` of the array frame:

* ``"hex9"``: 9 x 9 stations on a triangular grid with 1500 m spacing, stored in *offset
  coordinates*: column ``i``, row ``j``, ``x = (i - n0) + 0.5 ((j - n0) mod 2)``,
  ``y = (j - n0) sin 60 deg`` (times the spacing), ``n0 = (n - 1) / 2``. Every other row is
  shifted by half a spacing, and the grid maps one-to-one to a 9 x 9 image.
* ``"cartesian14"``: 14 x 14 stations on a square grid with 750 m spacing.

Images are indexed ``[row j, column i]`` so that ``imshow(..., origin="lower")`` shows
the footprint the right way up. The axial alternative of the hexagonal grid (Fig. 8.12)
puts the columns along the 60-degree direction, ``x = q + 0.5 r``; see
:func:`dlpbook.hexagonal_grid.offset_to_axial`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...hexagonal_grid import axial_to_offset, offset_to_axial  # noqa: F401  (re-exported by dlpbook.data.airshower)
from ...validation import check_choice

ALTITUDE_M = 1400.0
"""Height of the array above sea level, m."""


@dataclass(frozen=True)
class StationArray:
    """A square grid of ``n`` x ``n`` stations.

    Attributes
    ----------
    name : str
        ``"hex9"`` or ``"cartesian14"``.
    n : int
        Stations per row and per column.
    spacing_m : float
        Distance between neighbouring stations, m.
    hexagonal : bool
        Offset-coordinate triangular grid (True) or square grid (False).
    """

    name: str
    n: int
    spacing_m: float
    hexagonal: bool

    @property
    def positions_m(self) -> np.ndarray:
        """Station positions (n, n, 2) in m, indexed [row j, column i], centred on the array."""
        n0 = (self.n - 1) / 2
        j, i = np.meshgrid(np.arange(self.n), np.arange(self.n), indexing="ij")
        x, y = i - n0, j - n0
        if self.hexagonal:
            x = x + 0.5 * np.mod(j - n0, 2)
            y = y * np.sin(np.pi / 3)
        return np.stack([x, y], axis=-1) * self.spacing_m

    @property
    def core_radius_m(self) -> float:
        """Radius of the disc around the array centre in which cores are thrown (half a spacing), m."""
        return self.spacing_m / 2


ARRAYS = {
    "hex9": StationArray("hex9", 9, 1500.0, hexagonal=True),
    "cartesian14": StationArray("cartesian14", 14, 750.0, hexagonal=False),
}
"""The two arrays of the book, by name."""


def station_array(geometry: str) -> StationArray:
    """The array called ``geometry`` (``"hex9"`` or ``"cartesian14"``)."""
    return ARRAYS[check_choice(geometry, "geometry", sorted(ARRAYS))]
