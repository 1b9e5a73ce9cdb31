"""Validation shared by the PyTorch and Keras builders of fully-connected networks."""

from __future__ import annotations

from collections.abc import Sequence


def check_mlp_arguments(n_in: int, hidden: Sequence[int], n_out: int, dropout: float) -> list[int]:
    """Check layer sizes and dropout rate; return the sizes ``[n_in, *hidden, n_out]``.

    Raises
    ------
    ValueError
        If a size is not a positive integer or ``dropout`` is outside [0, 1).
    """
    sizes = [n_in, *hidden, n_out]
    if any(int(s) != s or s <= 0 for s in sizes):
        raise ValueError(f"layer sizes must be positive integers, got {sizes}")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    return [int(s) for s in sizes]
