"""dlpbook.uncertainty.attacks (Ch. 13.3): FGSM and PGD in the L-infinity ball stay within their
budget and the valid range and increase the loss of a small trained classifier (PGD at least as
much as FGSM), and the accuracy falls as the budget grows."""

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from dlpbook import uncertainty
from dlpbook.nn import mlp
from dlpbook.train import categorical_accuracy, fit
from dlpbook.validation import ParameterError


@pytest.fixture(scope="module")
def trained():
    """A classifier of three classes of points in [0, 1]^8, and 200 test points.

    The class is the largest of three periodic scores: a nonlinear boundary, where several
    projected steps find more than one (on a linear model FGSM would already be optimal).
    """
    rng = np.random.default_rng(0)
    directions = rng.normal(size=(8, 3))
    x = rng.uniform(size=(1200, 8)).astype(np.float32)
    labels = np.argmax(np.sin(3 * (x - 0.5) @ directions), axis=1)
    model = mlp(8, [32, 32], 3, seed=0)
    fit(model, (x[:1000], labels[:1000]), loss=F.cross_entropy, optimizer=torch.optim.Adam(model.parameters(), lr=0.01),
        epochs=20, batch_size=50, device="cpu")
    return model, torch.as_tensor(x[1000:]), torch.as_tensor(labels[1000:])


def _loss(model, x, labels):
    with torch.no_grad():
        return F.cross_entropy(model(x), labels).item()


def test_fgsm_steps_by_epsilon_along_the_gradient_sign(trained):
    model, x, labels = trained
    adversarial = uncertainty.fgsm(model, x, labels, 0.05)
    assert (adversarial - x).abs().max() <= 0.05 + 1e-6
    assert adversarial.min() >= 0 and adversarial.max() <= 1
    assert _loss(model, adversarial, labels) > _loss(model, x, labels) + 0.3  # measured: 0.73 -> 1.4
    # by hand: x + epsilon sign(grad), clipped
    inputs = x.clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(F.cross_entropy(model(inputs), labels), inputs)
    torch.testing.assert_close(adversarial, (x + 0.05 * gradient.sign()).clamp(0, 1))
    assert torch.equal(uncertainty.fgsm(model, x, labels, 0.0), x)
    # without bounds nothing is clipped
    unbounded = uncertainty.fgsm(model, x, labels, 0.05, bounds=None)
    assert unbounded.min() < 0 and torch.allclose((unbounded - x).abs().max(), torch.tensor(0.05))


def test_pgd_stays_in_the_ball_and_beats_fgsm(trained):
    model, x, labels = trained
    # measured losses, FGSM / PGD from x / PGD from a random start: 1.09 / 1.10 / 1.10 at epsilon = 0.03,
    # 2.05 / 2.34 / 2.30 at 0.1
    for epsilon in (0.03, 0.1):
        fgsm_loss = _loss(model, uncertainty.fgsm(model, x, labels, epsilon), labels)
        for random_start in (False, True):
            adversarial = uncertainty.pgd(model, x, labels, epsilon, steps=10, random_start=random_start, seed=1)
            assert (adversarial - x).abs().max() <= epsilon + 1e-6
            assert adversarial.min() >= 0 and adversarial.max() <= 1
            assert _loss(model, adversarial, labels) >= fgsm_loss + (0.1 if epsilon == 0.1 else 0.0)
    # one full step from x is FGSM
    torch.testing.assert_close(uncertainty.pgd(model, x, labels, 0.05, steps=1, step_size=0.05, random_start=False),
                               uncertainty.fgsm(model, x, labels, 0.05))


def test_attacks_leave_the_model_and_the_random_state_alone(trained):
    model, x, labels = trained
    model.train()
    model.zero_grad(set_to_none=True)
    state = torch.random.get_rng_state()
    first = uncertainty.pgd(model, x, labels, 0.1, seed=3)
    assert torch.equal(torch.random.get_rng_state(), state) and model.training
    assert all(p.grad is None for p in model.parameters())
    assert torch.equal(first, uncertainty.pgd(model, x, labels, 0.1, seed=3))
    assert not torch.equal(first, uncertainty.pgd(model, x, labels, 0.1, seed=4))
    model.eval()


def test_accuracy_falls_with_epsilon(trained):
    model, x, labels = trained
    epsilons = [0.0, 0.02, 0.05, 0.1, 0.2]
    accuracy = uncertainty.accuracy_vs_epsilon(model, x, labels, epsilons)
    with torch.no_grad():
        assert accuracy[0] == pytest.approx(categorical_accuracy(model(x), labels))
    # measured: FGSM 0.725, 0.61, 0.455, 0.295, 0.18; PGD 0.725, 0.605, 0.415, 0.275, 0.16
    assert accuracy[0] > 0.65 and accuracy[3] < 0.5 * accuracy[0]
    strongest = uncertainty.accuracy_vs_epsilon(model, x.numpy(), labels.numpy(), epsilons, attack=uncertainty.pgd, steps=5)
    assert strongest[0] == accuracy[0] and np.all(np.diff(strongest) < 0)
    assert np.all(strongest <= accuracy)


def test_attacks_refuse_bad_arguments(trained):
    model, x, labels = trained
    with pytest.raises(ParameterError, match="epsilon"):
        uncertainty.fgsm(model, x, labels, -0.1)
    with pytest.raises(ParameterError, match="bounds"):
        uncertainty.fgsm(model, x, labels, 0.1, bounds=(1.0, 0.0))
    with pytest.raises(ParameterError, match="bounds"):
        uncertainty.pgd(model, x, labels, 0.1, bounds=(0.0,))
    with pytest.raises(ParameterError, match="steps"):
        uncertainty.pgd(model, x, labels, 0.1, steps=0)
    with pytest.raises(ParameterError, match="step_size"):
        uncertainty.pgd(model, x, labels, 0.1, step_size=0.0)
    with pytest.raises(ParameterError, match="epsilons"):
        uncertainty.accuracy_vs_epsilon(model, x, labels, [0.1, float("nan")])
