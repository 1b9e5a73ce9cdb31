"""Spring and pendulum trajectories: exact solution, energy conservation, consistent derivatives."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import oscillators


@pytest.fixture(scope="module", params=oscillators.SYSTEMS)
def trajectories(request):
    return request.param, oscillators.simulate(200, seed=1, system=request.param, n_steps=40, dt=0.1)


def test_shapes_and_times(trajectories):
    _, traj = trajectories
    for key in ("q", "p", "dq", "dp", "t"):
        assert traj[key].shape == (200, 40) and traj[key].dtype == np.float64
    assert traj["energy"].shape == (200,)
    np.testing.assert_allclose(traj["t"][0], 0.1 * np.arange(40))


def test_energy_is_conserved(trajectories):
    system, traj = trajectories
    energy = oscillators.hamiltonian(traj["q"], traj["p"], system)
    np.testing.assert_allclose(energy, np.broadcast_to(traj["energy"][:, None], energy.shape), rtol=1e-8)
    low, high = oscillators.ENERGY_RANGE[system]
    assert low <= traj["energy"].min() and traj["energy"].max() <= high


def test_derivatives_agree_with_finite_differences(trajectories):
    _, traj = trajectories
    dt = 0.1
    # fourth-order central differences: error dt^4/30 * fifth derivative, at most 1.5e-3 here
    for coordinate, derivative in (("q", "dq"), ("p", "dp")):
        f = traj[coordinate]
        central = (-f[:, 4:] + 8 * f[:, 3:-1] - 8 * f[:, 1:-3] + f[:, :-4]) / (12 * dt)
        np.testing.assert_allclose(central, traj[derivative][:, 2:-2], atol=3e-3)


def test_derivatives_follow_hamiltons_equations_for_the_spring():
    traj = oscillators.simulate(50, seed=2, system="spring")
    np.testing.assert_array_equal(traj["dq"], traj["p"])  # dH/dp = p/m (Eq. 14.40)
    np.testing.assert_array_equal(traj["dp"], -traj["q"])  # -dH/dq = -kq (Eq. 14.39)


def test_spring_matches_its_analytic_solution():
    traj = oscillators.simulate(100, seed=3, system="spring", n_steps=50, dt=0.3)
    amplitude = np.sqrt(2 * traj["energy"])
    phase0 = np.arctan2(-traj["p"][:, 0], traj["q"][:, 0])
    t = traj["t"]
    np.testing.assert_allclose(traj["q"], amplitude[:, None] * np.cos(t + phase0[:, None]), atol=1e-12)
    np.testing.assert_allclose(traj["p"], -amplitude[:, None] * np.sin(t + phase0[:, None]), atol=1e-12)


def test_small_pendulum_swings_like_a_spring_with_omega_sqrt_g():
    # for small amplitudes the pendulum is harmonic with omega = sqrt(g / l): period 2 pi / sqrt(3)
    q0 = 0.01
    q, p = oscillators._trajectories(
        np.array([oscillators.PENDULUM_G * (1 - np.cos(q0))]), np.array([[1.0, 1.0]]), np.linspace(0, 3, 31), "pendulum"
    )
    omega = np.sqrt(oscillators.PENDULUM_G)
    np.testing.assert_allclose(q[0], q0 * np.cos(omega * np.linspace(0, 3, 31)), atol=2e-6)


def test_noise_is_added_to_observations_only():
    clean = oscillators.simulate(300, seed=4, noise_std=0.0)
    noisy = oscillators.simulate(300, seed=4, noise_std=0.1)
    np.testing.assert_array_equal(clean["energy"], noisy["energy"])
    for key in ("q", "p", "dq", "dp"):
        assert (noisy[key] - clean[key]).std() == pytest.approx(0.1, rel=0.03)


def test_determinism_and_registry():
    first = data.simulate("oscillators", 30, seed=5, system="pendulum")
    np.testing.assert_array_equal(first["q"], oscillators.simulate(30, seed=5, system="pendulum")["q"])
    np.testing.assert_array_equal(data.load("oscillators", 30, seed=5, system="pendulum")["p"], first["p"])
    assert not np.array_equal(first["q"], oscillators.simulate(30, seed=6, system="pendulum")["q"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"system": "double pendulum"}, "system must be one of"),
        ({"n_steps": 1}, "n_steps must be an integer >= 2"),
        ({"dt": 0.0}, "dt must be a finite number > 0"),
        ({"noise_std": -0.1}, "noise_std must be a finite number >= 0"),
    ],
)
def test_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        oscillators.simulate(5, **kwargs)
