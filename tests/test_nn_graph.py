"""Graph networks (Ch. 10): kNN graphs, EdgeConv, the Ex. 10.1 sky-map network, GCN, ChebConv, Deep Sets, message passing."""

import numpy as np
import pytest
import torch

from dlpbook import graph_matrices
from dlpbook.data import karate, skymaps
from dlpbook.nn.graph import (
    ChebConv,
    DeepSets,
    EdgeConv,
    GCNConv,
    MessagePassing,
    SkyMapDGCNN,
    gather_neighbours,
    gcn,
    knn_indices,
    precompute_knn,
    skymap_dgcnn,
)
from dlpbook.nn import count_parameters, mlp
from dlpbook.train import categorical_accuracy, fit, predict


def keras_count(module: torch.nn.Module) -> int:
    """Parameters as Keras counts them: trainable ones plus the BatchNorm running mean and variance."""
    running = sum(b.numel() for name, b in module.named_buffers() if name.endswith(("running_mean", "running_var")))
    return count_parameters(module) + running


def test_knn_matches_brute_force_and_excludes_the_point_itself():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(3, 40, 5))
    got = knn_indices(torch.tensor(points), 6).numpy()
    assert got.shape == (3, 40, 6) and got.dtype == np.int64
    distance = np.linalg.norm(points[:, :, None] - points[:, None, :], axis=-1)
    distance[:, np.arange(40), np.arange(40)] = np.inf
    np.testing.assert_array_equal(got, np.argsort(distance, axis=-1)[..., :6])
    assert not np.any(got == np.arange(40)[None, :, None])


def test_knn_of_duplicate_points_still_excludes_itself():
    points = torch.zeros(1, 4, 2)  # all distances zero: any neighbour but the point itself
    got = knn_indices(points, 3)[0]
    for i in range(4):
        assert sorted(got[i].tolist()) == sorted(set(range(4)) - {i})


@pytest.mark.parametrize("k", [0, 5, 2.0, True])
def test_knn_rejects_bad_k(k):
    with pytest.raises(ValueError, match="k must be an integer"):
        knn_indices(torch.zeros(1, 5, 2), k)


def test_knn_rejects_unbatched_points():
    with pytest.raises(ValueError, match=r"\(batch, n, d\)"):
        knn_indices(torch.zeros(5, 2), 2)


def test_gather_neighbours():
    features = torch.arange(2 * 4 * 3, dtype=torch.float32).reshape(2, 4, 3)
    indices = torch.tensor([[[1, 2], [0, 3], [3, 3], [2, 0]], [[0, 0], [2, 1], [1, 0], [3, 2]]])
    out = gather_neighbours(features, indices)
    assert out.shape == (2, 4, 2, 3)
    for b in range(2):
        for i in range(4):
            for m in range(2):
                assert torch.equal(out[b, i, m], features[b, indices[b, i, m]])
    with pytest.raises(ValueError, match="do not match"):
        gather_neighbours(features[:, :3], indices)


def test_example_10_3_shapes():
    # 100 points in 3D, k = 5, a kernel with 6 inputs (centre and difference) and 10 outputs: 100 x 3 -> 100 x 10
    torch.manual_seed(0)
    points = torch.randn(1, 100, 3)
    layer = EdgeConv(3, [10])
    assert layer.kernel[0].in_features == 6
    assert layer(points, knn_indices(points, 5)).shape == (1, 100, 10)


@pytest.mark.parametrize("aggregation", ["mean", "max", "sum"])
def test_edgeconv_is_the_aggregated_kernel_of_centre_and_difference(aggregation):
    torch.manual_seed(1)
    features = torch.randn(2, 12, 4)
    neighbours = knn_indices(features, 3)
    layer = EdgeConv(4, [7, 5], aggregation=aggregation).eval()
    out = layer(features, neighbours)
    reduce = {"mean": torch.mean, "max": torch.amax, "sum": torch.sum}[aggregation]
    for b in range(2):
        for i in range(12):
            x_i = features[b, i]
            edges = torch.stack([torch.cat([x_i, x_i - features[b, j]]) for j in neighbours[b, i]])
            torch.testing.assert_close(out[b, i], reduce(layer.kernel(edges), dim=0))


def test_edgeconv_is_permutation_equivariant():
    torch.manual_seed(2)
    features = torch.randn(1, 30, 4)
    layer = EdgeConv(4, [8, 8]).eval()
    permutation = torch.randperm(30)
    out = layer(features, knn_indices(features, 4))
    permuted = features[:, permutation]
    torch.testing.assert_close(layer(permuted, knn_indices(permuted, 4)), out[:, permutation])


def test_edgeconv_rejects_bad_arguments():
    with pytest.raises(ValueError, match="aggregation"):
        EdgeConv(3, [4], aggregation="median")
    with pytest.raises(ValueError, match="widths must be a list of positive integers"):
        EdgeConv(3, [])
    with pytest.raises(ValueError, match="in_features must be an integer >= 1"):
        EdgeConv(0, [4])


def test_skymap_dgcnn_parameter_counts_match_the_book():
    model = SkyMapDGCNN()
    assert count_parameters(model) == 4_434
    assert keras_count(model) == 4_770
    assert [keras_count(layer) for layer in model.convolutions] == [288, 960, 3_456]


def test_skymap_dgcnn_ignores_the_order_of_the_rays():
    torch.manual_seed(3)
    maps = torch.tensor(skymaps.simulate(2, seed=3)["data"])
    model = SkyMapDGCNN().eval()
    permutation = torch.randperm(500)
    torch.testing.assert_close(model(maps[:, permutation]), model(maps), atol=1e-5, rtol=1e-4)


def test_skymap_dgcnn_rejects_maps_without_positive_energies():
    with pytest.raises(ValueError, match=r"\(batch, rays, 4\)"):
        SkyMapDGCNN()(torch.zeros(2, 500, 3))
    with pytest.raises(ValueError, match="energies"):
        SkyMapDGCNN()(torch.zeros(2, 500, 4))
    with pytest.raises(ValueError, match="three EdgeConv layers"):
        SkyMapDGCNN(widths=(8, 16))


def test_skymap_dgcnn_learns_obvious_streets():
    # a short run on an easy variant must separate the classes: half of the rays come from
    # sources, and the network sees 100 of the 500 rays of each map (about 50 from sources)
    train = skymaps.simulate(384, seed=10, signal_fraction=0.5)
    test = skymaps.simulate(200, seed=11, signal_fraction=0.5)
    torch.manual_seed(0)
    model = SkyMapDGCNN()
    fit(
        model,
        (train["data"][:, :100], train["label"]),
        loss=torch.nn.CrossEntropyLoss(),
        optimizer=torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4),
        epochs=6,
        batch_size=32,
        progress=False,
        device="cpu",
    )
    scores = torch.tensor(predict(model, test["data"][:, :100]))
    assert categorical_accuracy(scores, torch.tensor(test["label"])) > 0.9


# --- fixed graphs precomputed once per data set -------------------------------------------------


def test_precomputed_neighbours_give_identical_scores():
    maps = torch.tensor(skymaps.simulate(5, seed=4)["data"])
    neighbours = precompute_knn(maps[..., :3], 8, batch_size=2)  # chunked differently from the model's batch
    assert neighbours.shape == (5, 500, 8) and neighbours.dtype == np.int64
    np.testing.assert_array_equal(neighbours, knn_indices(maps[..., :3], 8).numpy())
    model = skymap_dgcnn(seed=1).eval()
    expected = model(maps)
    assert torch.equal(model(maps, torch.from_numpy(neighbours)), expected)
    assert torch.equal(model((maps, torch.from_numpy(neighbours))), expected)  # the pair fit() passes
    with pytest.raises(ValueError, match=r"\(batch, rays, k=8\)"):
        model(maps, torch.from_numpy(neighbours[..., :5]))
    with pytest.raises(TypeError, match="not both"):
        model((maps, torch.from_numpy(neighbours)), torch.from_numpy(neighbours))


def test_training_on_precomputed_neighbours_matches_training_without():
    train = skymaps.simulate(16, seed=12, signal_fraction=0.5)
    data = train["data"][:, :60]
    neighbours = precompute_knn(torch.tensor(data)[..., :3], 8)
    weights = []
    for inputs in (data, (data, neighbours)):
        model = skymap_dgcnn(seed=0)
        fit(model, (inputs, train["label"]), loss=torch.nn.CrossEntropyLoss(),
            optimizer=torch.optim.Adam(model.parameters(), lr=1e-3), epochs=1, batch_size=8, progress=False,
            device="cpu", seed=0)
        weights.append([p.detach().clone() for p in model.parameters()])
    assert all(torch.equal(a, b) for a, b in zip(*weights))


def test_skymap_dgcnn_builder_is_seeded():
    a, b, c = (skymap_dgcnn(seed=s) for s in (3, 3, 4))
    assert all(torch.equal(x, y) for x, y in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.classifier.weight, c.classifier.weight)
    assert keras_count(a) == 4_770


# --- GCN (Sec. 10.4.1) ---------------------------------------------------------------------------


def test_gcn_layer_is_the_normalised_adjacency_times_features_times_weights():
    torch.manual_seed(0)
    a = graph_matrices.path_adjacency(5)  # the 5-node chain of Fig. 10.5: (5x5)(5x3)(3x2) -> 5x2
    layer = GCNConv(3, 2)
    features = torch.randn(5, 3)
    out = layer(features, torch.as_tensor(graph_matrices.gcn_adjacency(a)))
    assert out.shape == (5, 2)
    # Eq. 10.2 node by node: h'_i = sum over j in N(i) and i itself of h_j W / sqrt(deg_i deg_j), self-loops counted
    degrees = a.sum(axis=1) + 1
    for i in range(5):
        neighbours = [j for j in range(5) if a[i, j] or i == j]
        expected = sum(features[j] @ layer.linear.weight.T / np.sqrt(degrees[i] * degrees[j]) for j in neighbours)
        torch.testing.assert_close(out[i], expected.float())
    batched = layer(features.expand(4, 5, 3), torch.as_tensor(graph_matrices.gcn_adjacency(a)))
    torch.testing.assert_close(batched, out.expand(4, 5, 2))
    with pytest.raises(ValueError, match=r"must be \(n, n\)"):
        layer(features, torch.eye(4))


def test_karate_gcn_has_the_exercise_parameter_count():
    model = gcn(34, [4, 4, 2], 4)
    assert count_parameters(model) == 168
    assert [count_parameters(c) for c in model.convolutions] == [136, 16, 8, 8]
    assert count_parameters(gcn(34, [4, 4, 2], 4, bias=True)) == 168 + 14
    with pytest.raises(ValueError, match="activation"):
        gcn(34, [4], 4, activation="softmax")


def test_gcn_is_permutation_equivariant():
    club = karate.simulate()
    adjacency = graph_matrices.gcn_adjacency(club["adj"])
    model = gcn(34, [4, 4, 2], 4, seed=1).eval()
    order = np.random.default_rng(0).permutation(34)
    out = model(torch.eye(34), torch.as_tensor(adjacency))
    permuted = model(torch.eye(34)[order], torch.as_tensor(adjacency[np.ix_(order, order)]))
    torch.testing.assert_close(permuted, out[order])


def test_karate_gcn_learns_the_groups_from_four_members():
    # Example 10.2 / Ex. 16.1: one labelled member per group (the exercise's nodes 4, 19, 31, 33)
    club = karate.simulate()
    labels = torch.tensor(club["labels_one_hot"].argmax(axis=1))
    labelled = torch.tensor([4, 19, 31, 33])
    assert sorted(labels[labelled].tolist()) == [0, 1, 2, 3]
    features, adjacency = torch.eye(34), torch.as_tensor(graph_matrices.gcn_adjacency(club["adj"]))
    model = gcn(34, [4, 4, 2], 4, seed=0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=1e-3)
    torch.manual_seed(0)  # the dropout masks
    for _ in range(1000):  # the book's 300 iterations leave about half of the initialisations unconverged
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(features, adjacency)[labelled], labels[labelled])
        loss.backward()
        optimizer.step()
    predicted = model.eval()(features, adjacency).argmax(dim=1)
    others = torch.ones(34, dtype=torch.bool)
    others[labelled] = False
    accuracy = (predicted[others] == labels[others]).float().mean().item()
    assert accuracy >= 0.8  # chance is 12/30 for the largest group; the exercise reaches 29/30


# --- Chebyshev filters (Sec. 10.5.1.1) -------------------------------------------------------------


def test_chebconv_is_the_chebyshev_polynomial_of_the_spectrum():
    torch.manual_seed(2)
    a = karate.adjacency()
    scaled = graph_matrices.scaled_laplacian(a)
    layer = ChebConv(3, 2, 4).double()
    features = torch.randn(34, 3, dtype=torch.float64)
    out = layer(features, torch.as_tensor(scaled, dtype=torch.float64))
    # T_i(L̃) = Phi cos(i arccos Lambda) Phi^T, computed from the eigendecomposition
    values, vectors = np.linalg.eigh(scaled.astype(float))
    values = np.clip(values, -1, 1)
    expected = layer.bias.detach().numpy().copy()
    for i, term in enumerate(layer.terms):
        polynomial = vectors @ np.diag(np.cos(i * np.arccos(values))) @ vectors.T
        expected = expected + polynomial @ features.numpy() @ term.weight.detach().numpy().T
    np.testing.assert_allclose(out.detach().numpy(), expected, atol=1e-5)


def test_chebconv_of_order_k_reaches_k_minus_1_hops():
    a = graph_matrices.path_adjacency(9)
    scaled = torch.as_tensor(graph_matrices.scaled_laplacian(a, lambda_max=2.0))
    for order in (1, 2, 4):
        layer = ChebConv(1, 1, order, bias=False)
        impulse = torch.zeros(9, 1)
        impulse[4] = 1.0
        reached = layer(impulse, scaled).detach().abs().squeeze(1) > 1e-7
        assert reached.nonzero().squeeze(1).tolist() == list(range(4 - (order - 1), 4 + order))
    assert count_parameters(ChebConv(3, 5, 4)) == 4 * 15 + 5
    with pytest.raises(ValueError, match="order must be an integer >= 1"):
        ChebConv(3, 5, 0)


# --- Deep Sets (Sec. 10.4.4) and message passing (Sec. 10.4.5) --------------------------------------


@pytest.mark.parametrize("pooling", ["sum", "mean"])
def test_deep_sets_are_permutation_invariant_and_ignore_padding(pooling):
    torch.manual_seed(3)
    model = DeepSets(mlp(3, [16], 8, output_activation="relu"), mlp(8, [16], 2), pooling=pooling).eval()
    points = torch.randn(4, 10, 3)
    out = model(points)
    assert out.shape == (4, 2)
    torch.testing.assert_close(model(points[:, torch.randperm(10)]), out)
    # sets of 6 elements padded with garbage to 10 behave like the 6 elements alone
    mask = torch.zeros(4, 10, dtype=torch.bool)
    mask[:, :6] = True
    torch.testing.assert_close(model(points, mask), model(points[:, :6]))
    pooled = model.phi(points).sum(dim=1) / (1 if pooling == "sum" else 10)
    torch.testing.assert_close(out, model.rho(pooled))
    with pytest.raises(ValueError, match="mask"):
        model(points, mask[:, :5])
    with pytest.raises(ValueError, match="pooling"):
        DeepSets(model.phi, model.rho, pooling="max")


class _WeightedNeighbour(torch.nn.Module):
    def forward(self, centre, neighbour, weight):
        return weight.unsqueeze(-1) * neighbour


def test_gcn_is_message_passing_example_10_5():
    torch.manual_seed(4)
    a = karate.adjacency()
    normalised = graph_matrices.gcn_adjacency(a)
    edges, weights = graph_matrices.edge_list(normalised)  # includes the self-loops
    layer = GCNConv(5, 3)
    passing = MessagePassing(_WeightedNeighbour(), lambda x, m: layer.linear(m), aggregation="sum")
    features = torch.randn(34, 5)
    # Â is symmetric: the edge j -> i carries Â_ij
    got = passing(features, torch.from_numpy(edges), torch.from_numpy(weights).float())
    torch.testing.assert_close(got, layer(features, torch.as_tensor(normalised)))


def test_edgeconv_is_message_passing():
    torch.manual_seed(5)
    features = torch.randn(1, 20, 3)
    neighbours = knn_indices(features, 4)
    edgeconv = EdgeConv(3, [6, 5]).eval()
    targets = torch.arange(20).repeat_interleave(4)
    edges = torch.stack([neighbours[0].reshape(-1), targets])
    passing = MessagePassing(
        lambda x_i, x_j, e: edgeconv.kernel(torch.cat([x_i, x_i - x_j], dim=-1)), lambda x, m: m, aggregation="mean"
    )
    torch.testing.assert_close(passing(features[0], edges), edgeconv(features, neighbours)[0])


def test_message_passing_aggregations_and_isolated_nodes():
    features = torch.tensor([[1.0], [2.0], [4.0], [8.0]])
    edges = torch.tensor([[1, 2, 3, 0], [0, 0, 0, 1]])  # 1, 2, 3 -> 0 and 0 -> 1; nothing reaches 2 or 3
    identity = {"message": lambda x_i, x_j, e: x_j, "update": lambda x, m: m}
    expected = {"sum": [14, 1, 0, 0], "mean": [14 / 3, 1, 0, 0], "max": [8, 1, 0, 0]}
    for aggregation, values in expected.items():
        out = MessagePassing(**identity, aggregation=aggregation)(features, edges)
        torch.testing.assert_close(out.squeeze(1), torch.tensor(values, dtype=torch.float32))
    with pytest.raises(ValueError, match="index the 4 nodes"):
        MessagePassing(**identity)(features, torch.tensor([[0], [4]]))
    with pytest.raises(ValueError, match=r"int64 tensor \(2, E\)"):
        MessagePassing(**identity)(features, torch.tensor([[0, 1]]))
    with pytest.raises(ValueError, match="aggregation"):
        MessagePassing(**identity, aggregation="median")
