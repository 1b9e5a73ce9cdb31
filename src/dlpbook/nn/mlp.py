"""Fully-connected networks (book Sec. 3.3, 7.1), their L1/L2 weight penalty (Eq. 5.6, 5.7), and
the networks of Ex. 7.1 (:func:`ising_fcn`) and Ex. 7.2 (:func:`airshower_energy_fcn`).

The Keras twin is :mod:`dlpbook.keras_nn.mlp`: same function, same signature, same defaults.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ..validation import check_choice, check_count, check_non_negative, check_rate, check_seed, check_sizes

_ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "elu": nn.ELU,
    "selu": nn.SELU,
    "leaky_relu": nn.LeakyReLU,  # slope 0.01, as numpynet's leaky_relu (Fig. 5.8b)
    "linear": nn.Identity,
}


class MLP(nn.Sequential):
    """A :class:`torch.nn.Sequential` of ``Linear`` and activation layers that knows its penalty.

    Built by :func:`mlp`; indexing and slicing work as for any ``Sequential`` (a slice is a
    plain network of those layers, without a penalty).

    Parameters
    ----------
    *layers
        The layers, in order.
    l1, l2
        Rates of the L1 and L2 penalties on the weight matrices (Eq. 5.6, 5.7), >= 0.
    penalize_output
        Whether the output layer's weights are penalised too.
    """

    def __init__(self, *layers: nn.Module, l1: float = 0.0, l2: float = 0.0, penalize_output: bool = True) -> None:
        super().__init__(*layers)
        self.l1, self.l2 = check_non_negative(l1, "l1"), check_non_negative(l2, "l2")
        self.penalize_output = bool(penalize_output)

    def penalty(self) -> torch.Tensor:
        """``l1 * sum|W| + l2 * sum W^2`` over the penalised weight matrices (Eq. 5.6, 5.7).

        Add it to the loss in training (``regularizer=lambda m: m.penalty()`` in
        :func:`dlpbook.train.fit`); it equals the sum of the Keras twin's ``model.losses``.
        """
        linears = [layer for layer in self if isinstance(layer, nn.Linear)]
        penalised = linears if self.penalize_output else linears[:-1]
        return weight_penalty(nn.ModuleList(penalised), l1=self.l1, l2=self.l2)


def mlp(
    n_in: int,
    hidden: Sequence[int],
    n_out: int,
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    output_activation: str | None = None,
    l1: float = 0.0,
    l2: float = 0.0,
    penalize_output: bool = True,
    seed: int = 0,
) -> MLP:
    """A fully-connected network: ``n_in -> hidden[0] -> ... -> n_out`` (book Sec. 3.3, 7.1).

    Each hidden layer is ``Linear -> activation`` (``-> Dropout`` when ``dropout > 0``). The
    output layer is linear unless ``output_activation`` names one (e.g. ``"sigmoid"``).
    Weights get PyTorch's default initialisation drawn from ``seed``: two calls with the same
    seed build identical networks, and the global torch random state is left as it was.

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
    l1, l2
        Penalty rates (>= 0) that :meth:`MLP.penalty` applies to the weight matrices (Eq. 5.6, 5.7).
    penalize_output
        ``False`` penalises the hidden layers only (the book's Ex. 5.2).
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    MLP
        The network; ``model.penalty()`` is the weight penalty to add to the loss.
    """
    sizes = [check_count(n_in, "n_in"), *check_sizes(hidden, "hidden"), check_count(n_out, "n_out")]
    check_choice(activation, "activation", _ACTIVATIONS)
    check_choice(output_activation, "output_activation", [None, *_ACTIVATIONS])
    dropout = check_rate(dropout, "dropout")
    seed = check_seed(seed)
    layers: list[nn.Module] = []
    # a forked generator: the seed fixes these weights without resetting the caller's random state
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for width_in, width_out in zip(sizes[:-2], sizes[1:-1]):
            layers += [nn.Linear(width_in, width_out), _ACTIVATIONS[activation]()]
            if dropout:
                layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
    if output_activation is not None:
        layers.append(_ACTIVATIONS[output_activation]())
    return MLP(*layers, l1=l1, l2=l2, penalize_output=penalize_output)


def count_parameters(model: nn.Module, *, trainable_only: bool = True) -> int:
    """Number of (trainable) parameters of a torch model, as Keras' ``count_params``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def weight_penalty(model: nn.Module, *, l1: float = 0.0, l2: float = 0.0) -> torch.Tensor:
    """L1/L2 penalty on the weight matrices (not the biases) of all ``Linear`` layers.

    ``l1 * sum|W| + l2 * sum W^2`` (book Eq. 5.6, 5.7), as Keras' ``L1L2`` kernel regulariser.
    """
    l1, l2 = check_non_negative(l1, "l1"), check_non_negative(l2, "l2")
    total = torch.zeros(())
    for module in model.modules():
        if isinstance(module, nn.Linear):
            if l1:
                total = total + l1 * module.weight.abs().sum()
            if l2:
                total = total + l2 * module.weight.square().sum()
    return total


def ising_fcn(*, hidden: Sequence[int] = (32, 32), dropout: float = 0.3, seed: int = 0) -> nn.Sequential:
    """The fully-connected Ising phase classifier of the book's Ex. 7.1 (33,889 parameters).

    ``Flatten (1024) -> [Dense(32, ReLU) -> Dropout(0.3)] x 2 -> Dense(1, sigmoid)``: the
    output is the probability that a configuration is paramagnetic (T > Tc); train it with
    :class:`torch.nn.BCELoss`.

    Parameters
    ----------
    hidden
        Sizes of the hidden layers (the exercise: two of 32).
    dropout
        Dropout rate in [0, 1) after every hidden layer.
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    torch.nn.Sequential
        Maps spin configurations (n, 32, 32) to probabilities (n, 1).
    """
    body = mlp(32 * 32, hidden, 1, dropout=dropout, output_activation="sigmoid", seed=seed)
    return nn.Sequential(nn.Flatten(), *body)


def airshower_energy_fcn(
    *, hidden: Sequence[int] = (100, 100, 100), dropout: float = 0.3, seed: int = 0
) -> nn.Sequential:
    """The air-shower energy regression network of the book's Ex. 7.2 (59,601 parameters).

    ``Flatten (392) -> Dense(100, ReLU) x 3 -> Dropout(0.3) -> Dense(1)``: one dropout layer,
    before the linear output, as in the exercise's solution; ``hidden=(20,)`` gives its
    problem baseline (7,881 parameters). Trained with the mean squared error on the energy
    in EeV.

    Parameters
    ----------
    hidden
        Sizes of the ReLU layers (at least one).
    dropout
        Dropout rate in [0, 1) before the output layer.
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    torch.nn.Sequential
        Maps footprints (n, 14, 14, 2), channels last (normalised arrival time, signal), to
        energies (n, 1).
    """
    check_sizes(hidden, "hidden", allow_empty=False)
    dropout = check_rate(dropout, "dropout")
    *body, output = mlp(14 * 14 * 2, hidden, 1, seed=seed)
    return nn.Sequential(nn.Flatten(), *body, nn.Dropout(dropout), output)
