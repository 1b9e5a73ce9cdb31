"""Bias-variance decomposition (Eq. 5.1, 5.2) and k-fold cross-validation of polynomial fits."""

import numpy as np
import pytest

from dlpbook import model_selection as ms
from dlpbook.data import curve_fitting
from dlpbook.validation import ParameterError


def test_polynomial_fits_reproduce_a_polynomial_of_their_degree():
    x = np.linspace(0, 1, 12)
    y = 1 - 2 * x + 3 * x**3
    x_eval = np.array([0.05, 0.5, 0.95])
    np.testing.assert_allclose(ms.polynomial_fits(x, y, 3, x_eval), 1 - 2 * x_eval + 3 * x_eval**3, atol=1e-10)
    rows = ms.polynomial_fits(x, np.stack([y, 2 * y]), 3, x_eval)
    assert rows.shape == (2, 3)
    np.testing.assert_allclose(rows[1], 2 * rows[0])
    # degree 0 is the mean
    np.testing.assert_allclose(ms.polynomial_fits(x, y, 0, x_eval), np.full(3, y.mean()))
    with pytest.raises(ParameterError):
        ms.polynomial_fits(x, y, -1, x_eval)


def test_bias_variance_terms_add_up_to_the_measured_error():
    x_design, x_grid = np.linspace(0, 1, 20), np.linspace(0, 1, 101)
    terms = {
        degree: ms.bias_variance(curve_fitting.truth, x_design, x_grid, degree, noise=0.3, n_datasets=2000,
                                 rng=np.random.default_rng(degree))
        for degree in (1, 4, 12)
    }
    for t in terms.values():
        assert t.noise_variance == pytest.approx(0.09)
        assert t.mse == pytest.approx(t.total, rel=0.05)  # Eq. 5.2 up to sampling noise
    assert terms[1].bias2 > 10 * terms[4].bias2  # a straight line cannot follow one sine period
    assert terms[12].variance > 3 * terms[4].variance  # a flexible polynomial follows the noise
    assert terms[4].mse < min(terms[1].mse, terms[12].mse)


def test_bias_variance_is_reproducible_and_checks_arguments():
    x = np.linspace(0, 1, 10)
    first, second = (ms.bias_variance(curve_fitting.truth, x, x, 2, noise=0.3, n_datasets=50,
                                      rng=np.random.default_rng(7)) for _ in range(2))
    assert first == second
    with pytest.raises(ParameterError):
        ms.bias_variance(curve_fitting.truth, x, x, 2, noise=-1.0, n_datasets=5, rng=np.random.default_rng(0))
    with pytest.raises(ParameterError):
        ms.bias_variance(curve_fitting.truth, x, x, 2, noise=0.3, n_datasets=0, rng=np.random.default_rng(0))


def test_k_folds_partition_the_indices():
    folds = ms.k_fold_indices(23, 5, np.random.default_rng(0))
    assert len(folds) == 5 and sorted(len(f) for f in folds) == [4, 4, 5, 5, 5]
    np.testing.assert_array_equal(np.sort(np.concatenate(folds)), np.arange(23))
    for k in (1, 24):
        with pytest.raises(ParameterError):
            ms.k_fold_indices(23, k, np.random.default_rng(0))


def test_cross_validation_prefers_a_moderate_degree():
    rng = np.random.default_rng(55)
    x, y = curve_fitting.sample(60, rng)
    folds = ms.k_fold_indices(x.size, 5, rng)
    scores = [ms.cross_validation_mse(x, y, degree, folds) for degree in range(0, 13)]
    assert 3 <= int(np.argmin(scores)) <= 8
    assert scores[0] > 3 * min(scores)
    # an exact polynomial of degree 2 is found exactly: zero held-out error
    assert ms.cross_validation_mse(x, 1 + x**2, 2, folds) == pytest.approx(0.0, abs=1e-20)
