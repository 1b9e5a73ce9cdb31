"""Monte-Carlo dropout: dropout kept on at inference, many passes per input (book Sec. 13.1, Refs. [129, 130]).

A network trained with dropout is, pass by pass, a different thinned network; keeping the
dropout layers active at inference and repeating the prediction ``T`` times samples from
an approximate posterior over the networks (Gal and Ghahramani). The passes are combined
like ensemble members (:func:`~.ensembles.combine_members`, or
:func:`~.ensembles.combine_gaussian_outputs` for heteroscedastic outputs): their mean is
the prediction and their spread the epistemic uncertainty. Without dropout every pass is
the same and the spread is 0.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..train.batches import Nested, sample_count, take_batch
from ..train.fit import EVALUATION_BATCH_SIZE
from ..validation import check_count
from ._context import evaluation_mode, model_device, seeded


@torch.no_grad()
def mc_dropout_samples(
    model: nn.Module, inputs: Nested, *, samples: int = 100, seed: int = 0, batch_size: int = EVALUATION_BATCH_SIZE
) -> np.ndarray:
    """``samples`` forward passes of ``model`` with its dropout layers active and everything else in evaluation mode.

    Batch normalisation uses its running statistics, as at inference; only the dropout
    masks change from pass to pass. The masks are drawn from ``seed`` (the caller's random
    state is left as it was) and the modules' modes are restored afterwards. A model whose
    layers sample by themselves (:class:`~.bayes_by_backprop.BayesianLinear`) is sampled the
    same way.

    Parameters
    ----------
    model
        A network with dropout layers (any ``torch.nn.Dropout*``) that returns one tensor.
    inputs
        Nested arrays as for :func:`dlpbook.train.predict`.
    samples
        Number of passes ``T`` (> 0).
    seed
        Seed (>= 0) of the dropout masks.
    batch_size
        Samples per forward pass (> 0).

    Returns
    -------
    (T, n, ...) ndarray
        The outputs of every pass, on the host.
    """
    samples, batch_size = check_count(samples, "samples"), check_count(batch_size, "batch_size")
    n = sample_count(inputs, "inputs")
    device = model_device(model)
    outputs = []
    with evaluation_mode(model, keep_dropout=True), seeded(seed, device):
        for start in range(0, n, batch_size):
            batch = take_batch(inputs, slice(start, start + batch_size), device)
            outputs.append(torch.stack([model(batch) for _ in range(samples)]).cpu().numpy())
    return np.concatenate(outputs, axis=1)
