"""dlpbook.nn.multitask (Ch. 11, Ex. 11.1): the weighted multi-task loss (Eq. 11.1), the loss
weights from the wanted resolutions, station masking and saturation, the Ex. 11.1 network in
both frameworks, and a short training on simulated air showers whose loss clearly falls."""

import math

import numpy as np
import pytest
import torch

from dlpbook import data
from dlpbook.data.airshower.inputs import (
    CORE_UNIT_M,
    LOG_ENERGY_CENTRE,
    MULTITASK_TARGETS,
    footprint_inputs,
    multitask_targets,
)
from dlpbook.metrics import regression
from dlpbook.nn import multitask
from dlpbook.nn.conv import SeparableConv2d
from dlpbook.nn.mlp import count_parameters
from dlpbook.train import fit
from dlpbook.validation import ParameterError


def test_the_weighted_loss_is_the_hand_sum_of_the_task_losses():
    g = torch.Generator().manual_seed(0)
    outputs = {name: torch.randn(6, k, generator=g) for name, k in MULTITASK_TARGETS.items()}
    targets = {name: torch.randn(6, k, generator=g) for name, k in MULTITASK_TARGETS.items()}
    loss = multitask.MultiTaskLoss({"axis": 15, "core": 9, "energy": 2})
    by_hand = sum(w * ((outputs[n] - targets[n]) ** 2).mean() for n, w in [("axis", 15), ("core", 9), ("energy", 2)])
    torch.testing.assert_close(loss(outputs, targets), by_hand)
    parts = loss.task_losses(outputs, targets)
    torch.testing.assert_close(parts["core"], ((outputs["core"] - targets["core"]) ** 2).mean())
    # a task left out of the weights does not count; a missing one is an error
    only_axis = multitask.MultiTaskLoss({"axis": 1.0})
    torch.testing.assert_close(only_axis(outputs, targets), parts["axis"])
    with pytest.raises(KeyError, match="direction"):
        multitask.MultiTaskLoss({"direction": 1})(outputs, targets)
    with pytest.raises(ParameterError, match="weights"):
        multitask.MultiTaskLoss({"axis": -1})


def test_inverse_variance_weights_reproduce_the_exercise_weights():
    # 1.5 deg on unit vectors, 25 m in units of 750 m, 7 % read as a width in log10(E)
    weights = multitask.inverse_variance_weights([math.radians(1.5), 25 / 750, 0.07], scale=100)
    np.testing.assert_allclose(weights, [14.59, 9.0, 2.04], rtol=1e-3)
    assert list(np.round(weights)) == [15, 9, 2]
    with pytest.raises(ParameterError, match="sigmas"):
        multitask.inverse_variance_weights([0.1, 0.0])


def test_mask_stations_switches_off_the_chosen_fraction_of_every_event():
    x = np.random.default_rng(0).uniform(1, 2, size=(500, 9, 9, 2)).astype(np.float32)
    masked = multitask.mask_stations(x, 0.2, seed=3)
    dead = (masked == 0).all(axis=-1)
    assert np.all(dead.sum(axis=(1, 2)) == round(0.2 * 81))
    assert np.array_equal(masked[~dead], x[~dead]) and (masked == 0).sum() == 2 * dead.sum()
    assert masked.dtype == x.dtype and (x > 0).all()  # a copy: the input is unchanged
    # different stations in different events, every station dead about 20 % of the time
    assert 0.13 < dead.mean(axis=0).min() and dead.mean(axis=0).max() < 0.28
    assert np.array_equal(masked, multitask.mask_stations(x, 0.2, seed=3))
    assert np.array_equal(multitask.mask_stations(x, 0.0), x)
    with pytest.raises(ParameterError, match="fraction"):
        multitask.mask_stations(x, 1.5)
    with pytest.raises(ValueError, match="shape"):
        multitask.mask_stations(x[0], 0.1)


def test_saturate_stations_clips_the_signal_channel_only():
    x = np.stack([np.linspace(-1, 1, 81).reshape(1, 9, 9), np.linspace(0, 1, 81).reshape(1, 9, 9)], axis=-1)
    clipped = multitask.saturate_stations(x, 0.5)
    assert np.array_equal(clipped[..., 0], x[..., 0])
    assert np.array_equal(clipped[..., 1], np.minimum(x[..., 1], 0.5))
    with pytest.raises(ParameterError, match="channel"):
        multitask.saturate_stations(x, 0.5, channel=2)


def test_station_masking_silences_stations_in_training_only():
    layer = multitask.StationMasking(0.3)
    x = torch.ones(400, 9, 9, 2)
    torch.manual_seed(0)
    out = layer(x)
    dead = (out == 0).all(dim=-1)
    assert ((out == 0) | (out == 1)).all() and torch.equal((out == 0).any(dim=-1), dead)  # no rescaling
    assert dead.float().mean().item() == pytest.approx(0.3, abs=0.01)
    assert torch.equal(layer.eval()(x), x)
    with pytest.raises(ParameterError, match="rate"):
        multitask.StationMasking(1.0)


def test_the_exercise_network_has_177016_parameters_and_three_heads():
    model = multitask.airshower_multitask_net()
    assert count_parameters(model) == 177_016
    out = model(torch.zeros(3, 9, 9, 2))
    assert {name: tuple(v.shape) for name, v in out.items()} == {"axis": (3, 3), "core": (3, 2), "energy": (3, 1)}
    same = multitask.airshower_multitask_net()
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), same.parameters()))
    # he_normal: variance 2 / fan_in, truncated at two standard deviations of the untruncated normal
    kernel = model.towers["axis"].convolutions[0].weight
    assert kernel.std().item() == pytest.approx(math.sqrt(2 / (88 * 9)), rel=0.05)
    assert kernel.abs().max().item() <= 2 * math.sqrt(2 / (88 * 9)) / 0.87962566103423978
    assert count_parameters(multitask.airshower_multitask_net(steps=2, growth=8)) < 177_016


@pytest.mark.keras
def test_the_keras_twin_has_the_same_parameter_count_and_outputs():
    pytest.importorskip("tensorflow")
    from dlpbook.keras_nn import multitask as keras_multitask

    model = keras_multitask.airshower_multitask_net()
    assert model.count_params() == 177_016
    out = model(np.zeros((3, 9, 9, 2), np.float32))
    assert {name: tuple(v.shape) for name, v in out.items()} == {"axis": (3, 3), "core": (3, 2), "energy": (3, 1)}
    small = keras_multitask.airshower_multitask_net(steps=2, growth=8)
    assert small.count_params() == count_parameters(multitask.airshower_multitask_net(steps=2, growth=8))


def keras_weights_of(module: torch.nn.Module) -> list[np.ndarray]:
    """The weights of a torch layer in the layout of its Keras twin (kernels channels last)."""
    if isinstance(module, SeparableConv2d):  # depthwise kernel (h, w, in, multiplier), then pointwise
        return [
            module.depthwise.weight.detach().permute(2, 3, 0, 1).numpy(),
            *keras_weights_of(module.pointwise),
        ]
    if isinstance(module, torch.nn.Conv2d):
        return [module.weight.detach().permute(2, 3, 1, 0).numpy(), module.bias.detach().numpy()]
    return [module.weight.detach().T.numpy(), module.bias.detach().numpy()]


@pytest.mark.keras
def test_the_keras_twin_computes_the_same_function_with_the_same_weights():
    pytest.importorskip("tensorflow")
    from dlpbook.keras_nn import multitask as keras_multitask

    torch_model = multitask.airshower_multitask_net(steps=2, growth=8, seed=1).eval()
    keras_model = keras_multitask.airshower_multitask_net(steps=2, growth=8)
    modules = dict(torch_model.named_modules())
    copied = 0
    for layer in keras_model.layers:
        if layer.weights:
            name = f"towers.{layer.name}.dense.2" if layer.name in MULTITASK_TARGETS else layer.name
            layer.set_weights(keras_weights_of(modules[name]))
            copied += 1
    assert copied == 1 + 2 * 2 + 3 * 5
    x = np.random.default_rng(0).normal(size=(5, 9, 9, 2)).astype(np.float32)
    expected = torch_model(torch.from_numpy(x))
    got = keras_model(x, training=False)
    for name in MULTITASK_TARGETS:
        np.testing.assert_allclose(np.asarray(got[name]), expected[name].detach().numpy(), rtol=1e-4, atol=1e-5)


def test_a_short_training_on_simulated_air_showers_beats_predicting_the_mean():
    events = data.load("airshowers", 1000, seed=5, progress=False)
    x, y = footprint_inputs(events["time"], events["signal"]), multitask_targets(events)
    n = 800
    train = (x[:n], {name: v[:n] for name, v in y.items()})
    validation = (x[n:], {name: v[n:] for name, v in y.items()})
    loss = multitask.MultiTaskLoss({"axis": 15, "core": 9, "energy": 2})
    # the loss of the best constant prediction, the training means
    constant = {name: torch.from_numpy(np.broadcast_to(v[:n].mean(0), v[n:].shape).copy()) for name, v in y.items()}
    baseline = loss(constant, {name: torch.from_numpy(v) for name, v in validation[1].items()}).item()
    model = multitask.airshower_multitask_net(seed=0)
    history = fit(
        model, train, loss=loss, optimizer=torch.optim.Adam(model.parameters(), 1e-3),
        epochs=3, batch_size=32, validation=validation, progress=False,
    )  # fmt: skip
    assert history.values["val_loss"][-1] < 0.3 * baseline
    assert history.values["loss"][-1] < history.values["loss"][0]
    # and the 68 % resolutions of all three tasks beat those of the constant prediction
    with torch.no_grad():
        predicted = {name: v.numpy() for name, v in model.eval()(torch.from_numpy(validation[0])).items()}
    true, guess = validation[1], {name: v.numpy() for name, v in constant.items()}

    def energy_eev(v):
        return 10 ** (v[:, 0] + LOG_ENERGY_CENTRE - 18)

    for resolution, name, unit in [
        (regression.angular_resolution, "axis", lambda v: v),
        (regression.distance_resolution, "core", lambda v: CORE_UNIT_M * v),
        (regression.relative_resolution, "energy", energy_eev),
    ]:
        ours = resolution(unit(predicted[name]), unit(true[name]))
        assert ours < 0.6 * resolution(unit(guess[name]), unit(true[name])), name
