"""Exercise 13.1: decorrelating a classifier from a mass-like feature by planing.

The data are the decorrelation toy (:mod:`dlpbook.data.decorrelation`; the book leaves the data
set open): feature 0 is a mass ``m`` (GeV), falling for background and peaking at 80 GeV for
signal; features 1-3 are noisy functions of ``m``; feature 4 is independent of it. A
fully-connected network ``-> 32 -> 32 -> 1`` is trained in three variants
(:data:`VARIANTS`):

- ``all``: on all five features;
- ``without_m``: on features 1-4, feature 0 dropped;
- ``planing``: on all five features, each event weighted by
  :func:`dlpbook.uncertainty.planing_weights` of ``m`` (per-sample loss weights), so that
  ``m`` is flat in both classes.

The three networks train side by side, one model on the sum of their losses.

For each, :func:`evaluate` measures the test accuracy, the AUC, the distance correlation of
the output with ``m`` in the background, and the sculpting of the background ``m``
distribution by cuts that keep ever smaller fractions of the background (the Jensen-Shannon
divergence of :func:`dlpbook.metrics.sculpting`). The book gives no target numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .. import keras_nn, metrics
from ..keras_nn.side_by_side import side_by_side as keras_side_by_side
from ..nn.mlp import mlp
from ..nn.side_by_side import side_by_side as torch_side_by_side
from ..plots.decorrelation import plot_sculpting
from ..train import fit, predict
from ..uncertainty import distance_correlation_squared, planing_weights, weighted_binary_cross_entropy
from ..uncertainty.studies import standardised_toy
from ..validation import ParameterError, check_count, check_positive, check_seed, check_sizes
from .settings import ProfileSettings

VARIANTS = ("all", "without_m", "planing")
"""The three classifiers of the exercise, in the order of its steps 3-5."""
VARIANT_TITLES = {"all": "all features", "without_m": "without feature 0", "planing": "all features, planing weights"}
"""Panel titles of the variants."""
MASS_BINS = np.linspace(20.0, 300.0, 29)
"""Bins (GeV) of the background mass histograms that measure the sculpting."""
DCORR_EVENTS = 4000
"""At most this many background events enter the distance correlation, whose memory grows as ``n^2``."""


@dataclass(frozen=True)
class PlaningSettings(ProfileSettings):
    """Data, network and training of Ex. 13.1 (the book fixes none of them).

    Attributes
    ----------
    n_train, n_test : int
        Events of the decorrelation toy for training and for testing (half signal).
    hidden : tuple of int
        Hidden layers of the network (ReLU).
    epochs, batch_size : int
    lr : float
        Adam's learning rate.
    bins : int
        Histogram bins of the planing weights.
    kept : tuple of float
        Fractions of the background kept by ever tighter cuts on the output, in (0, 1].
    seed : int
        Seed of the training data (the test data use ``seed + 1``), the weights and the shuffling.
    """

    n_train: int = 50_000
    n_test: int = 50_000
    hidden: tuple[int, ...] = (64, 64)
    epochs: int = 20
    batch_size: int = 256
    lr: float = 1e-3
    bins: int = 50
    kept: tuple[float, ...] = (0.5, 0.2, 0.1, 0.05)
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_train, "n_train")
        check_count(self.n_test, "n_test")
        object.__setattr__(self, "hidden", tuple(check_sizes(self.hidden, "hidden")))
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.lr, "lr")
        check_count(self.bins, "bins")
        kept = tuple(float(fraction) for fraction in self.kept)
        if not kept or not all(0 < fraction <= 1 for fraction in kept) or list(kept) != sorted(kept, reverse=True):
            raise ParameterError("kept", "fractions in (0, 1], decreasing, at least one", list(self.kept))
        object.__setattr__(self, "kept", kept)
        check_seed(self.seed)

    @classmethod
    def profiles(cls) -> dict[str, PlaningSettings]:
        """``full``: 50,000 events each, 20 epochs; ``quick``: 4,000 events, a smaller network, 8 epochs."""
        return {"quick": cls(n_train=4000, n_test=4000, hidden=(32, 32), epochs=8, batch_size=128, lr=1e-2, bins=40),
                "full": cls()}


@dataclass(frozen=True)
class PlaningRun:
    """The three classifiers of one framework, evaluated on the test events.

    Attributes
    ----------
    mass : (n_test,) float
        Feature 0 of the test events, GeV.
    label : (n_test,) int
        1 signal, 0 background.
    scores : dict
        Variant -> (n_test,) signal probabilities.
    accuracy, auc, dcorr : dict
        Variant -> test accuracy (cut at 0.5), area under the ROC curve, and ``dCorr^2`` of the
        output with ``m`` in the background (at most :data:`DCORR_EVENTS` events).
    sculpting : dict
        Variant -> (len(kept),) Jensen-Shannon divergence between the background ``m``
        histograms before and after the cut that keeps each fraction of ``kept``.
    kept : tuple of float
    """

    mass: np.ndarray
    label: np.ndarray
    scores: dict[str, np.ndarray]
    accuracy: dict[str, float]
    auc: dict[str, float]
    dcorr: dict[str, float]
    sculpting: dict[str, np.ndarray]
    kept: tuple[float, ...]


def variant_inputs(toy: dict[str, np.ndarray], variant: str, settings: PlaningSettings) -> dict[str, object]:
    """The input columns and the training sample weights of one variant of :data:`VARIANTS`."""
    columns = [1, 2, 3, 4] if variant == "without_m" else [0, 1, 2, 3, 4]
    weights = (planing_weights(toy["mass"], toy["label"], bins=settings.bins) if variant == "planing"
               else np.ones(len(toy["label"])))
    return {"columns": columns, "weights": weights.astype(np.float32)}


def train_torch(settings: PlaningSettings = PlaningSettings()) -> PlaningRun:
    """Ex. 13.1 in PyTorch: one network per variant, trained with the weighted binary cross-entropy.

    The three networks train side by side as one model (:func:`dlpbook.nn.side_by_side.side_by_side`)
    on the sum of their losses: on the same minibatches each gets the updates it would get alone,
    for the cost of one training loop.
    """
    toy = standardised_toy(settings.n_train, settings.n_test, seed=settings.seed)
    variants = [variant_inputs(toy, variant, settings) for variant in VARIANTS]
    model = torch_side_by_side([mlp(len(v["columns"]), settings.hidden, 1, seed=settings.seed) for v in variants],
                               [v["columns"] for v in variants], toy["x"].shape[1])
    weights = np.stack([v["weights"] for v in variants], axis=1)  # (n, variants)

    def summed_loss(outputs: torch.Tensor, targets: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        labels, weights = targets
        return sum(weighted_binary_cross_entropy(outputs[:, i], (labels, weights[:, i])) for i in range(len(VARIANTS)))

    fit(model, (toy["x"], (toy["label"], weights)), loss=summed_loss,
        optimizer=torch.optim.Adam(model.parameters(), lr=settings.lr), epochs=settings.epochs,
        batch_size=settings.batch_size, seed=settings.seed, progress=False)
    outputs = torch.sigmoid(torch.from_numpy(predict(model, toy["test_x"]))).numpy()
    return evaluate(toy, dict(zip(VARIANTS, outputs.T)), settings)


def train_keras(settings: PlaningSettings = PlaningSettings()) -> PlaningRun:
    """Ex. 13.1 in Keras 3: the same networks side by side, the planing weights weighting each one's loss.

    One functional model holds the three networks and trains on the sum of their losses; the
    target carries the label and each variant's weight, which multiplies its events' losses as
    ``sample_weight`` would (Keras then averages over the minibatch).
    """
    keras = keras_nn.keras()
    ops = keras.ops
    keras.utils.set_random_seed(settings.seed)
    toy = standardised_toy(settings.n_train, settings.n_test, seed=settings.seed)
    variants = [variant_inputs(toy, variant, settings) for variant in VARIANTS]
    networks = [keras_nn.mlp(len(v["columns"]), settings.hidden, 1, output_activation="sigmoid", seed=settings.seed)
                for v in variants]
    model = keras_side_by_side(networks, [v["columns"] for v in variants], toy["x"].shape[1])
    target = np.stack([toy["label"].astype(np.float32)] + [v["weights"] for v in variants], axis=1)

    def summed_loss(target, output):  # target (n, 1 + variants): the label, then each variant's weight
        labels = ops.broadcast_to(target[:, :1], ops.shape(output))
        return ops.sum(target[:, 1:] * ops.binary_crossentropy(labels, output), axis=-1)

    keras_nn.compile_for_fit(model, toy["x"], target, optimizer=keras.optimizers.Adam(learning_rate=settings.lr),
                             loss=summed_loss)
    model.fit(toy["x"], target, epochs=settings.epochs, batch_size=settings.batch_size, shuffle=True, verbose=0)
    outputs = model.predict(toy["test_x"], batch_size=4096, verbose=0).astype(np.float64)
    return evaluate(toy, dict(zip(VARIANTS, outputs.T)), settings)


def evaluate(toy: dict[str, np.ndarray], scores: dict[str, np.ndarray], settings: PlaningSettings) -> PlaningRun:
    """Accuracy, AUC, background ``dCorr^2`` and sculpting of every variant's test scores.

    ``dCorr^2`` uses at most :data:`DCORR_EVENTS` background events (a random choice from the
    seed of ``settings``); the sculpting uses them all.
    """
    label, mass = toy["test_label"], toy["test_mass"]
    background = label == 0
    subsample = np.random.default_rng(settings.seed).permutation(np.flatnonzero(background))[:DCORR_EVENTS]
    accuracy, auc, dcorr, sculpting = {}, {}, {}, {}
    for variant, score in scores.items():
        accuracy[variant] = metrics.accuracy(label, metrics.predict_labels(score))
        auc[variant] = metrics.roc_auc(label, score)
        dcorr[variant] = distance_correlation_squared(torch.from_numpy(score[subsample]).double(),
                                                      torch.from_numpy(mass[subsample]).double()).item()
        sculpting[variant] = np.array([metrics.sculpting(mass[background], score[background], fraction, MASS_BINS)
                                       for fraction in settings.kept])
    return PlaningRun(mass, label, scores, accuracy, auc, dcorr, sculpting, settings.kept)


def correlation_coefficients(x: np.ndarray, label: np.ndarray) -> dict[int, np.ndarray]:
    """Pearson correlation matrices (5, 5) of the features, per class (0 background, 1 signal)."""
    return {value: np.corrcoef(x[label == value], rowvar=False) for value in (0, 1)}


FEATURE_LABELS = ("$m$ (GeV)", "$m/100$", r"$\sqrt{m}$", r"$\ln(m/20)$", "$x_4$")
"""Axis labels of the five features (:data:`dlpbook.data.decorrelation.FEATURE_NAMES`)."""


def plot_sculpting_variants(run: PlaningRun, *, title: str = ""):
    """The background mass after ever tighter cuts, one panel per variant (:func:`dlpbook.plots.decorrelation.plot_sculpting`).

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8), sharey=True, layout="constrained")
    background = run.label == 0
    for ax, variant in zip(axes, VARIANTS):
        plot_sculpting(run.mass[background], run.scores[variant][background], run.kept, bins=MASS_BINS, ax=ax)
        ax.set_title(f"{VARIANT_TITLES[variant]}\naccuracy {run.accuracy[variant]:.3f}", fontsize="medium")
    for ax in axes[1:]:
        ax.set_ylabel("")
    axes[0].legend(fontsize="small")
    if title:
        fig.suptitle(title)
    return fig
