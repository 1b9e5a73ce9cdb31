"""A generic message-passing layer (book Sec. 10.4.5, the MPNN framework of Gilmer et al.)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from ...validation import check_choice

_AGGREGATIONS = ("sum", "mean", "max")


class MessagePassing(nn.Module):
    """``x'_i = update(x_i, agg_{j -> i} message(x_i, x_j, e_ij))`` over an edge list.

    The three steps of Sec. 10.4.5: a message ``m_ij`` along every edge ``j -> i``, a symmetric
    aggregation of the messages arriving at each node, and an update of the node from its own
    features and the aggregate. GCN (Example 10.5: ``m_ij = Â_ij x_j``, summed, then ``x' = W m``),
    EdgeConv and Deep Sets are special cases. Nodes that receive no message aggregate zeros.

    Parameters
    ----------
    message
        ``message(x_i, x_j, e_ij) -> m_ij``: (E, f), (E, f), (E, e) or ``None`` -> (E, m), where
        ``i`` is the target and ``j`` the source of each edge. A module is registered as a
        submodule (its parameters train).
    update
        ``update(x_i, m_i) -> x'_i``: (n, f), (n, m) -> (n, f').
    aggregation
        ``"sum"``, ``"mean"`` or ``"max"`` (element-wise).
    """

    def __init__(
        self,
        message: Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor],
        update: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
        *,
        aggregation: str = "sum",
    ) -> None:
        super().__init__()
        self.message, self.update = message, update
        self.aggregation = check_choice(aggregation, "aggregation", _AGGREGATIONS)

    def forward(
        self, features: torch.Tensor, edges: torch.Tensor, edge_features: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Pass messages along ``edges`` once.

        Parameters
        ----------
        features : (n, f)
            Node features.
        edges : (2, E) int64
            Sources in row 0, targets in row 1 (PyTorch Geometric's ``edge_index``;
            :func:`dlpbook.graph_matrices.edge_list` makes it from an adjacency matrix).
        edge_features : (E, e), optional
            Features (or weights, (E, 1) or (E,)) of the edges.

        Returns
        -------
        (n, f')
        """
        n = features.shape[0]
        if edges.ndim != 2 or edges.shape[0] != 2 or edges.dtype != torch.int64:
            raise ValueError(f"edges must be an int64 tensor (2, E), got {edges.dtype} {tuple(edges.shape)}")
        if edges.numel() and (int(edges.min()) < 0 or int(edges.max()) >= n):
            raise ValueError(f"edges must index the {n} nodes")
        sources, targets = edges
        messages = self.message(features[targets], features[sources], edge_features)
        shape = (n, *messages.shape[1:])
        if self.aggregation == "max":
            index = targets.reshape(-1, *[1] * (messages.ndim - 1)).expand_as(messages)
            aggregated = messages.new_zeros(shape).scatter_reduce(0, index, messages, "amax", include_self=False)
        else:
            aggregated = messages.new_zeros(shape).index_add(0, targets, messages)
            if self.aggregation == "mean":
                counts = torch.bincount(targets, minlength=n).clamp(min=1).to(messages.dtype)
                aggregated = aggregated / counts.reshape(-1, *[1] * (messages.ndim - 1))
        return self.update(features, aggregated)
