"""Graph networks (Ch. 10): kNN graphs, the edge convolution and the Ex. 10.1 sky-map network."""

import numpy as np
import pytest
import torch

from dlpbook.data import skymaps
from dlpbook.nn.graph import EdgeConv, SkyMapDGCNN, gather_neighbours, knn_indices
from dlpbook.nn import count_parameters
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
