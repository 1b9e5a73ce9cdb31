"""Exercise 4.2: fit a one-weight line ``y = w x`` by plain gradient descent.

The data are ``y = 2 x + 0.3 N(0, 1)`` on 100 points ``x`` in [-1, 1]. The model has a single
weight and no bias; the loss is the mean squared error (book Eq. 4.11) and every iteration takes
one full-batch gradient step ``w <- w - alpha dL/dw`` (Eq. 4.36) with ``alpha = 0.1``.
:func:`train_torch` gets the gradient from torch autograd, :func:`train_keras` from a TensorFlow
``GradientTape`` around a custom Keras 3 layer. With the same data and the same starting weight
both follow the same path to ``w ~ 2`` and a loss near the noise floor ``0.3^2 = 0.09``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .. import config
from ..validation import check_count, check_float, check_int, check_positive, check_seed
from .settings import Settings

SLOPE = 2.0
"""True slope of the data."""

NOISE = 0.3
"""Standard deviation of the Gaussian noise on ``y``; the loss floor is ``NOISE**2``."""


@dataclass(frozen=True)
class LinearFitSettings(Settings):
    """Data and gradient descent of Ex. 4.2 (the same in both profiles: the fit takes a moment).

    Attributes
    ----------
    n : int
        Number of points (>= 2).
    seed : int
        Seed of the noise (1904 as in the original exercise).
    legacy : bool
        Draw the noise with NumPy's legacy ``RandomState(seed)`` instead of a
        :class:`numpy.random.Generator`; this reproduces the draws of the original notebook,
        which seeded the global legacy generator.
    lr : float
        Learning rate alpha of Eq. 4.36.
    iterations : int
        Number of gradient steps.
    w0 : float
        Start weight (the original drew it from N(0, 0.05^2); a fixed value makes the two
        frameworks comparable step by step).
    """

    n: int = 100
    seed: int = 1904
    legacy: bool = False
    lr: float = 0.1
    iterations: int = 80
    w0: float = 0.0

    def __post_init__(self):
        check_int(self.n, "n", low=2)
        check_seed(self.seed)
        check_positive(self.lr, "lr")
        check_count(self.iterations, "iterations")
        check_float(self.w0, "w0")


@dataclass(frozen=True)
class LinearFit:
    """Result of a gradient-descent fit of ``y = w x``.

    Attributes
    ----------
    losses : list of float, one per iteration
        Mean squared error before each update (``losses[0]`` is the loss of the start weight).
    w : float
        Weight after the last update.
    """

    losses: list[float]
    w: float


def make_data(settings: LinearFitSettings = LinearFitSettings()) -> tuple[np.ndarray, np.ndarray]:
    """The data of Ex. 4.2: ``x = linspace(-1, 1, n)``, ``y = 2 x + 0.3 N(0, 1)``.

    Returns
    -------
    x, y : (n, 1) float32
        Columns, so that ``y - w x`` never broadcasts to an (n, n) matrix.
    """
    x = np.linspace(-1.0, 1.0, settings.n)
    rng = np.random.RandomState(settings.seed) if settings.legacy else np.random.default_rng(settings.seed)
    y = SLOPE * x + NOISE * rng.standard_normal(settings.n)
    return x.astype(np.float32)[:, None], y.astype(np.float32)[:, None]


def _check_data(x: np.ndarray, y: np.ndarray) -> None:
    if np.shape(x) != np.shape(y) or np.ndim(x) != 2 or np.shape(x)[1] != 1:
        raise ValueError(f"x and y must both have shape (n, 1), got {np.shape(x)} and {np.shape(y)}")


class OneWeightLinear(torch.nn.Module):
    """``y = w x``: one trainable weight, no bias (the custom layer of Ex. 4.2)."""

    def __init__(self, w0: float = 0.0):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor(float(w0)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w * x


def train_torch(x: np.ndarray, y: np.ndarray, settings: LinearFitSettings = LinearFitSettings()) -> LinearFit:
    """Fit ``y = w x`` (data ``x, y`` (n, 1), e.g. from :func:`make_data`) by gradient descent with torch autograd.

    The step size, the number of steps and the start weight come from ``settings``.
    """
    _check_data(x, y)
    lr = settings.lr
    x_t = torch.as_tensor(x, dtype=torch.float32)
    y_t = torch.as_tensor(y, dtype=torch.float32)
    model = OneWeightLinear(settings.w0)
    losses = []
    for _ in range(settings.iterations):
        loss = torch.mean((model(x_t) - y_t) ** 2)  # Eq. 4.11 over the full batch
        model.zero_grad()
        loss.backward()  # autograd fills model.w.grad = dL/dw
        with torch.no_grad():
            model.w -= lr * model.w.grad  # Eq. 4.36
        losses.append(loss.item())
    return LinearFit(losses, model.w.item())


def keras_one_weight_layer(w0: float = 0.0):
    """A custom Keras 3 layer ``y = x w`` whose single weight is created by ``add_weight``."""
    config.import_tensorflow()
    import keras

    class OneWeightLinear(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(1, 1), initializer=keras.initializers.Constant(w0), name="w")

        def call(self, x):
            return keras.ops.matmul(x, self.w)

    return OneWeightLinear()


def train_keras(x: np.ndarray, y: np.ndarray, settings: LinearFitSettings = LinearFitSettings()) -> LinearFit:
    """Fit ``y = w x`` by full-batch gradient descent with a TensorFlow ``GradientTape``.

    Same arguments and result as :func:`train_torch`; the model is
    :func:`keras_one_weight_layer` and the update is ``w.assign_sub(lr * dL/dw)``.
    """
    _check_data(x, y)
    lr = settings.lr
    tf = config.import_tensorflow()
    x_t = tf.constant(x, dtype=tf.float32)
    y_t = tf.constant(y, dtype=tf.float32)
    layer = keras_one_weight_layer(settings.w0)
    layer.build(x_t.shape)
    losses = []
    for _ in range(settings.iterations):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(x_t) - y_t))  # Eq. 4.11 over the full batch
        grad = tape.gradient(loss, layer.w)
        layer.w.assign_sub(lr * grad)  # Eq. 4.36
        losses.append(float(loss))
    return LinearFit(losses, float(layer.w.numpy()[0, 0]))
