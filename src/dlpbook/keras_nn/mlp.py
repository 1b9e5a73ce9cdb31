"""Fully-connected Keras networks, the twin of :mod:`dlpbook.nn.mlp` (book Sec. 3.3, 7.1, Eq. 5.6, 5.7).

With the exercise networks of Ex. 7.1 (:func:`ising_fcn`) and Ex. 7.2 (:func:`airshower_energy_fcn`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..validation import check_choice, check_count, check_non_negative, check_rate, check_seed, check_sizes
from . import keras

# the activation names of dlpbook.nn.mlp; Keras' leaky_relu has slope 0.2, torch's (and the book's) 0.01
_ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "selu", "leaky_relu", "linear")
_LEAKY_SLOPE = 0.01


def _activation(name: str | None):
    if name != "leaky_relu":
        return name
    k = keras()

    def leaky_relu(z):
        return k.activations.leaky_relu(z, negative_slope=_LEAKY_SLOPE)

    return leaky_relu


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
):
    """A fully-connected Keras network, the twin of :func:`dlpbook.nn.mlp`.

    Hidden layers are ``Dense(activation)`` (``-> Dropout`` when ``dropout > 0``). When
    either penalty rate is non-zero, every hidden kernel gets an ``L1L2(l1, l2)`` penalty
    ``l1 * sum|W| + l2 * sum W^2`` (book Eq. 5.6, 5.7), which Keras adds to the loss
    (``model.losses``), and so does the output kernel unless ``penalize_output=False``
    (the book's Ex. 5.2 penalises the hidden layers only). Kernels start Glorot-uniform,
    drawn from ``seed``, so two calls with the same seed build identical networks.

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
        Penalty rates (>= 0) on the kernels (Eq. 5.6, 5.7).
    penalize_output
        ``False`` penalises the hidden layers only (the book's Ex. 5.2).
    seed
        Seed (>= 0) of the initial weights and of the dropout masks.

    Returns
    -------
    keras.Sequential
        The network, with input shape ``(None, n_in)``.
    """
    n_in, n_out = check_count(n_in, "n_in"), check_count(n_out, "n_out")
    hidden = check_sizes(hidden, "hidden")
    check_choice(activation, "activation", _ACTIVATIONS)
    check_choice(output_activation, "output_activation", [None, *_ACTIVATIONS])
    dropout = check_rate(dropout, "dropout")
    l1, l2 = check_non_negative(l1, "l1"), check_non_negative(l2, "l2")
    seed = check_seed(seed)
    k = keras()
    regularizer = k.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    layers = [k.Input(shape=(n_in,))]
    for index, width in enumerate(hidden):
        layers.append(
            k.layers.Dense(
                width,
                activation=_activation(activation),
                kernel_regularizer=regularizer,
                kernel_initializer=k.initializers.GlorotUniform(seed=seed + index),
            )
        )
        if dropout:
            layers.append(k.layers.Dropout(dropout, seed=seed + index))
    layers.append(
        k.layers.Dense(
            n_out,
            activation=_activation(output_activation),
            kernel_regularizer=regularizer if penalize_output else None,
            kernel_initializer=k.initializers.GlorotUniform(seed=seed + len(hidden)),
        )
    )
    return k.Sequential(layers)


def ising_fcn(*, hidden: Sequence[int] = (32, 32), dropout: float = 0.3, seed: int = 0):
    """The Keras Ising phase classifier of the book's Ex. 7.1, twin of :func:`dlpbook.nn.mlp.ising_fcn`.

    ``Input (32, 32) -> Flatten (1024) -> [Dense(32, ReLU) -> Dropout(0.3)] x 2 -> Dense(1, sigmoid)``,
    33,889 parameters with the defaults.

    Parameters
    ----------
    hidden
        Sizes of the hidden layers (the exercise: two of 32).
    dropout
        Dropout rate in [0, 1) after every hidden layer.
    seed
        Seed (>= 0) of the initial weights and the dropout masks.

    Returns
    -------
    keras.Sequential
        Maps spin configurations (n, 32, 32) to probabilities (n, 1).
    """
    body = mlp(32 * 32, hidden, 1, dropout=dropout, output_activation="sigmoid", seed=seed)
    k = keras()
    return k.Sequential([k.Input(shape=(32, 32)), k.layers.Flatten(), *body.layers])


def airshower_energy_fcn(*, hidden: Sequence[int] = (100, 100, 100), dropout: float = 0.3, seed: int = 0):
    """The Keras energy regression network of the book's Ex. 7.2, twin of :func:`dlpbook.nn.mlp.airshower_energy_fcn`.

    ``Input (14, 14, 2) -> Flatten (392) -> Dense(100, ReLU) x 3 -> Dropout(0.3) -> Dense(1)``,
    59,601 parameters with the defaults; ``hidden=(20,)`` is the problem baseline (7,881).

    Parameters
    ----------
    hidden
        Sizes of the ReLU layers (at least one).
    dropout
        Dropout rate in [0, 1) before the output layer.
    seed
        Seed (>= 0) of the initial weights and the dropout mask.

    Returns
    -------
    keras.Sequential
        Maps footprints (n, 14, 14, 2), channels last, to energies (n, 1).
    """
    check_sizes(hidden, "hidden", allow_empty=False)
    dropout = check_rate(dropout, "dropout")
    *body, output = mlp(14 * 14 * 2, hidden, 1, seed=seed).layers
    k = keras()
    return k.Sequential(
        [k.Input(shape=(14, 14, 2)), k.layers.Flatten(), *body, k.layers.Dropout(dropout, seed=seed), output]
    )
