"""dlpbook.objectives.robust_loss against Eq. 14.30: closed forms, continuity at the limits, the
normalised density and the adaptive loss."""

import math

import pytest
import torch

from dlpbook.objectives import robust_loss
from dlpbook.validation import ParameterError

X = torch.linspace(-6, 6, 121, dtype=torch.float64)
SCALE = 1.7
Z = (X / SCALE) ** 2

CLOSED_FORMS = {
    2.0: Z / 2,  # L2
    1.0: torch.sqrt(Z + 1) - 1,  # Charbonnier / pseudo-Huber
    0.0: torch.log(Z / 2 + 1),  # Cauchy
    -2.0: 2 * Z / (Z + 4),  # Geman-McClure
    -math.inf: 1 - torch.exp(-Z / 2),  # Welsch
}


@pytest.mark.parametrize("alpha", list(CLOSED_FORMS))
def test_the_loss_has_its_closed_forms(alpha):
    torch.testing.assert_close(robust_loss.barron_loss(X, alpha, SCALE), CLOSED_FORMS[alpha], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("alpha, near", [(2.0, 2 - 1e-6), (2.0, 2 + 1e-6), (0.0, 1e-7), (0.0, -1e-7), (-math.inf, -1e7)])
def test_the_loss_is_continuous_into_its_limits(alpha, near):
    torch.testing.assert_close(robust_loss.barron_loss(X, near, SCALE), CLOSED_FORMS[alpha], rtol=1e-4, atol=1e-5)


def test_a_learned_alpha_gets_finite_gradients_at_the_special_values():
    alpha = torch.tensor([2.0, 0.0, 1.0], dtype=torch.float64, requires_grad=True)
    robust_loss.barron_loss(torch.tensor([0.5, 2.0, 3.0], dtype=torch.float64), alpha).sum().backward()
    assert torch.all(torch.isfinite(alpha.grad))


@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0, 2.0])
def test_the_density_is_normalised_and_gaussian_at_two(alpha):
    x = torch.linspace(-4000, 4000, 800_001, dtype=torch.float64)
    density = robust_loss.barron_density(x, alpha, 0.8)
    tail = 2 * 0.8**2 / (math.pi * math.sqrt(2) * 0.8) / 4000 if alpha == 0 else 0.0  # Cauchy mass beyond |x| > 4000
    assert float(torch.trapezoid(density, x)) == pytest.approx(1 - tail, abs=1e-4)
    if alpha == 2:
        torch.testing.assert_close(density, torch.exp(-(x**2) / (2 * 0.8**2)) / (math.sqrt(2 * math.pi) * 0.8))


def test_the_adaptive_loss_learns_a_small_alpha_for_heavy_tails_and_a_large_one_for_gaussians():
    generator = torch.Generator().manual_seed(0)
    gaussian = 0.5 * torch.randn(2000, generator=generator, dtype=torch.float64)
    cauchy = 0.5 * torch.distributions.Cauchy(0.0, 1.0).sample((2000,)).double()
    learned = {}
    for name, residuals in (("gaussian", gaussian), ("cauchy", cauchy)):
        loss = robust_loss.AdaptiveRobustLoss()
        optimizer = torch.optim.LBFGS(loss.parameters(), max_iter=100, line_search_fn="strong_wolfe")

        def closure():
            optimizer.zero_grad()
            value = loss(torch.zeros_like(residuals), residuals)
            value.backward()
            return value

        optimizer.step(closure)
        learned[name] = (float(loss.alpha.detach()), float(loss.scale.detach()))
    assert learned["gaussian"][0] > 1.7 and learned["gaussian"][1] == pytest.approx(0.5, rel=0.1)
    assert learned["cauchy"][0] < 0.3


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="alpha"):
        robust_loss.barron_loss(X, math.nan)
    with pytest.raises(ParameterError, match="alpha"):
        robust_loss.barron_loss(X, math.inf)
    with pytest.raises(ParameterError, match="scale"):
        robust_loss.barron_loss(X, 1.0, 0.0)
    with pytest.raises(ParameterError, match="alpha"):
        robust_loss.barron_density(X, -1.0)
    with pytest.raises(ParameterError, match="initial_alpha"):
        robust_loss.AdaptiveRobustLoss(alpha_low=0.5, initial_alpha=0.2)
