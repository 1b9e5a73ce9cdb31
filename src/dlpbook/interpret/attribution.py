"""Gradient-based explanations of one prediction (book Sec. 12.3.1-12.3.2).

All functions take a model, a minibatch ``inputs`` and a ``target`` (see
:mod:`dlpbook.interpret.scores`), explain the class score ``S_c`` *before* the output
activation, and return a tensor of the shape of ``inputs``, one map per sample:

- :func:`saliency`: the gradient ``dS_c/dx`` (Eq. 12.5), signed; how the score *changes*;
- :func:`gradient_times_input`: ``x * dS_c/dx``, an attribution (equal to LRP-0 on ReLU
  networks);
- :func:`integrated_gradients`: the gradient averaged along the straight path from a baseline
  to ``x``, times ``x - baseline``; complete: the map sums to ``S_c(x) - S_c(baseline)``;
- :func:`smoothgrad`: the gradient averaged over noisy copies of ``x``, less noisy than the
  plain gradient (book footnote 7).

Gradient×input, integrated gradients and SmoothGrad are not in the book; they are the
standard methods of the references it cites (Ancona et al., Ref. [119]).

Samples are treated independently, so put the model in evaluation mode first (``eval()``:
dropout off, batch norm with its running statistics). The model's parameters are not touched:
gradients are taken with :func:`torch.autograd.grad` with respect to the inputs only.
"""

from __future__ import annotations

import torch
from torch import nn

from ..validation import ParameterError, check_count, check_float, check_non_negative, check_seed
from .scores import Target, class_scores


def _gradient(model: nn.Module, inputs: torch.Tensor, target: Target) -> torch.Tensor:
    x = inputs.detach().requires_grad_(True)
    with torch.enable_grad():
        (gradient,) = torch.autograd.grad(class_scores(model, x, target).sum(), x)
    return gradient


def saliency(model: nn.Module, inputs: torch.Tensor, target: Target = None) -> torch.Tensor:
    """The saliency (sensitivity) map ``g_c = dS_c/dx`` at ``x = inputs`` (Eq. 12.5).

    Signed: a positive value means that raising this input raises the class score. Show it
    with a diverging colour scale centred at 0; ``abs()`` gives the strength alone.

    Parameters
    ----------
    model
        Any torch module; scores are read before a final softmax or sigmoid.
    inputs
        A minibatch ``(batch, ...)``.
    target
        The class per sample (an index, one index per sample, or ``None`` for one output).

    Returns
    -------
    torch.Tensor
        The gradient, shaped as ``inputs``.
    """
    return _gradient(model, inputs, target)


def gradient_times_input(model: nn.Module, inputs: torch.Tensor, target: Target = None) -> torch.Tensor:
    """The attribution ``R_i = x_i dS_c/dx_i`` (Sec. 12.3.2; Ancona et al., Ref. [119]).

    On a ReLU network it equals LRP-0 (:mod:`dlpbook.interpret.lrp`); without biases ``S_c`` is
    also positively homogeneous, so the map sums to ``S_c(x)`` (completeness).

    Parameters and returns as :func:`saliency`.
    """
    return inputs.detach() * _gradient(model, inputs, target)


def _baseline(baseline: float | torch.Tensor, inputs: torch.Tensor) -> torch.Tensor:
    if isinstance(baseline, torch.Tensor):
        try:
            return torch.broadcast_to(baseline.to(inputs), inputs.shape)
        except RuntimeError:
            raise ParameterError("baseline", f"a number or a tensor broadcastable to {tuple(inputs.shape)}",
                                 tuple(baseline.shape)) from None
    return torch.full_like(inputs, check_float(baseline, "baseline"))


def integrated_gradients(
    model: nn.Module, inputs: torch.Tensor, target: Target = None, *, baseline: float | torch.Tensor = 0.0,
    steps: int = 50,
) -> torch.Tensor:
    """Integrated gradients (Sundararajan et al. 2017), an attribution with completeness (Sec. 12.3.2).

    ``IG_i = (x_i - x'_i) * integral_0^1 dS_c/dx_i (x' + alpha (x - x')) d alpha``, the integral
    by the midpoint rule with ``steps`` points ``alpha_k = (k + 1/2) / steps``. The map sums to
    ``S_c(x) - S_c(x')`` up to the error of the rule (exact for a linear model, ``O(steps^-2)``
    for a smooth one).

    Parameters
    ----------
    model, inputs, target
        As for :func:`saliency`.
    baseline
        The reference input ``x'``: a number for every input value, or a tensor broadcastable
        to ``inputs``; it should carry no information (0 for images, the mean of the data, a
        blurred copy).
    steps
        Number of points of the integral (> 0); one forward and backward pass each.

    Returns
    -------
    torch.Tensor
        Shaped as ``inputs``.
    """
    steps = check_count(steps, "steps")
    reference = _baseline(baseline, inputs)
    path = inputs.detach() - reference
    total = torch.zeros_like(path)
    for k in range(steps):
        total += _gradient(model, reference + (k + 0.5) / steps * path, target)
    return path * total / steps


def smoothgrad(
    model: nn.Module, inputs: torch.Tensor, target: Target = None, *, sigma: float = 0.1, samples: int = 50,
    seed: int = 0,
) -> torch.Tensor:
    """SmoothGrad (Smilkov et al. 2017): the saliency map averaged over noisy copies of the inputs.

    ``(1/n) sum_k dS_c/dx (x + eps_k)`` with ``eps_k ~ N(0, sigma^2)`` per input value. Averaging
    removes the rapid fluctuations of the gradient of a ReLU network (book footnote 7).

    Parameters
    ----------
    model, inputs, target
        As for :func:`saliency`.
    sigma
        Standard deviation of the noise (>= 0), in the units of the inputs; Smilkov et al.
        recommend 10-20 % of the range of the input values.
    samples
        Number of noisy copies (> 0).
    seed
        Seed (>= 0) of the noise.

    Returns
    -------
    torch.Tensor
        Shaped as ``inputs``.
    """
    sigma = check_non_negative(sigma, "sigma")
    samples = check_count(samples, "samples")
    generator = torch.Generator(device=inputs.device).manual_seed(check_seed(seed))
    total = torch.zeros_like(inputs)
    for _ in range(samples):
        noise = torch.randn(inputs.shape, generator=generator, device=inputs.device, dtype=inputs.dtype)
        total += _gradient(model, inputs + sigma * noise, target)
    return total / samples
