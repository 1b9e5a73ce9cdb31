"""PyTorch networks, one family per module (the package map is in :mod:`dlpbook`).

- :mod:`dlpbook.nn.mlp`: fully-connected networks and their weight penalty (Ch. 3, 5, 7).
- :mod:`dlpbook.nn.deep_mlp`: residual blocks, batch-normalised and self-normalising (SELU)
  networks (Ch. 7); :mod:`dlpbook.nn.diagnostics`: per-layer activations and gradient norms.
- :mod:`dlpbook.nn.conv`: convolutional blocks (global pooling, separable convolutions,
  inception, DenseNet and U-Net blocks) and the Ex. 8.1/8.2 CNNs (Ch. 8).
- :mod:`dlpbook.nn.recurrent`: simple RNN, LSTM and GRU cells written out (Eq. 9.3-9.17),
  unrolled, bidirectional and stacked layers, gradient norms through time, the Ex. 9.1/9.2
  networks (Ch. 9).
- :mod:`dlpbook.nn.graph`: kNN graphs, GCN, EdgeConv, ChebConv, Deep Sets, message passing and
  the sky-map DGCNN (Ch. 10).
- :mod:`dlpbook.nn.multitask`: weighted multi-task losses, station masking, the Ex. 11.1
  network (Ch. 11).
- :mod:`dlpbook.nn.init`: Keras' ``he_normal`` and ``glorot_uniform`` and LeCun-normal
  initialisations, in place on a whole network (shared by ``conv``, ``multitask`` and ``deep_mlp``).
- :mod:`dlpbook.nn.side_by_side`: several networks trained as one model (the scans of Ex. 3.3
  and 5.1, the variants of Ex. 13.1).

Families other than ``mlp`` are used as submodules: ``from dlpbook.nn import conv``.

The builders of :mod:`dlpbook.nn.mlp` are re-exported here: ``from dlpbook import nn; nn.mlp(...)``.
"""

from .mlp import MLP, count_parameters, mlp, weight_penalty

__all__ = ["MLP", "count_parameters", "mlp", "weight_penalty"]
