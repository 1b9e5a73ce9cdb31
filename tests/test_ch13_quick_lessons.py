"""Chapter 13 in the quick profile: what the page claims, asserted on the cached studies it shows.

Measured with seed 0 (dlpbook.uncertainty.studies): the epistemic width is 0.040 inside the
data and 0.22 beyond |x| = 4 for the ensemble, 0.138 and 0.245 for MC dropout, 0.044 and 0.116 for
the Bayes-by-backprop network (on 2,000 points; 0.038-0.044 and 0.12-0.18 for seeds 0-2), whose
aleatoric width is 1.07 times the true scatter inside the data (1.07-1.11); the background
dCorr^2 of the classifier's probability with the mass is 0.18 plain, 0.07 with the pretrained
adversary and 0.05 with DisCo (0.54 at lambda = 3 and 0.13 at lambda = 10 for an adversary
trained jointly from scratch); the JSD sculpting at 10 % of the background kept is 0.46 plain,
0.22 planed and 0.19 with DisCo; the aleatoric width over the true scatter is 1.06 for the ensemble, 1.68 for
MC dropout; FGSM takes the jet classifier from 0.96 to 0.05 at
epsilon = 0.03, and PGD does at least as well.
"""

import numpy as np
import pytest
import torch

from dlpbook import metrics
from dlpbook.nn import mlp
from dlpbook.train import predict
from dlpbook.uncertainty import distance_correlation_squared, gradient_reversal, studies


def _dcorr(x, y):
    return distance_correlation_squared(torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)).item()


def test_epistemic_band_widens_outside_the_data_and_aleatoric_follows_the_noise():
    bands = studies.regression_bands(seed=0)
    grid = bands["grid"]
    inside = np.abs(grid) < 2.5
    inside &= ~((grid > 0.5) & (grid < 1.75))  # without the gap
    outside = np.abs(grid) > 4
    for method, factor in (("ensemble", 3), ("dropout", 1.5)):
        epistemic = np.sqrt(bands[f"{method}:epistemic"])
        assert epistemic[outside].mean() > factor * epistemic[inside].mean(), method
    aleatoric = np.sqrt(bands["ensemble:aleatoric"])
    near_zero, near_edges = np.abs(grid) < 0.3, (np.abs(grid) > 2.2) & (np.abs(grid) < 2.8)
    # the true noise grows from 0.05 to 0.3 between x = 0 and |x| = 2.5
    assert aleatoric[near_edges].mean() > 2.5 * aleatoric[near_zero].mean()
    assert aleatoric[near_zero].mean() < 0.15
    # inside the data the ensemble's aleatoric width is the true scatter, the dropout noise inflates it
    ratio = {method: np.mean(np.sqrt(bands[f"{method}:aleatoric"][inside]) / bands["noise"][inside])
             for method in ("ensemble", "dropout")}
    assert 0.85 < ratio["ensemble"] < 1.2 < 1.4 < ratio["dropout"]


def test_bayesian_network_with_enough_data_follows_the_noise_and_widens_outside():
    bayes = studies.bayesian_bands(seed=0)
    grid = bayes["grid"]
    inside = (np.abs(grid) < 2.5) & ~((grid > 0.5) & (grid < 1.75))
    epistemic = np.sqrt(bayes["bayes:epistemic"])
    assert epistemic[np.abs(grid) > 4].mean() > 2 * epistemic[inside].mean()
    ratio = np.sqrt(bayes["bayes:aleatoric"][inside]) / bayes["noise"][inside]
    assert 0.8 < ratio.mean() < 1.3
    assert np.sqrt(np.mean((bayes["bayes:mean"] - bayes["truth"])[inside] ** 2)) < 0.06
    # near the right edge the truth lies outside its total band, inside the ensemble's (pulls -1.2
    # to -1.4 and about -0.5 between x = 3.8 and 4.6)
    ensemble = studies.regression_bands(seed=0)
    edge = (grid > 3.7) & (grid < 4.7)
    for result, method in ((bayes, "bayes"), (ensemble, "ensemble")):
        total = np.sqrt(result[f"{method}:aleatoric"] + result[f"{method}:epistemic"])[edge]
        pull = np.abs(result["truth"][edge] - result[f"{method}:mean"][edge]) / total
        assert np.all(pull > 1) if method == "bayes" else np.all(pull < 1)


@pytest.fixture(scope="module")
def comparison():
    return studies.decorrelation_comparison(seed=0)


def test_planing_reduces_sculpting_and_disco_and_the_adversary_decorrelate(comparison):
    background = comparison["label"] == 0
    mass = comparison["mass"][background]
    bins = np.linspace(20, 300, 29)
    jsd = {method: metrics.sculpting(mass, comparison[method][background], 0.1, bins) for method in studies.DECORRELATION_METHODS}
    dcorr = {method: _dcorr(comparison[method][background], mass) for method in studies.DECORRELATION_METHODS}
    assert jsd["planing"] < 0.7 * jsd["plain"]
    assert jsd["disco"] < 0.7 * jsd["plain"]
    assert dcorr["disco"] < 0.5 * dcorr["plain"]
    assert dcorr["adversary"] < 0.5 * dcorr["plain"]
    # DisCo: the smallest distance correlation, and less sculpting than planing at 10 % kept
    assert dcorr["disco"] == min(dcorr.values()) and jsd["disco"] < jsd["planing"]
    for method in studies.DECORRELATION_METHODS:  # decorrelated, the classifiers still separate well
        assert metrics.roc_auc(comparison["label"], comparison[method]) > 0.88, method


@pytest.mark.parametrize("strength", [3.0, 10.0])
def test_an_adversary_trained_jointly_from_scratch_decorrelates_less(comparison, strength):
    # the page's counter-example: no head start, one learning rate (the study's settings otherwise)
    toy = studies.standardised_toy(4000, 4000, seed=0)
    pair = gradient_reversal.AdversarialDecorrelation(mlp(5, [32, 32], 1, seed=0), mlp(1, [32], 2, seed=1),
                                                      strength=strength)
    gradient_reversal.train_adversarial_decorrelation(
        pair, (toy["x"], (toy["label"], toy["x"][:, 0])), epochs=8, learning_rate=0.01, classifier_epochs=0,
        adversary_epochs=0, adversary_speedup=1, seed=0, device="cpu",
    )
    probability = torch.sigmoid(torch.from_numpy(predict(pair.classifier, toy["test_x"], device="cpu")[:, 0])).numpy()
    background = toy["test_label"] == 0
    dcorr = _dcorr(probability[background], toy["test_mass"][background])
    staged = _dcorr(comparison["adversary"][comparison["label"] == 0], comparison["mass"][comparison["label"] == 0])
    plain = _dcorr(comparison["plain"][comparison["label"] == 0], comparison["mass"][comparison["label"] == 0])
    assert dcorr > 1.5 * staged
    if strength == 3.0:  # more correlated than without an adversary
        assert dcorr > plain


def test_attacks_lower_the_accuracy_and_pgd_is_at_least_as_strong_as_fgsm():
    attacked = studies.adversarial_attacks(seed=0)
    fgsm, pgd = attacked["fgsm"], attacked["pgd"]
    assert attacked["epsilons"][0] == 0 and fgsm[0] > 0.9 and fgsm[0] == pgd[0]
    assert np.all(np.diff(fgsm) <= 0.005) and fgsm[-1] < 0.1  # near zero at a budget of 3 %
    assert np.all(pgd <= fgsm + 0.005)
    # the example: right before the attack, wrong after it
    label = int(attacked["example_label"])
    assert attacked["clean_probability"].argmax() == label != attacked["adversarial_probability"].argmax()
    assert np.abs(attacked["adversarial"] - attacked["image"]).max() <= 0.01 + 1e-6


@pytest.mark.parametrize("study", [studies.regression_bands, studies.bayesian_bands])
def test_bands_do_not_depend_on_what_ran_before(study):
    small = {"n_train": 200, "epochs": 2, "passes": 5, "seed": 3}
    first = study.__wrapped__(**small)
    torch.rand(1000)  # moves torch's global generator
    second = study.__wrapped__(**small)
    for key, value in first.items():
        np.testing.assert_array_equal(second[key], value, err_msg=key)
