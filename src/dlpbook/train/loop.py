"""The bookkeeping around a training loop's epochs: history, callbacks, progress bar.

:func:`dlpbook.train.fit` runs its epochs through :class:`EpochLoop`, and so do the explicit
loops of later chapters (GANs, variational autoencoders, domain-adversarial training), which
write their own steps rather than adding hooks to ``fit``, but record the same
:class:`~dlpbook.history.History`, obey the same callbacks and show the same progress bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import torch
from tqdm import tqdm

from ..history import History
from ..validation import check_count
from .callbacks import Callback


class EpochLoop:
    """Epochs of a training run with a :class:`History`, callbacks and a progress bar.

    Iterating yields the epoch numbers 1, 2, ...; the body runs one epoch, calls
    :meth:`batch_done` after every minibatch and ends with :meth:`end_epoch`. The loop stops
    after ``epochs`` epochs or earlier when a callback asks for it; the callbacks'
    ``on_train_end`` runs then, and :attr:`history` holds the record::

        loop = EpochLoop(epochs, len(batches), model=generator, optimizer=optimizer_g)
        for epoch in loop:
            for index in batches:
                ...  # one step of the discriminator and one of the generator
                loop.batch_done()
            loop.end_epoch({"loss_d": loss_d, "loss_g": loss_g})
        history = loop.history

    Parameters
    ----------
    epochs
        Number of epochs at most (> 0).
    batches_per_epoch
        Minibatches per epoch (> 0), the unit of the progress bar.
    model, optimizer
        What the callbacks see: the model whose parameters :class:`EarlyStopping` keeps and the
        optimizer whose rate :class:`ReduceLROnPlateau` lowers (in a GAN, e.g. the generator).
    callbacks
        :class:`Callback` objects, called in order after each epoch.
    progress
        Show the bar (``None``: on a terminal only).
    """

    def __init__(
        self,
        epochs: int,
        batches_per_epoch: int,
        *,
        model: torch.nn.Module,
        optimizer: torch.optim.Optimizer | None = None,
        callbacks: Iterable[Callback] = (),
        progress: bool | None = None,
    ):
        self.epochs = check_count(epochs, "epochs")
        self.batches_per_epoch = check_count(batches_per_epoch, "batches_per_epoch")
        self.model, self.optimizer, self.callbacks = model, optimizer, list(callbacks)
        self.progress = progress
        self.history = History()
        self._stop = False
        self._epoch = 0  # the running epoch; 0 before the first
        self._bar: tqdm | None = None

    def __iter__(self) -> Iterator[int]:
        if self._bar is not None or self.history.epochs:
            raise RuntimeError("an EpochLoop runs once; make a new one for another run")
        self._bar = tqdm(
            total=self.epochs * self.batches_per_epoch,
            unit="batch",
            disable=None if self.progress is None else not self.progress,
        )
        try:
            for epoch in range(1, self.epochs + 1):
                self._epoch = epoch
                self._bar.set_description(f"epoch {epoch}/{self.epochs}")
                yield epoch
                if self.history.epochs[-1:] != [epoch]:
                    raise RuntimeError(f"epoch {epoch} ended without loop.end_epoch(values)")
                if self._stop:
                    break
        finally:
            self._bar.close()
        for callback in self.callbacks:
            callback.on_train_end(self.model, self.history)

    def _check_running(self, method: str) -> None:
        if self._bar is None:
            raise RuntimeError(f"{method} belongs inside the loop: for epoch in loop: ...")

    def batch_done(self) -> None:
        """Advance the progress bar by one minibatch."""
        self._check_running("batch_done")
        self._bar.update()

    def end_epoch(self, values: dict[str, float]) -> None:
        """Record the epoch's ``values`` (name -> number), show them and run the callbacks.

        A callback that returns ``True`` from ``on_epoch_end`` ends the loop after this epoch.
        """
        self._check_running("end_epoch")
        if self.history.epochs[-1:] == [self._epoch]:
            raise RuntimeError(f"end_epoch was called twice in epoch {self._epoch}")
        self.history.append(self._epoch, values)
        self._bar.set_postfix({key: f"{value:.4g}" for key, value in values.items() if key != "lr"})
        for callback in self.callbacks:
            self._stop = bool(callback.on_epoch_end(self.model, self.optimizer, self.history)) or self._stop
