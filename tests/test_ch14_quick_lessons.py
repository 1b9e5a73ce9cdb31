"""The quick profile of the chapter 14 page must still show what its text says.

Runs the code cells of book/ch14-objectives.md in the quick profile (figures drawn off screen,
a private result cache) and checks every claim of the text: the chi-square fit describes the
decay counts and agrees with the likelihood fits; the classifier's D/(1-D) follows the analytic
likelihood ratio where the data are dense; the Maxwell-Boltzmann fit is consistent with the truth
and the analytic estimator; the Gaussian and Bernoulli likelihoods are the MSE and the BCE; the
thermometer network comes close to the analytic estimator; robust fits beat least squares with
outliers; the Hamiltonian network's energy error stays bounded while the plain network's grows;
the RBM's exact likelihood rises towards its ceiling; the evolution strategy learns a classifier.
"""

import math
import re

import numpy as np
import pytest
from page_cells import BOOK, page_fixture
from scipy import stats

from dlpbook.data import gas
from dlpbook.objectives import studies

PAGE = BOOK / "ch14-objectives.md"

page = page_fixture(PAGE)  # the variables of the page after running all its cells


def test_the_page_shows_every_section_of_the_chapter():
    text = PAGE.read_text(encoding="utf-8")
    for number in range(1, 9):
        assert f"## 14.{number} " in text
    tags = re.findall(r"\\tag\{(14\.\d+)\}", text)
    assert len(tags) == len(set(tags))
    # every displayed equation of the chapter except Eqs. 14.16-14.20 (Example 14.3, told in words)
    assert {f"14.{n}" for n in (*range(1, 16), *range(21, 43))} <= set(tags)


def test_the_chi_square_fit_describes_the_decays_and_agrees_with_the_likelihood_fits(page):
    assert 0.01 < page["chi2_probability"] < 0.99
    assert abs(page["tau_chi2"] - 2.197) < 3 * page["tau_chi2_error"]
    unbinned = page["unbinned"]
    mean = page["decay_times"].mean()
    assert unbinned.parameters[0] == pytest.approx(mean, rel=1e-6)
    assert unbinned.errors[0] == pytest.approx(mean / np.sqrt(len(page["decay_times"])), rel=1e-3)
    for fit in (page["chi2_fit"], page["poisson_fit"]):
        assert abs(fit.parameters[1] - unbinned.parameters[0]) < 2 * fit.errors[1]


def test_the_divergences_are_asymmetric_and_split_the_cross_entropy(page):
    # data N(0, 2^2) missed by a too narrow model N(0, 1): 0.81 nats; the reverse: 0.32 nats
    assert page["wide_vs_narrow"] > 1.5 * page["narrow_vs_wide"]
    assert page["wide_vs_narrow"] == pytest.approx(math.log(0.5) + 2 - 0.5)
    assert float(page["cross_entropy"]) == pytest.approx(float(page["entropy"]) + float(
        np.sum([0.5 * math.log(0.5 / 0.4), 0.3 * math.log(0.3 / 0.4)])), rel=1e-6)


def test_the_classifier_ratio_follows_the_analytic_ratio_where_data_are_dense(page):
    # the text: "within a few tens of per cent" in the central 90 % of the Maxwell-Boltzmann speeds
    assert page["deviation"] < 0.25
    ratio = page["ratio"]
    # the analytic ratio against scipy's Maxwell and truncated normal densities
    scale = gas.velocity_scale(300.0)
    mean, std = np.sqrt(8 / np.pi) * scale, np.sqrt(3 - 8 / np.pi) * scale
    gaussian = stats.truncnorm.pdf(ratio["speed"], -mean / std, np.inf, mean, std)
    expected = stats.maxwell.pdf(ratio["speed"], scale=scale) / gaussian
    np.testing.assert_allclose(ratio["ratio:analytic"], expected, rtol=1e-10)
    # "about 0.02 nats per atom", so a few hundred atoms for odds of 100 : 1
    assert 0.01 < ratio["kl:mb_gauss"] < 0.03 and 0.01 < ratio["kl:gauss_mb"] < 0.04
    assert 100 < math.log(100) / ratio["kl:mb_gauss"] < 500


def test_the_maxwell_boltzmann_fit_is_consistent_with_the_truth_and_the_analytic_estimator(page):
    assert page["fitted_t"] == pytest.approx(gas.temperature_estimate(page["speeds"]), rel=1e-6)
    assert page["fitted_error"] == pytest.approx(page["fitted_t"] * np.sqrt(2 / 75), rel=1e-3)
    assert abs(page["fitted_t"] - page["true_temperature"]) < 2 * page["fitted_error"]  # "misses by about its error"
    temperatures, expected = page["temperatures"], page["expected"]
    assert temperatures[np.argmin(expected)] == pytest.approx(page["true_temperature"], abs=5)


def test_the_gaussian_and_bernoulli_likelihoods_are_the_mse_and_the_bce(page):
    sigma, mse = page["sigma_y"], float(page["mse"])
    expected = 100 * math.log(math.sqrt(2 * math.pi) * sigma) + 100 * mse / (2 * sigma**2)  # Eq. 14.23, k = 100
    assert float(page["gaussian_nll"]) == pytest.approx(expected)
    import torch

    assert float(page["bernoulli_nll"]) == pytest.approx(
        float(torch.nn.functional.binary_cross_entropy(page["z"], page["labels"])), rel=1e-6)


def test_the_thermometer_network_is_close_to_the_analytic_estimator(page):
    thermometer = page["thermometer"]
    network = studies.relative_resolution(thermometer["network"], thermometer["T"])
    analytic = studies.relative_resolution(thermometer["analytic"], thermometer["T"])
    assert analytic == pytest.approx(page["bound"], rel=0.1)
    assert network < 1.15 * analytic  # quick run: 0.160 against 0.151


def test_robust_fits_are_closer_to_the_truth_than_least_squares(page):
    truth = page["calibration"]["truth"]
    fits = page["line_fits"]

    def miss(intercept, slope):
        return np.hypot((intercept - truth[0]) / 5, slope - truth[1])

    least_squares = miss(*fits[2.0].parameters)
    assert abs(fits[2.0].parameters[0] - truth[0]) > 5 * fits[2.0].errors[0]  # "misses by many of its errors"
    for alpha in (1.0, 0.0):
        assert miss(*fits[alpha].parameters) < 0.5 * least_squares
    adaptive = page["adaptive"]
    assert miss(adaptive["intercept"], adaptive["slope"]) < 0.5 * least_squares
    assert adaptive["alpha"] < 0.2  # driven to the Cauchy end of [0, 2]


def test_the_hamiltonian_network_conserves_energy_and_the_plain_network_does_not(page):
    orbits = page["orbits"]
    hnn, baseline = orbits["energy:hnn"], orbits["energy:baseline"]
    # the Hamiltonian network's error does not grow from 20 to 300 steps; the plain network's does
    assert studies.energy_drift(hnn) < 1.2 * studies.energy_drift(hnn[:21])
    assert studies.energy_drift(hnn) < 0.1  # "a few per cent"
    assert studies.energy_drift(baseline) > 3 * studies.energy_drift(baseline[:21])
    assert studies.energy_drift(baseline) > 3 * studies.energy_drift(hnn)
    # the plain network's orbit spirals outwards: its energy climbs from one period to the next
    period = int(round(2 * np.pi / 0.2))
    per_period = [baseline[i:i + period].mean() for i in range(0, len(baseline) - period, period)]
    assert np.all(np.diff(per_period) > 0)
    # "both networks fit their training data about equally well" (the HNN loss sums two squares)
    networks = page["networks"]
    assert networks.hnn_loss[-1] / 2 < 3 * networks.baseline_loss[-1]


def test_the_rbm_likelihood_rises_towards_its_ceiling(page):
    machine = page["machine"]
    log_likelihood = machine["log_likelihood"]
    assert log_likelihood[0] == pytest.approx(-16 * math.log(2), abs=0.05)
    assert log_likelihood[-1] > log_likelihood[0] + 3
    assert log_likelihood[-1] < -machine["entropy"] + 0.1  # the ceiling (sampling noise of 2000 draws aside)
    assert 0 < machine["kl"] < 1.0
    # the machine's magnetisation distribution has the two humps of the Ising one
    levels, index = np.unique(machine["magnetization"], return_inverse=True)
    p_rbm = np.bincount(index, machine["probability:rbm"])
    assert p_rbm[levels == 0][0] < p_rbm[levels == 0.5][0] and p_rbm[levels == 0][0] < p_rbm[levels == -0.5][0]
    total_variation = 0.5 * np.abs(p_rbm - np.bincount(index, machine["probability:ising"])).sum()
    assert total_variation < 0.25  # quick run: 0.22
    # "CD-k balances the two humps poorly": P(m) and P(-m) differ, where the Ising ones are equal
    asymmetry = 0.5 * np.abs(p_rbm - p_rbm[::-1]).sum()
    assert asymmetry > 0.1  # quick run: 0.30


def test_the_evolution_strategy_learns_a_classifier_without_gradients(page):
    best_error, classes = page["best_error"], page["classes"]
    assert best_error[0] > 0.3
    assert best_error[-1] < 0.06
    assert np.all(np.diff(best_error) <= 0)
    assert studies.error_rate(page["evolved"], classes["x"], classes["label"]) == best_error[-1]


def test_the_ising_distribution_is_normalised_and_favours_order():
    states, probability = studies.ising_boltzmann_distribution(2, 1.0)
    assert probability.sum() == pytest.approx(1.0) and len(states) == 16
    ordered = np.abs(states.sum(axis=(1, 2))) == 4
    assert probability[ordered].sum() > 0.5


def test_bad_arguments_are_refused():
    from dlpbook.validation import ParameterError

    with pytest.raises(ParameterError, match="size"):
        studies.ising_boltzmann_distribution(5, 2.0)
    with pytest.raises(ParameterError, match="study"):
        studies.study_settings("pendulum")
    with pytest.raises(ParameterError, match="alpha"):
        studies.robust_line_fit([1.0, 2.0], [1.0, 2.0], alpha=-1.0, scale=1.0)
    with pytest.raises(ParameterError, match="start"):
        studies.spring_trajectories(None, [1.0, 2.0, 3.0])
