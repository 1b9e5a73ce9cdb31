"""dlpbook.uncertainty (Ch. 13.1): Monte-Carlo dropout and Bayes by backprop, the predictions
drawn from a distribution of networks."""

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from dlpbook import uncertainty
from dlpbook.nn import mlp
from dlpbook.train import fit, predict
from dlpbook.validation import ParameterError

X = np.random.default_rng(0).normal(size=(40, 3)).astype(np.float32)


def test_mc_dropout_spreads_only_with_dropout():
    with_dropout = mlp(3, [64, 64], 1, dropout=0.5, seed=0)
    samples = uncertainty.mc_dropout_samples(with_dropout, X, samples=30, seed=1, batch_size=16)
    assert samples.shape == (30, 40, 1)
    assert samples.std(axis=0).min() > 0
    without = mlp(3, [64, 64], 1, seed=0)
    plain = uncertainty.mc_dropout_samples(without, X, samples=5)
    assert np.all(plain == plain[0])  # every pass the same
    np.testing.assert_allclose(plain[0], predict(without, X), rtol=1e-6)
    # the passes combine like ensemble members: point predictions have no aleatoric part
    combined = uncertainty.combine_members(samples)
    assert combined.epistemic.min() > 0 and np.all(combined.aleatoric == 0)


def test_mc_dropout_is_seeded_and_leaves_modes_and_random_state_alone():
    model = nn.Sequential(nn.Linear(3, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1))
    model.train()
    model(torch.as_tensor(X))  # running statistics that differ from the batch statistics of other inputs
    statistics = model[1].running_mean.clone()
    state = torch.random.get_rng_state()
    first = uncertainty.mc_dropout_samples(model, X[:7], samples=4, seed=5)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert np.array_equal(first, uncertainty.mc_dropout_samples(model, X[:7], samples=4, seed=5))
    assert not np.array_equal(first, uncertainty.mc_dropout_samples(model, X[:7], samples=4, seed=6))
    assert torch.equal(model[1].running_mean, statistics)  # batch normalisation ran in evaluation mode
    assert all(module.training for module in model.modules())
    # inverted dropout is unbiased: many passes average to the deterministic output
    model.eval()
    many = uncertainty.mc_dropout_samples(model, X[:7], samples=4000, seed=0)
    assert not model[3].training
    np.testing.assert_allclose(many.mean(axis=0), predict(model, X[:7]), atol=4 * many.std(axis=0).max() / np.sqrt(4000))
    with pytest.raises(ParameterError, match="samples"):
        uncertainty.mc_dropout_samples(model, X, samples=0)


def _layer_with_posterior(seed=0):
    g = torch.Generator().manual_seed(seed)
    layer = uncertainty.BayesianLinear(3, 2, prior_sigma=0.7)
    with torch.no_grad():
        for parameter in (layer.weight_mu, layer.bias_mu):
            parameter.copy_(torch.randn(parameter.shape, generator=g))
        for parameter in (layer.weight_rho, layer.bias_rho):
            parameter.copy_(torch.randn(parameter.shape, generator=g) - 1)
    return layer


def test_bayesian_linear_kl_is_the_closed_form():
    layer = _layer_with_posterior()
    prior = torch.distributions.Normal(0.0, 0.7)
    expected = sum(
        torch.distributions.kl_divergence(torch.distributions.Normal(mu, F.softplus(rho)), prior).sum()
        for mu, rho in [(layer.weight_mu, layer.weight_rho), (layer.bias_mu, layer.bias_rho)]
    )
    torch.testing.assert_close(layer.kl_divergence(), expected)
    # at the prior itself the divergence vanishes
    at_prior = uncertainty.BayesianLinear(3, 2, prior_sigma=0.7, initial_sigma=0.7)
    with torch.no_grad():
        at_prior.weight_mu.zero_()
        at_prior.bias_mu.zero_()
    torch.testing.assert_close(at_prior.kl_divergence(), torch.tensor(0.0), atol=1e-6, rtol=0)
    model = nn.Sequential(layer, nn.ReLU(), at_prior)
    torch.testing.assert_close(uncertainty.kl_divergence(model), expected + at_prior.kl_divergence())
    torch.testing.assert_close(uncertainty.kl_regularizer(50)(model), uncertainty.kl_divergence(model) / 50)
    with pytest.raises(ValueError, match="no BayesianLinear"):
        uncertainty.kl_divergence(nn.Linear(2, 2))


def test_bayesian_linear_samples_the_posterior_with_the_reparameterisation():
    layer = _layer_with_posterior(seed=1)
    torch.manual_seed(0)
    draws = [torch.cat([w.flatten(), b]) for w, b in (layer.sample_parameters() for _ in range(5000))]
    draws = torch.stack(draws).detach()
    mu = torch.cat([layer.weight_mu.flatten(), layer.bias_mu]).detach()
    sigma = F.softplus(torch.cat([layer.weight_rho.flatten(), layer.bias_rho])).detach()
    assert torch.all((draws.mean(0) - mu).abs() < 4 * sigma / 5000**0.5)
    torch.testing.assert_close(draws.std(0), sigma, rtol=0.05, atol=0)
    # forward uses one fresh draw per pass, in evaluation mode too, and the gradient reaches mu and rho
    x = torch.as_tensor(X)
    torch.manual_seed(3)
    weight, bias = layer.sample_parameters()
    torch.manual_seed(3)
    torch.testing.assert_close(layer.eval()(x), F.linear(x, weight, bias))
    assert not torch.equal(layer(x), layer(x))
    layer(x).sum().backward()
    assert layer.weight_rho.grad.abs().min() > 0 and layer.weight_mu.grad.abs().min() > 0


def test_bayes_by_backprop_learns_the_posterior_of_a_linear_regression():
    rng = np.random.default_rng(0)
    n, noise = 200, 0.5
    x = rng.uniform(-1, 1, size=(n, 1))
    x -= x.mean()  # centred: slope and intercept are independent, so the mean-field posterior is exact
    y = 2 * x[:, 0] + 1 + noise * rng.normal(size=n)
    model = uncertainty.bayesian_mlp(1, [], 1, prior_sigma=10.0, seed=0)
    history = fit(model, (x, y[:, None]), loss=lambda out, target: F.mse_loss(out, target) / (2 * noise**2),
                  optimizer=torch.optim.Adam(model.parameters(), lr=0.02), epochs=60, batch_size=20,
                  regularizer=uncertainty.kl_regularizer(n), device="cpu")
    assert history["loss"][-1] < 0.2 * history["loss"][0]
    layer = model[0]
    design = np.c_[x, np.ones(n)]
    least_squares = np.linalg.lstsq(design, y, rcond=None)[0]
    # exact posterior widths: noise / sqrt(sum x^2 + noise^2 / prior^2) for the slope, likewise with n for the intercept
    exact = [noise / np.sqrt((x**2).sum() + noise**2 / 100), noise / np.sqrt(n + noise**2 / 100)]
    learned = [F.softplus(layer.weight_rho).item(), F.softplus(layer.bias_rho).item()]
    np.testing.assert_allclose([layer.weight_mu.item(), layer.bias_mu.item()], least_squares, atol=0.05)
    np.testing.assert_allclose(learned, exact, rtol=0.25)  # measured: 0.060 and 0.0355 for 0.0587 and 0.0354
    samples = uncertainty.mc_dropout_samples(model, np.array([[0.0]]), samples=2000)
    np.testing.assert_allclose(samples.std(), learned[1], rtol=0.1)  # at x = 0 only the intercept varies


def test_bayesian_layers_refuse_bad_arguments():
    with pytest.raises(ParameterError, match="prior_sigma"):
        uncertainty.BayesianLinear(2, 2, prior_sigma=0)
    with pytest.raises(ParameterError, match="initial_sigma"):
        uncertainty.BayesianLinear(2, 2, initial_sigma=-1.0)
    with pytest.raises(ParameterError, match="out_features"):
        uncertainty.BayesianLinear(2, 0)
    with pytest.raises(ParameterError, match="n_train"):
        uncertainty.kl_regularizer(0)
    with pytest.raises(ParameterError, match="hidden"):
        uncertainty.bayesian_mlp(2, [0], 1)
    network = uncertainty.bayesian_mlp(2, [8, 4], 2, seed=3)
    assert [type(m).__name__ for m in network] == ["BayesianLinear", "ReLU", "BayesianLinear", "ReLU", "BayesianLinear"]
    assert torch.equal(network[0].weight_mu, uncertainty.bayesian_mlp(2, [8, 4], 2, seed=3)[0].weight_mu)
