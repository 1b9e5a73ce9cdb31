"""Metrics of book Sec. 5.1 and 7.2 on hand-computed examples and against scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sklearn_roc_curve

from dlpbook import metrics

# 4 class-A events (label 1) and 4 others; at threshold 0.5 three A and one non-A are selected
LABEL = np.array([1, 1, 1, 1, 0, 0, 0, 0])
SCORE = np.array([0.9, 0.8, 0.6, 0.3, 0.7, 0.4, 0.2, 0.1])


def test_accuracy_hand_example():
    predicted = SCORE >= 0.5
    # correct: three A selected + three non-A rejected = 6 of 8
    assert metrics.accuracy(LABEL, predicted) == 0.75
    assert metrics.accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75


def test_binary_counts_efficiency_purity_hand_example():
    counts = metrics.binary_counts(LABEL, SCORE, threshold=0.5)
    assert counts == metrics.BinaryCounts(true_positive=3, false_positive=1, true_negative=3, false_negative=1)
    assert metrics.efficiency(LABEL, SCORE, 0.5) == 0.75  # Eq. 5.4: 3 / 4
    assert metrics.purity(LABEL, SCORE, 0.5) == 0.75  # Eq. 5.5: 3 / (3 + 1)
    assert metrics.efficiency(LABEL, SCORE, 0.75) == 0.5
    assert metrics.purity(LABEL, SCORE, 0.75) == 1.0
    # the working point itself is selected (score >= threshold)
    assert metrics.efficiency(LABEL, SCORE, 0.9) == 0.25


def test_purity_is_nan_without_selection():
    assert np.isnan(metrics.purity(LABEL, SCORE, threshold=2.0))


def test_roc_curve_hand_example():
    roc = metrics.roc_curve(LABEL, SCORE)
    # scores descending: 0.9 A, 0.8 A, 0.7 n, 0.6 A, 0.4 n, 0.3 A, 0.2 n, 0.1 n
    np.testing.assert_array_equal(roc.thresholds, [np.inf, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(roc.tpr, [0, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 1])
    np.testing.assert_allclose(roc.fpr, [0, 0, 0, 0.25, 0.25, 0.5, 0.5, 0.75, 1])
    np.testing.assert_allclose(roc.purity[1:], [1, 1, 2 / 3, 3 / 4, 3 / 5, 4 / 6, 4 / 7, 4 / 8])
    assert np.isnan(roc.purity[0])
    # pairs (A, non-A) ranked correctly: 4 + 4 + 3 + 2 = 13 of 16
    assert roc.auc == pytest.approx(13 / 16)
    assert metrics.roc_auc(LABEL, SCORE) == pytest.approx(13 / 16)


def test_roc_ties_count_one_half():
    assert metrics.roc_auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    roc = metrics.roc_curve([1, 0, 1, 0], [0.7, 0.7, 0.2, 0.1])
    np.testing.assert_allclose(roc.tpr, [0, 0.5, 1, 1])
    np.testing.assert_allclose(roc.fpr, [0, 0.5, 0.5, 1])


def test_roc_matches_scikit_learn_on_random_data():
    rng = np.random.default_rng(7)
    label = rng.integers(0, 2, 2000)
    # overlapping Gaussians, rounded so that ties occur
    score = np.round(rng.normal(label * 0.8, 1.0), 2)
    roc = metrics.roc_curve(label, score)
    fpr, tpr, _ = sklearn_roc_curve(label, score, drop_intermediate=False)
    np.testing.assert_allclose(roc.fpr, fpr)
    np.testing.assert_allclose(roc.tpr, tpr)
    assert metrics.roc_auc(label, score) == pytest.approx(roc_auc_score(label, score), abs=1e-12)


def test_auc_random_and_perfect_scores():
    rng = np.random.default_rng(3)
    label = rng.integers(0, 2, 20_000)
    # standard error of the AUC for n_A = n_B = 10^4 is about 0.004
    assert metrics.roc_auc(label, rng.uniform(size=label.size)) == pytest.approx(0.5, abs=0.015)
    assert metrics.roc_auc(label, label + 0.1 * rng.uniform(size=label.size)) == 1.0
    assert metrics.roc_auc(label, -label) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: metrics.accuracy([0, 1], [0, 1, 1]), "same length"),
        (lambda: metrics.accuracy([0, 1], [0.2, 0.9]), "threshold the scores"),
        (lambda: metrics.accuracy([[0, 1]], [[0, 1]]), "one-dimensional"),
        (lambda: metrics.accuracy([], []), "must not be empty"),
        (lambda: metrics.efficiency([0, 2], [0.1, 0.2]), "only 0 and 1"),
        (lambda: metrics.efficiency([0, 0], [0.1, 0.2]), "without class-A"),
        (lambda: metrics.purity([0, 1], [0.1, np.nan]), "finite"),
        (lambda: metrics.binary_counts([0, 1], [0.1, 0.2], threshold=np.nan), "threshold must be finite"),
        (lambda: metrics.roc_curve([1, 1], [0.1, 0.2]), "both classes"),
    ],
)
def test_classification_validation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


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
        (lambda: metrics.central_interval_half_width([1.0], [1.0], coverage=1.0), r"coverage must be in \(0, 1\)"),
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
        (lambda: metrics.rayleigh_pdf([1.0], 0.0), "sigma must be > 0"),
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
