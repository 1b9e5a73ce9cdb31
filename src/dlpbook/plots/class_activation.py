"""Class activation maps overlaid on their input images (book Sec. 12.3.2.1, Fig. 12.6).

A map ``M_k`` lives on the coarse grid of the last convolution (16 x 16 for the 32 x 32 Ising
configurations of Ex. 12.3). It is drawn over the image, stretched to the image's extent and
interpolated bilinearly (the book's way to "reverse" the pooling), half transparent, so that
one sees which regions raise the score of class ``k``. All maps of one figure share a colour
scale, so that the classes and the examples can be compared.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np


def plot_class_activation_maps(
    images: np.ndarray,
    maps: np.ndarray,
    row_labels: Sequence[str],
    class_names: Sequence[str],
    *,
    alpha: float = 0.7,
    cmap: str = "magma",
    panel_size: float = 3.2,
) -> plt.Figure:
    """One row per image, one column per class: the image in grey with the class map on top.

    Parameters
    ----------
    images : (n, H, W) float
        The inputs, in grey from their smallest (black) to their largest value (white); for
        Ising configurations spin -1 is black, +1 white.
    maps : (n, k, h, w) float
        The class activation maps of each image, one per class, on a grid that divides the
        image (``H % h == W % w == 0``); drawn over the full image, bilinearly interpolated.
    row_labels : n str
        What each row shows (written beside it).
    class_names : k str
        The classes (column titles: "<name> map").
    alpha
        Opacity of the maps.
    cmap
        Colour map of the maps; one colour bar, "class activation", for all panels.
    panel_size
        Width and height of one panel in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the shapes, the labels and the class names do not fit together.
    """
    images, maps = np.asarray(images, float), np.asarray(maps, float)
    if images.ndim != 3 or maps.ndim != 4 or len(images) != len(maps) or len(images) == 0:
        raise ValueError(f"need images (n, H, W) and maps (n, k, h, w) for the same n > 0, got {images.shape} "
                         f"and {maps.shape}")
    n, k = maps.shape[:2]
    height, width = images.shape[1:]
    if height % maps.shape[2] or width % maps.shape[3]:
        raise ValueError(f"the map grid {maps.shape[2:]} must divide the image {images.shape[1:]}")
    if len(row_labels) != n or len(class_names) != k:
        raise ValueError(f"need {n} row labels and {k} class names, got {len(row_labels)} and {len(class_names)}")
    # margins set by hand: the constrained layout engine doubled the time to draw the figure
    fig_width, fig_height = k * panel_size + 1.6, n * panel_size
    fig, axes = plt.subplots(n, k, figsize=(fig_width, fig_height), squeeze=False)
    fig.subplots_adjust(left=0.96 / fig_width, right=1 - 1.2 / fig_width, bottom=0.5 / fig_height,
                        top=1 - 0.5 / fig_height, wspace=0.15, hspace=0.15)  # margins in inches
    extent = (0, width, height, 0)
    scale = {"vmin": float(maps.min()), "vmax": float(maps.max())}
    grey = {"vmin": float(images.min()), "vmax": float(images.max())}
    for row, (image, class_maps, label) in enumerate(zip(images, maps, row_labels)):
        for column, (class_map, name) in enumerate(zip(class_maps, class_names)):
            ax = axes[row, column]
            ax.imshow(image, cmap="gray", extent=extent, interpolation="nearest", **grey)
            overlay = ax.imshow(class_map, cmap=cmap, alpha=alpha, extent=extent, interpolation="bilinear", **scale)
            ax.set_xticks([0, width // 2, width])
            ax.set_yticks([0, height // 2, height])
            if row == 0:
                ax.set_title(f"{name} map")
        axes[row, 0].set_ylabel(label)
    fig.colorbar(overlay, ax=axes, shrink=0.6, label="class activation")
    return fig
