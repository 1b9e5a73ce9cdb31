"""A Hamiltonian network against a plain network on the mass-spring system (Example 14.5, Fig. 14.3).

Both learn from the same noisy observations of states and time derivatives
(:func:`dlpbook.data.oscillators.simulate`); :func:`spring_trajectories` steps both learned
fields from one start, and :func:`energy_drift` measures how far the true energy wanders.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch

from ...data import oscillators
from ...nn import mlp as mlp_module
from ...nn.mlp import MLP
from ...result_cache import cached_result
from ...train import fit
from ...validation import ParameterError, check_count
from .. import hamiltonian
from .common import (
    TRAINING_MODULES,
    cache_key,
    from_cache_key,
    load_weights,
    register,
    study_settings,
    weights_as_arrays,
)


@dataclasses.dataclass(frozen=True)
class SpringSettings:
    """Data and training of the Hamiltonian and the plain network (Example 14.5).

    ``n_trajectories`` mass-spring trajectories of ``n_steps`` samples ``dt`` apart, with
    Gaussian noise ``noise_std`` on ``q, p, dq/dt, dp/dt``; tanh networks of widths ``hidden``
    trained with Adam.
    """

    n_trajectories: int
    n_steps: int
    dt: float
    noise_std: float
    hidden: tuple[int, ...]
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int = 1


register("spring", quick=SpringSettings(25, 20, 0.3, 0.05, (32,), 20, 50, 2e-2),
         full=SpringSettings(50, 30, 0.2, 0.1, (200, 200), 500, 100, 1e-3))


@dataclasses.dataclass(frozen=True)
class SpringNetworks:
    """The two trained networks of Fig. 14.3 and their loss per epoch."""

    hnn: hamiltonian.HamiltonianNetwork
    baseline: MLP
    hnn_loss: np.ndarray
    baseline_loss: np.ndarray
    settings: SpringSettings


def spring_training_data(settings: SpringSettings) -> tuple[np.ndarray, np.ndarray]:
    """States ``(q, p)`` and observed ``(dq/dt, dp/dt)`` of the noisy spring trajectories, ``(n, 2)`` each."""
    data = oscillators.simulate(settings.n_trajectories, seed=settings.seed, n_steps=settings.n_steps,
                                dt=settings.dt, noise_std=settings.noise_std)
    states = np.stack([data["q"].ravel(), data["p"].ravel()], 1).astype(np.float32)
    derivatives = np.stack([data["dq"].ravel(), data["dp"].ravel()], 1).astype(np.float32)
    return states, derivatives


@cached_result(depends=(hamiltonian, oscillators, mlp_module, *TRAINING_MODULES))
def _train_spring(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = from_cache_key(SpringSettings, run, seed)
    states, derivatives = spring_training_data(settings)
    networks = {"hnn": hamiltonian.HamiltonianNetwork(settings.hidden, seed=seed),
                "baseline": hamiltonian.baseline_network(settings.hidden, seed=seed)}
    arrays = {}
    for name, model in networks.items():
        # the Hamiltonian network meets the observations only through the gradients of H (Eq. 14.35)
        loss = hamiltonian.hamiltonian_loss if name == "hnn" else torch.nn.MSELoss()
        history = fit(model, (states, derivatives), loss=loss, epochs=settings.epochs, batch_size=settings.batch_size,
                      optimizer=torch.optim.Adam(model.parameters(), lr=settings.learning_rate), seed=seed,
                      progress=False, device="cpu")
        arrays.update({f"loss:{name}": np.asarray(history["loss"]), **weights_as_arrays(name, model)})
    return arrays


def spring_networks(settings: SpringSettings | None = None) -> SpringNetworks:
    """The Hamiltonian and the plain network trained on the noisy spring (cached; Example 14.5).

    Both are tanh networks of the same widths, trained on the same states: the Hamiltonian
    network with the corrected Eq. 14.35, the plain one with the MSE of ``(dq/dt, dp/dt)``.
    """
    settings = settings or study_settings("spring")
    arrays = _train_spring(cache_key(settings), seed=settings.seed)
    hnn = load_weights(hamiltonian.HamiltonianNetwork(settings.hidden), "hnn", arrays)
    baseline = load_weights(hamiltonian.baseline_network(settings.hidden), "baseline", arrays)
    return SpringNetworks(hnn, baseline, arrays["loss:hnn"], arrays["loss:baseline"], settings)


def spring_field(states: torch.Tensor) -> torch.Tensor:
    """The exact mass-spring field ``(dq/dt, dp/dt) = (p, -q)`` (Eqs. 14.39, 14.40 with k = m = 1)."""
    return torch.stack([states[..., 1], -oscillators.SPRING_K * states[..., 0]], -1)


def spring_trajectories(networks: SpringNetworks, start, *, dt: float = 0.2, n_steps: int = 300) -> dict[str, np.ndarray]:
    """Orbits from ``start`` stepped with RK4 in the exact and the two learned fields.

    Parameters
    ----------
    networks
        From :func:`spring_networks`.
    start
        One state ``(q, p)``.
    dt, n_steps
        Time step and number of steps.

    Returns
    -------
    dict
        ``t`` (n_steps + 1,); ``exact``, ``hnn``, ``baseline`` (n_steps + 1, 2) states ``(q, p)``;
        ``energy:<name>`` (n_steps + 1,) the true energy ``H = (q^2 + p^2) / 2`` along each orbit.
    """
    start = np.asarray(start, dtype=np.float32)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ParameterError("start", "one finite state (q, p)", start)
    fields = {"exact": spring_field, "hnn": networks.hnn, "baseline": networks.baseline}
    result = {"t": dt * np.arange(check_count(n_steps, "n_steps") + 1)}
    for name, field in fields.items():
        path = hamiltonian.integrate(field, torch.from_numpy(start), dt=dt, n_steps=n_steps, method="rk4").numpy()
        result[name] = path
        result[f"energy:{name}"] = oscillators.hamiltonian(path[:, 0], path[:, 1])
    return result


def energy_drift(energy: np.ndarray) -> float:
    """The largest relative deviation ``max |E(t) / E(0) - 1|`` along an orbit."""
    energy = np.asarray(energy, dtype=float)
    return float(np.max(np.abs(energy / energy[0] - 1)))
