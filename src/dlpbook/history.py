"""The record of a training run, framework-free.

:func:`dlpbook.train.fit`, the explicit training loops of later chapters (through
:class:`dlpbook.train.EpochLoop`) and :func:`dlpbook.plots.training.plot_history` share
:class:`History`; plotting a history therefore never imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class History:
    """Per-epoch values of a training run.

    ``history["loss"]`` is the mean training loss of each epoch, ``history["val_loss"]`` the
    validation loss, ``history["<metric>"]``/``history["val_<metric>"]`` the metrics on the
    full training/validation set after each epoch, and ``history["lr"]`` the learning rate
    used in each epoch. ``epochs`` are 1-based.
    """

    epochs: list[int] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=dict)
    best_epoch: int | None = None
    stopped_early: bool = False

    def __getitem__(self, key: str) -> list[float]:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"no {key!r} in history; it has {sorted(self.values)}") from None

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def keys(self):
        """Names of the recorded quantities."""
        return self.values.keys()

    def append(self, epoch: int, values: dict[str, float]) -> None:
        """Record the values of one epoch."""
        self.epochs.append(epoch)
        for key, value in values.items():
            self.values.setdefault(key, []).append(float(value))
