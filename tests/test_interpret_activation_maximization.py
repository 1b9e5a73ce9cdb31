"""dlpbook.interpret.activation_maximization: the objectives (Eq. 12.1, 12.4), the ascent step
(Eq. 12.2-12.3), and that the ascent increases its objective, with and without regularisers."""

import numpy as np
import pytest
import torch
from interpret_networks import cnn, gap_cnn
from torch import nn

from dlpbook.interpret import activation_maximization as am
from dlpbook.validation import ParameterError


def noise(n: int = 4, seed: int = 0) -> torch.Tensor:
    return 0.1 * torch.randn(n, 1, 8, 8, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def test_the_objectives_read_the_layer_output():
    model, classifier, x = cnn(), gap_cnn(), noise()
    h = model[:2](x)  # ReLU after the first convolution, (4, 4, 8, 8)
    objectives = {
        am.neuron(model[1], 2, (3, 5)): h[:, 2, 3, 5],
        am.neuron(model[1], [0, 1, 2, 3], (1, 1)): h[range(4), [0, 1, 2, 3], 1, 1],
        am.channel(model[1], 3): h[:, 3].sum((1, 2)),
        am.channel(model[1], [3, 2, 1, 0]): h[range(4), [3, 2, 1, 0]].sum((1, 2)),
        am.deep_dream(model[1]): (h ** 2).sum((1, 2, 3)),
        am.neuron(model[7], 5): model[:8](x)[:, 5],
        am.class_score(classifier, [0, 1, 2, 0]): classifier[:-1](x)[range(4), [0, 1, 2, 0]],  # before the softmax
    }
    for objective, expected in objectives.items():
        network = classifier if "class" in objective.name else model
        result = am.maximize_activation(network, objective, x, steps=1)
        np.testing.assert_allclose(result.values[0], expected.detach().numpy(), err_msg=objective.name)


def test_one_step_is_gradient_ascent_eq_12_3():
    model, x = cnn(), noise()
    objective = am.channel(model[4], 1)
    leaf = x.clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(model[:5](leaf)[:, 1].sum(), leaf)
    plain = am.maximize_activation(model, objective, x, steps=1, step_size=0.3, normalize_gradient=False)
    torch.testing.assert_close(plain.inputs, x + 0.3 * gradient)
    rms = gradient.pow(2).mean((1, 2, 3), keepdim=True).sqrt()
    normalised = am.maximize_activation(model, objective, x, steps=1, step_size=0.3)
    torch.testing.assert_close(normalised.inputs, x + 0.3 * gradient / rms)
    penalised = am.maximize_activation(model, objective, x, steps=1, step_size=0.3, normalize_gradient=False, l2=0.5)
    torch.testing.assert_close(penalised.inputs, x + 0.3 * (gradient - x))
    assert all(p.grad is None for p in model.parameters())  # the weights are not trained


@pytest.mark.parametrize("regularised", [False, True])
def test_activation_maximization_increases_its_objective(regularised):
    model, x = cnn(), noise()
    settings = dict(l2=1e-4, jitter=1, blur=0.5, blur_every=2, seed=1) if regularised else {}
    # a neuron before its ReLU: after it, a neuron at 0 has no gradient to start from
    for objective in (am.neuron(model[3], [0, 1, 2, 3], (1, 2)), am.channel(model[4], [5, 0, 1, 5]),
                      am.deep_dream(model[7]), am.class_score(model, [0, 1, 2, 0])):
        result = am.maximize_activation(model, objective, x, steps=20, step_size=0.2, **settings)
        assert result.values.shape == (21, 4) and result.inputs.shape == x.shape
        assert np.all(result.values[-1] > result.values[0] + 1e-3), (objective.name, result.values[[0, -1]])


def test_blur_smooths_and_jitter_is_seeded():
    model, x = cnn(), noise()
    objective = am.channel(model[1], 0)
    sharp = am.maximize_activation(model, objective, x, steps=4, step_size=0.1)
    blurred = am.maximize_activation(model, objective, x, steps=4, step_size=0.1, blur=1.0)
    roughness = [np.abs(np.diff(r.inputs.numpy(), axis=-1)).mean() for r in (sharp, blurred)]
    assert roughness[1] < 0.5 * roughness[0]
    objective = am.neuron(model[0], 0, (3, 3))
    first, again, other = (am.maximize_activation(model, objective, x, steps=4, step_size=0.1, jitter=2, seed=s)
                           for s in (1, 1, 2))
    torch.testing.assert_close(first.inputs, again.inputs)
    assert not torch.allclose(first.inputs, other.inputs)


def test_bad_arguments_are_refused():
    model, x = cnn(), noise()
    objective = am.channel(model[1], 0)
    for name, value in [("steps", 0), ("step_size", 0.0), ("l2", -1.0), ("jitter", -1), ("blur", -0.5),
                        ("blur_every", 0), ("seed", -1)]:
        with pytest.raises(ParameterError, match=name):
            am.maximize_activation(model, objective, x, **{name: value})
    with pytest.raises(ParameterError, match="start"):
        am.maximize_activation(nn.Sequential(nn.Linear(3, 2)), am.neuron(nn.Linear(3, 2), 0), torch.zeros(2, 3),
                               jitter=1)
    with pytest.raises(ParameterError, match="objective"):
        am.maximize_activation(model, am.channel(nn.ReLU(), 0), x)  # a layer outside the model
    with pytest.raises(ParameterError, match="channel"):
        am.maximize_activation(model, am.channel(model[1], 4), x)
    with pytest.raises(ParameterError, match="channel"):
        am.maximize_activation(model, am.channel(model[1], [0, 1]), x)  # one per sample, 4 samples
    with pytest.raises(ParameterError, match="position"):
        am.maximize_activation(model, am.neuron(model[1], 0, (1,)), x)
    with pytest.raises(ParameterError, match="position"):
        am.maximize_activation(model, am.neuron(model[1], 0, (1, 8)), x)
    with pytest.raises(ParameterError, match="position"):
        am.neuron(model[1], 0, (-1, 0))
