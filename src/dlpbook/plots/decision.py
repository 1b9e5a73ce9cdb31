"""Decision boundaries of two-dimensional binary classifiers (book Ex. 3.3, 5.1, Fig. 5.2).

Framework-free: the classifier enters as a function from points to probabilities, so a torch
or Keras model is wrapped by the caller, e.g.
``lambda p: dlpbook.train.predict(model, p)[:, 0]`` or ``lambda p: model.predict(p, verbose=0)[:, 0]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from ..validation import check_int

PROBABILITY_LEVELS = np.linspace(0.0, 1.0, 11)
"""Filled-contour levels of the class-1 probability."""
CMAP = "RdBu_r"
"""Blue for class 0 (probability 0), red for class 1."""


def _grid_extent(x: np.ndarray, margin: float = 0.05) -> tuple[float, float, float, float]:
    low, high = x.min(axis=0), x.max(axis=0)
    pad = margin * np.where(high > low, high - low, 1.0)
    return (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    x,
    label,
    *,
    ax: plt.Axes | None = None,
    resolution: int = 200,
    extent: Sequence[float] | None = None,
) -> plt.Axes:
    """Draw a classifier's probability map, its 0.5 contour and the labelled points.

    Parameters
    ----------
    predict
        Maps points ``(m, 2)`` float64 to the class-1 probability ``(m,)`` (or ``(m, 1)``)
        in [0, 1]. Apply a sigmoid to logits before returning them.
    x : (n, 2) float
        Points to show, in the units of the classifier's inputs.
    label : (n,) {0, 1}
        True classes of the points.
    ax
        Axes to draw into (default: the current axes).
    resolution
        Grid points per axis (>= 2) at which ``predict`` is evaluated.
    extent
        ``(x1_min, x1_max, x2_min, x2_max)`` of the grid; default: the range of ``x`` plus 5%.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; its first collection is the filled contour (use it for a colour bar).
    """
    x = np.asarray(x, dtype=float)
    label = np.asarray(label)
    if x.ndim != 2 or x.shape[1] != 2 or x.shape[0] == 0:
        raise ValueError(f"x must have shape (n, 2) with n > 0, got {x.shape}")
    if label.shape != (x.shape[0],):
        raise ValueError(f"label must have shape ({x.shape[0]},), got {label.shape}")
    if not np.all((label == 0) | (label == 1)):
        raise ValueError(f"label must contain only 0 and 1, got values {np.unique(label)[:5]}")
    resolution = check_int(resolution, "resolution", low=2)
    x1_min, x1_max, x2_min, x2_max = _grid_extent(x) if extent is None else (float(v) for v in extent)
    if not (x1_min < x1_max and x2_min < x2_max):
        raise ValueError(f"extent must be (x1_min, x1_max, x2_min, x2_max) with min < max, got {extent}")

    grid1, grid2 = np.meshgrid(np.linspace(x1_min, x1_max, resolution), np.linspace(x2_min, x2_max, resolution))
    points = np.column_stack([grid1.ravel(), grid2.ravel()])
    probability = np.asarray(predict(points), dtype=float)
    if probability.shape not in ((points.shape[0],), (points.shape[0], 1)):
        raise ValueError(f"predict must return shape ({points.shape[0]},) for {points.shape[0]} points, got {probability.shape}")
    if not np.all((probability >= 0) & (probability <= 1)):
        raise ValueError("predict must return probabilities in [0, 1]; apply a sigmoid to logits")
    probability = probability.reshape(grid1.shape)

    ax = ax or plt.gca()
    ax.contourf(grid1, grid2, probability, levels=PROBABILITY_LEVELS, cmap=CMAP, vmin=0.0, vmax=1.0, alpha=0.8)
    # a 0.5 contour exists only if the probability crosses 0.5 somewhere on the grid
    if probability.min() < 0.5 < probability.max():
        ax.contour(grid1, grid2, probability, levels=[0.5], colors="k", linewidths=1.5)
    colours = plt.get_cmap(CMAP)([0.0, 1.0])
    for value in (0, 1):
        chosen = label == value
        ax.scatter(x[chosen, 0], x[chosen, 1], s=16, color=colours[value], edgecolors="w", linewidths=0.6, label=f"label {value}")
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    ax.set_xlim(x1_min, x1_max)
    ax.set_ylim(x2_min, x2_max)
    if not ax.get_xlabel():
        ax.set_xlabel("$x_1$")
    if not ax.get_ylabel():
        ax.set_ylabel("$x_2$")
    return ax
