"""The dynamic graph network of the book's Ex. 10.1 for cosmic-ray sky maps."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ...validation import ParameterError, check_count, check_seed, check_sizes
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

    The fixed graph of layers 1 and 2 depends on the arrival directions only, so it can be
    computed once per data set rather than in every batch and epoch (kNN is about two thirds
    of the forward time on a CPU): pass ``precompute_knn(data[..., :3], k)`` as
    ``neighbours``, or train on the pair ``(data, neighbours)`` with :func:`dlpbook.train.fit`.

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

    def forward(
        self, data: torch.Tensor | tuple[torch.Tensor, torch.Tensor], neighbours: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Class scores (batch, n_classes) of sky maps.

        Parameters
        ----------
        data : (batch, rays, 4)
            Columns x, y, z (the arrival direction) and the energy ``E / E_min`` (> 0). May also
            be the pair ``(data, neighbours)``, as :func:`dlpbook.train.fit` passes nested inputs.
        neighbours : (batch, rays, k) int64, optional
            The kNN graph of the directions, :func:`precompute_knn` of ``data[..., :3]``;
            ``None`` computes it here. The scores are the same either way.
        """
        if isinstance(data, (tuple, list)):
            if neighbours is not None:
                raise TypeError("give neighbours either in the pair data = (maps, neighbours) or as an argument, not both")
            data, neighbours = data
        if data.ndim != 3 or data.shape[-1] != 4:
            raise ValueError(f"data must have shape (batch, rays, 4) [x, y, z, E], got {tuple(data.shape)}")
        if not bool((data[..., 3] > 0).all()):
            raise ValueError("energies (column 3, E / E_min) must be > 0")
        directions = data[..., :3]
        if neighbours is None:
            fixed = knn_indices(directions, self.k)
        elif tuple(neighbours.shape) != (*data.shape[:2], self.k):
            raise ValueError(f"neighbours must have shape (batch, rays, k={self.k}), got {tuple(neighbours.shape)}")
        else:
            fixed = neighbours.long()
        hidden = torch.cat([torch.log(data[..., 3:]), directions], dim=-1)
        first, second, third = self.convolutions
        hidden = torch.relu(first(hidden, fixed))
        hidden = torch.relu(second(hidden, fixed))
        hidden = torch.relu(third(hidden, knn_indices(hidden, self.k)))
        return self.classifier(hidden.mean(dim=1))


def skymap_dgcnn(*, k: int = 8, widths: Sequence[int] = (8, 16, 32), n_classes: int = 2, seed: int = 0) -> SkyMapDGCNN:
    """The network of the book's Ex. 10.1, :class:`SkyMapDGCNN`, with initial weights drawn from ``seed``.

    The defaults give the exercise's network: 4,434 trainable parameters, 4,770 with the
    BatchNorm statistics (as Keras counts them, :func:`dlpbook.keras_nn.graph.skymap_dgcnn`).
    The global torch random state is left as it was.

    Parameters
    ----------
    k
        Neighbours per ray (> 0).
    widths
        Filters of the three EdgeConv layers.
    n_classes
        Number of output scores (logits).
    seed
        Seed (>= 0) of the initial weights.
    """
    seed = check_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return SkyMapDGCNN(k=k, widths=widths, n_classes=n_classes)
