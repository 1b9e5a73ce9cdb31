"""dlpbook.objectives.hamiltonian: the corrected loss (Eq. 14.35 erratum), the integrators, and a
Hamiltonian network that recovers the mass-spring field and conserves energy better than a plain
network (Example 14.5, Fig. 14.3)."""

import numpy as np
import pytest
import torch

from dlpbook.data import oscillators
from dlpbook.objectives import hamiltonian
from dlpbook.train import fit
from dlpbook.validation import ParameterError


def spring_field(states):
    return torch.stack([states[..., 1], -states[..., 0]], -1)  # (dH/dp, -dH/dq) for H = (q^2 + p^2) / 2


@pytest.fixture(scope="module")
def trained():
    data = oscillators.simulate(25, seed=1, n_steps=20, dt=0.3, noise_std=0.05)
    states = np.stack([data["q"].ravel(), data["p"].ravel()], 1)
    derivatives = np.stack([data["dq"].ravel(), data["dp"].ravel()], 1)
    networks = {"hnn": hamiltonian.HamiltonianNetwork((32,)), "baseline": hamiltonian.baseline_network((32,))}
    for name, model in networks.items():
        loss = hamiltonian.hamiltonian_loss if name == "hnn" else torch.nn.MSELoss()
        fit(model, (states, derivatives), loss=loss, optimizer=torch.optim.Adam(model.parameters(), lr=2e-2),
            epochs=150, batch_size=len(states), progress=False, device="cpu")
    return networks


def test_the_loss_is_the_corrected_equation():
    states = torch.tensor([[0.3, -0.2], [0.5, 0.1]])
    observed = spring_field(states)
    assert float(hamiltonian.hamiltonian_loss(spring_field(states), observed)) == 0.0
    field = torch.tensor([[1.0, 2.0], [3.0, 4.0]])  # (dH/dp, -dH/dq)
    dh_dp, dh_dq = field[:, 0], -field[:, 1]
    expected = ((dh_dp - observed[:, 0]) ** 2 + (dh_dq + observed[:, 1]) ** 2).mean()
    torch.testing.assert_close(hamiltonian.hamiltonian_loss(field, observed), expected)


def test_the_integrators_follow_the_exact_spring_solution():
    start = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    t = 0.05 * np.arange(201)
    for method, tolerance in (("rk4", 1e-6), ("leapfrog", 2e-3)):
        path = hamiltonian.integrate(spring_field, start.float(), dt=0.05, n_steps=200, method=method)
        np.testing.assert_allclose(path[:, 0, 0].numpy(), np.cos(t), atol=tolerance)
        np.testing.assert_allclose(path[:, 0, 1].numpy(), -np.sin(t), atol=tolerance)


class KnownEnergy(torch.nn.Module):
    """H = q^4 / 4 + p^2 / 2 + q p, as an energy network returns it: shape (n, 1)."""

    def forward(self, states):
        q, p = states[..., 0], states[..., 1]
        return (q**4 / 4 + p**2 / 2 + q * p)[..., None]


def test_the_field_of_a_known_hamiltonian_is_exact():
    model = hamiltonian.HamiltonianNetwork((4,))
    model.energy_network = KnownEnergy()
    states = torch.tensor([[0.3, -0.2], [-1.1, 0.7], [2.0, 0.5]], dtype=torch.float64)
    q, p = states[:, 0], states[:, 1]
    exact = torch.stack([p + q, -(q**3 + p)], 1)  # (dH/dp, -dH/dq)
    torch.testing.assert_close(model(states), exact, rtol=0, atol=1e-12)
    with torch.no_grad():  # at inference too, and without a graph that reaches the inputs
        field = model(states)
    torch.testing.assert_close(field, exact, rtol=0, atol=1e-12)
    assert not field.requires_grad


def test_the_network_recovers_the_exact_vector_field(trained):
    q, p = np.meshgrid(np.linspace(-0.9, 0.9, 13), np.linspace(-0.9, 0.9, 13))
    radius = np.hypot(q, p).ravel()
    states = torch.tensor(np.stack([q.ravel(), p.ravel()], 1)[(radius > 0.35) & (radius < 0.95)], dtype=torch.float32)
    field, exact = trained["hnn"](states).detach(), spring_field(states)
    assert float((field - exact).norm() / exact.norm()) < 0.1


def test_energy_is_conserved_better_than_by_a_plain_network(trained):
    start = torch.tensor([[0.6, 0.0], [0.0, 0.8], [-0.4, 0.3]])
    drift = {}
    for name, model in trained.items():
        path = hamiltonian.integrate(model, start, dt=0.2, n_steps=200, method="rk4").numpy()
        energy = oscillators.hamiltonian(path[..., 0], path[..., 1])
        drift[name] = np.abs(energy[-1] / energy[0] - 1).mean()
        if name == "hnn":  # the learned Hamiltonian itself is conserved up to the integrator's error
            learned = trained["hnn"].energy(torch.as_tensor(path)).detach().numpy()
            assert np.ptp(learned, axis=0).max() < 0.01 * np.ptp(learned)
    assert drift["hnn"] < 0.5 * drift["baseline"]


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="method"):
        hamiltonian.integrate(spring_field, [[1.0, 0.0]], dt=0.1, n_steps=3, method="euler")
    with pytest.raises(ParameterError, match="dt"):
        hamiltonian.integrate(spring_field, [[1.0, 0.0]], dt=0.0, n_steps=3)
    with pytest.raises(ParameterError, match="n_steps"):
        hamiltonian.integrate(spring_field, [[1.0, 0.0]], dt=0.1, n_steps=0)
    with pytest.raises(ParameterError, match="start"):
        hamiltonian.integrate(spring_field, [[1.0, 0.0, 2.0]], dt=0.1, n_steps=3)
    with pytest.raises(ParameterError, match="hidden"):
        hamiltonian.HamiltonianNetwork((0,))
