"""Earthquake epicentres seen by four seismic stations (book Example 2.1/2.2, Sec. 7.2).

Physics
-------
A shallow earthquake at epicentre ``r`` (km, on a flat surface) sends a compressional
P wave and a shear S wave. Station ``i`` at ``s_i`` records their arrival times (s) after the
origin time,

.. math:: t_{p,i} = |r - s_i| / v_p + \\delta_{p,i}, \\qquad t_{s,i} = |r - s_i| / v_s + \\delta_{s,i},

with ``v_p = 7.0 km/s``, ``v_s = 5.0 km/s`` and small constant station delays
``delta`` (site effects). Stations sit at (-10, 10), (10, 10), (-10, -10) and (10, -10) km.
The delays are the minimax fit to the four events printed in the book's Table 7.1, which
these values reproduce to within 0.009 s (the table is rounded to 0.01 s).

Epicentres follow the border of two tectonic plates, a smooth curve
``x_b(y) = A sin(2 pi y / lambda + phi) + c`` across the 80 km x 80 km region, scattered
by a Gaussian of width ``width_km`` perpendicular to it.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

STATIONS_KM = np.array([[-10.0, 10.0], [10.0, 10.0], [-10.0, -10.0], [10.0, -10.0]])
"""Station positions (4, 2), km."""
V_P_KM_S = 7.0
"""P-wave speed, km/s."""
V_S_KM_S = 5.0
"""S-wave speed, km/s."""
DELAY_P_S = np.array([0.097, -0.091, -0.214, 0.001])
"""Constant P-arrival delay of each station, s."""
DELAY_S_S = np.array([0.017, 0.041, -0.057, -0.024])
"""Constant S-arrival delay of each station, s."""
REGION_KM = 40.0
"""Epicentres lie in [-REGION_KM, REGION_KM]^2."""

_BOUNDARY = {"amplitude": 17.8, "wavelength": 77.0, "phase": 0.81, "offset": 0.6}  # km, km, rad, km

MAX_WIDTH_KM = 100.0
"""Largest epicentre scatter: beyond the region (+-40 km) every epicentre is clipped to its edge."""
MAX_TIMING_NOISE_S = 10.0
"""Largest timing noise, s: about ten times the longest travel time."""
TIME_COLUMNS = ("t1p", "t1s", "t2p", "t2s", "t3p", "t3s", "t4p", "t4s")
"""Column order of ``times``: P then S arrival for stations 1-4."""


def arrival_times(epicenters_km: np.ndarray) -> np.ndarray:
    """Noise-free P and S arrival times at the four stations.

    Parameters
    ----------
    epicenters_km : (n, 2) float
        Epicentre positions (x, y), km.

    Returns
    -------
    (n, 8) float
        Arrival times, s, in the column order :data:`TIME_COLUMNS`.
    """
    epicenters_km = np.asarray(epicenters_km, dtype=float)
    if epicenters_km.ndim != 2 or epicenters_km.shape[1] != 2:
        raise ValueError(f"epicenters_km must have shape (n, 2), got {epicenters_km.shape}")
    distance = np.linalg.norm(epicenters_km[:, None, :] - STATIONS_KM[None], axis=-1)
    times = np.empty((len(epicenters_km), 8))
    times[:, 0::2] = distance / V_P_KM_S + DELAY_P_S
    times[:, 1::2] = distance / V_S_KM_S + DELAY_S_S
    return times


def plate_boundary_x(y_km: np.ndarray) -> np.ndarray:
    """x position (km) of the plate boundary at height ``y_km`` (km)."""
    b = _BOUNDARY
    return b["amplitude"] * np.sin(2 * np.pi * np.asarray(y_km) / b["wavelength"] + b["phase"]) + b["offset"]


def simulate(
    n: int,
    *,
    seed: int = 0,
    width_km: float = 2.0,
    timing_noise_s: float = 0.0,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` earthquakes along the plate boundary.

    Parameters
    ----------
    n
        Number of events.
    seed
        Random seed.
    width_km
        Gaussian scatter of the epicentres around the plate boundary, km, in [0, :data:`MAX_WIDTH_KM`].
    timing_noise_s
        Gaussian noise added to every arrival time, s, in [0, :data:`MAX_TIMING_NOISE_S`]. The book's Table 7.1 allows at
        most about 0.005 s.
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``times`` (n, 8) float64, s, columns :data:`TIME_COLUMNS`;
        ``epicenter`` (n, 2) float64, km.
    """
    check_seed(seed)
    width_km = check_float(width_km, "width_km", low=0, high=MAX_WIDTH_KM)
    timing_noise_s = check_float(timing_noise_s, "timing_noise_s", low=0, high=MAX_TIMING_NOISE_S)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        y = rng.uniform(-REGION_KM, REGION_KM, k)
        x = np.clip(plate_boundary_x(y) + rng.normal(0.0, width_km, k), -REGION_KM, REGION_KM)
        epicenter = np.stack([x, y], axis=1)
        times = arrival_times(epicenter) + rng.normal(0.0, timing_noise_s, (k, 8))
        return {"times": times, "epicenter": epicenter}

    return generate(sample, n, seed=seed, chunk_size=100_000, progress=progress, desc="earthquakes")


SPEC = register(
    DatasetSpec(
        name="earthquakes",
        summary="P/S arrival times of earthquakes at 4 stations (Example 2.2, Sec. 7.2)",
        simulate=simulate,
        default_n=20_000,
        version=1,
        arrays="times (n, 8) s [t1p t1s ... t4s]; epicenter (n, 2) km",
        sample_bytes=lambda **_: 8 * 8 + 2 * 8,
        params=(
            Param("width_km", float, 2.0, "scatter of epicentres around the plate boundary, km"),
            Param("timing_noise_s", float, 0.0, "Gaussian noise on each arrival time, s"),
        ),
    )
)
