"""Exercise 4.2: one-weight linear fit by gradient descent in torch and Keras."""

import numpy as np
import pytest

from dlpbook.exercises import linear_fit
from dlpbook.exercises.linear_fit import LinearFitSettings as Settings
from dlpbook.validation import ParameterError


def test_data_shapes_and_seed():
    x, y = linear_fit.make_data()
    assert x.shape == y.shape == (100, 1)
    assert x.dtype == y.dtype == np.float32
    np.testing.assert_allclose(x[[0, -1], 0], [-1.0, 1.0])
    x2, y2 = linear_fit.make_data()
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(y, linear_fit.make_data(Settings(seed=1905))[1])


def test_legacy_draws_match_the_original_global_seed():
    state = np.random.get_state()
    try:
        np.random.seed(1904)
        noise = np.random.randn(100)
    finally:
        np.random.set_state(state)
    x, y = linear_fit.make_data(Settings(legacy=True))
    np.testing.assert_allclose(y[:, 0], (2 * np.linspace(-1, 1, 100) + 0.3 * noise).astype(np.float32))


def test_torch_anchor_and_closed_form_path():
    x, y = linear_fit.make_data()
    fit = linear_fit.train_torch(x, y)
    assert len(fit.losses) == 80
    assert np.all(np.diff(fit.losses) <= 1e-7)
    assert 0.05 <= fit.losses[-1] <= 0.12
    assert abs(fit.w - 2.0) < 0.15
    # gradient descent on a quadratic from w0 = 0: w_k = w_lsq (1 - q^k), q = 1 - 2 lr <x^2>
    x64, y64 = x[:, 0].astype(float), y[:, 0].astype(float)
    w_lsq = x64 @ y64 / (x64 @ x64)
    q = 1 - 2 * 0.1 * np.mean(x64**2)
    assert fit.w == pytest.approx(w_lsq * (1 - q**80), rel=1e-5)


def test_torch_reproduces_original_loss_with_legacy_seed():
    fit = linear_fit.train_torch(*linear_fit.make_data(Settings(legacy=True)))
    assert fit.losses[-1] == pytest.approx(0.0792, abs=5e-5)


def test_first_step_is_the_analytic_gradient_step():
    x, y = linear_fit.make_data()
    fit = linear_fit.train_torch(x, y, Settings(iterations=1, w0=0.5))
    grad = np.mean(2 * (0.5 * x - y) * x)
    assert fit.w == pytest.approx(0.5 - 0.1 * grad, rel=1e-5)
    assert fit.losses[0] == pytest.approx(np.mean((0.5 * x - y) ** 2), rel=1e-6)


@pytest.mark.parametrize("kwargs", [{"lr": 0.0}, {"iterations": 0}, {"n": 1}, {"seed": -1}])
def test_invalid_arguments(kwargs):
    with pytest.raises(ParameterError) as error:
        Settings(**kwargs)
    assert error.value.name == next(iter(kwargs))
    x, y = linear_fit.make_data()
    with pytest.raises(ValueError, match="shape"):
        linear_fit.train_torch(x[:, 0], y)


@pytest.mark.keras
def test_keras_matches_torch_step_by_step():
    pytest.importorskip("tensorflow")
    x, y = linear_fit.make_data()
    torch_fit = linear_fit.train_torch(x, y)
    keras_fit = linear_fit.train_keras(x, y)
    assert 0.05 <= keras_fit.losses[-1] <= 0.12
    assert abs(keras_fit.w - 2.0) < 0.15
    np.testing.assert_allclose(keras_fit.losses, torch_fit.losses, rtol=1e-5)
    assert keras_fit.w == pytest.approx(torch_fit.w, rel=1e-5)


@pytest.mark.keras
def test_keras_layer_has_one_weight():
    pytest.importorskip("tensorflow")
    layer = linear_fit.keras_one_weight_layer(w0=1.5)
    out = layer(np.array([[2.0]], dtype=np.float32))
    assert layer.count_params() == 1
    assert float(np.asarray(out)[0, 0]) == pytest.approx(3.0)
