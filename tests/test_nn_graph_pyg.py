"""The graph layers of dlpbook.nn.graph against PyTorch Geometric (a test-only dependency).

With the weights copied, GCNConv, EdgeConv and ChebConv give PyG's outputs, and PyG's bundled
karate club is the graph of dlpbook.data's karate_club.
"""

import numpy as np
import pytest
import torch

from dlpbook import graph_matrices
from dlpbook.data import karate
from dlpbook.nn.graph import ChebConv, EdgeConv, GCNConv, knn_indices

pyg = pytest.importorskip("torch_geometric")
from torch_geometric import nn as pyg_nn  # noqa: E402  (after the skip)


@pytest.fixture(scope="module")
def club():
    adjacency = karate.adjacency()
    edges, _ = graph_matrices.edge_list(adjacency)
    return adjacency, torch.from_numpy(edges)


@pytest.mark.parametrize("bias", [False, True])
def test_gcn_layer_equals_pyg_gcnconv(club, bias):
    adjacency, edges = club
    torch.manual_seed(0)
    ours = GCNConv(6, 3, bias=bias)
    theirs = pyg_nn.GCNConv(6, 3, bias=bias)
    with torch.no_grad():
        theirs.lin.weight.copy_(ours.linear.weight)
        if bias:
            ours.linear.bias.normal_()
            theirs.bias.copy_(ours.linear.bias)
    features = torch.randn(34, 6)
    expected = theirs(features, edges)
    torch.testing.assert_close(ours(features, torch.as_tensor(graph_matrices.gcn_adjacency(adjacency))), expected)


class _FlippedDifference(torch.nn.Module):
    """PyG's EdgeConv feeds ``[x_i, x_j - x_i]``, ours ``[x_i, x_i - x_j]``: flip the difference."""

    def __init__(self, kernel, features):
        super().__init__()
        self.kernel, self.features = kernel, features

    def forward(self, edges):
        return self.kernel(torch.cat([edges[:, : self.features], -edges[:, self.features :]], dim=-1))


@pytest.mark.parametrize("aggregation", ["mean", "max", "sum"])
def test_edgeconv_equals_pyg_edgeconv(aggregation):
    torch.manual_seed(1)
    batch, n, k = 3, 25, 5
    points = torch.randn(batch, n, 4)
    neighbours = knn_indices(points, k)
    ours = EdgeConv(4, [8, 6], aggregation=aggregation).eval()
    theirs = pyg_nn.EdgeConv(_FlippedDifference(ours.kernel, 4), aggr={"sum": "add"}.get(aggregation, aggregation))
    # the batch as one graph of batch * n nodes, edges j -> i from every neighbour j of i
    offsets = (torch.arange(batch) * n).reshape(-1, 1, 1)
    sources = (neighbours + offsets).reshape(-1)
    targets = (torch.arange(n).reshape(1, n, 1).expand(batch, n, k) + offsets).reshape(-1)
    expected = theirs(points.reshape(batch * n, 4), torch.stack([sources, targets])).reshape(batch, n, -1)
    torch.testing.assert_close(ours(points, neighbours), expected)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_chebconv_equals_pyg_chebconv(club, order):
    adjacency, edges = club
    torch.manual_seed(2)
    ours = ChebConv(5, 4, order)
    theirs = pyg_nn.ChebConv(5, 4, K=order, normalization="sym")
    with torch.no_grad():
        ours.bias.normal_()
        theirs.bias.copy_(ours.bias)
        for mine, lin in zip(ours.terms, theirs.lins):
            lin.weight.copy_(mine.weight)
    features = torch.randn(34, 5)
    scaled = torch.as_tensor(graph_matrices.scaled_laplacian(adjacency, lambda_max=2.0))  # PyG's default for "sym"
    torch.testing.assert_close(ours(features, scaled), theirs(features, edges), rtol=1e-5, atol=1e-5)


def test_pyg_karate_club_is_our_graph():
    from torch_geometric.datasets import KarateClub

    data = KarateClub()[0]
    adjacency = np.zeros((34, 34), dtype=np.float32)
    adjacency[data.edge_index[0].numpy(), data.edge_index[1].numpy()] = 1
    np.testing.assert_array_equal(adjacency, karate.adjacency())
    np.testing.assert_array_equal(data.x.numpy(), karate.simulate()["features"])
    # PyG's four communities are the exercise's four groups except for three members (2, 9, 27)
    ours = karate.simulate()["labels_one_hot"].argmax(axis=1)
    theirs = data.y.numpy()
    relabel = {g: np.bincount(theirs[ours == g]).argmax() for g in range(4)}
    assert sorted(relabel.values()) == [0, 1, 2, 3]
    differ = np.nonzero(np.array([relabel[g] for g in ours]) != theirs)[0]
    assert differ.tolist() == [2, 9, 27]
