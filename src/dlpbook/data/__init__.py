"""Offline physics data: seeded simulators, loaders of original file formats, and a cache.

Use :func:`load` for a cached data set by name, :func:`simulate` to generate without the
cache, and :func:`datasets` for the catalogue (the same list as ``dlpbook data --help``).
Each simulator module documents its physics, units and array names.
"""

# importing the simulator modules registers their data sets
from . import (  # noqa: F401
    airshower,
    calorimeter,
    checkerboard,
    collider_objects,
    decorrelation,
    digits,
    earthquakes,
    galaxies,
    gas,
    interpolation,
    ising,
    jets,
    karate,
    oscillators,
    particle_tracks,
    radio,
    sine,
    skymaps,
    speckles,
    wine,
)
from .cache import CacheFolderError, CacheWarning, load_npz, save_npz
from .memory import DataTooLargeError
from .registry import DatasetSpec, Param, catalogue_table, datasets, load, simulate

__all__ = [
    "CacheFolderError",
    "CacheWarning",
    "DataTooLargeError",
    "DatasetSpec",
    "Param",
    "catalogue_table",
    "datasets",
    "load",
    "load_npz",
    "save_npz",
    "simulate",
]
