"""Air-shower footprints on a surface-detector array (book D3/D4; Ex. 7.2, 8.2, 11.1, 18.2).

A toy simulation re-implemented from the recipe of Erdmann, Glombitza and Walz (2018):

* :mod:`.atmosphere`: CORSIKA five-layer atmosphere, vertical and slant depth and inverses;
* :mod:`.xmax`: Gumbel parametrisation of the depth of the shower maximum;
* :mod:`.array`: the 9 x 9 hexagonal (1500 m) and 14 x 14 Cartesian (750 m) arrays;
* :mod:`.footprints`: primaries, signals, traces, arrival times, noise and trigger;
* :mod:`.datasets`: the registered sets ``airshowers``, ``airshowers_mnist``, ``airshower_maps``.
"""

from . import datasets  # noqa: F401  (registers the data sets)
from .array import ARRAYS, ALTITUDE_M, StationArray, axial_to_offset, offset_to_axial, station_array
from .footprints import simulate_events, simulate_footprints
from .xmax import gumbel_parameters, sample_xmax, xmax_moments

__all__ = [
    "ALTITUDE_M",
    "ARRAYS",
    "StationArray",
    "axial_to_offset",
    "gumbel_parameters",
    "offset_to_axial",
    "sample_xmax",
    "simulate_events",
    "simulate_footprints",
    "station_array",
    "xmax_moments",
]
