"""The rules of layer-wise relevance propagation (book Sec. 12.3.2.2; Montavon et al., Ref. [126]).

A rule redistributes the relevance ``R_j`` of a layer's outputs onto its inputs ``a_i``,
in proportion to contributions ``z_ij`` of input ``i`` to output ``j``:

    R_i = sum_j z_ij / (sum_i' z_i'j) R_j.

The rules differ in the contributions (``w_ij`` is a weight, ``b_j`` a bias, ``z_j`` the
output ``sum_i a_i w_ij + b_j``, ``(.)^+`` and ``(.)^-`` positive and negative parts); Ref. [126]
recommends LRP-0 for the upper layers, LRP-ε for the middle, LRP-γ or α-β for the lower and
z^B for the input layer (combined by :class:`dlpbook.interpret.lrp.Composite`):

- :class:`Zero` (LRP-0): ``R_i = sum_j a_i w_ij / z_j R_j``;
- :class:`Epsilon` (LRP-ε, Eq. 12.9): ``R_i = sum_j a_i w_ij / (z_j + ε sign z_j) R_j``;
- :class:`Gamma` (LRP-γ): LRP-0 with ``w -> w + γ w^+`` and ``b -> b + γ b^+``;
- :class:`AlphaBeta` (LRP-αβ): ``R_i = sum_j (α (a_i w_ij)^+ / z_j^+ - β (a_i w_ij)^- / z_j^-) R_j``
  with ``α - β = 1`` and ``z_j^± = sum_i (a_i w_ij)^± + b_j^±``;
- :class:`ZBox` (z^B), for inputs in a box ``l <= x <= h``:
  ``R_i = sum_j (x_i w_ij - l_i w_ij^+ - h_i w_ij^-) / (sum_i' x_i' w_i'j - l_i' w_i'j^+ - h_i' w_i'j^-) R_j``.

Eq. 12.9 prints ``ε + z_j``; here ε takes the sign of ``z_j`` (``sign 0 = +1``), so that it
always moves the denominator away from zero (book erratum 0.3.5, and Captum's convention).

Every rule is computed with the *gradient trick*: the layer's (modified) forward pass ``z(a)``
is linear in ``a``, so ``a_i * d/da_i [sum_j z_j(a) s_j]`` with ``s_j = R_j/z_j`` held fixed is
``sum_j a_i w_ij s_j``, the numerator above. That works for any layer built from weights, such
as ``nn.Linear`` and ``nn.Conv2d``, with :func:`torch.func.functional_call` swapping in the
modified parameters. Pooling layers have no parameters: they behave as layers with fixed
non-negative weights (average pooling) or as a selection of the largest input (max pooling,
so all relevance goes to the winner); a parameter change ``w -> f(w)`` scales them by ``f(1)``.

Conservation: ``sum_i R_i = sum_j R_j`` holds for LRP-0, LRP-γ, α-β and z^B on layers without
bias (and with ``z_j^- != 0`` for ``β > 0``), up to rounding and the tiny stabiliser (1e-9)
that keeps denominators away from zero. A bias and ε absorb the share
``(b_j + ε sign z_j) / (z_j + ε sign z_j)`` of ``R_j``.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.func import functional_call

from ..validation import ParameterError, check_float, check_non_negative

STABILISER = 1e-9
"""The ε of the rules without one: keeps denominators away from zero (as Captum's rules)."""

Transform = Callable[[torch.Tensor], torch.Tensor]


def _identity(parameter: torch.Tensor) -> torch.Tensor:
    return parameter


def _positive(parameter: torch.Tensor) -> torch.Tensor:
    return parameter.clamp(min=0)


def _negative(parameter: torch.Tensor) -> torch.Tensor:
    return parameter.clamp(max=0)


def _forward(layer: nn.Module, inputs: torch.Tensor, transform: Transform = _identity, *, bias: bool = True):
    """The layer's output with every parameter ``p`` replaced by ``transform(p)`` (the bias by 0
    if not ``bias``); a parameter-free (pooling) layer is scaled by ``transform(1)``."""
    parameters = dict(layer.named_parameters(recurse=False))
    if not parameters:
        return layer(inputs) * transform(inputs.new_ones(()))
    changed = {name: transform(p) if bias or name != "bias" else torch.zeros_like(p) for name, p in parameters.items()}
    return functional_call(layer, changed, (inputs,))


def _ratio(relevance: torch.Tensor, z: torch.Tensor, epsilon: float) -> torch.Tensor:
    """``R_j / (z_j + ε sign z_j)`` with ``sign 0 = +1``, and 0 where the denominator is 0."""
    denominator = z + epsilon * torch.where(z >= 0, 1.0, -1.0)
    zero = denominator == 0
    return torch.where(zero, 0.0, relevance / torch.where(zero, 1.0, denominator))


def _shares(forward: Callable[..., torch.Tensor], inputs: tuple[torch.Tensor, ...], relevance: torch.Tensor,
            epsilon: float) -> torch.Tensor:
    """``sum_k x_k * d/dx_k [z(x) . s]`` with ``s = R / (z + ε sign z)`` held fixed (the gradient
    trick), for ``z = forward(*inputs)`` linear in each input ``x_k``."""
    leaves = tuple(x.detach().requires_grad_(True) for x in inputs)
    with torch.enable_grad():
        z = forward(*leaves)
        # (z . s).sum() rather than grad_outputs=s: the latter imports sympy (2 s) on first use
        grads = torch.autograd.grad((z * _ratio(relevance, z.detach(), epsilon)).sum(), leaves)
    return sum(x.detach() * g for x, g in zip(leaves, grads))


class Rule(ABC):
    """A rule of LRP: the relevance of a layer's inputs from that of its outputs."""

    @abstractmethod
    def propagate(self, layer: nn.Module, inputs: torch.Tensor, relevance: torch.Tensor) -> torch.Tensor:
        """The relevance of ``inputs`` (the layer's input activations, batch first) given the
        ``relevance`` of the layer's outputs; shaped as ``inputs``."""


@dataclass(frozen=True)
class Epsilon(Rule):
    """LRP-ε (Eq. 12.9, sign-stabilised): ``R_i = sum_j a_i w_ij / (z_j + ε sign z_j) R_j``.

    A larger ε absorbs the relevance of weakly activated outputs, so the map keeps only the
    strongest, least noisy contributions (Example 12.2).

    Parameters
    ----------
    epsilon
        ε >= 0.
    """

    epsilon: float = 0.25

    def __post_init__(self):
        check_non_negative(self.epsilon, "epsilon")

    def propagate(self, layer, inputs, relevance):
        return _shares(lambda a: _forward(layer, a), (inputs,), relevance, self.epsilon)


@dataclass(frozen=True)
class Zero(Epsilon):
    """LRP-0 (Bach et al., Ref. [124]): LRP-ε with ε = 0, ``R_i = sum_j a_i w_ij / z_j R_j``.

    Equal to gradient×input on a ReLU network: with ``a_j = max(0, z_j)``, ``R_j / z_j`` is
    ``dS/dz_j`` layer by layer. An output with ``z_j = 0`` passes no relevance on.
    """

    epsilon: float = field(default=0.0, init=False)


@dataclass(frozen=True)
class Gamma(Rule):
    """LRP-γ: LRP-0 with the positive parameters enhanced, ``w -> w + γ w^+``, ``b -> b + γ b^+``.

    Favours positive contributions, which makes the maps more stable; meant for layers with
    non-negative inputs (after a ReLU). γ = 0 is LRP-0; large γ approaches α1-β0.

    Parameters
    ----------
    gamma
        γ >= 0.
    """

    gamma: float = 0.25

    def __post_init__(self):
        check_non_negative(self.gamma, "gamma")

    def propagate(self, layer, inputs, relevance):
        def enhanced(parameter):
            return parameter + self.gamma * parameter.clamp(min=0)

        return _shares(lambda a: _forward(layer, a, enhanced), (inputs,), relevance, STABILISER)


@dataclass(frozen=True)
class AlphaBeta(Rule):
    """LRP-αβ (Bach et al., Ref. [124]): positive and negative contributions redistributed apart.

    ``R_i = sum_j (α (a_i w_ij)^+ / z_j^+ - β (a_i w_ij)^- / z_j^-) R_j`` with
    ``z_j^± = sum_i (a_i w_ij)^± + b_j^±``. α = 1, β = 0 (α1-β0, "z^+") keeps only the
    positive evidence; α = 2, β = 1 also shows the negative.

    Parameters
    ----------
    alpha, beta
        ``beta >= 0`` and ``alpha - beta = 1`` (conservation).
    """

    alpha: float = 1.0
    beta: float = 0.0

    def __post_init__(self):
        beta = check_non_negative(self.beta, "beta")
        if not math.isclose(check_float(self.alpha, "alpha") - beta, 1):
            raise ParameterError("alpha", f"beta + 1 = {beta + 1:g} (alpha - beta = 1 conserves relevance)", self.alpha)

    def propagate(self, layer, inputs, relevance):
        positive_inputs, negative_inputs = inputs.clamp(min=0), inputs.clamp(max=0)

        def part(first: Transform, second: Transform):
            # (a w)^+ = a^+ w^+ + a^- w^-, (a w)^- = a^+ w^- + a^- w^+; the bias joins its own sign
            return lambda p, n: _forward(layer, p, first) + _forward(layer, n, second, bias=False)

        inputs = (positive_inputs, negative_inputs)
        positive = _shares(part(_positive, _negative), inputs, relevance, STABILISER)
        if not self.beta:
            return self.alpha * positive
        return self.alpha * positive - self.beta * _shares(part(_negative, _positive), inputs, relevance, STABILISER)


@dataclass(frozen=True)
class ZBox(Rule):
    """The z^B rule for the input layer, whose inputs lie in a box ``low <= x <= high``.

    ``R_i = sum_j (x_i w_ij - l_i w_ij^+ - h_i w_ij^-) / (sum_i' ...) R_j`` (Montavon et al.,
    Ref. [126]); biases are left out, so the layer conserves relevance. Use it for pixel
    intensities or detector signals with known bounds.

    Parameters
    ----------
    low, high
        The bounds of every input value, ``low < high``.
    """

    low: float = 0.0
    high: float = 1.0

    def __post_init__(self):
        check_float(self.high, "high", low=check_float(self.low, "low"), low_open=True)

    def propagate(self, layer, inputs, relevance):
        def z(x, low, high):
            return (_forward(layer, x, bias=False) - _forward(layer, low, _positive, bias=False)
                    - _forward(layer, high, _negative, bias=False))

        bounds = (torch.full_like(inputs, self.low), torch.full_like(inputs, self.high))
        return _shares(z, (inputs, *bounds), relevance, STABILISER)
