"""Exercises 3.3 and 5.1: the TensorFlow Playground checkerboard, offline, in PyTorch and Keras.

The original exercises are done in the Playground web app (playground.tensorflow.org). This
module re-creates its set-up for the "XOR" data (:mod:`dlpbook.data.checkerboard`): 500 points,
half for training and half for testing; optional input features computed from ``(x1, x2)``;
ReLU hidden layers and a tanh output node whose sign is the predicted class (targets +1/-1);
the half squared error ``0.5 (output - target)^2`` as loss; weights drawn from U(-0.5, 0.5) and
biases set to 0.1; plain SGD with learning rate 0.03 on minibatches of 10; optional L1/L2
penalties on the weight matrices (book Eq. 5.6, 5.7).

:func:`train_torch` and :func:`train_keras` run the same network from the same initial weights
(:func:`initial_weights`), so the two frameworks differ only in the order of their minibatches.
Within one framework the minibatch order is fixed, so runs with different ``seed`` differ only
by their random initialisation (the answer to Ex. 3.3, task 2). The scans of the pages train
their networks side by side in one model (:func:`train_torch_side_by_side`,
:func:`train_keras_side_by_side`), which costs a fraction of separate trainings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from .. import config, data, keras_nn, metrics, nn, train
from ..keras_nn.side_by_side import side_by_side as keras_side_by_side
from ..nn.side_by_side import side_by_side as torch_side_by_side
from ..plots.decision import plot_decision_boundary
from ..validation import (
    ParameterError,
    check_count,
    check_float,
    check_int,
    check_non_negative,
    check_positive,
    check_seed,
    check_sizes,
)
from .settings import ProfileSettings, Settings

FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda x: x[:, 0],
    "x2": lambda x: x[:, 1],
    "x1^2": lambda x: x[:, 0] ** 2,
    "x2^2": lambda x: x[:, 1] ** 2,
    "x1*x2": lambda x: x[:, 0] * x[:, 1],
    "sin(x1)": lambda x: np.sin(x[:, 0]),
    "sin(x2)": lambda x: np.sin(x[:, 1]),
}
"""Playground's input features, computed from the points ``x`` (n, 2)."""

FEATURE_LABELS = {"x1": "$x_1$", "x2": "$x_2$", "x1^2": "$x_1^2$", "x2^2": "$x_2^2$", "x1*x2": "$x_1 x_2$",
                  "sin(x1)": r"$\sin x_1$", "sin(x2)": r"$\sin x_2$"}
"""The names of :data:`FEATURES` as matplotlib mathtext, for axis labels."""


def _check_features(features: Sequence[str]) -> Sequence[str]:
    if not features or any(name not in FEATURES for name in features):
        raise ParameterError("features", f"a non-empty selection of {list(FEATURES)}", list(features))
    return features


@dataclass(frozen=True)
class PlaygroundSettings(Settings):
    """One Playground training run: network, inputs, data, penalties and Playground's optimiser.

    Attributes
    ----------
    hidden : tuple of int
        Widths of the ReLU hidden layers; ``()`` is a network without hidden layer.
    features : tuple of str
        Names of the input :data:`FEATURES`.
    noise : float
        Label-noise level of the data in [0, 0.5] (Playground's slider / 100).
    l1, l2 : float
        Penalties ``l1 sum|W| + l2 sum W^2`` on all weight matrices (Eq. 5.6, 5.7).
    epochs : int
        Passes over the training points.
    seed : int
        Seed of the initial weights.
    data_seed : int
        Seed of the data set.
    n_points : int
        Points in the data set (Playground: 500).
    train_fraction : float
        Share of the points that trains, the first ones; the rest tests (Playground's "ratio of
        training to test data" slider / 100, 0.1 to 0.9; default 0.5).
    batch_size : int
        Minibatch size (Playground's default 10).
    learning_rate : float
        Step size of plain SGD (Playground's default 0.03).
    """

    hidden: tuple[int, ...] = (4,)
    features: tuple[str, ...] = ("x1", "x2")
    noise: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    epochs: int = 100
    seed: int = 0
    data_seed: int = 0
    n_points: int = 500
    train_fraction: float = 0.5
    batch_size: int = 10
    learning_rate: float = 0.03

    def __post_init__(self):
        # normalised copies (a list becomes a tuple) keep the object hashable and printable
        object.__setattr__(self, "hidden", tuple(check_sizes(self.hidden, "hidden")))
        object.__setattr__(self, "features", tuple(_check_features(self.features)))
        check_float(self.noise, "noise", low=0.0, high=0.5)
        check_non_negative(self.l1, "l1")
        check_non_negative(self.l2, "l2")
        check_count(self.epochs, "epochs")
        check_seed(self.seed)
        check_seed(self.data_seed, "data_seed")
        check_int(self.n_points, "n_points", low=2)
        check_float(self.train_fraction, "train_fraction", low=0.1, high=0.9)
        check_count(self.batch_size, "batch_size")
        check_positive(self.learning_rate, "learning_rate")


@dataclass(frozen=True)
class PlaygroundRun:
    """The result of one training run.

    Attributes
    ----------
    settings : PlaygroundSettings
        The settings the run was trained with.
    history : dict of lists of float, one value per epoch
        ``train_loss``/``test_loss``: mean half squared error (without penalty) after each
        epoch; ``train_accuracy``/``test_accuracy``: fraction of points on the right side.
    kernels : list of (n_in, n_out) float arrays
        Weight matrices after training, input layer first (rows of ``kernels[0]`` belong
        to the input features, in order).
    predict : callable
        Maps points ``(m, 2)`` to the probability ``(m,)`` of label 1, ``(1 + output) / 2``.
    """

    settings: PlaygroundSettings
    history: dict[str, list[float]]
    kernels: list[np.ndarray]
    predict: Callable[[np.ndarray], np.ndarray]

    @property
    def test_accuracy(self) -> float:
        """Test accuracy after the last epoch."""
        return self.history["test_accuracy"][-1]


def feature_map(x: np.ndarray, features: Sequence[str] = ("x1", "x2")) -> np.ndarray:
    """The network inputs: the chosen :data:`FEATURES` of the points ``x`` (n, 2), as (n, k) float32."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), got {x.shape}")
    _check_features(features)
    return np.column_stack([FEATURES[name](x) for name in features]).astype(np.float32)


def split(settings: PlaygroundSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Playground's data: ``settings.n_points`` checkerboard points, split by ``settings.train_fraction``.

    Returns
    -------
    x_train, label_train, x_test, label_test
        Points (n, 2) float64 and labels (n,) int64 in {0, 1}.
    """
    points = data.simulate("checkerboard", settings.n_points, seed=settings.data_seed, noise=settings.noise)
    n_train = round(settings.train_fraction * settings.n_points)
    return points["x"][:n_train], points["label"][:n_train], points["x"][n_train:], points["label"][n_train:]


def initial_weights(sizes: Sequence[int], *, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Playground's initialisation: kernels (n_in, n_out) from U(-0.5, 0.5), biases 0.1.

    ``sizes`` lists the layer widths from input to output, e.g. ``[2, 4, 1]``.
    """
    rng = np.random.default_rng(seed)
    return [
        (rng.uniform(-0.5, 0.5, (n_in, n_out)).astype(np.float32), np.full(n_out, 0.1, dtype=np.float32))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def network_arrays(settings: PlaygroundSettings) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The training and test arrays both frameworks fit: features (n, k) and targets +1/-1 (n, 1)."""
    x_train, label_train, x_test, label_test = split(settings)
    targets = [(2.0 * label - 1.0).astype(np.float32)[:, None] for label in (label_train, label_test)]
    return (feature_map(x_train, settings.features), targets[0]), (feature_map(x_test, settings.features), targets[1])


def half_squared_error(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Playground's loss, ``mean(0.5 (output - target)^2)``, summed over side-by-side networks.

    ``output`` has one column per network (see :func:`train_torch_side_by_side`), ``target`` one
    column; the sum over the columns gives every network the gradient of its own loss.
    """
    return 0.5 * torch.mean(torch.sum((output - target) ** 2, dim=1))


def _sign_accuracy(output: torch.Tensor, target: torch.Tensor) -> float:
    # the package's rule at threshold 0: tanh output >= 0 is probability (1 + output) / 2 >= 0.5
    return train.binary_accuracy(output, target > 0, threshold=0.0)


def _check_side_by_side(runs: Sequence[PlaygroundSettings]) -> tuple[PlaygroundSettings, list[list[int]]]:
    """Settings with the union of the ``runs``' features, and the columns of each run's features in it.

    Only ``hidden``, ``seed``, ``features`` and the penalties ``l1``, ``l2`` may differ between the runs.
    """
    if not runs:
        raise ParameterError("runs", "at least one PlaygroundSettings", runs)
    union = tuple(dict.fromkeys(name for run in runs for name in run.features))
    shared = runs[0].replace(features=union)
    for run in runs:
        if run.replace(hidden=shared.hidden, seed=shared.seed, features=union, l1=shared.l1, l2=shared.l2) != shared:
            raise ParameterError("runs", "settings that differ only in hidden, seed, features, l1 and l2", run)
    return shared, [[union.index(name) for name in run.features] for run in runs]


def train_torch_side_by_side(runs: Sequence[PlaygroundSettings]) -> list[PlaygroundRun]:
    """Train Playground's networks of ``runs`` with PyTorch, all side by side; one run per entry.

    The ``runs`` may differ only in ``hidden``, ``seed``, ``features`` and penalties. Each network
    ``len(features) -> hidden -> 1`` (``dlpbook.nn.mlp``) has ReLU hidden layers and a tanh
    output and starts from :func:`initial_weights` of its seed. The networks form one
    :class:`dlpbook.nn.side_by_side.SideBySide` model, trained by ``dlpbook.train.fit`` with plain SGD on the sum of
    their :func:`half_squared_error`: every network gets exactly the steps it would get alone,
    on the same minibatches, at a fraction of the cost of separate trainings. The penalties of
    each network enter as ``fit``'s regularizer.
    """
    settings, columns = _check_side_by_side(runs)
    (x_train, y_train), (x_test, y_test) = network_arrays(settings)
    sizes = [[len(run.features), *run.hidden, 1] for run in runs]
    model = torch_side_by_side([nn.mlp(size[0], run.hidden, 1, output_activation="tanh") for size, run in zip(sizes, runs)],
                               columns, len(settings.features))
    layers = [[module for module in network if isinstance(module, torch.nn.Linear)] for network in model.networks]
    with torch.no_grad():
        for network_layers, size, run in zip(layers, sizes, runs):
            for layer, (kernel, bias) in zip(network_layers, initial_weights(size, seed=run.seed)):
                layer.weight.copy_(torch.from_numpy(kernel.T))
                layer.bias.copy_(torch.from_numpy(bias))
    metrics = {}
    for index in range(len(runs)):
        column = slice(index, index + 1)
        metrics[f"accuracy{index}"] = lambda out, y, column=column: _sign_accuracy(out[:, column], y)
        metrics[f"error{index}"] = lambda out, y, column=column: float(half_squared_error(out[:, column], y))
    penalised = [(network, run.l1, run.l2) for network, run in zip(model.networks, runs) if run.l1 or run.l2]
    history = train.fit(
        model,
        (x_train, y_train),
        loss=half_squared_error,
        optimizer=torch.optim.SGD(model.parameters(), lr=settings.learning_rate),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        validation=(x_test, y_test),
        metrics=metrics,
        regularizer=(lambda _: sum(nn.weight_penalty(network, l1=l1, l2=l2) for network, l1, l2 in penalised))
        if penalised else None,
        progress=False,
        device="cpu",  # tiny networks, batches of 10: a GPU would only add launch overhead
    )
    return [
        PlaygroundRun(
            settings=run,
            history={
                "train_loss": history[f"error{index}"],
                "test_loss": history[f"val_error{index}"],
                "train_accuracy": history[f"accuracy{index}"],
                "test_accuracy": history[f"val_accuracy{index}"],
            },
            kernels=[layer.weight.detach().numpy().T.copy() for layer in layers[index]],
            predict=lambda points, network=model.networks[index], features=run.features: (
                1.0 + train.predict(network, feature_map(points, features))[:, 0]
            ) / 2.0,
        )
        for index, run in enumerate(runs)
    ]


def train_torch(settings: PlaygroundSettings = PlaygroundSettings()) -> PlaygroundRun:
    """Train Playground's network with PyTorch: :func:`train_torch_side_by_side` for one network."""
    return train_torch_side_by_side([settings])[0]


def _scores(output: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Half squared error and sign accuracy of numpy outputs."""
    accuracy = metrics.accuracy(target.reshape(-1) > 0, metrics.predict_labels(output.reshape(-1), threshold=0.0))
    return float(0.5 * np.mean((output - target) ** 2)), accuracy


def train_keras_side_by_side(runs: Sequence[PlaygroundSettings]) -> list[PlaygroundRun]:
    """Train Playground's networks of ``runs`` with Keras 3, side by side; the twin of :func:`train_torch_side_by_side`.

    Each network is a ``dlpbook.keras_nn.mlp`` from :func:`initial_weights` of its seed; one
    functional model concatenates their outputs and trains on the sum of their losses, so one
    compiled model trains them all. The penalties are Keras ``L1L2`` kernel regularisers. The
    training set is fed as an endless, reshuffled ``tf.data`` stream with one compiled call per
    epoch (:func:`dlpbook.keras_nn.epoch_stream`).
    """
    settings, columns = _check_side_by_side(runs)
    (x_train, y_train), (x_test, y_test) = network_arrays(settings)
    tf = config.import_tensorflow()
    keras = keras_nn.keras()
    # the stream's shuffling depends on TensorFlow's global seed too: set it (to the first run's
    # seed), so that a run does not depend on what ran before it in the same process
    keras.utils.set_random_seed(settings.seed)
    networks = []
    for run in runs:
        sizes = [len(run.features), *run.hidden, 1]
        network = keras_nn.mlp(
            sizes[0], run.hidden, 1, output_activation="tanh", l1=run.l1, l2=run.l2, seed=run.seed
        )
        network.set_weights([array for layer in initial_weights(sizes, seed=run.seed) for array in layer])
        networks.append(network)
    model = keras_side_by_side(networks, columns, len(settings.features))
    stream, steps = keras_nn.epoch_stream(x_train, y_train, batch_size=settings.batch_size, seed=0)
    keras_nn.compile_for_fit(
        model, x_train, y_train, optimizer=keras.optimizers.SGD(learning_rate=settings.learning_rate),
        loss=lambda target, output: 0.5 * keras.ops.sum(keras.ops.square(output - target), axis=-1),
        steps_per_execution=steps,
    )
    histories: list[dict[str, list[float]]] = [
        {key: [] for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")} for _ in runs
    ]

    # both splits in one compiled call per epoch: eager calls would take longer than the training
    x_both = np.concatenate([x_train, x_test])
    both_outputs = tf.function(lambda: model(x_both, training=False))

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            output = np.asarray(both_outputs())
            for index, history in enumerate(histories):
                column = output[:, index:index + 1]
                for name, part, y in (("train", column[: len(x_train)], y_train), ("test", column[len(x_train):], y_test)):
                    loss, accuracy = _scores(part, y)
                    history[f"{name}_loss"].append(loss)
                    history[f"{name}_accuracy"].append(accuracy)

    model.fit(stream, epochs=settings.epochs, steps_per_epoch=steps, shuffle=False, verbose=0, callbacks=[Record()])
    return [
        PlaygroundRun(
            settings=run,
            history=history,
            kernels=[layer.get_weights()[0] for layer in network.layers],
            predict=lambda points, network=network, features=run.features: (
                1.0 + np.asarray(network(feature_map(points, features), training=False))[:, 0]
            ) / 2.0,
        )
        for run, network, history in zip(runs, networks, histories)
    ]


def train_keras(settings: PlaygroundSettings = PlaygroundSettings()) -> PlaygroundRun:
    """Train Playground's network with Keras 3: :func:`train_keras_side_by_side` for one network."""
    return train_keras_side_by_side([settings])[0]


EXTRA_FEATURES = ("x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
"""The features Playground offers besides ``x1`` and ``x2``."""


@dataclass(frozen=True)
class CapacityStudy(ProfileSettings):
    """Ex. 3.3: networks of one hidden layer of several widths, each from several seeds.

    Attributes
    ----------
    run : PlaygroundSettings
        Settings of every run (the scan changes ``hidden`` and ``seed``).
    widths : tuple of int
        Widths of the single hidden layer (task 1).
    seeds : tuple of int
        Seeds of the initial weights per width (task 2).
    feature_epochs : int
        Epochs of the networks without hidden layer with one extra feature each (task 3).
    """

    run: PlaygroundSettings
    widths: tuple[int, ...] = (2, 3, 4, 8)
    seeds: tuple[int, ...] = tuple(range(10))
    feature_epochs: int = 100

    def __post_init__(self):
        object.__setattr__(self, "widths", tuple(check_sizes(self.widths, "widths", allow_empty=False)))
        object.__setattr__(self, "seeds", tuple(check_seed(seed, "seeds") for seed in self.seeds))
        check_count(self.feature_epochs, "feature_epochs")

    @classmethod
    def profiles(cls) -> dict[str, CapacityStudy]:
        """``quick``: 6 seeds, 20 epochs (10 for the feature scan); ``full``: 10 seeds, 300 epochs (100)."""
        return {
            "quick": cls(PlaygroundSettings(epochs=20), seeds=tuple(range(6)), feature_epochs=10),
            "full": cls(PlaygroundSettings(epochs=300), seeds=tuple(range(10)), feature_epochs=100),
        }


def width_scan(train_side_by_side, study: CapacityStudy) -> dict[int, list[PlaygroundRun]]:
    """One network with a single hidden layer per width and seed of ``study`` (Ex. 3.3, tasks 1 and 2).

    ``train_side_by_side`` is :func:`train_torch_side_by_side` or :func:`train_keras_side_by_side`;
    it trains all the networks in one model.
    """
    runs = train_side_by_side([study.run.replace(hidden=(width,), seed=seed)
                               for width in study.widths for seed in study.seeds])
    n_seeds = len(study.seeds)
    return {width: runs[index * n_seeds:(index + 1) * n_seeds] for index, width in enumerate(study.widths)}


def feature_scan(train_side_by_side, study: CapacityStudy,
                 extras: Sequence[str] = EXTRA_FEATURES) -> dict[str, PlaygroundRun]:
    """Networks without hidden layer on ``x1, x2`` plus one extra feature each (Ex. 3.3, task 3).

    ``train_side_by_side`` is :func:`train_torch_side_by_side` or :func:`train_keras_side_by_side`.
    The networks train for ``study.feature_epochs``; the key ``"none"`` holds the network on
    ``x1, x2`` alone.
    """
    base = study.run.replace(hidden=(), epochs=study.feature_epochs)
    names = ["none", *extras]
    runs = train_side_by_side([base.replace(features=("x1", "x2", *([] if name == "none" else [name])))
                               for name in names])
    return dict(zip(names, runs))


@dataclass(frozen=True)
class RegularizationStudy(ProfileSettings):
    """Ex. 5.1: one deep, wide network on the noisy checkerboard, trained with several penalties.

    Attributes
    ----------
    run : PlaygroundSettings
        The unpenalised run of tasks 1 and 2: inputs ``x1, x2``, 50 % label noise, four hidden
        layers of 32.
    penalties : tuple of (label, l1, l2)
        The variants of ``run`` for tasks 1 and 2 (Eq. 5.6, 5.7), the unpenalised one first.
    cure : str
        The label in ``penalties`` of the rate that cures the overtraining (task 2).
    selection_features : tuple of str
        The inputs of task 3, where L1 and L2 at the same ``selection_rate`` are compared.
    selection_rate : float
        The rate of both penalties in task 3.
    """

    run: PlaygroundSettings
    penalties: tuple[tuple[str, float, float], ...] = (
        ("no penalty", 0.0, 0.0),
        ("L2 0.001", 0.0, 0.001),
        ("L2 0.01", 0.0, 0.01),
        ("L2 10", 0.0, 10.0),
    )
    cure: str = "L2 0.01"
    selection_features: tuple[str, ...] = tuple(FEATURES)
    selection_rate: float = 0.01

    def __post_init__(self):
        for _, l1, l2 in self.penalties:
            self.run.replace(l1=l1, l2=l2)  # checks the rates
        labels = [label for label, _, _ in self.penalties]
        if not labels or labels[0] != "no penalty" or self.penalties[0][1:] != (0.0, 0.0):
            raise ParameterError("penalties", "a list that starts with ('no penalty', 0.0, 0.0)", self.penalties)
        if self.cure not in labels[1:]:
            raise ParameterError("cure", f"one of the penalised labels {labels[1:]}", self.cure)
        object.__setattr__(self, "selection_features", tuple(_check_features(self.selection_features)))
        check_positive(self.selection_rate, "selection_rate")

    @classmethod
    def profiles(cls) -> dict[str, RegularizationStudy]:
        """``quick``: 75 training points for 100 epochs at twice the rate; ``full``: 250 for 1000 epochs.

        Overtraining needs a network that can memorise its training points. The original trains
        on 250 points for more than 1000 epochs; ``quick`` makes it appear within 800 updates by
        training on fewer points (15 % of 500, Playground's "ratio of training to test data"),
        not by stopping earlier, and with steps of 0.06 instead of 0.03: the test points then
        measure the loss on 425 points. Steps of 0.075 for 80 epochs no longer show it.
        """
        run = PlaygroundSettings(hidden=(32, 32, 32, 32), features=("x1", "x2"), noise=0.5)
        return {
            "quick": cls(run.replace(epochs=100, learning_rate=0.06, train_fraction=0.15)),
            "full": cls(run.replace(epochs=1000)),
        }

    def task_runs(self, train_side_by_side) -> tuple[dict[str, PlaygroundRun], dict[str, PlaygroundRun]]:
        """All runs of the exercise in one side-by-side training: ``(penalised, selection)``.

        ``penalised`` (tasks 1 and 2) holds ``run`` once per entry of ``penalties``, keyed by the
        labels; ``selection`` (task 3) holds ``run`` on ``selection_features`` with an L2 and an
        L1 penalty of ``selection_rate``, keyed ``"L2 <rate>"`` and ``"L1 <rate>"``.
        ``train_side_by_side`` is :func:`train_torch_side_by_side` or
        :func:`train_keras_side_by_side`; each network gets the minibatches it would get alone.
        """
        rate, base = self.selection_rate, self.run.replace(features=self.selection_features)
        runs = train_side_by_side(
            [*(self.run.replace(l1=l1, l2=l2) for _, l1, l2 in self.penalties), base.replace(l2=rate), base.replace(l1=rate)]
        )
        penalised = dict(zip([label for label, _, _ in self.penalties], runs))
        return penalised, {f"L2 {rate:g}": runs[-2], f"L1 {rate:g}": runs[-1]}


def plot_width_scan(scan: dict[int, list[PlaygroundRun]], ax=None):
    """Test accuracy of every run against the width of the hidden layer."""
    ax = ax or plt.gca()
    for position, (width, runs) in enumerate(scan.items()):
        accuracies = [run.test_accuracy for run in runs]
        offsets = np.linspace(-0.15, 0.15, len(runs))
        ax.scatter(position + offsets, accuracies, s=25, color="tab:blue", label="one seed" if position == 0 else None)
        ax.plot([position - 0.25, position + 0.25], [np.median(accuracies)] * 2, color="k", label="median" if position == 0 else None)
    ax.set_xticks(range(len(scan)), [str(width) for width in scan])
    ax.set_xlabel("nodes in the hidden layer")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.45, 1.02)
    ax.legend(loc="lower right")
    return ax


def plot_feature_scan(scan: dict[str, PlaygroundRun], ax=None):
    """Test accuracy of the networks without hidden layer, one bar per extra feature."""
    ax = ax or plt.gca()
    names = list(scan)
    bars = ax.bar(range(len(names)), [scan[name].test_accuracy for name in names], color="tab:blue")
    ax.bar_label(bars, fmt="%.2f", fontsize="small")
    ax.set_xticks(range(len(names)),
                  [f"+{FEATURE_LABELS[name]}" if name != "none" else "$x_1, x_2$\nonly" for name in names])
    ax.set_xlabel("inputs: $x_1, x_2$ and")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.1)
    ax.axhline(0.5, color="k", lw=0.8, ls="--", label="guessing")
    ax.legend(loc="upper left")
    return ax


def plot_boundaries(runs: dict[str, PlaygroundRun]) -> plt.Figure:
    """Decision boundaries of several runs, one panel each, with the test points of each run.

    At most three panels share a row (four make two rows of two), so that the labels stay
    legible when the figure is shown at the width of a page.
    """
    n_rows = -(-len(runs) // 3)
    n_columns = -(-len(runs) // n_rows)
    fig, axes = plt.subplots(n_rows, n_columns, figsize=(3.6 * n_columns, 3.4 * n_rows), squeeze=False)
    for ax in axes.flat[len(runs):]:
        ax.set_axis_off()
    for ax, (title, run) in zip(axes.flat, runs.items()):
        _, _, x_test, label_test = split(run.settings)
        plot_decision_boundary(run.predict, x_test, label_test, ax=ax, resolution=120)
        ax.set_title(title, fontsize="medium")
    fig.tight_layout()
    return fig


NEAR_ZERO = 1e-2
"""Weights smaller than this in magnitude count as switched off (plain SGD with an L1 penalty
lets them jitter around zero by about learning rate x rate, instead of resting at exactly 0)."""


def near_zero_fraction(run: PlaygroundRun) -> float:
    """Fraction of all weights (not biases) with ``|w| < NEAR_ZERO``."""
    weights = np.concatenate([kernel.ravel() for kernel in run.kernels])
    return float(np.mean(np.abs(weights) < NEAR_ZERO))


def plot_losses(runs: dict[str, PlaygroundRun], ax=None, *, train: bool = True):
    """Test loss (dashed) and, if ``train``, training loss (solid) per epoch for each run."""
    ax = ax or plt.gca()
    for (name, run), colour in zip(runs.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        epochs = np.arange(1, len(run.history["test_loss"]) + 1)
        if train:
            ax.plot(epochs, run.history["train_loss"], color=colour, label=f"{name}: training")
        ax.plot(epochs, run.history["test_loss"], color=colour, ls="--", label=f"{name}: test")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (half squared error)")
    ax.legend(fontsize="small")
    return ax


def plot_weight_comparison(runs: dict[str, PlaygroundRun], features: Sequence[str]) -> plt.Figure:
    """Histograms of all weights and the first-layer weight per input feature, one colour per run."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    bins = np.logspace(-6, 1, 36)
    width = 0.8 / len(runs)
    for index, (name, run) in enumerate(runs.items()):
        weights = np.abs(np.concatenate([kernel.ravel() for kernel in run.kernels]))
        left.hist(np.clip(weights, bins[0], None), bins=bins, histtype="step", lw=2,
                  label=f"{name}: {near_zero_fraction(run):.0%} below {NEAR_ZERO:g}")
        per_feature = np.abs(run.kernels[0]).sum(axis=1)
        right.bar(np.arange(len(features)) + (index - (len(runs) - 1) / 2) * width, per_feature, width, label=name)
    left.axvline(NEAR_ZERO, color="k", ls=":", lw=1)
    left.set_xscale("log")
    left.set_xlabel("|weight| (all layers; values below 1e-6 in the first bin)")
    left.set_ylabel("weights")
    left.legend(fontsize="small", loc="upper left")
    right.set_xticks(range(len(features)), features)
    right.set_xlabel("input feature")
    right.set_ylabel("sum of |weights| to the first hidden layer")
    right.legend(fontsize="small")
    fig.tight_layout()
    return fig
