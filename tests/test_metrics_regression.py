"""Regression metrics of book Sec. 7.2 on hand-computed examples and known distributions."""

import numpy as np
import pytest

from dlpbook import metrics


def test_regression_bias_resolution_hand_example():
    target = np.array([1.0, 2.0, 3.0, 4.0])
    prediction = np.array([2.0, 2.0, 4.0, 4.0])  # residuals 1, 0, 1, 0
    assert metrics.bias(prediction, target) == 0.5
    assert metrics.resolution(prediction, target) == 0.5
    # residuals 0..100 in steps of 1: 16th and 84th percentiles are 16 and 84
    residual = np.arange(101.0)
    assert metrics.central_interval_half_width(residual, np.zeros(101)) == pytest.approx(34.0)
    assert metrics.central_interval_half_width(residual, np.zeros(101), coverage=0.5) == pytest.approx(25.0)


def test_regression_per_column_and_gaussian_half_width():
    rng = np.random.default_rng(1)
    target = rng.normal(size=(50_000, 2))
    prediction = target + rng.normal([0.1, -0.2], [0.5, 2.0], size=(50_000, 2))
    np.testing.assert_allclose(metrics.bias(prediction, target), [0.1, -0.2], atol=0.03)
    np.testing.assert_allclose(metrics.resolution(prediction, target), [0.5, 2.0], rtol=0.02)
    # for Gaussian residuals the 68% half-width is the standard deviation (0.994 sigma exactly)
    np.testing.assert_allclose(metrics.central_interval_half_width(prediction, target), [0.5, 2.0], rtol=0.03)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: metrics.bias(np.zeros((3, 1)), np.zeros(3)), "same shape"),
        (lambda: metrics.resolution(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))), r"shape \(n,\) or \(n, k\)"),
        (lambda: metrics.bias([1.0, np.inf], [1.0, 2.0]), "finite"),
        (lambda: metrics.central_interval_half_width([1.0], [1.0], coverage=1.0), "coverage must be a finite number > 0 and < 1"),
    ],
)
def test_regression_validation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_rayleigh_fit_hand_example():
    # mean(d^2) = (9 + 16) / 2 = 12.5, sigma = sqrt(12.5 / 2) = 2.5
    fit = metrics.fit_rayleigh([3.0, 4.0])
    assert fit.sigma == pytest.approx(2.5)
    assert fit.sigma_error == pytest.approx(2.5 / np.sqrt(8))
    assert fit.n == 2


def test_rayleigh_fit_recovers_sigma_of_2d_gaussian_residuals():
    rng = np.random.default_rng(2021)
    sigma = 0.069  # km, the epicentre resolution of book Fig. 7.3b
    residual = rng.normal(0.0, sigma, size=(5000, 2))
    fit = metrics.fit_rayleigh(np.linalg.norm(residual, axis=1))
    # statistical uncertainty sigma / sqrt(4 n) = 0.0005 km; allow 3 standard errors
    assert fit.sigma_error == pytest.approx(sigma / np.sqrt(20_000), rel=0.01)
    assert abs(fit.sigma - sigma) < 3 * fit.sigma_error


def test_rayleigh_pdf_is_normalised_with_mode_at_sigma():
    d = np.linspace(0, 20, 200_001)
    density = metrics.rayleigh_pdf(d, 2.0)
    assert np.trapezoid(density, d) == pytest.approx(1.0, abs=1e-6)
    assert d[np.argmax(density)] == pytest.approx(2.0, abs=1e-3)
    assert metrics.rayleigh_pdf(-1.0, 2.0) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: metrics.fit_rayleigh([1.0, -0.1]), "distance must be >= 0"),
        (lambda: metrics.fit_rayleigh(np.ones((3, 2))), "one-dimensional"),
        (lambda: metrics.rayleigh_pdf([1.0], 0.0), "sigma must be a finite number > 0"),
    ],
)
def test_rayleigh_validation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_pearson_r():
    assert metrics.pearson_r([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert metrics.pearson_r([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    # hand example: dx = (-1, 0, 1), dy = (-1, 1, 0): r = 1 / sqrt(2 * 2)
    assert metrics.pearson_r([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 100))
    assert metrics.pearson_r(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    with pytest.raises(ValueError, match="constant"):
        metrics.pearson_r([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="at least 2"):
        metrics.pearson_r([1], [1])


def test_angular_distance_of_known_directions_in_degrees():
    from dlpbook.metrics import regression

    z = np.array([[0.0, 0.0, 1.0]] * 4)
    tilted = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -2.0], [np.sin(0.01), 0.0, np.cos(0.01)], [0.0, 3.0, 3.0]])
    np.testing.assert_allclose(regression.angular_distance(tilted, z), [90.0, 180.0, np.degrees(0.01), 45.0], rtol=1e-12)
    assert regression.angular_distance(z, z).tolist() == [0.0] * 4  # arctan2 stays exact for equal vectors
    with pytest.raises(ValueError, match="length 0"):
        regression.angular_distance(np.zeros((1, 3)), z[:1])
    with pytest.raises(ValueError, match=r"\(n, 3\)"):
        regression.angular_distance(z[:, :2], z[:, :2])


def test_68_percent_resolutions_of_simple_cases():
    from dlpbook.metrics import regression

    # directions tilted by 0, 1, ..., 100 degrees from the z axis: the 68 % quantile is 68 degrees
    angles = np.radians(np.arange(101.0))
    tilted = np.stack([np.sin(angles), np.zeros(101), np.cos(angles)], axis=1)
    z = np.tile([0.0, 0.0, 1.0], (101, 1))
    assert regression.angular_resolution(tilted, z) == pytest.approx(68.0)
    assert regression.angular_resolution(tilted, z, coverage=0.5) == pytest.approx(50.0)
    # cores off by a 3-4-5 triangle times 0..100 m
    offsets = np.arange(101.0)[:, None] * np.array([[3.0, 4.0]]) / 5
    assert regression.distance_resolution(offsets + 100.0, np.full((101, 2), 100.0)) == pytest.approx(68.0)
    # 2D Gaussian residuals of sigma per component: the 68 % radius is sigma sqrt(-2 ln 0.32) = 1.51 sigma
    rng = np.random.default_rng(2)
    residual = rng.normal(scale=25.0, size=(100_000, 2))
    assert regression.distance_resolution(residual, np.zeros_like(residual)) == pytest.approx(25.0 * 1.5096, rel=0.01)
    # energies with a 7 % Gaussian relative error
    energy = rng.uniform(3, 100, size=100_000)
    assert regression.relative_resolution(energy * (1 + rng.normal(scale=0.07, size=energy.size)), energy) == pytest.approx(
        0.07, rel=0.02
    )
    with pytest.raises(ValueError, match="not be 0"):
        regression.relative_resolution([1.0], [0.0])
    with pytest.raises(ValueError, match=">= 0"):
        regression.containment_radius([-1.0, 2.0])
    with pytest.raises(ValueError, match="coverage"):
        regression.containment_radius([1.0, 2.0], coverage=1.0)


def test_binned_resolution_in_log_bins_of_the_truth():
    rng = np.random.default_rng(3)
    energy = 10 ** rng.uniform(0.5, 2.0, 40_000)
    # relative spread 0.2 at 3 EeV falling to 0.05 at 100 EeV
    spread = 0.2 - 0.15 * (np.log10(energy) - 0.5) / 1.5
    reconstructed = energy * (1 + rng.normal(0, 1, energy.size) * spread)
    binned = metrics.binned_resolution(energy, reconstructed, 3, relative=True, log=True)
    np.testing.assert_allclose(binned.edges, np.logspace(np.log10(energy.min()), np.log10(energy.max()), 4))
    np.testing.assert_allclose(binned.centres, np.sqrt(binned.edges[:-1] * binned.edges[1:]))
    np.testing.assert_allclose(binned.sigma, [0.175, 0.125, 0.075], rtol=0.05)
    assert binned.counts.sum() == energy.size and np.all(np.diff(binned.sigma) < 0)
    # absolute residuals in given edges; a bin with fewer than two events has no resolution
    edges = [0.0, 10.0, 100.0, 200.0]
    absolute = metrics.binned_resolution(energy, reconstructed, edges)
    assert absolute.counts[-1] == 0 and np.isnan(absolute.sigma[-1])
    inside = energy < 10
    assert absolute.sigma[0] == pytest.approx(np.std((reconstructed - energy)[inside]))


def test_binned_resolution_refuses_bad_input():
    with pytest.raises(ValueError, match="> 0"):
        metrics.binned_resolution([-1.0, 2.0], [1.0, 2.0], 2, log=True)
    with pytest.raises(ValueError, match="increasing values"):
        metrics.binned_resolution([1.0, 2.0], [1.0, 2.0], [3.0, 1.0])
    with pytest.raises(ValueError, match="bins must be an integer >= 1"):
        metrics.binned_resolution([1.0, 2.0], [1.0, 2.0], 0)
    with pytest.raises(ValueError, match="same length"):
        metrics.binned_resolution([1.0, 2.0], [1.0], 2)
