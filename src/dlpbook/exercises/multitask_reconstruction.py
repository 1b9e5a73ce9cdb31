"""Exercise 11.1: reconstruct the direction, core and energy of air showers with one multi-task network.

The data are the ``airshowers`` footprints (9 x 9 hexagonal array, arrival time and signal per
station, :mod:`dlpbook.data.airshower`), prepared as the exercise does
(:func:`~dlpbook.data.airshower.inputs.footprint_inputs`,
:func:`~dlpbook.data.airshower.inputs.multitask_targets`). The network is the exercise's
(:func:`dlpbook.nn.multitask.airshower_multitask_net` and its Keras twin, 177,016 parameters):
a shared trunk and one tower per task, trained on ``sum_i w_i MSE_i`` (book Eq. 11.1).

The exercise asks for an angular resolution better than 1.5 deg, a core resolution better than
25 m and a relative energy resolution better than 10 % (68 % quantiles,
:mod:`dlpbook.metrics.regression`), and for loss weights that make the three MSEs comparable:
:func:`goal_mse` translates each goal into the MSE of its network output, and
:func:`loss_weight_derivation` compares it with the spread of the targets. Both frameworks
read one :class:`MultitaskSettings` object; :func:`train_torch` and :func:`train_keras`
cache their results (:func:`dlpbook.result_cache.cached_result`), so that the chapter page and
the exercise page share the PyTorch training.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import torch

from .. import data, keras_nn, nn, train
from ..data.airshower import datasets as airshower_datasets
from ..data.airshower import footprints as airshower_footprints
from ..data.airshower import inputs as airshower_inputs
from ..data.airshower.inputs import (
    CORE_UNIT_M,
    LOG_ENERGY_CENTRE,
    MULTITASK_TARGETS,
    footprint_inputs,
    multitask_targets,
)
from ..keras_nn import multitask as keras_multitask
from ..metrics.regression import angular_distance, angular_resolution, distance_resolution, relative_resolution
from ..nn import conv, init, multitask
from ..result_cache import cached_result
from ..validation import ParameterError, check_count, check_float, check_int, check_positive, check_seed
from .settings import ProfileSettings, Settings

TASKS = tuple(MULTITASK_TARGETS)
"""The three tasks, in the order of the network's towers: ``("axis", "core", "energy")``."""

N_PARAMETERS = 177_016
"""Parameters of the Ex. 11.1 network (trunk of 5 steps that add 16 feature maps each)."""

GOALS = {"axis": 1.5, "core": 25.0, "energy": 0.10}
"""The exercise's goals: angular resolution (deg), core resolution (m), relative energy resolution."""

EXERCISE_WEIGHTS = (15.0, 9.0, 2.0)
"""The loss weights of the original solution, for axis, core and energy."""

Arrays = dict[str, np.ndarray]

# what a cached training depends on besides this module: the data, the networks, the training loop
_DATA = (airshower_inputs, airshower_datasets, airshower_footprints)
_TRAINING = tuple(importlib.import_module(f"dlpbook.train.{name}") for name in ("fit", "batches", "callbacks", "loop"))
_TORCH = (multitask, conv, init, *_TRAINING)


def goal_mse(
    angle_deg: float = GOALS["axis"],
    core_m: float = GOALS["core"],
    energy_fraction: float = GOALS["energy"],
    *,
    coverage: float = 0.68,
) -> dict[str, float]:
    """The mean squared error of each network output at which its task reaches its goal.

    The goals are ``coverage`` quantiles; the MSE is the one of the network outputs (averaged
    over their components, as :class:`~dlpbook.nn.multitask.MultiTaskLoss` and Keras' ``"mse"``
    average), for Gaussian residuals:

    - axis (unit vector, 3 components): small errors lie in the plane perpendicular to the
      axis; with the standard deviation ``s`` in each of its two directions, the angle follows
      a Rayleigh distribution, whose quantile is ``s sqrt(-2 ln(1 - coverage))`` (1.51 s for
      68 %), and the MSE over three components is ``2 s^2 / 3``;
    - core (2 components, in units of 750 m): the distance is Rayleigh distributed as well,
      and the MSE is ``s^2``;
    - energy (``log10 E``): a relative error ``r`` in ``E`` is ``r / ln 10`` in ``log10 E``,
      and ``r`` is the half-width of the central interval, ``z s`` with ``z`` = 0.99 for 68 %.

    Parameters
    ----------
    angle_deg, core_m, energy_fraction
        Goals (> 0): angular resolution in degrees, core resolution in m, relative energy
        resolution (0.1 = 10 %).
    coverage
        The quantile the goals refer to, in (0, 1).

    Returns
    -------
    dict
        ``{"axis": ..., "core": ..., "energy": ...}``, the MSE of each output at its goal.
    """
    angle, core = check_positive(angle_deg, "angle_deg"), check_positive(core_m, "core_m")
    energy = check_positive(energy_fraction, "energy_fraction")
    coverage = check_float(coverage, "coverage", low=0, high=1, low_open=True, high_open=True)
    rayleigh = np.sqrt(-2 * np.log(1 - coverage))  # quantile of a Rayleigh distribution, in units of s
    gauss = NormalDist().inv_cdf((1 + coverage) / 2)  # half-width of the central interval, in units of s
    s_axis = np.radians(angle) / rayleigh
    s_core = core / CORE_UNIT_M / rayleigh
    s_energy = energy / np.log(10) / gauss
    return {"axis": float(2 * s_axis**2 / 3), "core": float(s_core**2), "energy": float(s_energy**2)}


def loss_weight_derivation(
    train_targets: Mapping[str, np.ndarray], goals: Mapping[str, float] | None = None
) -> list[dict]:
    """Loss weights that make the three MSEs comparable: ``w_i = 1 / MSE_i(goal)``.

    Each weighted term ``w_i MSE_i`` is then 1 when its task reaches its goal (Ex. 11.1, task 2).
    Beside it, the spread of the targets, ``MSE_i`` of a network that predicts their mean,
    and how far below it the goal lies.

    Parameters
    ----------
    train_targets
        The training targets, as :func:`~dlpbook.data.airshower.inputs.multitask_targets`
        returns them.
    goals
        ``{"axis": deg, "core": m, "energy": fraction}``; default :data:`GOALS`.

    Returns
    -------
    list of dict
        One row per task with ``task``, ``spread`` (MSE of the mean), ``goal_mse``,
        ``ratio`` (spread / goal_mse) and ``weight`` (``1 / goal_mse``).
    """
    goals = {**GOALS, **(goals or {})}
    at_goal = goal_mse(goals["axis"], goals["core"], goals["energy"])
    rows = []
    for task in TASKS:
        y = np.asarray(train_targets[task], dtype=float)
        spread = float(np.mean((y - y.mean(axis=0)) ** 2))
        rows.append(
            {"task": task, "spread": spread, "goal_mse": at_goal[task], "ratio": spread / at_goal[task],
             "weight": 1 / at_goal[task]}
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class MultitaskSettings(Settings):
    """Data, network and training of Ex. 11.1 (defaults: the original solution).

    Attributes
    ----------
    n_train : int
        Training showers (the validation showers are taken from their end).
    n_test : int
        Test showers, after the training showers (the original: the last 20,000 of 200,000).
    validation_split : float
        Fraction of ``n_train`` held out for the per-epoch curves, early stopping and the
        learning-rate schedule, in [0, 1). 0: the curves are measured on the test showers,
        and nothing is chosen with them (no early stopping, no schedule).
    data_seed : int
        Seed of the simulated showers.
    steps, growth : int
        The trunk: steps of ``Conv 1x1 -> SeparableConv 3x3`` that add ``growth`` feature maps.
    weights : tuple of 3 floats
        Loss weights (>= 0) of axis, core and energy.
    epochs, batch_size : int
    lr : float
        Learning rate of Adam.
    patience : int
        Early stopping after ``patience`` epochs without a better validation loss, keeping
        the best epoch's weights; 0: none.
    lr_patience : int
        Multiply the learning rate by 0.67 after ``lr_patience`` epochs without improvement
        (the original's ``ReduceLROnPlateau``); 0: none.
    seed : int
        Seed of the initial weights and of the minibatch order.
    """

    n_train: int = 180_000
    n_test: int = 20_000
    validation_split: float = 0.1
    data_seed: int = 11
    steps: int = 5
    growth: int = 16
    weights: tuple[float, float, float] = EXERCISE_WEIGHTS
    epochs: int = 40
    batch_size: int = 128
    lr: float = 1e-3
    patience: int = 5
    lr_patience: int = 10
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_train, "n_train")
        check_count(self.n_test, "n_test")
        check_float(self.validation_split, "validation_split", low=0, high=1, high_open=True)
        if self.validation_split and round(self.validation_split * self.n_train) in (0, self.n_train):
            requirement = "a fraction that leaves showers in both parts"
            raise ParameterError("validation_split", requirement, self.validation_split)
        check_seed(self.data_seed, "data_seed")
        check_count(self.steps, "steps")
        check_count(self.growth, "growth")
        if len(self.weights) != len(TASKS):
            raise ParameterError("weights", f"{len(TASKS)} numbers (axis, core, energy)", self.weights)
        weights = tuple(check_float(w, "weights", low=0) for w in self.weights)
        if not any(weights):
            raise ParameterError("weights", "numbers >= 0, not all 0", self.weights)
        object.__setattr__(self, "weights", weights)
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.lr, "lr")
        check_int(self.patience, "patience", low=0)
        check_int(self.lr_patience, "lr_patience", low=0)
        if (self.patience or self.lr_patience) and not self.validation_split:
            raise ParameterError("validation_split", "> 0 with early stopping or a schedule", self.validation_split)
        check_seed(self.seed)

    @property
    def task_weights(self) -> dict[str, float]:
        """``{"axis": w, "core": w, "energy": w}``."""
        return dict(zip(TASKS, self.weights))


@dataclass(frozen=True)
class MultitaskStudy(ProfileSettings):
    """Ex. 11.1 per profile: the weighted run, and the weights it is compared with.

    Attributes
    ----------
    run : MultitaskSettings
        The training with the exercise's loss weights.
    equal : tuple of 3 floats
        The weights of the comparison run (task 3: the training without the weights).
    """

    run: MultitaskSettings
    equal: tuple[float, float, float] = (1.0, 1.0, 1.0)

    @classmethod
    def profiles(cls) -> dict[str, MultitaskStudy]:
        """``full``: the original solution (180,000 training showers, up to 40 epochs).

        ``quick`` is the training that chapter 11 shows (1,000 showers, a trunk of 2 steps that
        add 8 feature maps, 3 epochs of minibatches of 32 with a three times larger learning
        rate; the curves on the 300 test showers), shared with it through the result cache.
        """
        quick = MultitaskSettings(
            n_train=1000, n_test=300, validation_split=0.0, steps=2, growth=8, epochs=3, batch_size=32, lr=3e-3,
            patience=0, lr_patience=0,
        )  # fmt: skip
        return {"quick": cls(quick), "full": cls(MultitaskSettings())}

    def unweighted(self) -> MultitaskSettings:
        """The run with the weights :attr:`equal` instead of the exercise's."""
        return self.run.replace(weights=self.equal)


@dataclass(frozen=True)
class Split:
    """Footprints ``x`` (n, 9, 9, 2) and targets ``y`` (a dict by task) of one part of the data."""

    x: np.ndarray
    y: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.x)


def load_data(settings: MultitaskSettings) -> tuple[Split, Split, Split]:
    """Training, validation and test showers of ``settings``, prepared as in the exercise.

    ``n_train + n_test`` showers of ``data_seed`` from the data cache; the test showers are the
    last ``n_test``, the validation showers the last ``validation_split`` of the training part
    (Keras' ``validation_split``). Without a validation split the validation part is the test part.
    """
    events = data.load("airshowers", settings.n_train + settings.n_test, seed=settings.data_seed, progress=False)
    x, y = footprint_inputs(events["time"], events["signal"]), multitask_targets(events)

    def part(start, stop):
        return Split(x[start:stop], {task: values[start:stop] for task, values in y.items()})

    n_fit = settings.n_train - round(settings.validation_split * settings.n_train)
    test = part(settings.n_train, None)
    validation = part(n_fit, settings.n_train) if settings.validation_split else test
    return part(0, n_fit), validation, test


def task_mse(prediction: Mapping[str, np.ndarray], target: Mapping[str, np.ndarray]) -> dict[str, float]:
    """The unweighted MSE of each task (averaged over showers and components)."""
    return {task: float(np.mean((np.asarray(prediction[task]) - target[task]) ** 2)) for task in TASKS}


def energy_eev(log_energy: np.ndarray) -> np.ndarray:
    """Energies in EeV from the network's energy output ``log10(E/eV) - 19.25``, (n, 1) or (n,) -> (n,)."""
    return 10 ** (np.ravel(log_energy) + LOG_ENERGY_CENTRE - 18)


def resolutions(prediction: Mapping[str, np.ndarray], target: Mapping[str, np.ndarray]) -> dict[str, float]:
    """The exercise's 68 % resolutions: axis (deg), core (m) and relative energy (fraction)."""
    return {
        "axis": angular_resolution(prediction["axis"], target["axis"]),
        "core": distance_resolution(CORE_UNIT_M * prediction["core"], CORE_UNIT_M * target["core"]),
        "energy": relative_resolution(energy_eev(prediction["energy"]), energy_eev(target["energy"])),
    }


def trivial_resolutions(
    train_targets: Mapping[str, np.ndarray], test_targets: Mapping[str, np.ndarray]
) -> dict[str, float]:
    """The resolutions of a predictor that answers every shower with the mean training target."""
    mean = {task: np.broadcast_to(train_targets[task].mean(axis=0), test_targets[task].shape) for task in TASKS}
    return resolutions(mean, test_targets)


@dataclass(frozen=True)
class MultitaskFit:
    """Result of an Ex. 11.1 training.

    Attributes
    ----------
    curves : dict of (epochs + 1,) arrays
        ``"loss"``: the weighted training loss of each epoch (NaN at epoch 0);
        ``"val_<task>"``: the unweighted MSE of each task on the validation showers, from
        epoch 0 (the untrained network) on. With early stopping, the curves run to the last
        epoch trained, the network is the one of the best epoch.
    prediction, target : dict of (n_test, k) arrays
        Network outputs and targets of the test showers, by task.
    resolutions : dict
        :func:`resolutions` of the test showers.
    n_parameters : int
    weights : dict
        The loss weights of the run.
    """

    curves: dict[str, np.ndarray]
    prediction: dict[str, np.ndarray]
    target: dict[str, np.ndarray]
    resolutions: dict[str, float]
    n_parameters: int
    weights: dict[str, float]


def _fit_result(arrays: Mapping[str, np.ndarray], settings: MultitaskSettings) -> MultitaskFit:
    """A :class:`MultitaskFit` from the arrays that a cached training stored."""
    prediction = {task: arrays[f"prediction:{task}"] for task in TASKS}
    target = load_data(settings)[2].y
    curves = {key.removeprefix("curve:"): value for key, value in arrays.items() if key.startswith("curve:")}
    n_parameters, weights = int(arrays["n_parameters"]), settings.task_weights
    return MultitaskFit(curves, prediction, target, resolutions(prediction, target), n_parameters, weights)


def _cache_key(settings: MultitaskSettings) -> dict:
    """The settings as plain data, the arguments of a cached training (the seed goes on its own)."""
    plain = {name: list(value) if isinstance(value, tuple) else value for name, value in vars(settings).items()}
    del plain["seed"]
    return plain


def _from_cache_key(run: Mapping, seed: int) -> MultitaskSettings:
    return MultitaskSettings(**{**run, "weights": tuple(run["weights"])}, seed=seed)


class TaskCurves(train.Callback):
    """A :func:`dlpbook.train.fit` callback: each task's MSE on the validation showers after each epoch."""

    def __init__(self, validation: Split):
        self.validation = validation
        self.curves: dict[str, list[float]] = {f"val_{task}": [] for task in TASKS}

    def record(self, model) -> None:
        """Append the current MSE of each task to ``curves["val_<task>"]``."""
        for task, value in task_mse(train.predict(model, self.validation.x), self.validation.y).items():
            self.curves[f"val_{task}"].append(value)
        model.train()

    def on_epoch_end(self, model, optimizer, history):
        self.record(model)
        return False


def fit_torch(settings: MultitaskSettings) -> tuple[multitask.AirshowerMultitaskNet, dict[str, np.ndarray]]:
    """Ex. 11.1 in PyTorch: the multi-task network trained on ``sum_i w_i MSE_i`` with Adam.

    Returns the trained network and its curves (see :class:`MultitaskFit`).
    """
    fit_part, validation, _ = load_data(settings)
    model = multitask.airshower_multitask_net(steps=settings.steps, growth=settings.growth, seed=settings.seed)
    curves = TaskCurves(validation)
    curves.record(model)  # epoch 0: the untrained network
    callbacks = [curves]
    if settings.lr_patience:
        callbacks.append(train.ReduceLROnPlateau(0.67, settings.lr_patience))
    if settings.patience:
        callbacks.append(train.EarlyStopping(settings.patience, restore_best=True))
    history = train.fit(
        model,
        (fit_part.x, fit_part.y),
        loss=multitask.MultiTaskLoss(settings.task_weights),
        optimizer=torch.optim.Adam(model.parameters(), settings.lr),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        # the weighted validation loss, for the callbacks that choose with it
        validation=(validation.x, validation.y) if len(callbacks) > 1 else None,
        callbacks=callbacks,
        seed=settings.seed,
        progress=False,
    )
    return model, {"loss": np.array([np.nan, *history["loss"]]), **{k: np.array(v) for k, v in curves.curves.items()}}


@cached_result(depends=(*_TORCH, *_DATA))
def _train_torch_arrays(run: dict, *, seed: int) -> Arrays:
    settings = _from_cache_key(run, seed)
    model, curves = fit_torch(settings)
    prediction = train.predict(model, load_data(settings)[2].x)
    return {
        **{f"curve:{key}": value for key, value in curves.items()},
        **{f"prediction:{task}": prediction[task] for task in TASKS},
        "n_parameters": nn.count_parameters(model),
        **{f"weight:{key}": value.detach().cpu().numpy() for key, value in model.state_dict().items()},
    }


def train_torch(settings: MultitaskSettings) -> MultitaskFit:
    """:func:`fit_torch`, evaluated on the test showers; cached by code version, settings and profile."""
    return _fit_result(_train_torch_arrays(_cache_key(settings), seed=settings.seed), settings)


def trained_torch_model(settings: MultitaskSettings) -> multitask.AirshowerMultitaskNet:
    """The network that :func:`train_torch` trained (from the result cache; chapter 11 uses it too)."""
    arrays = _train_torch_arrays(_cache_key(settings), seed=settings.seed)
    model = multitask.airshower_multitask_net(steps=settings.steps, growth=settings.growth, seed=settings.seed)
    stored = {key.removeprefix("weight:"): value for key, value in arrays.items() if key.startswith("weight:")}
    model.load_state_dict({key: torch.from_numpy(value) for key, value in stored.items()})
    return model.eval()


def fit_keras(settings: MultitaskSettings) -> tuple[object, dict[str, np.ndarray]]:
    """Ex. 11.1 in Keras 3: the twin network, ``compile`` with one MSE and one weight per output.

    Returns the trained model and its curves (see :class:`MultitaskFit`).
    """
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    fit_part, validation, _ = load_data(settings)
    model = keras_multitask.airshower_multitask_net(steps=settings.steps, growth=settings.growth, seed=settings.seed)
    keras_nn.compile_for_fit(
        model, fit_part.x, fit_part.y, optimizer=keras.optimizers.Adam(learning_rate=settings.lr),
        loss={task: "mse" for task in TASKS}, loss_weights=settings.task_weights,
    )
    curves: dict[str, list[float]] = {f"val_{task}": [] for task in TASKS}

    def record():
        # direct (eager) calls: a compiled evaluation would take longer to trace than it saves here
        prediction = {task: np.asarray(value) for task, value in model(validation.x, training=False).items()}
        for task, value in task_mse(prediction, validation.y).items():
            curves[f"val_{task}"].append(value)

    record()  # epoch 0: the untrained network
    callbacks = [keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: record())]
    if settings.lr_patience:
        callbacks.append(keras.callbacks.ReduceLROnPlateau(factor=0.67, patience=settings.lr_patience))
    if settings.patience:
        callbacks.append(keras.callbacks.EarlyStopping(patience=settings.patience, restore_best_weights=True))
    history = model.fit(
        fit_part.x,
        fit_part.y,
        # the weighted validation loss, for the callbacks that choose with it
        validation_data=(validation.x, validation.y) if len(callbacks) > 1 else None,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        callbacks=callbacks,
        verbose=0,
    )
    return model, {"loss": np.array([np.nan, *history.history["loss"]]), **{k: np.array(v) for k, v in curves.items()}}


@cached_result(depends=(keras_multitask, *_DATA))
def _train_keras_arrays(run: dict, *, seed: int) -> Arrays:
    settings = _from_cache_key(run, seed)
    model, curves = fit_keras(settings)
    prediction = model(load_data(settings)[2].x, training=False)
    return {
        **{f"curve:{key}": value for key, value in curves.items()},
        **{f"prediction:{task}": np.asarray(prediction[task]) for task in TASKS},
        "n_parameters": model.count_params(),
    }


def train_keras(settings: MultitaskSettings) -> MultitaskFit:
    """:func:`fit_keras`, evaluated on the test showers; cached by code version, settings and profile."""
    return _fit_result(_train_keras_arrays(_cache_key(settings), seed=settings.seed), settings)


TITLES = {"axis": "shower axis", "core": "shower core", "energy": "energy"}
"""Panel titles by task."""

MSE_LABELS = {
    "axis": "MSE of the axis components",
    "core": "MSE of core / 750 m",
    "energy": "MSE of $\\log_{10}(E/\\mathrm{eV})$",
}
"""Axis labels of the per-task losses."""


def plot_curves(fits: Mapping[str, MultitaskFit], *, title: str = ""):
    """One panel per task: its validation MSE per epoch for each run, and the MSE at the goal (:func:`goal_mse`).

    Parameters
    ----------
    fits
        Label -> :class:`MultitaskFit` (e.g. with and without the loss weights).
    title
        Shown above the panels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    # margins set by hand: a layout engine would double the time to draw the figure
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8))
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.84 if title else 0.91, wspace=0.32)
    at_goal = goal_mse()
    for ax, task in zip(axes, TASKS):
        for (label, fit), style in zip(fits.items(), ("o-", "s--", "^:")):
            values = fit.curves[f"val_{task}"]
            ax.plot(np.arange(len(values)), values, style, label=label)
        ax.axhline(at_goal[task], color="k", ls=":", lw=1, label="at the goal")
        ax.set(yscale="log", xlabel="epoch", ylabel=MSE_LABELS[task], title=TITLES[task])
        ax.xaxis.get_major_locator().set_params(integer=True)
    axes[0].legend(fontsize="small")
    if title:
        fig.suptitle(title)
    return fig


def _histogram(ax, values, value_range, xlabel: str) -> None:
    ax.hist(values, bins=40, range=value_range, histtype="stepfilled", alpha=0.6)
    ax.set(xlabel=xlabel, ylabel="showers")
    ax.yaxis.get_major_locator().set_params(integer=True)


def plot_reconstruction(fit: MultitaskFit, *, title: str = ""):
    """The test showers' reconstruction, one panel per task, with the 68 % resolutions and the goals.

    Histograms of the angle between the predicted and true axis and of the distance between
    the predicted and true core, the relative energy error, and the reconstructed against the
    true energy (the plots of the original solution).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(10, 7.5))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.08, top=0.93 if title else 0.97, hspace=0.28, wspace=0.22)
    p, t, r = fit.prediction, fit.target, fit.resolutions
    distances = {
        "axis": (angular_distance(p["axis"], t["axis"]), "angle between predicted and true axis / deg", "{:.2f} deg"),
        "core": (CORE_UNIT_M * np.linalg.norm(p["core"] - t["core"], axis=1),
                 "distance between predicted and true core / m", "{:.0f} m"),
    }  # fmt: skip
    for ax, (task, (values, xlabel, unit)) in zip(axes[0], distances.items()):
        _histogram(ax, values, (0, np.quantile(values, 0.98)), xlabel)
        ax.axvline(r[task], color="C3", label=f"68 % quantile: {unit.format(r[task])}")
        ax.axvline(GOALS[task], color="k", ls="--", label=f"goal: {unit.format(GOALS[task])}")
        ax.legend(fontsize="small")
    e_rec, e_true = energy_eev(p["energy"]), energy_eev(t["energy"])
    relative = 100 * (e_rec - e_true) / e_true
    ax = axes[1, 0]
    xlabel = "$(E_\\mathrm{rec} - E_\\mathrm{true}) / E_\\mathrm{true}$ / %"
    _histogram(ax, relative, tuple(np.quantile(relative, [0.01, 0.99])), xlabel)
    resolution, goal = 100 * r["energy"], 100 * GOALS["energy"]
    for sign in (-1, 1):
        first = sign > 0  # one legend entry per pair of lines
        ax.axvline(sign * resolution, color="C3", label=f"68 % half-width: {resolution:.1f} %" if first else None)
        ax.axvline(sign * goal, color="k", ls="--", label=f"goal: {goal:.0f} %" if first else None)
    ax.legend(fontsize="small")
    ax = axes[1, 1]
    ax.plot(np.log10(e_true) + 18, np.log10(e_rec) + 18, ".", ms=3, alpha=0.5)
    ax.plot([18.5, 20], [18.5, 20], "k-", lw=1)
    label = "$\\log_{10}(E/\\mathrm{eV})$"
    ax.set(xlabel=f"true {label}", ylabel=f"reconstructed {label}", aspect="equal")
    if title:
        fig.suptitle(title)
    return fig
