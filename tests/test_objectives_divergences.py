"""dlpbook.objectives.divergences and likelihood_ratio: KL closed forms against Monte Carlo
(Eqs. 14.11, 14.12) and the classifier ratio D/(1-D) against the analytic ratio of two Gaussians."""

import math

import numpy as np
import pytest
import torch
from scipy import stats

from dlpbook.objectives import divergences, likelihood_ratio
from dlpbook.validation import ParameterError


def test_the_discrete_divergence_is_the_expectation_of_the_log_ratio():
    p, q = np.array([0.5, 0.3, 0.2, 0.0]), np.array([0.25, 0.25, 0.25, 0.25])
    draws = np.random.default_rng(0).choice(4, size=200_000, p=p)
    monte_carlo = np.mean(np.log(p[draws] / q[draws]))
    value = float(divergences.kl_divergence(p, q))
    assert value == pytest.approx(np.sum(p[:3] * np.log(p[:3] / q[:3])), rel=1e-12)
    assert value == pytest.approx(monte_carlo, abs=3e-3)
    assert float(divergences.kl_divergence(q, q)) == 0.0
    assert float(divergences.kl_divergence(q, p)) == math.inf  # not symmetric, and q has mass where p has none


def test_the_gaussian_divergence_equals_monte_carlo_and_is_asymmetric():
    x = np.random.default_rng(1).normal(0.3, 1.2, 400_000)
    monte_carlo = np.mean(stats.norm.logpdf(x, 0.3, 1.2) - stats.norm.logpdf(x, -0.5, 0.7))
    value = float(divergences.gaussian_kl_divergence(0.3, 1.2, -0.5, 0.7))
    assert value == pytest.approx(monte_carlo, rel=1e-2)
    assert value != pytest.approx(float(divergences.gaussian_kl_divergence(-0.5, 0.7, 0.3, 1.2)), rel=0.1)
    assert float(divergences.gaussian_kl_divergence(1.0, 2.0, 1.0, 2.0)) == 0.0


def test_the_classifier_ratio_approximates_the_analytic_likelihood_ratio():
    rng = np.random.default_rng(2)
    samples_p, samples_q = rng.normal(0.0, 1.0, 4000), rng.normal(0.5, 1.5, 2000)
    classifier, history = likelihood_ratio.train_ratio_classifier(samples_p, samples_q, hidden=(16,), epochs=20,
                                                                        batch_size=128, learning_rate=2e-2)
    assert history["loss"][-1] < history["loss"][0]
    x = np.linspace(-1.5, 1.5, 31)  # where both samples are dense
    estimated = likelihood_ratio.likelihood_ratio(classifier, x)
    analytic = stats.norm.pdf(x, 0.0, 1.0) / stats.norm.pdf(x, 0.5, 1.5)
    np.testing.assert_allclose(np.log(estimated), np.log(analytic), atol=0.25)


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="p"):
        divergences.kl_divergence([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ParameterError, match="q"):
        divergences.kl_divergence([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(ParameterError, match="std_q"):
        divergences.gaussian_kl_divergence(0, 1, 0, torch.tensor([1.0, 0.0]))
    with pytest.raises(ParameterError, match="samples_q"):
        likelihood_ratio.train_ratio_classifier(np.zeros((5, 2)), np.zeros((5, 3)))
    with pytest.raises(ParameterError, match="samples_p"):
        likelihood_ratio.train_ratio_classifier([np.nan], [0.0])
