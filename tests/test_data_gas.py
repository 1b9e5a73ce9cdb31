"""Maxwell-Boltzmann gas: moments, most probable speed, KS test against the density, errors."""

import numpy as np
import pytest
from scipy import integrate, stats

from dlpbook import data
from dlpbook.data import gas

T_K, MASS_U = 500.0, gas.HELIUM_MASS_U


@pytest.fixture(scope="module")
def sample():
    return gas.simulate(100_000, seed=1, temperature_k=T_K, mass_u=MASS_U)


def test_shapes_and_speed_is_the_norm(sample):
    assert sample["velocity"].shape == (100_000, 3) and sample["speed"].shape == (100_000,)
    np.testing.assert_allclose(sample["speed"], np.linalg.norm(sample["velocity"], axis=1))


def test_mean_speed_matches_sqrt_8kT_over_pi_m(sample):
    expected = np.sqrt(8 * gas.K_B_J_PER_K * T_K / (np.pi * MASS_U * gas.ATOMIC_MASS_KG))
    assert gas.mean_speed(T_K, MASS_U) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(1626.3, rel=1e-4)  # helium-4 at 500 K, m/s
    # standard error of the mean: sqrt(3 - 8/pi) sigma / sqrt(N), about 0.15 % here
    assert sample["speed"].mean() == pytest.approx(expected, rel=0.005)
    assert np.mean(sample["speed"] ** 2) == pytest.approx(3 * gas.velocity_scale(T_K, MASS_U) ** 2, rel=0.01)


def test_components_are_gaussian_with_variance_kT_over_m(sample):
    sigma = gas.velocity_scale(T_K, MASS_U)
    assert sample["velocity"].mean(axis=0) == pytest.approx(np.zeros(3), abs=0.02 * sigma)
    assert sample["velocity"].std(axis=0) == pytest.approx(np.full(3, sigma), rel=0.01)


def test_most_probable_speed_is_the_maximum_of_the_density(sample):
    v_p = gas.most_probable_speed(T_K, MASS_U)
    assert v_p == pytest.approx(np.sqrt(2 * gas.K_B_J_PER_K * T_K / (MASS_U * gas.ATOMIC_MASS_KG)), rel=1e-12)
    grid = np.linspace(0, 5000, 50_001)
    assert grid[np.argmax(gas.maxwell_boltzmann_pdf(grid, T_K, MASS_U))] == pytest.approx(v_p, abs=0.1)
    # the histogram of the sample peaks there too (bins of 100 m/s)
    counts, edges = np.histogram(sample["speed"], bins=np.arange(0, 5000, 100))
    assert edges[np.argmax(counts)] + 50 == pytest.approx(v_p, abs=150)


def test_density_is_normalised_and_matches_its_cdf():
    norm, _ = integrate.quad(gas.maxwell_boltzmann_pdf, 0, np.inf, args=(T_K, MASS_U))
    assert norm == pytest.approx(1.0, rel=1e-8)
    part, _ = integrate.quad(gas.maxwell_boltzmann_pdf, 0, 1500.0, args=(T_K, MASS_U))
    assert gas.maxwell_boltzmann_cdf(1500.0, T_K, MASS_U) == pytest.approx(part, rel=1e-8)
    assert gas.maxwell_boltzmann_pdf(-10.0, T_K, MASS_U) == 0.0


def test_speeds_pass_a_kolmogorov_smirnov_test(sample):
    result = stats.kstest(sample["speed"], lambda v: gas.maxwell_boltzmann_cdf(v, T_K, MASS_U))
    assert result.pvalue > 0.01
    # and a wrong temperature is rejected
    wrong = stats.kstest(sample["speed"], lambda v: gas.maxwell_boltzmann_cdf(v, 1.05 * T_K, MASS_U))
    assert wrong.pvalue < 1e-6


def test_temperature_estimate_recovers_T_within_the_cramer_rao_resolution():
    speeds = gas.simulate(200 * 300, seed=2, temperature_k=T_K)["speed"].reshape(200, 300)
    estimates = gas.temperature_estimate(speeds)
    assert estimates.mean() == pytest.approx(T_K, rel=0.01)
    assert estimates.std() / T_K == pytest.approx(np.sqrt(2 / (3 * 300)), rel=0.15)


def test_determinism_and_registry():
    first = data.simulate("maxwell_boltzmann", 50, seed=7, temperature_k=300.0)
    np.testing.assert_array_equal(first["velocity"], gas.simulate(50, seed=7, temperature_k=300.0)["velocity"])
    assert not np.array_equal(first["velocity"], gas.simulate(50, seed=8)["velocity"])
    np.testing.assert_array_equal(data.load("maxwell_boltzmann", 50, seed=7)["speed"], first["speed"])


@pytest.mark.parametrize("temperature_k", [0.0, -5.0, float("nan")])
def test_non_positive_temperature_is_rejected(temperature_k):
    with pytest.raises(ValueError, match="temperature_k must be a finite number > 0"):
        gas.simulate(10, temperature_k=temperature_k)
    with pytest.raises(ValueError, match="temperature_k must be a finite number > 0"):
        gas.maxwell_boltzmann_pdf(100.0, temperature_k)


def test_other_errors():
    with pytest.raises(ValueError, match="mass_u must be a finite number > 0"):
        gas.simulate(10, mass_u=0.0)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        gas.simulate(0)


def test_thermometer_sets_of_example_14_4():
    sets = gas.thermometer_sets(400, 100, seed=3, t_min_k=200.0, t_max_k=800.0)
    assert sets["T"].shape == (400,) and sets["speed"].shape == (400, 100)
    assert 200.0 <= sets["T"].min() and sets["T"].max() <= 800.0
    relative_error = gas.temperature_estimate(sets["speed"]) / sets["T"] - 1
    assert relative_error.mean() == pytest.approx(0.0, abs=0.01)
    assert relative_error.std() == pytest.approx(np.sqrt(2 / 300), rel=0.15)  # Cramer-Rao bound
    np.testing.assert_array_equal(gas.thermometer_sets(5, 10, seed=3)["speed"], gas.thermometer_sets(5, 10, seed=3)["speed"])
    with pytest.raises(ValueError, match=r"t_max_k must be a finite number >= 500.0 and <= 1000000000.0, got 400.0"):
        gas.thermometer_sets(5, 10, t_min_k=500.0, t_max_k=400.0)
    with pytest.raises(ValueError, match="t_min_k must be a finite number > 0"):
        gas.thermometer_sets(5, 10, t_min_k=0.0)
