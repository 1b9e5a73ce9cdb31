"""Keras 3 graph networks, the twin of :mod:`dlpbook.nn.graph` (book Ch. 10, Ex. 10.1, Ex. 16.1).

- :func:`skymap_dgcnn`: the dynamic graph CNN of Ex. 10.1 with an edge convolution written for
  Keras 3 (the exercise's ``edgeconv.py`` relies on Keras 2 internals, see the toolchain notes),
  and :func:`precompute_knn` for its fixed graph;
- :func:`gcn`: the graph convolutional network of Example 10.2 / Ex. 16.1 (Spektral's
  ``GCNConv`` is tied to Keras 2).

The layers (:class:`EdgeConv`, :class:`KNearestNeighbours`, :class:`GCNConv`) subclass
``keras.layers.Layer``, so they are created on first use, after TensorFlow has started silenced
(:func:`layers`): importing this module stays cheap. The graph matrices come from the
framework-free :mod:`dlpbook.graph_matrices`, as in torch.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from types import SimpleNamespace

import numpy as np
from numpy.typing import ArrayLike

from ..validation import ParameterError, check_choice, check_count, check_int, check_rate, check_seed, check_sizes
from . import keras
from .mlp import _ACTIVATIONS, _activation

_AGGREGATIONS = ("mean", "max", "sum")


@functools.cache
def layers() -> SimpleNamespace:
    """The graph layers, defined on the first call: ``layers().EdgeConv`` and so on.

    Returns
    -------
    SimpleNamespace
        ``KNearestNeighbours``, ``EdgeConv`` and ``GCNConv``, Keras layer classes.
    """
    k = keras()
    ops = k.ops
    # registered, so that saved models load with keras.saving.load_model once layers() has run
    serializable = k.saving.register_keras_serializable(package="dlpbook")

    @serializable
    class KNearestNeighbours(k.layers.Layer):
        """Indices (batch, n, k) int32 of the ``k`` nearest neighbours of every point, itself excluded.

        The twin of :func:`dlpbook.nn.graph.knn_indices`: Euclidean distances in the last axis of
        points (batch, n, d), nearest first, no gradient.
        """

        def __init__(self, k: int, **kwargs) -> None:
            super().__init__(**kwargs)
            self.k = check_count(k, "k")

        def call(self, points):
            points = ops.stop_gradient(points)
            squared = ops.sum(points * points, axis=-1)
            distance = squared[:, None, :] - 2 * ops.matmul(points, ops.transpose(points, (0, 2, 1)))
            index = ops.arange(ops.shape(points)[1])
            itself = ops.expand_dims(index[:, None] == index[None, :], 0)
            distance = ops.where(itself, float("inf"), distance)
            return ops.top_k(-distance, self.k, sorted=True)[1]

        def compute_output_shape(self, input_shape):
            return (*input_shape[:2], self.k)

        def get_config(self):
            return {**super().get_config(), "k": self.k}

    @serializable
    class EdgeConv(k.layers.Layer):
        """Edge convolution ``x'_i = agg_{j in kNN(i)} h([x_i, x_i - x_j])`` (Eq. 10.4-10.6).

        The twin of :class:`dlpbook.nn.graph.EdgeConv`: the kernel ``h`` is ``len(widths)``
        blocks of ``Dense (no bias, ReLU) -> BatchNormalization`` (epsilon 1e-5 and momentum
        as torch's BatchNorm1d), shared by all edges. Called as ``layer(features, neighbours)``
        with features (batch, n, f) and neighbours (batch, n, k) from :class:`KNearestNeighbours`.

        Parameters
        ----------
        widths
            Output widths of the kernel blocks (non-empty, each > 0).
        aggregation
            ``"mean"`` (Ex. 10.1), ``"max"`` or ``"sum"``.
        seed
            Seed (>= 0) of the Glorot-uniform kernels.
        """

        def __init__(self, widths: Sequence[int], *, aggregation: str = "mean", seed: int = 0, **kwargs) -> None:
            super().__init__(**kwargs)
            widths = check_sizes(widths, "widths", allow_empty=False)
            self.aggregation = check_choice(aggregation, "aggregation", _AGGREGATIONS)
            self.widths, self.seed = widths, check_seed(seed)
            self.blocks = []
            for index, width in enumerate(widths):
                dense = k.layers.Dense(
                    width, use_bias=False, activation="relu", kernel_initializer=k.initializers.GlorotUniform(seed=self.seed + index)
                )
                self.blocks.append((dense, k.layers.BatchNormalization(epsilon=1e-5, momentum=0.9)))

        def build(self, features_shape, neighbours_shape=None):
            width = 2 * features_shape[-1]
            for dense, normalisation in self.blocks:
                dense.build((None, None, None, width))
                width = dense.units
                normalisation.build((None, None, None, width))

        def call(self, features, neighbours, training=None):
            # one flat gather: row b * n + j of the (batch * n, f) features is point j of map b
            # (take_along_axis would broadcast the features to (batch, n, n, f) first)
            batch, n, k = ops.shape(neighbours)
            width = features.shape[-1]
            offsets = ops.reshape(ops.arange(batch, dtype=neighbours.dtype) * n, (-1, 1, 1))
            rows = ops.reshape(neighbours + offsets, (-1,))
            gathered = ops.reshape(ops.take(ops.reshape(features, (-1, width)), rows, axis=0), (batch, n, k, width))
            centre = ops.broadcast_to(ops.expand_dims(features, 2), ops.shape(gathered))
            edges = ops.concatenate([centre, centre - gathered], axis=-1)
            for dense, normalisation in self.blocks:
                edges = normalisation(dense(edges), training=training)
            reduce = {"mean": ops.mean, "max": ops.max, "sum": ops.sum}[self.aggregation]
            return reduce(edges, axis=2)

        def compute_output_shape(self, features_shape, neighbours_shape=None):
            return (*features_shape[:2], self.blocks[-1][0].units)

        def get_config(self):
            return {**super().get_config(), "widths": self.widths, "aggregation": self.aggregation, "seed": self.seed}

    @serializable
    class GCNConv(k.layers.Layer):
        """One graph convolution ``H' = Â H W (+ b)`` (Eq. 10.3 without activation).

        The twin of :class:`dlpbook.nn.graph.GCNConv`; ``layer(features, adjacency)`` with
        features (batch, n, f) and the renormalised adjacency (batch, n, n) of
        :func:`dlpbook.graph_matrices.gcn_adjacency`.

        Parameters
        ----------
        units
            Output features per node (> 0).
        use_bias
            Add a bias per output feature.
        seed
            Seed (>= 0) of the Glorot-uniform kernel.
        """

        def __init__(self, units: int, *, use_bias: bool = False, seed: int = 0, **kwargs) -> None:
            super().__init__(**kwargs)
            self.units, self.use_bias, self.seed = check_count(units, "units"), bool(use_bias), check_seed(seed)

        def build(self, features_shape, adjacency_shape=None):
            self.kernel = self.add_weight(
                shape=(features_shape[-1], self.units), initializer=k.initializers.GlorotUniform(seed=self.seed), name="kernel"
            )
            self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias") if self.use_bias else None

        def call(self, features, adjacency):
            out = ops.matmul(adjacency, ops.matmul(features, self.kernel))
            return out if self.bias is None else out + self.bias

        def compute_output_shape(self, features_shape, adjacency_shape=None):
            return (*features_shape[:-1], self.units)

        def get_config(self):
            return {**super().get_config(), "units": self.units, "use_bias": self.use_bias, "seed": self.seed}

    return SimpleNamespace(KNearestNeighbours=KNearestNeighbours, EdgeConv=EdgeConv, GCNConv=GCNConv)


def skymap_dgcnn(*, k: int = 8, widths: Sequence[int] = (8, 16, 32), n_classes: int = 2, seed: int = 0):
    """The dynamic graph CNN of Ex. 10.1, the twin of :func:`dlpbook.nn.graph.skymap_dgcnn`.

    Input (batch, rays, 4) with columns x, y, z, ``E / E_min``: EdgeConv over the kNN graph of
    the directions on ``[ln E, x, y, z]`` (``widths[0]``), ReLU; EdgeConv over the same graph
    (``widths[1]``), ReLU; EdgeConv over the kNN graph of these features (``widths[2]``, the
    dynamic graph), ReLU; the mean over the rays; ``Dense(n_classes)`` logits (train with
    ``from_logits=True``). The defaults give 4,770 parameters as Keras counts them (4,434
    trainable and the BatchNorm statistics), the exercise's count.

    The fixed graph of the first two layers depends on the arrival directions only, so the
    model takes it as its second input, computed once per data set by :func:`precompute_knn`
    (as the torch twin does when it is given ``(data, neighbours)``); the original exercise's
    model, too, took the points of its graph as a separate input.

    Parameters
    ----------
    k
        Neighbours per ray (> 0).
    widths
        Filters of the three EdgeConv layers.
    n_classes
        Number of output scores.
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    keras.Model
        Inputs ``[maps, neighbours]``: maps (batch, rays, 4) and the kNN indices (batch, rays,
        k) int32 of the directions, :func:`precompute_knn` of ``maps[..., :3]``; output
        (batch, n_classes). The layer ``dynamic_graph`` outputs the graph of the third layer.
    """
    widths = check_sizes(widths, "widths")
    if len(widths) != 3:
        raise ParameterError("widths", "the filters of the three EdgeConv layers", widths)
    k, n_classes, seed = check_count(k, "k"), check_count(n_classes, "n_classes"), check_seed(seed)
    kr, graph = keras(), layers()
    ops = kr.ops
    data = kr.Input(shape=(None, 4), name="sky_maps")
    fixed = kr.Input(shape=(None, k), dtype="int32", name="neighbours")
    directions = data[..., :3]
    hidden = ops.concatenate([ops.log(data[..., 3:]), directions], axis=-1)
    convolutions = [
        graph.EdgeConv([width] * 3, seed=seed + 3 * index, name=f"edge_conv_{index}") for index, width in enumerate(widths)
    ]
    hidden = ops.relu(convolutions[0](hidden, fixed))
    hidden = ops.relu(convolutions[1](hidden, fixed))
    dynamic = graph.KNearestNeighbours(k, name="dynamic_graph")(hidden)
    hidden = ops.relu(convolutions[2](hidden, dynamic))
    embedding = kr.layers.GlobalAveragePooling1D(name="embedding")(hidden)
    scores = kr.layers.Dense(n_classes, kernel_initializer=kr.initializers.GlorotUniform(seed=seed + 9), name="classification")(
        embedding
    )
    return kr.Model([data, fixed], scores, name="skymap_dgcnn")


def precompute_knn(points: ArrayLike, k: int, *, batch_size: int = 256) -> np.ndarray:
    """The kNN graph of a whole data set, in batches: a fixed graph computed once, not per epoch.

    The twin of :func:`dlpbook.nn.graph.precompute_knn`, with :class:`KNearestNeighbours`
    (``layers().KNearestNeighbours``); it gives the second input of :func:`skymap_dgcnn`.

    Parameters
    ----------
    points : (N, n, d) float array
        The coordinates of every point cloud of the data set (e.g. the arrival directions of
        sky maps, ``maps[..., :3]``).
    k
        Neighbours per point, ``1 <= k < n``.
    batch_size
        Point clouds per kNN call (> 0); it bounds the memory of the (batch, n, n) distances.

    Returns
    -------
    (N, n, k) int32 ndarray
        Neighbour indices into axis 1, nearest first.
    """
    points = np.asarray(points, dtype=np.float32)
    if points.ndim != 3:
        raise ValueError(f"points must have shape (N, n, d), got {points.shape}")
    check_int(k, "k", low=1, high=points.shape[1] - 1)
    batch_size = check_count(batch_size, "batch_size")
    knn = layers().KNearestNeighbours(k)
    chunks = [np.asarray(knn(points[i : i + batch_size])) for i in range(0, len(points), batch_size)]
    return np.concatenate(chunks).astype(np.int32) if chunks else np.zeros((0, points.shape[1], k), dtype=np.int32)


def gcn(
    n_in: int,
    hidden: Sequence[int],
    n_out: int,
    *,
    activation: str = "tanh",
    dropout: float = 0.4,
    bias: bool = False,
    seed: int = 0,
):
    """A GCN for node classification, the twin of :func:`dlpbook.nn.graph.gcn` (Eq. 10.3).

    Hidden layers ``GCNConv -> activation -> Dropout``, a ``GCNConv`` output of logits. The
    karate-club network of Example 10.2 / Ex. 16.1 is ``gcn(34, [4, 4, 2], 4)``, 168 parameters.
    The model takes two inputs, the node features (batch, n, n_in) and the renormalised
    adjacency (batch, n, n) of :func:`dlpbook.graph_matrices.gcn_adjacency`, where a batch holds
    graphs (one for the karate club: ``model([x[None], a[None]])``); a masked loss is a
    ``sample_weight`` of shape (batch, n).

    Parameters
    ----------
    n_in, n_out
        Input and output features per node (> 0).
    hidden
        Features of the hidden layers (may be empty: one layer).
    activation
        One of relu, tanh, sigmoid, elu, selu, leaky_relu, linear.
    dropout
        Dropout rate in [0, 1) after every hidden layer.
    bias
        Whether the layers have biases.
    seed
        Seed (>= 0) of the Glorot-uniform kernels and of the dropout masks.

    Returns
    -------
    keras.Model
        Inputs ``[features, adjacency]``, output (batch, n, n_out).
    """
    sizes = [check_count(n_in, "n_in"), *check_sizes(hidden, "hidden"), check_count(n_out, "n_out")]
    check_choice(activation, "activation", _ACTIVATIONS)
    dropout, seed = check_rate(dropout, "dropout"), check_seed(seed)
    kr, graph = keras(), layers()
    features = kr.Input(shape=(None, sizes[0]), name="features")
    adjacency = kr.Input(shape=(None, None), name="adjacency")
    h = features
    for index, width in enumerate(sizes[1:-1]):
        h = graph.GCNConv(width, use_bias=bias, seed=seed + index)(h, adjacency)
        h = kr.layers.Activation(_activation(activation))(h)
        if dropout:
            h = kr.layers.Dropout(dropout, seed=seed + index)(h)
    scores = graph.GCNConv(sizes[-1], use_bias=bias, seed=seed + len(sizes) - 2)(h, adjacency)
    return kr.Model([features, adjacency], scores, name="gcn")
