"""Exercises 7.1 and 8.1: the phase of 32 x 32 Ising configurations, told by an FCN and by a CNN.

Both exercises train a binary classifier on spin configurations of the 2D Ising model
(:mod:`dlpbook.data.ising`): label 1 (paramagnetic) for :math:`T > T_c`, label 0
(ferromagnetic) below, with Onsager's :math:`T_c = 2/\\ln(1 + \\sqrt 2) \\approx 2.269`.
Ex. 7.1 uses the fully-connected network of :func:`dlpbook.nn.mlp.ising_fcn` (33,889
parameters), Ex. 8.1 the CNN with global average pooling of :func:`dlpbook.nn.conv.ising_cnn`
(16,401 parameters); Ex. 12.3 the same CNN with two softmax outputs (16,434 parameters, one-hot
labels), whose class activation maps :mod:`dlpbook.exercises.ising_cam` draws. All are trained
as in the original solutions: binary cross-entropy, Adam
(learning rate 1e-3), minibatches of 64, at most 50 epochs, 10 % of the training configurations
for validation, early stopping after 5 epochs without a lower validation loss and the learning
rate times 0.67 after 2.

The analysis is the same for both networks: the test accuracy per temperature bin, which dips
near :math:`T_c`, and the temperature where the mean network output crosses 0.5, an estimate of
:math:`T_c` with a bootstrap uncertainty (:func:`dlpbook.metrics.critical_temperature`).

One :class:`PhaseStudy` per profile holds the settings of both exercises; they share the data
(:class:`IsingData`). :func:`run` trains through :func:`dlpbook.result_cache.cached_result`,
so the FCN of Ex. 7.1 that the page of Ex. 8.1 compares with is trained once per build; a run
keeps the trained weights, and :func:`network` rebuilds the network from them.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from .. import keras_nn, metrics, nn, train
from ..data import ising
from ..data import load as load_data
from ..data.ising import T_C
from ..keras_nn import conv as keras_conv
from ..nn import conv as torch_conv
from ..result_cache import cached_result
from ..train import callbacks as torch_callbacks
from ..validation import ParameterError, check_choice, check_count, check_float, check_int, check_positive, check_seed
from .settings import FRAMEWORKS, ProfileSettings, Settings

# the packages re-export their function ``mlp`` under the name of its module
torch_mlp = importlib.import_module("dlpbook.nn.mlp")
keras_mlp = importlib.import_module("dlpbook.keras_nn.mlp")

L = 32
"""Linear lattice size of the exercises."""

MODELS = ("fcn", "cnn", "cam")
"""The networks: ``"fcn"`` (Ex. 7.1, :func:`dlpbook.nn.mlp.ising_fcn`), ``"cnn"`` (Ex. 8.1,
:func:`dlpbook.nn.conv.ising_cnn`), ``"cam"`` (Ex. 12.3, ``ising_cnn`` with ``n_out=2``: a softmax
over the ferromagnetic and the paramagnetic class, trained on one-hot labels)."""

N_PARAMETERS = {"fcn": 33_889, "cnn": 16_401, "cam": 16_434}
"""Parameters of the exercise networks (the Keras counts of the original solutions)."""


@dataclass(frozen=True)
class IsingData(Settings):
    """The Ising configurations of both exercises and their split.

    The first ``n - n_test`` configurations train (the last ``validation_fraction`` of them
    validate), the last ``n_test`` test. The simulator stores the configurations of one Markov
    chain (one temperature) next to each other, so every split falls between chains.

    Attributes
    ----------
    n : int
        Configurations in all (the original file: 26,000).
    n_test : int
        Test configurations (the original: the last 6,000).
    validation_fraction : float
        Share of the training configurations that validate (the original's ``validation_split``).
    seed : int
        Seed of the simulation.
    equilibration, decorrelation, samples_per_chain : int
        Sweeps before the first stored configuration of a chain, sweeps between stored
        configurations, configurations per chain (:func:`dlpbook.data.ising.simulate`).
    """

    n: int = 26_000
    n_test: int = 6_000
    validation_fraction: float = 0.1
    seed: int = 0
    equilibration: int = 200
    decorrelation: int = 10
    samples_per_chain: int = 10

    def __post_init__(self):
        check_count(self.n, "n")
        check_int(self.n_test, "n_test", low=1, high=self.n - 1)
        check_float(self.validation_fraction, "validation_fraction", low=0.0, high=0.5, low_open=True)
        check_seed(self.seed)
        check_int(self.equilibration, "equilibration", low=0, high=ising.MAX_SWEEPS)
        check_int(self.decorrelation, "decorrelation", low=1, high=ising.MAX_SWEEPS)
        check_count(self.samples_per_chain, "samples_per_chain")
        chain = self.samples_per_chain
        for name, value in (("n", self.n), ("n_test", self.n_test)):
            if value % chain:
                raise ParameterError(name, f"a multiple of samples_per_chain = {chain} (whole chains)", value)
        if self.n_validation == 0:
            raise ParameterError("validation_fraction", "large enough for one chain of validation",
                                 self.validation_fraction)

    @property
    def n_train(self) -> int:
        """Training configurations, validation included."""
        return self.n - self.n_test

    @property
    def n_validation(self) -> int:
        """Validation configurations: ``validation_fraction`` of the training ones, rounded to whole chains."""
        chain = self.samples_per_chain
        return round(self.validation_fraction * self.n_train / chain) * chain


@dataclass(frozen=True)
class PhaseSplit:
    """Configurations (float32, spins +-1), labels (float32, 1 = paramagnetic) and temperatures per part.

    ``x_*`` are (n, 32, 32), ``y_*`` (n, 1), ``t_*`` (n,) for the parts ``fit`` (what the
    network trains on), ``val`` (validation) and ``test``.
    """

    x_fit: np.ndarray
    y_fit: np.ndarray
    t_fit: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    t_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    t_test: np.ndarray


def phase_label(temperature) -> np.ndarray:
    """1.0 for the paramagnetic phase (``T > T_c``), 0.0 for the ferromagnetic one, as float32."""
    return (np.asarray(temperature) > T_C).astype(np.float32)


def load_split(spec: IsingData = IsingData()) -> PhaseSplit:
    """Load (or simulate once, then cache) the configurations of ``spec`` and split them."""
    arrays = load_data(
        "ising", spec.n, seed=spec.seed, L=L, equilibration=spec.equilibration, decorrelation=spec.decorrelation,
        samples_per_chain=spec.samples_per_chain, progress=False,
    )
    x, t = arrays["C"].astype(np.float32), arrays["T"]
    y = phase_label(t)[:, None]
    fit, test = spec.n_train - spec.n_validation, spec.n_train
    return PhaseSplit(x[:fit], y[:fit], t[:fit], x[fit:test], y[fit:test], t[fit:test], x[test:], y[test:], t[test:])


@dataclass(frozen=True)
class PhaseSettings(Settings):
    """One training run of Ex. 7.1 or 8.1 (defaults: the original solutions).

    Attributes
    ----------
    model : str
        ``"fcn"`` (Ex. 7.1), ``"cnn"`` (Ex. 8.1) or ``"cam"`` (Ex. 12.3).
    data : IsingData
        The configurations and their split.
    epochs : int
        Most epochs (training stops earlier when the validation loss stalls).
    batch_size : int
    learning_rate : float
        Initial learning rate of Adam.
    patience : int
        Epochs without a lower validation loss before training stops.
    lr_factor : float
        Factor of the learning rate when the validation loss stalls for ``lr_patience`` epochs.
    lr_patience : int
    seed : int
        Seed of the initial weights, the dropout masks and the minibatch order.
    """

    model: str = "fcn"
    data: IsingData = IsingData()
    epochs: int = 50
    batch_size: int = 64
    learning_rate: float = 1e-3
    patience: int = 5
    lr_factor: float = 0.67
    lr_patience: int = 2
    seed: int = 0

    def __post_init__(self):
        check_choice(self.model, "model", MODELS)
        if not isinstance(self.data, IsingData):
            raise ParameterError("data", "an IsingData", self.data)
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.learning_rate, "learning_rate")
        check_int(self.patience, "patience", low=0)
        check_float(self.lr_factor, "lr_factor", low=0.0, high=1.0, low_open=True, high_open=True)
        check_int(self.lr_patience, "lr_patience", low=0)
        check_seed(self.seed)

    def as_dict(self) -> dict:
        """The fields as plain data (the key of a cached run); :meth:`from_dict` inverts it."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, fields: dict) -> PhaseSettings:
        """The settings of :meth:`as_dict`'s output."""
        return cls(**{**fields, "data": IsingData(**fields["data"])})


@dataclass(frozen=True)
class PhaseRun:
    """The result of one training run.

    Attributes
    ----------
    settings : PhaseSettings
    framework : str
        ``"torch"`` or ``"keras"``.
    history : dict of lists of float, one value per epoch
        ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy`` and ``lr``.
    temperature : (n_test,) float
        Temperatures of the test configurations.
    output : (n_test,) float
        Network output for each test configuration: the probability of the paramagnetic phase.
    n_parameters : int
    weights : dict of arrays
        The trained weights: the ``state_dict`` of the PyTorch network, or the Keras weights in
        the order of ``get_weights`` (keys ``"0"``, ``"1"``, ...); :func:`network` loads them.
    """

    settings: PhaseSettings
    framework: str
    history: dict[str, list[float]]
    temperature: np.ndarray
    output: np.ndarray
    n_parameters: int
    weights: dict[str, np.ndarray]

    @property
    def label(self) -> np.ndarray:
        """True phase of each test configuration (1 = paramagnetic)."""
        return phase_label(self.temperature)

    @property
    def correct(self) -> np.ndarray:
        """Whether each test configuration is classified right (output >= 0.5 for label 1)."""
        return metrics.predict_labels(self.output) == self.label.astype(bool)

    @property
    def test_accuracy(self) -> float:
        """Fraction of test configurations classified right."""
        return float(np.mean(self.correct))

    @property
    def epochs_trained(self) -> int:
        """Epochs run before training stopped."""
        return len(self.history["loss"])


_N_OUT = {"fcn": 1, "cnn": 1, "cam": 2}


def _model_torch(settings: PhaseSettings) -> torch.nn.Module:
    if settings.model == "fcn":
        return torch_mlp.ising_fcn(seed=settings.seed)
    return torch_conv.ising_cnn(L, n_out=_N_OUT[settings.model], seed=settings.seed)


def targets(settings: PhaseSettings, label: np.ndarray) -> np.ndarray:
    """What the network of ``settings`` learns for labels ``(n, 1)`` (1 = paramagnetic): the
    labels themselves for one sigmoid output, one-hot rows ``[1 - label, label]`` for the two
    softmax outputs of ``"cam"`` (class 0 ferromagnetic, class 1 paramagnetic)."""
    return label if _N_OUT[settings.model] == 1 else np.concatenate([1 - label, label], axis=1)


def train_torch(settings: PhaseSettings = PhaseSettings()) -> PhaseRun:
    """Train the network of ``settings`` in PyTorch and evaluate it on the test configurations.

    ``dlpbook.train.fit`` with :class:`torch.nn.BCELoss`, Adam, early stopping on the validation
    loss (restoring the best epoch's weights) and a learning rate that drops on plateaus.
    """
    split = load_split(settings.data)
    # channels-last weights make the convolutions about a quarter faster on a CPU (no effect on the FCN)
    model = _model_torch(settings).to(memory_format=torch.channels_last)
    torch.manual_seed(settings.seed)  # the dropout masks come from torch's global generator
    # on one-hot targets BCELoss averages over both outputs and equals the cross-entropy, as the
    # original's binary_crossentropy on its softmax
    history = train.fit(
        model,
        (split.x_fit, targets(settings, split.y_fit)),
        validation=(split.x_val, targets(settings, split.y_val)),
        loss=torch.nn.BCELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=settings.learning_rate),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        metrics={"accuracy": train.binary_accuracy},
        callbacks=[
            train.EarlyStopping(settings.patience),
            train.ReduceLROnPlateau(settings.lr_factor, settings.lr_patience),
        ],
        seed=settings.seed,
        progress=False,
    )
    output = train.predict(model, split.x_test)[:, -1]  # the last output: P(paramagnetic)
    weights = {key: value.detach().cpu().numpy() for key, value in model.state_dict().items()}
    return PhaseRun(settings, "torch", dict(history.values), split.t_test, output, nn.count_parameters(model),
                    weights)


def _model_keras(settings: PhaseSettings):
    if settings.model == "fcn":
        return keras_mlp.ising_fcn(seed=settings.seed)
    return keras_conv.ising_cnn(L, n_out=_N_OUT[settings.model], seed=settings.seed)


def train_keras(settings: PhaseSettings = PhaseSettings()) -> PhaseRun:
    """Train the network of ``settings`` in Keras 3 (``compile``/``fit``), the twin of :func:`train_torch`.

    The callbacks are Keras' own ``EarlyStopping`` (restoring the best weights) and
    ``ReduceLROnPlateau``, both on the validation loss.
    """
    split = load_split(settings.data)
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    model = _model_keras(settings)
    y_fit = targets(settings, split.y_fit)
    keras_nn.compile_for_fit(
        model, split.x_fit, y_fit, optimizer=keras.optimizers.Adam(learning_rate=settings.learning_rate),
        loss="binary_crossentropy", metrics=["accuracy"],
    )
    result = model.fit(
        split.x_fit,
        y_fit,
        validation_data=(split.x_val, targets(settings, split.y_val)),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        callbacks=[
            keras.callbacks.EarlyStopping(patience=settings.patience, restore_best_weights=True),
            keras.callbacks.ReduceLROnPlateau(factor=settings.lr_factor, patience=settings.lr_patience),
        ],
        verbose=0,
    )
    history = {key: [float(v) for v in values] for key, values in result.history.items()}
    history["lr"] = history.pop("learning_rate", [settings.learning_rate] * len(history["loss"]))
    output = model.predict(split.x_test, batch_size=1024, verbose=0)[:, -1]
    weights = {str(index): value for index, value in enumerate(model.get_weights())}
    return PhaseRun(settings, "keras", history, split.t_test, output.astype(float), model.count_params(), weights)


TRAINERS = {"torch": train_torch, "keras": train_keras}
"""Framework name -> training function."""

HISTORY_KEYS = ("loss", "val_loss", "accuracy", "val_accuracy", "lr")
"""The per-epoch values a :class:`PhaseRun` keeps."""


# the code whose change invalidates a cached run, besides this module
_DEPENDS = (torch_mlp, torch_conv, keras_mlp, keras_conv, sys.modules[train.fit.__module__], torch_callbacks, ising)


@cached_result(depends=_DEPENDS)
def _cached_run(framework: str, settings: dict, *, seed: int) -> dict[str, np.ndarray]:
    result = TRAINERS[framework](PhaseSettings.from_dict(settings))
    return {
        "temperature": result.temperature,
        "output": result.output,
        "n_parameters": result.n_parameters,
        **{f"history:{key}": result.history[key] for key in HISTORY_KEYS},
        **{f"weight:{key}": value for key, value in result.weights.items()},
    }


def run(settings: PhaseSettings, framework: str) -> PhaseRun:
    """:func:`train_torch` or :func:`train_keras`, cached: a second call with the same settings,
    code and profile reads the result from the cache folder instead of training again."""
    check_choice(framework, "framework", FRAMEWORKS)
    arrays = _cached_run(framework, settings.as_dict(), seed=settings.seed)
    history = {key: arrays[f"history:{key}"].tolist() for key in HISTORY_KEYS}
    weights = {key.removeprefix("weight:"): value for key, value in arrays.items() if key.startswith("weight:")}
    return PhaseRun(settings, framework, history, arrays["temperature"], arrays["output"], int(arrays["n_parameters"]),
                    weights)


def network(result: PhaseRun):
    """The trained network of ``result``, rebuilt from its weights: a ``torch.nn.Sequential`` in
    evaluation mode (dropout off) for a PyTorch run, a Keras model for a Keras run."""
    if result.framework == "torch":
        model = _model_torch(result.settings)
        model.load_state_dict({key: torch.from_numpy(np.array(value)) for key, value in result.weights.items()})
        return model.eval()
    model = _model_keras(result.settings)
    model.set_weights([result.weights[str(index)] for index in range(len(result.weights))])
    return model


@dataclass(frozen=True)
class PhaseStudy(ProfileSettings):
    """Ex. 7.1 and 8.1 per profile: both networks on the same data, and the analysis.

    Attributes
    ----------
    fcn : PhaseSettings
        The fully-connected network of Ex. 7.1.
    cnn : PhaseSettings
        The CNN of Ex. 8.1 (the same data as ``fcn``).
    bins : int
        Temperature bins of the analysis, equal in width over the range of the data (several
        test chains per bin).
    n_bootstrap : int
        Bootstrap resamples of the test set for the uncertainty of :math:`T_c`.
    """

    fcn: PhaseSettings
    cnn: PhaseSettings
    bins: int = 40
    n_bootstrap: int = 200

    def __post_init__(self):
        if self.fcn.model != "fcn" or self.cnn.model != "cnn":
            raise ParameterError("fcn, cnn", "settings with model 'fcn' and 'cnn'", (self.fcn.model, self.cnn.model))
        if self.fcn.data != self.cnn.data:
            raise ParameterError("cnn.data", "the data of the FCN (the networks are compared on the same data)",
                                 self.cnn.data)
        check_count(self.bins, "bins")
        check_count(self.n_bootstrap, "n_bootstrap")

    @classmethod
    def profiles(cls) -> dict[str, PhaseStudy]:
        """``full``: the original sizes and training; ``quick``: see the comments in the code."""
        full = IsingData()
        # quick: 2,000 configurations, a test set of 80 chains so that it spans the temperatures
        # densely, and cheaper chains (50 sweeps of equilibration and 5 between stored
        # configurations: with the cluster updates below T_c + 0.5 still many autocorrelation
        # times; |m| and E per temperature bin agree with the defaults within their errors).
        # Minibatches of 16 give the networks more updates from the few configurations; the CNN
        # needs about 2,000 configurations seen to pass the FCN reliably.
        quick = IsingData(n=2000, n_test=800, equilibration=50, decorrelation=5)
        return {
            "quick": cls(
                PhaseSettings("fcn", quick, epochs=4, batch_size=16),
                PhaseSettings("cnn", quick, epochs=2, batch_size=16),
                bins=16,
            ),
            "full": cls(PhaseSettings("fcn", full), PhaseSettings("cnn", full), bins=40),
        }

    def critical_point(self, result: PhaseRun) -> metrics.CriticalPoint:
        """:math:`T_c` from where the mean output of ``result`` crosses 0.5, with a bootstrap over the
        test chains (the configurations of one chain share its temperature)."""
        return metrics.critical_temperature(
            result.temperature, result.output, self.bins, groups=result.temperature, n_bootstrap=self.n_bootstrap,
            seed=result.settings.seed,
        )


def plot_phases(results: dict[str, PhaseRun], study: PhaseStudy) -> plt.Figure:
    """Test accuracy (left) and mean network output (right) against the temperature, one colour per run.

    The accuracy is the share of test configurations classified right per temperature bin (error
    bars: binomial standard errors); the mean output is averaged in the same bins, with the
    estimated :math:`T_c` (band: its bootstrap uncertainty) where it crosses 0.5. Dashed: Onsager's
    :math:`T_c`.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for (name, result), colour in zip(results.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        binned = metrics.binned_mean(result.temperature, result.correct.astype(float), study.bins)
        filled = binned.filled
        left.errorbar(binned.center[filled], binned.mean[filled], binned.error[filled], fmt="o-", ms=4, capsize=2,
                      color=colour, label=f"{name}: {result.test_accuracy:.3f} overall")
        point = study.critical_point(result)
        out = point.binned
        right.errorbar(out.center[out.filled], out.mean[out.filled], out.error[out.filled], fmt="o-", ms=4,
                       capsize=2, color=colour, label=f"{name}: $T_c$ = {point.estimate:.3f} $\\pm$ {point.error:.3f}")
        right.axvspan(point.estimate - point.error, point.estimate + point.error, color=colour, alpha=0.25)
    for ax in (left, right):
        ax.axvline(T_C, color="gray", ls="--", lw=1, label=f"Onsager $T_c$ = {T_C:.3f}")
        ax.set_xlabel("temperature $T$ ($J/k_B$)")
    right.axhline(0.5, color="k", lw=0.8, ls=":")
    left.set_ylabel("test accuracy")
    left.set_ylim(None, 1.02)
    right.set_ylabel("mean output: P(paramagnetic)")
    right.set_ylim(-0.03, 1.03)
    left.legend(loc="lower left", fontsize="small")
    right.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig
