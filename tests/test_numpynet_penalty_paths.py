"""Minima of a quadratic loss plus an L1 or L2 penalty (Eq. 5.6, 5.7, Fig. 5.5)."""

import numpy as np
import pytest

from dlpbook.numpynet.penalty_paths import QuadraticLoss, l1_norm, l2_norm_squared, soft_threshold

LOSS = QuadraticLoss(minimum=np.array([1.5, 0.4]), curvature=np.array([[1.0, 0.3], [0.3, 0.8]]))


def brute_force_minimum(penalty, lam):
    w1, w2 = np.meshgrid(np.linspace(-0.5, 2.0, 1001), np.linspace(-0.8, 1.2, 801))
    grid = np.stack([w1, w2], axis=-1)
    total = LOSS(grid) + lam * penalty(grid)
    index = np.unravel_index(np.argmin(total), total.shape)
    return grid[index]


def test_loss_is_zero_at_its_minimum_and_quadratic():
    assert LOSS(LOSS.minimum) == 0
    assert LOSS(LOSS.minimum + np.array([1.0, 0.0])) == pytest.approx(1.0)
    assert LOSS(np.zeros((3, 4, 2))).shape == (3, 4)


@pytest.mark.parametrize("lam", [0.2, 0.8, 2.0])
def test_minima_agree_with_a_brute_force_search(lam):
    np.testing.assert_allclose(LOSS.l2_minimum(lam), brute_force_minimum(l2_norm_squared, lam), atol=4e-3)
    np.testing.assert_allclose(LOSS.l1_minimum(lam), brute_force_minimum(l1_norm, lam), atol=4e-3)


def test_l1_switches_the_small_weight_off_exactly_l2_does_not():
    assert LOSS.l1_minimum(0.8)[1] > 0  # below the threshold lambda of W_2 ...
    assert LOSS.l1_minimum(1.0)[1] == 0.0 and LOSS.l1_minimum(1.0)[0] > 0  # ... above it: exactly zero
    assert np.all(LOSS.l2_minimum(2.0) != 0)
    np.testing.assert_allclose(LOSS.l2_minimum(0.0), LOSS.minimum)
    np.testing.assert_allclose(LOSS.l1_minimum(0.0), LOSS.minimum)


def test_soft_threshold_and_norms():
    np.testing.assert_array_equal(soft_threshold(np.array([-2.0, -0.5, 0.3, 1.5]), 1.0), [-1.0, 0.0, 0.0, 0.5])
    assert l1_norm(np.array([1.0, -2.0])) == 3.0 and l2_norm_squared(np.array([1.0, -2.0])) == 5.0


def test_invalid_curvature_is_refused():
    with pytest.raises(ValueError, match="positive definite"):
        QuadraticLoss(np.zeros(2), np.array([[1.0, 0.0], [0.0, -1.0]]))
    with pytest.raises(ValueError, match="curvature"):
        QuadraticLoss(np.zeros(2), np.eye(3))
