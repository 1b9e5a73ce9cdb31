"""dlpbook.uncertainty (Ch. 13.1): the heteroscedastic Gaussian likelihood, the combination of
ensemble members into aleatoric and epistemic variances, deep ensembles trained with fit, and
the bootstrap."""

import math

import numpy as np
import pytest
import scipy.stats
import torch
from torch import nn

from dlpbook import uncertainty
from dlpbook.nn import mlp
from dlpbook.validation import ParameterError


def test_gaussian_nll_is_the_negative_log_density():
    g = torch.Generator().manual_seed(0)
    mean, log_variance, target = torch.randn(50, 2, generator=g, dtype=torch.float64).unbind(1) + (torch.randn(50, generator=g),)
    nll = uncertainty.gaussian_nll(mean, log_variance, target, full=True)
    expected = -scipy.stats.norm.logpdf(target.numpy(), mean.numpy(), np.exp(0.5 * log_variance.numpy()))
    np.testing.assert_allclose(nll.numpy(), expected, rtol=1e-12)
    # without the constant: 0.5 (log sigma^2 + (y - mu)^2 / sigma^2)
    by_hand = 0.5 * (log_variance + (target - mean) ** 2 / torch.exp(log_variance))
    torch.testing.assert_close(uncertainty.gaussian_nll(mean, log_variance, target), by_hand)


@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_matches_torch_given_the_variance(full):
    g = torch.Generator().manual_seed(1)
    mean, target = torch.randn(40, 3, generator=g), torch.randn(40, 3, generator=g)
    log_variance = torch.randn(40, 3, generator=g)
    # torch's convention: it takes the variance, not its log, and 'mean' averages over all elements
    reference = nn.GaussianNLLLoss(full=full)(mean, target, torch.exp(log_variance))
    torch.testing.assert_close(uncertainty.gaussian_nll(mean, log_variance, target, full=full).mean(), reference)
    # ... and it clamps the variance at eps = 1e-6, where ours follows the log-variance down
    tiny = torch.full((40, 3), -20.0)
    clamped = nn.GaussianNLLLoss(full=full, reduction="none")(mean, target, torch.exp(tiny))
    ours = uncertainty.gaussian_nll(mean, tiny, target, full=full)
    assert torch.all(ours > clamped)


def test_heteroscedastic_nll_reads_means_then_log_variances_and_is_minimal_at_the_sample_moments():
    g = torch.Generator().manual_seed(2)
    outputs, targets = torch.randn(30, 2, generator=g), torch.randn(30, generator=g)
    expected = uncertainty.gaussian_nll(outputs[:, :1], outputs[:, 1:], targets[:, None]).mean()
    torch.testing.assert_close(uncertainty.heteroscedastic_nll(outputs, targets), expected)
    # one Gaussian for all samples: the gradient vanishes at the sample mean and (1/n) variance
    y = torch.randn(200, generator=g, dtype=torch.float64) * 3 + 1
    best = torch.tensor([y.mean(), torch.log(y.var(unbiased=False))], dtype=torch.float64, requires_grad=True)
    uncertainty.heteroscedastic_nll(best.expand(200, 2), y).backward()
    torch.testing.assert_close(best.grad, torch.zeros(2, dtype=torch.float64), atol=1e-12, rtol=0)
    with pytest.raises(ValueError, match="even number"):
        uncertainty.heteroscedastic_nll(torch.zeros(5, 3), torch.zeros(5))
    with pytest.raises(ValueError, match="target has 10 values"):
        uncertainty.heteroscedastic_nll(torch.zeros(5, 2), torch.zeros(10))


def test_combined_members_give_the_mixture_variance():
    means = np.array([[0.0, 1.0, -2.0], [0.5, 3.0, -2.0], [-1.0, 2.0, -2.0], [2.0, 0.0, -2.0]])  # 4 members, 3 inputs
    variances = np.array([[0.1, 1.0, 0.5], [0.2, 0.5, 0.5], [0.3, 2.0, 0.5], [0.4, 0.5, 0.5]])
    combined = uncertainty.combine_members(means, variances)
    np.testing.assert_allclose(combined.mean, [0.375, 1.5, -2.0])
    np.testing.assert_allclose(combined.aleatoric, [0.25, 1.0, 0.5])
    np.testing.assert_allclose(combined.epistemic, [1.171875, 1.25, 0.0])  # 1/M sum (mu_k - mu)^2
    np.testing.assert_allclose(combined.total, combined.aleatoric + combined.epistemic)
    # the total is the variance of the equally weighted mixture of the members' Gaussians
    rng = np.random.default_rng(0)
    member = rng.integers(0, 4, size=400_000)
    draws = rng.normal(means[member], np.sqrt(variances[member]))
    np.testing.assert_allclose(draws.mean(axis=0), combined.mean, atol=0.01)
    np.testing.assert_allclose(draws.var(axis=0), combined.total, rtol=0.01)
    # heteroscedastic outputs (mu, log sigma^2) per member, and point predictions
    outputs = np.stack([means, np.log(variances)], axis=-1).reshape(4, 3, 2)
    from_outputs = uncertainty.combine_gaussian_outputs(outputs)
    np.testing.assert_allclose(from_outputs.total[:, 0], combined.total)
    assert np.all(uncertainty.combine_members(means).aleatoric == 0)


def test_combine_members_refuses_inconsistent_arrays():
    with pytest.raises(ValueError, match="shape"):
        uncertainty.combine_members(np.zeros((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=">= 0"):
        uncertainty.combine_members(np.zeros((3, 2)), -np.ones((3, 2)))
    with pytest.raises(ValueError, match="first axis"):
        uncertainty.combine_members(1.0)


def test_a_heteroscedastic_ensemble_separates_noise_from_ignorance():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(256, 1))
    noise = 0.02 + 0.3 * np.abs(x[:, 0])  # aleatoric: grows with |x|
    y = np.sin(2 * x[:, 0]) + noise * rng.normal(size=256)
    models, histories = uncertainty.train_ensemble(lambda seed: mlp(1, [32, 32], 2, seed=seed), (x, y), epochs=15, members=5,
                                                   learning_rate=0.01, batch_size=32, seed=0, device="cpu")
    assert len(models) == 5 and all(h["loss"][-1] < h["loss"][0] for h in histories)
    inside = np.linspace(-0.8, 0.8, 17)[:, None]
    outside = np.concatenate([np.linspace(-3, -2, 6), np.linspace(2, 3, 6)])[:, None]
    outputs = uncertainty.member_outputs(models, inside)
    assert outputs.shape == (5, 17, 2) and not np.allclose(outputs[0], outputs[1])  # the members differ
    epistemic_inside = uncertainty.combine_gaussian_outputs(outputs).epistemic.mean()
    epistemic_outside = uncertainty.combine_gaussian_outputs(uncertainty.member_outputs(models, outside)).epistemic.mean()
    aleatoric = uncertainty.combine_gaussian_outputs(uncertainty.member_outputs(models, np.array([[0.0], [-0.9], [0.9]]))).aleatoric
    # measured (seeds 0-3): epistemic sigma 0.04-0.08 inside, 0.27-0.38 outside; aleatoric sigma 0.14-0.16 at
    # x = 0 and 0.24-0.30 at |x| = 0.9 (true 0.02 and 0.29)
    assert epistemic_outside > 9 * epistemic_inside  # seed 0: 11
    assert aleatoric[1:].min() > 1.5 * aleatoric[0]  # seed 0: 2.1 (variances)
    with pytest.raises(ParameterError, match="members"):
        uncertainty.train_ensemble(lambda seed: mlp(1, [], 2, seed=seed), (x, y), epochs=1, members=0)
    with pytest.raises(ParameterError, match="learning_rate"):
        uncertainty.train_ensemble(lambda seed: mlp(1, [], 2, seed=seed), (x, y), epochs=1, learning_rate=0)


def test_bootstrap_spread_of_the_mean_is_the_standard_error():
    x = np.random.default_rng(1).normal(3.0, 2.0, size=400)
    means = uncertainty.bootstrap(np.mean, x, resamples=2000, seed=0)
    assert means.shape == (2000,)
    np.testing.assert_allclose(means.std(), x.std() / math.sqrt(400), rtol=0.05)  # measured: 0.4 % off
    np.testing.assert_allclose(means.std(), 2.0 / math.sqrt(400), rtol=0.1)
    assert abs(means.mean() - x.mean()) < 0.01
    # pairs are resampled together; the same seed repeats the resamples, another one does not
    pairs = uncertainty.bootstrap(lambda d: np.corrcoef(d[0], d[1])[0, 1], (x, 2 * x + 1), resamples=20)
    np.testing.assert_allclose(pairs, 1.0)
    assert np.array_equal(uncertainty.bootstrap(np.mean, x, resamples=5, seed=3), uncertainty.bootstrap(np.mean, x, resamples=5, seed=3))
    assert not np.array_equal(uncertainty.bootstrap(np.mean, x, resamples=5, seed=3), uncertainty.bootstrap(np.mean, x, resamples=5, seed=4))
    indices = uncertainty.bootstrap_indices(10, 3, seed=0)
    assert indices.shape == (3, 10) and indices.min() >= 0 and indices.max() <= 9
    with pytest.raises(ParameterError, match="resamples"):
        uncertainty.bootstrap(np.mean, x, resamples=0)
    with pytest.raises(ParameterError, match="seed"):
        uncertainty.bootstrap_indices(10, 3, seed=-1)


def test_an_ensemble_on_bootstrap_resamples_spreads_like_the_standard_error():
    y = np.random.default_rng(2).normal(5.0, 2.0, size=100)
    ones = np.ones((100, 1))

    def spread(resample, members):
        models, _ = uncertainty.train_ensemble(lambda seed: nn.Linear(1, 1), (ones, y[:, None]), loss=nn.functional.mse_loss,
                                               epochs=15, members=members, learning_rate=0.05, batch_size=10, resample=resample,
                                               device="cpu")
        return uncertainty.member_outputs(models, ones[:1])[:, 0, 0].std()

    # a constant fitted by least squares is the mean: on resamples its members spread by s / sqrt(n) = 0.19
    assert spread(resample=False, members=3) < 0.03  # measured: 0.01 (Adam's last steps)
    np.testing.assert_allclose(spread(resample=True, members=10), y.std() / 10, rtol=0.35)  # measured: 0.15
