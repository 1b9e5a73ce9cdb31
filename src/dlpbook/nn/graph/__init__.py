"""Graph networks on point clouds (book Ch. 10): k-nearest-neighbour graphs and edge convolutions."""

from .edgeconv import EdgeConv
from .neighbours import gather_neighbours, knn_indices
from .skymap_dgcnn import SkyMapDGCNN

__all__ = ["EdgeConv", "SkyMapDGCNN", "gather_neighbours", "knn_indices"]
