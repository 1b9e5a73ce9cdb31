"""dlpbook.nn.deep_mlp and dlpbook.nn.diagnostics: residual blocks (Eq. 7.11-7.14), batch
normalisation (Eq. 7.15-7.18), self-normalising SELU networks (Eq. 7.20-7.22), and the
per-layer activations and gradient norms that show why they help (Sec. 7.4, Fig. 7.6)."""

import numpy as np
import pytest
import torch

from dlpbook.nn import deep_mlp, diagnostics, init
from dlpbook.nn.mlp import mlp
from dlpbook.validation import ParameterError


def standard_normal(n: int, width: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(n, width, generator=torch.Generator().manual_seed(seed))


def test_a_residual_block_adds_its_input_before_the_last_activation():
    x = standard_normal(8, 5)
    block = deep_mlp.ResidualBlock(5, 5, activation="tanh")
    assert isinstance(block.shortcut, torch.nn.Identity)
    torch.testing.assert_close(block(x), torch.tanh(block.residual(x) + x))  # Eq. 7.12-7.13
    linear = deep_mlp.ResidualBlock(5, 5, activation="linear")
    torch.testing.assert_close(linear(x), x + linear.residual(x))  # Eq. 7.11
    # with F = 0 the block passes its input through unchanged
    for layer in linear.residual:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.zeros_(layer.weight), torch.nn.init.zeros_(layer.bias)
    torch.testing.assert_close(linear(x), x)


def test_a_residual_block_projects_when_the_widths_differ():
    block = deep_mlp.ResidualBlock(5, 3, activation="linear")
    x = standard_normal(4, 5)
    torch.testing.assert_close(block(x), block.residual(x) + x @ block.shortcut.weight.T)  # Eq. 7.14
    with pytest.raises(ParameterError, match="activation"):
        deep_mlp.ResidualBlock(5, 3, activation="swish2")


def test_residual_and_batch_norm_networks_have_the_expected_layers():
    net = deep_mlp.residual_mlp(7, 16, 3, 2, batch_norm=True, seed=1)
    assert sum(isinstance(m, deep_mlp.ResidualBlock) for m in net) == 3
    assert sum(isinstance(m, torch.nn.BatchNorm1d) for m in net.modules()) == 6
    assert net(standard_normal(10, 7)).shape == (10, 2)
    same = deep_mlp.residual_mlp(7, 16, 3, 2, batch_norm=True, seed=1)
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), same.parameters()))
    bn = deep_mlp.batch_norm_mlp(4, [8, 8], 1, activation="sigmoid")
    kinds = [type(m).__name__ for m in bn]
    assert kinds == ["Linear", "BatchNorm1d", "Sigmoid", "Linear", "BatchNorm1d", "Sigmoid", "Linear"]
    # in training mode every normalised node has zero mean and unit variance over the batch (Eq. 7.17)
    y = bn[:2](standard_normal(256, 4) * 5 + 3)
    torch.testing.assert_close(y.mean(0), torch.zeros(8), atol=1e-5, rtol=0)
    torch.testing.assert_close(y.var(0, unbiased=False), torch.ones(8), atol=1e-3, rtol=0)


def test_a_selu_network_keeps_its_activations_normalised_through_20_layers():
    x = standard_normal(4000, 100)
    selu = deep_mlp.self_normalizing_mlp(100, [100] * 20, 1, seed=0).eval()
    stats = diagnostics.activation_statistics(selu, x)
    assert len(stats.names) == 20
    np.testing.assert_allclose(stats.mean, 0, atol=0.06)
    np.testing.assert_allclose(stats.std, 1, atol=0.08)
    assert stats.counts.shape == (20, 50) and stats.edges.shape == (51,)
    # ReLU with the same initialisation loses variance layer by layer, sigmoid saturates to a narrow band
    relu = mlp(100, [100] * 20, 1, activation="relu")
    with torch.random.fork_rng():
        torch.manual_seed(0)
        init.lecun_normal_(relu)
    assert diagnostics.activation_statistics(relu, x).std[-1] < 0.01
    sigmoid = diagnostics.activation_statistics(mlp(100, [100] * 20, 1, activation="sigmoid"), x)
    assert np.all(sigmoid.std[5:] < 0.15) and np.all(np.abs(sigmoid.mean - 0.5) < 0.05)


def test_alpha_dropout_keeps_the_selu_fixed_point_in_training():
    net = deep_mlp.self_normalizing_mlp(64, [64] * 8, 1, alpha_dropout=0.1, seed=2)
    assert sum(isinstance(m, torch.nn.AlphaDropout) for m in net) == 8
    torch.manual_seed(0)
    stats = diagnostics.activation_statistics(net.train(), standard_normal(4000, 64))
    np.testing.assert_allclose(stats.mean, 0, atol=0.1)
    np.testing.assert_allclose(stats.std, 1, atol=0.15)


def test_gradients_vanish_in_a_deep_sigmoid_network_and_batch_norm_restores_them():
    x, y = standard_normal(512, 32), standard_normal(512, 1, seed=1)
    loss = torch.nn.functional.mse_loss
    plain_net = mlp(32, [32] * 12, 1, activation="sigmoid")
    normed_net = deep_mlp.batch_norm_mlp(32, [32] * 12, 1, activation="sigmoid")
    plain = list(diagnostics.gradient_norms(plain_net, x, y, loss).values())
    normed = list(diagnostics.gradient_norms(normed_net, x, y, loss).values())
    assert len(plain) == len(normed) == 13
    assert plain[0] < 1e-4 * plain[-1]  # vanishing towards the input (Sec. 7.4)
    assert normed[0] > 1e-2 * normed[-1]


def test_gradient_norms_leave_the_grad_fields_alone_and_match_backward():
    net = mlp(3, [4], 2, seed=0)
    x, y = standard_normal(5, 3), standard_normal(5, 2, seed=1)
    norms = diagnostics.gradient_norms(net, x, y, torch.nn.functional.mse_loss)
    assert all(p.grad is None for p in net.parameters())
    torch.nn.functional.mse_loss(net(x), y).backward()
    assert norms == pytest.approx({"0": net[0].weight.grad.norm().item(), "2": net[2].weight.grad.norm().item()})
    with pytest.raises(ValueError, match="no Linear"):
        diagnostics.gradient_norms(torch.nn.ReLU(), x, y, torch.nn.functional.mse_loss)


def test_layer_activations_record_blocks_as_a_whole_and_remove_their_hooks():
    net = deep_mlp.residual_mlp(3, 6, 2, 1, seed=0)
    x = standard_normal(5, 3)
    recorded = diagnostics.layer_activations(net, x)
    assert list(recorded) == ["1", "2", "3"]
    torch.testing.assert_close(recorded["3"], net[:4](x))
    assert all(not m._forward_hooks for m in net.modules())
    with pytest.raises(ValueError, match="value_range"):
        diagnostics.activation_statistics(net, x, value_range=(1.0, 1.0))
