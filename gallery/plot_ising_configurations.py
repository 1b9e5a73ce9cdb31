"""
Ising configurations across the phase transition
================================================

The top row shows 32 x 32 spin configurations of the 2D Ising model (J = 1, k_B = 1,
periodic boundaries) from ``dlpbook.data.ising``, the simulator behind the book's phase
classification exercises (Ex. 7.1, 8.1, 12.3). Below T_c = 2.269 almost all spins point one way;
at T_c domains of every size appear; above it the spins decorrelate into a fine salt-and-pepper
pattern. The bottom panel compares the mean absolute magnetisation per spin of the simulated
chains with Yang's exact spontaneous magnetisation of the infinite lattice: they agree below
T_c, while the finite lattice keeps a rounded tail above it that shrinks only like 1/L.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook.data import ising

rng = np.random.default_rng(0)
shown = np.array([1.5, 2.1, ising.T_C, 2.5, 3.5])
snapshots = ising.run_chains(shown, 1, rng=rng, equilibration=100, decorrelation=1)[:, 0]

grid = np.linspace(1.2, 3.5, 24)
configs = ising.run_chains(np.repeat(grid, 6), 10, rng=rng, equilibration=60, decorrelation=3)
abs_m = np.abs(ising.magnetization(configs)).reshape(len(grid), -1)

fig = plt.figure(figsize=(10, 6.5), layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.3])
for ax, spins, t in zip(top.subplots(1, len(shown)), snapshots, shown, strict=True):
    ax.imshow(spins, cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_title(f"T = {t:.3f}" + (" (T$_c$)" if t == ising.T_C else ""))
    ax.set_xticks([])
    ax.set_yticks([])
top.suptitle("32 x 32 configurations (white: s = +1, black: s = -1)")

ax = bottom.subplots()
fine = np.linspace(1.0, 3.5, 400)
ax.plot(fine, ising.yang_magnetization(fine), "k-", label="Yang, infinite lattice")
ax.errorbar(
    grid,
    abs_m.mean(axis=1),
    yerr=abs_m.std(axis=1) / np.sqrt(abs_m.shape[1]),
    fmt="o",
    color="C1",
    label="simulation, L = 32 (6 chains x 10 samples)",
)
ax.axvline(ising.T_C, color="gray", ls="--", label="T$_c$ = 2.269")
ax.set_xlabel("temperature T (J / k$_B$)")
ax.set_ylabel("mean |m| per spin")
ax.legend()
plt.show()
