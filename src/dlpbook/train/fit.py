"""A small, explicit PyTorch training loop (book Sec. 4.2, 4.6, 5.3).

The data stay on the host: every minibatch is indexed there and moved to the device on its
own (:mod:`dlpbook.train.batches`), so the inputs and targets may be nested (several arrays
per sample) and larger than the device memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import torch

from .. import config
from ..history import History
from ..validation import check_count, check_seed
from .batches import Nested, concatenate, map_nested, sample_count, shuffled_batches, take_batch, to_numpy
from .callbacks import Callback
from .loop import EpochLoop

Metric = Callable[[Nested, Nested], float]
"""``metric(outputs, targets) -> float`` on the tensors of a whole data set."""

EVALUATION_BATCH_SIZE = 1024
"""Samples per forward pass when a whole set is evaluated (no gradients, so larger than training batches)."""


def _split(data: Sequence, name: str) -> tuple[Nested, Nested, int]:
    """``(inputs, targets, n_samples)`` of a pair, checked."""
    if not isinstance(data, (tuple, list)):
        raise TypeError(f"{name} must be a pair (inputs, targets), got {type(data).__name__}")
    if len(data) != 2:
        raise ValueError(f"{name} must be a pair (inputs, targets), got {len(data)} items")
    inputs, targets = data
    return inputs, targets, sample_count({"inputs": inputs, "targets": targets}, name)


@torch.no_grad()
def predict(
    model: torch.nn.Module, inputs: Nested, *, batch_size: int = EVALUATION_BATCH_SIZE, device: torch.device | str | None = None
) -> Nested:
    """Model outputs for ``inputs`` in evaluation mode, as NumPy arrays.

    Parameters
    ----------
    model
        A torch module; it is called as ``model(batch)`` with ``batch`` nested like ``inputs``.
    inputs
        An array, or a tuple, list or dict of arrays with the samples along the first axis
        (see :mod:`dlpbook.train.batches`); they stay on the host and travel to the device in
        minibatches of ``batch_size``, whose outputs come straight back to the host.
    batch_size
        Samples per forward pass (> 0).
    device
        Where the model runs (default: where its parameters are).

    Returns
    -------
    ndarray, or a tuple, list or dict of them
        The outputs of all samples, nested like the model's output.
    """
    batch_size = check_count(batch_size, "batch_size")
    n = sample_count(inputs, "inputs")
    device = torch.device(device) if device is not None else next(model.parameters()).device
    model.eval()
    outputs = [to_numpy(model(take_batch(inputs, slice(i, i + batch_size), device))) for i in range(0, n, batch_size)]
    return map_nested(lambda *parts: np.concatenate(parts), *outputs)


@torch.no_grad()
def _evaluate(model, inputs, targets, n, device, loss, metrics: Mapping[str, Metric], prefix: str) -> dict[str, float]:
    """Metrics (and, for validation, the loss) on a whole set, from outputs gathered on the device."""
    model.eval()
    batches = [slice(i, i + EVALUATION_BATCH_SIZE) for i in range(0, n, EVALUATION_BATCH_SIZE)]
    outputs = concatenate([model(take_batch(inputs, batch, device)) for batch in batches])
    targets = concatenate([take_batch(targets, batch, device) for batch in batches])
    values = {f"{prefix}{name}": float(metric(outputs, targets)) for name, metric in metrics.items()}
    if prefix:
        values[f"{prefix}loss"] = float(loss(outputs, targets))
    return values


def fit(
    model: torch.nn.Module,
    train: Sequence,
    *,
    loss: Callable[[Nested, Nested], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    epochs: int,
    batch_size: int = 32,
    validation: Sequence | None = None,
    metrics: Mapping[str, Metric] | None = None,
    callbacks: Iterable[Callback] = (),
    regularizer: Callable[[torch.nn.Module], torch.Tensor] | None = None,
    seed: int = 0,
    progress: bool | None = None,
    device: torch.device | str | None = None,
) -> History:
    """Train ``model`` with minibatch gradient descent and return its :class:`~dlpbook.history.History`.

    Each epoch shuffles the training set with a generator seeded by ``seed`` alone (so a run
    is reproducible and independent of torch's global seed), takes one optimizer step per
    minibatch of ``batch_size`` samples on ``loss(model(inputs), targets)``
    (+ ``regularizer(model)``), then evaluates ``metrics`` on the whole training set and, if
    given, the loss and metrics on the validation set.

    The data stay on the host: each minibatch is indexed there, converted (float -> float32,
    integer -> int64) and moved to ``device`` on its own. For the evaluation after each epoch
    the outputs and targets of the whole set are gathered on the device.

    Parameters
    ----------
    model
        Any torch module; moved to ``device``. It is called as ``model(inputs)`` with a
        minibatch nested like the training inputs: a tensor, or a tuple, list or dict of them.
    train, validation
        Pairs ``(inputs, targets)``. Each of them is an array (NumPy or torch), or a tuple,
        list or dict of arrays, all with the same number of samples along their first axis
        (see :mod:`dlpbook.train.batches`); e.g. ``({"traces": t, "footprint": f}, (xmax, energy))``.
    loss
        A torch loss module or callable ``(outputs, targets) -> scalar tensor``, where both
        are nested like the model's output and the targets.
    optimizer
        A torch optimizer over ``model.parameters()``.
    epochs
        Number of passes over the training data (> 0).
    batch_size
        Minibatch size (> 0).
    metrics
        ``name -> metric(outputs, targets) -> float``, evaluated on full sets.
    callbacks
        E.g. :class:`EarlyStopping`, :class:`ReduceLROnPlateau`.
    regularizer
        Optional penalty added to the training loss, e.g.
        ``lambda m: dlpbook.nn.weight_penalty(m, l2=1e-3)``.
    seed
        Seed of the minibatch shuffling (>= 0).
    progress
        Progress bar over the minibatches of all epochs, with the epoch and its latest values
        (``None``: on a terminal only).
    device
        Where the model and the minibatches go (default :func:`dlpbook.config.torch_device`).

    Returns
    -------
    History
        ``loss`` (the training loss averaged over the epoch's samples, as the weights
        changed), ``lr`` (the learning rate of the epoch), the metrics,
        and ``val_loss`` and ``val_<metric>`` with validation data.
    """
    epochs, batch_size = check_count(epochs, "epochs"), check_count(batch_size, "batch_size")
    generator = torch.Generator().manual_seed(check_seed(seed))
    inputs, targets, n = _split(train, "train")
    val = _split(validation, "validation") if validation is not None else None
    device = torch.device(device) if device is not None else config.torch_device()
    model.to(device)
    metrics = dict(metrics or {})
    loop = EpochLoop(epochs, -(-n // batch_size), model=model, optimizer=optimizer, callbacks=callbacks, progress=progress)
    for _ in loop:
        model.train()
        total = 0.0
        lr = optimizer.param_groups[0]["lr"]
        for index in shuffled_batches(n, batch_size, generator):
            optimizer.zero_grad()
            value = loss(model(take_batch(inputs, index, device)), take_batch(targets, index, device))
            if regularizer is not None:
                value = value + regularizer(model)
            value.backward()
            optimizer.step()
            total += float(value.detach()) * len(index)
            loop.batch_done()
        values = {"loss": total / n, "lr": lr}
        if metrics:
            values.update(_evaluate(model, inputs, targets, n, device, loss, metrics, ""))
        if val is not None:
            values.update(_evaluate(model, *val, device, loss, metrics, "val_"))
        loop.end_epoch(values)
    model.eval()
    return loop.history
