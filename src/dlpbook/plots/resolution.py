"""Resolution plots of regressions: residuals, 2D distances with a Rayleigh fit, resolution vs truth.

These are the figures the book uses to judge reconstructions, e.g. Fig. 7.3b (epicentre
distance with a Rayleigh fit) and the energy resolution of the air-shower exercises.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import metrics


def _label(name: str, unit: str) -> str:
    return f"{name} ({unit})" if unit else name


def plot_residuals(prediction, target, *, ax: plt.Axes | None = None, bins: int = 50, unit: str = "", name: str = "prediction - truth") -> plt.Axes:
    """Histogram of the residuals ``prediction - target`` with bias and resolution in the legend.

    Parameters
    ----------
    prediction, target : (n,) float
        Reconstructed and true values, in ``unit``.
    """
    prediction, target = np.ravel(prediction), np.ravel(target)
    ax = ax or plt.gca()
    residual = prediction - target
    label = (
        f"bias {metrics.bias(prediction, target):.3g} {unit}\n"
        f"std {metrics.resolution(prediction, target):.3g} {unit}\n"
        f"68% half-width {metrics.central_interval_half_width(prediction, target):.3g} {unit}"
    )
    ax.hist(residual, bins=bins, histtype="stepfilled", alpha=0.6, label=label)
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_xlabel(_label(name, unit))
    ax.set_ylabel("events")
    ax.legend()
    return ax


def plot_distance_resolution(distance, *, ax: plt.Axes | None = None, bins: int = 50, unit: str = "km") -> plt.Axes:
    """Histogram of 2D distances ``|r_pred - r_true|`` with the fitted Rayleigh density (Fig. 7.3b)."""
    ax = ax or plt.gca()
    fit = metrics.fit_rayleigh(distance)
    distance = np.ravel(distance)
    counts, edges, _ = ax.hist(distance, bins=bins, histtype="stepfilled", alpha=0.6, label=f"{fit.n} events")
    grid = np.linspace(0.0, edges[-1], 300)
    width = edges[1] - edges[0]
    ax.plot(grid, fit.n * width * metrics.rayleigh_pdf(grid, fit.sigma), color="C3",
            label=f"Rayleigh fit, $\\sigma$ = {fit.sigma:.3g} $\\pm$ {fit.sigma_error:.2g} {unit}")
    ax.set_xlabel(_label("distance between prediction and truth", unit))
    ax.set_ylabel("events")
    ax.legend()
    return ax


def plot_resolution_vs(
    target,
    prediction,
    *,
    bins=10,
    ax: plt.Axes | None = None,
    unit: str = "",
    name: str = "true value",
    relative: bool = False,
    log: bool = False,
    label: str | None = None,
    **style,
) -> plt.Axes:
    """Resolution (standard deviation of the residuals) in bins of the true value.

    With ``relative=True`` the residuals are divided by the true value (e.g. sigma_E / E).
    Bins with fewer than two events are left out. ``bins`` is a count or an array of edges;
    with ``log=True`` a count of bins is spaced logarithmically and the x axis is logarithmic.
    The numbers come from :func:`dlpbook.metrics.binned_resolution`; ``label`` and ``style``
    (e.g. ``color``, ``marker``) go to the line.
    """
    target, prediction = np.ravel(target), np.ravel(prediction)
    if target.shape != prediction.shape:
        raise ValueError(f"target and prediction differ in shape: {target.shape} vs {prediction.shape}")
    ax = ax or plt.gca()
    binned = metrics.binned_resolution(target, prediction, bins, relative=relative, log=log)
    shown = np.isfinite(binned.sigma)
    ax.plot(binned.centres[shown], binned.sigma[shown], **{"marker": "o", "label": label, **style})
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(_label(name, unit))
    ax.set_ylabel("relative resolution" if relative else _label("resolution", unit))
    return ax
