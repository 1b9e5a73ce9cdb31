"""Exercise 3.2: least squares by the normal equations (book Eq. 3.7)."""

import numpy as np
import pytest

from dlpbook.data.wine import RegressionTable
from dlpbook.exercises import linear_regression as lr


def _table(n=300, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(5.0, 2.0, (n, 4))
    w = np.array([0.5, -1.0, 0.0, 2.0])
    y = x @ w + rng.normal(0.0, 0.5, n)
    return RegressionTable(x, y, ("a", "b", "c", "d"), "y", "synthetic test table"), w


def test_normal_equations_equal_lstsq():
    table, _ = _table()
    expected = np.linalg.lstsq(table.features, table.target, rcond=None)[0]
    np.testing.assert_allclose(lr.normal_equation_weights(table.features, table.target), expected, rtol=1e-10)
    np.testing.assert_allclose(lr.lstsq_weights_torch(table.features, table.target), expected, rtol=1e-10)


def test_noise_free_data_give_the_true_weights_and_perfect_correlation():
    table, w = _table()
    exact = RegressionTable(table.features, table.features @ w, table.feature_names, "y", "exact")
    result = lr.solve(exact, seed=1)
    np.testing.assert_allclose(result.weights, w, atol=1e-10)
    assert result.correlation == pytest.approx(1.0)


def test_feature_correlations_match_numpy_and_find_the_strongest_feature():
    table, _ = _table()
    r = lr.feature_correlations(table.features, table.target)
    expected = [np.corrcoef(column, table.target)[0, 1] for column in table.features.T]
    np.testing.assert_allclose(r, expected, rtol=1e-12)
    result = lr.solve(table, seed=0)
    assert result.most_predictive == "d"
    assert len(result.y_train) + len(result.target) == 300
    assert len(result.y_train) == round(300 * 3000 / 4898)


def test_offline_substitute_numbers():
    result = lr.solve(seed=0)
    assert "diabetes" in result.table.source
    assert result.most_predictive == "bmi"
    assert 0.55 < result.correlation < 0.75


def test_bad_shapes_are_rejected():
    with pytest.raises(ValueError, match="x must be"):
        lr.normal_equation_weights(np.ones((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match="at least as many rows"):
        lr.feature_correlations(np.ones((2, 3)), np.ones(2))


@pytest.mark.keras
def test_keras_lstsq_agrees():
    pytest.importorskip("tensorflow")
    table, _ = _table()
    np.testing.assert_allclose(lr.lstsq_weights_keras(table.features, table.target),
                               lr.normal_equation_weights(table.features, table.target), rtol=1e-8)


def test_intercept_fit_recovers_an_exact_affine_relation():
    rng = np.random.default_rng(0)
    x_train, x_test = rng.normal(size=(30, 3)), rng.normal(size=(5, 3))
    w, b = np.array([1.0, -2.0, 0.5]), 3.0
    prediction = lr.intercept_fit_predictions(x_train, x_train @ w + b, x_test)
    np.testing.assert_allclose(prediction, x_test @ w + b, rtol=1e-10)
    # without the constant column the same data cannot be fitted exactly
    assert not np.allclose(x_test @ lr.normal_equation_weights(x_train, x_train @ w + b), x_test @ w + b)
