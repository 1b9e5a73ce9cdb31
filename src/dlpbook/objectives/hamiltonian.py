"""Hamiltonian neural networks (book Sec. 14.5, Eqs. 14.31-14.40; Greydanus et al., Ref. [149]).

A Hamiltonian network learns a scalar ``H_theta(q, p)`` whose gradients give the motion,
``dq/dt = dH/dp`` and ``dp/dt = -dH/dq`` (Eqs. 14.33, 14.34). It is trained on observed
states and time derivatives with the loss (:func:`hamiltonian_loss`)

    ``L = (dH/dp - dq/dt)^2 + (dH/dq + dp/dt)^2``,

the corrected Eq. 14.35 (the book prints ``dp/dt`` and ``dq/dt`` swapped, which contradicts
Eqs. 14.33, 14.34). No labels of ``H`` are needed; because the learned field is exactly
Hamiltonian, trajectories stepped with it (Eq. 14.32; :func:`integrate`) keep ``H_theta``
constant up to the integrator's error. A plain network that predicts ``(dq/dt, dp/dt)``
directly (:func:`baseline_network`) has no such structure, and its orbits drift (Fig. 14.3).

States and fields are tensors ``(n, 2)``: columns ``(q, p)`` and ``(dq/dt, dp/dt)``;
:func:`dlpbook.data.oscillators.simulate` provides such data for the mass-spring system.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from ..nn.mlp import MLP, mlp
from ..validation import ParameterError, check_choice, check_count, check_float

VectorField = Callable[[torch.Tensor], torch.Tensor]
"""``field(states (n, 2)) -> (dq/dt, dp/dt) (n, 2)``."""
INTEGRATORS = ("leapfrog", "rk4")
"""The schemes of :func:`integrate`."""


class HamiltonianNetwork(nn.Module):
    """``H_theta(q, p)`` as a network; calling it gives the vector field ``(dH/dp, -dH/dq)``.

    Parameters
    ----------
    hidden
        Hidden layer widths of the tanh network ``(q, p) -> H`` (smooth, so that its gradient is).
    seed
        Seed of the initial weights.
    """

    def __init__(self, hidden: Sequence[int] = (64, 64), *, seed: int = 0):
        super().__init__()
        self.energy_network = mlp(2, hidden, 1, activation="tanh", seed=seed)

    def energy(self, states: torch.Tensor) -> torch.Tensor:
        """The learned Hamiltonian ``H_theta(q, p)``, shape ``(n,)``."""
        return self.energy_network(states)[..., 0]

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """The symplectic field ``(dq/dt, dp/dt) = (dH/dp, -dH/dq)`` (Eqs. 14.33, 14.34), ``(n, 2)``.

        The gradient is taken with autograd with respect to the inputs; while gradients are
        recorded (training) it stays differentiable in the weights.
        """
        differentiable = torch.is_grad_enabled()
        with torch.enable_grad():
            x = states if states.requires_grad else states.detach().requires_grad_(True)
            (gradient,) = torch.autograd.grad(self.energy(x).sum(), x, create_graph=differentiable)
        return torch.stack([gradient[..., 1], -gradient[..., 0]], dim=-1)


def hamiltonian_loss(field: torch.Tensor, derivatives: torch.Tensor) -> torch.Tensor:
    """The corrected Eq. 14.35, ``(dH/dp - dq/dt)^2 + (dH/dq + dp/dt)^2``, averaged over states.

    Parameters
    ----------
    field
        A :class:`HamiltonianNetwork`'s output ``(dH/dp, -dH/dq)``, ``(n, 2)``.
    derivatives
        The observed ``(dq/dt, dp/dt)``, ``(n, 2)``.
    """
    dh_dp, dh_dq = field[..., 0], -field[..., 1]
    dq_dt, dp_dt = derivatives[..., 0], derivatives[..., 1]
    return ((dh_dp - dq_dt) ** 2 + (dh_dq + dp_dt) ** 2).mean()


def baseline_network(hidden: Sequence[int] = (64, 64), *, seed: int = 0) -> MLP:
    """The plain network of Fig. 14.3: ``(q, p) -> (dq/dt, dp/dt)`` directly, trained with the MSE."""
    return mlp(2, hidden, 2, activation="tanh", seed=seed)


def _leapfrog_step(field: VectorField, state: torch.Tensor, dt: float) -> torch.Tensor:
    """Stormer-Verlet (kick-drift-kick): symplectic and exact in energy to O(dt^2) for separable H."""
    q, p = state[..., :1], state[..., 1:]
    p = p + dt / 2 * field(torch.cat([q, p], -1))[..., 1:]
    q = q + dt * field(torch.cat([q, p], -1))[..., :1]
    p = p + dt / 2 * field(torch.cat([q, p], -1))[..., 1:]
    return torch.cat([q, p], -1)


def _rk4_step(field: VectorField, state: torch.Tensor, dt: float) -> torch.Tensor:
    """Classical fourth-order Runge-Kutta."""
    k1 = field(state)
    k2 = field(state + dt / 2 * k1)
    k3 = field(state + dt / 2 * k2)
    k4 = field(state + dt * k3)
    return state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


@torch.no_grad()
def integrate(field: VectorField, start, *, dt: float, n_steps: int, method: str = "leapfrog") -> torch.Tensor:
    """A trajectory stepped with a vector field (Eq. 14.32).

    Parameters
    ----------
    field
        ``states (n, 2) -> (dq/dt, dp/dt) (n, 2)``: a :class:`HamiltonianNetwork`, a
        :func:`baseline_network`, or the exact field.
    start
        Initial states ``(n, 2)`` (or one state ``(2,)``).
    dt
        Time step (a finite number != 0; negative runs backwards).
    n_steps
        Number of steps (> 0).
    method
        ``"leapfrog"`` (Stormer-Verlet: symplectic for a separable ``H = T(p) + V(q)``, such as
        the exact spring) or ``"rk4"`` (classical Runge-Kutta; better for a learned, non-separable
        ``H_theta``).

    Returns
    -------
    torch.Tensor
        ``(n_steps + 1, n, 2)`` (or ``(n_steps + 1, 2)``): the start, then every step.
    """
    if check_float(dt, "dt") == 0:
        raise ParameterError("dt", "a finite number other than 0", dt)
    n_steps = check_count(n_steps, "n_steps")
    step = {"leapfrog": _leapfrog_step, "rk4": _rk4_step}[check_choice(method, "method", INTEGRATORS)]
    state = torch.as_tensor(start, dtype=torch.get_default_dtype())
    if state.shape[-1] != 2:
        raise ParameterError("start", "states (q, p) along the last axis", start)
    states = [state]
    for _ in range(n_steps):
        state = step(field, state, dt)
        states.append(state)
    return torch.stack(states)
