"""Time the Ising simulator against a plain single-spin Metropolis loop, at equal statistical quality.

1. The quick-profile set: ``dlpbook.data.ising.simulate(10_000, seed=0)`` (32 x 32, default
   schedule: 200 equilibration sweeps, 10 configurations per chain 10 sweeps apart, Metropolis
   plus Swendsen-Wang below T_c + 0.5). Target (issue 3): under 60 s on one core.
2. Raw speed at T_c: spin-flip attempts per CPU second of the batched checkerboard Metropolis
   sweep (1000 chains, no cluster step), of the simulator's full sweep (checkerboard Metropolis
   plus one Swendsen-Wang update, 1000 chains) and of a plain Python loop that visits random
   sites of one lattice one at a time. Each is timed in ``REPEATS`` repeats of at least
   ``MIN_SECONDS`` CPU seconds; the median repeat is reported.
3. Statistical quality near T_c (T = 2.269, L = 32, the lattice of the exercises in both
   profiles): the integrated autocorrelation time ``tau_int`` of ``|m|`` and of the energy per
   spin, in sweeps, for the three updates, and from it the independent samples per CPU second,
   ``sweeps per second / (2 tau_int)``. The chains start from configurations equilibrated with
   Swendsen-Wang, so no equilibration is wasted; tau_int comes from Sokal's automatic windowing
   of the autocorrelation function averaged over the chains (:func:`integrated_autocorrelation`),
   checked first on an AR(1) process with a known tau_int.

Usage: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/ising_speed.py`` (about 4 minutes on one core).
"""

from __future__ import annotations

import math
import platform
import statistics
import time

import numpy as np

from dlpbook import config
from dlpbook.data import ising

N_QUICK = 10_000
L = 32
SWEEPS_PER_CONFIG = (200 + 10 * 10) / 10
"""Default schedule: (equilibration + samples_per_chain * decorrelation) / samples_per_chain."""
MIN_SECONDS = 2.0
"""Shortest timed repeat, CPU seconds."""
REPEATS = 3
"""Timed repeats per throughput figure (median reported)."""
WINDOW_C = 10.0
"""Sokal's window constant: the sum over lags stops at the first W >= WINDOW_C * tau_int(W). The
energy of Metropolis chains near T_c couples to the slow magnetisation mode, so its autocorrelation
has a long tail: a window of 5 tau_int misses about 15 % of its tau_int, 10 tau_int about 5 %."""
EQUILIBRATION = 100
"""Metropolis + Swendsen-Wang sweeps from random spins to equilibrium at T_c (tau_int about 3 sweeps)."""


def integrated_autocorrelation(series: np.ndarray, c: float = WINDOW_C) -> tuple[float, int, float]:
    """Integrated autocorrelation time of stationary series, with Sokal's automatic window.

    ``tau_int = 1/2 + sum_{t=1}^{W} rho(t)``, where ``rho`` is the normalised autocorrelation
    function averaged over the independent chains (rows of ``series``, all from one equilibrium
    distribution, so one common mean), and ``W`` is the smallest lag with ``W >= c tau_int(W)``.
    With this definition ``2 tau_int`` samples are worth one independent sample.

    Parameters
    ----------
    series : (chains, n) float
        One time series per chain.
    c : float
        Window constant (Sokal: 4-10, the larger the longer the tail of the autocorrelation).

    Returns
    -------
    tau_int : float
        In steps of the series.
    window : int
        The chosen window W.
    error : float
        Madras-Sokal statistical error ``tau_int sqrt(2 (2W + 1) / (chains n))``.
    """
    x = np.atleast_2d(np.asarray(series, dtype=float))
    chains, n = x.shape
    x = x - x.mean()
    size = 1 << (2 * n - 1).bit_length()  # zero padding: no circular wrap-around
    spectrum = np.fft.rfft(x, size, axis=1)
    autocovariance = np.fft.irfft(spectrum * spectrum.conj(), size, axis=1)[:, :n].sum(axis=0)
    autocovariance /= chains * (n - np.arange(n))
    rho = autocovariance / autocovariance[0]
    tau = 0.5 + np.cumsum(rho[1:])  # tau[w - 1] = tau_int with window w
    lags = np.arange(1, n)
    stop = np.flatnonzero(lags >= c * tau)
    if stop.size == 0:
        raise ValueError(f"series of {n} steps too short for a window of {c} tau_int (tau_int > {tau[-1]:.0f})")
    window = int(lags[stop[0]])
    value = float(tau[window - 1])
    return value, window, value * math.sqrt(2.0 * (2 * window + 1) / (chains * n))


def ar1_check(rng: np.random.Generator) -> str:
    """Estimate tau_int of an AR(1) process x_t = rho x_{t-1} + noise, known: (1 + rho) / (2 (1 - rho))."""
    rho, chains, n = 0.95, 50, 50_000
    noise = rng.standard_normal((chains, n))
    x = np.empty_like(noise)
    x[:, 0] = noise[:, 0] / math.sqrt(1.0 - rho**2)  # start in the stationary distribution
    for t in range(1, n):
        x[:, t] = rho * x[:, t - 1] + noise[:, t]
    tau, window, error = integrated_autocorrelation(x)
    exact = (1.0 + rho) / (2.0 * (1.0 - rho))
    return (f"estimator check, AR(1) with rho = {rho}: tau_int = {tau:.2f} +- {error:.2f} (W = {window}), "
            f"exact {exact:.2f}")


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


def timed_repeats(step, work_per_step: float) -> float:
    """Median work per CPU second over REPEATS repeats of ``step()`` calls lasting >= MIN_SECONDS each."""
    rates = []
    for _ in range(REPEATS):
        calls, start = 0, time.process_time()
        while (elapsed := time.process_time() - start) < MIN_SECONDS or calls == 0:
            step()
            calls += 1
        rates.append(calls * work_per_step / elapsed)
    return statistics.median(rates)


def equilibrated_chains(chains: int, rng: np.random.Generator) -> ising._Chains:
    """``chains`` lattices at T_c brought to equilibrium by EQUILIBRATION Metropolis + Swendsen-Wang sweeps.

    Uses the simulator's batch of chains directly, since ``run_chains`` always starts from random
    spins and cannot switch the cluster step off after equilibration.
    """
    batch = ising._Chains(np.full(chains, ising.T_C), L, rng, cluster_t_max=np.inf)
    batch.sweep(EQUILIBRATION)
    return batch


def observables(spins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """|m| and energy per spin of configurations (..., L, L)."""
    return np.abs(ising.magnetization(spins)), ising.energy(spins)


def batched_series(batch: ising._Chains, sweeps: int, step) -> tuple[np.ndarray, np.ndarray]:
    """|m| and energy per spin (chains, sweeps) after each call of ``step``."""
    abs_m = np.empty((len(batch.t), sweeps))
    energy = np.empty_like(abs_m)
    for i in range(sweeps):
        step()
        abs_m[:, i], energy[:, i] = observables(batch.spins)
    return abs_m, energy


def plain_series(start: np.ndarray, sweeps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """|m| and energy per spin (chains, sweeps) of plain-loop chains from ``start`` (chains, L, L).

    A sweep is L * L attempts at random sites.
    """
    abs_m = np.empty((len(start), sweeps))
    energy = np.empty_like(abs_m)
    for c, spins in enumerate(start.copy()):
        for i in range(sweeps):
            plain_metropolis(spins, ising.T_C, L * L, rng)
            abs_m[c, i], energy[c, i] = observables(spins)
    return abs_m, energy


def quality_line(name: str, flips_per_s: float, abs_m: np.ndarray, energy: np.ndarray) -> tuple[str, float, float]:
    """Printed lines: tau_int of |m| and E, and the independent samples per CPU second from the larger one.

    Returns the lines, the independent samples per second and the larger tau_int.
    """
    tau_m, w_m, err_m = integrated_autocorrelation(abs_m)
    tau_e, w_e, err_e = integrated_autocorrelation(energy)
    tau, error = max((tau_m, err_m), (tau_e, err_e))
    sweeps_per_s = flips_per_s / (L * L)
    independent = sweeps_per_s / (2.0 * tau)
    chains, n = abs_m.shape
    return (
        f"{name} ({chains} chains x {n} sweeps): tau_int |m| = {tau_m:.1f} +- {err_m:.1f} sweeps (W = {w_m}), "
        f"E = {tau_e:.1f} +- {err_e:.1f} (W = {w_e})\n"
        f"    {sweeps_per_s:.0f} sweeps/s / (2 x {tau:.1f}) = {independent:.3g} +- {independent * error / tau:.2g} "
        f"independent samples/s"
    ), independent, tau


def main() -> None:
    print(f"{config.describe()}; python {platform.python_version()}, numpy {np.__version__}")
    rng = np.random.default_rng(1)
    print(ar1_check(rng))

    start, cpu_start = time.perf_counter(), time.process_time()
    out = ising.simulate(N_QUICK, seed=0)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"quick-profile set: {N_QUICK} configurations of {L} x {L} in {elapsed:.1f} s wall, {cpu:.1f} s CPU "
          f"({N_QUICK / cpu:.0f} configurations per CPU second; target < 60 s on one core); "
          f"T in [{out['T'].min():.3f}, {out['T'].max():.3f}], "
          f"fraction T > T_c = {np.mean(out['T'] > ising.T_C):.3f}")

    print(f"\nraw speed (median of {REPEATS} repeats of >= {MIN_SECONDS:.0f} CPU s each):")
    at_tc = equilibrated_chains(1000, rng)
    metropolis = timed_repeats(at_tc.metropolis, 1000 * L * L)
    with_clusters = timed_repeats(lambda: at_tc.sweep(1), 1000 * L * L)
    spins = at_tc.spins[0].copy()
    plain = timed_repeats(lambda: plain_metropolis(spins, ising.T_C, 100 * L * L, rng), 100 * L * L)
    per_config = SWEEPS_PER_CONFIG * L * L
    print(f"checkerboard Metropolis, 1000 chains at T_c:           {metropolis:.3g} spin flips/s "
          f"= {metropolis / per_config:.0f} configurations/s at {SWEEPS_PER_CONFIG:.0f} sweeps/configuration")
    print(f"Metropolis + Swendsen-Wang, 1000 chains at T_c:        {with_clusters:.3g} spin flips/s "
          f"= {with_clusters / per_config:.0f} configurations/s at {SWEEPS_PER_CONFIG:.0f} sweeps/configuration")
    print(f"plain single-spin loop (Python), one lattice at T_c:   {plain:.3g} spin flips/s "
          f"= {plain / per_config:.1f} configurations/s at {SWEEPS_PER_CONFIG:.0f} sweeps/configuration")
    print(f"raw speed-up of the batched Metropolis sweep: {metropolis / plain:.0f}x")

    print(f"\nequal statistical quality at T_c = {ising.T_C:.3f}, L = {L} "
          f"(tau_int in sweeps, Sokal window c = {WINDOW_C:.0f}):")
    batch = equilibrated_chains(64, rng)
    line_metropolis, ind_metropolis, _ = quality_line(
        "checkerboard Metropolis", metropolis, *batched_series(batch, 12_000, batch.metropolis)
    )
    print(line_metropolis, flush=True)
    batch = equilibrated_chains(64, rng)
    line_clusters, ind_clusters, tau_clusters = quality_line(
        "Metropolis + Swendsen-Wang", with_clusters, *batched_series(batch, 1_000, lambda: batch.sweep(1))
    )
    print(line_clusters, flush=True)
    abs_m, energy = plain_series(equilibrated_chains(12, rng).spins, 15_000, rng)
    line_plain, ind_plain, _ = quality_line("plain single-spin loop (Python)", plain, abs_m, energy)
    print(line_plain)
    print(f"independent samples per CPU second relative to the plain loop: checkerboard Metropolis "
          f"{ind_metropolis / ind_plain:.0f}x, Metropolis + Swendsen-Wang {ind_clusters / ind_plain:.0f}x")
    print(f"the simulator's sweep (Metropolis + Swendsen-Wang below T_c + 0.5) has 2 tau_int = "
          f"{2 * tau_clusters:.1f} sweeps at T_c; it stores configurations 10 sweeps apart")
    print("command: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/ising_speed.py")

if __name__ == "__main__":
    main()
