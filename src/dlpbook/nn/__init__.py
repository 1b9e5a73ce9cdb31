"""PyTorch networks, one family per module (the package map is in :mod:`dlpbook`).

- :mod:`dlpbook.nn.mlp`: fully-connected networks and their weight penalty (Ch. 3, 5, 7).
- :mod:`dlpbook.nn.graph`: kNN graphs, the edge convolution and the sky-map DGCNN (Ch. 10).

The builders of :mod:`dlpbook.nn.mlp` are re-exported here: ``from dlpbook import nn; nn.mlp(...)``.
"""

from .mlp import MLP, count_parameters, mlp, weight_penalty

__all__ = ["MLP", "count_parameters", "mlp", "weight_penalty"]
