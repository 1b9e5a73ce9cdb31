"""Callbacks of :func:`dlpbook.train.fit`: early stopping and learning-rate reduction (Sec. 4.7, 5.4)."""

from __future__ import annotations

import copy
import math

import torch

from ..history import History


class Callback:
    """Base class: ``on_epoch_end`` sees the model, optimizer and history after each epoch.

    Returning ``True`` from ``on_epoch_end`` stops training; ``on_train_end`` runs once at the end.
    """

    def on_epoch_end(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer, history: History) -> bool:
        return False

    def on_train_end(self, model: torch.nn.Module, history: History) -> None:
        return None


def _improved(value: float, best: float, min_delta: float) -> bool:
    return value < best - min_delta


def _monitored(history: History, monitor: str) -> float:
    if monitor not in history:
        raise KeyError(f"cannot monitor {monitor!r}: the history has {sorted(history.keys())} (pass validation data?)")
    return history[monitor][-1]


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs (book Sec. 5.4).

    With ``restore_best=True`` the model gets back the parameters of its best epoch, which
    the history records as ``best_epoch``. Training stops after the ``patience``-th epoch in a
    row without improvement, the epoch at which ``keras.callbacks.EarlyStopping`` stops.
    """

    def __init__(self, patience: int = 5, *, monitor: str = "val_loss", min_delta: float = 0.0, restore_best: bool = True):
        if patience < 0:
            raise ValueError(f"patience must be >= 0, got {patience}")
        self.patience, self.monitor, self.min_delta, self.restore_best = patience, monitor, min_delta, restore_best
        self.best = math.inf
        self.best_state: dict[str, torch.Tensor] | None = None
        self.wait = 0

    def on_epoch_end(self, model, optimizer, history):
        value = _monitored(history, self.monitor)
        if _improved(value, self.best, self.min_delta):
            self.best, self.wait = value, 0
            history.best_epoch = history.epochs[-1]
            if self.restore_best:
                self.best_state = copy.deepcopy(model.state_dict())
            return False
        self.wait += 1
        if self.wait >= self.patience:
            history.stopped_early = True
            return True
        return False

    def on_train_end(self, model, history):
        if self.restore_best and self.best_state is not None:
            model.load_state_dict(self.best_state)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs (Sec. 4.8).

    The rate drops after the ``patience``-th epoch in a row without improvement, as with
    ``keras.callbacks.ReduceLROnPlateau``. Unlike Keras, whose default ``min_delta`` is
    ``1e-4`` (absolute, too coarse for losses of that size), the default here counts every
    decrease as an improvement; pass ``min_delta=1e-4`` for Keras' behaviour.
    """

    def __init__(self, factor: float = 0.5, patience: int = 2, *, monitor: str = "val_loss", min_lr: float = 0.0, min_delta: float = 0.0):
        if not 0 < factor < 1:
            raise ValueError(f"factor must be in (0, 1), got {factor}")
        if patience < 0:
            raise ValueError(f"patience must be >= 0, got {patience}")
        self.factor, self.patience, self.monitor, self.min_lr, self.min_delta = factor, patience, monitor, min_lr, min_delta
        self.best = math.inf
        self.wait = 0

    def on_epoch_end(self, model, optimizer, history):
        value = _monitored(history, self.monitor)
        if _improved(value, self.best, self.min_delta):
            self.best, self.wait = value, 0
            return False
        self.wait += 1
        if self.wait >= self.patience:
            for group in optimizer.param_groups:
                group["lr"] = max(group["lr"] * self.factor, self.min_lr)
            self.wait = 0
        return False
