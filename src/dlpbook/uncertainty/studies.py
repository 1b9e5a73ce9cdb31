"""The trainings behind the figures of chapter 13, cached and shared by the chapter page and the gallery.

Each function trains small networks with the methods of this package and returns named arrays
(:func:`dlpbook.result_cache.cached_result`): a rebuild with unchanged code reads them back, and
the gallery script of the adversarial example reuses the page's training.

- :func:`regression_bands`: a deep ensemble and an MC-dropout network on a 1D regression with
  heteroscedastic noise and a gap in the data (Sec. 13.1).
- :func:`bayesian_bands`: a Bayes-by-backprop network on more points of the same regression.
- :func:`decorrelation_comparison`: a plain classifier and its planed, adversarial and DisCo
  versions on the decorrelation toy (Sec. 13.2).
- :func:`adversarial_attacks`: a jet-image classifier attacked with FGSM and PGD (Sec. 13.3).
"""

from __future__ import annotations

import sys

import numpy as np
import torch
from torch.nn import functional as F

from ..data import decorrelation, jets, toys
from ..nn import mlp as mlp_module
from ..nn.mlp import mlp
from ..result_cache import cached_result
from ..train import fit, predict
from ..train.accuracy import categorical_accuracy
from . import attacks, bayes_by_backprop, distance_correlation, ensembles, gradient_reversal, mc_dropout, planing
from ._context import seeded
from .gaussian_likelihood import heteroscedastic_nll

_DEPENDS = (mlp_module, sys.modules[fit.__module__], ensembles, mc_dropout, planing, gradient_reversal,
            distance_correlation, attacks, bayes_by_backprop, toys, decorrelation, jets)
GRID = (-5.0, 5.0, 201)
"""Positions ``(start, stop, count)`` at which :func:`regression_bands` and :func:`bayesian_bands` evaluate the networks."""


def _regression_toy(n_train: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training inputs and targets ``(n_train, 1)`` of :func:`dlpbook.data.toys.heteroscedastic_curve` and the grid ``(201, 1)``."""
    data = toys.heteroscedastic_curve(n_train, seed=seed)
    grid = np.linspace(*GRID)[:, None].astype(np.float32)
    return data["x"].astype(np.float32), data["y"].astype(np.float32), grid


def _band_arrays(x, y, grid, combined: dict[str, ensembles.PredictiveUncertainty]) -> dict[str, np.ndarray]:
    """The arrays of a bands study: data, truth on the grid and, per method, mean and the two variances."""
    result = {"x_train": x[:, 0], "y_train": y[:, 0], "grid": grid[:, 0],
              "truth": toys.noisy_curve_function(grid[:, 0]), "noise": toys.heteroscedastic_noise(grid[:, 0])}
    for method, uncertainty in combined.items():
        for part in ("mean", "aleatoric", "epistemic"):
            result[f"{method}:{part}"] = getattr(uncertainty, part)[:, 0]
    return result
DECORRELATION_METHODS = ("plain", "planing", "adversary", "disco")
"""The classifiers of :func:`decorrelation_comparison`, in the order of the figures."""


@cached_result(depends=_DEPENDS)
def regression_bands(
    *, n_train: int = 400, members: int = 5, epochs: int = 60, dropout: float = 0.1, passes: int = 100, seed: int = 0
) -> dict[str, np.ndarray]:
    """A deep ensemble and an MC-dropout network fitted to :func:`dlpbook.data.toys.heteroscedastic_curve`.

    Every network predicts a mean and a log-variance and trains on the Gaussian negative
    log-likelihood (Adam, learning rate 0.02, minibatches of 200): the ensemble has ``members``
    networks ``1 -> 32 -> 32 -> 2``, the dropout network ``1 -> 64 -> 64 -> 2`` with
    ``dropout`` after each hidden layer, sampled in ``passes`` passes. Both are combined by
    :func:`~.ensembles.combine_gaussian_outputs` (Fig. 13.1).

    Returns
    -------
    dict
        ``x_train, y_train`` (n_train,); ``grid, truth, noise`` (201,) the positions, the true
        curve and the true standard deviation of the scatter; per method ``ensemble`` and
        ``dropout``: ``<method>:mean``, ``<method>:aleatoric``, ``<method>:epistemic``
        (201,), the prediction and its two variances.
    """
    x, y, grid = _regression_toy(n_train, seed)
    options = {"epochs": epochs, "batch_size": 200, "progress": False, "device": "cpu"}
    members_, _ = ensembles.train_ensemble(lambda s: mlp(1, [32, 32], 2, seed=s), (x, y), members=members,
                                           learning_rate=2e-2, seed=seed, **options)
    dropout_net = mlp(1, [64, 64], 2, dropout=dropout, seed=seed)
    with seeded(seed, torch.device("cpu")):  # the dropout masks, whatever ran before in the process
        fit(dropout_net, (x, y), loss=heteroscedastic_nll, optimizer=torch.optim.Adam(dropout_net.parameters(), lr=2e-2),
            seed=seed, **options)
    combined = {
        "ensemble": ensembles.combine_gaussian_outputs(ensembles.member_outputs(members_, grid, device="cpu")),
        "dropout": ensembles.combine_gaussian_outputs(mc_dropout.mc_dropout_samples(dropout_net, grid, samples=passes,
                                                                                    seed=seed)),
    }
    return _band_arrays(x, y, grid, combined)


@cached_result(depends=_DEPENDS)
def bayesian_bands(
    *, n_train: int = 2000, width: int = 16, epochs: int = 200, passes: int = 100, seed: int = 0
) -> dict[str, np.ndarray]:
    """A Bayes-by-backprop network fitted to :func:`dlpbook.data.toys.heteroscedastic_curve`.

    The network ``1 -> width -> width -> 2`` of :class:`~.bayes_by_backprop.BayesianLinear`
    layers (prior ``N(0, 1)``, initial posterior widths 0.01) predicts a mean and a
    log-variance and trains on the per-sample negative ELBO, the Gaussian negative
    log-likelihood plus ``KL / n_train`` (Adam, learning rate 0.003, minibatches of 200). The
    prediction combines ``passes`` weight draws like an ensemble (Fig. 13.1).

    Returns
    -------
    dict
        The arrays of :func:`regression_bands` for the method ``bayes``, and the two terms of the
        final per-sample loss on the training data: ``nll`` (averaged over ``passes`` draws) and
        ``kl_per_sample`` (KL / n_train), 0-d.
    """
    x, y, grid = _regression_toy(n_train, seed)
    network = bayes_by_backprop.bayesian_mlp(1, [width, width], 2, seed=seed)
    with seeded(seed, torch.device("cpu")):  # the weight draws, whatever ran before in the process
        fit(network, (x, y), loss=heteroscedastic_nll, optimizer=torch.optim.Adam(network.parameters(), lr=3e-3),
            regularizer=bayes_by_backprop.kl_regularizer(n_train), epochs=epochs, batch_size=200, seed=seed,
            progress=False, device="cpu")
    draws = mc_dropout.mc_dropout_samples(network, np.concatenate([grid, x]), samples=passes, seed=seed)
    with torch.no_grad():
        kl_per_sample = bayes_by_backprop.kl_divergence(network).item() / n_train
        nll = np.mean([heteroscedastic_nll(torch.from_numpy(draw[len(grid):]), torch.from_numpy(y)).item()
                       for draw in draws])
    result = _band_arrays(x, y, grid, {"bayes": ensembles.combine_gaussian_outputs(draws[:, :len(grid)])})
    return {**result, "nll": np.asarray(nll), "kl_per_sample": np.asarray(kl_per_sample)}


def standardised_toy(n_train: int, n_test: int, *, seed: int) -> dict[str, np.ndarray]:
    """Training and test events of the decorrelation toy, standardised with the training means and widths.

    Returns
    -------
    dict
        ``x, label, mass`` of the training events and ``test_x, test_label, test_mass`` of the
        test events: ``x`` (n, 5) float32 standardised, ``label`` (n,) 0/1, ``mass`` (n,)
        feature 0 in GeV, unstandardised.
    """
    train = decorrelation.simulate(n_train, seed=seed)
    test = decorrelation.simulate(n_test, seed=seed + 1)
    mean, std = train["x"].mean(axis=0), train["x"].std(axis=0)
    return {"x": ((train["x"] - mean) / std).astype(np.float32), "label": train["label"], "mass": train["x"][:, 0],
            "test_x": ((test["x"] - mean) / std).astype(np.float32), "test_label": test["label"],
            "test_mass": test["x"][:, 0]}


@cached_result(depends=_DEPENDS)
def decorrelation_comparison(
    *, n_events: int = 4000, epochs: int = 8, disco_strength: float = 1.0, adversary_strength: float = 10.0, seed: int = 0
) -> dict[str, np.ndarray]:
    """Four classifiers ``5 -> 32 -> 32 -> 1`` on the decorrelation toy: plain, planed, with an adversary, with DisCo.

    All train on ``n_events`` events for ``epochs`` (Adam, learning rate 0.01, minibatches of
    128; 256 for DisCo, whose penalty is estimated per minibatch). Planing weights the loss with
    :func:`~.planing.planing_weights` of the mass; the adversary (``1 -> 32 -> 2``, a Gaussian
    for the standardised mass) trains with :func:`~.gradient_reversal.train_adversarial_decorrelation`
    (``adversary_strength``); DisCo adds ``disco_strength dCorr^2`` on the background.

    Returns
    -------
    dict
        ``mass, label`` (n_events,) of the test events; ``<method>`` (n_events,) the classifiers'
        signal probabilities on them, for :data:`DECORRELATION_METHODS`.
    """
    toy = standardised_toy(n_events, n_events, seed=seed)
    x, label = toy["x"], toy["label"]
    options = {"epochs": epochs, "batch_size": 128, "seed": seed, "progress": False, "device": "cpu"}

    def classifier() -> torch.nn.Module:
        return mlp(5, [32, 32], 1, seed=seed)

    def adam(model: torch.nn.Module) -> torch.optim.Optimizer:
        return torch.optim.Adam(model.parameters(), lr=1e-2)

    plain, planed, disco = classifier(), classifier(), classifier()
    fit(plain, (x, (label, np.ones(len(x)))), loss=planing.weighted_binary_cross_entropy, optimizer=adam(plain), **options)
    weights = planing.planing_weights(toy["mass"], label)
    fit(planed, (x, (label, weights)), loss=planing.weighted_binary_cross_entropy, optimizer=adam(planed), **options)
    fit(disco, (x, (label, x[:, 0])), loss=distance_correlation.DisCoLoss(disco_strength), optimizer=adam(disco),
        **{**options, "batch_size": 256})
    pair = gradient_reversal.AdversarialDecorrelation(classifier(), mlp(1, [32], 2, seed=seed + 1),
                                                      strength=adversary_strength)
    gradient_reversal.train_adversarial_decorrelation(pair, (x, (label, x[:, 0])), **options)
    models = {"plain": plain, "planing": planed, "adversary": pair.classifier, "disco": disco}
    result = {"mass": toy["test_mass"], "label": toy["test_label"]}
    for name, model in models.items():
        result[name] = torch.sigmoid(torch.from_numpy(predict(model, toy["test_x"], device="cpu")[:, 0])).numpy()
    return result


def jet_images(n: int, pixels: int, *, seed: int) -> dict[str, np.ndarray]:
    """QCD (label 0) and two-prong (label 1) jet images scaled to their hottest pixel, so every pixel lies in [0, 1].

    Returns
    -------
    dict
        ``images`` (n, pixels, pixels) float32 and ``label`` (n,) int64.
    """
    events = jets.simulate(n, seed=seed, classes="0,1", pixels=pixels)
    images = events["images"] / events["images"].max(axis=(1, 2), keepdims=True)
    return {"images": images.astype(np.float32), "label": events["label"]}


@cached_result(depends=_DEPENDS)
def adversarial_attacks(
    *,
    n_train: int = 3000,
    n_test: int = 1000,
    pixels: int = 16,
    epochs: int = 6,
    epsilons: tuple[float, ...] = (0.0, 0.002, 0.005, 0.01, 0.02, 0.03),
    example_epsilon: float = 0.01,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """A fully-connected classifier of jet images (QCD vs two-prong), attacked with FGSM and PGD (Sec. 13.3).

    The network ``pixels^2 -> 64 -> 64 -> 2`` trains on :func:`jet_images` with the
    cross-entropy (Adam, learning rate 0.003, minibatches of 64). The test images are then
    attacked within ``|x' - x|_inf <= epsilon`` and ``0 <= x' <= 1``: FGSM in one step, PGD in 10
    steps from a random start.

    Returns
    -------
    dict
        ``epsilons`` and ``fgsm``, ``pgd`` (len(epsilons),) the test accuracies under attack;
        ``image``, ``adversarial`` (pixels, pixels): among the test images that the network
        classifies right and FGSM at ``example_epsilon`` makes it get wrong, the one it was
        most sure of, and its attacked version; ``example_label`` its class;
        ``clean_probability``, ``adversarial_probability`` (2,) the class probabilities of both.
    """
    train, test = jet_images(n_train, pixels, seed=seed), jet_images(n_test, pixels, seed=seed + 1)
    model = mlp(pixels * pixels, [64, 64], 2, seed=seed)
    flat_train = train["images"].reshape(n_train, -1)
    fit(model, (flat_train, train["label"]), loss=F.cross_entropy, optimizer=torch.optim.Adam(model.parameters(), lr=3e-3),
        epochs=epochs, batch_size=64, seed=seed, progress=False, device="cpu")
    x, label = test["images"].reshape(n_test, -1), test["label"]
    accuracies = {
        name: attacks.accuracy_vs_epsilon(model, x, label, epsilons, attack=attack, accuracy=categorical_accuracy)
        for name, attack in (("fgsm", attacks.fgsm), ("pgd", attacks.pgd))
    }
    probability = torch.softmax(torch.from_numpy(predict(model, x, device="cpu")), dim=1).numpy()
    attacked = attacks.fgsm(model, x, label, example_epsilon)
    with torch.no_grad():
        attacked_probability = torch.softmax(model(attacked), dim=1).numpy()
    # the example: the most confidently right image whose label the attack flips (else the most shaken one)
    flipped = (probability.argmax(axis=1) == label) & (attacked_probability.argmax(axis=1) != label)
    confidence = probability[np.arange(n_test), label]
    example = int(np.argmax(np.where(flipped, confidence, -1.0))) if flipped.any() else int(
        np.argmax(confidence - attacked_probability[np.arange(n_test), label]))
    return {
        "epsilons": np.asarray(epsilons), **accuracies,
        "image": x[example].reshape(pixels, pixels), "adversarial": attacked[example].numpy().reshape(pixels, pixels),
        "example_label": label[example], "clean_probability": probability[example],
        "adversarial_probability": attacked_probability[example],
    }
