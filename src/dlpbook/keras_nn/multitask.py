"""The Keras multi-task air-shower network of Ex. 11.1, twin of :mod:`dlpbook.nn.multitask` (book Ch. 11)."""

from __future__ import annotations

import numpy as np

from ..data.airshower.inputs import MULTITASK_TARGETS
from ..validation import check_count, check_seed
from . import keras



def airshower_multitask_net(*, steps: int = 5, growth: int = 16, seed: int = 0):
    """The Keras multi-task network of Ex. 11.1 (177,016 parameters).

    The twin of :func:`dlpbook.nn.multitask.airshower_multitask_net`.

    Trunk: ``SeparableConv2D(8, 3x3, same)``, then ``steps`` times ``Conv2D(growth, 1x1) ->
    SeparableConv2D(growth, 3x3, same)``, each step reading the concatenation of all
    separable-convolution outputs so far. Towers for axis (3), core (2) and energy (1):
    ``Conv2D(32, 32, 48; 3x3 valid) -> Flatten -> Dense(10 n_out, ReLU) -> Dense(n_out)``.
    ReLU and ``he_normal`` kernels (seeded) throughout. Compile it with
    ``loss="mse", loss_weights={"axis": 15, "core": 9, "energy": 2}`` as in the exercise.

    Parameters
    ----------
    steps
        Number of trunk steps (> 0; the exercise: 5).
    growth
        Channels each step adds (> 0; the exercise: 16).
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    keras.Model
        ``(n, 9, 9, 2)`` -> ``{"axis": (n, 3), "core": (n, 2), "energy": (n, 1)}``.
    """
    steps, growth = check_count(steps, "steps"), check_count(growth, "growth")
    seed = check_seed(seed)
    k = keras()
    layers = k.layers
    seeds = np.random.default_rng(seed)  # a seed of its own for every kernel

    def he():
        return k.initializers.HeNormal(seed=int(seeds.integers(2**31)))

    # layer names follow the torch twin's module names (dlpbook.nn.multitask.AirshowerMultitaskNet),
    # so that weights can be matched
    def separable(filters, x, name):
        return layers.SeparableConv2D(
            filters, 3, padding="same", activation="relu", depthwise_initializer=he(), pointwise_initializer=he(), name=name
        )(x)

    def conv(filters, size, x, name):
        return layers.Conv2D(filters, size, activation="relu", kernel_initializer=he(), name=name)(x)

    inputs = k.Input(shape=(9, 9, 2))
    separated = [separable(8, inputs, "first")]
    features = separated[0]
    for step in range(steps):
        bottleneck = conv(growth, 1, features, f"dense_block.layers.{step}.0")
        separated.append(separable(growth, bottleneck, f"dense_block.layers.{step}.2"))
        features = layers.Concatenate()(separated)
    outputs = {}
    for name, n_out in MULTITASK_TARGETS.items():
        x = features
        for index, filters in enumerate((32, 32, 48)):
            x = conv(filters, 3, x, f"towers.{name}.convolutions.{2 * index}")
        x = layers.Dense(10 * n_out, activation="relu", kernel_initializer=he(), name=f"towers.{name}.dense.0")(
            layers.Flatten()(x)
        )
        outputs[name] = layers.Dense(n_out, kernel_initializer=he(), name=name)(x)
    return k.Model(inputs, outputs)
