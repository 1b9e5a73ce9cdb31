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

from .. import config, data, keras_nn, nn, train
from ..data.interpolation import X_RANGE, interpolation_function
from ..validation import ParameterError, check_choice, check_count, check_non_negative, check_positive, check_seed, check_sizes
from .settings import ProfileSettings, Settings

N_PARAMETERS = 3265
"""Parameters of the Ex. 5.2 network: 1*32+32 + 3*(32*32+32) + 32+1."""


@dataclass(frozen=True)
class InterpolationSettings(Settings):
    """Data, network and training of an interpolation run (defaults: the original Ex. 5.2).

    Attributes
    ----------
    n : int
        Training samples ``y = f(x) + N(0, noise^2)``, ``x ~ U(-10, 10)``.
    noise : float
        Standard deviation of the noise on ``y``.
    hidden : tuple of int
        Widths of the ReLU hidden layers.
    penalty : float
        L1 and L2 rate of the kernel penalties on the hidden layers (Eq. 5.6, 5.7); 0: none.
    epochs : int
    snapshot_epochs : tuple of int
        Epochs (1-based, at most ``epochs``) after which the prediction on the grid is kept.
    batch_size : int
    lr : float
        Learning rate of Adam.
    seed : int
        Seed of the data, the initial weights and the minibatch order.
    n_grid : int
        Evenly spaced test points on [-10, 10].
    """

    n: int = 10_000
    noise: float = 1.0
    hidden: tuple[int, ...] = (32, 32, 32, 32)
    penalty: float = 0.01
    epochs: int = 100
    snapshot_epochs: tuple[int, ...] = (20, 40, 60, 80, 100)
    batch_size: int = 64
    lr: float = 1e-3
    seed: int = 0
    n_grid: int = 1000

    def __post_init__(self):
        check_count(self.n, "n")
        check_non_negative(self.noise, "noise")
        object.__setattr__(self, "hidden", tuple(check_sizes(self.hidden, "hidden")))
        check_non_negative(self.penalty, "penalty")
        check_count(self.epochs, "epochs")
        snapshots = tuple(sorted(set(check_sizes(self.snapshot_epochs, "snapshot_epochs", allow_empty=False))))
        if snapshots[-1] > self.epochs:
            requirement = f"epochs in [1, epochs = {self.epochs}]"
            raise ParameterError("snapshot_epochs", requirement, list(self.snapshot_epochs))
        object.__setattr__(self, "snapshot_epochs", snapshots)
        check_count(self.batch_size, "batch_size")
        check_positive(self.lr, "lr")
        check_seed(self.seed)
        check_count(self.n_grid, "n_grid")


@dataclass(frozen=True)
class InterpolationStudy(ProfileSettings):
    """Ex. 5.2 per profile: ``quick`` reaches the original's fit in a tenth of its updates, ``full`` is the original."""

    run: InterpolationSettings

    @classmethod
    def profiles(cls) -> dict[str, InterpolationStudy]:
        """The run of each profile; ``full`` is the original exercise (15,700 Adam steps).

        ``quick`` must still reach the peaks, which the original network only does after
        thousands of steps. Fewer epochs of the original would stop on the broad trend (2,000
        points for 12 epochs end at a loss of 4.7), so ``quick`` takes 1,680 steps (70 epochs of
        3,000 points) on minibatches of 128 with a five times larger learning rate (less gradient
        noise, larger steps); it ends near the ``full`` run's loss and distance from ``f``, in both
        frameworks. 60 epochs stop short of that in Keras, 100 epochs gain little over 70.
        """
        quick = InterpolationSettings(n=3000, epochs=70, snapshot_epochs=(14, 28, 42, 56, 70), batch_size=128, lr=5e-3)
        return {"quick": cls(quick), "full": cls(InterpolationSettings())}


def fig_2_4_settings(profile: str | None = None) -> InterpolationSettings:
    """Book Fig. 2.4 (Example 2.3): a 3 x 30 network fitted to few noisy points, without penalty.

    The book does not give its data; here they are ``n`` samples of the Ex. 5.2 function with
    Gaussian noise of standard deviation 0.3, so the loss cannot fall below ``0.3**2``. Adam on
    batches of 100 brings it there within 800 epochs: ``full`` with 500 points at learning rate
    5e-3 (4,000 steps), ``quick`` with 200 points at 1e-2 (1,600 steps). Chapter 2 and the
    gallery show this run.

    Parameters
    ----------
    profile
        ``"quick"`` or ``"full"`` (``None``: the active profile).
    """
    name = config.profile() if profile is None else check_choice(profile, "profile", config.PROFILES)
    n, lr = (500, 5e-3) if name == "full" else (200, 1e-2)
    return InterpolationSettings(
        n=n, noise=0.3, hidden=(30, 30, 30), penalty=0.0, epochs=800, snapshot_epochs=(50, 100, 200, 800),
        batch_size=100, lr=lr,
    )


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


def training_data(settings: InterpolationSettings) -> dict[str, np.ndarray]:
    """The training samples of ``settings``: ``x`` and ``y``, (n, 1) columns, from the data cache."""
    return data.load("interpolation", settings.n, seed=settings.seed, noise=settings.noise, progress=False)


def evaluation_grid(settings: InterpolationSettings) -> tuple[np.ndarray, np.ndarray]:
    """``settings.n_grid`` evenly spaced points on [-10, 10] (m,) and the noise-free ``f`` there (m,)."""
    x_grid = np.linspace(*X_RANGE, settings.n_grid)
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


def torch_model(settings: InterpolationSettings = InterpolationSettings()) -> torch.nn.Sequential:
    """The ``1 -> hidden -> 1`` ReLU network in PyTorch (3,265 parameters for Ex. 5.2)."""
    return nn.mlp(1, settings.hidden, 1, seed=settings.seed)


def train_torch(settings: InterpolationSettings = InterpolationSettings()) -> InterpolationFit:
    """Ex. 5.2 in PyTorch: ``dlpbook.nn.mlp``, L1 + L2 penalties, Adam, MSE, snapshots.

    The penalties act on the hidden weight matrices, as in the original exercise; the training
    loss includes them. With ``settings.penalty == 0`` (e.g. :func:`fig_2_4_settings`) there is none.
    """
    arrays = training_data(settings)
    x_grid, f_grid = evaluation_grid(settings)
    model = torch_model(settings)
    rate = settings.penalty
    snapshots = PredictionSnapshots(x_grid[:, None], settings.snapshot_epochs)
    history = train.fit(
        model,
        (arrays["x"], arrays["y"]),
        loss=torch.nn.MSELoss(),
        # fused: one kernel per parameter instead of a dozen small ones (on the CPU a sixth of the step's time)
        optimizer=torch.optim.Adam(model.parameters(), lr=settings.lr, fused=True),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        callbacks=[snapshots],
        # as in the original, only the hidden kernels are penalised (m[:-1] drops the output layer)
        regularizer=(lambda m: nn.weight_penalty(m[:-1], l1=rate, l2=rate)) if rate else None,
        seed=settings.seed,
        progress=False,
    )
    final = train.predict(model, x_grid[:, None])[:, 0]
    return InterpolationFit(
        arrays["x"], arrays["y"], x_grid, f_grid, snapshots.predictions, history["loss"],
        float(np.mean((final - f_grid) ** 2)), nn.count_parameters(model),
    )


def fit_with_snapshots(settings: InterpolationSettings | None = None, /, **changes) -> InterpolationFit:
    """Book Fig. 2.4 (Example 2.3): :func:`train_torch` with ``settings`` (default: the active
    profile's :func:`fig_2_4_settings`), with ``changes`` to them.

    Returns the prediction on the grid after each snapshot epoch and the training loss (MSE)
    of every epoch.
    """
    return train_torch((fig_2_4_settings() if settings is None else settings).replace(**changes))


def keras_model(settings: InterpolationSettings = InterpolationSettings()):
    """Ex. 5.2 in Keras 3: ``Dense(width, ReLU, L1L2(penalty, penalty))`` per hidden layer -> ``Dense(1)``."""
    return keras_nn.mlp(
        1, settings.hidden, 1, l1=settings.penalty, l2=settings.penalty, penalize_output=False, seed=settings.seed
    )


def train_keras(settings: InterpolationSettings = InterpolationSettings()) -> InterpolationFit:
    """Ex. 5.2 in Keras 3: :func:`keras_model`, ``compile(Adam, MSE)``, ``fit`` with a callback.

    The callback predicts on the test grid at the end of each snapshot epoch (the original's
    ``ModelCheckpoint(save_freq=20)`` saved every 20 *batches*). Same settings and result as
    :func:`train_torch`. The data are fed as an endless, reshuffled ``tf.data`` stream with one
    compiled call per epoch (:func:`dlpbook.keras_nn.epoch_stream`).
    """
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    arrays = training_data(settings)
    x_grid, f_grid = evaluation_grid(settings)
    snapshots = {}

    class PredictionSnapshots(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 in settings.snapshot_epochs:  # Keras counts epochs from 0
                snapshots[epoch + 1] = self.model.predict(x_grid[:, None], verbose=0)[:, 0]

    model = keras_model(settings)
    stream, steps = keras_nn.epoch_stream(arrays["x"], arrays["y"], batch_size=settings.batch_size, seed=settings.seed)
    keras_nn.compile_for_fit(
        model, arrays["x"], arrays["y"], optimizer=keras.optimizers.Adam(learning_rate=settings.lr), loss="mse",
        steps_per_execution=steps,
    )
    history = model.fit(
        stream, epochs=settings.epochs, steps_per_epoch=steps, shuffle=False, callbacks=[PredictionSnapshots()], verbose=0,
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
