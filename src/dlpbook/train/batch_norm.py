"""Exact BatchNorm statistics after training ("precise BatchNorm", Wu and Johnson 2021)."""

from __future__ import annotations

import torch
from torch import nn

from .batches import sample_count, take_batch

_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


@torch.no_grad()
def recalibrate_batch_norm(
    model: nn.Module, x, *, batch_size: int = 64, max_batches: int = 100, seed: int = 0
) -> nn.Module:
    """Replace the running statistics of every BatchNorm layer by plain averages over training batches.

    During training, BatchNorm keeps an exponential moving average of the batch means and
    variances, mostly from the last few steps, while the weights were still changing; evaluation
    uses these lagging statistics. A network whose output depends on small shifts of pooled
    features (the sky-map graph network of Ex. 10.1, for example) can lose accuracy in evaluation
    mode because of that lag. This function runs the final model in training mode, without
    gradients, over up to ``max_batches`` full minibatches of ``x`` drawn at random, and stores
    the average of their statistics; the weights do not change.

    Parameters
    ----------
    model
        A torch model with at least one ``BatchNorm1d/2d/3d`` layer. Dropout layers are active
        during the passes, as in training.
    x
        Training inputs, at least ``batch_size`` samples: an array (NumPy or torch) or the
        nested inputs of :func:`dlpbook.train.fit`; minibatches travel to the model's device
        one at a time.
    batch_size
        Samples per pass (> 0): use the training batch size.
    max_batches
        Number of passes at most (> 0).
    seed
        Seed of the random choice of samples.

    Returns
    -------
    The same model, in evaluation mode.
    """
    norms = [module for module in model.modules() if isinstance(module, _BATCH_NORMS)]
    if not norms:
        raise ValueError("the model has no BatchNorm layer to recalibrate")
    if batch_size <= 0 or max_batches <= 0:
        raise ValueError(f"batch_size and max_batches must be > 0, got {batch_size}, {max_batches}")
    n_samples = sample_count(x, "x")
    n_batches = min(n_samples // batch_size, max_batches)
    if n_batches == 0:
        raise ValueError(f"x has {n_samples} samples, fewer than one batch of {batch_size}")
    momenta = [norm.momentum for norm in norms]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative average over the passes
    device = next(model.parameters()).device
    order = torch.randperm(n_samples, generator=torch.Generator().manual_seed(seed))[: n_batches * batch_size]
    model.train()
    for batch in order.reshape(n_batches, batch_size):
        model(take_batch(x, batch, device))
    for norm, momentum in zip(norms, momenta, strict=True):
        norm.momentum = momentum
    return model.eval()
