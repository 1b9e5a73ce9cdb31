"""Keras recurrent networks of the exercises, the twin of :mod:`dlpbook.nn.recurrent` (book Ch. 9).

Keras' ``LSTM`` keeps one bias per gate and stacks the gates as (i, f, C~, o), as the cells of
:mod:`dlpbook.nn.recurrent`: the parameter counts agree, and copied weights give the same outputs
(kernel = ``weight_x.T``, recurrent kernel = ``weight_h.T``, bias = ``bias``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import import_tensorflow
from ..data.sine import start_windows
from ..validation import check_count, check_rate, check_seed, check_sizes
from . import keras


def _lstm(units: int, seed: int, *, return_sequences: bool, go_backwards: bool = False):
    """An LSTM layer (Eq. 9.8-9.13) with its initial weights drawn from ``seed``."""
    k = keras()
    return k.layers.LSTM(
        units,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        kernel_initializer=k.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=k.initializers.Orthogonal(seed=seed),
    )


def lstm_forecaster(units: Sequence[int] = (16,), *, n_features: int = 1, seed: int = 0):
    """Stacked Keras LSTMs and a linear output (Ex. 9.1).

    The twin of :func:`dlpbook.nn.recurrent.lstm_forecaster`. The default is the exercise's
    ``Input(None, 1) -> LSTM(16) -> Dense(1)``, 1,169 parameters.

    Parameters
    ----------
    units
        Units of each LSTM layer (at least one); all but the last return every time step.
    n_features
        Features per time step, in and out (> 0).
    seed
        Seed (>= 0) of the initial weights (Glorot-uniform kernels, orthogonal recurrent
        kernels, forget bias 1).

    Returns
    -------
    keras.Sequential
        Windows (batch, T, n_features) of any length T -> the next value (batch, n_features).
    """
    units = check_sizes(units, "units", allow_empty=False)
    n_features = check_count(n_features, "n_features")
    seed = check_seed(seed)
    k = keras()
    layers = [k.Input(shape=(None, n_features))]
    layers += [_lstm(size, seed + index, return_sequences=index < len(units) - 1) for index, size in enumerate(units)]
    output_initializer = k.initializers.GlorotUniform(seed=seed + len(units))
    layers.append(k.layers.Dense(n_features, kernel_initializer=output_initializer))
    return k.Sequential(layers)


def bilstm_classifier(
    n_steps: int = 500, units: Sequence[int] = (32, 64, 10), *, n_features: int = 1, dropout: float = 0.3, seed: int = 0
):
    """Bidirectional Keras LSTMs and a sigmoid unit (Ex. 9.2).

    The twin of :func:`dlpbook.nn.recurrent.bilstm_classifier`: ``Bidirectional(LSTM(32)) ->
    Bidirectional(LSTM(64)) -> Bidirectional(LSTM(10))``, each returning all time steps,
    ``-> Flatten -> Dropout(0.3) -> Dense(1, sigmoid)``: 95,873 parameters for the defaults.

    Parameters
    ----------
    n_steps
        Samples per trace, ``T`` (> 0).
    units
        Units per direction of each bidirectional LSTM layer (at least one).
    n_features
        Features per time step (> 0).
    dropout
        Dropout rate in [0, 1) before the output unit.
    seed
        Seed (>= 0) of the initial weights and of the dropout masks.

    Returns
    -------
    keras.Sequential
        Traces (batch, n_steps, n_features) -> probability of a signal (batch, 1).
    """
    n_steps, n_features = check_count(n_steps, "n_steps"), check_count(n_features, "n_features")
    units = check_sizes(units, "units", allow_empty=False)
    dropout = check_rate(dropout, "dropout")
    seed = check_seed(seed)
    k = keras()
    layers = [k.Input(shape=(n_steps, n_features))]
    for index, size in enumerate(units):
        forward = _lstm(size, seed + 2 * index, return_sequences=True)
        backward = _lstm(size, seed + 2 * index + 1, return_sequences=True, go_backwards=True)
        layers.append(k.layers.Bidirectional(forward, backward_layer=backward))
    layers += [
        k.layers.Flatten(),
        k.layers.Dropout(dropout, seed=seed),
        k.layers.Dense(
            1, activation="sigmoid", kernel_initializer=k.initializers.GlorotUniform(seed=seed + 2 * len(units))
        ),
    ]
    return k.Sequential(layers)


def autoregressive_forecast(model, window: np.ndarray, n_steps: int) -> np.ndarray:
    """Forecast ``n_steps`` ahead, feeding predictions back (Ex. 9.1).

    The twin of :func:`dlpbook.nn.recurrent.autoregressive_forecast`.

    The loop of :func:`dlpbook.data.sine.roll_forecast` runs inside one ``tf.function``, traced
    once: called eagerly, a Keras LSTM runs its time loop op by op in Python, tens of
    milliseconds per step even for 20 time steps, and a compiled call per step
    (``predict_on_batch``) still pays about 2 ms of Python each time (Ex. 9.1's 500 steps:
    0.6 instead of 1.0 s of CPU).

    Parameters
    ----------
    model
        A Keras model mapping windows (batch, L, 1) to next values (batch, 1), such as
        :func:`lstm_forecaster`; it is called in inference mode.
    window
        The starting window(s), (L,) or (batch, L).
    n_steps
        Number of values to predict (> 0).

    Returns
    -------
    numpy.ndarray
        (n_steps,) or (batch, n_steps) float32, the predictions in time order.
    """
    n_steps = check_count(n_steps, "n_steps")
    tf = import_tensorflow()

    @tf.function
    def roll(current):
        predictions = tf.TensorArray(tf.float32, size=n_steps)
        for step in tf.range(n_steps):  # autograph: a loop in the graph
            following = model(current, training=False)
            predictions = predictions.write(step, following[:, 0])
            current = tf.concat([current[:, 1:], following[:, None, :]], axis=1)
        return tf.transpose(predictions.stack())

    forecast = roll(start_windows(window)).numpy()
    return forecast if np.ndim(window) == 2 else forecast[0]
