"""Looking inside a CNN (book Sec. 12.2, Exercises 12.1 and 12.2): filters, feature maps,
activation-maximization images, a confusion matrix and the class scores of single images.

Framework-free: every function takes NumPy arrays (channels last for colour images) and returns
the matplotlib figure, so that pages and gallery scripts of both frameworks share them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullLocator

from ..validation import check_count, check_positive


def filters_as_rgb(kernels: np.ndarray) -> np.ndarray:
    """First-layer kernels of a colour-image CNN as RGB images, on one common scale.

    Parameters
    ----------
    kernels : (h, w, 3, filters) float
        The weights in Keras' layout (torch's ``(filters, 3, h, w)`` transposed with
        ``.transpose(2, 3, 1, 0)``).

    Returns
    -------
    (filters, h, w, 3) float in [0, 1]
        0.5 is a zero weight; the largest magnitude of all kernels maps to 0 or 1, so the
        colours of different filters compare.
    """
    kernels = np.asarray(kernels, dtype=float)
    if kernels.ndim != 4 or kernels.shape[2] != 3:
        raise ValueError(f"kernels must have shape (h, w, 3, filters), got {kernels.shape}")
    largest = np.abs(kernels).max()
    scaled = 0.5 + 0.5 * kernels / (largest if largest > 0 else 1.0)
    return scaled.transpose(3, 0, 1, 2)


def mosaic(panels: np.ndarray, columns: int, gap: int = 1) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Panels side by side in one array, in rows of ``columns``, with ``gap`` empty pixels between.

    One image per panel row costs matplotlib far less than one axes per panel (the axes, their
    ticks and the layout dominate the drawing time of a grid of small images).

    Parameters
    ----------
    panels : (n, h, w) or (n, h, w, 3) float
        Grey or RGB panels.
    columns
        Panels per row.
    gap
        Empty pixels between neighbouring panels (>= 0).

    Returns
    -------
    image : (rows * (h + gap) - gap, columns * (w + gap) - gap[, 4]) float
        Grey panels with NaN (drawn transparent) in the gaps; RGB panels as RGBA with alpha 0 there.
    corners : list of (row, column)
        The top-left pixel of each panel in ``image``.
    """
    panels = np.asarray(panels, dtype=float)
    n, h, w = panels.shape[:3]
    columns = min(check_count(columns, "columns"), check_count(n, "panels"))
    rows = math.ceil(n / columns)
    rgb = panels.ndim == 4
    image = np.full(((h + gap) * rows - gap, (w + gap) * columns - gap, *((4,) if rgb else ())),
                    0.0 if rgb else np.nan)
    corners = [((index // columns) * (h + gap), (index % columns) * (w + gap)) for index in range(n)]
    for panel, (top, left) in zip(panels, corners):
        image[top:top + h, left:left + w] = np.concatenate([panel, np.ones((h, w, 1))], axis=-1) if rgb else panel
    return image, corners


def plot_filters(kernels: np.ndarray, channel_names: Sequence[str] = ("red", "green", "blue"), *,
                 title: str = "") -> plt.Figure:
    """The first-layer filters of a colour-image CNN: each as an RGB image and channel by channel.

    Column ``k`` is filter ``k``. The top row shows it as a colour image
    (:func:`filters_as_rgb`); the rows below show its weights on each input channel on a
    diverging scale common to all filters (red positive, blue negative), which says what each
    filter reads from which channel. Each row is one :func:`mosaic` of the filters.

    Parameters
    ----------
    kernels : (h, w, 3, filters) float
        The weights in Keras' layout.
    channel_names
        Names of the three input channels, for the row labels.
    title
        Title of the figure.
    """
    rgb = filters_as_rgb(kernels)
    if len(channel_names) != 3:
        raise ValueError(f"channel_names must name the 3 input channels, got {len(channel_names)}")
    n, width = len(rgb), rgb.shape[2]
    largest = float(np.abs(kernels).max()) or 1.0
    fig, axes = plt.subplots(4, 1, figsize=(0.68 * n + 2.0, 0.7 * 4 + (0.5 if title else 0.2)), layout="constrained")
    gap = max(1, width // 4)
    image, corners = mosaic(rgb, n, gap)
    axes[0].imshow(image, interpolation="nearest")
    for channel in range(3):
        weights, _ = mosaic(np.moveaxis(kernels[:, :, channel, :], -1, 0), n, gap)
        shown = axes[channel + 1].imshow(weights, cmap="RdBu_r", vmin=-largest, vmax=largest, interpolation="nearest")
    for ax, label in zip(axes, ["RGB", *channel_names]):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_frame_on(False)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    axes[0].xaxis.tick_top()
    axes[0].set_xticks([left + (width - 1) / 2 for _, left in corners], [str(k) for k in range(n)], fontsize=8)
    axes[0].tick_params(axis="x", length=0, pad=2)
    fig.colorbar(shown, ax=axes[1:], shrink=0.8, label="weight")
    if title:
        fig.suptitle(title)
    return fig


def plot_feature_maps(image: np.ndarray, layers: dict[str, np.ndarray], *, columns: int = 8, title: str = "",
                      cmap: str = "Greys", origin: str = "upper") -> plt.Figure:
    """An image and the feature maps it produces in some layers, each map on its own scale
    (a :func:`mosaic` per layer).

    Parameters
    ----------
    image : (h, w, 3) or (h, w) float in [0, 1]
        The input image as shown.
    layers
        Layer name -> its output for the image, ``(h', w', channels)`` (channels last), in the
        order to draw.
    columns
        Maps per row.
    title
        Title of the figure (say which image it is).
    cmap
        Colour map of the maps; ``"Greys"`` draws strong activations dark.
    origin
        Where row 0 of the image and the maps is drawn (``"upper"`` or ``"lower"``).
    """
    if not layers:
        raise ValueError("layers must name at least one layer")
    maps = {name: np.asarray(values, dtype=float) for name, values in layers.items()}
    for name, values in maps.items():
        if values.ndim != 3:
            raise ValueError(f"the maps of {name} must have shape (h, w, channels), got {values.shape}")
    columns = check_count(columns, "columns")
    rows = [math.ceil(values.shape[-1] / columns) for values in maps.values()]
    panel = 0.85
    fig = plt.figure(figsize=(panel * columns + 0.4, panel * (sum(rows) + 1.6) + 0.5 * len(maps) + 0.5),
                     layout="constrained")
    parts = fig.subfigures(1 + len(maps), 1, height_ratios=[1.6 * panel, *(r * panel + 0.5 for r in rows)])
    shown = parts[0].subplots()
    shown.imshow(image, cmap="gray" if np.ndim(image) == 2 else None, vmin=0, vmax=1, origin=origin)
    shown.set_xticks([])
    shown.set_yticks([])
    shown.set_title("input", fontsize=9)
    for part, (name, values) in zip(parts[1:], maps.items()):
        panels = np.moveaxis(values, -1, 0)
        low = panels.min(axis=(1, 2), keepdims=True)
        spread = panels.max(axis=(1, 2), keepdims=True) - low
        panels = (panels - low) / np.where(spread > 0, spread, 1.0)  # each map on its own scale
        if origin == "lower":
            panels = panels[:, ::-1]  # row 0 of each map at its bottom, the maps still in reading order
        gap = max(1, values.shape[1] // 8)
        image, corners = mosaic(panels, columns, gap)
        ax = part.subplots()
        ax.imshow(image, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_axis_off()
        for index, (top, left) in enumerate(corners):
            ax.text(left + (values.shape[1] - 1) / 2, top - 0.5, f"{index}", fontsize=7, ha="center", va="bottom")
        part.suptitle(f"{name}: {values.shape[-1]} feature maps of {values.shape[0]} x {values.shape[1]}", fontsize=9)
    fig.suptitle(title)
    return fig


def stretch(images: np.ndarray, gamma: float = 0.5) -> np.ndarray:
    """Sparse images made visible: each channel of each image divided by its largest value in that
    image, then raised to the power ``gamma`` (< 1 lifts faint pixels).

    A collider-object image of Ex. 12.1 fills a few per cent of its pixels, most of them faintly;
    drawn on the common 0-to-1 scale of the network's input it looks black. Stretched, the
    brightest pixel of each channel is at full intensity; the colours then show which channels
    are filled where, no longer their ratio.

    Parameters
    ----------
    images : (n, h, w, channels) or (n, h, w) float, >= 0
    gamma
        Exponent (> 0) applied after the division.

    Returns
    -------
    ndarray of the same shape, in [0, 1]; an empty channel stays 0.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim not in (3, 4) or np.any(images < 0):
        raise ValueError(f"images must be non-negative with shape (n, h, w[, channels]), got {images.shape}")
    gamma = check_positive(gamma, "gamma")
    largest = images.max(axis=(1, 2), keepdims=True)
    return (images / np.where(largest > 0, largest, 1.0)) ** gamma


def standardize(images: np.ndarray) -> np.ndarray:
    """Each image minus its mean, divided by its standard deviation (a constant image stays 0)."""
    images = np.asarray(images, dtype=float)
    axes = tuple(range(1, images.ndim))
    std = images.std(axis=axes, keepdims=True)
    return (images - images.mean(axis=axes, keepdims=True)) / np.where(std > 0, std, 1.0)


def plot_maximizers(images: np.ndarray, *, columns: int = 8, title: str = "", labels: Sequence[str] | None = None,
                    silent: Sequence[bool] | None = None, limit: float = 2.5, cmap: str = "gray") -> plt.Figure:
    """Images found by activation maximization, one panel per channel (a :func:`mosaic`), standardised.

    Each image is shown as :func:`standardize` makes it, on the common scale ``[-limit, limit]``
    standard deviations, so that the pattern, not the overall brightness, is compared.

    Parameters
    ----------
    images : (n, h, w) float
        The optimised inputs (grey images).
    columns
        Panels per row.
    title
        Title of the figure.
    labels
        A short title per panel (default: the channel number).
    silent
        Per image, whether its channel stayed at zero (its title gets " (off)").
    limit
        Half-width of the colour scale in standard deviations (> 0).
    cmap
        Colour map.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, h, w), got {images.shape}")
    labels = [str(index) for index in range(len(images))] if labels is None else list(labels)
    silent = [False] * len(images) if silent is None else list(silent)
    if len(labels) != len(images) or len(silent) != len(images):
        raise ValueError(f"labels and silent must have one entry per image ({len(images)}), got "
                         f"{len(labels)} and {len(silent)}")
    labels = [f"{label} (off)" if off else label for label, off in zip(labels, silent)]
    height, width = images.shape[1:]
    image, corners = mosaic(standardize(images), columns, max(1, width // 4))
    n_columns, rows = min(check_count(columns, "columns"), len(images)), math.ceil(len(images) / columns)
    fig, ax = plt.subplots(figsize=(0.9 * n_columns + 0.4, 0.9 * rows + 0.6), layout="constrained")
    ax.imshow(image, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_axis_off()
    for (top, left), label in zip(corners, labels):
        ax.text(left + (width - 1) / 2, top - 0.5, label, fontsize=7, ha="center", va="bottom")
    fig.suptitle(title)
    return fig


def plot_ascent(values: dict[str, np.ndarray], *, ylabel: str = "mean activation of the channel") -> plt.Figure:
    """The objective of every channel along its gradient ascent, one panel per layer (log scale).

    Parameters
    ----------
    values
        Layer name -> ``(steps + 1, channels)`` objective before each step and at the end
        (channels that stay at 0 are left out of the log scale and counted in the panel title).
    ylabel
        Label of the objective.
    """
    if not values:
        raise ValueError("values must hold at least one layer")
    fig, axes = plt.subplots(1, len(values), figsize=(3.6 * len(values) + 0.6, 3.4), squeeze=False,
                             layout="constrained")
    for ax, (name, curves) in zip(axes[0], values.items()):
        curves = np.asarray(curves, dtype=float)
        alive = curves[-1] > 0
        ax.plot(np.arange(len(curves)), curves[:, alive], lw=0.8, alpha=0.7)
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())  # the unlabelled minor ticks cost half the drawing time
        ax.set_xlabel("gradient-ascent step")
        ax.set_title(f"{name}: {alive.sum()} of {curves.shape[1]} channels rise", fontsize=10)
    axes[0, 0].set_ylabel(ylabel)
    return fig


def plot_confusion_matrix(matrix: np.ndarray, class_names: Sequence[str], *, ax: plt.Axes | None = None,
                          cmap: str = "YlGnBu") -> plt.Axes:
    """A confusion matrix (rows: truth), coloured by the fraction of each true class, with the counts written in.

    Parameters
    ----------
    matrix : (c, c) int
        Counts from :func:`dlpbook.metrics.confusion_matrix`.
    class_names
        One name per class.
    ax
        Axes to draw on (default: a new figure).
    cmap
        Colour map of the fractions 0 to 1.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or len(class_names) != len(matrix):
        raise ValueError(f"matrix must be square with one row per class name ({len(class_names)}), got {matrix.shape}")
    if ax is None:
        ax = plt.figure(figsize=(7.5, 6.5)).gca()
    totals = matrix.sum(axis=1, keepdims=True)
    fraction = matrix / np.where(totals > 0, totals, 1)
    image = ax.imshow(fraction, cmap=cmap, vmin=0, vmax=1)
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            ax.text(column, row, f"{count}", ha="center", va="center", fontsize=8,
                    color="white" if fraction[row, column] > 0.6 else "black")
    ticks = np.arange(len(matrix))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right")
    ax.set_yticks(ticks, class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.figure.colorbar(image, ax=ax, label="fraction of the true class")
    return ax


def plot_class_scores(images: np.ndarray, probabilities: np.ndarray, labels: np.ndarray,
                      class_names: Sequence[str], *, titles: Sequence[str] | None = None,
                      origin: str = "upper") -> plt.Figure:
    """Images next to bar charts of their class probabilities, the true class in red.

    Parameters
    ----------
    images : (n, h, w, 3) or (n, h, w) float in [0, 1]
        The images as shown (colour or grey).
    probabilities : (n, c) float
        The network's class probabilities.
    labels : (n,) int
        The true classes.
    class_names
        One name per class.
    titles
        A title per image (default: the true class).
    origin
        Where row 0 of the images is drawn (``"upper"`` or ``"lower"``).
    """
    images, probabilities, labels = np.asarray(images), np.asarray(probabilities), np.asarray(labels)
    n = len(images)
    if probabilities.shape != (n, len(class_names)) or labels.shape != (n,):
        raise ValueError(f"need probabilities ({n}, {len(class_names)}) and labels ({n},), got "
                         f"{probabilities.shape} and {labels.shape}")
    titles = [f"true: {class_names[label]}" for label in labels] if titles is None else list(titles)
    columns = min(n, 2)
    rows = math.ceil(n / columns)
    fig, axes = plt.subplots(rows, 2 * columns, figsize=(5.0 * columns, 2.8 * rows), squeeze=False,
                             gridspec_kw={"width_ratios": [1.4, 1.5] * columns})
    ticks = np.arange(len(class_names))
    for index in range(rows * columns):
        row, column = divmod(index, columns)
        image_ax, bar_ax = axes[row, 2 * column], axes[row, 2 * column + 1]
        if index >= n:
            image_ax.set_axis_off()
            bar_ax.set_axis_off()
            continue
        image_ax.imshow(images[index], cmap="gray" if images.ndim == 3 else None, vmin=0, vmax=1, origin=origin)
        image_ax.set_xticks([])
        image_ax.set_yticks([])
        image_ax.set_title(titles[index], fontsize=9)
        colours = ["tab:red" if c == labels[index] else "tab:blue" for c in ticks]
        bar_ax.barh(ticks, probabilities[index], color=colours)
        bar_ax.set_yticks(ticks, class_names, fontsize=9)
        bar_ax.invert_yaxis()
        bar_ax.set_xlim(0, 1)
        bar_ax.set_xlabel("class probability", fontsize=9)
    fig.tight_layout()
    return fig
