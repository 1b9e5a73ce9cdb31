"""The registered air-shower data sets, with the array names of the book's exercise files.

* ``airshowers`` (Ex. 11.1): 9 x 9 hexagonal array, ``time``, ``signal``, ``showeraxis``,
  ``showercore``, ``logE``, ``Xmax`` and, on request, ``traces``.
* ``airshowers_mnist`` (Ex. 7.2, 8.2): 14 x 14 Cartesian array with 750 m spacing,
  ``time``, ``signal``, ``energy`` (EeV), ``showeraxis``, ``showercore``.
* ``airshower_maps`` (Ex. 18.2, WGAN): ``shower_maps`` (n, 9, 9, 1), station signals with
  0 for silent stations.
"""

from __future__ import annotations

import numpy as np

from ...validation import check_choice
from ..registry import DatasetSpec, Param, register
from .footprints import simulate_footprints

_MASS = Param("mass", float, 1.0, "mass number A of the primary (1 = proton, 56 = iron)")


def simulate_airshowers(
    n: int, *, seed: int = 0, mass: float = 1.0, traces: int = 0, progress: bool | None = False
) -> dict[str, np.ndarray]:
    """Footprints on the 9 x 9 hexagonal array (book Ex. 11.1); see :func:`.simulate_footprints`.

    ``traces`` (0 or 1, or a bool) adds ``traces`` (n, 9, 9, 80) float32, VEM per 25 ns.
    """
    check_choice(traces, "traces", (0, 1))
    return simulate_footprints(n, geometry="hex9", seed=seed, mass=mass, traces=bool(traces), progress=progress)


def simulate_airshowers_mnist(n: int, *, seed: int = 0, mass: float = 1.0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Footprints on the 14 x 14 Cartesian array, 750 m (book Ex. 7.2, 8.2).

    Returns ``time`` and ``signal`` (n, 14, 14) float32 (s, VEM; NaN = silent),
    ``energy`` (n,) float64 in EeV, ``showeraxis`` (n, 3) and ``showercore`` (n, 3) m.
    """
    events = simulate_footprints(n, geometry="cartesian14", seed=seed, mass=mass, progress=progress)
    return {
        "time": events["time"],
        "signal": events["signal"],
        "energy": 10.0 ** (events["logE"] - 18.0),
        "showeraxis": events["showeraxis"],
        "showercore": events["showercore"],
    }


def simulate_airshower_maps(n: int, *, seed: int = 0, mass: float = 1.0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Signal maps for the WGAN of book Ex. 18.2: ``shower_maps`` (n, 9, 9, 1) float32, VEM, 0 = silent."""
    signal = simulate_footprints(n, geometry="hex9", seed=seed, mass=mass, progress=progress)["signal"]
    return {"shower_maps": np.nan_to_num(signal, nan=0.0)[..., None]}


SPEC_AIRSHOWERS = register(
    DatasetSpec(
        name="airshowers",
        summary="air-shower footprints on a 9 x 9 hexagonal array, 1500 m (Ex. 11.1)",
        simulate=simulate_airshowers,
        default_n=200_000,
        version=2,
        arrays=(
            "time (n, 9, 9) s, NaN = silent; signal (n, 9, 9) VEM; showeraxis (n, 3); showercore (n, 3) m; "
            "logE (n,) log10(E/eV); Xmax (n,) g/cm^2; traces (n, 9, 9, 80) VEM if --traces 1"
        ),
        sample_bytes=lambda traces, **_: 2 * 81 * 4 + 8 * 8 + traces * 81 * 80 * 4,
        params=(_MASS, Param("traces", int, 0, "1: also store the 80 x 25 ns station traces", choices=(0, 1))),
        nan_allowed=("time", "signal"),
    )
)

SPEC_AIRSHOWERS_MNIST = register(
    DatasetSpec(
        name="airshowers_mnist",
        summary="air-shower footprints on a 14 x 14 Cartesian array, 750 m (Ex. 7.2, 8.2)",
        simulate=simulate_airshowers_mnist,
        default_n=100_000,
        version=2,
        arrays="time (n, 14, 14) s, NaN = silent; signal (n, 14, 14) VEM; energy (n,) EeV; showeraxis (n, 3); showercore (n, 3) m",
        sample_bytes=lambda **_: 2 * 196 * 4 + 7 * 8,
        params=(_MASS,),
        nan_allowed=("time", "signal"),
    )
)

SPEC_AIRSHOWER_MAPS = register(
    DatasetSpec(
        name="airshower_maps",
        summary="station-signal maps of air showers for the WGAN (Ex. 18.2)",
        simulate=simulate_airshower_maps,
        default_n=100_000,
        version=2,
        arrays="shower_maps (n, 9, 9, 1) VEM, 0 = silent station",
        sample_bytes=lambda **_: 81 * 4,
        params=(_MASS,),
    )
)
