"""Keras 3 graph networks (dlpbook.keras_nn.graph) against their torch twins in dlpbook.nn.graph."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from dlpbook import graph_matrices
from dlpbook.data import karate, skymaps
from dlpbook.nn import count_parameters
from dlpbook.nn import graph as torch_graph
from dlpbook.validation import ParameterError

pytestmark = pytest.mark.keras
pytest.importorskip("tensorflow")

from dlpbook.keras_nn import graph as keras_graph  # noqa: E402  (after the skip)


def keras_count(module: torch.nn.Module) -> int:
    """Parameters as Keras counts them: trainable ones plus the BatchNorm running mean and variance."""
    running = sum(b.numel() for name, b in module.named_buffers() if name.endswith(("running_mean", "running_var")))
    return count_parameters(module) + running


def randomise_batch_norm(module: torch.nn.Module, seed: int) -> None:
    """Non-trivial affine parameters and running statistics, so that copying them is tested."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for norm in (m for m in module.modules() if isinstance(m, torch.nn.BatchNorm1d)):
            size = norm.num_features
            norm.weight.copy_(1 + 0.3 * torch.randn(size, generator=generator))
            norm.bias.copy_(0.3 * torch.randn(size, generator=generator))
            norm.running_mean.copy_(0.5 * torch.randn(size, generator=generator))
            norm.running_var.copy_(0.5 + torch.rand(size, generator=generator))


def copy_edgeconv(torch_layer, keras_layer) -> None:
    linears = [m for m in torch_layer.kernel if isinstance(m, torch.nn.Linear)]
    norms = [m for m in torch_layer.kernel if isinstance(m, torch.nn.BatchNorm1d)]
    assert len(linears) == len(norms) == len(keras_layer.blocks)
    for linear, norm, (dense, normalisation) in zip(linears, norms, keras_layer.blocks):
        dense.set_weights([linear.weight.detach().numpy().T])
        normalisation.set_weights([t.detach().numpy() for t in (norm.weight, norm.bias, norm.running_mean, norm.running_var)])


def test_importing_the_module_does_not_start_tensorflow():
    # the layer classes are defined by layers() on first use, not at import
    code = "import sys, dlpbook.keras_nn.graph; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "False"


def test_parameter_counts_are_the_exercises_in_both_frameworks():
    keras_model, torch_model = keras_graph.skymap_dgcnn(), torch_graph.skymap_dgcnn()
    assert keras_model.count_params() == keras_count(torch_model) == 4_770
    trainable = sum(int(np.prod(w.shape)) for w in keras_model.trainable_weights)
    assert trainable == count_parameters(torch_model) == 4_434
    convolutions = [keras_model.get_layer(f"edge_conv_{i}") for i in range(3)]
    assert [c.count_params() for c in convolutions] == [288, 960, 3_456]
    assert keras_graph.gcn(34, [4, 4, 2], 4).count_params() == count_parameters(torch_graph.gcn(34, [4, 4, 2], 4)) == 168
    assert keras_graph.gcn(34, [4, 4, 2], 4, bias=True).count_params() == 182


def test_knn_layer_equals_torch_knn():
    points = np.random.default_rng(0).normal(size=(3, 40, 5)).astype(np.float32)
    got = np.asarray(keras_graph.layers().KNearestNeighbours(6)(points))
    np.testing.assert_array_equal(got, torch_graph.knn_indices(torch.from_numpy(points), 6).numpy())


@pytest.mark.parametrize("aggregation", ["mean", "max", "sum"])
def test_edgeconv_equals_torch_edgeconv_with_the_same_weights(aggregation):
    torch.manual_seed(0)
    features = torch.randn(2, 15, 4)
    neighbours = torch_graph.knn_indices(features, 3)
    torch_layer = torch_graph.EdgeConv(4, [7, 5], aggregation=aggregation).eval()
    randomise_batch_norm(torch_layer, 1)
    keras_layer = keras_graph.layers().EdgeConv([7, 5], aggregation=aggregation)
    keras_layer(features.numpy(), neighbours.numpy())  # builds the weights
    copy_edgeconv(torch_layer, keras_layer)
    expected = torch_layer(features, neighbours).detach().numpy()
    got = np.asarray(keras_layer(features.numpy(), neighbours.numpy(), training=False))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_skymap_dgcnn_equals_torch_with_the_same_weights():
    maps = skymaps.simulate(3, seed=5)["data"][:, :120].astype(np.float32)
    torch_model = torch_graph.skymap_dgcnn(seed=1).eval()
    randomise_batch_norm(torch_model, 2)
    keras_model = keras_graph.skymap_dgcnn(seed=1)
    for index, torch_layer in enumerate(torch_model.convolutions):
        copy_edgeconv(torch_layer, keras_model.get_layer(f"edge_conv_{index}"))
    linear = torch_model.classifier
    keras_model.get_layer("classification").set_weights([linear.weight.detach().numpy().T, linear.bias.detach().numpy()])
    expected = torch_model(torch.from_numpy(maps)).detach().numpy()
    neighbours = keras_graph.precompute_knn(maps[..., :3], 8)
    got = np.asarray(keras_model([maps, neighbours], training=False))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_precomputed_graph_equals_torch_and_is_checked():
    maps = skymaps.simulate(3, seed=7)["data"][:, :80]
    neighbours = keras_graph.precompute_knn(maps[..., :3], 8, batch_size=2)  # in two chunks
    assert neighbours.shape == (3, 80, 8) and neighbours.dtype == np.int32
    np.testing.assert_array_equal(neighbours, torch_graph.precompute_knn(maps[..., :3], 8))
    with pytest.raises(ParameterError, match="k"):
        keras_graph.precompute_knn(maps[..., :3], 80)
    with pytest.raises(ValueError, match=r"\(N, n, d\)"):
        keras_graph.precompute_knn(maps[0, :, :3], 8)


def test_saved_models_load_with_their_weights(tmp_path):
    keras = __import__("dlpbook.keras_nn", fromlist=["keras"]).keras()
    maps = skymaps.simulate(2, seed=6)["data"][:, :50].astype(np.float32)
    club = karate.simulate()
    cases = [(keras_graph.skymap_dgcnn(seed=4), [maps, keras_graph.precompute_knn(maps[..., :3], 8)]),
             (keras_graph.gcn(34, [4, 2], 4, bias=True), [club["features"][None], club["adj"][None]])]
    for model, inputs in cases:
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        loaded = keras.saving.load_model(path)
        np.testing.assert_array_equal(np.asarray(loaded(inputs, training=False)), np.asarray(model(inputs, training=False)))


def test_gcn_equals_torch_with_the_same_weights():
    club = karate.simulate()
    adjacency = graph_matrices.gcn_adjacency(club["adj"])
    torch_model = torch_graph.gcn(34, [4, 4, 2], 4, bias=True, seed=3).eval()
    keras_model = keras_graph.gcn(34, [4, 4, 2], 4, bias=True, seed=3)
    keras_layers = [layer for layer in keras_model.layers if isinstance(layer, keras_graph.layers().GCNConv)]
    for convolution, layer in zip(torch_model.convolutions, keras_layers, strict=True):
        with torch.no_grad():
            convolution.linear.bias.normal_()
        layer.set_weights([convolution.linear.weight.detach().numpy().T, convolution.linear.bias.detach().numpy()])
    expected = torch_model(torch.from_numpy(club["features"]), torch.from_numpy(adjacency)).detach().numpy()
    got = np.asarray(keras_model([club["features"][None], adjacency[None]], training=False))[0]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_karate_gcn_learns_with_a_masked_loss():
    # Ex. 16.1 in Keras 3: one graph per batch, the 4 labelled members as sample weights
    keras = __import__("dlpbook.keras_nn", fromlist=["keras"]).keras()
    club = karate.simulate()
    inputs = [club["features"][None], graph_matrices.gcn_adjacency(club["adj"])[None]]
    targets = club["labels_one_hot"][None]
    mask = np.zeros((1, 34), dtype=np.float32)
    mask[0, [4, 19, 31, 33]] = 1
    model = keras_graph.gcn(34, [4, 4, 2], 4, seed=0)
    model.compile(optimizer=keras.optimizers.AdamW(0.01, weight_decay=1e-3),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    # 1000 full-graph steps as one epoch over 1000 copies of the graph: Keras' per-epoch overhead once
    steps = 1000
    repeat = lambda a: np.repeat(a, steps, axis=0)  # noqa: E731
    model.fit([repeat(a) for a in inputs], repeat(targets), sample_weight=repeat(mask), batch_size=1, epochs=1,
              shuffle=False, verbose=0)
    predicted = np.asarray(model(inputs, training=False))[0].argmax(axis=1)
    others = mask[0] == 0
    assert np.mean(predicted[others] == club["labels_one_hot"].argmax(axis=1)[others]) >= 0.8


def test_builders_are_seeded():
    a, b, c = (keras_graph.skymap_dgcnn(seed=s).get_weights() for s in (2, 2, 3))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    a, c = (keras_graph.gcn(34, [4], 4, seed=s).get_weights() for s in (2, 3))
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    ("builder", "kwargs", "name"),
    [
        ("skymap_dgcnn", {"widths": (8, 16)}, "widths"),
        ("skymap_dgcnn", {"k": 0}, "k"),
        ("gcn", {"n_in": 34, "hidden": [4], "n_out": 4, "activation": "softmax"}, "activation"),
        ("gcn", {"n_in": 34, "hidden": [4], "n_out": 4, "dropout": 1.0}, "dropout"),
        ("gcn", {"n_in": 0, "hidden": [4], "n_out": 4}, "n_in"),
    ],
)
def test_both_reject_the_same_arguments_by_name(builder, kwargs, name):
    with pytest.raises(ParameterError) as torch_error:
        getattr(torch_graph, builder)(**kwargs)
    with pytest.raises(ParameterError) as keras_error:
        getattr(keras_graph, builder)(**kwargs)
    assert torch_error.value.name == keras_error.value.name == name
