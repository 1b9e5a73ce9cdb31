"""Class activation maps (book Sec. 12.3.2.1, Eq. 12.6-12.8) and Grad-CAM.

:func:`class_activation_map` needs the architecture of Zhou et al. (Ref. [123]): feature maps
``h_{i,c}`` of the last convolution, global average pooling ``u_c = (1/n_pix) sum_i h_{i,c}``
(Eq. 12.6) and *directly* one linear layer ``s = W u + b`` (Eq. 12.7) before the softmax
(Eq. 12.8). Dropping the average gives one score per pixel,

    M_k(i) = sum_c W_{k,c} h_{i,c} + b_k,

whose spatial mean is the class score ``s_k``: the bias convention here adds ``b_k`` to every
pixel (as the book's companion does), so that ``mean_i M_k(i) = s_k`` exactly.

:func:`grad_cam` (Selvaraju et al. 2017, not in the book) drops the architectural constraint:
it weights the maps of any convolutional layer by the spatial mean of the score's gradient,
``alpha_c = (1/n_pix) sum_i dS_k/dh_{i,c}``, and keeps the positive part of
``sum_c alpha_c h_{i,c}``. On a CAM network, ``alpha_c = W_{k,c}/n_pix`` and Grad-CAM before the
ReLU is ``(M_k - b_k)/n_pix``.

Both maps have the resolution of the feature maps; ``size`` upsamples them bilinearly to the
input's (the book's way to "reverse" the pooling). Call ``eval()`` on the model first.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..validation import ParameterError, check_int
from .scores import Target, class_scores, target_indices


def _capture(module: nn.Module, store: dict, key: str, *, output: bool):
    """A forward hook on ``module`` that stores its output (or its first input) under ``key``."""
    return module.register_forward_hook(
        lambda _module, inputs, result: store.__setitem__(key, result if output else inputs[0]))


def _resize(maps: torch.Tensor, size: tuple[int, int] | None) -> torch.Tensor:
    if size is None:
        return maps
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ParameterError("size", "a pair (height, width) of positive integers", size)
    size = tuple(check_int(s, "size", low=1) for s in size)
    return F.interpolate(maps[:, None], size=size, mode="bilinear", align_corners=False)[:, 0]


@torch.no_grad()
def class_activation_map(
    model: nn.Module, images: torch.Tensor, features: nn.Module, classifier: nn.Linear, target: Target = None,
    *, size: tuple[int, int] | None = None,
) -> torch.Tensor:
    """The class activation map ``M_k(i) = sum_c W_{k,c} h_{i,c} + b_k`` (Eq. 12.6-12.7).

    Parameters
    ----------
    model
        A network in evaluation mode in which the output of ``features`` is globally averaged
        and fed to ``classifier`` (dropout in between is allowed; it is off in evaluation).
    images
        The minibatch.
    features
        The module (inside ``model``) whose output ``(batch, channels, h, w)`` are the feature
        maps ``h_{i,c}``, usually the activation after the last convolution.
    classifier
        The ``nn.Linear`` layer (inside ``model``) that maps the averaged features to the class
        scores.
    target
        The class ``k`` per sample (an index, one index per sample, or ``None`` for one output).
    size
        ``(height, width)`` to upsample the maps to (bilinear), or ``None``.

    Returns
    -------
    torch.Tensor
        ``(batch, h, w)`` (or ``(batch, *size)``); at the feature resolution its spatial mean is
        the class score ``s_k`` before the softmax.

    Raises
    ------
    ParameterError
        If ``classifier`` is not a linear layer or its input is not the spatial average of the
        output of ``features`` (not a CAM network, or the model is in training mode).
    """
    if not isinstance(classifier, nn.Linear):
        raise ParameterError("classifier", "an nn.Linear layer", type(classifier).__name__)
    store: dict[str, torch.Tensor] = {}
    handles = [_capture(features, store, "maps", output=True), _capture(classifier, store, "pooled", output=False)]
    try:
        model(images)
    finally:
        for handle in handles:
            handle.remove()
    if "maps" not in store or "pooled" not in store:
        raise ParameterError("features", "a module of model that runs before classifier", type(features).__name__)
    maps, pooled = store["maps"], store["pooled"]
    averaged = maps.mean(dim=(-2, -1)) if maps.ndim == 4 else None
    if averaged is None or averaged.shape != pooled.shape or not torch.allclose(averaged, pooled, rtol=1e-5, atol=1e-6):
        raise ParameterError("features", "the module whose output, globally averaged, is the input of "
                             "classifier (Eq. 12.6)", type(features).__name__)
    index = target_indices(target, classifier.out_features, len(images)).to(maps.device)
    weights = classifier.weight[index]
    bias = classifier.bias[index] if classifier.bias is not None else torch.zeros_like(weights[:, 0])
    return _resize(torch.einsum("bc,bchw->bhw", weights, maps) + bias[:, None, None], size)


def grad_cam(
    model: nn.Module, images: torch.Tensor, layer: nn.Module, target: Target = None, *, relu: bool = True,
    size: tuple[int, int] | None = None,
) -> torch.Tensor:
    """Grad-CAM: the feature maps of ``layer`` weighted by the mean gradient of the class score.

    ``ReLU(sum_c alpha_c h_{i,c})`` with ``alpha_c = (1/n_pix) sum_i dS_k/dh_{i,c}``, the score
    read before a final softmax or sigmoid.

    Parameters
    ----------
    model
        Any network with a convolutional layer, in evaluation mode.
    images
        The minibatch.
    layer
        The module (inside ``model``) whose output ``(batch, channels, h, w)`` is weighted,
        usually the last convolution or its activation.
    target
        The class per sample (an index, one index per sample, or ``None`` for one output).
    relu
        Keep only the positive part (as Selvaraju et al.; Captum's ``LayerGradCam`` does not
        unless asked with ``relu_attributions=True``).
    size
        ``(height, width)`` to upsample the maps to (bilinear), or ``None``.

    Returns
    -------
    torch.Tensor
        ``(batch, h, w)`` (or ``(batch, *size)``).
    """
    store: dict[str, torch.Tensor] = {}
    handle = _capture(layer, store, "maps", output=True)
    try:
        with torch.enable_grad():
            score = class_scores(model, images.detach().requires_grad_(True), target)
            if "maps" not in store or store["maps"].ndim != 4:
                raise ParameterError("layer", "a module of model with outputs (batch, channels, h, w)",
                                     type(layer).__name__)
            (gradient,) = torch.autograd.grad(score.sum(), store["maps"])
    finally:
        handle.remove()
    maps = torch.einsum("bc,bchw->bhw", gradient.mean(dim=(-2, -1)), store["maps"].detach())
    return _resize(maps.clamp(min=0) if relu else maps, size)
