"""The edge convolution of Wang et al. (book Sec. 10.4.2, Eq. 10.4-10.6)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ...validation import check_choice, check_count, check_sizes
from .neighbours import gather_neighbours

_AGGREGATIONS = ("mean", "max", "sum")


class EdgeConv(nn.Module):
    """Edge convolution ``x'_i = agg_{j in kNN(i)} h([x_i, x_i - x_j])`` with a shared kernel MLP ``h``.

    The kernel network ``h`` (the continuous filter of Eq. 10.4) sees the centre features and the
    difference to each neighbour, so it combines absolute and translation-invariant information;
    it is ``len(widths)`` blocks of ``Linear (no bias) -> ReLU -> BatchNorm``. A symmetric
    aggregation over the neighbours (Eq. 10.5-10.6) makes the layer independent of their order,
    and the whole layer is equivariant under permutations of the points.

    Parameters
    ----------
    in_features
        Features per point, ``f`` (> 0).
    widths
        Output widths of the kernel blocks (non-empty, each > 0); the last one is the number of
        filters of the layer.
    aggregation
        ``"mean"`` (the book's Ex. 10.1), ``"max"`` (Wang et al.) or ``"sum"``.
    """

    def __init__(self, in_features: int, widths: Sequence[int], *, aggregation: str = "mean") -> None:
        super().__init__()
        in_features = check_count(in_features, "in_features")
        widths = check_sizes(widths, "widths", allow_empty=False)
        self.aggregation = check_choice(aggregation, "aggregation", _AGGREGATIONS)
        layers: list[nn.Module] = []
        for width_in, width_out in zip([2 * in_features, *widths[:-1]], widths):
            layers += [nn.Linear(width_in, width_out, bias=False), nn.ReLU(), nn.BatchNorm1d(width_out)]
        self.kernel = nn.Sequential(*layers)

    def forward(self, features: torch.Tensor, neighbours: torch.Tensor) -> torch.Tensor:
        """Convolve ``features`` (batch, n, f) over the graph ``neighbours`` (batch, n, k).

        Returns (batch, n, widths[-1]).
        """
        centre = features.unsqueeze(2).expand(-1, -1, neighbours.shape[-1], -1)
        edges = torch.cat([centre, centre - gather_neighbours(features, neighbours)], dim=-1)
        batch, n, k, width = edges.shape
        messages = self.kernel(edges.reshape(-1, width)).reshape(batch, n, k, -1)
        if self.aggregation == "mean":
            return messages.mean(dim=2)
        if self.aggregation == "max":
            return messages.amax(dim=2)
        return messages.sum(dim=2)
