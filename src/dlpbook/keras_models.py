"""Keras 3 model builders mirroring :mod:`dlpbook.nn` for the book's Keras exercises.

TensorFlow is imported through :func:`dlpbook.config.import_tensorflow`, so its C++ log
lines stay out of pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import config
from .mlp_arguments import check_mlp_arguments


def keras():
    """Import and return Keras 3 (with TensorFlow's logs silenced)."""
    config.import_tensorflow()
    import keras

    return keras


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
    """A fully-connected Keras network, the counterpart of :func:`dlpbook.nn.mlp`.

    Hidden layers are ``Dense(activation)`` (``-> Dropout`` when ``dropout > 0``). When
    either penalty rate is non-zero, every hidden kernel gets an ``L1L2(l1, l2)`` penalty
    (book Eq. 5.6, 5.7), and so does the output kernel unless ``penalize_output=False``
    (the book's Ex. 5.2 penalises the hidden layers only). ``seed`` seeds the weight
    initialisers, so two calls with the same seed build identical networks.
    """
    check_mlp_arguments(n_in, hidden, n_out, dropout)
    if l1 < 0 or l2 < 0:
        raise ValueError(f"penalty rates must be >= 0, got l1={l1}, l2={l2}")
    k = keras()
    regularizer = k.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    layers = [k.Input(shape=(n_in,))]
    for index, width in enumerate(hidden):
        layers.append(
            k.layers.Dense(
                width,
                activation=activation,
                kernel_regularizer=regularizer,
                kernel_initializer=k.initializers.GlorotUniform(seed=seed + index),
            )
        )
        if dropout:
            layers.append(k.layers.Dropout(dropout, seed=seed + index))
    layers.append(
        k.layers.Dense(
            n_out,
            activation=output_activation,
            kernel_regularizer=regularizer if penalize_output else None,
            kernel_initializer=k.initializers.GlorotUniform(seed=seed + len(hidden)),
        )
    )
    return k.Sequential(layers)
