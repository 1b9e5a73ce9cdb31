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
by their random initialisation (the answer to Ex. 3.3, task 2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from .. import config, data, keras_models, nn, train
from ..plots.decision import plot_decision_boundary

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

N_POINTS = 500
"""Points per data set; the first half trains, the second half tests."""
BATCH_SIZE = 10
"""Playground's default minibatch size."""
LEARNING_RATE = 0.03
"""Playground's default learning rate."""


@dataclass(frozen=True)
class PlaygroundRun:
    """The result of one training run.

    Attributes
    ----------
    history : dict of lists of float, one value per epoch
        ``train_loss``/``test_loss``: mean half squared error (without penalty) after each
        epoch; ``train_accuracy``/``test_accuracy``: fraction of points on the right side.
    kernels : list of (n_in, n_out) float arrays
        Weight matrices after training, input layer first (rows of ``kernels[0]`` belong
        to the input features, in order).
    predict : callable
        Maps points ``(m, 2)`` to the probability ``(m,)`` of label 1, ``(1 + output) / 2``.
    """

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
    unknown = [name for name in features if name not in FEATURES]
    if unknown or not features:
        raise ValueError(f"features must be a non-empty selection of {list(FEATURES)}, got {list(features)}")
    return np.column_stack([FEATURES[name](x) for name in features]).astype(np.float32)


def split(noise: float = 0.0, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Playground's data: :data:`N_POINTS` checkerboard points, 50 % train and 50 % test.

    Returns
    -------
    x_train, label_train, x_test, label_test
        Points (n, 2) float64 and labels (n,) int64 in {0, 1}.
    """
    points = data.simulate("checkerboard", N_POINTS, seed=seed, noise=noise)
    half = N_POINTS // 2
    return points["x"][:half], points["label"][:half], points["x"][half:], points["label"][half:]


def initial_weights(sizes: Sequence[int], *, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Playground's initialisation: kernels (n_in, n_out) from U(-0.5, 0.5), biases 0.1.

    ``sizes`` lists the layer widths from input to output, e.g. ``[2, 4, 1]``.
    """
    rng = np.random.default_rng(seed)
    return [
        (rng.uniform(-0.5, 0.5, (n_in, n_out)).astype(np.float32), np.full(n_out, 0.1, dtype=np.float32))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def _prepare(hidden, features, noise, l1, l2, epochs, data_seed):
    if any(int(width) != width or width <= 0 for width in hidden):
        raise ValueError(f"hidden layer widths must be positive integers, got {list(hidden)}")
    if l1 < 0 or l2 < 0:
        raise ValueError(f"penalty rates must be >= 0, got l1={l1}, l2={l2}")
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    x_train, label_train, x_test, label_test = split(noise, seed=data_seed)
    targets = [(2.0 * label - 1.0).astype(np.float32)[:, None] for label in (label_train, label_test)]
    return (feature_map(x_train, features), targets[0]), (feature_map(x_test, features), targets[1])


def half_squared_error(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Playground's loss, ``mean(0.5 (output - target)^2)``."""
    return 0.5 * torch.mean((output - target) ** 2)


def _sign_accuracy(output: torch.Tensor, target: torch.Tensor) -> float:
    return float(((output > 0) == (target > 0)).float().mean())


def train_torch(
    hidden: Sequence[int] = (4,),
    *,
    features: Sequence[str] = ("x1", "x2"),
    noise: float = 0.0,
    l1: float = 0.0,
    l2: float = 0.0,
    epochs: int = 100,
    seed: int = 0,
    data_seed: int = 0,
) -> PlaygroundRun:
    """Train Playground's network with PyTorch (``dlpbook.nn.mlp`` + ``dlpbook.train.fit``).

    Parameters
    ----------
    hidden
        Widths of the ReLU hidden layers; ``()`` is a network without hidden layer.
    features
        Names of the input :data:`FEATURES`.
    noise
        Label-noise level of the data in [0, 0.5] (Playground's slider / 100).
    l1, l2
        Penalties ``l1 sum|W| + l2 sum W^2`` on all weight matrices (Eq. 5.6, 5.7).
    epochs
        Passes over the 250 training points (25 updates each).
    seed
        Seed of the initial weights.
    data_seed
        Seed of the data set.
    """
    (x_train, y_train), (x_test, y_test) = _prepare(hidden, features, noise, l1, l2, epochs, data_seed)
    sizes = [len(features), *hidden, 1]
    model = nn.mlp(sizes[0], hidden, 1, output_activation="tanh")
    layers = [module for module in model if isinstance(module, torch.nn.Linear)]
    with torch.no_grad():
        for layer, (kernel, bias) in zip(layers, initial_weights(sizes, seed=seed)):
            layer.weight.copy_(torch.from_numpy(kernel.T))
            layer.bias.copy_(torch.from_numpy(bias))
    history = train.fit(
        model,
        (x_train, y_train),
        loss=half_squared_error,
        optimizer=torch.optim.SGD(model.parameters(), lr=LEARNING_RATE),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        validation=(x_test, y_test),
        metrics={"accuracy": _sign_accuracy, "error": lambda out, y: float(half_squared_error(out, y))},
        regularizer=(lambda m: nn.weight_penalty(m, l1=l1, l2=l2)) if (l1 or l2) else None,
        progress=False,
        device="cpu",  # tiny network, batches of 10: a GPU would only add launch overhead
    )
    return PlaygroundRun(
        history={
            "train_loss": history["error"],
            "test_loss": history["val_error"],
            "train_accuracy": history["accuracy"],
            "test_accuracy": history["val_accuracy"],
        },
        kernels=[layer.weight.detach().numpy().T.copy() for layer in layers],
        predict=lambda points: (1.0 + train.predict(model, feature_map(points, features))[:, 0]) / 2.0,
    )


def _scores(output: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Half squared error and sign accuracy of numpy outputs."""
    return float(0.5 * np.mean((output - target) ** 2)), float(np.mean((output > 0) == (target > 0)))


def train_keras(
    hidden: Sequence[int] = (4,),
    *,
    features: Sequence[str] = ("x1", "x2"),
    noise: float = 0.0,
    l1: float = 0.0,
    l2: float = 0.0,
    epochs: int = 100,
    seed: int = 0,
    data_seed: int = 0,
) -> PlaygroundRun:
    """Train Playground's network with Keras 3 (``dlpbook.keras_models.mlp``); arguments as :func:`train_torch`.

    The penalties are Keras ``L1L2`` kernel regularisers. The training set is fed as an endless,
    reshuffled ``tf.data`` stream with one compiled call per epoch (``steps_per_execution``),
    because Keras' per-epoch overhead would otherwise dominate with 25 tiny steps per epoch.
    """
    (x_train, y_train), (x_test, y_test) = _prepare(hidden, features, noise, l1, l2, epochs, data_seed)
    tf = config.import_tensorflow()
    keras = keras_models.keras()
    sizes = [len(features), *hidden, 1]
    model = keras_models.mlp(sizes[0], hidden, 1, output_activation="tanh", l1=l1, l2=l2, seed=seed)
    model.set_weights([array for layer in initial_weights(sizes, seed=seed) for array in layer])
    steps = -(-len(x_train) // BATCH_SIZE)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE),
        loss=lambda target, output: 0.5 * keras.ops.mean(keras.ops.square(output - target), axis=-1),
        steps_per_execution=steps,
    )
    stream = (
        tf.data.Dataset.from_tensor_slices((x_train, y_train))
        .shuffle(len(x_train), seed=0, reshuffle_each_iteration=True)
        .batch(BATCH_SIZE)
        .repeat()
    )
    history: dict[str, list[float]] = {key: [] for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")}

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            for name, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
                loss, accuracy = _scores(np.asarray(model(x, training=False)), y)
                history[f"{name}_loss"].append(loss)
                history[f"{name}_accuracy"].append(accuracy)

    model.fit(stream, epochs=epochs, steps_per_epoch=steps, shuffle=False, verbose=0, callbacks=[Record()])
    return PlaygroundRun(
        history=history,
        kernels=[layer.get_weights()[0] for layer in model.layers],
        predict=lambda points: (1.0 + np.asarray(model(feature_map(points, features), training=False))[:, 0]) / 2.0,
    )


EXTRA_FEATURES = ("x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
"""The features Playground offers besides ``x1`` and ``x2``."""


def width_scan(train_fn, widths: Sequence[int], seeds: Sequence[int], **options) -> dict[int, list[PlaygroundRun]]:
    """One network with a single hidden layer per width and seed (Ex. 3.3, tasks 1 and 2).

    ``train_fn`` is :func:`train_torch` or :func:`train_keras`; ``options`` go to it.
    """
    return {width: [train_fn((width,), seed=seed, **options) for seed in seeds] for width in widths}


def feature_scan(train_fn, extras: Sequence[str] = EXTRA_FEATURES, **options) -> dict[str, PlaygroundRun]:
    """Networks without hidden layer on ``x1, x2`` plus one extra feature each (Ex. 3.3, task 3).

    The key ``"none"`` holds the network on ``x1, x2`` alone.
    """
    runs = {"none": train_fn((), features=("x1", "x2"), **options)}
    runs.update({extra: train_fn((), features=("x1", "x2", extra), **options) for extra in extras})
    return runs


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


def plot_boundaries(runs: dict[str, PlaygroundRun], *, noise: float = 0.0, data_seed: int = 0) -> plt.Figure:
    """Decision boundaries of several runs, one panel each, with the test points.

    At most three panels share a row (four make two rows of two), so that the labels stay
    legible when the figure is shown at the width of a page.
    """
    _, _, x_test, label_test = split(noise, seed=data_seed)
    n_rows = -(-len(runs) // 3)
    n_columns = -(-len(runs) // n_rows)
    fig, axes = plt.subplots(n_rows, n_columns, figsize=(3.6 * n_columns, 3.4 * n_rows), squeeze=False)
    for ax in axes.flat[len(runs):]:
        ax.set_axis_off()
    for ax, (title, run) in zip(axes.flat, runs.items()):
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
