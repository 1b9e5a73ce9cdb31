"""Book Fig. 1.5: the book's first network, in PyTorch and in Keras 3.

Two inputs, one hidden layer of four ReLU nodes and a sigmoid output, trained on the mean
squared error with plain stochastic gradient descent (learning rate 0.01, minibatches of 32,
the defaults of Keras' ``"sgd"`` and ``fit``). The data are the two classes of
:func:`dlpbook.data.toys.curved_classes`, separated by a parabola and smeared near it.
Chapter 1 shows :func:`train_torch` and :func:`train_keras` side by side; both read one
:class:`FirstNetworkSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .. import keras_nn, nn, train
from ..data import toys
from ..validation import check_count, check_non_negative, check_positive, check_seed
from .settings import ProfileSettings


@dataclass(frozen=True)
class FirstNetworkSettings(ProfileSettings):
    """Data and training of Fig. 1.5.

    Attributes
    ----------
    n_points : int
        Points of the toy sample.
    noise : float
        Smearing of the class boundary (:func:`dlpbook.data.toys.curved_classes`).
    data_seed : int
        Seed of the toy sample.
    epochs : int
        Passes over the points (the book: 200).
    lr : float
        Learning rate of SGD.
    batch_size : int
    seed : int
        Seed of the initial weights.
    """

    n_points: int = 1000
    noise: float = 0.2
    data_seed: int = 2
    epochs: int = 200
    lr: float = 0.01
    batch_size: int = 32
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_points, "n_points")
        check_non_negative(self.noise, "noise")
        check_seed(self.data_seed, "data_seed")
        check_count(self.epochs, "epochs")
        check_positive(self.lr, "lr")
        check_count(self.batch_size, "batch_size")
        check_seed(self.seed)

    @classmethod
    def profiles(cls) -> dict[str, FirstNetworkSettings]:
        """``quick``: 800 points, 50 epochs (about as many steps as the book's run, less Keras
        bookkeeping per epoch); ``full``: 1000 points and the book's 200 epochs."""
        return {"quick": cls(n_points=800, epochs=50), "full": cls()}


def first_network_data(settings: FirstNetworkSettings) -> tuple[np.ndarray, np.ndarray]:
    """The toy sample: points ``x`` (n, 2) float32 and labels ``y`` (n, 1) float32 in {0, 1}."""
    toy = toys.curved_classes(settings.n_points, seed=settings.data_seed, noise=settings.noise)
    return toy["x"].astype(np.float32), toy["label"].astype(np.float32)[:, None]


def train_torch(settings: FirstNetworkSettings) -> list[float]:
    """Fig. 1.5 in PyTorch with ``dlpbook.nn.mlp`` and ``dlpbook.train.fit``.

    Returns
    -------
    list of float
        Training accuracy after each epoch, evaluated on all points.
    """
    xdata, ydata = first_network_data(settings)
    model = nn.mlp(2, [4], 1, activation="relu", output_activation="sigmoid", seed=settings.seed)
    history = train.fit(
        model, (xdata, ydata), loss=torch.nn.MSELoss(),
        optimizer=torch.optim.SGD(model.parameters(), lr=settings.lr),
        epochs=settings.epochs, batch_size=settings.batch_size,
        metrics={"accuracy": train.binary_accuracy}, progress=False,
    )
    return history["accuracy"]


def train_keras(settings: FirstNetworkSettings) -> list[float]:
    """Fig. 1.5 in Keras 3, as the book writes it: ``Sequential``, ``compile``, ``fit``.

    The points reach ``fit`` as a reshuffled stream with one compiled call per epoch
    (:func:`dlpbook.keras_nn.epoch_stream`); the book passes the arrays, which costs Keras more
    set-up per epoch than the epoch's 25 steps take.

    Returns
    -------
    list of float
        Training accuracy of each epoch, as Keras reports it (averaged over the epoch's batches).
    """
    keras = keras_nn.keras()
    xdata, ydata = first_network_data(settings)
    keras.utils.set_random_seed(settings.seed)
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Dense(4, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    stream, steps = keras_nn.epoch_stream(xdata, ydata, batch_size=settings.batch_size, seed=settings.seed)
    keras_nn.compile_for_fit(
        model, xdata, ydata, loss="mse", optimizer=keras.optimizers.SGD(learning_rate=settings.lr), metrics=["accuracy"],
        steps_per_execution=steps,
    )
    results = model.fit(stream, epochs=settings.epochs, steps_per_epoch=steps, shuffle=False, verbose=0)
    return [float(value) for value in results.history["accuracy"]]
