"""Convolutional Keras networks of Ex. 8.1 and 8.2, the twins of :mod:`dlpbook.nn.conv` (book Ch. 8).

Same function names, signatures, defaults and parameter counts as the torch originals, and
the same input arrays (Ising spins ``(batch, L, L)``, air-shower maps ``(batch, 14, 14, 2)``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..convolution_arithmetic import check_stage_filters
from ..validation import check_count, check_int, check_rate, check_seed
from . import keras


def _cnn(
    input_shape: tuple[int, ...],
    filters: Sequence[int],
    *,
    activation: str,
    pooling: str,
    dropout: float,
    n_out: int,
    output_activation: str | None,
    he_normal: bool,
    seed: int,
):
    """Stages of two ``3 x 3`` "same" convolutions with ``2 x 2`` max pooling between them, then
    global pooling, dropout and a dense output layer: the layout of Ex. 8.1 and 8.2."""
    k = keras()
    layers = [k.Input(shape=input_shape)]
    if len(input_shape) == 2:
        layers.append(k.layers.Reshape((*input_shape, 1)))

    def initializer(index: int):
        kind = k.initializers.HeNormal if he_normal else k.initializers.GlorotUniform
        return kind(seed=seed + index)

    index = 0
    for stage, width in enumerate(filters):
        if stage:
            layers.append(k.layers.MaxPooling2D(2))
        for _ in range(2):
            layers.append(k.layers.Conv2D(width, 3, padding="same", activation=activation,
                                          kernel_initializer=initializer(index)))
            index += 1
    pool = k.layers.GlobalAveragePooling2D() if pooling == "average" else k.layers.GlobalMaxPooling2D()
    layers += [pool, k.layers.Dropout(dropout, seed=seed),
               k.layers.Dense(n_out, activation=output_activation, kernel_initializer=initializer(index))]
    return k.Sequential(layers)


def ising_cnn(L: int = 32, *, filters: Sequence[int] = (16, 32), n_out: int = 1, dropout: float = 0.25, seed: int = 0):
    """The Ising-phase CNN of Ex. 8.1 (16,401 parameters), the twin of :func:`dlpbook.nn.conv.ising_cnn`.

    ``Input(L, L) -> Reshape(L, L, 1)`` -> two ``Conv2D(filters[0], 3, same, relu)`` ->
    ``MaxPooling2D(2)`` -> two ``Conv2D(filters[1], ...)`` -> ... -> ``GlobalAveragePooling2D``
    -> ``Dropout`` -> ``Dense(n_out)``, sigmoid for one output, softmax for more (``n_out=2``:
    the CAM network of Ex. 12.3, 16,434 parameters). Kernels start Glorot-uniform from ``seed``.

    Parameters
    ----------
    L
        Linear lattice size (> 1).
    filters
        Feature maps of each stage (non-empty, each > 0).
    n_out
        Output units (> 0).
    dropout
        Dropout rate in [0, 1) before the output layer.
    seed
        Seed (>= 0) of the initial weights and the dropout masks.

    Returns
    -------
    keras.Sequential
        Input ``(None, L, L)``, output ``(None, n_out)`` probabilities.
    """
    L = check_int(L, "L", low=2)
    filters, n_out, dropout, seed = _check_exercise(filters, n_out, dropout, seed, L)
    return _cnn((L, L), filters, activation="relu", pooling="average", dropout=dropout, n_out=n_out,
                output_activation="sigmoid" if n_out == 1 else "softmax", he_normal=False, seed=seed)


def airshower_cnn(n_stations: int = 14, channels: int = 2, *, filters: Sequence[int] = (32, 64, 128),
                  dropout: float = 0.3, seed: int = 0):
    """The air-shower energy CNN of Ex. 8.2 (286,849 parameters), the twin of :func:`dlpbook.nn.conv.airshower_cnn`.

    Two ``Conv2D(32, 3, same, elu, he_normal)`` -> ``MaxPooling2D(2)`` -> two with 64 ->
    pooling -> two with 128 (maps 14 -> 7 -> 3) -> ``GlobalMaxPooling2D`` -> ``Dropout(0.3)`` ->
    ``Dense(1)``, the energy.

    Parameters
    ----------
    n_stations
        Stations per side of the square array (> 1).
    channels
        Values per station (> 0).
    filters
        Feature maps of each stage (non-empty, each > 0).
    dropout
        Dropout rate in [0, 1) before the output layer.
    seed
        Seed (>= 0) of the initial weights and the dropout masks.

    Returns
    -------
    keras.Sequential
        Input ``(None, n_stations, n_stations, channels)``, output ``(None, 1)``.
    """
    n_stations = check_int(n_stations, "n_stations", low=2)
    channels = check_count(channels, "channels")
    filters, n_out, dropout, seed = _check_exercise(filters, 1, dropout, seed, n_stations)
    return _cnn((n_stations, n_stations, channels), filters, activation="elu", pooling="max", dropout=dropout,
                n_out=n_out, output_activation=None, he_normal=True, seed=seed)


def _check_exercise(filters, n_out, dropout, seed, size) -> tuple[list[int], int, float, int]:
    filters = check_stage_filters(filters, size)
    return filters, check_count(n_out, "n_out"), check_rate(dropout, "dropout"), check_seed(seed)
