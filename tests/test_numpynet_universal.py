import numpy as np
import pytest

from dlpbook.numpynet.universal import polygon_network
from dlpbook.validation import ParameterError


def target(x):
    return np.sin(x) + 0.3 * x


@pytest.mark.parametrize("width", [1, 2, 7, 64])
def test_polygon_network_is_the_linear_interpolation_between_its_knots(width):
    x = np.linspace(-3, 3, 1001)
    knots = np.linspace(-3, 3, width + 1)
    np.testing.assert_allclose(polygon_network(target, width, x, x_min=-3, x_max=3),
                               np.interp(x, knots, target(knots)), atol=1e-12)


def test_error_falls_like_one_over_width_squared():
    x = np.linspace(-3, 3, 4001)
    errors = [np.abs(polygon_network(target, w, x, x_min=-3, x_max=3) - target(x)).max() for w in (16, 32, 64)]
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 3.5) & (ratios < 4.5))


def test_left_of_the_interval_the_output_is_constant():
    assert np.allclose(polygon_network(target, 4, np.array([-10.0, -5.0, -3.0]), x_min=-3, x_max=3), target(-3.0))


@pytest.mark.parametrize(("width", "x_min", "x_max", "name"), [(0, -3, 3, "width"), (4, 3, 3, "x_max"),
                                                               (4, -np.inf, 3, "x_min")])
def test_bad_arguments_name_the_parameter(width, x_min, x_max, name):
    with pytest.raises(ParameterError, match=f"^{name} must"):
        polygon_network(target, width, np.zeros(3), x_min=x_min, x_max=x_max)
