"""
Five small physics data sets at a glance
========================================

One panel for each of the smaller simulators of ``dlpbook.data``: toy jet images of
one-, two- and three-prong jets with their N-subjettiness ratio (the book's anomaly and
autoencoder examples), the Maxwell-Boltzmann speeds of a helium gas against the exact
density (Examples 14.3 and 14.4), phase-space trajectories of a pendulum (the Hamiltonian
networks of Example 14.5), the mass-like feature whose correlations Exercise 13.1 removes,
and Zachary's karate club with its four groups (Exercise 16.1). Each data set gets its own
figure.
"""

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np

from dlpbook import data
from dlpbook.data import gas, jets

# %%
# Jet images: the average image of each class and the separation by tau_21 = tau_2 / tau_1.
# The images are centred on the jet axis but not rotated, so the prongs of single jets,
# pointing in random directions, average out into discs whose size grows with the number
# of prongs.
sample = data.simulate("jets", 1500, seed=0)
names = ("QCD (one prong)", "two-prong (W-like)", "three-prong (top-like)")
fig, axes = plt.subplots(1, 4, figsize=(11, 3.3), layout="constrained")
for label, (name, ax) in enumerate(zip(names, axes)):
    mean_image = sample["images"][sample["label"] == label].mean(axis=0)
    ax.imshow(mean_image + 1e-3, norm="log", cmap="magma", extent=(-1, 1, -1, 1), origin="lower")
    ax.set_title(f"{name}\nmean image", fontsize="medium")
    ax.set_xlabel(r"$\Delta\eta$")
    ax.set_ylabel(r"$\Delta\phi$")
ax = axes[3]
tau21 = jets.n_subjettiness(sample["images"], 2) / jets.n_subjettiness(sample["images"], 1)
for label, name in enumerate(names[:2]):
    ax.hist(tau21[sample["label"] == label], bins=30, range=(0, 1), histtype="step", density=True, label=name)
ax.set_xlabel(r"$\tau_{21} = \tau_2 / \tau_1$")
ax.set_ylabel("density")
ax.legend(fontsize="small")
plt.show()

# %%
# Maxwell-Boltzmann: speeds of helium atoms at 300 K and the exact density.
fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
speed = data.simulate("maxwell_boltzmann", 20_000, seed=1, temperature_k=300.0)["speed"]
ax.hist(speed, bins=60, density=True, alpha=0.5, label="20,000 simulated atoms")
grid_speed = np.linspace(0, speed.max(), 300)
ax.plot(grid_speed, gas.maxwell_boltzmann_pdf(grid_speed, 300.0), color="black", label="Maxwell-Boltzmann, 300 K")
ax.set_xlabel("speed (m/s)")
ax.set_ylabel("probability density (s/m)")
ax.set_title("helium gas", fontsize="medium")
ax.legend()
plt.show()

# %%
# Pendulum trajectories in phase space: closed orbits of constant energy.
fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
orbits = data.simulate("oscillators", 8, seed=2, system="pendulum", n_steps=200, dt=0.05)
for q, p, energy in zip(orbits["q"], orbits["p"], orbits["energy"]):
    ax.plot(q, p, lw=1, label=f"H = {energy:.2f}")
ax.set_xlabel("angle q (rad)")
ax.set_ylabel("momentum p (m = l = 1)")
ax.set_title("pendulum trajectories", fontsize="medium")
ax.legend(fontsize="small", ncol=2)
plt.show()

# %%
# The decorrelation toy: the mass-like feature of signal and background.
fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
toy = data.simulate("decorrelation", 20_000, seed=3)
for label, name in ((0, "background"), (1, "signal")):
    ax.hist(toy["x"][toy["label"] == label, 0], bins=60, range=(0, 300), histtype="step", label=name)
ax.set_xlabel("mass-like feature m (GeV)")
ax.set_ylabel("events / 5 GeV")
ax.set_title("decorrelation toy (Exercise 13.1)", fontsize="medium")
ax.legend()
plt.show()

# %%
# Zachary's karate club, coloured by the four groups of Exercise 16.1.
fig, ax = plt.subplots(figsize=(6.4, 5), layout="constrained")
club = data.simulate("karate_club", 1)
graph = nx.from_numpy_array(club["adj"])
groups = np.argmax(club["labels_one_hot"], axis=1)
nx.draw_networkx(graph, pos=nx.spring_layout(graph, seed=4), ax=ax, node_color=groups, cmap="tab10",
                 vmin=0, vmax=9, node_size=240, font_size=8, edge_color="0.7")
ax.set_title("karate club: 34 members, 78 friendships, 4 groups", fontsize="medium")
ax.set_axis_off()
plt.show()
