"""The universal approximation theorem made concrete (book Sec. 3.4).

One hidden layer of ReLU nodes ``max(0, x - x_k)`` is a sum of kinks; with output weights equal to
the change of slope at every kink it is the polygon through ``width + 1`` points of a target
function, the piecewise-linear interpolation. Its largest error shrinks like ``1 / width**2`` for a
smooth target, which is the constructive half of the theorem: suitable weights exist.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import check_count, check_float
from .activations import relu


def polygon_network(
    target: Callable[[np.ndarray], np.ndarray], width: int, x: np.ndarray, *, x_min: float, x_max: float
) -> np.ndarray:
    """Outputs of a hand-built ReLU layer of ``width`` nodes that draws a polygon through ``target``.

    Hidden node ``k`` is ``relu(x - x_k)`` at the knots ``x_k`` equally spaced from ``x_min`` to
    ``x_max``; its output weight is the change of slope of the polygon at ``x_k``; the output bias
    is ``target(x_min)``.

    Parameters
    ----------
    target
        The function to approximate, vectorised over a 1D array.
    width
        Number of hidden nodes (>= 1), one kink each.
    x : (n,) float
        Where to evaluate the network.
    x_min, x_max
        The interval of the knots (``x_min < x_max``); left of ``x_min`` the network is constant.

    Returns
    -------
    (n,) float
        The network's outputs, equal to the linear interpolation of ``target`` between the knots.
    """
    width = check_count(width, "width")
    x_min = check_float(x_min, "x_min")
    x_max = check_float(x_max, "x_max", low=x_min, low_open=True)
    x = np.asarray(x, dtype=float)
    knots = np.linspace(x_min, x_max, width + 1)
    slopes = np.diff(target(knots)) / np.diff(knots)
    hidden_bias = -knots[:-1]  # hidden node k: relu(1 * x - x_k), a kink at x_k
    output_weights = np.diff(slopes, prepend=0.0)  # change of slope at every kink
    hidden = relu(x[:, None] + hidden_bias[None, :])
    return hidden @ output_weights + target(knots[0])
