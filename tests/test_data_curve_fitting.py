"""The curve-fitting toy of chapter 5: sin(2 pi x) with Gaussian noise."""

import numpy as np
import pytest

from dlpbook.data import curve_fitting
from dlpbook.validation import ParameterError


def test_truth_is_one_sine_period_on_the_unit_interval():
    np.testing.assert_allclose(curve_fitting.truth([0.0, 0.25, 0.5, 0.75]), [0, 1, 0, -1], atol=1e-12)


def test_sample_is_seeded_uniform_and_noisy():
    x, y = curve_fitting.sample(20_000, np.random.default_rng(1))
    assert x.shape == y.shape == (20_000,)
    assert 0 <= x.min() and x.max() <= 1
    assert np.std(y - curve_fitting.truth(x)) == pytest.approx(curve_fitting.NOISE, rel=0.03)
    again = curve_fitting.sample(20_000, np.random.default_rng(1))
    np.testing.assert_array_equal(again[1], y)


def test_measure_keeps_the_shape_and_noise_zero_is_the_truth():
    x = np.linspace(0, 1, 6).reshape(2, 3)
    assert curve_fitting.measure(x, np.random.default_rng(0)).shape == (2, 3)
    np.testing.assert_array_equal(curve_fitting.measure(x, np.random.default_rng(0), noise=0.0), curve_fitting.truth(x))
    with pytest.raises(ParameterError):
        curve_fitting.measure(x, np.random.default_rng(0), noise=-0.1)
    with pytest.raises(ParameterError):
        curve_fitting.sample(0, np.random.default_rng(0))
