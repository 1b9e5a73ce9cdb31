"""A small, explicit PyTorch training loop (book Sec. 4.2, 4.6, 5.3)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import torch
from tqdm import tqdm

from .. import config
from .callbacks import Callback
from .history import History

Metric = Callable[[torch.Tensor, torch.Tensor], float]


def as_tensor(array, device: torch.device | None = None) -> torch.Tensor:
    """Convert a numpy array or tensor: floats become float32, integers stay int64."""
    tensor = torch.as_tensor(np.asarray(array) if not isinstance(array, torch.Tensor) else array)
    tensor = tensor.float() if tensor.is_floating_point() else tensor.long()
    return tensor.to(device) if device is not None else tensor


def _pair(data: Sequence, name: str, device) -> tuple[torch.Tensor, torch.Tensor]:
    if len(data) != 2:
        raise ValueError(f"{name} must be a pair (x, y), got {len(data)} items")
    x, y = as_tensor(data[0], device), as_tensor(data[1], device)
    if len(x) != len(y):
        raise ValueError(f"{name}: x and y differ in length ({len(x)} vs {len(y)})")
    if len(x) == 0:
        raise ValueError(f"{name} is empty")
    return x, y


@torch.no_grad()
def predict(model: torch.nn.Module, x, *, batch_size: int = 1024, device: torch.device | None = None) -> np.ndarray:
    """Model outputs for ``x`` in evaluation mode, as a numpy array."""
    device = device or next(model.parameters()).device
    model.eval()
    x = as_tensor(x, device)
    return torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]).cpu().numpy()


@torch.no_grad()
def _evaluate(model, x, y, loss, metrics: Mapping[str, Metric], prefix: str, batch_size: int) -> dict[str, float]:
    model.eval()
    outputs = torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    values = {f"{prefix}{name}": float(metric(outputs, y)) for name, metric in metrics.items()}
    if prefix:
        values[f"{prefix}loss"] = float(loss(outputs, y))
    return values


def fit(
    model: torch.nn.Module,
    train: Sequence,
    *,
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
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
    """Train ``model`` with minibatch gradient descent and return its :class:`History`.

    Each epoch shuffles the training set with a generator seeded by ``seed`` (so a run is
    reproducible), takes one optimizer step per minibatch of ``batch_size`` samples on
    ``loss(model(x), y)`` (+ ``regularizer(model)``), then evaluates ``metrics`` on the whole
    training set and, if given, the loss and metrics on the validation set.

    Parameters
    ----------
    model
        Any torch module; moved to ``device`` (default :func:`dlpbook.config.torch_device`).
    train, validation
        Pairs ``(x, y)`` of numpy arrays or tensors (float -> float32, integer -> int64).
    loss
        A torch loss module or callable ``(prediction, target) -> scalar tensor``.
    optimizer
        A torch optimizer over ``model.parameters()``.
    epochs
        Number of passes over the training data (> 0).
    batch_size
        Minibatch size (> 0).
    metrics
        ``name -> metric(prediction, target) -> float``, evaluated on full sets.
    callbacks
        E.g. :class:`EarlyStopping`, :class:`ReduceLROnPlateau`.
    regularizer
        Optional penalty added to the training loss, e.g.
        ``lambda m: dlpbook.nn.weight_penalty(m, l2=1e-3)``.
    seed
        Seed of the minibatch shuffling.
    progress
        Progress bar over the minibatches of all epochs, with the epoch and its latest values
        (``None``: on a terminal only).
    """
    if epochs <= 0:
        raise ValueError(f"epochs must be > 0, got {epochs}")
    if batch_size <= 0:
        raise ValueError(f"batch_size must be > 0, got {batch_size}")
    device = torch.device(device) if device is not None else config.torch_device()
    model.to(device)
    x, y = _pair(train, "train", device)
    val = _pair(validation, "validation", device) if validation is not None else None
    metrics = dict(metrics or {})
    callbacks = list(callbacks)
    generator = torch.Generator().manual_seed(seed)
    history = History()
    n_batches = -(-len(x) // batch_size)
    bar = tqdm(total=epochs * n_batches, unit="batch", disable=None if progress is None else not progress)
    for epoch in range(1, epochs + 1):
        bar.set_description(f"epoch {epoch}/{epochs}")
        model.train()
        order = torch.randperm(len(x), generator=generator).to(device)
        total, count = 0.0, 0
        lr = optimizer.param_groups[0]["lr"]
        for start in range(0, len(x), batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            value = loss(model(x[index]), y[index])
            if regularizer is not None:
                value = value + regularizer(model)
            value.backward()
            optimizer.step()
            total += float(value.detach()) * len(index)
            count += len(index)
            bar.update()
        values = {"loss": total / count, "lr": lr}
        if metrics:
            values.update(_evaluate(model, x, y, loss, metrics, "", 1024))
        if val is not None:
            values.update(_evaluate(model, *val, loss, metrics, "val_", 1024))
        history.append(epoch, values)
        bar.set_postfix({k: f"{v:.4g}" for k, v in values.items() if k != "lr"})
        stop = False
        for callback in callbacks:
            stop = callback.on_epoch_end(model, optimizer, history) or stop
        if stop:
            break
    bar.close()
    for callback in callbacks:
        callback.on_train_end(model, history)
    model.eval()
    return history
