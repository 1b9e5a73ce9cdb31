"""Exercise 5.2 and book Fig. 2.4: a ReLU network interpolates a wiggly 1-D function.

The data are noisy samples ``y = f(x) + noise`` of
:func:`dlpbook.data.interpolation.interpolation_function` with ``x ~ U(-10, 10)``. Ex. 5.2
trains four ``Dense(32, ReLU)`` layers with L1 = L2 = 0.01 kernel penalties (book Eq. 5.6, 5.7)
and a linear output (3,265 parameters) with Adam (lr 1e-3, batch 64) and looks at the
network's prediction after chosen epochs; :func:`fit_with_snapshots` does the same for the
3 x 30 network of Fig. 2.4 (Example 2.3) without penalties.

Two bugs of the original notebook are fixed here: the targets are a column ``(n, 1)`` (there,
``f(x)`` of shape (n, 1) plus noise of shape (n,) broadcast to an (n, n) matrix), and the
predictions are taken after whole epochs (there, ``ModelCheckpoint(save_freq=20)`` counted
batches, not epochs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .. import data, keras_nn, nn, train
from ..data.interpolation import X_RANGE, interpolation_function

HIDDEN = (32, 32, 32, 32)
"""Hidden layers of the Ex. 5.2 network."""

PENALTY = 0.01
"""L1 and L2 rate of the kernel penalties of Ex. 5.2 (Eq. 5.6, 5.7)."""

N_PARAMETERS = 3265
"""Parameters of the Ex. 5.2 network: 1*32+32 + 3*(32*32+32) + 32+1."""


@dataclass(frozen=True)
class InterpolationFit:
    """Result of an interpolation training run.

    Attributes
    ----------
    x_train, y_train : (n, 1) float
        Training data.
    x_grid : (m,) float
        Evenly spaced test points on [-10, 10].
    f_grid : (m,) float
        The noise-free function on ``x_grid``.
    snapshots : dict int -> (m,) float
        Network prediction on ``x_grid`` after each snapshot epoch (1-based).
    loss : list of float
        Mean training loss of each epoch (MSE plus penalty, as Keras reports it).
    test_mse : float
        MSE of the final network against ``f_grid`` (no penalty, no noise).
    n_parameters : int
        Trainable parameters of the network.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_grid: np.ndarray
    f_grid: np.ndarray
    snapshots: dict[int, np.ndarray]
    loss: list[float]
    test_mse: float
    n_parameters: int


def _check(epochs: int, snapshot_epochs: Sequence[int]) -> tuple[int, ...]:
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    snapshots = tuple(sorted(set(int(e) for e in snapshot_epochs)))
    if not snapshots or snapshots[0] < 1 or snapshots[-1] > epochs:
        raise ValueError(f"snapshot epochs must lie in [1, {epochs}], got {tuple(snapshot_epochs)}")
    return snapshots


def _grid(n_grid: int) -> tuple[np.ndarray, np.ndarray]:
    x_grid = np.linspace(*X_RANGE, n_grid)
    return x_grid, interpolation_function(x_grid)


class PredictionSnapshots(train.Callback):
    """A :func:`dlpbook.train.fit` callback that stores ``model(x)`` after chosen epochs."""

    def __init__(self, x: np.ndarray, epochs: Sequence[int]):
        self.x, self.epochs, self.predictions = x, set(epochs), {}

    def on_epoch_end(self, model, optimizer, history):
        epoch = history.epochs[-1]
        if epoch in self.epochs:
            self.predictions[epoch] = train.predict(model, self.x)[:, 0]
            model.train()
        return False


def _fit_torch(model, regularizer, *, n, noise, epochs, snapshot_epochs, batch_size, lr, seed, n_grid) -> InterpolationFit:
    snapshot_epochs = _check(epochs, snapshot_epochs)
    arrays = data.load("interpolation", n, seed=seed, noise=noise, progress=False)
    x_grid, f_grid = _grid(n_grid)
    snapshots = PredictionSnapshots(x_grid[:, None], snapshot_epochs)
    history = train.fit(
        model,
        (arrays["x"], arrays["y"]),
        loss=torch.nn.MSELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=lr),
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[snapshots],
        regularizer=regularizer,
        seed=seed,
        progress=False,
    )
    final = train.predict(model, x_grid[:, None])[:, 0]
    return InterpolationFit(
        arrays["x"], arrays["y"], x_grid, f_grid, snapshots.predictions, history["loss"],
        float(np.mean((final - f_grid) ** 2)), nn.count_parameters(model),
    )


def torch_model(hidden: Sequence[int] = HIDDEN, *, seed: int = 0) -> torch.nn.Sequential:
    """The 1 -> hidden -> 1 ReLU network in PyTorch (3,265 parameters for the default)."""
    return nn.mlp(1, hidden, 1, seed=seed)


def train_torch(
    n: int = 10_000,
    *,
    epochs: int = 100,
    snapshot_epochs: Sequence[int] = (20, 40, 60, 80, 100),
    seed: int = 0,
    batch_size: int = 64,
    lr: float = 1e-3,
    n_grid: int = 1000,
) -> InterpolationFit:
    """Ex. 5.2 in PyTorch: 4 x Dense(32, ReLU) with L1 = L2 = 0.01 penalties, Adam, MSE.

    The penalties act on the four hidden weight matrices, as in the original exercise; the
    training loss includes them. ``n`` noisy samples (noise sigma = 1) come from
    ``dlpbook.data.load("interpolation", n, seed=seed)``.
    """
    return _fit_torch(
        torch_model(seed=seed),
        lambda model: nn.weight_penalty(model[:-1], l1=PENALTY, l2=PENALTY),  # hidden kernels only
        n=n, noise=1.0, epochs=epochs, snapshot_epochs=snapshot_epochs,
        batch_size=batch_size, lr=lr, seed=seed, n_grid=n_grid,
    )


def fit_with_snapshots(
    hidden: Sequence[int] = (30, 30, 30),
    *,
    epochs: int = 800,
    snapshot_epochs: Sequence[int] = (50, 100, 200, 800),
    n: int = 500,
    noise: float = 0.3,
    seed: int = 0,
    batch_size: int = 100,
    lr: float = 5e-3,
    n_grid: int = 1000,
) -> InterpolationFit:
    """Book Fig. 2.4 (Example 2.3): a 3 x 30 ReLU network fitted to few noisy points, no penalty.

    Returns the prediction on ``x_grid`` after each of ``snapshot_epochs`` and the training
    loss (MSE) of every epoch. The book does not give its data; here they are ``n`` samples of
    the Ex. 5.2 function with Gaussian noise of standard deviation ``noise``, so the loss
    cannot fall below ``noise**2``; the defaults bring it there within 800 epochs (about 4,000
    Adam steps).
    """
    return _fit_torch(
        torch_model(hidden, seed=seed), None,
        n=n, noise=noise, epochs=epochs, snapshot_epochs=snapshot_epochs,
        batch_size=batch_size, lr=lr, seed=seed, n_grid=n_grid,
    )


def keras_model(*, seed: int = 0):
    """Ex. 5.2 in Keras 3: 4 x Dense(32, ReLU, L1L2(0.01, 0.01) kernel penalty) -> Dense(1)."""
    return keras_nn.mlp(1, HIDDEN, 1, l1=PENALTY, l2=PENALTY, penalize_output=False, seed=seed)


def train_keras(
    n: int = 10_000,
    *,
    epochs: int = 100,
    snapshot_epochs: Sequence[int] = (20, 40, 60, 80, 100),
    seed: int = 0,
    batch_size: int = 64,
    lr: float = 1e-3,
    n_grid: int = 1000,
) -> InterpolationFit:
    """Ex. 5.2 in Keras 3: :func:`keras_model`, ``compile(Adam, MSE)``, ``fit`` with a callback.

    The callback predicts on the test grid at the end of each snapshot epoch (the original's
    ``ModelCheckpoint(save_freq=20)`` saved every 20 *batches*). Same arguments and result as
    :func:`train_torch`.
    """
    snapshot_epochs = _check(epochs, snapshot_epochs)
    keras = keras_nn.keras()
    keras.utils.set_random_seed(seed)
    arrays = data.load("interpolation", n, seed=seed, progress=False)
    x_grid, f_grid = _grid(n_grid)
    snapshots = {}

    class PredictionSnapshots(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 in snapshot_epochs:  # Keras counts epochs from 0
                snapshots[epoch + 1] = self.model.predict(x_grid[:, None], verbose=0)[:, 0]

    model = keras_model(seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr), loss="mse")
    history = model.fit(
        arrays["x"], arrays["y"], batch_size=batch_size, epochs=epochs,
        callbacks=[PredictionSnapshots()], verbose=0,
    )
    final = model.predict(x_grid[:, None], verbose=0)[:, 0]
    return InterpolationFit(
        arrays["x"], arrays["y"], x_grid, f_grid, snapshots, [float(v) for v in history.history["loss"]],
        float(np.mean((final - f_grid) ** 2)), model.count_params(),
    )


def plot_fit(fit: InterpolationFit, *, title: str = ""):
    """Two panels: data, true function and the snapshot predictions (coloured by epoch); loss vs epoch.

    Returns the matplotlib figure (book Fig. 2.4 layout).
    """
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), height_ratios=(3, 2), layout="constrained")
    shown = np.random.default_rng(0).permutation(len(fit.x_train))[:500]
    top.plot(fit.x_train[shown, 0], fit.y_train[shown, 0], ".", color="0.7", ms=3, label="training data")
    top.plot(fit.x_grid, fit.f_grid, "k-", lw=1.5, label="f(x)")
    colours = plt.cm.viridis(np.linspace(0.0, 0.9, len(fit.snapshots)))
    for colour, (epoch, prediction) in zip(colours, sorted(fit.snapshots.items())):
        top.plot(fit.x_grid, prediction, color=colour, lw=1.5, label=f"epoch {epoch}")
    top.set(xlabel="x", ylabel="f(x)", title=title)
    top.legend(ncol=2, fontsize="small")
    epochs = np.arange(1, len(fit.loss) + 1)
    bottom.semilogy(epochs, fit.loss, color="0.3", label="training loss")
    for colour, epoch in zip(colours, sorted(fit.snapshots)):
        bottom.semilogy(epoch, fit.loss[epoch - 1], "o", color=colour)
    bottom.set(xlabel="epoch", ylabel="loss")
    bottom.legend()
    return fig
