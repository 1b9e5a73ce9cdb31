"""Training curves (book Fig. 2.4 bottom, 5.3, 5.4, 7.3a)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt

from ..history import History

_LABELS = {"loss": "training loss", "val_loss": "validation loss", "accuracy": "training accuracy", "val_accuracy": "validation accuracy"}


def plot_history(
    history: History | Mapping[str, Sequence[float]],
    keys: Sequence[str] = ("loss", "val_loss"),
    *,
    ax: plt.Axes | None = None,
    logy: bool = True,
    label_prefix: str = "",
    ylabel: str | None = None,
) -> plt.Axes:
    """Plot per-epoch curves from a dlpbook :class:`~dlpbook.history.History` or a Keras ``History.history`` dict.

    Epochs are numbered from 1 on the x axis; keys missing from the history raise ``KeyError``.
    """
    ax = ax or plt.gca()
    for key in keys:
        values = history[key]
        ax.plot(range(1, len(values) + 1), values, label=f"{label_prefix}{_LABELS.get(key, key)}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or ("loss" if all("loss" in k for k in keys) else ", ".join(keys)))
    if logy:
        ax.set_yscale("log")
    ax.legend()
    return ax
