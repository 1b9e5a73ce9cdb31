"""dlpbook.nn.mlp: seeded construction, the model's own penalty (Eq. 5.6, 5.7), argument checks."""

import subprocess
import sys

import pytest
import torch

from dlpbook import nn as dnn
from dlpbook.validation import ParameterError


def weights(model: torch.nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]


def test_the_seed_fixes_the_weights_and_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a, b, c = (dnn.mlp(3, [5, 4], 2, seed=seed) for seed in (7, 7, 8))
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(x, y) for x, y in zip(weights(a), weights(b)))
    assert not torch.equal(weights(a)[0], weights(c)[0])


def test_the_seed_draws_pytorch_default_initialisation():
    # the weights are those of torch's default init after torch.manual_seed(seed), so pages that
    # seeded globally before building keep their numbers
    torch.manual_seed(4)
    reference = torch.nn.Linear(3, 5)
    model = dnn.mlp(3, [5], 1, seed=4)
    assert torch.equal(model[0].weight, reference.weight) and torch.equal(model[0].bias, reference.bias)


def test_penalty_is_eq_5_6_plus_5_7_on_the_weight_matrices():
    model = dnn.mlp(3, [4, 4], 2, l1=0.1, l2=0.01)
    kernels = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    expected = sum(0.1 * w.abs().sum() + 0.01 * w.square().sum() for w in kernels)
    torch.testing.assert_close(model.penalty(), expected)
    assert model.penalty().item() == pytest.approx(dnn.weight_penalty(model, l1=0.1, l2=0.01).item())


def test_penalty_can_leave_the_output_layer_out_and_is_differentiable():
    model = dnn.mlp(2, [4, 4], 1, l2=0.5, penalize_output=False)
    hidden = [m.weight for m in model if isinstance(m, torch.nn.Linear)][:-1]
    torch.testing.assert_close(model.penalty(), sum(0.5 * w.square().sum() for w in hidden))
    model.penalty().backward()
    assert model[-1].weight.grad is None
    torch.testing.assert_close(model[0].weight.grad, 2 * 0.5 * model[0].weight.detach())


def test_no_penalty_by_default():
    assert dnn.mlp(2, [3], 1).penalty().item() == 0.0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_in": 0}, "n_in"),
        ({"hidden": [4, 0]}, "hidden"),
        ({"n_out": 2.0}, "n_out"),
        ({"activation": "swish2"}, "activation"),
        ({"output_activation": "softmax2"}, "output_activation"),
        ({"dropout": 1.0}, "dropout"),
        ({"l1": -0.1}, "l1"),
        ({"l2": float("nan")}, "l2"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, name):
    arguments = {"n_in": 2, "hidden": [3], "n_out": 1} | kwargs
    with pytest.raises(ParameterError) as error:
        dnn.mlp(**arguments)
    assert error.value.name == name


def test_importing_the_torch_networks_does_not_load_tensorflow():
    code = "import sys, dlpbook.nn, dlpbook.nn.graph, dlpbook.keras_nn; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "False"


# the exercise networks of chapter 7, in both frameworks: (builder, arguments, input shape, parameters)
EXERCISE_FCNS = [
    ("ising_fcn", {}, (32, 32), 33_889),  # Ex. 7.1
    ("airshower_energy_fcn", {}, (14, 14, 2), 59_601),  # Ex. 7.2, solution
    ("airshower_energy_fcn", {"hidden": (20,)}, (14, 14, 2), 7_881),  # Ex. 7.2, problem baseline
]


@pytest.mark.parametrize(("name", "kwargs", "shape", "count"), EXERCISE_FCNS)
def test_the_exercise_networks_have_the_original_parameter_counts(name, kwargs, shape, count):
    import importlib

    model = getattr(importlib.import_module("dlpbook.nn.mlp"), name)(**kwargs).eval()
    assert dnn.count_parameters(model) == count
    assert model(torch.zeros(4, *shape)).shape == (4, 1)


def test_the_ising_network_is_a_probability_and_the_energy_network_drops_out_once():
    from dlpbook.nn.mlp import airshower_energy_fcn, ising_fcn

    ising = ising_fcn().eval()
    p = ising(torch.randint(0, 2, (16, 32, 32)).float() * 2 - 1)
    assert ((p > 0) & (p < 1)).all()
    assert sum(isinstance(m, torch.nn.Dropout) for m in ising) == 2
    energy = airshower_energy_fcn()
    dropouts = [i for i, m in enumerate(energy) if isinstance(m, torch.nn.Dropout)]
    assert dropouts == [len(energy) - 2]  # right before the linear output only, as in Ex. 7.2
    with pytest.raises(ParameterError, match="hidden"):
        airshower_energy_fcn(hidden=())


@pytest.mark.keras
@pytest.mark.parametrize(("name", "kwargs", "shape", "count"), EXERCISE_FCNS)
def test_the_keras_exercise_networks_have_the_original_parameter_counts(name, kwargs, shape, count):
    pytest.importorskip("tensorflow")
    import importlib

    import numpy as np

    model = getattr(importlib.import_module("dlpbook.keras_nn.mlp"), name)(**kwargs)
    assert model.count_params() == count
    assert tuple(model(np.zeros((4, *shape), np.float32)).shape) == (4, 1)


@pytest.mark.keras
@pytest.mark.parametrize(("name", "kwargs", "shape", "count"), EXERCISE_FCNS)
def test_the_keras_exercise_networks_compute_the_same_function_with_the_same_weights(name, kwargs, shape, count):
    pytest.importorskip("tensorflow")
    import importlib

    import numpy as np

    from dlpbook.keras_nn import keras

    torch_model = getattr(importlib.import_module("dlpbook.nn.mlp"), name)(seed=3, **kwargs).eval()
    keras_model = getattr(importlib.import_module("dlpbook.keras_nn.mlp"), name)(**kwargs)
    linears = [m for m in torch_model if isinstance(m, torch.nn.Linear)]
    dense = [layer for layer in keras_model.layers if isinstance(layer, keras().layers.Dense)]
    assert len(linears) == len(dense)
    for linear, layer in zip(linears, dense):
        layer.set_weights([linear.weight.detach().numpy().T, linear.bias.detach().numpy()])
    x = np.random.default_rng(0).normal(size=(6, *shape)).astype(np.float32)  # both flatten row-major
    expected = torch_model(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(np.asarray(keras_model(x, training=False)), expected, rtol=1e-5, atol=1e-6)
