"""Adversarial attacks: inputs nudged along the loss gradient to fool a trained network (book Sec. 13.3, Ref. [144]).

The attacker knows the network and uses its differentiability: every input feature moves by
at most ``epsilon`` (an L-infinity ball around the input) in the direction that increases the
loss of the true label, and stays in the valid range of the inputs (pixel values in [0, 1],
say).

- :func:`fgsm`, the fast gradient sign method of Goodfellow et al.:
  ``x_adv = clip(x + epsilon sign(grad_x L(x, y)))``, one step.
- :func:`pgd`, projected gradient descent (Madry et al.): from a random point of the ball,
  ``steps`` signed steps of ``step_size``, each followed by the projection back onto the ball
  and the valid range. It finds at least as large a loss as FGSM, usually larger.
- :func:`accuracy_vs_epsilon`: the accuracy on attacked inputs as the budget grows.

The network is attacked in evaluation mode (no dropout), and its modes are restored after.
The inputs are assumed to lie in the valid range already.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..train.accuracy import categorical_accuracy
from ..train.batches import as_tensor
from ..validation import ParameterError, check_count, check_float, check_non_negative, check_positive
from ._context import evaluation_mode, model_device, seeded

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
"""``loss(outputs, labels) -> scalar``, the quantity an attack increases."""
Bounds = tuple[float, float] | None
"""``(low, high)``, the valid range of every input feature, or ``None`` for no limit."""


def _check_bounds(bounds: Bounds) -> Bounds:
    if bounds is None:
        return None
    requirement = "None or a pair (low, high) of finite numbers with low < high"
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise ParameterError("bounds", requirement, bounds)
    low, high = (check_float(value, "bounds") for value in bounds)
    if not low < high:
        raise ParameterError("bounds", requirement, bounds)
    return low, high


def _clip(x: torch.Tensor, bounds: Bounds) -> torch.Tensor:
    return x if bounds is None else x.clamp(*bounds)


def _ascent_direction(model: nn.Module, x: torch.Tensor, labels: torch.Tensor, loss: Loss) -> torch.Tensor:
    """``sign(grad_x loss(model(x), labels))``, without touching the gradients of the model's parameters."""
    x = x.detach().requires_grad_(True)
    (gradient,) = torch.autograd.grad(loss(model(x), labels), x)
    return gradient.sign()


def _prepare(model: nn.Module, inputs, labels) -> tuple[torch.Tensor, torch.Tensor]:
    device = model_device(model)
    return as_tensor(inputs, device), as_tensor(labels, device)


def fgsm(
    model: nn.Module, inputs, labels, epsilon: float, *, loss: Loss = F.cross_entropy, bounds: Bounds = (0.0, 1.0)
) -> torch.Tensor:
    """The fast gradient sign method: ``x + epsilon sign(grad_x L(x, y))``, clipped to ``bounds`` (Sec. 13.3).

    Parameters
    ----------
    model
        The attacked network, ``inputs -> outputs``.
    inputs : array_like or torch.Tensor
        The clean inputs ``x``, within ``bounds``.
    labels : array_like or torch.Tensor
        Their true labels ``y``, as ``loss`` expects them.
    epsilon
        The budget (>= 0): the largest change of any input feature.
    loss
        ``(outputs, labels) -> scalar`` (default: cross-entropy of logits and class indices;
        for one logit per sample e.g. ``lambda o, y: F.binary_cross_entropy_with_logits(o.flatten(), y.float())``).
    bounds
        ``(low, high)``, the valid range of the inputs, or ``None``.

    Returns
    -------
    torch.Tensor
        The adversarial inputs, on the model's device, detached.
    """
    epsilon, bounds = check_non_negative(epsilon, "epsilon"), _check_bounds(bounds)
    x, labels = _prepare(model, inputs, labels)
    with evaluation_mode(model):
        return _clip(x + epsilon * _ascent_direction(model, x, labels, loss), bounds).detach()


def pgd(
    model: nn.Module,
    inputs,
    labels,
    epsilon: float,
    *,
    steps: int = 10,
    step_size: float | None = None,
    random_start: bool = True,
    loss: Loss = F.cross_entropy,
    bounds: Bounds = (0.0, 1.0),
    seed: int = 0,
) -> torch.Tensor:
    """Projected gradient descent in the L-infinity ball: ``steps`` signed gradient steps, each projected back (Sec. 13.3).

    Each step is ``x' <- clip(P(x' + step_size sign(grad L(x', y))))`` with ``P`` the projection
    onto ``|x' - x|_inf <= epsilon`` and ``clip`` that onto ``bounds``; with ``random_start`` the
    first point is drawn uniformly from the ball (from ``seed``, leaving the caller's random
    state as it was). ``steps=1, step_size=epsilon, random_start=False`` is :func:`fgsm`.

    Parameters
    ----------
    model, inputs, labels, epsilon, loss, bounds
        As for :func:`fgsm`.
    steps
        Number of gradient steps (> 0).
    step_size
        Size (> 0) of a step in every feature (default ``2.5 epsilon / steps``).
    random_start
        Whether to start from a random point of the ball instead of ``x``.
    seed
        Seed (>= 0) of the random start.

    Returns
    -------
    torch.Tensor
        The adversarial inputs, on the model's device, detached.
    """
    epsilon, bounds, steps = check_non_negative(epsilon, "epsilon"), _check_bounds(bounds), check_count(steps, "steps")
    step_size = 2.5 * epsilon / steps if step_size is None else check_positive(step_size, "step_size")
    x, labels = _prepare(model, inputs, labels)
    with evaluation_mode(model), seeded(seed, x.device):
        adversarial = _clip(x + epsilon * (2 * torch.rand_like(x) - 1), bounds) if random_start else x
        for _ in range(steps):
            adversarial = adversarial + step_size * _ascent_direction(model, adversarial, labels, loss)
            adversarial = _clip(torch.minimum(torch.maximum(adversarial, x - epsilon), x + epsilon), bounds)
    return adversarial.detach()


def accuracy_vs_epsilon(
    model: nn.Module,
    inputs,
    labels,
    epsilons: Sequence[float],
    *,
    attack: Callable[..., torch.Tensor] = fgsm,
    accuracy: Callable[[torch.Tensor, torch.Tensor], float] = categorical_accuracy,
    **options,
) -> np.ndarray:
    """The accuracy on inputs attacked with each budget ``epsilon`` (the book's accuracy-versus-epsilon figure, Sec. 13.3).

    Parameters
    ----------
    model, inputs, labels
        As for :func:`fgsm`.
    epsilons
        The budgets (each >= 0); ``0`` gives the clean accuracy.
    attack
        :func:`fgsm` or :func:`pgd` (or any function with their signature).
    accuracy
        ``(outputs, labels) -> float`` (default :func:`dlpbook.train.categorical_accuracy`; for one
        logit per sample ``functools.partial(dlpbook.train.binary_accuracy, threshold=0)``).
    **options
        Passed to ``attack``: ``loss``, ``bounds``, ``steps``, ...

    Returns
    -------
    (len(epsilons),) ndarray
    """
    epsilons = [check_non_negative(epsilon, "epsilons") for epsilon in epsilons]
    _, tensor_labels = _prepare(model, inputs, labels)
    values = []
    for epsilon in epsilons:
        adversarial = attack(model, inputs, labels, epsilon, **options)
        with evaluation_mode(model), torch.no_grad():
            values.append(accuracy(model(adversarial), tensor_labels))
    return np.array(values)
