"""Temperatures of an ideal gas from atom speeds (book Examples 14.3, 14.4, Fig. 14.1).

Example 14.3 fits the temperature ``T`` of a Maxwell-Boltzmann density to measured speeds by
minimising the negative log-likelihood ``F(T) = -sum_i ln p_MB(v_i; T)`` (Eqs. 14.4, 14.16;
:func:`temperature_nll`, :func:`fit_temperature`). Its minimum is known in closed form,
``T' = m <v^2> / (3 k_B)`` (:func:`dlpbook.data.gas.temperature_estimate`), with the
resolution ``T' sqrt(2 / (3 N))``: a check of the gradient fit and its Hessian error.

Example 14.4 learns the same thing from examples: a network maps the speeds of one sample to
the thermometer reading, trained with the mean squared error (Eqs. 14.21-14.26;
:func:`train_gas_thermometer`). :class:`GasThermometer` is permutation invariant (a Deep Set:
the mean over atoms of a per-atom network, then a linear read-out), so it can learn
``T ∝ <v^2>``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from ..data import gas
from ..history import History
from ..train import fit
from ..validation import ParameterError, check_count, check_positive, check_seed, check_sizes
from .fitting import FitResult, minimize


def _speeds(speed, name: str = "speed", ndim: int = 1) -> np.ndarray:
    v = np.asarray(speed, dtype=float)
    if v.ndim != ndim or v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < 0):
        raise ParameterError(name, f"a non-empty {ndim}-dimensional array of finite speeds >= 0", speed)
    return v


def temperature_nll(speed, temperature_k: torch.Tensor, mass_u: float = gas.HELIUM_MASS_U) -> torch.Tensor:
    """``F(T) = -sum_i ln p_MB(v_i; T)`` (Eqs. 14.4, 14.16), differentiable in ``T``.

    Parameters
    ----------
    speed
        Speeds ``v_i``, m/s (1D).
    temperature_k
        ``T`` in K, a tensor of any shape (e.g. a scan for Fig. 14.1: one ``F`` per value).
    mass_u
        Atomic mass, u.

    Returns
    -------
    torch.Tensor
        ``F``, shaped as ``temperature_k``.
    """
    v = torch.as_tensor(_speeds(speed))
    variance_per_kelvin = gas.velocity_scale(1.0, mass_u) ** 2  # k_B / m
    variance = variance_per_kelvin * torch.as_tensor(temperature_k, dtype=torch.float64)[..., None]
    log_density = 0.5 * np.log(2 / np.pi) + 2 * torch.log(v) - 1.5 * torch.log(variance) - v**2 / (2 * variance)
    return -log_density.sum(-1)


def fit_temperature(speed, mass_u: float = gas.HELIUM_MASS_U, *, initial_k: float = 300.0) -> FitResult:
    """The maximum-likelihood temperature of Example 14.3 by gradient descent on :func:`temperature_nll`.

    Parameters
    ----------
    speed
        Speeds, m/s (1D).
    mass_u
        Atomic mass, u.
    initial_k
        Start value of ``T``, K (> 0); the fit runs in units of it.

    Returns
    -------
    FitResult
        ``parameters[0]`` is ``T'`` in K, ``errors[0]`` its Hessian uncertainty.
    """
    v = _speeds(speed)
    initial_k = check_positive(initial_k, "initial_k")
    result = minimize(lambda theta: temperature_nll(v, theta[0] * initial_k, mass_u), [1.0], errordef=0.5)
    return FitResult(result.parameters * initial_k, result.covariance * initial_k**2, result.minimum)


class GasThermometer(nn.Module):
    """A network from the speeds of a gas sample to its temperature (Example 14.4).

    ``T_hat = T_unit * w . mean_i phi(v_i / v_unit) + b``, with ``phi`` a small ReLU network
    applied to every atom: invariant under permutations of the atoms and usable for any
    number of them.

    Parameters
    ----------
    hidden
        Widths of ``phi``'s layers (at least one).
    temperature_unit_k
        ``T_unit``, K: the network works with ``T / T_unit`` of order 1.
    mass_u
        Atomic mass, u; ``v_unit`` is the velocity scale at ``T_unit``.
    seed
        Seed of the initial weights.
    """

    def __init__(self, hidden: Sequence[int] = (32, 32), *, temperature_unit_k: float = 500.0,
                 mass_u: float = gas.HELIUM_MASS_U, seed: int = 0):
        super().__init__()
        sizes = [1, *check_sizes(hidden, "hidden", allow_empty=False)]
        self.temperature_unit_k = check_positive(temperature_unit_k, "temperature_unit_k")
        self.speed_unit = gas.velocity_scale(self.temperature_unit_k, mass_u)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(check_seed(seed))
            layers: list[nn.Module] = []
            for width_in, width_out in zip(sizes[:-1], sizes[1:]):
                layers += [nn.Linear(width_in, width_out), nn.ReLU()]
            self.phi = nn.Sequential(*layers)
            self.readout = nn.Linear(sizes[-1], 1)

    def forward(self, speed: torch.Tensor) -> torch.Tensor:
        """Temperatures ``(sets,)``, K, from speeds ``(sets, atoms)`` in m/s."""
        features = self.phi((speed / self.speed_unit)[..., None]).mean(dim=-2)
        return self.temperature_unit_k * self.readout(features)[..., 0]


def train_gas_thermometer(
    speed,
    temperature_k,
    *,
    hidden: Sequence[int] = (32, 32),
    epochs: int = 20,
    batch_size: int = 64,
    learning_rate: float = 3e-3,
    mass_u: float = gas.HELIUM_MASS_U,
    seed: int = 0,
    progress: bool | None = False,
) -> tuple[GasThermometer, History]:
    """Train a :class:`GasThermometer` on thermometer readings with the MSE (Eq. 14.26).

    Parameters
    ----------
    speed
        ``(sets, atoms)`` speeds, m/s (e.g. ``dlpbook.data.gas.thermometer_sets()["speed"]``).
    temperature_k
        ``(sets,)`` thermometer readings, K.
    hidden, mass_u, seed
        Of the network.
    epochs, batch_size, learning_rate
        Training with Adam through :func:`dlpbook.train.fit`; the loss is the MSE of
        ``T / T_unit`` (Eq. 14.26 up to the constant factor).
    progress
        Progress bar.

    Returns
    -------
    (GasThermometer, History)
    """
    v = _speeds(speed, ndim=2)
    t = np.asarray(temperature_k, dtype=float)
    if t.shape != v.shape[:1] or not np.all(np.isfinite(t)) or np.any(t <= 0):
        raise ParameterError("temperature_k", f"{len(v)} positive finite temperatures, one per set", temperature_k)
    temperature_unit = float(np.mean(t))
    model = GasThermometer(hidden, temperature_unit_k=temperature_unit, mass_u=mass_u, seed=seed)

    def loss(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return torch.mean(((prediction - target) / temperature_unit) ** 2)

    optimizer = torch.optim.Adam(model.parameters(), lr=check_positive(learning_rate, "learning_rate"))
    history = fit(model, (v, t), loss=loss, optimizer=optimizer, epochs=check_count(epochs, "epochs"),
                  batch_size=batch_size, seed=seed, progress=progress)
    return model, history
