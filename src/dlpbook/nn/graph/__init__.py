"""Graph networks (book Ch. 10): kNN graphs, graph convolutions, edge convolutions, Deep Sets and message passing.

The graph matrices these layers take (normalised adjacency, scaled Laplacian, edge lists) are
computed once per graph by the framework-free :mod:`dlpbook.graph_matrices`.
"""

from .chebconv import ChebConv
from .deep_sets import DeepSets
from .edgeconv import EdgeConv
from .gcn import GCN, GCNConv, gcn
from .message_passing import MessagePassing
from .neighbours import gather_neighbours, knn_indices, precompute_knn
from .skymap_dgcnn import SkyMapDGCNN, skymap_dgcnn

__all__ = [
    "GCN",
    "ChebConv",
    "DeepSets",
    "EdgeConv",
    "GCNConv",
    "MessagePassing",
    "SkyMapDGCNN",
    "gather_neighbours",
    "gcn",
    "knn_indices",
    "precompute_knn",
    "skymap_dgcnn",
]
