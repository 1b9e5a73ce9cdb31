"""The scores that the methods of chapter 12 explain or maximise: class scores before the softmax.

Saliency (Eq. 12.5), the class objective of activation maximization and LRP all start from
the score ``S_c`` of one output *before* the output activation (the book's footnote 5:
softmax couples the classes and saturates). A network that ends in ``Softmax``, ``LogSoftmax``
or ``Sigmoid`` (such as :func:`dlpbook.nn.conv.ising_cnn`) is read one module earlier.

A ``target`` names the output per sample: an integer (the same class for every sample), a
sequence or tensor of integers (one per sample), or ``None`` for a model with a single output
(a regression).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import torch
from torch import nn

from ..validation import ParameterError, check_int

OUTPUT_ACTIVATIONS = (nn.Softmax, nn.LogSoftmax, nn.Sigmoid)
"""Final modules that are skipped: the scores are their inputs."""

Target = int | Sequence[int] | torch.Tensor | None


def score_layer(model: nn.Module) -> nn.Module:
    """The module whose output are the scores: ``model`` itself, or the module before its
    output activation when ``model`` is an ``nn.Sequential`` ending in one."""
    if isinstance(model, nn.Sequential) and len(model) > 1 and isinstance(model[-1], OUTPUT_ACTIVATIONS):
        return model[-2]
    return model


def target_indices(target: Target, n_outputs: int, batch: int, name: str = "target") -> torch.Tensor:
    """The output index of every sample, as a ``(batch,)`` integer tensor.

    Parameters
    ----------
    target
        An index in ``[0, n_outputs)`` for all samples, one index per sample, or ``None``
        when ``n_outputs == 1``.
    n_outputs, batch
        Number of outputs (classes, channels) and of samples.
    name
        The parameter's name in error messages.

    Raises
    ------
    ParameterError
        For an index out of range, a sequence of the wrong length, or ``None`` with several
        outputs.
    """
    if target is None:
        if n_outputs != 1:
            raise ParameterError(name, f"an output index (the model has {n_outputs} outputs)", target)
        return torch.zeros(batch, dtype=torch.long)
    if isinstance(target, torch.Tensor):
        target = target.tolist()
    if isinstance(target, numbers.Integral):
        target = [target] * batch
    if not isinstance(target, Sequence) or len(target) != batch:
        raise ParameterError(name, f"an index or a sequence of {batch} indices, one per sample", target)
    return torch.tensor([check_int(t, name, low=0, high=n_outputs - 1) for t in target], dtype=torch.long)


def select(outputs: torch.Tensor, target: Target, name: str = "target") -> torch.Tensor:
    """``outputs[b, target_b]`` for every sample ``b`` of ``(batch, n)`` or ``(batch,)`` outputs."""
    outputs = outputs.reshape(len(outputs), -1)
    index = target_indices(target, outputs.shape[1], len(outputs), name).to(outputs.device)
    return outputs.gather(1, index[:, None])[:, 0]


def class_scores(model: nn.Module, inputs: torch.Tensor, target: Target = None) -> torch.Tensor:
    """The score ``S_c(x)`` of the target output for every sample, before the output activation.

    Runs ``model(inputs)`` and reads the output of :func:`score_layer` with a forward hook, so
    gradients flow back to ``inputs`` when they require them.

    Returns
    -------
    torch.Tensor
        Shape ``(batch,)``.
    """
    captured: list[torch.Tensor] = []
    handle = score_layer(model).register_forward_hook(lambda _module, _inputs, output: captured.append(output))
    try:
        model(inputs)
    finally:
        handle.remove()
    return select(captured[-1], target)
