"""Layer-by-layer diagnostics of deep networks (book Sec. 7.4-7.7, Fig. 7.6).

- :func:`layer_activations` and :func:`activation_statistics`: the outputs of every layer
  of a network, their mean, standard deviation and histogram, e.g. SELU activations that stay
  normalised through depth against ReLU or sigmoid ones that drift or saturate (Fig. 7.6b).
- :func:`gradient_norms`: the norm of the loss gradient of every weight matrix, to see
  gradients vanish towards the input (Sec. 7.4) and the remedies of :mod:`dlpbook.nn.deep_mlp`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..validation import check_count, check_float
from .deep_mlp import ResidualBlock
from .mlp import _ACTIVATIONS

# the modules whose outputs count as a layer's activations: every activation function, and a
# residual block as a whole (its last activation comes after the shortcut is added)
_LAYER_TYPES = (*(cls for cls in _ACTIVATIONS.values() if cls is not nn.Identity), ResidualBlock)


def _recorder(recorded: dict[str, torch.Tensor], name: str) -> Callable:
    def hook(_module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
        recorded[name] = output.detach()

    return hook


def layer_activations(model: nn.Module, inputs: torch.Tensor) -> dict[str, torch.Tensor]:
    """The output of every activation layer (and residual block) of ``model`` for ``inputs``.

    Runs one forward pass without gradients, in the model's current mode (call ``eval()``
    first to switch dropout off), recording with forward hooks that are removed afterwards.

    Parameters
    ----------
    model
        Any torch module; the layers recorded are its ReLU, Tanh, Sigmoid, ELU, SELU and
        LeakyReLU modules and :class:`~dlpbook.nn.deep_mlp.ResidualBlock` s (not the modules
        inside a block).
    inputs
        A minibatch the model accepts.

    Returns
    -------
    dict
        Module name (as in ``model.named_modules()``) -> detached output, in forward order.
    """
    recorded: dict[str, torch.Tensor] = {}
    hooks = []
    inside_block: list[str] = []
    for name, module in model.named_modules():
        if any(name.startswith(f"{block}.") for block in inside_block):
            continue
        if isinstance(module, ResidualBlock):
            inside_block.append(name)
        if isinstance(module, _LAYER_TYPES):
            hooks.append(module.register_forward_hook(_recorder(recorded, name)))
    try:
        with torch.no_grad():
            model(inputs)
    finally:
        for hook in hooks:
            hook.remove()
    return recorded


@dataclass(frozen=True)
class ActivationStatistics:
    """Moments and histograms of the activations of each layer (Fig. 7.6b).

    Attributes
    ----------
    names : list of str
        The layers, input side first.
    mean, std : (n_layers,) ndarray
        Mean and standard deviation of all activations of a layer (over samples and nodes).
    edges : (bins + 1,) ndarray
        Common bin edges of the histograms.
    counts : (n_layers, bins) ndarray
        Histogram of each layer's activations; values outside the edges are not counted.
    """

    names: list[str]
    mean: np.ndarray
    std: np.ndarray
    edges: np.ndarray
    counts: np.ndarray


def activation_statistics(
    model: nn.Module, inputs: torch.Tensor, *, bins: int = 50, value_range: tuple[float, float] = (-3.0, 3.0)
) -> ActivationStatistics:
    """Mean, standard deviation and histogram of every layer's activations (Fig. 7.6b).

    In a self-normalising network (:func:`~dlpbook.nn.deep_mlp.self_normalizing_mlp`) fed
    standardised inputs, mean and standard deviation stay near 0 and 1 through all layers.

    Parameters
    ----------
    model, inputs
        As for :func:`layer_activations`.
    bins
        Number of histogram bins (> 0).
    value_range
        ``(low, high)`` of the histograms, ``low < high``.

    Returns
    -------
    ActivationStatistics
    """
    bins = check_count(bins, "bins")
    low, high = value_range
    low = check_float(low, "value_range")
    high = check_float(high, "value_range", low=low, low_open=True)
    activations = {name: output.double().flatten() for name, output in layer_activations(model, inputs).items()}
    edges = np.linspace(low, high, bins + 1)
    counts = [np.histogram(values.numpy(), bins=edges)[0] for values in activations.values()]
    return ActivationStatistics(
        names=list(activations),
        mean=np.array([values.mean().item() for values in activations.values()]),
        std=np.array([values.std(unbiased=False).item() for values in activations.values()]),
        edges=edges,
        counts=np.array(counts).reshape(len(activations), bins),
    )


def gradient_norms(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> dict[str, float]:
    """Euclidean norm of ``dL/dW`` for the weight matrix of every ``Linear`` layer (Sec. 7.4).

    Small norms near the input and large ones near the output show vanishing gradients
    (e.g. a deep sigmoid network, where every layer multiplies by ``sigma' <= 1/4``). The
    gradients are computed with :func:`torch.autograd.grad`, so the parameters' ``.grad``
    fields (an optimiser's state) are left untouched.

    Parameters
    ----------
    model
        A torch module with ``Linear`` layers.
    inputs, targets
        A minibatch and its targets.
    loss
        ``loss(model(inputs), targets) -> scalar``.

    Returns
    -------
    dict
        Name of the ``Linear`` module -> ``||dL/dW||_2`` (Frobenius norm), input side first.
    """
    linears = {name: module for name, module in model.named_modules() if isinstance(module, nn.Linear)}
    if not linears:
        raise ValueError("model has no Linear layer")
    value = loss(model(inputs), targets)
    grads = torch.autograd.grad(value, [module.weight for module in linears.values()])
    return {name: grad.norm().item() for name, grad in zip(linears, grads)}
