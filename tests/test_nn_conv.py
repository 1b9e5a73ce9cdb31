"""Convolutional building blocks and the CNNs of Ex. 8.1 and 8.2 (book Ch. 8), in torch."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlpbook.nn.conv as conv
from dlpbook import convolution_arithmetic as ca
from dlpbook import data
from dlpbook.data.ising import T_C
from dlpbook.nn import count_parameters
from dlpbook.train import fit
from dlpbook.train.accuracy import binary_accuracy
from dlpbook.validation import ParameterError


def images(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_global_pooling_gives_one_value_per_feature_map():
    x = images(3, 5, 7, 4)
    torch.testing.assert_close(conv.GlobalPooling2d()(x), x.mean(dim=(2, 3)))
    torch.testing.assert_close(conv.GlobalPooling2d("max")(x), F.adaptive_max_pool2d(x, 1).flatten(1))
    assert conv.GlobalPooling2d()(images(2, 5, 30, 9)).shape == (2, 5)  # any image size
    with pytest.raises(ParameterError, match="mode must be one of 'average', 'max'"):
        conv.GlobalPooling2d("min")


@pytest.mark.parametrize(("c", "f", "k", "m"), [(64, 64, 3, 1), (2, 8, 3, 1), (3, 5, 5, 2)])
def test_separable_convolution_is_depthwise_then_pointwise(c, f, k, m):
    layer = conv.SeparableConv2d(c, f, k, depth_multiplier=m)
    assert count_parameters(layer) == ca.separable_conv_parameter_count(c, f, k, depth_multiplier=m)
    assert count_parameters(layer) < ca.conv_parameter_count(c, f, k)
    x = images(2, c, 9, 8)
    # each input channel is filtered on its own: channel i only feeds depthwise outputs i*m ... i*m + m - 1
    depthwise = layer.depthwise.weight
    expected_depth = torch.cat([F.conv2d(x[:, i : i + 1], depthwise[i * m : (i + 1) * m], padding=k // 2)
                                for i in range(c)], dim=1)
    expected = F.conv2d(expected_depth, layer.pointwise.weight, layer.pointwise.bias)
    torch.testing.assert_close(layer(x), expected)
    assert layer(x).shape == (2, f, 9, 8)


def test_inception_block_of_fig_8_7():
    block = conv.InceptionBlock(32, 16)
    x = images(2, 32, 9, 9)
    y = block(x)
    assert y.shape == (2, 64, 9, 9) and block.out_channels == 64
    expected = (ca.conv_parameter_count(32, 16, 1) * 4 + ca.conv_parameter_count(16, 16, 3)
                + ca.conv_parameter_count(16, 16, 5))
    assert count_parameters(block) == expected
    # the four branches fill consecutive 16-channel slices, each after a ReLU
    for index, branch in enumerate(block.branches):
        torch.testing.assert_close(y[:, 16 * index : 16 * (index + 1)], branch(x))
    assert y.min() >= 0


def test_dense_block_channels_grow_by_the_growth_rate():
    block = conv.DenseBlock(5, growth=4, n_layers=3)
    x = images(2, 5, 6, 6)
    y = block(x)
    assert y.shape == (2, 5 + 3 * 4, 6, 6) and block.out_channels == 17
    torch.testing.assert_close(y[:, :5], x)  # the input passes through unchanged
    widths = [layer[0].in_channels for layer in block.layers]
    assert widths == [5, 9, 13]  # layer l sees the input and all l - 1 earlier outputs
    # the last layer's new maps are computed from everything before them
    torch.testing.assert_close(y[:, 13:], block.layers[2](y[:, :13]))


def test_dense_block_with_separable_bottlenecks_is_the_trunk_of_ex_11_1():
    stem = conv.SeparableConv2d(2, 8)
    block = conv.DenseBlock(8, growth=16, n_layers=5, bottleneck=16, separable=True)
    assert [layer[0].in_channels for layer in block.layers] == [8, 24, 40, 56, 72]
    assert block(stem(images(1, 2, 9, 9))).shape == (1, 88, 9, 9)
    # 177,016 parameters in all minus the three towers (conv 88 -> 32 -> 32 -> 48, dense 10 n -> n)
    towers = sum(ca.conv_parameter_count(88, 32, 3) + ca.conv_parameter_count(32, 32, 3)
                 + ca.conv_parameter_count(32, 48, 3) + 432 * 10 * n + 10 * n + 10 * n * n + n for n in (3, 2, 1))
    assert count_parameters(stem) + count_parameters(block) == 177_016 - towers == 5402


@pytest.mark.parametrize(("shape", "widths"), [((2, 3, 16, 16), (8, 16)), ((1, 1, 24, 40), (4, 8, 16, 32)),
                                               ((3, 2, 8, 12), (16, 32, 64))])
def test_unet_output_has_the_input_size(shape, widths):
    model = conv.UNet(shape[1], 5, widths)
    assert model(images(*shape)).shape == (shape[0], 5, *shape[2:])


def test_unet_steps_and_size_check():
    skip, down = conv.UNetDown(3, 8)(images(2, 3, 10, 6))
    assert skip.shape == (2, 8, 10, 6) and down.shape == (2, 8, 5, 3)
    up = conv.UNetUp(16, 8, 8)(images(2, 16, 5, 3), skip)
    assert up.shape == (2, 8, 10, 6)
    with pytest.raises(ValueError, match=r"divisible by 4, got \(16, 18\)"):
        conv.UNet(1, 1, (4, 8, 16))(images(1, 1, 16, 18))
    with pytest.raises(ParameterError, match="widths must be a list of at least two positive integers"):
        conv.UNet(1, 1, (4,))


def test_exercise_networks_have_the_original_parameter_counts():
    assert count_parameters(conv.ising_cnn()) == 16_401  # Ex. 8.1
    assert count_parameters(conv.ising_cnn(n_out=2)) == 16_434  # Ex. 12.3
    assert count_parameters(conv.ising_cnn(L=16)) == 16_401  # global pooling: independent of the lattice
    assert count_parameters(conv.airshower_cnn()) == 286_849  # Ex. 8.2


def test_ising_cnn_takes_spins_and_returns_probabilities():
    spins = torch.from_numpy(np.random.default_rng(0).choice(np.array([-1, 1], dtype=np.int8), (4, 32, 32)))
    model = conv.ising_cnn().eval()
    p = model(spins)
    assert p.shape == (4, 1) and torch.all((p > 0) & (p < 1))
    torch.testing.assert_close(p, model(spins.float()))
    two = conv.ising_cnn(n_out=2).eval()(spins)
    torch.testing.assert_close(two.sum(dim=1), torch.ones(4))
    with pytest.raises(ValueError, match=r"expected inputs of shape \(batch, 32, 32\), got \(4, 16, 16\)"):
        model(spins[:, :16, :16])


def test_airshower_cnn_takes_channels_last_maps_and_starts_he_normal():
    model = conv.airshower_cnn().eval()
    maps = images(3, 14, 14, 2)
    assert model(maps).shape == (3, 1)
    # the maps arrive channels last, as the Keras twin takes them, and are turned channels first
    first = model[1]
    torch.testing.assert_close(first(model[0](maps)), first(maps.permute(0, 3, 1, 2)))
    for layer in model:
        if isinstance(layer, (torch.nn.Conv2d, torch.nn.Linear)):
            fan_in = layer.weight[0].numel()
            assert not layer.bias.any()
            if layer.weight.numel() > 10_000:  # enough weights for a tight estimate
                assert layer.weight.std().item() == pytest.approx(math.sqrt(2 / fan_in), rel=0.03)
            std = math.sqrt(2 / fan_in) / 0.87962566103423978
            assert layer.weight.abs().max() <= 2 * std  # truncated at two standard deviations


def test_seed_fixes_the_weights_and_leaves_the_global_state_alone():
    torch.manual_seed(7)
    before = torch.rand(3)
    torch.manual_seed(7)
    a, b, c = conv.ising_cnn(seed=3), conv.ising_cnn(seed=3), conv.ising_cnn(seed=4)
    torch.testing.assert_close(torch.rand(3), before)
    for x, y, z in zip(a.parameters(), b.parameters(), c.parameters()):
        assert torch.equal(x, y) and (x.numel() == 1 or not torch.equal(x, z))


@pytest.mark.parametrize(("build", "kwargs", "name"), [
    (conv.ising_cnn, {"L": 1}, "L"),
    (conv.ising_cnn, {"filters": [16, 0]}, "filters"),
    (conv.ising_cnn, {"L": 4, "filters": [4, 4, 4, 4]}, "filters"),
    (conv.ising_cnn, {"n_out": 0}, "n_out"),
    (conv.ising_cnn, {"dropout": 1.0}, "dropout"),
    (conv.airshower_cnn, {"channels": 0}, "channels"),
    (conv.airshower_cnn, {"seed": -1}, "seed"),
    (conv.DenseBlock, {"in_channels": 2, "growth": 2, "n_layers": 2, "kernel_size": 4}, "kernel_size"),
    (conv.DenseBlock, {"in_channels": 2, "growth": 2, "n_layers": 2, "bottleneck": 0}, "bottleneck"),
    (conv.InceptionBlock, {"in_channels": 0}, "in_channels"),
])
def test_bad_arguments_name_the_parameter(build, kwargs, name):
    with pytest.raises(ParameterError) as error:
        build(**kwargs)
    assert error.value.name == name


def test_ising_cnn_learns_the_phases():
    # 16 x 16 lattices keep the simulation short; chains of 10 samples stay on one side of the split
    ising = data.load("ising", 1000, seed=1, L=16, equilibration=100, decorrelation=5, samples_per_chain=10)
    x = ising["C"].astype(np.float32)
    y = (ising["T"] > T_C).astype(np.float32)[:, None]
    model = conv.ising_cnn(16, seed=0)
    optimizer = torch.optim.Adam(model.parameters(), 3e-3)
    history = fit(model, (x[:800], y[:800]), loss=torch.nn.BCELoss(), optimizer=optimizer, epochs=3, batch_size=32, validation=(x[800:], y[800:]), metrics={"acc": binary_accuracy},
                  progress=False, device="cpu")
    majority = max(y[800:].mean(), 1 - y[800:].mean())
    print(f"validation accuracy {history['val_acc'][-1]:.3f}, majority class {majority:.3f}")
    assert history["val_acc"][-1] > 0.85 and history["val_acc"][-1] > majority + 0.25


def test_the_cifar_cnn_starts_as_its_keras_twin():
    """Glorot-uniform kernels and zero biases, Keras' default (Ex. 12.1), reproducible by seed."""
    network = conv.cifar_cnn(filters=(8, 16, 32), seed=3)
    layers = [m for m in network.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    assert len(layers) == 7
    for layer in layers:
        assert torch.count_nonzero(layer.bias) == 0
        fan_in, fan_out = layer.weight[0].numel(), layer.weight[:, 0].numel()
        assert layer.weight.abs().max().item() <= math.sqrt(6 / (fan_in + fan_out))
    again = conv.cifar_cnn(filters=(8, 16, 32), seed=3)
    assert all(torch.equal(a, b) for a, b in zip(network.state_dict().values(), again.state_dict().values()))
