"""Chebyshev spectral graph filters, ChebNet (book Sec. 10.5.1.1, Eq. 10.12)."""

from __future__ import annotations

import torch
from torch import nn

from ...validation import check_count
from .gcn import check_operator


class ChebConv(nn.Module):
    """The spectral filter ``X' = sum_{i < order} T_i(L̃) X Θ_i (+ b)`` of Defferrard et al. (Eq. 10.12).

    ``T_i`` are the Chebyshev polynomials of the rescaled Laplacian ``L̃ = 2 L / lambda_max - 1``
    (:func:`dlpbook.graph_matrices.scaled_laplacian`), evaluated by the recursion
    ``T_0 X = X``, ``T_1 X = L̃ X``, ``T_{i+1} X = 2 L̃ T_i X - T_{i-1} X``: no eigendecomposition,
    and ``T_i(L̃)`` reaches ``i`` hops, so the filter is localised within ``order - 1`` hops.
    With ``lambda_max = 2`` this is PyTorch Geometric's ``ChebConv(in, out, K=order)``.

    Parameters
    ----------
    in_features, out_features
        Features per node before and after (> 0).
    order
        Number of polynomial terms ``k`` of Eq. 10.12 (> 0); 1 acts on every node alone.
    bias
        Add a learnt bias per output feature.
    """

    def __init__(self, in_features: int, out_features: int, order: int, *, bias: bool = True) -> None:
        super().__init__()
        in_features, out_features = check_count(in_features, "in_features"), check_count(out_features, "out_features")
        self.terms = nn.ModuleList(nn.Linear(in_features, out_features, bias=False) for _ in range(check_count(order, "order")))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None

    def forward(self, features: torch.Tensor, scaled_laplacian: torch.Tensor) -> torch.Tensor:
        """Filter ``features`` (..., n, in_features) on the graph of ``scaled_laplacian`` (n, n).

        Returns (..., n, out_features).
        """
        check_operator(features, scaled_laplacian, "scaled_laplacian")
        previous, current = None, features
        out = self.terms[0](current)
        for term in self.terms[1:]:
            step = scaled_laplacian @ current
            previous, current = current, step if previous is None else 2 * step - previous
            out = out + term(current)
        return out if self.bias is None else out + self.bias
