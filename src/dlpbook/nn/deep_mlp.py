"""Remedies for training deep fully-connected networks (book Sec. 7.4-7.7).

Three ways to keep signals and gradients alive through many layers:

- residual blocks ``z = sigma(W2 sigma(W1 x + b1) + b2 + x)`` (Eq. 7.11-7.14): :class:`ResidualBlock`,
  :func:`residual_mlp`;
- batch normalisation ``y' = gamma (y - mu_B) / sigma_B + beta`` (Eq. 7.15-7.18): :func:`batch_norm_mlp`;
- self-normalising networks: SELU (Eq. 7.20-7.22) with LeCun-normal weights and alpha-dropout:
  :func:`self_normalizing_mlp` (with :func:`dlpbook.nn.init.lecun_normal_`).

:mod:`dlpbook.nn.diagnostics` measures the effect layer by layer (activations, gradient norms).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ..validation import check_choice, check_count, check_rate, check_seed
from .init import lecun_normal_
from .mlp import _ACTIVATIONS, mlp


class ResidualBlock(nn.Module):
    """A residual block ``z = sigma(W2 sigma(W1 x + b1) + b2 + s(x))`` (book Eq. 7.12-7.14, Fig. 7.5).

    The residual ``F(x) = W2 sigma(W1 x + b1) + b2`` is learned; the shortcut ``s(x)`` is the
    identity (Eq. 7.11) when the widths agree and a learned projection ``W_s x`` (Eq. 7.14)
    otherwise. The second activation comes after the addition, as in Eq. 7.13. With
    ``batch_norm=True`` each ``Linear`` of ``F`` is followed by a ``BatchNorm1d`` (Sec. 7.6).

    Parameters
    ----------
    n_in, n_out
        Input and output widths (> 0).
    activation
        One of relu, tanh, sigmoid, elu, selu, leaky_relu, linear.
    batch_norm
        Whether to normalise the pre-activations of ``F`` over the minibatch.

    Shapes
    ------
    ``(n, n_in) -> (n, n_out)``.
    """

    def __init__(self, n_in: int, n_out: int, *, activation: str = "relu", batch_norm: bool = False) -> None:
        super().__init__()
        n_in, n_out = check_count(n_in, "n_in"), check_count(n_out, "n_out")
        check_choice(activation, "activation", _ACTIVATIONS)
        norm = nn.BatchNorm1d if batch_norm else (lambda width: nn.Identity())
        self.residual = nn.Sequential(
            nn.Linear(n_in, n_out), norm(n_out), _ACTIVATIONS[activation](), nn.Linear(n_out, n_out), norm(n_out)
        )
        # a projection only where the identity cannot be added (Eq. 7.14)
        self.shortcut = nn.Identity() if n_in == n_out else nn.Linear(n_in, n_out, bias=False)
        self.activation = _ACTIVATIONS[activation]()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``sigma(F(x) + s(x))`` for ``x`` of shape (n, n_in)."""
        return self.activation(self.residual(x) + self.shortcut(x))


def residual_mlp(
    n_in: int,
    width: int,
    n_blocks: int,
    n_out: int,
    *,
    activation: str = "relu",
    batch_norm: bool = False,
    seed: int = 0,
) -> nn.Sequential:
    """A deep fully-connected network of residual blocks (book Sec. 7.5).

    ``Linear(n_in, width) -> activation -> ResidualBlock x n_blocks -> Linear(width, n_out)``:
    ``1 + 2 n_blocks + 1`` weight layers, with a linear output.

    Parameters
    ----------
    n_in, n_out
        Input and output sizes (> 0).
    width
        Width of every hidden layer (> 0).
    n_blocks
        Number of residual blocks (> 0).
    activation
        One of relu, tanh, sigmoid, elu, selu, leaky_relu, linear.
    batch_norm
        Batch normalisation inside the blocks (Sec. 7.6).
    seed
        Seed (>= 0) of the initial weights (PyTorch's defaults); the global random state is kept.

    Returns
    -------
    torch.nn.Sequential
        ``(n, n_in) -> (n, n_out)``.
    """
    n_in, width, n_out = check_count(n_in, "n_in"), check_count(width, "width"), check_count(n_out, "n_out")
    n_blocks = check_count(n_blocks, "n_blocks")
    check_choice(activation, "activation", _ACTIVATIONS)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_seed(seed))
        blocks = [ResidualBlock(width, width, activation=activation, batch_norm=batch_norm) for _ in range(n_blocks)]
        return nn.Sequential(
            nn.Linear(n_in, width), _ACTIVATIONS[activation](), *blocks, nn.Linear(width, n_out)
        )


def batch_norm_mlp(
    n_in: int, hidden: Sequence[int], n_out: int, *, activation: str = "relu", seed: int = 0
) -> nn.Sequential:
    """A fully-connected network with batch normalisation before every hidden activation (Sec. 7.6).

    Each hidden layer is ``Linear -> BatchNorm1d -> activation``: the pre-activations ``y``
    of every node are standardised over the minibatch, ``(y - mu_B) / sigma_B`` with
    ``sigma_B = sqrt(eps + var_B)`` (Eq. 7.15-7.17), then scaled and shifted by the learned
    ``gamma`` and ``beta`` (Eq. 7.18). In ``eval()`` mode the running averages replace the
    minibatch moments (see :mod:`dlpbook.train` for their recalibration). The output is linear.

    Parameters
    ----------
    n_in, n_out
        Input and output sizes (> 0).
    hidden
        Sizes of the hidden layers.
    activation
        One of relu, tanh, sigmoid, elu, selu, leaky_relu, linear.
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    torch.nn.Sequential
        ``(n, n_in) -> (n, n_out)``; train it on minibatches of more than one sample.
    """
    *body, output = mlp(n_in, hidden, n_out, activation=activation, seed=seed)
    layers: list[nn.Module] = []
    for layer in body:
        layers.append(layer)
        if isinstance(layer, nn.Linear):
            layers.append(nn.BatchNorm1d(layer.out_features))
    return nn.Sequential(*layers, output)


def self_normalizing_mlp(
    n_in: int, hidden: Sequence[int], n_out: int, *, alpha_dropout: float = 0.0, seed: int = 0
) -> nn.Sequential:
    """A self-normalising network: SELU, LeCun-normal weights, alpha-dropout (book Sec. 7.7).

    ``SELU(x) = lambda x`` for ``x > 0`` and ``lambda alpha (e^x - 1)`` otherwise
    (Eq. 7.20), with ``alpha ~ 1.6733``, ``lambda ~ 1.0507`` (Eq. 7.21-7.22). With weights
    ``N(0, 1/n_in)`` the activations of every layer are driven towards zero mean and unit
    variance, without batch normalisation. Plain dropout would break that fixed point;
    alpha-dropout sets dropped nodes to SELU's negative saturation value and rescales so
    that mean and variance are kept.

    Parameters
    ----------
    n_in, n_out
        Input and output sizes (> 0).
    hidden
        Sizes of the hidden layers.
    alpha_dropout
        Rate in [0, 1) of :class:`torch.nn.AlphaDropout` after every hidden layer.
    seed
        Seed (>= 0) of the initial weights; the global random state is kept.

    Returns
    -------
    torch.nn.Sequential
        ``(n, n_in) -> (n, n_out)`` with a linear output.
    """
    rate = check_rate(alpha_dropout, "alpha_dropout")
    layers: list[nn.Module] = []
    for layer in mlp(n_in, hidden, n_out, activation="selu", seed=seed):
        layers.append(layer)
        if isinstance(layer, nn.SELU) and rate:
            layers.append(nn.AlphaDropout(rate))
    network = nn.Sequential(*layers)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_seed(seed))
        return lecun_normal_(network)
