"""dlpbook.objectives.fitting: chi-square, Gaussian and Poisson fits by gradient descent against
the analytic least-squares and maximum-likelihood solutions, with the Hessian covariance."""

import numpy as np
import pytest
import torch

from dlpbook.objectives import fitting
from dlpbook.validation import ParameterError


def line(x, theta):
    return theta[0] + theta[1] * x


def data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 5, 20)
    sigma = rng.uniform(0.2, 1.0, x.size)
    return x, 1.5 - 0.7 * x + rng.normal(0, sigma), sigma


def weighted_least_squares(x, y, sigma):
    design = np.stack([np.ones_like(x), x], 1)
    covariance = np.linalg.inv(design.T @ (design / sigma[:, None] ** 2))
    return covariance @ design.T @ (y / sigma**2), covariance


@pytest.mark.parametrize("objective", ["chi2", "gaussian"])
def test_chi_square_and_gaussian_fits_equal_the_analytic_least_squares_solution(objective):
    x, y, sigma = data()
    parameters, covariance = weighted_least_squares(x, y, sigma)
    result = fitting.fit_parameters(line, x, y, [0.0, 0.0], objective=objective, sigma=sigma)
    np.testing.assert_allclose(result.parameters, parameters, rtol=1e-8)
    np.testing.assert_allclose(result.covariance, covariance, rtol=1e-8)
    np.testing.assert_allclose(result.errors, np.sqrt(np.diag(covariance)), rtol=1e-8)
    residual_chi2 = np.sum(((y - parameters[0] - parameters[1] * x) / sigma) ** 2)
    expected = residual_chi2 if objective == "chi2" else residual_chi2 / 2 + np.sum(np.log(np.sqrt(2 * np.pi) * sigma))
    assert result.minimum == pytest.approx(expected, rel=1e-10)


def test_the_poisson_fit_of_a_constant_rate_is_the_mean_with_its_error():
    counts = np.random.default_rng(1).poisson(7.0, 50)
    result = fitting.fit_parameters(lambda x, theta: theta[0] * torch.ones_like(x), np.zeros(50), counts, [1.0],
                                    objective="poisson")
    assert result.parameters[0] == pytest.approx(counts.mean(), rel=1e-8)
    assert result.errors[0] == pytest.approx(np.sqrt(counts.mean() / 50), rel=1e-6)


def test_the_poisson_likelihood_is_the_log_of_the_poisson_probabilities():
    from scipy import stats

    counts, rate = torch.tensor([0.0, 3.0, 10.0]), torch.tensor([0.5, 2.0, 12.0])
    expected = -stats.poisson.logpmf(counts.numpy(), rate.numpy()).sum()
    assert float(fitting.poisson_nll(counts.double(), rate.double())) == pytest.approx(expected, rel=1e-12)


def test_bad_arguments_are_refused():
    x, y, sigma = data()
    with pytest.raises(ParameterError, match="objective"):
        fitting.fit_parameters(line, x, y, [0.0, 0.0], objective="l1")
    with pytest.raises(ParameterError, match="sigma"):
        fitting.fit_parameters(line, x, y, [0.0, 0.0], sigma=0.0)
    with pytest.raises(ParameterError, match="y"):
        fitting.fit_parameters(line, x, y, [0.0, 0.0], objective="poisson")
    with pytest.raises(ParameterError, match="initial"):
        fitting.minimize(lambda theta: (theta**2).sum(), [np.nan])
    with pytest.raises(ParameterError, match="errordef"):
        fitting.minimize(lambda theta: (theta**2).sum(), [1.0], errordef=0)
