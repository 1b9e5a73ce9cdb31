"""dlpbook.uncertainty (Ch. 13.2, Ex. 13.1): planing weights, the gradient-reversal adversary and
distance correlation (DisCo), each checked on its definition, and planing and DisCo on the
decorrelation toy, where both reduce the background sculpting of a plain classifier."""

import itertools

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from dlpbook import uncertainty
from dlpbook.data import decorrelation
from dlpbook.nn import mlp
from dlpbook.train import fit, predict
from dlpbook.validation import ParameterError


def _distance_correlation_by_loops(x, y):
    """dCorr^2 of paired samples straight from the definition (Szekely and Rizzo), O(n^2) loops."""
    x, y = np.asarray(x, float).reshape(len(x), -1), np.asarray(y, float).reshape(len(y), -1)
    n = len(x)

    def centred(z):
        a = [[np.sqrt(((z[i] - z[j]) ** 2).sum()) for j in range(n)] for i in range(n)]
        row = [sum(a[i]) / n for i in range(n)]
        column = [sum(a[i][j] for i in range(n)) / n for j in range(n)]
        grand = sum(row) / n
        return [[a[i][j] - row[i] - column[j] + grand for j in range(n)] for i in range(n)]

    def covariance(a, b):
        return sum(a[i][j] * b[i][j] for i in range(n) for j in range(n)) / n**2

    a, b = centred(x), centred(y)
    return covariance(a, b) / np.sqrt(covariance(a, a) * covariance(b, b))


def _dcorr(x, y):
    return uncertainty.distance_correlation_squared(torch.as_tensor(x, dtype=torch.float64),
                                                    torch.as_tensor(y, dtype=torch.float64)).item()


def test_distance_correlation_matches_the_definition():
    rng = np.random.default_rng(0)
    x = rng.normal(size=25)
    y = x**2 + 0.3 * rng.normal(size=25)
    assert _dcorr(x, y) == pytest.approx(_distance_correlation_by_loops(x, y), rel=1e-10)
    points = rng.normal(size=(25, 2))
    assert _dcorr(points, y) == pytest.approx(_distance_correlation_by_loops(points, y), rel=1e-10)


def test_distance_correlation_is_zero_for_independence_and_one_for_linear_relations():
    # a sample whose joint distribution is exactly the product of its marginals: every pair (a, b)
    a, b = np.array([0.0, 1.0, 3.0, 7.0]), np.array([-2.0, 0.5, 4.0])
    grid = np.array(list(itertools.product(a, b)))
    assert _dcorr(grid[:, 0], grid[:, 1]) == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(1)
    x = rng.normal(size=1000)
    assert 0 < _dcorr(x, rng.uniform(size=1000)) < 0.01  # the biased estimator: O(1/n) above 0; measured 0.0017
    assert _dcorr(x, -3 * x + 2) == pytest.approx(1.0, abs=1e-12)
    rotation = np.array([[np.cos(0.4), -np.sin(0.4)], [np.sin(0.4), np.cos(0.4)]])
    points = rng.normal(size=(300, 2))
    assert _dcorr(points, 2.5 * points @ rotation + 1) == pytest.approx(1.0, abs=1e-12)
    # a dependence without correlation: Pearson r is about 0, the distance correlation is not
    assert abs(np.corrcoef(x, x**2)[0, 1]) < 0.1 and _dcorr(x, x**2) > 0.1
    assert _dcorr(x, np.ones(1000)) == 0.0
    with pytest.raises(ValueError, match="same number of samples"):
        uncertainty.distance_correlation_squared(torch.zeros(5), torch.zeros(6))


def test_distance_correlation_is_differentiable():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(12, generator=g, dtype=torch.float64, requires_grad=True)
    y = torch.randn(12, 2, generator=g, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(uncertainty.distance_correlation_squared, (x, y))
    # ties (equal values, as for saturated outputs) keep the gradient finite
    tied = torch.tensor([0.0, 0.0, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    uncertainty.distance_correlation_squared(tied, torch.tensor([1.0, 2.0, 0.0, 5.0])).backward()
    assert torch.isfinite(tied.grad).all()


def test_disco_loss_adds_the_background_distance_correlation():
    g = torch.Generator().manual_seed(0)
    logits, protected = torch.randn(20, 1, generator=g), torch.randn(20, generator=g)
    labels = torch.arange(20) % 2
    background = labels == 0
    penalty = uncertainty.distance_correlation_squared(torch.sigmoid(logits[background, 0]), protected[background])
    expected = F.binary_cross_entropy_with_logits(logits[:, 0], labels.float()) + 3.0 * penalty
    torch.testing.assert_close(uncertainty.DisCoLoss(3.0)(logits, (labels, protected)), expected)
    everyone = uncertainty.DisCoLoss(3.0, background_only=False)(logits, (labels, protected))
    torch.testing.assert_close(everyone, F.binary_cross_entropy_with_logits(logits[:, 0], labels.float())
                               + 3.0 * uncertainty.distance_correlation_squared(torch.sigmoid(logits[:, 0]), protected))
    # without two background samples in the minibatch there is no penalty
    signal = torch.ones(20, dtype=torch.long)
    torch.testing.assert_close(uncertainty.DisCoLoss(3.0)(logits, (signal, protected)),
                               F.binary_cross_entropy_with_logits(logits[:, 0], signal.float()))
    with pytest.raises(ParameterError, match="strength"):
        uncertainty.DisCoLoss(-1.0)


def test_planing_weights_flatten_the_histogram_of_each_class():
    events = decorrelation.simulate(20_000, seed=0)
    mass, label = events["x"][:, 0], events["label"]
    weights = uncertainty.planing_weights(mass, label, bins=40)
    edges = np.linspace(mass.min(), mass.max(), 41)
    for value in (0, 1):
        members = label == value
        plain, _ = np.histogram(mass[members], edges)
        planed, _ = np.histogram(mass[members], edges, weights=weights[members])
        filled = plain > 0
        assert plain[filled].max() > 20 * plain[filled].min()  # steep before
        np.testing.assert_allclose(planed[filled], planed[filled][0], rtol=1e-9)  # flat after
        assert weights[members].mean() == pytest.approx(1.0)  # each class keeps its weight
    with pytest.raises(ParameterError, match="bins"):
        uncertainty.planing_weights(mass, label, bins=0)
    with pytest.raises(ValueError, match="shape"):
        uncertainty.planing_weights(mass, label[:10])
    with pytest.raises(ValueError, match="finite"):
        uncertainty.planing_weights(np.array([1.0, np.nan]), np.array([0, 1]))


def test_weighted_binary_cross_entropy_weights_each_sample():
    g = torch.Generator().manual_seed(0)
    logits, labels = torch.randn(10, 1, generator=g), torch.arange(10) % 2
    weights = torch.rand(10, generator=g) * 3
    per_sample = F.binary_cross_entropy_with_logits(logits[:, 0], labels.float(), reduction="none")
    torch.testing.assert_close(uncertainty.weighted_binary_cross_entropy(logits, (labels, weights)), (weights * per_sample).mean())
    torch.testing.assert_close(uncertainty.weighted_binary_cross_entropy(logits, (labels, torch.ones(10))), per_sample.mean())
    with pytest.raises(ValueError, match="weights has 9 values"):
        uncertainty.weighted_binary_cross_entropy(logits, (labels, weights[:9]))


def test_gradient_reversal_flips_and_scales_the_gradient():
    x = torch.randn(4, 3, requires_grad=True)
    upstream = torch.randn(4, 3)
    reversed_x = uncertainty.reverse_gradient(x, 0.3)
    assert torch.equal(reversed_x, x)
    (reversed_x * upstream).sum().backward()
    torch.testing.assert_close(x.grad, -0.3 * upstream)
    x.grad = None
    layer = uncertainty.GradientReversal(2.0)
    (layer(x) * upstream).sum().backward()
    torch.testing.assert_close(x.grad, -2.0 * upstream)
    with pytest.raises(ParameterError, match="strength"):
        uncertainty.GradientReversal(-1.0)


def test_the_adversary_minimises_its_loss_while_the_classifier_maximises_it():
    g = torch.Generator().manual_seed(0)
    x, protected, labels = torch.randn(16, 5, generator=g), torch.randn(16, generator=g), torch.arange(16) % 2
    model = uncertainty.AdversarialDecorrelation(mlp(5, [8], 1, seed=0), mlp(1, [8], 2, seed=1), strength=0.7)
    loss = uncertainty.AdversarialDecorrelationLoss()
    loss(model(x), (labels, protected)).backward()
    got = {name: p.grad.clone() for name, p in model.named_parameters()}
    # the same pieces without the reversal layer: L_clf and L_adv (on background) separately
    logits = model.classifier(x)
    background = labels == 0
    classifier_loss = F.binary_cross_entropy_with_logits(logits[:, 0], labels.float())
    adversary_loss = uncertainty.heteroscedastic_nll(model.adversary(torch.sigmoid(logits))[background], protected[background])
    classifier_parameters = list(model.classifier.parameters())
    d_clf = torch.autograd.grad(classifier_loss, classifier_parameters, retain_graph=True)
    d_adv = torch.autograd.grad(adversary_loss, classifier_parameters + list(model.adversary.parameters()))
    for p, gc, ga in zip(classifier_parameters, d_clf, d_adv):
        name = next(n for n, q in model.named_parameters() if q is p)
        torch.testing.assert_close(got[name], gc - 0.7 * ga)  # L_clf - lambda L_adv
    for p, ga in zip(model.adversary.parameters(), d_adv[len(classifier_parameters):]):
        name = next(n for n, q in model.named_parameters() if q is p)
        torch.testing.assert_close(got[name], ga)  # L_adv
    # the adversary sees background only: the signal's protected values do not matter
    changed = torch.where(background, protected, protected + 5)
    torch.testing.assert_close(loss(model(x), (labels, changed)), loss(model(x), (labels, protected)))
    everyone = uncertainty.AdversarialDecorrelationLoss(background_only=False)
    assert not torch.isclose(everyone(model(x), (labels, changed)), everyone(model(x), (labels, protected)))
    signal = torch.ones(16, dtype=torch.long)
    torch.testing.assert_close(loss(model(x), (signal, protected)),
                               F.binary_cross_entropy_with_logits(model.classifier(x)[:, 0], signal.float()))


@pytest.fixture(scope="module")
def toy():
    """Standardised training and test events of the decorrelation toy, and a classifier trained without decorrelation."""
    train, test = decorrelation.simulate(4000, seed=0), decorrelation.simulate(4000, seed=1)
    mean, std = train["x"].mean(axis=0), train["x"].std(axis=0)
    toy = {"x": ((train["x"] - mean) / std).astype(np.float32), "label": train["label"], "mass": train["x"][:, 0],
           "test_x": ((test["x"] - mean) / std).astype(np.float32), "test_label": test["label"], "test_mass": test["x"][:, 0]}
    toy["plain"] = _train(toy, (toy["label"], np.ones(4000)), uncertainty.weighted_binary_cross_entropy)
    return toy


def _train(toy, targets, loss, batch_size=128):
    classifier = mlp(5, [32, 32], 1, seed=0)
    fit(classifier, (toy["x"], targets), loss=loss, optimizer=torch.optim.Adam(classifier.parameters(), lr=0.01),
        epochs=8, batch_size=batch_size, device="cpu")
    return classifier


def _background_after_cut(toy, classifier):
    """Background test scores and masses, and the masses of the 30 % most signal-like background events."""
    background = toy["test_label"] == 0
    scores = predict(classifier, toy["test_x"][background])[:, 0]
    mass = toy["test_mass"][background]
    return scores, mass, mass[scores > np.quantile(scores, 0.7)]


def _accuracy(toy, classifier):
    return ((predict(classifier, toy["test_x"])[:, 0] > 0) == toy["test_label"]).mean()


def test_planing_reduces_the_sculpting_of_the_background_mass(toy):
    planed = _train(toy, (toy["label"], uncertainty.planing_weights(toy["mass"], toy["label"], bins=40)),
                    uncertainty.weighted_binary_cross_entropy)
    _, mass, plain_selected = _background_after_cut(toy, toy["plain"])
    _, _, planed_selected = _background_after_cut(toy, planed)
    # measured: the selected background's mean mass moves by +6.9 GeV without planing, -0.8 GeV with it
    assert plain_selected.mean() - mass.mean() > 5
    assert abs(planed_selected.mean() - mass.mean()) < 0.5 * (plain_selected.mean() - mass.mean())
    assert _accuracy(toy, planed) > 0.75  # measured: 0.83 (0.90 without planing)


def test_disco_decorrelates_the_background_output_from_the_mass(toy):
    disco = _train(toy, (toy["label"], toy["x"][:, 0]), uncertainty.DisCoLoss(1.0), batch_size=256)
    plain_scores, mass, _ = _background_after_cut(toy, toy["plain"])
    disco_scores, _, _ = _background_after_cut(toy, disco)
    # measured: dCorr^2 0.055 with DisCo (lambda = 1), 0.32 without; accuracy 0.84 and 0.90
    assert _dcorr(disco_scores, mass) < 0.5 * _dcorr(plain_scores, mass)
    assert _accuracy(toy, disco) > 0.78


def test_the_pretrained_adversary_decorrelates_the_background_output_from_the_mass(toy):
    pair = uncertainty.AdversarialDecorrelation(mlp(5, [32, 32], 1, seed=0), mlp(1, [32], 2, seed=1), strength=10.0)
    history = uncertainty.train_adversarial_decorrelation(pair, (toy["x"], (toy["label"], toy["x"][:, 0])), epochs=8,
                                                          device="cpu")
    assert len(history["loss"]) == 8  # the history of the joint phase
    plain_scores, mass, _ = _background_after_cut(toy, toy["plain"])
    adversary_scores, _, _ = _background_after_cut(toy, pair.classifier)
    plain, adversarial = _dcorr(torch.sigmoid(torch.from_numpy(plain_scores)), mass), _dcorr(
        torch.sigmoid(torch.from_numpy(adversary_scores)), mass)
    # measured: 0.073 against 0.18 without an adversary (on the probabilities); accuracy 0.83 and 0.90
    assert adversarial < 0.5 * plain
    assert _accuracy(toy, pair.classifier) > 0.78
    assert pair.reversal.strength == 10.0  # restored after the adversary's pretraining
    with pytest.raises(ParameterError, match="adversary_speedup"):
        uncertainty.train_adversarial_decorrelation(pair, (toy["x"], (toy["label"], toy["x"][:, 0])), epochs=1,
                                                    adversary_speedup=0)
