"""Cosmic-ray sky maps with magnetically deflected "streets" (book Ex. 10.1; digest D6).

Physics
-------
Ultra-high-energy cosmic rays above ``E_min = 40 EeV`` arrive almost isotropically, with a
steep power-law spectrum ``dN/dE ~ E^-gamma``. Rays from one source are bent by the Galactic
magnetic field (Lorentz force ``F = q v x B``): the coherent field deflects them by an angle
proportional to the inverse rigidity, all along the same direction on the sky, so they form
an energy-ordered "street" (high energies near the source, low energies far along it), and the
turbulent field smears them around the street.

A map holds :data:`N_RAYS` arrival directions. Background maps (label 0) are isotropic.
Signal maps (label 1) replace ``round(signal_fraction * 500)`` of the rays by rays from 1 to
``max_sources`` sources (the number drawn per map, each ray picks one source at random):

* source direction ``s`` isotropic, deflection direction ``e`` a random unit tangent at ``s``;
* energy from the same spectrum as the background, so the energy histogram carries no label;
* coherent deflection along the great circle from ``s`` towards ``e`` by
  ``theta = deflection_deg / epsilon`` with ``epsilon = E / E_min``;
* turbulent smearing: a further step in a random direction by a Rayleigh-distributed angle
  with parameter ``sigma = smearing_deg / epsilon`` (a 2D Gaussian in the tangent plane).

All rays of a map are then shuffled.

Difficulty
----------
The defaults (40 source rays, 25 deg deflection, 5 deg smearing at 40 EeV, gamma = 3) make
the streets visible but not obvious. A simple physics statistic, the number of ray pairs
closer than 5 deg (:func:`close_pairs`), separates 10,000 maps of seed 1 with an ROC AUC of
0.972 (best cut: 91.5 % accuracy). The graph network of the book's Ex. 10.1
(:class:`dlpbook.nn.graph.SkyMapDGCNN`), trained as in the book on 40,000 maps for 4 epochs, reaches
98.1 % on 10,000 test maps with recalibrated BatchNorm statistics, 96.2 % with the moving
averages left by training (``benchmarks/cr_sphere_difficulty.py``; the book: 97.5 % training
accuracy); its mean training loss in the first epoch, 0.249, is the book's. Raising
``signal_fraction`` or lowering ``smearing_deg`` makes the task easier.
This is a design recipe, not the astrophysical simulation of Bister et al. (2021) used for
the original file; there is no exposure (full sky).
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float, check_int, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

N_RAYS = 500
"""Arrival directions per map."""
E_MIN_EEV = 40.0
"""Energy threshold, EeV; the stored energy is ``E / E_MIN_EEV`` (>= 1)."""
MAX_ANGLE_DEG = 180.0
"""Largest deflection or smearing at 40 EeV, degrees."""
MAX_SPECTRAL_INDEX = 10.0
"""Steepest spectrum: beyond it practically every ray sits at the threshold energy."""


def isotropic_directions(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Unit vectors uniform on the sphere, ``shape + (3,)``."""
    v = rng.normal(size=(*shape, 3))
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def power_law_energies(shape: tuple[int, ...], spectral_index: float, rng: np.random.Generator) -> np.ndarray:
    """Energies ``E / E_min >= 1`` with ``dN/dE ~ E^-spectral_index`` (inverse-CDF sampling), ``shape``."""
    return (1.0 - rng.uniform(size=shape)) ** (-1.0 / (spectral_index - 1.0))


def random_tangents(directions: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors perpendicular to ``directions`` (..., 3), in uniformly random orientation."""
    v = rng.normal(size=directions.shape)
    v -= np.sum(v * directions, axis=-1, keepdims=True) * directions
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _step(directions: np.ndarray, tangents: np.ndarray, angle_rad: np.ndarray) -> np.ndarray:
    """Move along the great circle from ``directions`` towards the unit ``tangents`` by ``angle_rad``."""
    angle = np.asarray(angle_rad)[..., None]
    moved = np.cos(angle) * directions + np.sin(angle) * tangents
    return moved / np.linalg.norm(moved, axis=-1, keepdims=True)


def deflect(
    sources: np.ndarray,
    deflection_directions: np.ndarray,
    energies: np.ndarray,
    *,
    deflection_deg: float,
    smearing_deg: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Arrival directions of rays from ``sources`` after coherent and turbulent deflection.

    Parameters
    ----------
    sources : (..., 3) float
        Unit vectors of the sources.
    deflection_directions : (..., 3) float
        Unit tangents at the sources: the direction of the coherent deflection.
    energies : (...) float
        ``E / E_min`` (>= 1).
    deflection_deg
        Coherent deflection at ``E = E_min``, degrees; it scales like ``1 / E``.
    smearing_deg
        Rayleigh parameter of the turbulent smearing at ``E = E_min``, degrees; scales like ``1 / E``.
    rng
        Random generator.

    Returns
    -------
    (..., 3) float
        Unit vectors.
    """
    coherent = _step(sources, deflection_directions, np.radians(deflection_deg) / energies)
    turbulent = np.radians(smearing_deg) / energies * np.sqrt(-2.0 * np.log1p(-rng.uniform(size=energies.shape)))
    return _step(coherent, random_tangents(coherent, rng), turbulent)


def close_pairs(directions: np.ndarray, max_angle_deg: float = 3.0) -> np.ndarray:
    """Number of pairs of rays closer than ``max_angle_deg`` in each map.

    Parameters
    ----------
    directions : (n, m, 3) float
        Unit vectors (``data[..., :3]``).
    max_angle_deg
        Opening angle, degrees. For isotropic maps the expectation is
        ``m (m - 1) / 2 * (1 - cos(max_angle)) / 2`` (85.4 pairs for 500 rays and 3 deg).

    Returns
    -------
    (n,) int64
        Counted in chunks of 100 maps, so the memory stays bounded for any ``n``.
    """
    directions = np.asarray(directions, dtype=float)
    upper = np.triu(np.ones(directions.shape[1:2] * 2, dtype=bool), k=1)
    threshold = np.cos(np.radians(max_angle_deg))
    counts = [
        np.sum((np.einsum("nic,njc->nij", chunk, chunk) > threshold) & upper, axis=(1, 2))
        for chunk in np.array_split(directions, max(1, -(-len(directions) // 100)))
    ]
    return np.concatenate(counts).astype(np.int64)


def simulate(
    n: int,
    *,
    seed: int = 0,
    signal_fraction: float = 0.08,
    max_sources: int = 5,
    deflection_deg: float = 25.0,
    smearing_deg: float = 5.0,
    spectral_index: float = 3.0,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` sky maps of 500 cosmic rays, half of them containing streets.

    Parameters
    ----------
    n
        Number of maps (the original file has 50,000: 40,000 train, 10,000 test).
    seed
        Random seed.
    signal_fraction
        Fraction of the 500 rays of a signal map that come from sources, in (0, 1].
    max_sources
        A signal map has 1 to ``max_sources`` sources (uniform), in [1, 500].
    deflection_deg
        Coherent deflection at 40 EeV, degrees (in [0, 180]), scaling like 1 / E.
    smearing_deg
        Turbulent smearing at 40 EeV, degrees (in [0, 180]), scaling like 1 / E.
    spectral_index
        ``gamma`` of the spectrum ``dN/dE ~ E^-gamma``, in (1, 10] (> 1: normalisable).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``data`` (n, 500, 4) float32: x, y, z of the unit arrival direction, then the energy
        ``E / 40 EeV`` (>= 1); ``label`` (n,) int64, 1 for maps with streets. In every chunk of
        1,000 maps, ``k // 2`` of the ``k`` maps are signal maps, in random order.
    """
    check_seed(seed)
    signal_fraction = check_float(signal_fraction, "signal_fraction", low=0, high=1, low_open=True)
    # more sources than rays would leave sources without rays
    max_sources = check_int(max_sources, "max_sources", low=1, high=N_RAYS)
    deflection_deg = check_float(deflection_deg, "deflection_deg", low=0, high=MAX_ANGLE_DEG)
    smearing_deg = check_float(smearing_deg, "smearing_deg", low=0, high=MAX_ANGLE_DEG)
    spectral_index = check_float(spectral_index, "spectral_index", low=1, high=MAX_SPECTRAL_INDEX, low_open=True)
    n_signal_rays = max(1, round(signal_fraction * N_RAYS))

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        label = rng.permutation(np.arange(k) % 2)
        directions = isotropic_directions((k, N_RAYS), rng)
        energies = power_law_energies((k, N_RAYS), spectral_index, rng)

        sources = isotropic_directions((k, max_sources), rng)
        tangents = random_tangents(sources, rng)
        n_sources = rng.integers(1, max_sources + 1, size=(k, 1))
        which = (rng.uniform(size=(k, n_signal_rays)) * n_sources).astype(int)
        rows = np.arange(k)[:, None]
        street = deflect(
            sources[rows, which],
            tangents[rows, which],
            energies[:, :n_signal_rays],
            deflection_deg=deflection_deg,
            smearing_deg=smearing_deg,
            rng=rng,
        )
        signal = label == 1
        directions[signal, :n_signal_rays] = street[signal]

        order = np.argsort(rng.uniform(size=(k, N_RAYS)), axis=1)
        data = np.concatenate([directions, energies[..., None]], axis=-1)[rows, order]
        return {"data": data.astype(np.float32), "label": label.astype(np.int64)}

    return generate(sample, n, seed=seed, chunk_size=1_000, progress=progress, desc="cr_sphere")


SPEC = register(
    DatasetSpec(
        name="cr_sphere",
        summary="cosmic-ray sky maps of 500 rays: isotropic vs magnetically deflected streets (Ex. 10.1)",
        simulate=simulate,
        default_n=50_000,
        version=1,
        arrays="data (n, 500, 4) [x, y, z, E / 40 EeV]; label (n,) int64, 1 = streets",
        sample_bytes=lambda **_: N_RAYS * 4 * 4 + 8,
        params=(
            Param("signal_fraction", float, 0.08, "fraction of source rays in a signal map"),
            Param("max_sources", int, 5, "signal maps have 1 to max_sources sources"),
            Param("deflection_deg", float, 25.0, "coherent deflection at 40 EeV, degrees"),
            Param("smearing_deg", float, 5.0, "turbulent smearing at 40 EeV, degrees"),
            Param("spectral_index", float, 3.0, "gamma of dN/dE ~ E^-gamma"),
        ),
    )
)
