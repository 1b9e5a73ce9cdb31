"""Exercises 7.2 and 8.2: the energy of cosmic-ray air showers from their footprints on a 14 x 14 array.

The data are the ``airshowers_mnist`` set (:mod:`dlpbook.data.airshower`): footprints of
simulated showers on a Cartesian array of 14 x 14 stations, 750 m apart, each station giving
the arrival time of the first particles and the integrated signal, and the energy in EeV
(3-100). :func:`load_split` turns them into the network inputs of the original exercises
(:func:`dlpbook.data.airshower.inputs.footprint_inputs`) and splits off the last events as the
test set.

Ex. 7.2 regresses the energy with the fully-connected network
:func:`dlpbook.nn.mlp.airshower_energy_fcn` (59,601 parameters; 20 epochs, minibatches of
128), Ex. 8.2 with the CNN :func:`dlpbook.nn.conv.airshower_cnn` (286,849 parameters; 50
epochs, minibatches of 64); both on the mean squared error of the energy in EeV with Adam
(learning rate 1e-3). :class:`FcnSettings` and :class:`CnnSettings` hold the settings of each
profile, which :func:`train_torch` and :func:`train_keras` read. The results are judged by the
resolution (standard deviation of ``E_pred - E_true``), the bias (its mean) and the relative
resolution in bins of the true energy.

:func:`trained` caches a run's result (:func:`dlpbook.result_cache.cached_result`), so the page
of Ex. 8.2 compares its CNN with the network that the page of Ex. 7.2 trained, without training
it again.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from .. import config, data, keras_nn, metrics, nn, train
from ..data.airshower import inputs as shower_inputs
from ..keras_nn import conv as keras_conv
from ..keras_nn.mlp import airshower_energy_fcn as keras_fcn
from ..nn import conv as torch_conv
from ..nn.mlp import airshower_energy_fcn as torch_fcn
from ..result_cache import cached_result
from ..validation import ParameterError, check_choice, check_count, check_float, check_positive, check_seed
from .settings import FRAMEWORKS, ProfileSettings, Settings

N_PARAMETERS = {"fcn": 59_601, "cnn": 286_849}
"""Trainable parameters of the Ex. 7.2 network and the Ex. 8.2 CNN (both frameworks)."""

ENERGY_BINS_EEV = np.logspace(0.5, 2.0, 6)
"""Edges of five bins of equal width in log10(E), over the simulated 10^0.5-100 EeV."""


@dataclass(frozen=True)
class ShowerData(Settings):
    """Which footprints a run uses (defaults: the 100,000 events of the original file).

    Attributes
    ----------
    n_train : int
        Training events, the first of the set.
    n_test : int
        Test events, the last of the set (the original kept 20,000).
    seed : int
        Seed of the simulated set.
    """

    n_train: int = 80_000
    n_test: int = 20_000
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_train, "n_train")
        check_count(self.n_test, "n_test")
        check_seed(self.seed)


@dataclass(frozen=True)
class EnergySettings(ProfileSettings):
    """One training run of an energy regression; the subclasses choose the network.

    Attributes
    ----------
    data : ShowerData
        Training and test events.
    epochs, batch_size : int
    lr : float
        Initial learning rate of Adam.
    lr_decay : float
        Factor in (0, 1] applied to the learning rate after every epoch (1: constant, as in
        the original exercises).
    seed : int
        Seed of the initial weights, the dropout masks and the minibatch order.
    """

    network: ClassVar[str]

    data: ShowerData = ShowerData()
    epochs: int = 20
    batch_size: int = 128
    lr: float = 1e-3
    lr_decay: float = 1.0
    seed: int = 0

    def __post_init__(self):
        if not isinstance(self.data, ShowerData):
            raise ParameterError("data", "a ShowerData object", self.data)
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.lr, "lr")
        check_float(self.lr_decay, "lr_decay", low=0, high=1, low_open=True)
        check_seed(self.seed)


@dataclass(frozen=True)
class FcnSettings(EnergySettings):
    """Ex. 7.2: the fully-connected network, 20 epochs, minibatches of 128 (the original)."""

    network: ClassVar[str] = "fcn"

    @classmethod
    def profiles(cls) -> dict[str, FcnSettings]:
        """``full``: the original (80,000 training events, 20 epochs of 128); ``quick``: 2,000 events.

        With 40 times fewer events, ``quick`` takes minibatches of 32 (63 steps per epoch) and a
        learning rate of 2e-3 that falls by 0.85 per epoch: the original constant rate leaves the
        test resolution jumping by +-0.5 EeV between the last epochs (4.5-5.2 EeV over five
        seeds, PyTorch); the decay settles it at 4.2-4.7 EeV.
        """
        return {"quick": cls(QUICK_DATA, epochs=20, batch_size=32, lr=2e-3, lr_decay=0.85), "full": cls()}


@dataclass(frozen=True)
class CnnSettings(EnergySettings):
    """Ex. 8.2: the CNN, 50 epochs, minibatches of 64 (the original)."""

    network: ClassVar[str] = "cnn"

    epochs: int = 50
    batch_size: int = 64

    @classmethod
    def profiles(cls) -> dict[str, CnnSettings]:
        """``full``: the original (80,000 training events, 50 epochs of 64); ``quick``: 3 epochs of 2,000 events.

        A CNN step costs about 40 fully-connected ones, so ``quick`` affords three epochs of the
        Ex. 7.2 ``quick`` events. A large learning rate (3e-3) that falls steeply (0.4 per epoch)
        makes the most of them: 3.6-4.3 EeV over five seeds (PyTorch), where 2e-3 falling by 0.5
        ends at 3.5-4.7 EeV after three epochs and at 4.0-5.1 EeV after two.
        """
        return {"quick": cls(QUICK_DATA, epochs=3, batch_size=32, lr=3e-3, lr_decay=0.4), "full": cls()}


QUICK_DATA = ShowerData(n_train=2000, n_test=1000)
"""The events of both exercises in the ``quick`` profile."""

SETTINGS = {"fcn": FcnSettings, "cnn": CnnSettings}


@dataclass(frozen=True)
class ShowerSplit:
    """Network inputs and energies of the training and test events.

    ``x_*`` are (n, 14, 14, 2) float32 (normalised arrival time and signal, 0 for silent
    stations), ``energy_*`` (n,) float32 in EeV.
    """

    x_train: np.ndarray
    energy_train: np.ndarray
    x_test: np.ndarray
    energy_test: np.ndarray


@functools.lru_cache(maxsize=1)
def load_split(events: ShowerData = ShowerData()) -> ShowerSplit:
    """The ``airshowers_mnist`` events of ``events`` as network inputs, split into training and test.

    As in the original: times standardised and signals ``log10(1 + S)`` scaled to [0, 1] over
    the whole set, silent stations 0, the first ``n_train`` events for training and the last
    ``n_test`` for testing. The last split is kept in memory for the next call.
    """
    showers = data.load("airshowers_mnist", events.n_train + events.n_test, seed=events.seed, progress=False)
    x = shower_inputs.footprint_inputs(showers["time"], showers["signal"])
    energy = showers["energy"].astype(np.float32)
    n = events.n_train
    return ShowerSplit(x[:n], energy[:n], x[n:], energy[n:])


@dataclass(frozen=True)
class EnergyFit:
    """Result of a training run, evaluated on the test events.

    Attributes
    ----------
    network : str
        ``"fcn"`` or ``"cnn"``.
    framework : str
        ``"torch"`` or ``"keras"``.
    energy, prediction : (n_test,) float
        True and predicted energies of the test events, EeV.
    loss : (epochs,) float
        Mean training loss (MSE, EeV^2) of each epoch.
    test_resolution : (epochs,) float
        Resolution on the test events after each epoch, EeV.
    n_parameters : int
    made_by : str
        The profile and devices of the run (:func:`dlpbook.config.describe`).
    """

    network: str
    framework: str
    energy: np.ndarray
    prediction: np.ndarray
    loss: np.ndarray
    test_resolution: np.ndarray
    n_parameters: int
    made_by: str

    @property
    def resolution(self) -> float:
        """Standard deviation of ``E_pred - E_true`` on the test events, EeV."""
        return metrics.resolution(self.prediction, self.energy)

    @property
    def bias(self) -> float:
        """Mean of ``E_pred - E_true`` on the test events, EeV."""
        return metrics.bias(self.prediction, self.energy)

    @property
    def trivial_resolution(self) -> float:
        """Resolution of the trivial estimate, the same energy for every event: the spread of the true energies, EeV."""
        return float(np.std(self.energy))

    def relative_resolution(self, bins=ENERGY_BINS_EEV) -> metrics.BinnedResolution:
        """``std((E_pred - E_true) / E_true)`` in bins of the true energy (default :data:`ENERGY_BINS_EEV`)."""
        return metrics.binned_resolution(self.energy, self.prediction, bins, relative=True, log=True)

    def arrays(self) -> dict[str, np.ndarray]:
        """The fields as named arrays (for :func:`dlpbook.result_cache.cached_result`)."""
        return {field.name: np.asarray(getattr(self, field.name)) for field in dataclasses.fields(self)}

    @classmethod
    def from_arrays(cls, arrays) -> EnergyFit:
        """The inverse of :meth:`arrays`."""
        values = {field.name: arrays[field.name] for field in dataclasses.fields(cls)}
        values.update(network=str(values["network"]), framework=str(values["framework"]),
                      n_parameters=int(values["n_parameters"]), made_by=str(values["made_by"]))
        return cls(**values)


def torch_model(settings: EnergySettings):
    """The network of ``settings`` in PyTorch: the Ex. 7.2 FCN or the Ex. 8.2 CNN."""
    if settings.network == "fcn":
        return torch_fcn(seed=settings.seed)
    return torch_conv.airshower_cnn(seed=settings.seed)


def keras_model(settings: EnergySettings):
    """The network of ``settings`` in Keras 3 (same layers and parameter count as :func:`torch_model`)."""
    if settings.network == "fcn":
        return keras_fcn(seed=settings.seed)
    return keras_conv.airshower_cnn(seed=settings.seed)


class ResolutionAfterEpoch(train.Callback):
    """A :func:`dlpbook.train.fit` callback: test predictions and resolution after each epoch, then a learning-rate step."""

    def __init__(self, split: ShowerSplit, scheduler: torch.optim.lr_scheduler.LRScheduler):
        self.split, self.scheduler, self.values, self.prediction = split, scheduler, [], None

    def on_epoch_end(self, model, optimizer, history):
        self.prediction = train.predict(model, self.split.x_test)[:, 0]
        self.values.append(metrics.resolution(self.prediction, self.split.energy_test))
        self.scheduler.step()
        return False


def train_torch(settings: EnergySettings, split: ShowerSplit | None = None, *,
                model: torch.nn.Module | None = None) -> EnergyFit:
    """Ex. 7.2 or 8.2 in PyTorch: the network of ``settings``, Adam on the MSE of the energy in EeV.

    ``split`` defaults to :func:`load_split` of ``settings.data``; ``model`` (default: a new
    :func:`torch_model` of ``settings``) is trained in place, so a caller that passes one keeps
    the trained weights.
    """
    split = split if split is not None else load_split(settings.data)
    model = model if model is not None else torch_model(settings)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    tracker = ResolutionAfterEpoch(split, torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=settings.lr_decay))
    with torch.random.fork_rng(devices=[]):  # seeds the dropout masks, leaves the caller's state alone
        torch.manual_seed(settings.seed)
        history = train.fit(
            model,
            (split.x_train, split.energy_train[:, None]),
            loss=torch.nn.MSELoss(),
            optimizer=optimizer,
            epochs=settings.epochs,
            batch_size=settings.batch_size,
            callbacks=[tracker],
            seed=settings.seed,
            progress=False,
        )
    return EnergyFit(settings.network, "torch", split.energy_test, tracker.prediction, np.asarray(history["loss"]),
                     np.asarray(tracker.values), nn.count_parameters(model), config.describe())


def train_keras(settings: EnergySettings, split: ShowerSplit | None = None) -> EnergyFit:
    """Ex. 7.2 or 8.2 in Keras 3: ``compile(Adam, "mse")`` and ``fit``, as in the original notebooks.

    A callback records the test resolution after each epoch (the original computed its
    ``resolution`` metric per minibatch and averaged it); ``LearningRateScheduler`` applies
    ``settings.lr_decay``. The training events are fed as an endless, reshuffled ``tf.data``
    stream with one compiled call per epoch (:func:`dlpbook.keras_nn.epoch_stream`), which saves
    Keras' per-epoch set-up. Same settings, data and result as :func:`train_torch`.
    """
    tf = config.import_tensorflow()
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)  # also fixes the stream's shuffling
    split = split if split is not None else load_split(settings.data)
    model = keras_model(settings)
    stream, steps = keras_nn.epoch_stream(split.x_train, split.energy_train[:, None], batch_size=settings.batch_size,
                                          seed=settings.seed)
    keras_nn.compile_for_fit(
        model, split.x_train, split.energy_train[:, None], optimizer=keras.optimizers.Adam(learning_rate=settings.lr),
        loss="mse", steps_per_execution=steps,
    )
    predict = tf.function(lambda: model(split.x_test, training=False)[:, 0], autograph=False)
    resolutions, predictions = [], []

    class ResolutionAfterEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            predictions[:] = [predict().numpy()]
            resolutions.append(metrics.resolution(predictions[0], split.energy_test))

    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: settings.lr * settings.lr_decay**epoch)
    history = model.fit(stream, epochs=settings.epochs, steps_per_epoch=steps, shuffle=False, verbose=0,
                        callbacks=[schedule, ResolutionAfterEpoch()])
    return EnergyFit(settings.network, "keras", split.energy_test, predictions[0],
                     np.asarray(history.history["loss"]), np.asarray(resolutions), model.count_params(), config.describe())


# the code version of a cached run: this module, the networks, the training loop and the inputs
_CODE = (inspect.getmodule(torch_fcn), torch_conv, inspect.getmodule(keras_fcn), keras_conv, inspect.getmodule(train.fit),
         shower_inputs)


@cached_result(depends=_CODE)
def _trained_arrays(framework: str, network: str, settings: dict, *, seed: int) -> dict[str, np.ndarray]:
    """The arrays of the run's :class:`EnergyFit`; for PyTorch also the weights (``weight:<name>``)."""
    run = SETTINGS[network](**{**settings, "data": ShowerData(**settings["data"]), "seed": seed})
    if framework == "keras":
        return train_keras(run).arrays()
    model = torch_model(run)
    fit = train_torch(run, model=model)
    return {**fit.arrays(), **{f"weight:{k}": v.detach().cpu().numpy() for k, v in model.state_dict().items()}}


def _cache_arguments(settings: EnergySettings) -> tuple[dict, int]:
    """The settings as the plain arguments of :func:`_trained_arrays`, and the seed."""
    fields = {field.name: getattr(settings, field.name) for field in dataclasses.fields(settings)}
    fields["data"] = dataclasses.asdict(settings.data)
    return fields, fields.pop("seed")


def trained(framework: str, settings: EnergySettings) -> EnergyFit:
    """:func:`train_torch` or :func:`train_keras` of ``settings``, computed once per code version and cached.

    The pages of Ex. 7.2 and 8.2 share the fully-connected network's run this way.
    """
    check_choice(framework, "framework", FRAMEWORKS)
    fields, seed = _cache_arguments(settings)
    return EnergyFit.from_arrays(_trained_arrays(framework, settings.network, fields, seed=seed))


def trained_torch_model(settings: EnergySettings) -> torch.nn.Sequential:
    """The PyTorch network of the cached run of ``settings`` (the one :func:`trained` reports), in evaluation mode.

    Chapter 12 explains the Ex. 8.2 CNN's energy estimates with it, without training it again.
    """
    fields, seed = _cache_arguments(settings)
    arrays = _trained_arrays("torch", settings.network, fields, seed=seed)
    model = torch_model(settings)
    model.load_state_dict({key.removeprefix("weight:"): torch.from_numpy(value)
                           for key, value in arrays.items() if key.startswith("weight:")})
    return model.eval()


NETWORK_NAMES = {"fcn": "fully-connected network", "cnn": "CNN"}


def plot_energy_fit(fit: EnergyFit, *, compare: EnergyFit | None = None, title: str = ""):
    """Four panels of a run on the test events: E_pred vs E_true, the residuals, sigma_E / E vs E, training.

    ``compare`` (e.g. the fully-connected network next to the CNN) adds its relative resolution
    and its test resolution per epoch. Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator, NullFormatter, ScalarFormatter

    from ..plots.resolution import plot_residuals, plot_resolution_vs

    # margins set by hand: the constrained layout engine cost a third of the time to draw the figure
    fig, axes = plt.subplots(2, 2, figsize=(10, 8.5))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.07, top=0.96, wspace=0.26, hspace=0.24)
    scatter, residuals, relative, curve = axes.flat
    limits = (0.0, 1.05 * float(max(fit.energy.max(), fit.prediction.max())))
    scatter.plot(fit.energy, fit.prediction, ".", ms=3, alpha=0.5, color="C0")
    scatter.plot(limits, limits, "k--", lw=1, label="$E_\\mathrm{pred} = E_\\mathrm{true}$")
    scatter.set(xlim=limits, ylim=limits, xlabel="true energy $E_\\mathrm{true}$ (EeV)",
                ylabel="predicted energy $E_\\mathrm{pred}$ (EeV)", title=title)
    scatter.legend(loc="upper left")
    plot_residuals(fit.prediction, fit.energy, ax=residuals, bins=60, unit="EeV",
                   name="$E_\\mathrm{pred} - E_\\mathrm{true}$")
    residuals.legend(loc="upper left", fontsize="small")
    runs = [fit] if compare is None else [fit, compare]
    for colour, run in zip(("C0", "C1"), runs):
        plot_resolution_vs(run.energy, run.prediction, bins=ENERGY_BINS_EEV, ax=relative, relative=True, log=True,
                           unit="EeV", name="true energy", label=NETWORK_NAMES[run.network], color=colour)
        epochs = np.arange(1, len(run.test_resolution) + 1)
        curve.plot(epochs, run.test_resolution, "o-", ms=3, color=colour, label=NETWORK_NAMES[run.network])
    relative.set(ylim=(0, None), ylabel="relative resolution $\\sigma_E / E$")
    relative.set_xticks([3, 10, 30, 100], labels=["3", "10", "30", "100"])
    relative.legend()
    curve.axhline(fit.trivial_resolution, color="0.5", ls=":", label="same energy for every event")
    curve.set(yscale="log", xlabel="epoch", ylabel="resolution on the test events (EeV)")
    curve.yaxis.set_major_formatter(ScalarFormatter())
    curve.yaxis.set_minor_formatter(NullFormatter())
    shown = np.concatenate([run.test_resolution for run in runs] + [[fit.trivial_resolution]])
    low, high = 0.8 * shown.min(), 1.25 * shown.max()
    curve.set_yticks([tick for tick in (1, 2, 3, 5, 10, 20, 30, 50, 100) if low <= tick <= high])
    curve.set_ylim(low, high)
    curve.xaxis.set_major_locator(MaxNLocator(integer=True))
    curve.legend()
    return fig


STATION_SPACING_KM = 0.75


def plot_footprints(split: ShowerSplit, events=(0, 1, 2)):
    """The network inputs of test events: normalised arrival time (top) and signal (bottom) per station.

    Silent stations (0 in both channels) are grey dots; the axes give the station positions
    in km (750 m spacing). Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    events = list(events)
    fig, axes = plt.subplots(2, len(events), figsize=(3.6 * len(events), 7), layout="constrained", squeeze=False)
    n = split.x_test.shape[1]
    position = (np.arange(n) - (n - 1) / 2) * STATION_SPACING_KM
    x, y = np.meshgrid(position, position)
    for column, event in enumerate(events):
        footprint = split.x_test[event]
        silent = footprint[..., 1] == 0
        for row, (channel, cmap, label) in enumerate(
            ((0, "viridis", "normalised arrival time"), (1, "autumn_r", "normalised signal"))
        ):
            ax = axes[row, column]
            ax.plot(x[silent], y[silent], ".", color="0.75", ms=3)
            size = 10 + 150 * footprint[..., 1][~silent]
            points = ax.scatter(x[~silent], y[~silent], c=footprint[..., channel][~silent], s=size, cmap=cmap,
                                edgecolors="k", linewidths=0.3)
            fig.colorbar(points, ax=ax, shrink=0.8, label=label)
            ax.set(aspect="equal", xlabel="x (km)", ylabel="y (km)")
            if row == 0:
                ax.set_title(f"E = {split.energy_test[event]:.1f} EeV")
    return fig
