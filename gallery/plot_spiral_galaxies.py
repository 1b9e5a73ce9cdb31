"""
Left- and right-winding spiral galaxies and their mirror images
===============================================================

Simulated 32 x 32 spiral galaxies (book Sec. 7.3) with two to four logarithmic arms, random
pitch angle, orientation, inclination and size, plus pixel noise. The top row shows
left-winding galaxies (an arm followed outwards turns counter-clockwise) next to their mirror
images; the bottom row shows right-winding ones. Every mirror image winds the other way, so a
network trained with flip augmentation would have to flip the label too. The number above
each panel is the winding statistic of ``dlpbook.data.galaxies.winding_statistic``:
positive for left and negative for right winding; mirroring changes its sign exactly.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook.data import galaxies

sample = galaxies.simulate(200, seed=4)
images, label = sample["images"], sample["label"]
n_pairs = 3
rows = {1: np.flatnonzero(label == 1)[:n_pairs], 0: np.flatnonzero(label == 0)[:n_pairs]}

fig, axes = plt.subplots(2, 2 * n_pairs, figsize=(12, 4.6), layout="constrained")
for row, winding in enumerate((1, 0)):
    for column, index in enumerate(rows[winding]):
        for mirrored in (False, True):
            image = images[index][:, ::-1] if mirrored else images[index]
            ax = axes[row, 2 * column + mirrored]
            shown = ax.imshow(image, origin="lower", cmap="magma", vmin=0, vmax=1, extent=(0, 32, 0, 32))
            name = galaxies.LABEL_NAMES[1 - winding if mirrored else winding]
            statistic = galaxies.winding_statistic(image)
            ax.set_title(f"{'mirror: ' if mirrored else ''}{name}, s = {statistic:+.2f}", fontsize=9)
            ax.set_xticks([0, 16, 32])
            ax.set_yticks([0, 16, 32])
            ax.set_xlabel("x (pixel)")
            if column == 0 and not mirrored:
                ax.set_ylabel(f"{galaxies.LABEL_NAMES[winding]}-winding\ny (pixel)")
fig.colorbar(shown, ax=axes, label="intensity (peak = 1)", shrink=0.8)
fig.suptitle("Spiral galaxies and their mirror images: mirroring swaps left and right winding")
plt.show()
