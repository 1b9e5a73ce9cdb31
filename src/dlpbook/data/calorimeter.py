"""Toy electromagnetic showers in a seven-layer sampling calorimeter (Figs. 18.11-18.12, Example 18.8).

Physics
-------
An electron of energy ``E`` (GeV) enters a lead sampling calorimeter (radiation length
``X0 = 5.6 mm``, Moliere radius ``R_M = 16 mm``, critical energy ``E_c = 7.43 MeV``) at normal
incidence. Thin sensor layers sit at the depths of Fig. 18.12, :data:`LAYER_DEPTHS_X0` =
2.8, 4.4, 6.0, 7.6, 9.2, 13.0 and 16.2 X0, each read out by a square grid of cells covering
128 mm x 128 mm (8 R_M).

*Longitudinal profile* (Longo-Sestili; PDG Eq. 34.36):

.. math:: \\frac{dE}{dt} = E\\, b\\, \\frac{(bt)^{a-1} e^{-bt}}{\\Gamma(a)}, \\qquad
          t_\\max = \\frac{a-1}{b} = \\ln\\frac{E}{E_c} - 0.5,

with ``t`` in X0 and ``b = 0.5``; shower-to-shower fluctuations move ``t_max`` by a Gaussian
of 0.4 X0.

*Transverse profile* (after Grindhammer and Peters): a core plus a halo,

.. math:: f(r) = p\\, \\frac{2 r R_c^2}{(r^2 + R_c^2)^2} + (1 - p)\\, \\frac{2 r R_t^2}{(r^2 + R_t^2)^2},

with ``R_c = R_M (0.15 + 0.02 t)``, ``R_t = R_M (0.7 + 0.07 t)`` and ``p = 0.9 - 0.02 t``
(``t`` in X0): both widths grow with depth but do not depend on the energy.

*Sampling fluctuations*: the sensor of layer ``l`` collects a Poisson number of energy spots
with mean ``E f(t_l) * SPOTS_PER_GEV_X0`` (``f = (dE/dt) / E`` per X0), each with an exponentially
distributed visible energy of mean ``SPOT_MEV``, at a radius drawn from ``f(r)`` and a uniform
azimuth around the impact point. This gives a stochastic resolution ``sigma_E / E`` of about
27 % / sqrt(E / GeV) (26-29 % measured from 10 to 90 GeV). Every cell gets Gaussian electronic
noise ``noise_mev`` and cells below three times that noise are set to zero (zero
suppression), which makes the images sparse.
:func:`calibrated_energy` turns the seven layer sums into an energy estimate (GeV).
"""

from __future__ import annotations

import numpy as np

from ..validation import ParameterError, check_choice, check_float, check_int, check_seed
from .generate import generate
from .pixels import pixelate
from .registry import DatasetSpec, Param, register

LAYER_DEPTHS_X0 = np.array([2.8, 4.4, 6.0, 7.6, 9.2, 13.0, 16.2])
"""Depths of the seven sensor layers (Fig. 18.12), radiation lengths."""
CALORIMETER_DEPTH_X0 = 24.0
"""Total absorber depth, X0: the showers are contained; only the seven layers are read out."""
RADIATION_LENGTH_MM = 5.6
"""X0 of lead, mm."""
MOLIERE_RADIUS_MM = 16.0
"""R_M of lead, mm."""
CRITICAL_ENERGY_GEV = 7.43e-3
"""E_c of lead (electrons), GeV."""
PROFILE_B = 0.5
"""Slope parameter b of the Gamma profile, 1/X0."""
DEPTH_SPREAD_X0 = 0.4
"""Shower-to-shower Gaussian spread of t_max, X0."""
FIELD_OF_VIEW_MM = 128.0
"""Side of the square area read out in each layer, mm."""
SPOTS_PER_GEV_X0 = 100.0
"""Mean number of spots per GeV of primary energy per unit of the profile density (1/X0)."""
SPOT_MEV = 1.0
"""Mean visible energy of a spot, MeV."""
ENERGY_RANGE_GEV = (1.0, 1000.0)
"""Allowed electron energies, GeV."""
MAX_NOISE_MEV = 1000.0
"""Largest electronic noise per cell, MeV (above the deposit of a 1 TeV shower in most cells)."""


def shower_maximum_x0(energy_gev: np.ndarray | float) -> np.ndarray:
    """Depth of the shower maximum ``t_max = ln(E / E_c) - 0.5``, X0 (electrons)."""
    return np.log(np.asarray(energy_gev, dtype=float) / CRITICAL_ENERGY_GEV) - 0.5


def longitudinal_profile(depth_x0: np.ndarray, t_max_x0: np.ndarray | float) -> np.ndarray:
    """Fraction of the shower energy deposited per X0 at ``depth_x0`` (the Gamma form, ``a = b t_max + 1``).

    Parameters
    ----------
    depth_x0 : array, X0
        Depth ``t``.
    t_max_x0 : array or float, X0
        Shower maximum (broadcast against ``depth_x0``).

    Returns
    -------
    array, 1/X0
        ``(1/E) dE/dt``; it integrates to 1 over ``t`` in [0, inf).
    """
    a = PROFILE_B * np.asarray(t_max_x0, dtype=float) + 1
    bt = PROFILE_B * np.asarray(depth_x0, dtype=float)
    from scipy import special  # imported here: scipy.special costs half a second at import

    return PROFILE_B * np.exp((a - 1) * np.log(bt) - bt - special.gammaln(a))


def layer_weights_x0() -> np.ndarray:
    """Absorber depth sampled by each layer, X0 (7,): midpoint to midpoint, from 0 to :data:`CALORIMETER_DEPTH_X0`."""
    midpoints = (LAYER_DEPTHS_X0[1:] + LAYER_DEPTHS_X0[:-1]) / 2
    return np.diff(np.concatenate([[0.0], midpoints, [CALORIMETER_DEPTH_X0]]))


def calibrated_energy(images: np.ndarray) -> np.ndarray:
    """Energy estimate (GeV) from layer images (n, 7, H, W) in MeV.

    The layer sums are weighted with :func:`layer_weights_x0` and divided by the response of
    a 50 GeV shower at its mean profile; the response of this coarse sampling then stays within
    0.5 % over 10-100 GeV.
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[1] != len(LAYER_DEPTHS_X0):
        raise ValueError(f"images must have shape (n, 7, H, W), got {images.shape}")
    weights = layer_weights_x0()
    response = weights @ longitudinal_profile(LAYER_DEPTHS_X0, shower_maximum_x0(50.0))
    return images.sum(axis=(2, 3)) @ weights / (SPOTS_PER_GEV_X0 * SPOT_MEV * response)


def _parse_energies(energies: str | float | tuple | list) -> np.ndarray:
    low, high = ENERGY_RANGE_GEV
    requirement = f"comma-separated numbers of GeV in [{low:g}, {high:g}]"
    try:
        if isinstance(energies, str):
            values = np.array([float(part) for part in energies.split(",")])
        else:
            values = np.atleast_1d(np.asarray(energies, dtype=float))
    except (TypeError, ValueError):
        raise ParameterError("energies", requirement, energies) from None
    # the comparisons are False for NaN, so NaN is refused too
    if values.size == 0 or values.ndim != 1 or not np.all((values >= low) & (values <= high)):
        raise ParameterError("energies", requirement, energies)
    return values


def simulate(
    n: int,
    *,
    seed: int = 0,
    energies: str | tuple | list = "32,70,90",
    spectrum: str = "discrete",
    pixels: int = 16,
    noise_mev: float = 0.1,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` electron showers.

    Parameters
    ----------
    n
        Number of showers.
    seed
        Random seed.
    energies
        Electron energies, GeV: a comma-separated string (``"32,70,90"``, the energies of
        Fig. 18.12) or a sequence of numbers, each in [1, 1000].
    spectrum
        ``"discrete"``: each shower takes one of ``energies`` with equal probability;
        ``"uniform"``: ``E ~ U(min(energies), max(energies))``.
    pixels
        Cells per side of each layer (4 to 64); the read-out area stays 128 mm x 128 mm.
    noise_mev
        Gaussian electronic noise per cell, MeV, in [0, :data:`MAX_NOISE_MEV`]; cells below
        3 noise_mev are zeroed.
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``images`` (n, 7, pixels, pixels) float32, visible energy per cell, MeV (layer order of
        :data:`LAYER_DEPTHS_X0`; rows = y, columns = x, both from -64 mm to 64 mm);
        ``energy`` (n,) float64, electron energy, GeV; ``impact_mm`` (n, 2) float64, (x, y) of
        the impact point, mm.
    """
    check_seed(seed)
    values = _parse_energies(energies)
    check_choice(spectrum, "spectrum", ("discrete", "uniform"))
    pixels = check_int(pixels, "pixels", low=4, high=64)
    noise_mev = check_float(noise_mev, "noise_mev", low=0, high=MAX_NOISE_MEV)
    n_layers = len(LAYER_DEPTHS_X0)
    cell_mm = FIELD_OF_VIEW_MM / pixels

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        if spectrum == "discrete":
            energy = rng.choice(values, k)
        else:
            energy = rng.uniform(values.min(), values.max(), k)
        t_max = np.maximum(shower_maximum_x0(energy) + rng.normal(0, DEPTH_SPREAD_X0, k), 0.1)
        impact = rng.uniform(-cell_mm / 2, cell_mm / 2, (k, 2))
        density = longitudinal_profile(LAYER_DEPTHS_X0[None, :], t_max[:, None])  # (k, 7)
        counts = rng.poisson(energy[:, None] * density * SPOTS_PER_GEV_X0)
        slot = np.repeat(np.arange(k * n_layers), counts.ravel())  # event * 7 + layer of each spot
        event, layer = np.divmod(slot, n_layers)
        depth = LAYER_DEPTHS_X0[layer]
        in_core = rng.random(slot.size) < 0.9 - 0.02 * depth
        width = MOLIERE_RADIUS_MM * np.where(in_core, 0.15 + 0.02 * depth, 0.7 + 0.07 * depth)
        u = rng.random(slot.size)
        radius = width * np.sqrt(u / (1 - u))  # inverse CDF r^2 / (r^2 + R^2)
        azimuth = rng.uniform(0, 2 * np.pi, slot.size)
        x = impact[event, 0] + radius * np.cos(azimuth)
        y = impact[event, 1] + radius * np.sin(azimuth)
        column = np.floor(x / cell_mm + pixels / 2).astype(np.int64)
        row = np.floor(y / cell_mm + pixels / 2).astype(np.int64)
        deposit = rng.exponential(SPOT_MEV, slot.size)
        images = pixelate(slot, row, column, deposit, n_images=k * n_layers, pixels=pixels)
        images = images.reshape(k, n_layers, pixels, pixels)
        if noise_mev > 0:
            images += rng.normal(0, noise_mev, images.shape)
            images[images < 3 * noise_mev] = 0.0
        return {"images": images.astype(np.float32), "energy": energy, "impact_mm": impact}

    return generate(sample, n, seed=seed, chunk_size=200, progress=progress, desc="calorimeter")


SPEC = register(
    DatasetSpec(
        name="calorimeter",
        summary="electron showers in a 7-layer sampling calorimeter (Fig. 18.12, Example 18.8)",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="images (n, 7, pixels, pixels) MeV; energy (n,) GeV; impact_mm (n, 2) mm",
        sample_bytes=lambda pixels, **_: 7 * pixels * pixels * 4 + 3 * 8,
        params=(
            Param("energies", str, "32,70,90", "comma-separated electron energies, GeV"),
            Param("spectrum", str, "discrete", "pick one of the energies or draw uniformly between them",
                  choices=("discrete", "uniform")),
            Param("pixels", int, 16, "cells per side of each layer"),
            Param("noise_mev", float, 0.1, "electronic noise per cell, MeV (zero suppression at 3 sigma)"),
        ),
    )
)
