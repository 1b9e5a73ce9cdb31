"""The T_c estimator of Ex. 7.1/8.1 (dlpbook.metrics.transition) on synthetic classifier outputs."""

import numpy as np
import pytest

from dlpbook.metrics import binned_mean, critical_temperature, isotonic_fit, threshold_crossing
from dlpbook.validation import ParameterError


def synthetic_outputs(t_cross: float, *, width: float = 0.08, noise: float = 0.15, chains: int = 300,
                      per_chain: int = 10, seed: int = 0):
    """Outputs of a classifier whose mean output crosses 0.5 at ``t_cross``: a logistic curve in T plus
    per-configuration noise, for ``chains`` temperatures uniform in [1, 3.54] with ``per_chain`` samples each."""
    rng = np.random.default_rng(seed)
    t = np.repeat(rng.uniform(1.0, 3.54, chains), per_chain)
    mean = 1.0 / (1.0 + np.exp(-(t - t_cross) / width))
    return t, np.clip(mean + rng.normal(0.0, noise, t.size), 0.0, 1.0)


def test_binned_mean_counts_means_and_standard_errors():
    x = np.array([0.1, 0.2, 0.6, 0.7, 0.8, 1.0])
    values = np.array([1.0, 3.0, 0.0, 1.0, 1.0, 5.0])
    binned = binned_mean(x, values, [0.0, 0.5, 1.0])
    assert binned.count.tolist() == [2, 4]
    np.testing.assert_allclose(binned.center, [0.15, 0.775])
    np.testing.assert_allclose(binned.mean, [2.0, 7.0 / 4])
    np.testing.assert_allclose(binned.error, [np.std([1, 3], ddof=1) / np.sqrt(2), np.std([0, 1, 1, 5], ddof=1) / 2])


def test_binned_mean_of_correct_flags_has_the_binomial_error_and_empty_bins_are_nan():
    x = np.r_[np.full(10, 0.25), np.full(3, 2.5)]
    correct = np.r_[np.ones(7), np.zeros(3), np.ones(3)]
    binned = binned_mean(x, correct, [0.0, 1.0, 2.0, 3.0])
    assert binned.count.tolist() == [10, 0, 3] and binned.filled.tolist() == [True, False, True]
    assert binned.error[0] == pytest.approx(np.sqrt(0.7 * 0.3 / 9))
    assert np.isnan(binned.mean[1]) and np.isnan(binned.center[1]) and binned.error[2] == 0.0


def test_binned_mean_with_a_number_of_bins_spans_the_data_and_leaves_out_points_outside_edges():
    binned = binned_mean([1.0, 2.0, 3.0], [0.0, 1.0, 2.0], 2)
    np.testing.assert_allclose(binned.edges, [1.0, 2.0, 3.0])
    assert binned.count.tolist() == [1, 2]  # the upper edge belongs to the last bin
    assert binned_mean([-1.0, 0.5, 9.0], [5.0, 1.0, 5.0], [0.0, 1.0]).count.tolist() == [1]


@pytest.mark.parametrize("bad", [{"x": [[1.0]], "values": [1.0]}, {"x": [1.0, np.nan], "values": [1.0, 2.0]},
                                 {"x": [1.0, 2.0], "values": [1.0]}, {"x": [], "values": []}])
def test_binned_mean_refuses_bad_arrays(bad):
    with pytest.raises(ValueError):
        binned_mean(bad["x"], bad["values"], 3)


def test_binned_mean_with_bins_none_has_one_bin_per_distinct_value():
    x = np.array([2.0, 1.0, 2.0, 3.5, 1.0])
    binned = binned_mean(x, [1.0, 0.0, 3.0, 5.0, 2.0], None)
    np.testing.assert_allclose(binned.edges, [1.0, 1.5, 2.75, 3.5])
    np.testing.assert_allclose(binned.center, [1.0, 2.0, 3.5])
    np.testing.assert_allclose(binned.mean, [1.0, 2.0, 5.0])
    with pytest.raises(ValueError, match="two distinct"):
        binned_mean([1.0, 1.0], [0.0, 1.0], None)


def test_binned_mean_refuses_bad_bins():
    with pytest.raises(ParameterError):
        binned_mean([1.0, 2.0], [1.0, 2.0], 0)
    with pytest.raises(ValueError, match="increasing"):
        binned_mean([1.0, 2.0], [1.0, 2.0], [0.0, 2.0, 1.0])


def test_isotonic_fit_pools_adjacent_violators():
    np.testing.assert_allclose(isotonic_fit([1.0, 3.0, 2.0, 4.0, 0.5]), [1.0, 2.375, 2.375, 2.375, 2.375])
    np.testing.assert_allclose(isotonic_fit([0.0, 1.0, 2.0]), [0.0, 1.0, 2.0])
    # weights: the heavier point pulls the pooled value
    np.testing.assert_allclose(isotonic_fit([2.0, 0.0], [3.0, 1.0]), [1.5, 1.5])


def test_isotonic_fit_is_the_least_squares_monotone_sequence():
    rng = np.random.default_rng(3)
    values, weights = rng.normal(size=7), rng.uniform(0.5, 2.0, 7)
    fit = isotonic_fit(values, weights)
    assert np.all(np.diff(fit) >= -1e-12)
    best = np.sum(weights * (fit - values) ** 2)
    for _ in range(200):  # no random monotone sequence nearby does better
        trial = np.sort(fit + rng.normal(0.0, 0.05, 7))
        assert np.sum(weights * (trial - values) ** 2) >= best - 1e-12


def test_isotonic_fit_refuses_bad_weights():
    with pytest.raises(ValueError, match="> 0"):
        isotonic_fit([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="same length"):
        isotonic_fit([1.0, 2.0], [1.0])


def test_threshold_crossing_interpolates_linearly():
    assert threshold_crossing([1.0, 2.0, 3.0], [0.0, 0.4, 0.9]) == pytest.approx(2.2)
    # unsorted input, and a block pooled exactly at the threshold: its middle
    assert threshold_crossing([3.0, 1.0, 2.0], [1.0, 0.0, 0.5]) == pytest.approx(2.0)
    # a non-monotone blip near the crossing is pooled: (0.6 + 0.4) / 2 = 0.5 at x = 2 and 3
    assert threshold_crossing([1.0, 2.0, 3.0, 4.0], [0.1, 0.6, 0.4, 0.9]) == pytest.approx(2.5)
    assert threshold_crossing([0.0, 1.0], [-1.0, 1.0], threshold=0.0) == pytest.approx(0.5)


def test_threshold_crossing_refuses_curves_that_do_not_cross():
    with pytest.raises(ValueError, match="do not cross"):
        threshold_crossing([1.0, 2.0, 3.0], [0.6, 0.7, 0.9])
    with pytest.raises(ValueError, match="same length"):
        threshold_crossing([1.0, 2.0], [0.0, 1.0], weights=[1.0])


@pytest.mark.parametrize("t_cross", [2.0, 2.269, 2.5])
def test_critical_temperature_finds_the_crossing_of_a_synthetic_classifier(t_cross):
    t, output = synthetic_outputs(t_cross, seed=1)
    point = critical_temperature(t, output, 40, groups=t, n_bootstrap=100)
    # 300 chains, bins of 0.064: measured deviations below 0.004, errors 0.005 to 0.007
    assert point.estimate == pytest.approx(t_cross, abs=0.02)
    assert 0.0 < point.error < 0.02
    assert abs(point.estimate - t_cross) < 3 * point.error + 0.01
    assert point.deviation(t_cross) == pytest.approx((point.estimate - t_cross) / t_cross)
    assert point.binned.count.sum() == len(t) and point.bootstrap.shape == (100,)


def test_critical_temperature_bootstrap_error_matches_the_spread_between_independent_test_sets():
    estimates, errors = [], []
    for seed in range(12):
        t, output = synthetic_outputs(2.269, width=0.15, noise=0.3, chains=60, seed=seed)
        point = critical_temperature(t, output, 20, groups=t, n_bootstrap=100, seed=seed)
        estimates.append(point.estimate)
        errors.append(point.error)
    spread, typical = np.std(estimates, ddof=1), np.median(errors)
    # measured: spread 0.033, median bootstrap error 0.024, mean estimate 2.272
    assert 0.5 * spread < typical < 2.0 * spread
    assert abs(np.mean(estimates) - 2.269) < 3 * spread / np.sqrt(len(estimates)) + 0.01


def test_resampling_whole_chains_gives_larger_errors_than_single_configurations():
    rng = np.random.default_rng(5)
    t = np.repeat(rng.uniform(1.0, 3.54, 80), 10)
    chain_offset = np.repeat(rng.normal(0.0, 0.15, 80), 10)  # all samples of a chain share a shift
    output = 1.0 / (1.0 + np.exp(-(t - 2.269 + chain_offset) / 0.05))
    by_chain = critical_temperature(t, output, 20, groups=t, n_bootstrap=100).error
    by_sample = critical_temperature(t, output, 20, n_bootstrap=100).error
    assert by_chain > 1.5 * by_sample  # measured: 0.072 and 0.025


def test_critical_temperature_is_reproducible_and_checks_its_arguments():
    t, output = synthetic_outputs(2.269, seed=2)
    first = critical_temperature(t, output, 20, n_bootstrap=20, seed=4)
    second = critical_temperature(t, output, 20, n_bootstrap=20, seed=4)
    np.testing.assert_array_equal(first.bootstrap, second.bootstrap)
    with pytest.raises(ValueError, match="groups"):
        critical_temperature(t, output, 20, groups=t[:-1])
    with pytest.raises(ParameterError):
        critical_temperature(t, output, 20, n_bootstrap=0)
    with pytest.raises(ValueError, match="do not cross"):
        critical_temperature(t, np.zeros_like(t), 20)
