"""Deep Sets: permutation-invariant networks on sets of points (book Sec. 10.4.4)."""

from __future__ import annotations

import torch
from torch import nn

from ...validation import check_choice

_POOLINGS = ("sum", "mean")


class DeepSets(nn.Module):
    """``rho(pool_i phi(x_i))`` of Zaheer et al.: one network per element, a symmetric pooling, one on the set.

    Every element of a set is mapped by the same network ``phi``, the results are summed (or
    averaged) over the set, and ``rho`` maps this pooled vector to the output. The output
    does not depend on the order of the elements; in graph terms every element is joined to
    one central node only (Sec. 10.4.4). Energy flow networks are Deep Sets with ``phi``
    weighted by the particle energies.

    Parameters
    ----------
    phi
        Maps elements (..., f) to (..., m); applied to every element.
    rho
        Maps the pooled (batch, m) to the output (batch, ...).
    pooling
        ``"sum"`` (the sum decomposition of Zaheer et al., keeps the set size) or ``"mean"``.

    Examples
    --------
    >>> from dlpbook.nn import mlp
    >>> model = DeepSets(mlp(3, [32], 16, output_activation="relu"), mlp(16, [32], 1))
    """

    def __init__(self, phi: nn.Module, rho: nn.Module, *, pooling: str = "sum") -> None:
        super().__init__()
        self.phi, self.rho = phi, rho
        self.pooling = check_choice(pooling, "pooling", _POOLINGS)

    def forward(self, points: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """Outputs of ``rho`` for sets ``points`` (batch, n, f).

        ``mask`` (batch, n) bool marks the real elements of sets padded to ``n``; padding
        neither adds to the sum nor counts in the mean. A set without elements pools to zeros.
        """
        if points.ndim != 3:
            raise ValueError(f"points must have shape (batch, n, f), got {tuple(points.shape)}")
        embedded = self.phi(points)
        if mask is None:
            pooled = embedded.sum(dim=1) if self.pooling == "sum" else embedded.mean(dim=1)
        else:
            if mask.shape != points.shape[:2]:
                raise ValueError(f"mask {tuple(mask.shape)} must have the shape (batch, n) of points {tuple(points.shape)}")
            weights = mask.to(embedded.dtype).unsqueeze(-1)
            pooled = (embedded * weights).sum(dim=1)
            if self.pooling == "mean":
                pooled = pooled / weights.sum(dim=1).clamp(min=1)
        return self.rho(pooled)
