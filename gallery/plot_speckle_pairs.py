"""
Coherent speckle on small-angle scattering patterns
===================================================

Training pairs of Exercise 17.1. Each row is one simulated SAXS pattern of polydisperse
spheres (with a hard-sphere structure factor and a slight anisotropy) on the 64 x 64
detector: the clean intensity (left), the same pattern under fully coherent illumination
(middle: multiplied by a fully developed speckle field, then Poisson counts) and under
partially coherent illumination with M = 8 modes (right: the speckle contrast drops from 1 to
1/sqrt(8) = 0.35). The colour scale is logarithmic because the intensity falls by more than
three decades from the beam stop to the corners; the form-factor rings survive in the
partially coherent data but are broken up into grains in the coherent data.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from dlpbook.data import speckles

n_rows = 3
coherent = speckles.simulate(n_rows, seed=11)
partial = speckles.simulate(n_rows, seed=11, modes=8)  # same clean patterns, other speckle
np.testing.assert_array_equal(coherent["target_images"], partial["target_images"])

q_x, _ = speckles.q_grid()
extent = [q_x.min(), -q_x.min(), q_x.min(), -q_x.min()]
fig, axes = plt.subplots(n_rows, 3, figsize=(10, 10), constrained_layout=True)
columns = [
    ("clean", coherent["target_images"]),
    ("coherent speckle, M = 1", coherent["speckle_images"]),
    ("partially coherent, M = 8", partial["speckle_images"]),
]
for row in range(n_rows):
    clean = coherent["target_images"][row, ..., 0]
    norm = LogNorm(vmin=1, vmax=clean.max())
    for col, (title, images) in enumerate(columns):
        ax = axes[row, col]
        shown = ax.imshow(np.maximum(images[row, ..., 0], 1), norm=norm, cmap="magma", origin="lower", extent=extent)
        ax.set_xlabel(r"$q_x$ (nm$^{-1}$)")
        ax.set_ylabel(r"$q_y$ (nm$^{-1}$)")
        if row == 0:
            ax.set_title(title)
    radius = coherent["radius_nm"][row]
    axes[row, 0].text(0.03, 0.92, f"R = {radius:.1f} nm", transform=axes[row, 0].transAxes, color="white")
    fig.colorbar(shown, ax=axes[row], label="intensity (counts)", shrink=0.9)
plt.show()
