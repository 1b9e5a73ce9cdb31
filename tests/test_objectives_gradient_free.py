"""dlpbook.objectives.gradient_free: the (1+1) evolution strategy finds the minima of a quadratic,
the Rosenbrock valley and a non-differentiable staircase."""

import numpy as np
import pytest

from dlpbook.objectives import gradient_free
from dlpbook.validation import ParameterError


def rosenbrock(x):
    return float(100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2)


def test_it_finds_the_minimum_of_a_quadratic():
    centre = np.array([1.0, -2.0, 0.5, 3.0, 0.0])
    result = gradient_free.evolution_strategy(lambda x: float(np.sum((x - centre) ** 2)), np.zeros(5), target=1e-10)
    np.testing.assert_allclose(result.x, centre, atol=1e-4)
    assert result.value <= 1e-10 and result.evaluations < 5000
    assert np.all(np.diff(result.best_values) <= 0)


def test_it_finds_the_rosenbrock_minimum():
    result = gradient_free.evolution_strategy(rosenbrock, [-1.2, 1.0], step_size=0.5, max_evaluations=20_000, target=1e-10)
    np.testing.assert_allclose(result.x, [1.0, 1.0], atol=1e-3)


def test_it_minimises_a_staircase_without_gradients():
    result = gradient_free.evolution_strategy(lambda x: float(np.sum(np.floor(np.abs(x)))), [7.3, -4.6], step_size=2.0)
    assert result.value == 0.0


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="initial"):
        gradient_free.evolution_strategy(rosenbrock, [])
    with pytest.raises(ParameterError, match="step_size"):
        gradient_free.evolution_strategy(rosenbrock, [0.0, 0.0], step_size=-1.0)
    with pytest.raises(ParameterError, match="max_evaluations"):
        gradient_free.evolution_strategy(rosenbrock, [0.0, 0.0], max_evaluations=0)
    with pytest.raises(ParameterError, match="target"):
        gradient_free.evolution_strategy(rosenbrock, [0.0, 0.0], target=np.nan)
