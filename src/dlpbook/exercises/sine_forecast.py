"""Exercise 9.1: forecasting ``sin(pi t)`` with an LSTM, one step and autoregressively.

The series ``f(t) = sin(pi t)`` is sampled 10,000 times on ``t in [0, 100]`` (period 2, about
200 samples per period, :mod:`dlpbook.data.sine`) and cut into windows of 20 values, each with
the value that follows it as target (9,979 windows, as in the original). ``LSTM(16) ->
Dense(1)`` (1,169 parameters; :func:`dlpbook.nn.recurrent.lstm_forecaster` and its Keras twin)
learns the next value with the mean squared error, Adam (learning rate 1e-3), minibatches of
32, up to 60 epochs, the last 10 % of the windows for validation (8,982 train, 997 validate),
``ReduceLROnPlateau(0.67, patience 3, min 1e-5)`` and ``EarlyStopping(patience 4)``, as in the
original notebook (validation MSE 1.9e-7 after 60 epochs).

Then the network forecasts 500 steps ahead from a true window by reading its own predictions
(:func:`dlpbook.data.sine.roll_forecast`). How long that stays good is measured from many
starting windows spread over one period (:func:`evaluate_forecasts`): the RMS error after
each step, compared with two forecasts that need no network, repeating the last value
(persistence) and predicting 0 (the mean of the series).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .. import data, keras_nn, nn, train
from ..data.sine import sliding_windows
from ..keras_nn import recurrent as keras_recurrent
from ..nn import recurrent
from ..validation import (
    ParameterError,
    check_count,
    check_float,
    check_int,
    check_positive,
    check_rate,
    check_seed,
    check_sizes,
)
from .settings import ProfileSettings

N_PARAMETERS = 1169
"""Parameters of ``LSTM(16) -> Dense(1)``: 4 * 16 * (1 + 16 + 1) + 16 + 1."""
LR_FACTOR, LR_PATIENCE, MIN_LR = 0.67, 3, 1e-5
"""The original's ``ReduceLROnPlateau(factor=0.67, patience=3, min_lr=1e-5)`` on the validation loss."""
STOP_PATIENCE = 4
"""The original's ``EarlyStopping(patience=4)`` on the validation loss (it never stopped)."""


@dataclass(frozen=True)
class SineForecastSettings(ProfileSettings):
    """Data, network, training and forecast of Ex. 9.1 (defaults: the original notebook).

    Attributes
    ----------
    n_samples : int
        Samples of ``sin(pi t)`` on ``[0, t_max]``.
    t_max : float
        End of the time interval.
    window : int
        Values the network reads to predict the next one.
    n_windows : int or None
        Windows used, from the start of the series (``None``: all ``n_samples - window``;
        the original used 9,979 of the 9,980, dropping the last one). The last
        ``validation_fraction`` of them validate, the rest train.
    units : tuple of int
        Units of each LSTM layer, bottom first (the exercise's second task varies them).
    epochs : int
        Epochs at most (early stopping may end sooner).
    batch_size : int
    lr : float
        Initial learning rate of Adam.
    validation_fraction : float
        Share of the windows held out, in [0, 1) (taken from the end of the series, as Keras'
        ``validation_split``); 0 switches validation, learning-rate reduction and early
        stopping off.
    horizon : int
        Steps of the autoregressive forecasts.
    starts : tuple of int
        Start samples of the starting windows shown in the figure (the original's 12, 85, 115).
    n_eval_starts : int
        Starting windows for the error curve, evenly spread over one period from the first
        validation window on.
    tolerance : float
        RMS error, in units of the amplitude 1, up to which a forecast counts as good.
    seed : int
        Seed of the initial weights and of the minibatch order.
    """

    n_samples: int = 10_000
    t_max: float = 100.0
    window: int = 20
    n_windows: int | None = 9979
    units: tuple[int, ...] = (16,)
    epochs: int = 60
    batch_size: int = 32
    lr: float = 1e-3
    validation_fraction: float = 0.1
    horizon: int = 500
    starts: tuple[int, ...] = (12, 85, 115)
    n_eval_starts: int = 40
    tolerance: float = 0.1
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_samples, "n_samples")
        check_positive(self.t_max, "t_max")
        check_count(self.window, "window", high=self.n_samples - 1)
        available = self.n_samples - self.window
        if self.n_windows is not None:
            check_count(self.n_windows, "n_windows", high=available)
        object.__setattr__(self, "units", tuple(check_sizes(self.units, "units", allow_empty=False)))
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.lr, "lr")
        check_rate(self.validation_fraction, "validation_fraction")
        check_count(self.horizon, "horizon")
        object.__setattr__(self, "starts", tuple(check_int(s, "starts", low=0) for s in self.starts))
        if not self.starts:
            raise ParameterError("starts", "at least one start sample", [])
        check_count(self.n_eval_starts, "n_eval_starts")
        check_float(self.tolerance, "tolerance", low=0, low_open=True)
        check_seed(self.seed)
        if max(self.starts) + self.window + self.horizon > self.n_samples:
            raise ParameterError(
                "starts", f"starts with start + window + horizon <= n_samples = {self.n_samples}", list(self.starts)
            )
        if self.eval_starts()[-1] + self.window + self.horizon > self.n_samples:
            raise ParameterError(
                "horizon", "a horizon that the series holds after the validation windows plus one period", self.horizon
            )

    @classmethod
    def profiles(cls) -> dict[str, SineForecastSettings]:
        """``full``: the original; ``quick``: 2,000 windows (10 periods), 8 epochs at a 3 times larger rate.

        The series repeats itself every 200 samples, so the first 2,000 windows hold all there
        is to learn; the larger learning rate makes up for most of the missing steps (as on the
        chapter page, Sec. 9.7).
        """
        return {"quick": cls(n_windows=2000, epochs=8, lr=3e-3), "full": cls()}

    @property
    def used_windows(self) -> int:
        """Number of windows used for training and validation."""
        return self.n_samples - self.window if self.n_windows is None else self.n_windows

    @property
    def n_validation(self) -> int:
        """Number of validation windows (the last ones)."""
        return int(self.used_windows * self.validation_fraction)

    @property
    def period_samples(self) -> float:
        """Samples per period of ``sin(pi t)`` (period 2)."""
        return 2.0 * (self.n_samples - 1) / self.t_max

    def eval_starts(self) -> np.ndarray:
        """Start samples of the :attr:`n_eval_starts` windows of the error curve, over one period.

        They begin at the first validation window (the first window after the training ones
        when there is no validation).
        """
        first = self.used_windows - self.n_validation
        offsets = np.linspace(0.0, self.period_samples, self.n_eval_starts, endpoint=False)
        return first + np.round(offsets).astype(int)


@dataclass(frozen=True)
class ForecastEvaluation:
    """Errors of autoregressive forecasts from many starting windows.

    Attributes
    ----------
    starts : (m,) int
        Start sample of each starting window.
    errors : (m, horizon) float
        Forecast minus truth after each step.
    persistence_errors : (m, horizon) float
        The same for repeating the last value of the window.
    zero_errors : (m, horizon) float
        The same for forecasting 0, the mean of the series.
    tolerance : float
        RMS error up to which a forecast counts as good.
    """

    starts: np.ndarray
    errors: np.ndarray
    persistence_errors: np.ndarray
    zero_errors: np.ndarray
    tolerance: float

    @staticmethod
    def rms(errors: np.ndarray) -> np.ndarray:
        """RMS over the starting windows after each step, (horizon,)."""
        return np.sqrt(np.mean(np.asarray(errors) ** 2, axis=0))

    @property
    def mse(self) -> dict[str, float]:
        """Mean squared error over all starts and steps: ``network``, ``persistence``, ``zero``."""
        return {
            "network": float(np.mean(self.errors**2)),
            "persistence": float(np.mean(self.persistence_errors**2)),
            "zero": float(np.mean(self.zero_errors**2)),
        }

    def good_steps(self, errors: np.ndarray | None = None) -> int:
        """Steps before the RMS error first exceeds :attr:`tolerance` (the horizon if never).

        ``errors`` defaults to the network's; pass ``persistence_errors`` for the baseline.
        """
        rms = self.rms(self.errors if errors is None else errors)
        above = np.flatnonzero(rms > self.tolerance)
        return int(above[0]) if above.size else int(rms.size)


@dataclass(frozen=True)
class SineForecast:
    """Result of an Ex. 9.1 run in one framework.

    Attributes
    ----------
    t, f : (n_samples,) float
        The series.
    history : dict of str -> list of float
        Per epoch: ``loss`` (training MSE), ``val_loss`` (if validated) and ``lr``.
    n_parameters : int
        Trainable parameters.
    seconds : float
        CPU time of the training, seconds (all threads of the process).
    starts : tuple of int
        The shown starting windows.
    forecasts : (len(starts), horizon) float
        Their autoregressive forecasts.
    evaluation : ForecastEvaluation
        Forecast errors from the evaluation starts and the two baselines.
    one_step_mse : float
        MSE of the one-step predictions on the validation windows (on the training windows
        without validation).
    """

    t: np.ndarray
    f: np.ndarray
    history: dict[str, list[float]]
    n_parameters: int
    seconds: float
    starts: tuple[int, ...]
    forecasts: np.ndarray
    evaluation: ForecastEvaluation
    one_step_mse: float


def series(settings: SineForecastSettings) -> dict[str, np.ndarray]:
    """The series of ``settings``: ``t`` and ``f`` (n_samples,), from the data cache."""
    return data.load("sine", settings.n_samples, seed=0, t_max=settings.t_max, progress=False)


def training_windows(settings: SineForecastSettings, f: np.ndarray) -> dict[str, np.ndarray]:
    """The windows (m, window, 1) and next values (m, 1), split into training and validation.

    Returns
    -------
    dict
        ``x_fit``, ``y_fit``, ``x_val``, ``y_val`` (float32); the validation arrays are empty
        without validation.
    """
    windows, following = sliding_windows(f, settings.window)
    windows = windows[: settings.used_windows, :, None].astype(np.float32)
    following = following[: settings.used_windows, None].astype(np.float32)
    n_fit = settings.used_windows - settings.n_validation
    return {"x_fit": windows[:n_fit], "y_fit": following[:n_fit], "x_val": windows[n_fit:], "y_val": following[n_fit:]}


def evaluate_forecasts(
    forecast: Callable[[np.ndarray, int], np.ndarray], f: np.ndarray, settings: SineForecastSettings
) -> tuple[np.ndarray, ForecastEvaluation]:
    """Forecast from the shown starts and the evaluation starts; compare with the truth and the baselines.

    Both sets of starting windows go through the network in one batch.

    Parameters
    ----------
    forecast
        ``forecast(windows, n_steps)``: windows (m, window) -> forecasts (m, n_steps), e.g.
        ``lambda w, k: recurrent.autoregressive_forecast(model, w, k)``.
    f
        The series, (n_samples,).
    settings
        Window, horizon, the shown starts, the evaluation starts and the tolerance.

    Returns
    -------
    forecasts : (len(settings.starts), horizon) float
        The forecasts from the shown starts (:attr:`SineForecastSettings.starts`).
    evaluation : ForecastEvaluation
        Errors of the forecasts from :meth:`SineForecastSettings.eval_starts` and of the baselines.
    """
    shown, starts = list(settings.starts), settings.eval_starts()
    window, horizon = settings.window, settings.horizon
    windows = np.stack([f[s : s + window] for s in [*shown, *starts]])
    predicted = np.asarray(forecast(windows, horizon), dtype=float)
    windows = windows[len(shown) :]
    truth = np.stack([f[s + window : s + window + horizon] for s in starts])
    evaluation = ForecastEvaluation(
        starts=starts,
        errors=predicted[len(shown) :] - truth,
        persistence_errors=windows[:, -1:] - truth,
        zero_errors=-truth,
        tolerance=settings.tolerance,
    )
    return predicted[: len(shown)], evaluation


def _result(
    settings: SineForecastSettings, arrays, history, n_parameters, seconds, forecast, one_step
) -> SineForecast:
    """Forecasts from the shown and the evaluation starts, packed with the training record."""
    forecasts, evaluation = evaluate_forecasts(forecast, arrays["f"], settings)
    return SineForecast(
        t=arrays["t"],
        f=arrays["f"],
        history=history,
        n_parameters=n_parameters,
        seconds=seconds,
        starts=settings.starts,
        forecasts=forecasts,
        evaluation=evaluation,
        one_step_mse=one_step,
    )


def train_torch(settings: SineForecastSettings) -> SineForecast:
    """Ex. 9.1 in PyTorch: :func:`~dlpbook.nn.recurrent.lstm_forecaster`, Adam, MSE, forecasts.

    ``dlpbook.train.fit`` with the original's callbacks (:data:`LR_FACTOR`, :data:`STOP_PATIENCE`;
    the weights of the last epoch are kept, as in Keras), then autoregressive forecasts with
    :func:`~dlpbook.nn.recurrent.autoregressive_forecast`.
    """
    arrays = series(settings)
    split = training_windows(settings, arrays["f"])
    model = recurrent.lstm_forecaster(settings.units, seed=settings.seed)
    validated = settings.n_validation > 0
    callbacks = [
        train.ReduceLROnPlateau(LR_FACTOR, patience=LR_PATIENCE, min_lr=MIN_LR),
        train.EarlyStopping(STOP_PATIENCE, restore_best=False),
    ]
    start = time.process_time()
    history = train.fit(
        model,
        (split["x_fit"], split["y_fit"]),
        validation=(split["x_val"], split["y_val"]) if validated else None,
        loss=torch.nn.MSELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=settings.lr),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        callbacks=callbacks if validated else (),
        seed=settings.seed,
        progress=False,
    )
    seconds = time.process_time() - start
    x, y = (split["x_val"], split["y_val"]) if validated else (split["x_fit"], split["y_fit"])
    one_step = float(np.mean((train.predict(model, x) - y) ** 2))
    return _result(
        settings, arrays, {key: list(history[key]) for key in history.keys()}, nn.count_parameters(model), seconds,
        lambda windows, n_steps: recurrent.autoregressive_forecast(model, windows, n_steps), one_step,
    )


def train_keras(settings: SineForecastSettings) -> SineForecast:
    """Ex. 9.1 in Keras 3: the original's ``compile(Adam, "mse")`` and ``fit`` with its callbacks.

    :func:`~dlpbook.keras_nn.compile_for_fit` makes the optimizer's variables before
    ``fit``, which saves a second trace of the training step (seconds for a recurrent
    network). Then autoregressive forecasts with
    :func:`dlpbook.keras_nn.recurrent.autoregressive_forecast`.
    """
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    arrays = series(settings)
    split = training_windows(settings, arrays["f"])
    model = keras_recurrent.lstm_forecaster(settings.units, seed=settings.seed)
    keras_nn.compile_for_fit(
        model, split["x_fit"], split["y_fit"], optimizer=keras.optimizers.Adam(learning_rate=settings.lr), loss="mse"
    )
    validated = settings.n_validation > 0
    callbacks = [
        keras.callbacks.ReduceLROnPlateau(factor=LR_FACTOR, patience=LR_PATIENCE, min_lr=MIN_LR),
        keras.callbacks.EarlyStopping(patience=STOP_PATIENCE),
    ]
    start = time.process_time()
    fitted = model.fit(
        split["x_fit"],
        split["y_fit"],
        validation_data=(split["x_val"], split["y_val"]) if validated else None,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        callbacks=callbacks if validated else [],
        verbose=0,
    )
    seconds = time.process_time() - start
    history = {key: [float(v) for v in values] for key, values in fitted.history.items()}
    history["lr"] = history.pop("learning_rate", [settings.lr] * len(history["loss"]))
    x, y = (split["x_val"], split["y_val"]) if validated else (split["x_fit"], split["y_fit"])
    # called directly rather than through predict(), which would trace one more function
    one_step = float(np.mean((np.asarray(model(x, training=False)) - y) ** 2))
    return _result(
        settings, arrays, history, model.count_params(), seconds,
        lambda windows, n_steps: keras_recurrent.autoregressive_forecast(model, windows, n_steps), one_step,
    )


ARCHITECTURES = ((8,), (16,), (32,), (16, 16), (32, 16))
"""LSTM layouts of the exercise's second task (units per layer, bottom first); (16,) is the original."""


def compare_architectures(
    settings: SineForecastSettings, variants: Sequence[Sequence[int]] = ARCHITECTURES, seeds: Sequence[int] = (0, 1, 2)
) -> list[dict]:
    """Ex. 9.1, second task: train forecasters of several layouts from several seeds (PyTorch).

    Every layout is trained with ``settings`` (only ``units`` and ``seed`` change), so the
    runs differ in the network and the random start alone. Run it with the ``full`` settings
    through ``benchmarks/sine_architectures.py``.

    Returns
    -------
    list of dict
        One row per layout: ``units``, ``parameters``, ``seconds`` (mean CPU time of the
        training) and, one value per seed, ``epochs`` (trained before early stopping),
        ``one_step_mse`` (validation), ``good_steps`` (:meth:`ForecastEvaluation.good_steps`)
        and ``horizon_mse`` (MSE over all forecast steps).
    """
    rows = []
    for units in variants:
        runs = [train_torch(settings.replace(units=tuple(units), seed=seed)) for seed in seeds]
        rows.append({
            "units": tuple(int(u) for u in units),
            "parameters": runs[0].n_parameters,
            "seconds": float(np.mean([run.seconds for run in runs])),
            "epochs": [len(run.history["loss"]) for run in runs],
            "one_step_mse": [run.one_step_mse for run in runs],
            "good_steps": [run.evaluation.good_steps() for run in runs],
            "horizon_mse": [run.evaluation.mse["network"] for run in runs],
        })
    return rows


def plot_forecasts(result: SineForecast, settings: SineForecastSettings, *, title: str = ""):
    """Forecasts against the truth, the training curves and the forecast error against the step.

    One row per shown start (:attr:`SineForecastSettings.starts`): the true series, the
    starting window (thick) and the autoregressive forecast. Bottom left: training and
    validation loss per epoch. Bottom right: RMS error over the evaluation starts after each
    forecast step, for the network and the two baselines, with the tolerance.

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    n_rows = len(result.starts)
    height = 2.1 * n_rows + 3.6
    fig = plt.figure(figsize=(10, height))
    # margins set by hand (in inches, converted to figure fractions): constrained layout would
    # take half the time to draw the figure
    rows, bottom = fig.add_gridspec(
        2, 1, height_ratios=(2.1 * n_rows, 3.6), left=0.07, right=0.99, bottom=0.55 / height,
        top=1 - (0.6 if title else 0.3) / height, hspace=1.3 / height,
    )  # fmt: skip
    series_axes = rows.subgridspec(n_rows, 1, hspace=0.28).subplots(sharex=True, sharey=True, squeeze=False)[:, 0]
    t, f, window = result.t, result.f, settings.window
    end = min(len(t), max(result.starts) + window + settings.horizon)
    for ax, start, forecast in zip(series_axes, result.starts, result.forecasts):
        ax.plot(t[:end], f[:end], "k--", lw=0.8, label=r"truth $\sin(\pi t)$")
        ax.plot(t[start : start + window], f[start : start + window], "k", lw=4, label="starting window")
        steps = slice(start + window, start + window + len(forecast))
        ax.plot(t[steps], forecast, color="C3", lw=1.6, label="forecast")
        ax.set_ylabel("$f(t)$")
        ax.set_title(f"start at sample {start}", fontsize="medium", loc="left")
    series_axes[0].legend(loc="upper right", ncols=3, fontsize="small")
    series_axes[-1].set_xlabel("$t$")
    series_axes[-1].set_xlim(0, t[end - 1])
    series_axes[-1].set_ylim(-1.6, 1.6)
    if title:
        fig.suptitle(title)

    ax_loss, ax_error = bottom.subgridspec(1, 2, width_ratios=(1, 1.6), wspace=0.2).subplots()
    epochs = np.arange(1, len(result.history["loss"]) + 1)
    ax_loss.semilogy(epochs, result.history["loss"], "o-", ms=3, label="training")
    if "val_loss" in result.history:
        ax_loss.semilogy(epochs, result.history["val_loss"], "s--", ms=3, label="validation")
    ax_loss.set(xlabel="epoch", ylabel="MSE (one step ahead)")
    ax_loss.xaxis.get_major_locator().set_params(integer=True)
    ax_loss.legend()
    evaluation = result.evaluation
    steps = np.arange(1, settings.horizon + 1)
    curves = [
        (evaluation.errors, "network", "C3", "-"),
        (evaluation.persistence_errors, "repeat the last value", "C0", "--"),
        (evaluation.zero_errors, "predict 0", "C2", ":"),
    ]
    for errors, label, colour, style in curves:
        ax_error.semilogy(steps, evaluation.rms(errors), style, color=colour, lw=1.6, label=label)
    ax_error.axhline(evaluation.tolerance, color="0.4", lw=0.8)
    ax_error.text(steps[-1], evaluation.tolerance * 1.1, "tolerance", ha="right", va="bottom", fontsize="small")
    ax_error.set(xlabel="forecast step", ylabel="RMS error over the starts")
    ax_error.legend(fontsize="small", loc="lower right")
    return fig
