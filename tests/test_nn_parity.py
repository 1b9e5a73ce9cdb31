"""Every Keras twin in dlpbook.keras_nn matches its PyTorch original in dlpbook.nn.

Same module and function names, same signature and defaults, same parameter count and output
shape, reproducible initialisation from ``seed`` in each framework, and, with the weights copied
from one to the other, the same outputs and the same weight penalty (Eq. 5.6, 5.7).
"""

import importlib
import inspect
import pkgutil

import numpy as np
import pytest
import torch

from dlpbook import nn as dnn
from dlpbook.validation import ParameterError

pytestmark = pytest.mark.keras
tf = pytest.importorskip("tensorflow")

from dlpbook import keras_nn  # noqa: E402  (after the skip: the twins need TensorFlow)

ACTIVATIONS = ["relu", "tanh", "sigmoid", "elu", "selu", "leaky_relu", "linear"]
CONFIGURATIONS = [
    (1, [32, 32, 32, 32], 1, {}),  # the network of Ex. 5.2
    (3, [], 2, {}),  # a linear model
    (5, [7], 1, {"dropout": 0.3, "output_activation": "sigmoid"}),
    (4, [8, 6], 3, {"activation": "tanh", "l1": 0.01, "l2": 0.02}),
]


def twin_pairs():
    """(name, torch function, keras function) for every public function of every keras_nn module."""
    pairs = []
    for module_info in pkgutil.iter_modules(keras_nn.__path__):
        twin = importlib.import_module(f"dlpbook.keras_nn.{module_info.name}")
        original = importlib.import_module(f"dlpbook.nn.{module_info.name}")
        for name, function in inspect.getmembers(twin, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == twin.__name__:
                pairs.append((f"{module_info.name}.{name}", getattr(original, name, None), function))
    return pairs


def test_there_are_twins_to_compare():
    assert "mlp.mlp" in [name for name, _, _ in twin_pairs()]


@pytest.mark.parametrize(("name", "original", "twin"), twin_pairs(), ids=[p[0] for p in twin_pairs()])
def test_every_twin_has_the_signature_of_its_torch_original(name, original, twin):
    assert original is not None, f"dlpbook.nn.{name} is missing"
    ours, theirs = inspect.signature(original).parameters, inspect.signature(twin).parameters
    assert [(p.name, p.kind, p.default, p.annotation) for p in ours.values()] == [
        (p.name, p.kind, p.default, p.annotation) for p in theirs.values()
    ]


def copy_torch_weights_to_keras(torch_model, keras_model):
    linears = [m for m in torch_model if isinstance(m, torch.nn.Linear)]
    dense = [layer for layer in keras_model.layers if isinstance(layer, keras_nn.keras().layers.Dense)]
    assert len(linears) == len(dense)
    for linear, layer in zip(linears, dense):
        layer.set_weights([linear.weight.detach().numpy().T, linear.bias.detach().numpy()])


@pytest.mark.parametrize(("n_in", "hidden", "n_out", "kwargs"), CONFIGURATIONS)
def test_same_parameter_count_and_output_shape(n_in, hidden, n_out, kwargs):
    torch_model = dnn.mlp(n_in, hidden, n_out, **kwargs)
    keras_model = keras_nn.mlp(n_in, hidden, n_out, **kwargs)
    assert keras_model.count_params() == dnn.count_parameters(torch_model)
    x = np.random.default_rng(0).normal(size=(6, n_in)).astype(np.float32)
    assert tuple(torch_model(torch.from_numpy(x)).shape) == tuple(keras_model(x).shape) == (6, n_out)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_same_outputs_for_the_same_weights(activation):
    # also pins the activation conventions (Keras' own leaky_relu slope is 0.2, torch's 0.01)
    torch_model = dnn.mlp(3, [6, 5], 2, activation=activation, output_activation=activation).eval()
    keras_model = keras_nn.mlp(3, [6, 5], 2, activation=activation, output_activation=activation)
    copy_torch_weights_to_keras(torch_model, keras_model)
    x = np.random.default_rng(1).normal(scale=2.0, size=(50, 3)).astype(np.float32)
    expected = torch_model(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(np.asarray(keras_model(x, training=False)), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_the_seed_makes_the_initialisation_reproducible(framework):
    if framework == "torch":
        build = dnn.mlp
        read = lambda model: [p.detach().numpy().copy() for p in model.parameters()]  # noqa: E731
    else:
        build = keras_nn.mlp
        read = lambda model: model.get_weights()  # noqa: E731
    a, b, c = (read(build(4, [8, 6], 2, seed=seed)) for seed in (5, 5, 6))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not any(np.array_equal(x, y) for x, y in zip(a, c) if x.ndim == 2)


@pytest.mark.parametrize("penalize_output", [True, False])
@pytest.mark.parametrize(("l1", "l2"), [(0.01, 0.0), (0.0, 0.03), (0.01, 0.01)])
def test_the_penalty_is_the_keras_regularisation_loss(l1, l2, penalize_output):
    kwargs = {"l1": l1, "l2": l2, "penalize_output": penalize_output}
    torch_model = dnn.mlp(2, [16, 8], 3, seed=2, **kwargs)
    keras_model = keras_nn.mlp(2, [16, 8], 3, **kwargs)
    copy_torch_weights_to_keras(torch_model, keras_model)
    keras_penalty = sum(float(loss) for loss in keras_model.losses)
    assert keras_penalty == pytest.approx(torch_model.penalty().item(), rel=1e-5)
    assert len(keras_model.losses) == (3 if penalize_output else 2)


@pytest.mark.parametrize(
    "kwargs",
    [{"n_in": 0}, {"hidden": [3, -1]}, {"activation": "gelu2"}, {"dropout": 1.5}, {"l2": -1.0}, {"seed": 1.5}],
)
def test_both_reject_the_same_arguments_by_name(kwargs):
    arguments = {"n_in": 2, "hidden": [3], "n_out": 1} | kwargs
    with pytest.raises(ParameterError) as torch_error:
        dnn.mlp(**arguments)
    with pytest.raises(ParameterError) as keras_error:
        keras_nn.mlp(**arguments)
    assert torch_error.value.name == keras_error.value.name == next(iter(kwargs))
