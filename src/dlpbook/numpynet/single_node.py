"""The single-node computational graph of book Sec. 4.5 (Fig. 4.2, Eq. 4.25-4.35, Example 4.4).

One input x, one weight W, one bias b, an activation sigma and the squared error:

    z1 = W x           (4.25)
    z2 = z1 + b        (4.26)
    z3 = sigma(z2)     (4.27)
    L  = (y - z3)^2    (4.28)

The chain rule multiplies the local derivatives along the graph:
dL/dW = dL/dz3 * dz3/dz2 * dz2/dz1 * dz1/dW (4.29) and dL/db = dL/dz3 * dz3/dz2 * dz2/db (4.30).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation


@dataclass(frozen=True)
class SingleNodeGraph:
    """Every node value and local derivative of Fig. 4.2 for one sample (x, y)."""

    z1: float
    z2: float
    z3: float
    loss: float
    dz1_dw: float
    dz2_dz1: float
    dz2_db: float
    dz3_dz2: float
    dl_dz3: float
    dl_dw: float
    dl_db: float


def single_node_graph(w: float, b: float, x: float, y: float, activation: str = "relu") -> SingleNodeGraph:
    """Forward and backward pass through Fig. 4.2.

    Examples
    --------
    Example 4.4 of the book:

    >>> g = single_node_graph(w=0.5, b=0.1, x=1.0, y=1.0)
    >>> round(g.loss, 12), round(g.dl_dw, 12), round(g.dl_db, 12)
    (0.16, -0.8, -0.8)
    """
    sigma, sigma_prime = get_activation(activation)
    z1 = w * x  # 4.25
    z2 = z1 + b  # 4.26
    z3 = float(sigma(z2))  # 4.27
    loss = (y - z3) ** 2  # 4.28
    dl_dz3 = 2.0 * (z3 - y)
    dz3_dz2 = float(sigma_prime(z2))
    dl_dw = dl_dz3 * dz3_dz2 * 1.0 * x  # 4.29: dz2/dz1 = 1, dz1/dW = x
    dl_db = dl_dz3 * dz3_dz2 * 1.0  # 4.30: dz2/db = 1
    return SingleNodeGraph(z1, z2, z3, loss, x, 1.0, 1.0, dz3_dz2, dl_dz3, dl_dw, dl_db)


def single_node_loss(w, b, x: np.ndarray, y: np.ndarray, activation: str = "relu"):
    """Minibatch loss L(W, b) = mean_i (y_i - sigma(W x_i + b))^2 and its gradient (Eq. 4.34-4.35).

    Parameters
    ----------
    w, b : float or arrays of one common shape S (e.g. a grid for a loss-surface plot)
    x, y : (k,) samples

    Returns
    -------
    loss, dl_dw, dl_db : arrays of shape S
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"x and y must be 1-d of equal length, got {x.shape} and {y.shape}")
    sigma, sigma_prime = get_activation(activation)
    w, b = np.asarray(w, dtype=float)[..., None], np.asarray(b, dtype=float)[..., None]
    z2 = w * x + b
    residual = sigma(z2) - y
    upstream = 2.0 * residual * sigma_prime(z2)
    return (residual**2).mean(-1), (upstream * x).mean(-1), upstream.mean(-1)
