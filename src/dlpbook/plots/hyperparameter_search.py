"""Grid search against random search over two hyperparameters (book Sec. 5.5, Fig. 5.7).

After Bergstra and Bengio (2012): when the validation performance depends strongly on one
hyperparameter and weakly on another, nine trials on a 3 x 3 grid try only three values of the
important one, while nine random trials try nine. :func:`toy_validation_score` is a made-up
performance of this kind (a narrow peak in the important parameter ``a``, a small ripple in
the unimportant ``b``, both on [0, 1]); :func:`plot_search_comparison` draws the trials of each
strategy on it, with the two one-dimensional effects in the margins.

Framework-free (matplotlib).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

PEAK = 0.73
"""Best value of the important hyperparameter of the toy score."""
PEAK_WIDTH = 0.08
"""Width (standard deviation) of the peak in the important hyperparameter."""


def important_effect(a: np.ndarray) -> np.ndarray:
    """Effect of the important hyperparameter on the toy score: a Gaussian peak at :data:`PEAK`."""
    return np.exp(-((np.asarray(a) - PEAK) ** 2) / (2 * PEAK_WIDTH**2))


def minor_effect(b: np.ndarray) -> np.ndarray:
    """Effect of the unimportant hyperparameter on the toy score: a ripple of amplitude 0.15."""
    return 0.15 * np.sin(3 * np.asarray(b))


def toy_validation_score(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A made-up validation performance that depends strongly on ``a`` and weakly on ``b``."""
    return important_effect(a) + minor_effect(b)


def grid_trials(per_axis: int = 3) -> np.ndarray:
    """The trials of a regular grid search: ``per_axis**2`` points (a, b), cell centres of [0, 1]^2."""
    values = (np.arange(per_axis) + 0.5) / per_axis
    return np.array([(a, b) for a in values for b in values])


def plot_search_comparison(trials: dict[str, np.ndarray], *, resolution: int = 200) -> plt.Figure:
    """One panel per search strategy: the trials (n, 2) on the toy score, the effects in the margins.

    The title of each panel counts the distinct values of the important hyperparameter among
    the trials and gives the best effect reached.
    """
    axis = np.linspace(0, 1, resolution)
    mesh_a, mesh_b = np.meshgrid(axis, axis)
    fig = plt.figure(figsize=(5.5 * len(trials), 5))
    outer = fig.add_gridspec(1, len(trials), wspace=0.3)
    for column, (title, points) in enumerate(trials.items()):
        cell = outer[column].subgridspec(2, 2, width_ratios=(4, 1), height_ratios=(1, 4), hspace=0.08, wspace=0.12)
        main = fig.add_subplot(cell[1, 0])
        top = fig.add_subplot(cell[0, 0], sharex=main)
        side = fig.add_subplot(cell[1, 1], sharey=main)
        main.contourf(mesh_a, mesh_b, toy_validation_score(mesh_a, mesh_b), levels=12, cmap="Greens")
        main.plot(*points.T, "o", color="C3", mec="k", label="trials")
        main.set_xlabel("important hyperparameter")
        main.set_ylabel("unimportant hyperparameter")
        main.legend(loc="lower left", fontsize="small")
        top.plot(axis, important_effect(axis), "k")
        top.plot(points[:, 0], important_effect(points[:, 0]), "o", color="C3", mec="k")
        top.set_title(f"{title}: {np.unique(points[:, 0].round(6)).size} distinct values, "
                      f"best {important_effect(points[:, 0]).max():.2f}", fontsize="medium")
        top.tick_params(labelbottom=False)
        top.set_ylabel("effect")
        side.plot(minor_effect(axis), axis, "k")
        side.plot(minor_effect(points[:, 1]), points[:, 1], "o", color="C3", mec="k")
        side.tick_params(labelleft=False)
        side.set_xticks([0, 0.1], ["0", "0.1"])  # two ticks: more collide in the narrow margin
        side.set_xlabel("effect")
    return fig
