"""Time the Ising simulator against a plain single-spin Metropolis loop, and print the figures.

1. The quick-profile set: ``dlpbook.data.ising.simulate(10_000, seed=0)`` (32 x 32, default
   schedule: 200 equilibration sweeps, 10 configurations per chain 10 sweeps apart, Metropolis
   plus Swendsen-Wang below T_c + 0.5). Target (issue 3): under 60 s on one core.
2. Spin-flip attempts per CPU second of the batched checkerboard Metropolis sweep (all chains, no
   cluster step) and of a plain Python loop that visits random sites of one lattice one at a
   time, and the configurations per second each would give with the same number of sweeps per
   stored configuration.

Usage: ``.venv/bin/python benchmarks/ising_speed.py``
"""

from __future__ import annotations

import math
import platform
import time

import numpy as np

from dlpbook import config
from dlpbook.data import ising

N_QUICK = 10_000
L = 32
SWEEPS_PER_CONFIG = (200 + 10 * 10) / 10
"""Default schedule: (equilibration + samples_per_chain * decorrelation) / samples_per_chain."""


def plain_metropolis(spins: np.ndarray, temperature: float, attempts: int, rng: np.random.Generator) -> None:
    """Single-spin Metropolis on one periodic lattice, one random site per step, in pure Python."""
    size = spins.shape[0]
    grid = spins.tolist()
    sites = rng.integers(0, size, (attempts, 2)).tolist()
    uniforms = rng.random(attempts).tolist()
    for (i, j), u in zip(sites, uniforms, strict=True):
        s = grid[i][j]
        field = grid[(i + 1) % size][j] + grid[i - 1][j] + grid[i][(j + 1) % size] + grid[i][j - 1]
        delta_e = 2.0 * s * field
        if delta_e <= 0 or u < math.exp(-delta_e / temperature):
            grid[i][j] = -s
    spins[:] = grid


def main() -> None:
    print(f"{config.describe()}; python {platform.python_version()}, numpy {np.__version__}")

    start, cpu_start = time.perf_counter(), time.process_time()
    out = ising.simulate(N_QUICK, seed=0)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"quick-profile set: {N_QUICK} configurations of {L} x {L} in {elapsed:.1f} s wall, {cpu:.1f} s CPU "
          f"({N_QUICK / cpu:.0f} configurations per CPU second; target < 60 s on one core); "
          f"T in [{out['T'].min():.3f}, {out['T'].max():.3f}], "
          f"fraction T > T_c = {np.mean(out['T'] > ising.T_C):.3f}")

    rng = np.random.default_rng(1)
    temperatures = rng.uniform(ising.T_MIN, ising.T_MAX, 1000)
    sweeps = 20
    start = time.process_time()
    ising.run_chains(temperatures, 1, rng=rng, L=L, equilibration=sweeps - 1, decorrelation=1, cluster_t_max=0.0)
    batched = sweeps * temperatures.size * L * L / (time.process_time() - start)

    spins = rng.choice(np.array([-1, 1], dtype=np.int8), (L, L))
    attempts = 20 * L * L
    start = time.process_time()
    plain_metropolis(spins, 2.5, attempts, rng)
    plain = attempts / (time.process_time() - start)

    per_config = SWEEPS_PER_CONFIG * L * L
    print(f"checkerboard Metropolis, 1000 chains: {batched:.3g} spin flips/s "
          f"= {batched / per_config:.0f} configurations/s at {SWEEPS_PER_CONFIG:.0f} sweeps/configuration")
    print(f"plain single-spin loop (Python):      {plain:.3g} spin flips/s "
          f"= {plain / per_config:.1f} configurations/s at {SWEEPS_PER_CONFIG:.0f} sweeps/configuration")
    print(f"speed-up of the batched sweep: {batched / plain:.0f}x")
    print("command: .venv/bin/python benchmarks/ising_speed.py")


if __name__ == "__main__":
    main()
