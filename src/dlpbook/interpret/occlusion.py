"""Occlusion, a perturbation-based explanation (book Sec. 12.3.3; Zeiler and Fergus, Ref. [107]).

A patch of the image is replaced by a baseline value, and the drop of the class score
``S_c(x) - S_c(x with the patch occluded)`` is recorded; the patch slides over the image. Each
pixel gets the mean drop of all patches that covered it. Model-agnostic and smooth, but one
forward pass per patch position, and the result depends on the patch size (it should match
the size of the patterns that matter, footnote 10) and on the baseline (0 is black for natural
images; for physics data a value that means "nothing there", such as no signal, or the mean).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..validation import ParameterError, check_float, check_int
from .scores import Target, class_scores


def _pair(value: int | tuple[int, int], name: str, highs: tuple[int, int]) -> tuple[int, int]:
    values = (value, value) if not isinstance(value, (tuple, list)) else tuple(value)
    if len(values) != 2:
        raise ParameterError(name, "an integer or a pair (height, width) of integers", value)
    return tuple(check_int(v, name, low=1, high=high) for v, high in zip(values, highs))


def _starts(size: int, patch: int, stride: int) -> range:
    """Positions of the patches along one axis: 0, stride, ... until the axis is covered (the last
    patch may stick out and is then cut at the edge)."""
    return range(0, (math.ceil((size - patch) / stride) + 1) * stride, stride)


@torch.no_grad()
def occlusion(
    model: nn.Module, images: torch.Tensor, target: Target = None, *, patch: int | tuple[int, int] = 3,
    stride: int | tuple[int, int] = 1, baseline: float = 0.0,
) -> torch.Tensor:
    """The occlusion map: the mean score drop when a patch around each pixel is occluded (Sec. 12.3.3).

    Patches start at the top-left corner and move by ``stride`` until they cover the image,
    as in Captum's ``Occlusion``; all channels of a patch are occluded together.

    Parameters
    ----------
    model
        Any torch module taking ``images``; scores are read before a final softmax or sigmoid.
    images
        ``(batch, channels, height, width)``.
    target
        The class per sample (an index, one index per sample, or ``None`` for one output).
    patch
        Patch size: an integer, or ``(height, width)``, at most the image size.
    stride
        Step between patch positions: an integer or ``(height, width)``, at most the patch
        size (so that every pixel is covered).
    baseline
        The value written into the occluded patch.

    Returns
    -------
    torch.Tensor
        ``(batch, height, width)``: positive where occluding lowers the class score.
    """
    if images.ndim != 4:
        raise ParameterError("images", "a tensor (batch, channels, height, width)", tuple(images.shape))
    height, width = images.shape[-2:]
    patch = _pair(patch, "patch", (height, width))
    stride = _pair(stride, "stride", patch)
    baseline = check_float(baseline, "baseline")
    reference = class_scores(model, images, target)
    total = images.new_zeros(len(images), height, width)
    count = images.new_zeros(height, width)
    for top in _starts(height, patch[0], stride[0]):
        for left in _starts(width, patch[1], stride[1]):
            window = (slice(top, top + patch[0]), slice(left, left + patch[1]))
            occluded = images.clone()
            occluded[(..., *window)] = baseline
            total[(slice(None), *window)] += (reference - class_scores(model, occluded, target))[:, None, None]
            count[window] += 1
    return total / count
