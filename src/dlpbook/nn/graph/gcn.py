"""Graph convolutional networks of Kipf and Welling (book Sec. 10.4.1, Eq. 10.3, Example 10.2).

The layers take the graph as a dense, preprocessed matrix, computed once per graph by
:func:`dlpbook.graph_matrices.gcn_adjacency` (framework-free, shared with the Keras twin
:mod:`dlpbook.keras_nn.graph`): ``torch.as_tensor(gcn_adjacency(a))``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ...validation import ParameterError, check_choice, check_count, check_rate, check_seed, check_sizes
from ..mlp import _ACTIVATIONS


def check_operator(features: torch.Tensor, operator: torch.Tensor, name: str) -> None:
    """Raise a ValueError unless ``operator`` (..., n, n) acts on ``features`` (..., n, f)."""
    if features.ndim < 2 or operator.ndim < 2 or operator.shape[-2:] != (features.shape[-2],) * 2:
        raise ValueError(
            f"{name} {tuple(operator.shape)} must be (n, n) for features (..., n, f) {tuple(features.shape)}"
        )


class GCNConv(nn.Module):
    """One graph convolution ``H' = Â H W`` (Eq. 10.3 without its activation).

    ``Â = D̂^-1/2 (A + 1) D̂^-1/2`` mixes every node's features with those of its neighbours,
    weighted by ``1 / sqrt(deg_i deg_j)`` (the ``1 / c_ij`` of Eq. 10.2), and the weight matrix
    ``W`` is shared by all nodes: ``in_features * out_features`` parameters whatever the graph.

    Parameters
    ----------
    in_features, out_features
        Features per node before and after (> 0).
    bias
        Add a learnt bias per output feature (the book's Ex. 16.1 has none).
    """

    def __init__(self, in_features: int, out_features: int, *, bias: bool = False) -> None:
        super().__init__()
        self.linear = nn.Linear(check_count(in_features, "in_features"), check_count(out_features, "out_features"), bias=bias)
        # Glorot-uniform weights and zero biases, as Kipf and Welling, Spektral and PyTorch Geometric:
        # torch's default (uniform within 1/sqrt(fan_in)) shrinks the signal through narrow tanh layers
        nn.init.xavier_uniform_(self.linear.weight)
        if bias:
            nn.init.zeros_(self.linear.bias)

    def forward(self, features: torch.Tensor, adjacency: torch.Tensor) -> torch.Tensor:
        """``adjacency @ features @ W (+ b)``.

        Parameters
        ----------
        features : (..., n, in_features)
        adjacency : (n, n) or (..., n, n)
            The renormalised adjacency ``Â`` of :func:`dlpbook.graph_matrices.gcn_adjacency`.

        Returns
        -------
        (..., n, out_features)
        """
        check_operator(features, adjacency, "adjacency")
        # W first: the product with Â then runs over out_features <= in_features columns (Ex. 16.1: 4 vs 34)
        transformed = features @ self.linear.weight.T
        out = adjacency @ transformed
        return out if self.linear.bias is None else out + self.linear.bias


class GCN(nn.Module):
    """A stack of :class:`GCNConv` layers with activations and dropout, built by :func:`gcn`.

    Parameters
    ----------
    sizes
        Features per node from the input to the output (at least two entries).
    activation
        Name of the hidden activation (as in :func:`dlpbook.nn.mlp`).
    dropout
        Dropout rate in [0, 1) after every hidden activation.
    bias
        Whether the layers have biases.
    """

    def __init__(self, sizes: Sequence[int], *, activation: str = "tanh", dropout: float = 0.4, bias: bool = False) -> None:
        super().__init__()
        sizes = check_sizes(sizes, "sizes")
        if len(sizes) < 2:
            raise ParameterError("sizes", "the input and output features at least (two entries)", sizes)
        self.activation = _ACTIVATIONS[check_choice(activation, "activation", _ACTIVATIONS)]()
        self.dropout = nn.Dropout(check_rate(dropout, "dropout"))
        self.convolutions = nn.ModuleList(GCNConv(a, b, bias=bias) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, features: torch.Tensor, adjacency: torch.Tensor) -> torch.Tensor:
        """Scores (..., n, sizes[-1]) of every node; the last layer has no activation (logits).

        ``features`` is (..., n, sizes[0]), ``adjacency`` the renormalised (n, n) matrix ``Â``.
        """
        *hidden, last = self.convolutions
        for convolution in hidden:
            features = self.dropout(self.activation(convolution(features, adjacency)))
        return last(features, adjacency)


def gcn(
    n_in: int,
    hidden: Sequence[int],
    n_out: int,
    *,
    activation: str = "tanh",
    dropout: float = 0.4,
    bias: bool = False,
    seed: int = 0,
) -> GCN:
    """A GCN for node classification: ``n_in -> hidden[0] -> ... -> n_out`` features per node.

    Each hidden layer is ``GCNConv -> activation -> Dropout`` (Eq. 10.3); the output layer is a
    ``GCNConv`` giving logits (train with ``nn.CrossEntropyLoss`` on the labelled nodes). The
    book's Example 10.2 / Ex. 16.1 network for the karate club, with one-hot node ids as
    features, is ``gcn(34, [4, 4, 2], 4)``: 136 + 16 + 8 + 8 = 168 parameters, no biases.
    Weights start Glorot-uniform, drawn from ``seed``, leaving the global random state as it was.

    Parameters
    ----------
    n_in, n_out
        Input and output features per node (> 0).
    hidden
        Features of the hidden layers (may be empty: one layer).
    activation
        One of relu, tanh, sigmoid, elu, selu, leaky_relu, linear.
    dropout
        Dropout rate in [0, 1) after every hidden layer.
    bias
        Whether the layers have biases.
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    GCN
        Called as ``model(features, adjacency)`` with ``adjacency`` from
        :func:`dlpbook.graph_matrices.gcn_adjacency`.
    """
    sizes = [check_count(n_in, "n_in"), *check_sizes(hidden, "hidden"), check_count(n_out, "n_out")]
    seed = check_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return GCN(sizes, activation=activation, dropout=dropout, bias=bias)
