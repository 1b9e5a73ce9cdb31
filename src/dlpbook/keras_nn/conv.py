"""Convolutional Keras networks of Ex. 8.1, 8.2, 12.1 and 12.2, the twins of :mod:`dlpbook.nn.conv`.

Same function names, signatures, defaults and parameter counts as the torch originals, and
the same input arrays (Ising spins ``(batch, L, L)``, air-shower maps ``(batch, 14, 14, 2)``,
colour images ``(batch, 32, 32, 3)``, grey images ``(batch, 28, 28)``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..convolution_arithmetic import check_stage_filters
from ..validation import ParameterError, check_count, check_int, check_rate, check_seed, check_sizes
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


def _named_cnn(input_shape: tuple[int, ...], convolutions: list, *, n_classes: int, dropout: float, seed: int):
    """``Input -> conv2d_1 -> ... -> GlobalMaxPooling2D -> Dropout -> Dense -> softmax``; the
    convolutions (and poolings between them) come as ``(kind, keyword arguments)`` pairs and
    are named ``conv2d_<i>`` as in the original notebooks; kernels start Glorot-uniform from
    ``seed``."""
    k = keras()
    layers = [k.Input(shape=input_shape)]
    if len(input_shape) == 2:
        layers.append(k.layers.Reshape((*input_shape, 1)))
    index = 0
    for kind, arguments in convolutions:
        if kind == "pool":
            layers.append(k.layers.MaxPooling2D(2, name=f"max_pooling2d_{index}"))
        else:
            index += 1
            layers.append(k.layers.Conv2D(**arguments, padding="same", name=f"conv2d_{index}",
                                          kernel_initializer=k.initializers.GlorotUniform(seed=seed + index)))
    layers += [k.layers.GlobalMaxPooling2D(name="global_max_pooling2d"),
               k.layers.Dropout(dropout, seed=seed, name="dropout"),
               k.layers.Dense(n_classes, name="dense", kernel_initializer=k.initializers.GlorotUniform(seed=seed)),
               k.layers.Activation("softmax", name="softmax")]
    return k.Sequential(layers)


def cifar_cnn(size: int = 32, channels: int = 3, *, filters: Sequence[int] = (16, 32, 64), n_classes: int = 10,
              dropout: float = 0.5, seed: int = 0):
    """The CNN of Ex. 12.1 (73,498 parameters), the twin of :func:`dlpbook.nn.conv.cifar_cnn`.

    ``Conv2D(16, 5)`` -> ``Conv2D(16, 3)`` -> ``Conv2D(32, 3, strides=2)`` -> ``Conv2D(32, 3)`` ->
    ``Conv2D(64, 3, strides=2)`` -> ``Conv2D(64, 3)``, all ELU and "same" (named ``conv2d_1`` ...
    ``conv2d_6``) -> ``GlobalMaxPooling2D`` -> ``Dropout(0.5)`` -> ``Dense(10)`` -> softmax.

    Parameters
    ----------
    size
        Side of the square images (> 1, divisible by ``2 ** (len(filters) - 1)``).
    channels
        Colour channels (> 0).
    filters
        Filters of each stage of two convolutions (non-empty, each > 0).
    n_classes
        Classes (> 0).
    dropout
        Dropout rate in [0, 1) before the dense layer.
    seed
        Seed (>= 0) of the initial weights and the dropout masks.

    Returns
    -------
    keras.Sequential
        Input ``(None, size, size, channels)``, output ``(None, n_classes)`` probabilities.
    """
    size, channels = check_int(size, "size", low=2), check_count(channels, "channels")
    filters = check_stage_filters(filters, size)
    if size % 2 ** (len(filters) - 1):
        raise ParameterError("size", f"divisible by {2 ** (len(filters) - 1)} (a stride-2 convolution per stage "
                             "after the first)", size)
    n_classes, dropout, seed = _check_classifier(n_classes, dropout, seed)
    convolutions = []
    for stage, out in enumerate(filters):
        first = {"kernel_size": 5} if stage == 0 else {"kernel_size": 3, "strides": 2}
        convolutions += [("conv", {"filters": out, "activation": "elu", **first}),
                         ("conv", {"filters": out, "kernel_size": 3, "activation": "elu"})]
    return _named_cnn((size, size, channels), convolutions, n_classes=n_classes, dropout=dropout, seed=seed)


def mnist_cnn(size: int = 28, *, filters: Sequence[int] = (16, 32, 64, 128), n_classes: int = 10,
              dropout: float = 0.5, seed: int = 0):
    """The CNN of Ex. 12.2 (98,442 parameters), the twin of :func:`dlpbook.nn.conv.mnist_cnn`.

    ``Reshape`` -> ``conv2d_1``: ``Conv2D(16, 3)`` -> ``conv2d_2``: 32 -> ``MaxPooling2D`` ->
    ``conv2d_3``: 64 -> ``MaxPooling2D`` -> ``conv2d_4``: 128, all ReLU and "same" ->
    ``GlobalMaxPooling2D`` -> ``Dropout(0.5)`` -> ``Dense(10)`` -> softmax.

    Parameters
    ----------
    size
        Side of the square images (> 1, at least ``2 ** (len(filters) - 2)``).
    filters
        Filters of each convolution (at least two, each > 0).
    n_classes
        Classes (> 0).
    dropout
        Dropout rate in [0, 1) before the dense layer.
    seed
        Seed (>= 0) of the initial weights and the dropout masks.

    Returns
    -------
    keras.Sequential
        Input ``(None, size, size)``, output ``(None, n_classes)`` probabilities;
        ``model.get_layer("conv2d_3").output`` are the activations after the ReLU.
    """
    size = check_int(size, "size", low=2)
    filters = check_sizes(filters, "filters", allow_empty=False)
    if len(filters) < 2:
        raise ParameterError("filters", "at least two convolutions", filters)
    check_stage_filters(filters[1:], size)
    n_classes, dropout, seed = _check_classifier(n_classes, dropout, seed)
    convolutions = []
    for index, out in enumerate(filters):
        if index >= 2:
            convolutions.append(("pool", {}))
        convolutions.append(("conv", {"filters": out, "kernel_size": 3, "activation": "relu"}))
    return _named_cnn((size, size), convolutions, n_classes=n_classes, dropout=dropout, seed=seed)


def _check_classifier(n_classes, dropout, seed) -> tuple[int, float, int]:
    return check_count(n_classes, "n_classes"), check_rate(dropout, "dropout"), check_seed(seed)


def _check_exercise(filters, n_out, dropout, seed, size) -> tuple[list[int], int, float, int]:
    filters = check_stage_filters(filters, size)
    return filters, check_count(n_out, "n_out"), check_rate(dropout, "dropout"), check_seed(seed)
