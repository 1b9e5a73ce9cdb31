"""Exercise 4.3 (one-hot, softmax, cross-entropy, accuracy): the anchors in NumPy, torch and Keras."""

import numpy as np
import pytest

from dlpbook.exercises import classification_basics as cb


@pytest.mark.parametrize("solve", [cb.solve_numpy, cb.solve_torch])
def test_exercise_4_3_anchors(solve):
    result = solve()
    np.testing.assert_array_equal(result["one_hot"], np.eye(3)[[0, 0, 2, 1]])
    np.testing.assert_allclose(result["probabilities"][0], [0.2654, 0.7214, 0.0132], atol=5e-5)
    assert round(result["cross_entropy"], 6) == 0.684028
    np.testing.assert_array_equal(result["predicted"], [1, 0, 2, 1])
    assert result["accuracy"] == 0.75


@pytest.mark.keras
def test_exercise_4_3_anchors_keras():
    pytest.importorskip("tensorflow")
    result = cb.solve_keras()
    assert round(result["cross_entropy"], 6) == 0.684028
    np.testing.assert_allclose(result["probabilities"], cb.solve_numpy()["probabilities"], rtol=1e-6)
    np.testing.assert_array_equal(result["predicted"], [1, 0, 2, 1])
    assert result["accuracy"] == 0.75
