"""Exercise 9.2 (site exercise): air-shower radio pulses in noisy traces, found by bidirectional LSTMs.

The traces are :mod:`dlpbook.data.radio`: 500 samples at 180 MHz of galactic noise and two
RFI carriers, half of them with an air-shower pulse at signal-to-noise ratio 2; the label is 1
where the pure signal is not zero. The original exercise trains on the first 40,000 traces
(the last 10 % of them validate) and tests on 10,000, with the inputs divided by the standard
deviation of all training traces. Its network,
:func:`dlpbook.nn.recurrent.bilstm_classifier` (and its Keras twin), reads a whole trace with
``BiLSTM(32) -> BiLSTM(64) -> BiLSTM(10)``, every time step returned, then ``Flatten ->
Dropout(0.3) -> Dense(1, sigmoid)``: 95,873 parameters. It is trained with the binary
cross-entropy, Adam (learning rate 1e-3 with Keras 2's inverse-time ``decay=8e-5`` per step),
minibatches of 128 for up to 100 epochs, ``ReduceLROnPlateau(0.5, patience 5, min 1e-5)`` and
``EarlyStopping(patience 15)``; it reached test accuracy 0.992.

A recurrent network steps through its input one time step after the other, so on a CPU its
cost grows with the trace length and the number of layers, hardly with the batch: the original
network takes about 8 ms per trace and step of training on one core, about nine hours for the
original training. The ``quick`` profile therefore reads 32-sample windows cut from the
traces, each window of a signal trace containing the pulse (:func:`cut_windows`), with one
small bidirectional layer (:meth:`RadioSettings.profiles`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from .. import data, keras_nn, metrics, nn, train
from ..data import radio
from ..keras_nn import recurrent as keras_recurrent
from ..nn import recurrent
from ..validation import (
    check_count,
    check_float,
    check_int,
    check_non_negative,
    check_positive,
    check_rate,
    check_seed,
    check_sizes,
)
from .settings import ProfileSettings

N_PARAMETERS = 95_873
"""Parameters of the original network (one bias per LSTM gate, as Keras)."""
LR_FACTOR, LR_PATIENCE, MIN_LR = 0.5, 5, 1e-5
"""The original's ``ReduceLROnPlateau(factor=0.5, patience=5, min_lr=1e-5)`` on the validation loss."""
STOP_PATIENCE = 15
"""The original's ``EarlyStopping(patience=15)`` on the validation loss (it never stopped)."""
MIN_LENGTH = 4
"""Shortest window :func:`cut_windows` cuts (the peak lies in the middle half)."""


@dataclass(frozen=True)
class RadioSettings(ProfileSettings):
    """Data, network and training of Ex. 9.2 (defaults: the original exercise).

    Attributes
    ----------
    n_train, n_test : int
        Training traces (the last ``validation_fraction`` of them validate) and test traces.
    snr : float
        Signal-to-noise ratio of the pulses, ``max|signal| / RMS(trace)`` (see
        :mod:`dlpbook.data.radio`).
    length : int
        Samples the network reads: 500, the whole trace, or a window cut from each trace
        (:func:`cut_windows`).
    units : tuple of int
        Units per direction of each bidirectional LSTM layer, bottom first.
    dropout : float
        Dropout rate before the output unit.
    epochs : int
        Epochs at most (early stopping may end sooner).
    batch_size : int
    lr : float
        Initial learning rate of Adam.
    decay : float
        Keras 2's inverse-time decay of the learning rate, ``lr / (1 + decay * step)``,
        applied after every epoch (:class:`InverseTimeDecay`); 0: none.
    validation_fraction : float
        Share of the training traces held out, in [0, 1), taken from their end as Keras'
        ``validation_split``; 0 switches validation, learning-rate reduction and early
        stopping off.
    seed : int
        Seed of the traces, the windows, the initial weights and the minibatch order.
    """

    n_train: int = 40_000
    n_test: int = 10_000
    snr: float = 2.0
    length: int = radio.N_SAMPLES
    units: tuple[int, ...] = (32, 64, 10)
    dropout: float = 0.3
    epochs: int = 100
    batch_size: int = 128
    lr: float = 1e-3
    decay: float = 8e-5
    validation_fraction: float = 0.1
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_train, "n_train")
        check_count(self.n_test, "n_test")
        check_float(self.snr, "snr", low=0, high=radio.SNR_MAX, low_open=True)
        check_int(self.length, "length", low=MIN_LENGTH, high=radio.N_SAMPLES)
        object.__setattr__(self, "units", tuple(check_sizes(self.units, "units", allow_empty=False)))
        check_rate(self.dropout, "dropout")
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.lr, "lr")
        check_non_negative(self.decay, "decay")
        check_rate(self.validation_fraction, "validation_fraction")
        check_seed(self.seed)

    @classmethod
    def profiles(cls) -> dict[str, RadioSettings]:
        """``full``: the original exercise; ``quick``: 32-sample windows, one small layer, three short epochs.

        ``quick`` keeps the traces (signal-to-noise ratio 2, the same RFI) and the kind of
        network (bidirectional LSTM, every time step returned, flattened into one sigmoid unit)
        and cuts what a recurrent network pays for on a CPU: 32 of the 500 samples (the pulse
        lasts about 10), one layer of 8 units per direction instead of three layers (a third
        of the time steps to compute, and of the graph Keras traces), 2,000 training traces,
        three epochs with a ten times larger learning rate, no validation. In these 100 steps
        three layers (8, 8, 4 units) reach the same accuracy as one.
        """
        quick = cls(
            n_train=2000, n_test=1000, length=32, units=(8,), epochs=3, batch_size=64, lr=1e-2,
            validation_fraction=0.0,
        )
        return {"quick": quick, "full": cls()}

    @property
    def n_validation(self) -> int:
        """Number of validation traces (the last training traces)."""
        return int(self.n_train * self.validation_fraction)


@dataclass(frozen=True)
class RadioData:
    """Traces of one run, as the network reads them, and their labels.

    Attributes
    ----------
    traces : dict of str -> (n, length) float32
        ``train`` and ``test`` traces (or windows), mV.
    signals : dict of str -> (n, length) float32
        The pure pulses in the same samples, mV (zero for noise traces).
    labels : dict of str -> (n,) int
        1 for a trace with pulse.
    scale : float
        Standard deviation of all training traces, mV; the network reads ``traces / scale``.
    """

    traces: dict[str, np.ndarray]
    signals: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    scale: float

    def inputs(self, part: str) -> np.ndarray:
        """Network inputs of ``part`` (``"train"`` or ``"test"``): ``traces / scale``, (n, length, 1) float32."""
        return (self.traces[part] / self.scale)[:, :, None].astype(np.float32)


@dataclass(frozen=True)
class RadioResult:
    """Result of an Ex. 9.2 run in one framework.

    Attributes
    ----------
    history : dict of str -> list of float
        Per epoch: ``loss``, ``val_loss`` (if validated) and ``lr``.
    n_parameters : int
        Trainable parameters.
    seconds : float
        CPU time of the training, seconds (all threads of the process).
    scores : (n_test,) float
        Network output (probability of a pulse) for each test trace.
    accuracy : float
        Test accuracy, a pulse predicted where the score is at least 0.5.
    auc : float
        Area under the ROC curve on the test traces.
    """

    history: dict[str, list[float]]
    n_parameters: int
    seconds: float
    scores: np.ndarray
    accuracy: float
    auc: float


def cut_windows(
    traces: np.ndarray, signals: np.ndarray, length: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Cut ``length`` samples from every trace; for a trace with pulse, a window that contains its peak.

    The peak (largest ``|signal|``) lands at a uniformly drawn position in the middle half of the
    window; a noise trace gets a window at a uniformly drawn place. Noise and RFI are stationary,
    so a window alone does not tell which kind of trace it came from: only the pulse does.

    Parameters
    ----------
    traces, signals : (n, 500) float
        Measured traces and pure pulses (:func:`dlpbook.data.radio.simulate`).
    length : int
        Window length, :data:`MIN_LENGTH` to 500 samples (500: the traces as they are).
    rng
        Draws the window positions.

    Returns
    -------
    traces, signals : (n, length)
    """
    traces, signals = np.asarray(traces), np.asarray(signals)
    if traces.ndim != 2 or traces.shape != signals.shape:
        raise ValueError(f"traces and signals must be (n, samples) of one shape, got {traces.shape}, {signals.shape}")
    n_samples = traces.shape[1]
    length = check_int(length, "length", low=MIN_LENGTH, high=n_samples)
    if length == n_samples:
        return traces, signals
    peak = np.abs(signals).argmax(axis=1)
    offset = rng.integers(length // 4, length - length // 4, size=len(traces))
    anywhere = rng.integers(0, n_samples - length + 1, size=len(traces))
    has_pulse = radio.signal_labels(signals) == 1
    start = np.clip(np.where(has_pulse, peak - offset, anywhere), 0, n_samples - length)
    index = start[:, None] + np.arange(length)
    return np.take_along_axis(traces, index, axis=1), np.take_along_axis(signals, index, axis=1)


def load_data(settings: RadioSettings) -> RadioData:
    """The training and test traces of ``settings``, cut to ``settings.length``, with the input scale.

    ``n_train + n_test`` traces come from the data cache (:func:`dlpbook.data.load`), the first
    ``n_train`` for training, as the original's split of its file.
    """
    n = settings.n_train + settings.n_test
    arrays = data.load("radio", n, seed=settings.seed, snr=settings.snr, progress=False)
    traces, signals = cut_windows(
        arrays["traces"], arrays["signals"], settings.length, np.random.default_rng([settings.seed, 92])
    )
    parts = {"train": slice(0, settings.n_train), "test": slice(settings.n_train, None)}
    return RadioData(
        traces={name: traces[part] for name, part in parts.items()},
        signals={name: signals[part] for name, part in parts.items()},
        labels={name: radio.signal_labels(signals[part]) for name, part in parts.items()},
        scale=float(np.std(traces[parts["train"]])),
    )


class InverseTimeDecay(train.Callback):
    """Keras 2's ``Adam(decay=...)`` for :func:`dlpbook.train.fit`: the rate falls like ``1 / (1 + decay * step)``.

    The factor is applied after every epoch (of ``steps_per_epoch`` steps) by multiplying the
    current rate, so it composes with :class:`dlpbook.train.ReduceLROnPlateau` as the
    original's decay did with Keras' ``ReduceLROnPlateau``.
    """

    def __init__(self, decay: float, steps_per_epoch: int):
        self.decay = check_non_negative(decay, "decay")
        self.steps_per_epoch = check_count(steps_per_epoch, "steps_per_epoch")
        self.steps = 0

    def factor(self) -> float:
        """The rate's factor for the next epoch, relative to the past one."""
        before = 1 + self.decay * self.steps
        return before / (before + self.decay * self.steps_per_epoch)

    def on_epoch_end(self, model, optimizer, history):
        factor = self.factor()
        self.steps += self.steps_per_epoch
        for group in optimizer.param_groups:
            group["lr"] *= factor
        return False


def _split(settings: RadioSettings, radio_data: RadioData):
    """Training and validation inputs and targets, float32: the validation traces are the last ones."""
    x, y = radio_data.inputs("train"), radio_data.labels["train"][:, None].astype(np.float32)
    n_fit = settings.n_train - settings.n_validation
    return (x[:n_fit], y[:n_fit]), (x[n_fit:], y[n_fit:])


def _result(history, n_parameters, seconds, scores, labels) -> RadioResult:
    scores = np.asarray(scores, dtype=float).ravel()
    return RadioResult(
        history=history,
        n_parameters=n_parameters,
        seconds=seconds,
        scores=scores,
        accuracy=metrics.classification.accuracy(labels, metrics.classification.predict_labels(scores)),
        auc=metrics.classification.roc_auc(labels, scores),
    )


def train_torch(settings: RadioSettings, radio_data: RadioData | None = None) -> RadioResult:
    """Ex. 9.2 in PyTorch: :func:`~dlpbook.nn.recurrent.bilstm_classifier`, Adam, binary cross-entropy.

    ``dlpbook.train.fit`` with the original's decay and callbacks (:class:`InverseTimeDecay`,
    :data:`LR_FACTOR`, :data:`STOP_PATIENCE`; the weights of the last epoch are kept, as in
    Keras), then the scores of the test traces. The dropout masks are drawn from
    ``settings.seed`` (on a CPU the run is reproducible). ``radio_data`` defaults to
    :func:`load_data`.
    """
    radio_data = load_data(settings) if radio_data is None else radio_data
    (x_fit, y_fit), (x_val, y_val) = _split(settings, radio_data)
    model = recurrent.bilstm_classifier(settings.length, settings.units, dropout=settings.dropout, seed=settings.seed)
    callbacks = [InverseTimeDecay(settings.decay, -(-len(x_fit) // settings.batch_size))]
    if settings.n_validation:
        callbacks += [
            train.ReduceLROnPlateau(LR_FACTOR, patience=LR_PATIENCE, min_lr=MIN_LR),
            train.EarlyStopping(STOP_PATIENCE, restore_best=False),
        ]
    start = time.process_time()
    with torch.random.fork_rng(devices=[]):  # the dropout masks, without touching the global state
        torch.manual_seed(settings.seed)
        history = train.fit(
            model,
            (x_fit, y_fit),
            validation=(x_val, y_val) if settings.n_validation else None,
            loss=torch.nn.BCELoss(),
            optimizer=torch.optim.Adam(model.parameters(), lr=settings.lr),
            epochs=settings.epochs,
            batch_size=settings.batch_size,
            callbacks=callbacks,
            seed=settings.seed,
            progress=False,
        )
    seconds = time.process_time() - start
    scores = train.predict(model, radio_data.inputs("test"), batch_size=512)
    history = {key: list(history[key]) for key in history.keys()}
    return _result(history, nn.count_parameters(model), seconds, scores, radio_data.labels["test"])


def train_keras(settings: RadioSettings, radio_data: RadioData | None = None) -> RadioResult:
    """Ex. 9.2 in Keras 3: the original's ``compile(Adam, "binary_crossentropy")`` and ``fit``.

    Keras 3's Adam has no ``decay`` argument any more; a callback applies the same
    inverse-time decay after every epoch (as :class:`InverseTimeDecay` does for PyTorch).
    :func:`~dlpbook.keras_nn.compile_for_fit` makes the optimizer's variables before
    ``fit``, which saves a second trace of the training step (several seconds for three
    bidirectional LSTM layers). ``radio_data`` defaults to :func:`load_data`.
    """
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    radio_data = load_data(settings) if radio_data is None else radio_data
    (x_fit, y_fit), (x_val, y_val) = _split(settings, radio_data)
    steps_per_epoch = -(-len(x_fit) // settings.batch_size)

    class KerasInverseTimeDecay(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            rate = self.model.optimizer.learning_rate
            before = 1 + settings.decay * steps_per_epoch * epoch
            rate.assign(rate * before / (before + settings.decay * steps_per_epoch))

    model = keras_recurrent.bilstm_classifier(
        settings.length, settings.units, dropout=settings.dropout, seed=settings.seed
    )
    keras_nn.compile_for_fit(
        model, x_fit, y_fit, optimizer=keras.optimizers.Adam(learning_rate=settings.lr), loss="binary_crossentropy"
    )
    callbacks = [KerasInverseTimeDecay()]
    if settings.n_validation:
        callbacks += [
            keras.callbacks.ReduceLROnPlateau(factor=LR_FACTOR, patience=LR_PATIENCE, min_lr=MIN_LR),
            keras.callbacks.EarlyStopping(patience=STOP_PATIENCE),
        ]
    lrs = []
    callbacks.insert(0, keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: lrs.append(float(model.optimizer.learning_rate))
    ))
    start = time.process_time()
    fitted = model.fit(
        x_fit,
        y_fit,
        validation_data=(x_val, y_val) if settings.n_validation else None,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        callbacks=callbacks,
        verbose=0,
    )
    seconds = time.process_time() - start
    history = {key: [float(v) for v in values] for key, values in fitted.history.items() if key != "learning_rate"}
    history["lr"] = lrs
    # called directly rather than through predict(), which would trace one more function
    inputs = radio_data.inputs("test")
    scores = np.concatenate([model(inputs[i : i + 1000], training=False) for i in range(0, len(inputs), 1000)])
    return _result(history, model.count_params(), seconds, scores, radio_data.labels["test"])


def example_indices(labels: np.ndarray, scores: np.ndarray) -> dict[str, int | None]:
    """The first test trace of each outcome: ``hit``, ``miss``, ``rejected`` noise, ``false alarm``.

    A pulse is predicted where the score is at least 0.5; an outcome that never happens gets ``None``.
    """
    labels = np.asarray(labels).astype(bool)
    predicted = metrics.classification.predict_labels(scores)
    outcomes = {
        "hit": labels & predicted,
        "miss": labels & ~predicted,
        "rejected": ~labels & ~predicted,
        "false alarm": ~labels & predicted,
    }
    return {name: (int(np.flatnonzero(mask)[0]) if mask.any() else None) for name, mask in outcomes.items()}


def plot_examples(result: RadioResult, radio_data: RadioData, *, title: str = ""):
    """Four test traces with the network's score, the training loss and the score distributions.

    Top: the first hit, miss, rejected noise trace and false alarm (:func:`example_indices`),
    the measured trace and the pure pulse, in mV against time (in ns for windows shorter than
    1 µs, else in µs). Bottom left:
    loss per epoch; bottom right: histograms of the scores of the test traces with and
    without pulse.

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    traces, signals, labels = radio_data.traces["test"], radio_data.signals["test"], radio_data.labels["test"]
    # margins set by hand: constrained layout would take half the time to draw the figure
    fig, axes = plt.subplot_mosaic(
        [["hit", "miss"], ["rejected", "false alarm"], ["loss", "scores"]],
        figsize=(10, 9),
        height_ratios=(1, 1, 1.1),
        gridspec_kw={"left": 0.075, "right": 0.985, "bottom": 0.06, "top": 0.925 if title else 0.96,
                     "hspace": 0.34, "wspace": 0.2},
    )
    # nanoseconds for short windows (32 samples: 178 ns), microseconds for whole traces
    unit, per_us = ("ns", 1e3) if traces.shape[1] < radio.SAMPLING_MHZ else ("µs", 1.0)
    times = np.arange(traces.shape[1]) / radio.SAMPLING_MHZ * per_us
    examples = example_indices(labels, result.scores)
    for name, index in examples.items():
        ax = axes[name]
        ax.set_title(name, loc="left", fontsize="medium")
        ax.set(xlabel=f"time / {unit}", ylabel="field / mV")
        if index is None:
            ax.text(0.5, 0.5, "none among the test traces", ha="center", va="center", transform=ax.transAxes)
            continue
        ax.plot(times, traces[index], lw=1.0, label="measured trace")
        if labels[index]:
            ax.plot(times, signals[index], color="C3", lw=1.2, label="air-shower pulse")
        ax.set_title(f"score {result.scores[index]:.2f}", loc="right", fontsize="medium")
        ax.legend(loc="lower right", fontsize="small")
    for name in ("hit", "miss", "rejected", "false alarm"):
        axes[name].sharey(axes["hit"])
    epochs = np.arange(1, len(result.history["loss"]) + 1)
    axes["loss"].plot(epochs, result.history["loss"], "o-", ms=3, label="training")
    if "val_loss" in result.history:
        axes["loss"].plot(epochs, result.history["val_loss"], "s--", ms=3, label="validation")
    axes["loss"].set(xlabel="epoch", ylabel="binary cross-entropy")
    axes["loss"].xaxis.get_major_locator().set_params(integer=True)
    axes["loss"].legend()
    bins = np.linspace(0, 1, 26)
    axes["scores"].hist(result.scores[labels == 1], bins=bins, histtype="step", lw=1.6, color="C3", label="with pulse")
    axes["scores"].hist(result.scores[labels == 0], bins=bins, histtype="step", lw=1.6, color="C0", label="noise only")
    axes["scores"].axvline(0.5, color="0.4", lw=0.8)
    axes["scores"].set(xlabel="network score", ylabel="test traces")
    axes["scores"].legend(loc="upper center")
    if title:
        fig.suptitle(title)
    return fig
