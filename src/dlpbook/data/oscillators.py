"""Phase-space trajectories of a mass on a spring and of a pendulum (book Example 14.5).

Hamiltonian neural networks (Sec. 14.5, Greydanus et al.) learn a scalar ``H(q, p)`` whose
gradients reproduce the observed time derivatives, ``dq/dt = dH/dp`` and
``dp/dt = -dH/dq`` (Eqs. 14.33, 14.34). This module supplies such observations.

Systems (dimensionless units, mass ``m = 1``)
-------------------------------------------
``spring``: ``H = k q^2 / 2 + p^2 / (2 m)`` with ``k = m = 1`` (Eq. 14.38), so ``omega = 1``.
  The exact solution ``q = A cos(omega t + phi)``, ``p = -m omega A sin(omega t + phi)``
  (Eqs. 14.36, 14.37 with a random phase ``phi``) is evaluated in closed form; energies
  ``E = k A^2 / 2`` are uniform in [0.05, 0.5].
``pendulum``: ``H = p^2 / (2 m l^2) + m g l (1 - cos q)`` with ``m = l = 1`` and ``g = 3``
  (the choice of Greydanus et al.). Energies are uniform in [0.5, 4.5], below the separatrix
  ``2 m g l = 6``, so every pendulum swings (librates). The start is a random point of the
  energy shell; the trajectory is integrated with classical Runge-Kutta (RK4) in steps of at
  most 0.005, which conserves ``H`` to about 1e-10 relative over 30 time units.

Every trajectory is sampled at ``n_steps`` times ``t = 0, dt, ..., (n_steps - 1) dt``.
Optional Gaussian observation noise of standard deviation ``noise_std`` is added
independently to ``q, p, dq, dp`` (Greydanus et al. use 0.1); ``energy`` stays the true one.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_choice, check_float, check_int, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

SYSTEMS = ("spring", "pendulum")
"""Supported systems."""
SPRING_K = 1.0
"""Spring constant k (mass m = 1)."""
PENDULUM_G = 3.0
"""Gravitational acceleration g of the pendulum (m = l = 1)."""
ENERGY_RANGE = {"spring": (0.05, 0.5), "pendulum": (0.5, 4.5)}
"""Range of the uniformly drawn total energy of each system."""
MAX_N_STEPS = 1_000
"""Most time samples per trajectory."""
MAX_DT = 10.0
"""Longest time between samples (the pendulum integrates it in RK4 steps of 0.005)."""
MAX_NOISE_STD = 100.0
"""Largest observation noise, about 20 times the largest amplitude."""
_MAX_RK4_STEP = 0.005


def hamiltonian(q: np.ndarray, p: np.ndarray, system: str = "spring") -> np.ndarray:
    """Total energy ``H(q, p)`` of ``system`` (Eq. 14.38 for the spring)."""
    _check_system(system)
    q, p = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    if system == "spring":
        return 0.5 * SPRING_K * q**2 + 0.5 * p**2
    return 0.5 * p**2 + PENDULUM_G * (1 - np.cos(q))


def time_derivatives(q: np.ndarray, p: np.ndarray, system: str = "spring") -> tuple[np.ndarray, np.ndarray]:
    """Hamilton's equations: ``(dq/dt, dp/dt) = (dH/dp, -dH/dq)`` (Eqs. 14.39, 14.40)."""
    _check_system(system)
    q, p = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    if system == "spring":
        return p.copy(), -SPRING_K * q
    return p.copy(), -PENDULUM_G * np.sin(q)


def _check_system(system: str) -> None:
    check_choice(system, "system", SYSTEMS)


def _rk4(q: np.ndarray, p: np.ndarray, duration: float, system: str) -> tuple[np.ndarray, np.ndarray]:
    """Advance all states by ``duration`` with fixed RK4 steps of at most ``_MAX_RK4_STEP``."""
    n_sub = max(1, int(np.ceil(duration / _MAX_RK4_STEP)))
    h = duration / n_sub
    for _ in range(n_sub):
        k1q, k1p = time_derivatives(q, p, system)
        k2q, k2p = time_derivatives(q + h / 2 * k1q, p + h / 2 * k1p, system)
        k3q, k3p = time_derivatives(q + h / 2 * k2q, p + h / 2 * k2p, system)
        k4q, k4p = time_derivatives(q + h * k3q, p + h * k3p, system)
        q = q + h / 6 * (k1q + 2 * k2q + 2 * k3q + k4q)
        p = p + h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p)
    return q, p


def _trajectories(energy: np.ndarray, start: np.ndarray, times: np.ndarray, system: str) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free ``q, p`` (k, n_steps); ``start`` (k, 2) holds uniforms that pick the start."""
    if system == "spring":
        amplitude = np.sqrt(2 * energy / SPRING_K)[:, None]
        phase = 2 * np.pi * start[:, :1] + np.sqrt(SPRING_K) * times[None, :]
        return amplitude * np.cos(phase), -np.sqrt(SPRING_K) * amplitude * np.sin(phase)
    q_max = np.arccos(1 - energy / PENDULUM_G)
    q0 = (2 * start[:, 0] - 1) * q_max
    direction = np.where(start[:, 1] < 0.5, -1.0, 1.0)
    p0 = direction * np.sqrt(np.maximum(2 * (energy - PENDULUM_G * (1 - np.cos(q0))), 0.0))
    q, p = np.empty((len(energy), len(times))), np.empty((len(energy), len(times)))
    q[:, 0], p[:, 0] = q0, p0
    for step in range(1, len(times)):
        q[:, step], p[:, step] = _rk4(q[:, step - 1], p[:, step - 1], times[step] - times[step - 1], system)
    return q, p


def simulate(
    n: int,
    *,
    seed: int = 0,
    system: str = "spring",
    n_steps: int = 30,
    dt: float = 0.2,
    noise_std: float = 0.0,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` trajectories of ``system`` with random energies and starting phases.

    Parameters
    ----------
    n
        Number of trajectories.
    seed
        Random seed.
    system
        ``"spring"`` (exact solution) or ``"pendulum"`` (RK4 integration).
    n_steps
        Time samples per trajectory, in [2, :data:`MAX_N_STEPS`].
    dt
        Time between samples, in (0, :data:`MAX_DT`] (with ``omega = 1`` a spring period is
        ``2 pi``).
    noise_std
        Standard deviation of the Gaussian observation noise on ``q, p, dq, dp``, in
        [0, :data:`MAX_NOISE_STD`].
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``q``, ``p`` (n, n_steps) float64: coordinate and momentum;
        ``dq``, ``dp`` (n, n_steps) float64: their time derivatives ``dq/dt``, ``dp/dt``
        from Hamilton's equations at the noise-free state (plus noise);
        ``t`` (n, n_steps) float64: sample times; ``energy`` (n,) float64: true total energy.
    """
    check_seed(seed)
    _check_system(system)
    n_steps = check_int(n_steps, "n_steps", low=2, high=MAX_N_STEPS)
    dt = check_float(dt, "dt", low=0, high=MAX_DT, low_open=True)
    noise_std = check_float(noise_std, "noise_std", low=0, high=MAX_NOISE_STD)
    times = dt * np.arange(n_steps)
    e_min, e_max = ENERGY_RANGE[system]

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        energy = rng.uniform(e_min, e_max, k)
        q, p = _trajectories(energy, rng.uniform(size=(k, 2)), times, system)
        dq, dp = time_derivatives(q, p, system)
        noise = rng.normal(0.0, noise_std, (4, k, n_steps))
        return {
            "q": q + noise[0],
            "p": p + noise[1],
            "dq": dq + noise[2],
            "dp": dp + noise[3],
            "t": np.broadcast_to(times, (k, n_steps)).copy(),
            "energy": energy,
        }

    return generate(sample, n, seed=seed, chunk_size=2_000, progress=progress, desc=system)


SPEC = register(
    DatasetSpec(
        name="oscillators",
        summary="mass-spring or pendulum phase-space trajectories with dq/dt, dp/dt (Example 14.5)",
        simulate=simulate,
        default_n=1_000,
        version=1,
        arrays="q, p, dq, dp, t (n, n_steps); energy (n,)",
        sample_bytes=lambda n_steps, **_: 5 * 8 * n_steps + 8,
        params=(
            Param("system", str, "spring", "oscillator", choices=SYSTEMS),
            Param("n_steps", int, 30, "time samples per trajectory"),
            Param("dt", float, 0.2, "time between samples"),
            Param("noise_std", float, 0.0, "Gaussian observation noise on q, p, dq, dp"),
        ),
    )
)
