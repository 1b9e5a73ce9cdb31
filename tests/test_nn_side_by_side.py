"""Side-by-side networks: one model whose output column i is network i on its own input columns."""

import numpy as np
import pytest
import torch

from dlpbook.nn.mlp import mlp
from dlpbook.nn.side_by_side import side_by_side

X = np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32)
COLUMNS = [[0, 1, 2], [0, 1, 2], [2, 0], [1]]


def networks():
    # two of the same shape on the same columns (run as one batch), two on their own columns
    return [mlp(3, [4], 1, seed=1), mlp(3, [4], 1, seed=2), mlp(2, [5, 3], 1, activation="tanh", seed=3),
            mlp(1, [], 1, seed=4)]


def test_each_output_column_is_its_network_alone():
    alone = networks()
    model = side_by_side(networks(), COLUMNS, 3)
    x = torch.from_numpy(X)
    with torch.no_grad():
        together = model(x)
        expected = torch.cat([network(x[:, columns]) for network, columns in zip(alone, COLUMNS)], dim=1)
    assert together.shape == (7, 4)
    torch.testing.assert_close(together, expected)


def test_the_summed_loss_gives_each_network_its_own_gradient():
    alone, model = networks(), side_by_side(networks(), COLUMNS, 3)
    x, target = torch.from_numpy(X), torch.ones(7, 1)
    ((model(x) - target) ** 2).sum().backward()
    for network, columns, together in zip(alone, COLUMNS, model.networks):
        ((network(x[:, columns]) - target) ** 2).sum().backward()
        for mine, reference in zip(together.parameters(), network.parameters()):
            torch.testing.assert_close(mine.grad, reference.grad)


@pytest.mark.parametrize("columns", [[[0, 1, 2]], [[0, 1, 2]] * 3 + [[3]], [[0, 1, 2]] * 3 + [[]],
                                     [[0, 1, 2]] * 3 + [[1, 1]], [[0, 1, 2]] * 3 + [[0.5]]])
def test_bad_columns_are_refused(columns):
    with pytest.raises(ValueError, match="columns"):
        side_by_side(networks(), columns, 3)


def test_the_keras_twin_computes_the_same_outputs():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn
    from dlpbook.keras_nn.side_by_side import side_by_side as keras_side_by_side

    torch_networks = networks()
    keras_networks = []
    for network, columns in zip(torch_networks, COLUMNS):
        sizes = [module.weight.shape for module in network if isinstance(module, torch.nn.Linear)]
        activation = "tanh" if any(isinstance(module, torch.nn.Tanh) for module in network) else "relu"
        twin = keras_nn.mlp(len(columns), [s[0] for s in sizes[:-1]], 1, activation=activation)
        twin.set_weights([array for module in network if isinstance(module, torch.nn.Linear)
                          for array in (module.weight.detach().numpy().T, module.bias.detach().numpy())])
        keras_networks.append(twin)
    model = keras_side_by_side(keras_networks, COLUMNS, 3)
    with torch.no_grad():
        expected = side_by_side(torch_networks, COLUMNS, 3)(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(np.asarray(model(X)), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="columns"):
        keras_side_by_side(keras_networks, COLUMNS[:2], 3)
