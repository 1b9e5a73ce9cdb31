"""The dynamic graph network of the book's Ex. 10.1 for cosmic-ray sky maps."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ...validation import ParameterError, check_count, check_sizes
from .edgeconv import EdgeConv
from .neighbours import knn_indices


class SkyMapDGCNN(nn.Module):
    """Classify sky maps of cosmic rays (``dlpbook.data`` set ``cr_sphere``) with edge convolutions.

    The architecture of the book's Ex. 10.1 (Sec. 10.4.3):

    1. EdgeConv on the features ``[ln E, x, y, z]`` over the kNN graph of the arrival directions
       (``widths[0]`` filters), ReLU;
    2. EdgeConv over the same fixed graph (``widths[1]``), ReLU;
    3. EdgeConv over a *dynamic* graph, the kNN in the feature space of layer 2 (``widths[2]``), ReLU;
    4. the mean over all rays (global average pooling, the "embedding"), then a linear layer to the
       class scores (logits; train with ``nn.CrossEntropyLoss``).

    Each EdgeConv kernel has three blocks of the layer's width. With the defaults the model has
    4,434 trainable parameters, and 4,770 counting the BatchNorm running statistics as Keras does.

    The energy enters as its logarithm: ``E / E_min`` follows a power law whose variance is
    infinite for ``gamma <= 3``, so rare very energetic rays would make the batch statistics of
    the first BatchNorm jump from batch to batch, while ``ln(E / E_min)`` is exponentially
    distributed. The prediction rests on small shifts of the pooled features; evaluate after
    :func:`dlpbook.train.recalibrate_batch_norm` for statistics that match the final weights.

    Parameters
    ----------
    k
        Neighbours per ray (the book uses 8), ``1 <= k < 500``.
    widths
        Filters of the three EdgeConv layers.
    n_classes
        Number of output scores.
    """

    def __init__(self, *, k: int = 8, widths: Sequence[int] = (8, 16, 32), n_classes: int = 2) -> None:
        super().__init__()
        widths = check_sizes(widths, "widths")
        if len(widths) != 3:
            raise ParameterError("widths", "the filters of the three EdgeConv layers", widths)
        self.k = check_count(k, "k")
        self.convolutions = nn.ModuleList(
            EdgeConv(width_in, [width] * 3) for width_in, width in zip([4, *widths[:2]], widths)
        )
        self.classifier = nn.Linear(widths[-1], check_count(n_classes, "n_classes"))

    def forward(self, data: torch.Tensor) -> torch.Tensor:
        """Class scores (batch, n_classes) for maps ``data`` (batch, rays, 4) with columns x, y, z, energy."""
        if data.ndim != 3 or data.shape[-1] != 4:
            raise ValueError(f"data must have shape (batch, rays, 4) [x, y, z, E], got {tuple(data.shape)}")
        if not bool((data[..., 3] > 0).all()):
            raise ValueError("energies (column 3, E / E_min) must be > 0")
        directions = data[..., :3]
        fixed = knn_indices(directions, self.k)
        hidden = torch.cat([torch.log(data[..., 3:]), directions], dim=-1)
        first, second, third = self.convolutions
        hidden = torch.relu(first(hidden, fixed))
        hidden = torch.relu(second(hidden, fixed))
        hidden = torch.relu(third(hidden, knn_indices(hidden, self.k)))
        return self.classifier(hidden.mean(dim=1))
