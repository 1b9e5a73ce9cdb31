"""Atom velocities of an ideal gas: the Maxwell-Boltzmann distribution (book Examples 14.3, 14.4).

Physics
-------
In an ideal gas at temperature ``T`` every Cartesian velocity component of an atom of mass
``m`` is Gaussian with mean 0 and variance ``k_B T / m``. The speed ``v = |v_vec|`` then
follows the Maxwell-Boltzmann density (Fig. 14.1)

.. math:: p_{MB}(v; T) = 4\\pi \\left(\\frac{m}{2\\pi k_B T}\\right)^{3/2} v^2
          \\exp\\left(-\\frac{m v^2}{2 k_B T}\\right), \\qquad v \\ge 0,

with most probable speed ``sqrt(2 k_B T / m)``, mean speed ``sqrt(8 k_B T / (pi m))`` and
``<v^2> = 3 k_B T / m``; the maximum-likelihood temperature of a sample is therefore
``T_hat = m <v^2> / (3 k_B)`` (:func:`temperature_estimate`).

Units: temperature in K, atomic mass in u (unified atomic mass units), velocities and speeds
in m/s, the density in s/m. Helium (``m = 4 u``) between 100 K and 1000 K has speeds of
0-4000 m/s, the axis range of the book's Fig. 14.1.

:func:`simulate` (registered as ``maxwell_boltzmann``) draws atoms of one gas;
:func:`thermometer_sets` draws the sets of Example 14.4, each a temperature and the speeds of
its atoms, for regressing ``T`` from speeds.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_count, check_float, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

K_B_J_PER_K = 1.380649e-23
"""Boltzmann constant, J/K (exact, SI 2019)."""
ATOMIC_MASS_KG = 1.66053906660e-27
"""Unified atomic mass unit u, kg (CODATA 2018)."""
HELIUM_MASS_U = 4.002602
"""Mass of a helium-4 atom, u."""


MAX_TEMPERATURE_K = 1e9
"""Highest temperature, K (a stellar core; an ideal classical gas long before)."""
MAX_MASS_U = 1e6
"""Largest particle mass, u (a large protein)."""


def _check_temperature(temperature_k: float, name: str = "temperature_k") -> float:
    return check_float(temperature_k, name, low=0, high=MAX_TEMPERATURE_K, low_open=True)


def _check_mass(mass_u: float) -> float:
    return check_float(mass_u, "mass_u", low=0, high=MAX_MASS_U, low_open=True)


def velocity_scale(temperature_k: float, mass_u: float = HELIUM_MASS_U) -> float:
    """Standard deviation ``sqrt(k_B T / m)`` of one velocity component, m/s."""
    temperature_k, mass_u = _check_temperature(temperature_k), _check_mass(mass_u)
    return float(np.sqrt(K_B_J_PER_K * temperature_k / (mass_u * ATOMIC_MASS_KG)))


def maxwell_boltzmann_pdf(speed: np.ndarray, temperature_k: float, mass_u: float = HELIUM_MASS_U) -> np.ndarray:
    """Maxwell-Boltzmann speed density ``p_MB(v; T)``, s/m (0 for negative speeds).

    Parameters
    ----------
    speed : array of float
        Speeds ``v``, m/s.
    temperature_k
        Temperature ``T``, K, in (0, :data:`MAX_TEMPERATURE_K`].
    mass_u
        Atomic mass ``m``, u, in (0, :data:`MAX_MASS_U`].
    """
    sigma = velocity_scale(temperature_k, mass_u)
    v = np.asarray(speed, dtype=float)
    density = np.sqrt(2 / np.pi) * v**2 / sigma**3 * np.exp(-(v**2) / (2 * sigma**2))
    return np.where(v >= 0, density, 0.0)


def maxwell_boltzmann_cdf(speed: np.ndarray, temperature_k: float, mass_u: float = HELIUM_MASS_U) -> np.ndarray:
    """Cumulative distribution of :func:`maxwell_boltzmann_pdf` (dimensionless)."""
    from scipy.special import erf

    sigma = velocity_scale(temperature_k, mass_u)
    x = np.maximum(np.asarray(speed, dtype=float), 0.0) / sigma
    return erf(x / np.sqrt(2)) - np.sqrt(2 / np.pi) * x * np.exp(-(x**2) / 2)


def mean_speed(temperature_k: float, mass_u: float = HELIUM_MASS_U) -> float:
    """Mean speed ``sqrt(8 k_B T / (pi m))``, m/s."""
    return float(np.sqrt(8 / np.pi) * velocity_scale(temperature_k, mass_u))


def most_probable_speed(temperature_k: float, mass_u: float = HELIUM_MASS_U) -> float:
    """Most probable speed (maximum of the density) ``sqrt(2 k_B T / m)``, m/s."""
    return float(np.sqrt(2) * velocity_scale(temperature_k, mass_u))


def temperature_estimate(speed: np.ndarray, mass_u: float = HELIUM_MASS_U, axis: int = -1) -> np.ndarray:
    """Maximum-likelihood temperature ``T_hat = m <v^2> / (3 k_B)``, K, of speeds in m/s.

    Its relative resolution for ``N`` atoms is ``sqrt(2 / (3 N))`` (the Cramer-Rao bound).
    """
    mass_u = _check_mass(mass_u)
    mean_square = np.mean(np.asarray(speed, dtype=float) ** 2, axis=axis)
    return mass_u * ATOMIC_MASS_KG * mean_square / (3 * K_B_J_PER_K)


def simulate(
    n: int,
    *,
    seed: int = 0,
    temperature_k: float = 300.0,
    mass_u: float = HELIUM_MASS_U,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Draw ``n`` atom velocities of an ideal gas in equilibrium.

    Parameters
    ----------
    n
        Number of atoms.
    seed
        Random seed.
    temperature_k
        Temperature ``T``, K, in (0, :data:`MAX_TEMPERATURE_K`].
    mass_u
        Atomic mass ``m``, u, in (0, :data:`MAX_MASS_U`] (default helium-4).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``velocity`` (n, 3) float64, Cartesian components, m/s, each ``N(0, k_B T / m)``;
        ``speed`` (n,) float64, ``|velocity|``, m/s, Maxwell-Boltzmann distributed.
    """
    check_seed(seed)
    sigma = velocity_scale(temperature_k, mass_u)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        velocity = rng.normal(0.0, sigma, (k, 3))
        return {"velocity": velocity, "speed": np.linalg.norm(velocity, axis=1)}

    return generate(sample, n, seed=seed, chunk_size=500_000, progress=progress, desc="maxwell_boltzmann")


def thermometer_sets(
    k: int,
    n_atoms: int,
    *,
    seed: int = 0,
    t_min_k: float = 100.0,
    t_max_k: float = 1000.0,
    mass_u: float = HELIUM_MASS_U,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Data of Example 14.4: ``k`` gas samples, each a temperature and ``n_atoms`` speeds.

    Parameters
    ----------
    k
        Number of sets (one thermometer reading each).
    n_atoms
        Measured atoms per set.
    seed
        Random seed.
    t_min_k, t_max_k
        Temperatures are uniform in [t_min_k, t_max_k], K (0 < t_min_k <= t_max_k).
    mass_u
        Atomic mass, u, in (0, :data:`MAX_MASS_U`].
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``T`` (k,) float64, temperature, K; ``speed`` (k, n_atoms) float64, atom speeds, m/s.
    """
    check_seed(seed)
    n_atoms = check_count(n_atoms, "n_atoms")
    t_min_k, mass_u = _check_temperature(t_min_k, "t_min_k"), _check_mass(mass_u)
    t_max_k = check_float(t_max_k, "t_max_k", low=t_min_k, high=MAX_TEMPERATURE_K)

    def sample(size: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        temperature = rng.uniform(t_min_k, t_max_k, size)
        sigma = np.sqrt(K_B_J_PER_K * temperature / (mass_u * ATOMIC_MASS_KG))
        velocity = rng.normal(size=(size, n_atoms, 3)) * sigma[:, None, None]
        return {"T": temperature, "speed": np.linalg.norm(velocity, axis=2)}

    chunk = max(1, 1_000_000 // n_atoms)
    return generate(sample, k, seed=seed, chunk_size=chunk, progress=progress, desc="thermometer sets")


SPEC = register(
    DatasetSpec(
        name="maxwell_boltzmann",
        summary="ideal-gas atom velocities and Maxwell-Boltzmann speeds (Examples 14.3, 14.4)",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="velocity (n, 3) m/s; speed (n,) m/s",
        sample_bytes=lambda **_: 3 * 8 + 8,
        params=(
            Param("temperature_k", float, 300.0, "gas temperature, K"),
            Param("mass_u", float, HELIUM_MASS_U, "atomic mass, u"),
        ),
    )
)
