"""Small PyTorch model builders shared by pages, exercises and tests."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .mlp_arguments import check_mlp_arguments

_ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "elu": nn.ELU,
    "selu": nn.SELU,
    "leaky_relu": nn.LeakyReLU,
    "linear": nn.Identity,
}


def _activation(name: str) -> nn.Module:
    try:
        return _ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {name!r}") from None


def mlp(
    n_in: int,
    hidden: Sequence[int],
    n_out: int,
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    output_activation: str | None = None,
) -> nn.Sequential:
    """A fully-connected network: ``n_in -> hidden[0] -> ... -> n_out`` (book Sec. 3.3, 7.1).

    Each hidden layer is ``Linear -> activation`` (``-> Dropout`` when ``dropout > 0``). The
    output layer is linear unless ``output_activation`` names one (e.g. ``"sigmoid"``).
    Weights use PyTorch's default initialisation, seeded by :func:`torch.manual_seed`.

    Parameters
    ----------
    n_in, n_out
        Input and output sizes (> 0).
    hidden
        Sizes of the hidden layers (may be empty: a linear model).
    activation
        One of relu, tanh, sigmoid, elu, selu, leaky_relu, linear.
    dropout
        Dropout rate in [0, 1) after every hidden layer.
    output_activation
        ``None`` for a linear output, or one of the activation names.
    """
    sizes = check_mlp_arguments(n_in, hidden, n_out, dropout)
    _activation(activation)
    layers: list[nn.Module] = []
    for width_in, width_out in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(width_in, width_out), _activation(activation)]
        if dropout:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    if output_activation is not None:
        layers.append(_activation(output_activation))
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module, *, trainable_only: bool = True) -> int:
    """Number of (trainable) parameters of a torch model, as Keras' ``count_params``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def weight_penalty(model: nn.Module, *, l1: float = 0.0, l2: float = 0.0) -> torch.Tensor:
    """L1/L2 penalty on the weight matrices (not the biases) of all ``Linear`` layers.

    ``l1 * sum|W| + l2 * sum W^2`` (book Eq. 5.6, 5.7), as Keras' ``L1L2`` kernel regulariser.
    """
    if l1 < 0 or l2 < 0:
        raise ValueError(f"penalty rates must be >= 0, got l1={l1}, l2={l2}")
    total = torch.zeros(())
    for module in model.modules():
        if isinstance(module, nn.Linear):
            if l1:
                total = total + l1 * module.weight.abs().sum()
            if l2:
                total = total + l2 * module.weight.square().sum()
    return total
