"""Keras 3 model builders mirroring :mod:`dlpbook.nn` for the book's Keras exercises.

TensorFlow is imported through :func:`dlpbook.config.import_tensorflow`, so its C++ log
lines stay out of pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import config


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
    seed: int = 0,
):
    """A fully-connected Keras network, the counterpart of :func:`dlpbook.nn.mlp`.

    Hidden layers are ``Dense(activation)`` (``-> Dropout`` when ``dropout > 0``); every
    kernel, the output layer's included, gets an ``L1L2(l1, l2)`` penalty when either rate
    is non-zero (as in the book's Ex. 5.2). ``seed`` seeds the weight initialisers, so two
    calls with the same seed build identical networks.
    """
    sizes = [n_in, *hidden, n_out]
    if any(int(s) != s or s <= 0 for s in sizes):
        raise ValueError(f"layer sizes must be positive integers, got {sizes}")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
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
            kernel_regularizer=regularizer,
            kernel_initializer=k.initializers.GlorotUniform(seed=seed + len(hidden)),
        )
    )
    return k.Sequential(layers)
