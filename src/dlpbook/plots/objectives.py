"""Figures of chapter 14 (objective functions) shared by the page and the gallery.

Framework-free: the curves come in as arrays, from :func:`dlpbook.objectives.studies.barron_curves`
and :func:`dlpbook.objectives.studies.spring_trajectories`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

BARRON_NAMES = {2.0: "Gaussian", 1.0: "Charbonnier", 0.0: "Cauchy", -2.0: "Geman-McClure", -math.inf: "Welsch"}
"""Names of the members of Barron's family at the special values of ``alpha``."""


def _alpha_label(alpha: float) -> str:
    value = "-\\infty" if alpha == -math.inf else f"{alpha:g}"
    name = BARRON_NAMES.get(alpha)
    return f"$\\alpha = {value}$" + (f" ({name})" if name else "")


def plot_barron_family(x: np.ndarray, curves: Mapping[float, Mapping[str, np.ndarray]], *, axes=None) -> np.ndarray:
    """Densities, losses and derivatives of Barron's loss for several ``alpha`` (book Fig. 14.2).

    Parameters
    ----------
    x
        The residuals ``x = y - y_hat`` (in units of the scale ``c``).
    curves
        Per ``alpha``: ``loss``, ``derivative`` and, where normalisable, ``density``.
    axes
        Three axes; default a new 1 x 3 figure.

    Returns
    -------
    ndarray of Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.8))
    styles = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1))]
    for (alpha, curve), style in zip(curves.items(), styles * len(curves)):
        label = _alpha_label(alpha)
        if "density" in curve:
            axes[0].plot(x, curve["density"], ls=style, lw=2, label=label)
        axes[1].plot(x, curve["loss"], ls=style, lw=2, label=label)
        axes[2].plot(x, curve["derivative"], ls=style, lw=2, label=label)
    axes[0].set(xlabel="residual $x / c$", ylabel="density $p(x)$ (1/c)", title="densities $e^{-\\rho} / (c Z)$")
    axes[1].set(xlabel="residual $x / c$", ylabel="loss $\\rho(x, \\alpha, c)$", title="losses", ylim=(0, 4))
    axes[2].set(xlabel="residual $x / c$", ylabel="$\\partial\\rho / \\partial x$ (1/c)", title="derivatives",
                ylim=(-2, 2))
    for ax in axes:
        ax.axhline(0, color="0.6", lw=0.6)
    figure = axes[0].figure
    # margins set by hand (a layout engine costs a few tenths of a second per drawing); the bottom
    # fifth holds the common legend
    figure.subplots_adjust(left=0.07, right=0.99, bottom=0.23, top=0.92, wspace=0.32)
    figure.legend(*axes[1].get_legend_handles_labels(), loc="lower center", ncol=len(curves), fontsize=9)
    return axes


SPRING_STYLES = {"exact": ("exact field", "0.3", ":"), "hnn": ("Hamiltonian network", "tab:blue", "-"),
                 "baseline": ("plain network", "tab:red", "-")}
"""Label, colour and line style of each orbit in :func:`plot_spring_comparison`."""


def plot_spring_comparison(trajectories: Mapping[str, np.ndarray], *, axes=None) -> np.ndarray:
    """Phase-space orbits and their true energy over time (book Fig. 14.3).

    Parameters
    ----------
    trajectories
        From :func:`dlpbook.objectives.studies.spring_trajectories`: ``t``, the orbits ``exact``,
        ``hnn``, ``baseline`` and their ``energy:<name>``.
    axes
        Two axes; default a new 1 x 2 figure.

    Returns
    -------
    ndarray of Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for name, (label, colour, style) in SPRING_STYLES.items():
        path = trajectories[name]
        axes[0].plot(path[:, 0], path[:, 1], color=colour, ls=style, lw=1.4, label=label)
        axes[1].plot(trajectories["t"], trajectories[f"energy:{name}"], color=colour, ls=style, lw=1.8, label=label)
    start = trajectories["exact"][0]
    axes[0].plot(*start, "ko", ms=6, label="start")
    axes[0].set(xlabel="position $q$", ylabel="momentum $p$", title="phase space", aspect="equal")
    axes[1].set(xlabel="time $t$ (units of $1/\\omega$)", ylabel="true energy $H(q, p)$ ($k = m = 1$)",
                title="energy along the orbit")
    axes[0].legend(fontsize=10, loc="center")
    axes[1].legend(fontsize=10)
    axes[0].figure.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.92, wspace=0.25)  # by hand: cheaper than a layout engine
    return axes
