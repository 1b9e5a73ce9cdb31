"""Feature visualisation by activation maximization (book Sec. 12.2.2, Eq. 12.1-12.4).

The weights of a trained network stay fixed; the *input* is changed by gradient ascent,
starting from noise, until it excites a chosen part of the network as much as possible:

    x <- x + alpha dL/dx   (Eq. 12.2-12.3),

with one of the objectives ``L`` (each a number per sample, read from one layer's output with
a forward hook, so any ``nn.Module`` works):

- :func:`neuron`: one activation ``h^l_{i,c}`` at pixel ``i`` of channel ``c`` (Eq. 12.1);
- :func:`channel`: a whole feature map ``L^l_c = sum_i h^l_{i,c}``;
- :func:`deep_dream`: a whole layer ``L^l_dream = sum_{i,c} (h^l_{i,c})^2`` (Eq. 12.4);
- :func:`class_score`: a class score before the softmax (footnote 5).

Plain gradient ascent yields high-frequency patterns; :func:`maximize_activation` offers the
usual regularisers that make them readable (not in the book; see its Refs. [111-117]):
gradient normalisation by its root mean square (as the book's companion does), an L2
penalty, random jitter of the image and Gaussian blur.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..validation import (ParameterError, check_count, check_int, check_non_negative, check_positive,
                          check_seed)
from .scores import Target, score_layer, select, target_indices


@dataclass(frozen=True)
class Objective:
    """What activation maximization maximises: a number per sample from one layer's output.

    Attributes
    ----------
    layer
        The module whose output ``h`` (batch first) the objective reads.
    value
        ``h -> (batch,)`` tensor.
    name
        A description for messages and plot titles.
    """

    layer: nn.Module
    value: Callable[[torch.Tensor], torch.Tensor]
    name: str


def _channel_maps(activations: torch.Tensor, channels: int | Sequence[int]) -> torch.Tensor:
    """``activations[b, channels_b]`` for every sample (``channels`` may be one index for all)."""
    index = target_indices(channels, activations.shape[1], len(activations), "channel").to(activations.device)
    return activations[torch.arange(len(activations), device=activations.device), index]


def neuron(layer: nn.Module, channel: int | Sequence[int], position: Sequence[int] = ()) -> Objective:
    """The activation ``h^l_{i,c}`` of one neuron (Eq. 12.1).

    Parameters
    ----------
    layer
        The module whose output holds the neuron.
    channel
        The channel (or unit, for a dense layer) ``c``: one index, or one per sample.
    position
        The pixel ``i`` inside the channel, one index per spatial axis (``(row, column)`` for
        images); empty for a dense layer.
    """
    position = tuple(check_int(p, "position", low=0) for p in position)

    def value(activations: torch.Tensor) -> torch.Tensor:
        maps = _channel_maps(activations, channel)
        if len(position) != maps.ndim - 1 or any(p >= n for p, n in zip(position, maps.shape[1:])):
            raise ParameterError("position", f"an index into the maps of shape {tuple(maps.shape[1:])}", position)
        return maps[(slice(None), *position)]

    return Objective(layer, value, f"neuron {channel} at {position}")


def channel(layer: nn.Module, channel: int | Sequence[int]) -> Objective:
    """The sum of one feature map, ``L^l_c = sum_i h^l_{i,c}`` (Sec. 12.2.2).

    Parameters
    ----------
    layer
        The module whose output ``(batch, channels, ...)`` holds the feature maps.
    channel
        The channel ``c``: one index, or one per sample (to visualise several channels in
        one batch).
    """
    return Objective(layer, lambda h: _channel_maps(h, channel).flatten(1).sum(1), f"channel {channel}")


def deep_dream(layer: nn.Module) -> Objective:
    """The "deep dream" objective ``L^l_dream = sum_{i,c} (h^l_{i,c})^2`` of a whole layer (Eq. 12.4)."""
    return Objective(layer, lambda h: h.flatten(1).pow(2).sum(1), "deep dream")


def class_score(model: nn.Module, target: Target) -> Objective:
    """The score of class ``target`` before the output activation (Sec. 12.2.2, footnote 5).

    Parameters
    ----------
    model
        The network; a final softmax or sigmoid of an ``nn.Sequential`` is skipped.
    target
        The class: one index, or one per sample.
    """
    return Objective(score_layer(model), lambda scores: select(scores, target), f"class {target}")


READABLE = MappingProxyType({"steps": 50, "step_size": 0.5, "jitter": 2, "blur": 1.0, "blur_every": 2})
"""Settings of :func:`maximize_activation` that give readable patterns on small image CNNs:
50 steps of half the RMS-normalised gradient, shifts of up to 2 pixels, a blur of 1 pixel every
2 steps (chapter 12 and its tests use them on the 28 x 28 digits CNN)."""


@dataclass(frozen=True)
class Maximization:
    """The result of :func:`maximize_activation`.

    Attributes
    ----------
    inputs : torch.Tensor
        The final inputs, shaped as the start.
    values : (steps + 1, batch) ndarray
        The objective per sample before each step (at the jittered input) and, last, at the
        final inputs.
    """

    inputs: torch.Tensor
    values: np.ndarray


def _gaussian_blur(images: torch.Tensor, sigma: float) -> torch.Tensor:
    """Each channel of ``(batch, channels, h, w)`` images convolved with a Gaussian of width
    ``sigma`` pixels (separable, edges replicated)."""
    radius = max(1, math.ceil(3 * sigma))
    offsets = torch.arange(-radius, radius + 1, dtype=images.dtype, device=images.device)
    kernel = torch.exp(-0.5 * (offsets / sigma) ** 2)
    kernel = kernel / kernel.sum()
    channels = images.shape[1]
    padded = F.pad(images, (radius,) * 4, mode="replicate")
    rows = F.conv2d(padded, kernel.view(1, 1, 1, -1).expand(channels, 1, 1, -1), groups=channels)
    return F.conv2d(rows, kernel.view(1, 1, -1, 1).expand(channels, 1, -1, 1), groups=channels)


def _objective_value(model: nn.Module, objective: Objective, inputs: torch.Tensor) -> torch.Tensor:
    captured: list[torch.Tensor] = []
    handle = objective.layer.register_forward_hook(lambda _module, _inputs, output: captured.append(output))
    try:
        model(inputs)
    finally:
        handle.remove()
    if not captured:
        raise ParameterError("objective", "an objective on a layer of model", objective.name)
    return objective.value(captured[-1])


def maximize_activation(
    model: nn.Module, objective: Objective, start: torch.Tensor, *, steps: int = 50, step_size: float = 1.0,
    normalize_gradient: bool = True, l2: float = 0.0, jitter: int = 0, blur: float = 0.0, blur_every: int = 1,
    seed: int = 0,
) -> Maximization:
    """Gradient ascent on the input to maximise ``objective`` (Eq. 12.1-12.3), with regularisers.

    Each step evaluates the objective at the (jittered) input, takes its gradient ``g`` with
    respect to the input, subtracts the L2 penalty's ``2 l2 x``, optionally divides by the
    root mean square of ``g`` per sample, and moves ``x <- x + step_size g``; every
    ``blur_every`` steps the images are blurred. The model's weights are not changed (the
    gradient is taken with respect to the input only); put it in evaluation mode first. A
    ReLU output that is 0 at the start has no gradient and stays 0: start from other noise,
    or read the layer before the ReLU.

    Parameters
    ----------
    model
        Any torch module that runs ``objective.layer``.
    objective
        From :func:`neuron`, :func:`channel`, :func:`deep_dream` or :func:`class_score`.
    start
        The initial inputs, one per sample: Gaussian noise in the book, e.g.
        ``torch.randn(16, 1, 28, 28, generator=...)``, or an image for a deep dream.
    steps
        Number of ascent steps (> 0); the book's Exercise 12.2 uses 50.
    step_size
        The step ``alpha`` (> 0).
    normalize_gradient
        Divide the gradient by its root mean square per sample, so that the step size is in
        the units of the input (the book's companion does this).
    l2
        Weight (>= 0) of the penalty ``-l2 ||x||^2`` that keeps the input values small; it acts
        against the objective's gradient, so choose it on the scale of that.
    jitter
        Largest random shift in pixels (>= 0) of the image, rows and columns rolled, before
        each step; the patterns have to work at every position. Images only.
    blur
        Width in pixels (>= 0) of a Gaussian blur of the images after every ``blur_every``
        steps; removes the highest frequencies. Images only.
    blur_every
        Steps between blurs (> 0).
    seed
        Seed (>= 0) of the jitter.

    Returns
    -------
    Maximization
        The final inputs and the objective along the way.
    """
    steps, blur_every = check_count(steps, "steps"), check_count(blur_every, "blur_every")
    step_size = check_positive(step_size, "step_size")
    l2, blur = check_non_negative(l2, "l2"), check_non_negative(blur, "blur")
    jitter = check_int(jitter, "jitter", low=0)
    generator = torch.Generator().manual_seed(check_seed(seed))
    if (jitter or blur) and start.ndim != 4:
        raise ParameterError("start", "images (batch, channels, height, width) for jitter and blur", tuple(start.shape))
    x = start.detach().clone()
    values = []
    for step in range(steps):
        leaf = x.detach().requires_grad_(True)
        with torch.enable_grad():
            shifted = leaf.roll(torch.randint(-jitter, jitter + 1, (2,), generator=generator).tolist(),
                                dims=(-2, -1)) if jitter else leaf
            value = _objective_value(model, objective, shifted)
            (gradient,) = torch.autograd.grad(value.sum() - l2 * leaf.pow(2).sum(), leaf)
        values.append(value.detach())
        if normalize_gradient:
            rms = gradient.pow(2).flatten(1).mean(1).sqrt().clamp(min=1e-12)
            gradient = gradient / rms.view(-1, *[1] * (gradient.ndim - 1))
        x = leaf.detach() + step_size * gradient
        if blur and (step + 1) % blur_every == 0:
            x = _gaussian_blur(x, blur)
    with torch.no_grad():
        values.append(_objective_value(model, objective, x))
    return Maximization(inputs=x, values=torch.stack(values).cpu().numpy())
