"""dlpbook.nn.init: Keras' he_normal (variance 2 / fan_in, truncated at 2 sigma) and LeCun-normal
weights (variance 1 / n_in, Sec. 7.7), applied in place to every layer of a network."""

import math

import pytest
import torch

from dlpbook.nn import init
from dlpbook.nn.conv import SeparableConv2d

TRUNCATED_STD = 0.87962566103423978  # standard deviation of a unit normal truncated at +-2


def test_he_normal_has_variance_two_over_fan_in_truncated_at_two_sigma():
    torch.manual_seed(0)
    network = torch.nn.Sequential(torch.nn.Conv2d(50, 64, 3), torch.nn.ReLU(), torch.nn.Linear(400, 300))
    assert init.he_normal_(network) is network
    for layer, fan_in in [(network[0], 50 * 9), (network[2], 400)]:
        assert layer.weight.var().item() == pytest.approx(2 / fan_in, rel=0.03)
        assert layer.weight.abs().max().item() <= 2 * math.sqrt(2 / fan_in) / TRUNCATED_STD
        # the truncation shows: no weight beyond 2 sigma, but some close to it
        assert layer.weight.abs().max().item() > 1.9 * math.sqrt(2 / fan_in) / TRUNCATED_STD
        assert torch.count_nonzero(layer.bias) == 0


def test_he_normal_counts_fan_in_as_keras_for_a_depthwise_kernel():
    torch.manual_seed(1)
    layer = init.he_normal_(SeparableConv2d(1024, 8))
    # Keras' depthwise kernel (3, 3, 1024, 1) has fan_in 9 * 1024; the pointwise one 1024
    assert layer.depthwise.weight.var().item() == pytest.approx(2 / (9 * 1024), rel=0.05)
    assert layer.pointwise.weight.var().item() == pytest.approx(2 / 1024, rel=0.05)


def test_lecun_normal_draws_weights_with_variance_one_over_fan_in():
    torch.manual_seed(0)
    layer = init.lecun_normal_(torch.nn.Linear(400, 300))
    assert layer.weight.var().item() == pytest.approx(1 / 400, rel=0.02)
    assert torch.count_nonzero(layer.bias) == 0


def test_glorot_uniform_is_keras_default_with_zero_biases():
    torch.manual_seed(0)
    network = init.glorot_uniform_(torch.nn.Sequential(torch.nn.Conv2d(8, 16, 3), torch.nn.Linear(400, 100)))
    for layer, fans in [(network[0], 8 * 9 + 16 * 9), (network[1], 400 + 100)]:
        limit = math.sqrt(6 / fans)  # uniform in +-limit: variance limit^2 / 3
        assert layer.weight.abs().max().item() <= limit
        assert layer.weight.var().item() == pytest.approx(limit**2 / 3, rel=0.05)
        assert torch.count_nonzero(layer.bias) == 0


def test_the_same_global_seed_gives_the_same_weights():
    def draw(seed):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            return init.he_normal_(torch.nn.Linear(20, 10)).weight.detach().clone()

    assert torch.equal(draw(4), draw(4)) and not torch.equal(draw(4), draw(5))
