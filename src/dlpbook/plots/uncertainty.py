"""Figures of uncertainties and robustness (book Ch. 13): prediction bands and adversarial examples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np


def plot_uncertainty_bands(
    grid, mean, aleatoric, epistemic, *, x_train=None, y_train=None, truth=None, ax: plt.Axes | None = None
) -> plt.Axes:
    """A regression with its one-sigma bands: total (aleatoric + epistemic) and epistemic alone (Sec. 13.1).

    Parameters
    ----------
    grid : (k,) array_like
        Positions, sorted.
    mean, aleatoric, epistemic : (k,) array_like
        The prediction and its variances (:class:`dlpbook.uncertainty.PredictiveUncertainty`).
    x_train, y_train : (n,) array_like, optional
        The training data, drawn as dots.
    truth : (k,) array_like, optional
        The true curve, dashed.
    ax
        Where to draw (default: the current axes).
    """
    ax = ax or plt.gca()
    grid, mean = np.asarray(grid, float), np.asarray(mean, float)
    aleatoric, epistemic = np.asarray(aleatoric, float), np.asarray(epistemic, float)
    if not grid.shape == mean.shape == aleatoric.shape == epistemic.shape or grid.ndim != 1:
        raise ValueError("grid, mean, aleatoric and epistemic must be one-dimensional and equally long")
    if np.any(aleatoric < 0) or np.any(epistemic < 0):
        raise ValueError("aleatoric and epistemic are variances and must be >= 0")
    total = np.sqrt(aleatoric + epistemic)
    if x_train is not None and y_train is not None:
        ax.plot(x_train, y_train, ".", color="0.6", ms=3, label="training data", zorder=1)
    ax.fill_between(grid, mean - total, mean + total, color="C0", alpha=0.25, lw=0,
                    label=r"$\pm\sigma_\mathrm{tot}$ (aleatoric + epistemic)")
    ax.fill_between(grid, mean - np.sqrt(epistemic), mean + np.sqrt(epistemic), color="C1", alpha=0.6, lw=0,
                    label=r"$\pm\sigma_\mathrm{epi}$")
    ax.plot(grid, mean, color="C0", label="prediction")
    if truth is not None:
        ax.plot(grid, truth, "k--", lw=1, label="true curve")
    ax.set(xlabel="$x$", ylabel="$y$")
    return ax


def plot_uncertainty_widths(grid, aleatoric, epistemic, *, noise=None, x_train=None, ax: plt.Axes | None = None) -> plt.Axes:
    """The widths ``sigma_ale`` and ``sigma_epi`` against the position, with the true noise and the data's positions.

    Parameters
    ----------
    grid, aleatoric, epistemic : (k,) array_like
        As for :func:`plot_uncertainty_bands` (variances).
    noise : (k,) array_like, optional
        The true standard deviation of the data's scatter.
    x_train : (n,) array_like, optional
        Positions of the training data, drawn as a rug at the bottom.
    ax
        Where to draw (default: the current axes).
    """
    ax = ax or plt.gca()
    ax.plot(grid, np.sqrt(aleatoric), color="C0", label=r"$\sigma_\mathrm{ale}$")
    ax.plot(grid, np.sqrt(epistemic), color="C1", label=r"$\sigma_\mathrm{epi}$")
    if noise is not None:
        ax.plot(grid, noise, "k--", lw=1, label="true noise")
    if x_train is not None:
        ax.plot(x_train, np.zeros_like(np.asarray(x_train, float)), "|", color="0.5", ms=6, label="training $x$")
    ax.set(xlabel="$x$", ylabel=r"standard deviation $\sigma$", ylim=(0, None))
    return ax


def plot_adversarial_example(
    image, adversarial, clean_probability, adversarial_probability, *, class_names: Sequence[str], axes=None,
    unit: str = "",
) -> plt.Figure:
    """The original input, the perturbation and the adversarial input side by side, titled with the class probabilities.

    Parameters
    ----------
    image, adversarial : (H, W) array_like
        The clean and the attacked input.
    clean_probability, adversarial_probability : (classes,) array_like
        The network's class probabilities for both.
    class_names
        One name per class.
    axes
        Three matplotlib axes (default: a new figure).
    unit
        Unit of the pixel values, for the colour bars.

    Returns
    -------
    matplotlib.figure.Figure
    """
    image, adversarial = np.asarray(image, float), np.asarray(adversarial, float)
    if image.shape != adversarial.shape or image.ndim != 2:
        raise ValueError(f"image and adversarial must be equal 2D arrays, got {image.shape} and {adversarial.shape}")
    if len(clean_probability) != len(class_names) or len(adversarial_probability) != len(class_names):
        raise ValueError("one probability per class name is needed")
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.8), layout="constrained")

    def probabilities(values) -> str:
        return ", ".join(f"{name} {value:.2f}" for name, value in zip(class_names, values))

    label = f" ({unit})" if unit else ""
    top = max(image.max(), adversarial.max())
    shown = axes[0].imshow(image, cmap="viridis", vmin=0, vmax=top)
    axes[0].figure.colorbar(shown, ax=axes[0], label="value" + label, shrink=0.85)
    axes[0].set_title(f"original\n{probabilities(clean_probability)}", fontsize="medium")
    change = adversarial - image
    bound = np.abs(change).max() or 1.0
    shown = axes[1].imshow(change, cmap="RdBu_r", vmin=-bound, vmax=bound)
    axes[1].figure.colorbar(shown, ax=axes[1], label="change" + label, shrink=0.85)
    axes[1].set_title("perturbation", fontsize="medium")
    shown = axes[2].imshow(adversarial, cmap="viridis", vmin=0, vmax=top)
    axes[2].figure.colorbar(shown, ax=axes[2], label="value" + label, shrink=0.85)
    axes[2].set_title(f"adversarial\n{probabilities(adversarial_probability)}", fontsize="medium")
    for ax in axes:
        ax.set(xticks=[], yticks=[])
    return axes[0].figure


def plot_accuracy_vs_epsilon(epsilons, accuracies: Mapping[str, Sequence[float]], *, ax: plt.Axes | None = None,
                             chance: float | None = None) -> plt.Axes:
    """Accuracy against the attack budget ``epsilon``, one curve per attack (Sec. 13.3).

    Parameters
    ----------
    epsilons : (k,) array_like
        The budgets.
    accuracies
        ``attack name -> (k,) accuracies``.
    ax
        Where to draw (default: the current axes).
    chance
        Accuracy of guessing, drawn as a dotted line.
    """
    ax = ax or plt.gca()
    for (name, values), marker in zip(accuracies.items(), "osD^v"):
        if len(values) != len(epsilons):
            raise ValueError(f"{name} has {len(values)} accuracies for {len(epsilons)} epsilons")
        ax.plot(epsilons, values, marker=marker, label=name)
    if chance is not None:
        ax.axhline(chance, color="0.5", ls=":", label="guessing")
    ax.set(xlabel=r"budget $\epsilon$ (largest change of a pixel)", ylabel="test accuracy", ylim=(0, 1.02))
    ax.legend()
    return ax
