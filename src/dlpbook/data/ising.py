"""Spin configurations of the two-dimensional Ising model (book Ex. 7.1, 8.1 and 12.3).

Physics
-------
``L x L`` spins :math:`s_i = \\pm 1` on a square lattice with periodic boundaries and the
nearest-neighbour Hamiltonian (J = 1, k_B = 1, no field, so energies and temperatures are in
units of J)

.. math:: H = -J \\sum_{\\langle ij \\rangle} s_i s_j .

The infinite lattice orders below Onsager's critical temperature
:math:`T_c = 2 / \\ln(1 + \\sqrt 2) \\approx 2.2692` (:data:`T_C`); the exact spontaneous
magnetisation (:func:`yang_magnetization`) and internal energy per spin
(:func:`onsager_energy`) are the references of the tests.

Sampling
--------
Many independent Markov chains run side by side as one array ``(chains, L, L)``, each at its
own temperature. One *sweep* is

1. a checkerboard Metropolis sweep: all spins of one sublattice are proposed at once (their
   neighbours all lie on the other sublattice, so the updates are independent), a flip costing
   :math:`\\Delta E = 2 J s_i \\sum_{nn} s_j` is accepted with probability
   :math:`\\min(1, e^{-\\Delta E / T})`, then the other sublattice;
2. for chains with ``T < cluster_t_max`` also one Swendsen-Wang cluster update: bonds between
   equal neighbouring spins are activated with probability :math:`p = 1 - e^{-2J/T}`, the
   connected clusters are found (``scipy.sparse.csgraph``) and each is flipped with
   probability 1/2. Both steps obey detailed balance, so their product does too; the cluster
   step beats critical slowing down near T_c and removes the long-lived striped domains a
   quench to low T leaves behind.

Chains start from random spins, run ``equilibration`` sweeps, then store a configuration every
``decorrelation`` sweeps, ``samples_per_chain`` times. Samples of one chain are stored next to
each other, so a split at a multiple of ``samples_per_chain`` keeps chains apart.
Temperatures are uniform in ``[t_min, t_max]``; the default range ``[1.0, 2 T_c - 1.0]``
is symmetric around T_c, so the phases T < T_c and T > T_c are balanced.
"""

from __future__ import annotations

import numpy as np

from ..validation import ParameterError, check_count, check_float, check_int, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

T_C = float(2.0 / np.log1p(np.sqrt(2.0)))
"""Onsager's critical temperature of the infinite square lattice, 2.26918... (J = k_B = 1)."""
T_MIN = 1.0
"""Default lowest temperature."""
T_MAX = 2.0 * T_C - T_MIN
"""Default highest temperature, 3.5384, so that [T_MIN, T_MAX] is symmetric around T_C."""
CLUSTER_T_MAX = T_C + 0.5
"""Default: chains colder than this also get Swendsen-Wang cluster updates."""
MAX_TEMPERATURE = 1000.0
"""Highest temperature, J/k_B (deep in the paramagnet: every spin is a coin flip)."""
MAX_L = 256
"""Largest linear lattice size (the book uses 32)."""
MAX_SWEEPS = 100_000
"""Most sweeps for equilibration or between stored configurations."""
MAX_SAMPLES_PER_CHAIN = 100_000
"""Most configurations stored per chain."""


def yang_magnetization(temperature: np.ndarray | float) -> np.ndarray:
    """Exact spontaneous magnetisation per spin of the infinite lattice (Onsager/Yang).

    .. math:: m(T) = \\left(1 - \\sinh(2J/T)^{-4}\\right)^{1/8} \\text{ for } T < T_c, \\quad 0 \\text{ above.}

    Parameters
    ----------
    temperature : float or array
        Temperature T > 0 in units of J / k_B.
    """
    t = _check_temperatures(temperature)
    inner = np.clip(1.0 - np.sinh(2.0 / t) ** -4.0, 0.0, None)
    return np.where(t < T_C, inner**0.125, 0.0)


def onsager_energy(temperature: np.ndarray | float) -> np.ndarray:
    """Exact internal energy per spin of the infinite lattice (Onsager), in units of J.

    .. math::
        u(T) = -J \\coth(2\\beta J)\\left[1 + \\frac{2}{\\pi}\\left(2\\tanh^2(2\\beta J) - 1\\right)
        K(\\kappa)\\right], \\qquad \\kappa = \\frac{2\\sinh(2\\beta J)}{\\cosh^2(2\\beta J)},

    with :math:`\\beta = 1/T` and the complete elliptic integral of the first kind
    :math:`K(\\kappa) = \\int_0^{\\pi/2} d\\theta / \\sqrt{1 - \\kappa^2\\sin^2\\theta}`.
    At T_c the singular term vanishes and :math:`u = -\\sqrt 2`.
    """
    from scipy.special import ellipk

    t = _check_temperatures(temperature)
    x = 2.0 / t
    kappa = 2.0 * np.sinh(x) / np.cosh(x) ** 2
    factor = 2.0 * np.tanh(x) ** 2 - 1.0
    singular = np.where(factor == 0.0, 0.0, factor * ellipk(np.minimum(kappa**2, 1.0 - 1e-16)))
    return -(1.0 / np.tanh(x)) * (1.0 + 2.0 / np.pi * singular)


def magnetization(configs: np.ndarray) -> np.ndarray:
    """Magnetisation per spin :math:`m = \\frac{1}{L^2}\\sum_i s_i` of each configuration.

    Parameters
    ----------
    configs : (..., L, L) array of +-1

    Returns
    -------
    (...) float64
    """
    configs = np.asarray(configs)
    return configs.sum(axis=(-2, -1), dtype=np.int64) / (configs.shape[-1] * configs.shape[-2])


def energy(configs: np.ndarray) -> np.ndarray:
    """Energy per spin :math:`H / L^2` (J = 1, periodic boundaries) of each configuration.

    Parameters
    ----------
    configs : (..., L, L) array of +-1

    Returns
    -------
    (...) float64
    """
    s = np.asarray(configs).astype(np.int64)
    bonds = s * np.roll(s, 1, axis=-1) + s * np.roll(s, 1, axis=-2)
    return -bonds.sum(axis=(-2, -1)) / (s.shape[-1] * s.shape[-2])


def susceptibility(configs: np.ndarray, temperature: float) -> float:
    """Magnetic susceptibility per spin from configurations sampled at one temperature.

    .. math:: \\chi = \\frac{L^2}{T}\\left(\\langle m^2 \\rangle - \\langle |m| \\rangle^2\\right)

    (the finite-lattice estimator with :math:`|m|`, which peaks near T_c).

    Parameters
    ----------
    configs : (n, L, L) array of +-1
        Equilibrium configurations at ``temperature``.
    temperature : float
        Temperature, > 0.
    """
    (t,) = np.atleast_1d(_check_temperatures(temperature))
    configs = np.asarray(configs)
    m = magnetization(configs)
    return float(configs.shape[-1] * configs.shape[-2] * (np.mean(m**2) - np.mean(np.abs(m)) ** 2) / t)


def _check_temperatures(temperature) -> np.ndarray:
    t = np.asarray(temperature, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t <= 0):
        raise ValueError(f"temperatures must be finite and > 0, got {temperature}")
    return t


def _check_size(size: int) -> int:
    size = check_int(size, "L", low=2, high=MAX_L)
    if size % 2:
        raise ParameterError("L", f"an even integer >= 2 and <= {MAX_L} (checkerboard updates)", size)
    return size


def _check_sweeps(equilibration: int, decorrelation: int, samples_per_chain: int) -> tuple[int, int, int]:
    return (
        check_int(equilibration, "equilibration", low=0, high=MAX_SWEEPS),
        check_int(decorrelation, "decorrelation", low=1, high=MAX_SWEEPS),
        check_count(samples_per_chain, "samples_per_chain", high=MAX_SAMPLES_PER_CHAIN),
    )


class _Chains:
    """A batch of Ising chains ``(chains, L, L)`` int8 at temperatures ``(chains,)``."""

    def __init__(self, temperatures: np.ndarray, size: int, rng: np.random.Generator, cluster_t_max: float):
        self.t = temperatures
        self.rng = rng
        chains = len(temperatures)
        self.spins = rng.choice(np.array([-1, 1], dtype=np.int8), (chains, size, size))
        parity = np.add.outer(np.arange(size), np.arange(size)) % 2
        self.sublattices = [parity == 0, parity == 1]
        # acceptance exp(-dE/T) of a flip with s_i * sum_nn s_j = 2 (dE = 4J) and 4 (dE = 8J)
        self.accept_4 = np.exp(-4.0 / temperatures).astype(np.float32)[:, None, None]
        self.accept_8 = np.exp(-8.0 / temperatures).astype(np.float32)[:, None, None]
        self.cold = np.flatnonzero(temperatures < cluster_t_max)
        self.p_bond = (1.0 - np.exp(-2.0 / temperatures[self.cold]))[:, None, None]

    def metropolis(self) -> None:
        """One checkerboard Metropolis sweep of every chain."""
        s = self.spins
        # one uniform per site serves both half-sweeps: each site is proposed only once
        u = self.rng.random(s.shape, dtype=np.float32)
        pass_4, pass_8 = u < self.accept_4, u < self.accept_8
        for sublattice in self.sublattices:
            field = np.roll(s, 1, 1)
            field += np.roll(s, -1, 1)
            field += np.roll(s, 1, 2)
            field += np.roll(s, -1, 2)
            field *= s
            flip = np.where(field == 2, pass_4, field <= 0)
            flip |= (field == 4) & pass_8
            flip &= sublattice
            np.negative(s, out=s, where=flip)

    def swendsen_wang(self) -> None:
        """One Swendsen-Wang cluster update of the chains colder than ``cluster_t_max``."""
        if len(self.cold) == 0:
            return
        s = self.spins[self.cold]
        clusters = swendsen_wang_clusters(s, self.p_bond, self.rng)
        flip = self.rng.random(clusters.max() + 1) < 0.5
        np.negative(s, out=s, where=flip[clusters])
        self.spins[self.cold] = s

    def sweep(self, count: int) -> None:
        for _ in range(count):
            self.metropolis()
            self.swendsen_wang()


def swendsen_wang_clusters(spins: np.ndarray, p_bond: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fortuin-Kasteleyn clusters of a batch of periodic configurations.

    Equal neighbours are bonded with probability ``p_bond``. The bonds are drawn on a
    ``(2L, 2L)`` grid per chain (sites at even-even pixels, bonds between them), which
    ``scipy.ndimage.label`` labels in one call; the bonds that wrap around the periodic
    boundary then merge labels with ``scipy.sparse.csgraph.connected_components``.

    Parameters
    ----------
    spins : (chains, L, L) int8 +-1
    p_bond : (chains, 1, 1) float
        Probability ``1 - exp(-2J/T)`` to bond two equal neighbours.
    rng : numpy.random.Generator

    Returns
    -------
    (chains, L, L) int
        Cluster label of every spin; labels are unique across the whole batch.
    """
    from scipy import ndimage
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    chains, size, _ = spins.shape
    p_bond = np.asarray(p_bond, dtype=np.float32)
    right = (spins == np.roll(spins, -1, 2)) & (rng.random(spins.shape, dtype=np.float32) < p_bond)
    down = (spins == np.roll(spins, -1, 1)) & (rng.random(spins.shape, dtype=np.float32) < p_bond)
    grid = np.zeros((chains, 2 * size, 2 * size), dtype=bool)
    grid[:, 0::2, 0::2] = True
    grid[:, 0::2, 1::2] = right
    grid[:, 1::2, 0::2] = down
    labels, count = ndimage.label(grid, _IN_PLANE)
    site = labels[:, 0::2, 0::2]
    wrap_right, wrap_down = right[:, :, -1], down[:, -1, :]
    a = np.concatenate([site[:, :, -1][wrap_right], site[:, -1, :][wrap_down]])
    b = np.concatenate([site[:, :, 0][wrap_right], site[:, 0, :][wrap_down]])
    graph = coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(count + 1, count + 1))
    _, merged = connected_components(graph, directed=False)
    return merged[site]


_IN_PLANE = np.zeros((3, 3, 3), dtype=bool)
_IN_PLANE[1] = [[False, True, False], [True, True, True], [False, True, False]]
"""Connectivity for ``ndimage.label``: 4 neighbours within a chain, none across chains."""


def run_chains(
    temperatures: np.ndarray,
    samples_per_chain: int,
    *,
    rng: np.random.Generator,
    L: int = 32,
    equilibration: int = 200,
    decorrelation: int = 10,
    cluster_t_max: float = CLUSTER_T_MAX,
) -> np.ndarray:
    """Sample configurations from independent chains, one chain per temperature.

    Parameters
    ----------
    temperatures : (chains,) float
        Temperature of each chain, > 0, in units of J / k_B.
    samples_per_chain
        Configurations stored per chain.
    rng
        Random generator (the only source of randomness).
    L
        Linear lattice size, even, in [2, :data:`MAX_L`].
    equilibration
        Sweeps before the first stored configuration, in [0, :data:`MAX_SWEEPS`].
    decorrelation
        Sweeps between stored configurations, in [1, :data:`MAX_SWEEPS`].
    cluster_t_max
        Chains with T below this (finite, >= 0) also get a Swendsen-Wang update per sweep;
        0 gives pure Metropolis, a value above every temperature cluster updates everywhere.

    Returns
    -------
    (chains, samples_per_chain, L, L) int8
        Spins +-1.
    """
    t = np.atleast_1d(_check_temperatures(temperatures)).astype(float)
    if t.ndim != 1:
        raise ValueError(f"temperatures must be one-dimensional, got shape {t.shape}")
    size = _check_size(L)
    equilibration, decorrelation, samples_per_chain = _check_sweeps(equilibration, decorrelation, samples_per_chain)
    cluster_t_max = check_float(cluster_t_max, "cluster_t_max", low=0)
    chains = _Chains(t, size, rng, cluster_t_max)
    chains.sweep(equilibration)
    out = np.empty((len(t), samples_per_chain, size, size), dtype=np.int8)
    for i in range(samples_per_chain):
        chains.sweep(decorrelation)
        out[:, i] = chains.spins
    return out


def simulate(
    n: int,
    *,
    seed: int = 0,
    L: int = 32,
    t_min: float = T_MIN,
    t_max: float = T_MAX,
    equilibration: int = 200,
    decorrelation: int = 10,
    samples_per_chain: int = 10,
    cluster_t_max: float = CLUSTER_T_MAX,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` equilibrium Ising configurations at temperatures uniform in [t_min, t_max].

    Parameters
    ----------
    n
        Number of configurations (the book's companion file has 26,000).
    seed
        Random seed.
    L
        Linear lattice size (even, in [2, :data:`MAX_L`]; the book uses 32).
    t_min, t_max
        Temperature range, J / k_B; 0 < t_min <= t_max <= :data:`MAX_TEMPERATURE`. The default [1.0, 3.538] is
        symmetric around T_c = 2.269, so half of the configurations are ordered.
    equilibration
        Sweeps from a random start before the first stored configuration.
    decorrelation
        Sweeps between stored configurations of one chain.
    samples_per_chain
        Configurations stored per chain (all at the chain's temperature, stored consecutively).
    cluster_t_max
        Chains colder than this also get one Swendsen-Wang update per sweep (default T_c + 0.5).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``C`` (n, L, L) int8, spins +-1; ``T`` (n,) float64, temperature of each configuration.
    """
    check_seed(seed)
    L = _check_size(L)
    equilibration, decorrelation, samples_per_chain = _check_sweeps(equilibration, decorrelation, samples_per_chain)
    t_min = check_float(t_min, "t_min", low=0, high=MAX_TEMPERATURE, low_open=True)
    t_max = check_float(t_max, "t_max", low=t_min, high=MAX_TEMPERATURE)
    cluster_t_max = check_float(cluster_t_max, "cluster_t_max", low=0)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        chains = -(-k // samples_per_chain)
        t = rng.uniform(t_min, t_max, chains)
        configs = run_chains(
            t,
            samples_per_chain,
            rng=rng,
            L=L,
            equilibration=equilibration,
            decorrelation=decorrelation,
            cluster_t_max=cluster_t_max,
        )
        return {"C": configs.reshape(-1, L, L)[:k], "T": np.repeat(t, samples_per_chain)[:k]}

    return generate(sample, n, seed=seed, chunk_size=2000, progress=progress, desc="ising")


SPEC = register(
    DatasetSpec(
        name="ising",
        summary="2D Ising spin configurations across T_c, Metropolis + Swendsen-Wang (Ex. 7.1, 8.1, 12.3)",
        simulate=simulate,
        default_n=26_000,
        version=1,
        arrays="C (n, L, L) int8 +-1; T (n,) temperature in J/k_B",
        sample_bytes=lambda L, **_: L * L + 8,
        params=(
            Param("L", int, 32, "linear lattice size (even)"),
            Param("t_min", float, T_MIN, "lowest temperature, J/k_B"),
            Param("t_max", float, T_MAX, "highest temperature, J/k_B (default symmetric around T_c)"),
            Param("equilibration", int, 200, "sweeps before the first stored configuration"),
            Param("decorrelation", int, 10, "sweeps between stored configurations"),
            Param("samples_per_chain", int, 10, "configurations stored per chain"),
            Param("cluster_t_max", float, CLUSTER_T_MAX, "chains below this T also get Swendsen-Wang updates"),
        ),
    )
)
