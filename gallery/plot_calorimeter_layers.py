"""
Electron showers in a seven-layer calorimeter
=============================================

Average energy deposits of electron showers in the seven sensor layers of Fig. 18.12 (at 2.8
to 16.2 radiation lengths), for 32, 70 and 90 GeV electrons (200 showers each, 16 x 16 cells
of 8 mm). The colour scale is logarithmic and shared by all panels. Showers start narrow, reach
their maximum in the fourth or fifth layer and widen with depth; the higher the energy, the
more energy in every layer and the deeper the maximum (t_max = ln(E / E_c) - 0.5), while the
transverse size stays the same. The bottom panel shows the mean energy per layer against depth
together with the Gamma-function profile that generated it; the points lie a few per cent
below the curves because of lateral leakage out of the 128 mm window and zero suppression.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from dlpbook.data import calorimeter

energies = (32.0, 70.0, 90.0)
n_per_energy = 200
showers = calorimeter.simulate(n_per_energy * len(energies), seed=1, energies=energies)
mean_images = {e: showers["images"][showers["energy"] == e].mean(axis=0) for e in energies}
norm = LogNorm(vmin=0.05, vmax=max(image.max() for image in mean_images.values()))
half = calorimeter.FIELD_OF_VIEW_MM / 2
depths = calorimeter.LAYER_DEPTHS_X0

# seven layers side by side: a larger base font keeps the labels legible at the width of a page
plt.rcParams["font.size"] = 14
fig = plt.figure(figsize=(14, 10), constrained_layout=True)
grid = fig.add_gridspec(len(energies) + 1, len(depths), height_ratios=[1, 1, 1, 1.6])
for row, energy in enumerate(energies):
    for layer, depth in enumerate(depths):
        ax = fig.add_subplot(grid[row, layer])
        shown = ax.imshow(
            np.maximum(mean_images[energy][layer], 0.05), norm=norm, cmap="viridis", origin="lower",
            extent=[-half, half, -half, half],
        )
        ax.set_xticks([-50, 0, 50])
        ax.set_yticks([-50, 0, 50])
        if row == 0:
            ax.set_title(f"layer {layer + 1}\n{depth} $X_0$", fontsize="medium")
        if row == len(energies) - 1:
            ax.set_xlabel("x (mm)")
        if layer == 0:
            ax.set_ylabel(f"{energy:.0f} GeV\ny (mm)")
fig.colorbar(shown, ax=fig.axes, label="mean energy per cell (MeV)", shrink=0.5, location="right")

profile_ax = fig.add_subplot(grid[-1, :])
depth_axis = np.linspace(0.05, 20, 400)
for energy, colour in zip(energies, ("C0", "C1", "C2")):
    layer_sum = mean_images[energy].sum(axis=(1, 2))
    profile_ax.plot(depths, layer_sum, "o", color=colour, label=f"{energy:.0f} GeV: mean layer energy")
    expected = calorimeter.longitudinal_profile(depth_axis, calorimeter.shower_maximum_x0(energy))
    scale = energy * calorimeter.SPOTS_PER_GEV_X0 * calorimeter.SPOT_MEV
    profile_ax.plot(
        depth_axis, scale * expected, "-", color=colour, alpha=0.6, label=f"{energy:.0f} GeV: Gamma profile"
    )
profile_ax.set_xlabel(r"depth $t$ ($X_0$)")
profile_ax.set_ylabel("energy in sensor layer (MeV)")
profile_ax.set_ylim(0, 1.3 * profile_ax.get_ylim()[1])  # room for the legend above the curves
profile_ax.legend(ncol=3, fontsize="small", loc="upper right")
plt.show()
