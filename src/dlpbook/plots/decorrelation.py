"""Figures of decorrelation (book Sec. 13.2, Ex. 13.1): the scatter matrix of the features and sculpted histograms."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from ..metrics.sculpting import threshold_keeping

CLASS_STYLE = {0: ("background", "C0"), 1: ("signal", "C3")}
"""Name and colour of the two classes in every decorrelation figure."""


def plot_scatter_matrix(x, label, names: Sequence[str], *, max_points: int = 600, seed: int = 0) -> plt.Figure:
    """Pairwise scatter plots of all features, signal and background in two colours; histograms on the diagonal.

    Parameters
    ----------
    x : (n, d) array_like
        The features.
    label : (n,) array_like
        0 (background) or 1 (signal).
    names
        ``d`` axis labels (with units).
    max_points
        At most this many points per class in a scatter plot (a random choice from ``seed``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, label = np.asarray(x, float), np.asarray(label)
    if x.ndim != 2 or len(label) != len(x) or len(names) != x.shape[1]:
        raise ValueError(f"x must be (n, d) with n labels and d names, got {x.shape}, {label.shape}, {len(names)} names")
    d = x.shape[1]
    rng = np.random.default_rng(seed)
    shown = {value: rng.permutation(np.flatnonzero(label == value))[:max_points] for value in CLASS_STYLE}
    # fixed margins: the constrained layout of 25 panels costs more CPU time than drawing them
    fig, axes = plt.subplots(d, d, figsize=(11, 11), squeeze=False)
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.06, top=0.99, wspace=0.3, hspace=0.25)
    for row in range(d):
        for column in range(d):
            ax = axes[row, column]
            for value, (name, colour) in CLASS_STYLE.items():
                if row == column:
                    ax.hist(x[label == value, column], bins=40, histtype="step", color=colour, density=True, label=name)
                else:
                    ax.plot(x[shown[value], column], x[shown[value], row], ".", color=colour, ms=1.5, alpha=0.5)
            if row == d - 1:
                ax.set_xlabel(names[column])
            if column == 0 and row > 0:
                ax.set_ylabel(names[row])
            if row == column:
                ax.set_yticks([])
    axes[0, 0].legend(fontsize="small")
    axes[0, 0].set_ylabel("density")
    return fig


def plot_sculpting(protected, score, fractions: Sequence[float], *, bins, ax: plt.Axes | None = None,
                   name: str = "feature 0, $m$", unit: str = "GeV") -> plt.Axes:
    """Normalised histograms of the background's protected variable before and after cuts that keep ``fractions`` of it.

    Parameters
    ----------
    protected, score : (n,) array_like
        The protected variable and the classifier output of the background events.
    fractions
        Fractions of the background kept by ever tighter cuts (:func:`dlpbook.metrics.threshold_keeping`).
    bins
        Histogram bins (a count or edges).
    ax
        Where to draw (default: the current axes).
    name, unit
        Name and unit of the protected variable, for the axis labels.
    """
    ax = ax or plt.gca()
    protected, score = np.asarray(protected, float), np.asarray(score, float)
    if protected.shape != score.shape or protected.ndim != 1:
        raise ValueError("protected and score must be one-dimensional and equally long")
    edges = np.histogram_bin_edges(protected, bins)
    ax.hist(protected, edges, histtype="stepfilled", color="0.85", density=True, label="all background")
    colours = plt.get_cmap("plasma")(np.linspace(0.1, 0.8, len(fractions)))
    for fraction, colour in zip(fractions, colours):
        selected = protected[score >= threshold_keeping(score, fraction)]
        ax.hist(selected, edges, histtype="step", color=colour, lw=1.5, density=True, label=f"{fraction:.0%} kept")
    ax.set(xlabel=f"{name} ({unit})", ylabel=f"normalised density (1/{unit})")
    return ax
