"""The deconvolutional network (DeconvNet) of Zeiler and Fergus (book Sec. 12.2.1, Ref. [107]).

A DeconvNet maps one activation of a trained ReLU CNN back into the input space, to show which
input pattern the corresponding feature detects. It runs the network backwards, layer by layer,
with three operations (the book's Fig. 12.1):

- a convolution is undone by the *transposed convolution* with the same filters, which is the
  correlation with the filters flipped horizontally and vertically (and input and output
  channels swapped); no bias is added;
- a ReLU is applied to the backward signal itself: negative values are set to 0;
- a max pooling is undone with the *switches*: the positions of the maxima, recorded in the
  forward pass, receive the signal, every other position 0.

Dense layers, flattening, dropout (evaluation mode) and average pooling are linear and are
undone by their transposes as well. The inversion is approximate: ReLU and pooling lose
information. Only the switches carry information about the image; the rest of the backward
pass is the same for every input, so without max pooling the DeconvNet's projection of a fixed
signal does not depend on the input at all.

Compared with the gradient (:func:`dlpbook.interpret.attribution.saliency`), which passes the
backward signal through a ReLU where the *forward* activation was positive, the DeconvNet keeps
it where the *backward* signal is positive; guided backpropagation (Springenberg et al. 2015)
requires both. Without ReLUs the three coincide.

:func:`reconstruct` follows Zeiler and Fergus: the strongest activation of one feature map,
alone, projected to the input. :func:`deconvnet` projects the unit signal of a class score,
the form in which Captum's ``Deconvolution`` offers the method.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ..nn.conv import GlobalPooling2d
from ..validation import ParameterError, ParameterTypeError
from .scores import OUTPUT_ACTIVATIONS, Target, target_indices

_TRANSPOSED_BY_AUTOGRAD = (nn.Linear, nn.Flatten, nn.Unflatten, nn.Dropout, nn.Identity, nn.AvgPool2d,
                           nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, GlobalPooling2d)
"""Linear layers (and global max pooling, whose switch autograd records): undone by the
vector-Jacobian product, which is their transpose."""
SUPPORTED = (nn.Conv2d, nn.ReLU, nn.MaxPool2d, *_TRANSPOSED_BY_AUTOGRAD)
"""The layer types a DeconvNet can run backwards."""


def _layers(model: nn.Module) -> list[nn.Module]:
    """The layers of a (nested) ``nn.Sequential`` in forward order, without a final softmax/sigmoid."""
    if not isinstance(model, nn.Sequential):
        raise ParameterTypeError("model", "an nn.Sequential", type(model).__name__)
    layers = [module for module in model.modules() if not isinstance(module, nn.Sequential)]
    if layers and isinstance(layers[-1], OUTPUT_ACTIVATIONS):
        layers = layers[:-1]
    for layer in layers:
        if not isinstance(layer, SUPPORTED):
            raise ParameterError("model", "made of the layers in dlpbook.interpret.deconvnet.SUPPORTED",
                                 type(layer).__name__)
        if isinstance(layer, nn.Conv2d) and layer.padding_mode != "zeros":
            raise ParameterError("model", "convolutions with zero padding", layer.padding_mode)
    return layers


def _conv_padding(conv: nn.Conv2d) -> tuple[int, int]:
    """The explicit padding of ``conv`` ("same" needs odd kernels, which pad symmetrically)."""
    if conv.padding == "valid":
        return (0, 0)
    if conv.padding == "same":
        if any(k % 2 == 0 for k in conv.kernel_size):
            raise ParameterError("model", "'same' convolutions with odd kernel sizes", conv.kernel_size)
        return tuple(d * (k - 1) // 2 for d, k in zip(conv.dilation, conv.kernel_size))
    return tuple(conv.padding)


def transposed_convolution(conv: nn.Conv2d, signal: torch.Tensor, input_size: Sequence[int]) -> torch.Tensor:
    """The DeconvNet step through a convolution: its transpose, with the same filters and no bias.

    Parameters
    ----------
    conv
        The convolution of the trained network.
    signal
        ``(batch, out_channels, h', w')``, a signal on the convolution's output.
    input_size
        ``(height, width)`` of the convolution's input, to which the result is shaped (a
        strided convolution maps several input sizes to the same output size).

    Returns
    -------
    torch.Tensor
        ``(batch, in_channels, height, width)``; equal to the correlation of ``signal`` with
        the filters flipped in both spatial directions, input and output channels swapped.
    """
    padding = _conv_padding(conv)
    natural = [(o - 1) * s - 2 * p + d * (k - 1) + 1 for o, s, p, d, k in
               zip(signal.shape[-2:], conv.stride, padding, conv.dilation, conv.kernel_size)]
    output_padding = tuple(size - n for size, n in zip(input_size, natural))
    return F.conv_transpose2d(signal, conv.weight, stride=conv.stride, padding=padding,
                              output_padding=output_padding, groups=conv.groups, dilation=conv.dilation)


def unpool(signal: torch.Tensor, switches: torch.Tensor, input_shape: Sequence[int]) -> torch.Tensor:
    """The DeconvNet step through a max pooling: each value goes back to where its maximum was.

    Parameters
    ----------
    signal
        ``(batch, channels, h', w')``, a signal on the pooling's output.
    switches
        The flat positions of the maxima inside each input map, as ``F.max_pool2d(...,
        return_indices=True)`` records them (same shape as ``signal``).
    input_shape
        ``(batch, channels, height, width)`` of the pooling's input.

    Returns
    -------
    torch.Tensor
        Shaped ``input_shape``: 0 except at the switches (summed where windows overlap and
        share a maximum).
    """
    flat = signal.new_zeros(*input_shape[:2], input_shape[2] * input_shape[3])
    flat.scatter_add_(2, switches.flatten(2), signal.flatten(2))
    return flat.view(*input_shape)


def _forward(layers: list[nn.Module], inputs: torch.Tensor, last: int):
    """Inputs of ``layers[:last + 1]``, their output, and the switches of every max pooling."""
    seen, switches, x = [], {}, inputs.detach()
    for index, layer in enumerate(layers[:last + 1]):
        seen.append(x)
        if isinstance(layer, nn.MaxPool2d):
            x, switches[index] = F.max_pool2d(x, layer.kernel_size, layer.stride, layer.padding, layer.dilation,
                                              ceil_mode=layer.ceil_mode, return_indices=True)
        else:
            x = layer(x)
    return seen, x, switches


def _project(layers, seen, switches, signal: torch.Tensor) -> torch.Tensor:
    """Run ``signal`` (on the output of ``layers[len(seen) - 1]``) backwards to the input."""
    for index in reversed(range(len(seen))):
        layer, layer_input = layers[index], seen[index]
        if isinstance(layer, nn.Conv2d):
            signal = transposed_convolution(layer, signal, layer_input.shape[-2:])
        elif isinstance(layer, nn.ReLU):
            signal = signal.clamp(min=0)
        elif isinstance(layer, nn.MaxPool2d):
            signal = unpool(signal, switches[index], layer_input.shape)
        else:
            x = layer_input.detach().requires_grad_(True)
            with torch.enable_grad():
                (signal,) = torch.autograd.grad(layer(x), x, signal)
    return signal


def _position(layers: list[nn.Module], layer: nn.Module) -> int:
    for index, candidate in enumerate(layers):
        if candidate is layer:
            return index
    raise ParameterError("layer", "a layer of model", type(layer).__name__)


@torch.no_grad()
def reconstruct(model: nn.Sequential, images: torch.Tensor, layer: nn.Module, channel: int) -> torch.Tensor:
    """The DeconvNet reconstruction of the strongest activation of one feature map (Sec. 12.2.1).

    For every image, all feature maps of ``layer``'s output except ``channel`` are set to 0,
    and in that map all activations except the largest; this single activation is projected
    back to the input space with transposed convolutions, ReLUs and max-pool switches.

    Parameters
    ----------
    model
        A (nested) ``nn.Sequential`` of the layers in :data:`SUPPORTED`, in evaluation mode.
        Networks that start with a reshaping module (such as
        :func:`dlpbook.nn.conv.ising_cnn`) are passed without it, ``model[1:]``.
    images
        ``(batch, channels, height, width)``; Zeiler and Fergus pick the images of the
        validation set that excite the feature map most.
    layer
        The module of ``model`` whose output holds the feature map, typically the ReLU after a
        convolution.
    channel
        The feature map.

    Returns
    -------
    torch.Tensor
        Shaped as ``images``: the input pattern that the activation responds to.
    """
    layers = _layers(model)
    seen, output, switches = _forward(layers, images, _position(layers, layer))
    if output.ndim != 4:
        raise ParameterError("layer", "a layer with feature maps (batch, channels, h, w)", tuple(output.shape))
    maps = output[:, target_indices(channel, output.shape[1], 1, "channel").item()].flatten(1)
    strongest = maps.argmax(dim=1)
    signal = torch.zeros_like(output)
    signal[:, channel].view(len(images), -1)[torch.arange(len(images)), strongest] = maps.amax(dim=1)
    return _project(layers, seen, switches, signal)


@torch.no_grad()
def deconvnet(model: nn.Sequential, inputs: torch.Tensor, target: Target = None) -> torch.Tensor:
    """The DeconvNet projection of a unit signal on the class score ``S_c`` (before the softmax).

    The attribution of Captum's ``Deconvolution``: the backward pass of the gradient
    (:func:`dlpbook.interpret.attribution.saliency`) with every ReLU applied to the backward
    signal instead of gated by the forward activation.

    Parameters
    ----------
    model
        As for :func:`reconstruct`.
    inputs
        A minibatch.
    target
        The output per sample (an index, one index per sample, or ``None`` for one output).

    Returns
    -------
    torch.Tensor
        Shaped as ``inputs``.
    """
    layers = _layers(model)
    seen, output, switches = _forward(layers, inputs, len(layers) - 1)
    scores = output.reshape(len(inputs), -1)
    index = target_indices(target, scores.shape[1], len(inputs)).to(scores.device)
    signal = torch.zeros_like(scores)
    signal[torch.arange(len(inputs), device=scores.device), index] = 1.0
    return _project(layers, seen, switches, signal.view(output.shape))
