"""
Offline substitutes for MNIST, Fashion-MNIST and CIFAR-10
=========================================================

The book borrows three image sets that dlpbook can neither ship nor download: MNIST
(handwritten digits; Example 12.1, Exercise 12.2), Fashion-MNIST (clothes; Exercises 18.1
and 20.1) and CIFAR-10 (colour photographs; Exercise 12.1, Chapter 18). Readers with the
original files load them with ``dlpbook.data.image_files``; everyone else gets an offline set
that plays the same role, one figure each below.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook import data
from dlpbook.data import collider_objects, particle_tracks
from dlpbook.plots.feature_maps import stretch


def plot_class_grid(images, labels, names, *, per_class=6, cmap="gray", origin="upper", title="", units="", xlabel=""):
    """Draw ``per_class`` examples of each class, one row per class (grey images on the scale 0-255)."""
    fig, axes = plt.subplots(len(names), per_class, figsize=(1.2 * per_class + 3.2, 1.05 * len(names) + 0.8))
    fig.subplots_adjust(left=0.24, right=0.82, top=0.93, bottom=0.05, wspace=0.08, hspace=0.08)
    for row, name in enumerate(names):
        for column, index in enumerate(np.flatnonzero(labels == row)[:per_class]):
            shown = axes[row, column].imshow(images[index], cmap=cmap, vmin=0, vmax=255, origin=origin)
            axes[row, column].set_xticks([])
            axes[row, column].set_yticks([])
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    if images.ndim == 3:
        fig.colorbar(shown, ax=axes, shrink=0.5, label=units)
    fig.suptitle(title)
    fig.supxlabel(xlabel, x=0.53, fontsize=10)
    return fig


# %%
# The MNIST substitute ``digits``: six examples of each class of scikit-learn's real 8 x 8
# handwritten digits, grey levels scaled to 0-255 and upsampled bilinearly to MNIST's 28 x 28
# pixels.
handwriting = data.simulate("digits", 600, seed=0)
plot_class_grid(
    handwriting["x"],
    handwriting["y"],
    [str(d) for d in range(10)],
    title="digits (MNIST role): scikit-learn's 8 x 8 digits, upsampled to 28 x 28",
    units="grey level (0-255)",
    xlabel="each panel: 28 x 28 px, bilinear upsampling of 8 x 8",
)
plt.show()

# %%
# The Fashion-MNIST substitute ``particle_tracks``: the transverse view of a simulated pixel
# tracker (beams at the centre, magnetic field out of the page) in ten event topologies, in ADC
# counts (255 = 4 times the charge of a minimum-ionising particle). Like Fashion-MNIST's shirts
# and coats, several classes share features: a kink and a V0 decay both show bent tracks, a
# shower begins as a track.
tracks = data.simulate("particle_tracks", 1000, seed=0)
plot_class_grid(
    tracks["x"],
    tracks["y"],
    particle_tracks.CLASSES,
    cmap="magma",
    origin="lower",  # x = column to the right, y = row upwards: positive tracks bend anticlockwise
    title="particle_tracks (Fashion-MNIST role): 28 x 28 px tracker images",
    units="ADC counts (255 = 4 MIP)",
    xlabel="each panel: x to the right, y upwards, 28 px; the beams cross at the centre",
)
plt.show()

# %%
# The CIFAR-10 substitute ``collider_objects``: 32 x 32 (eta, phi) images of ten kinds of LHC
# objects at p_T of about 500 GeV, in the three channels of the book's Example 8.9 (red: charged
# p_T, green: neutral p_T, blue: charged multiplicity). Boson and top decays show two or three
# prongs, gluon jets are wider than quark jets, a photon is a single green deposit, and an
# electron's bremsstrahlung spreads along phi; W and Z jets differ only by about 10 % in prong
# separation, a pair as hard to tell apart as CIFAR's cats and dogs. Most pixels of an object are
# empty or faint, so each channel of each image is drawn stretched (divided by its brightest pixel,
# then square-rooted; ``dlpbook.plots.feature_maps.stretch``): the colours show where each
# channel is filled, not the ratio of the channels.
objects = data.simulate("collider_objects", 1000, seed=0)
plot_class_grid(
    stretch(objects["x"]),
    objects["y"],
    collider_objects.CLASSES,
    origin="lower",
    title="collider_objects (CIFAR-10 role): 32 x 32 x 3 px over |Δη|, |Δφ| < 0.8",
    xlabel="each panel: Δη from -0.8 to 0.8 to the right, Δφ upwards",
)
plt.show()
