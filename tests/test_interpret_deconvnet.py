"""dlpbook.interpret.deconvnet: the DeconvNet (Sec. 12.2.1) against a hand-computed case, its three
operations against their definitions, its relation to the gradient and to guided backpropagation,
and Captum's ``Deconvolution`` and ``GuidedBackprop``."""

import pytest
import torch
import torch.nn.functional as F
from interpret_networks import cnn, images, mlp
from torch import nn

from dlpbook.interpret import attribution, deconvnet
from dlpbook.nn.conv import ising_cnn
from dlpbook.validation import ParameterError

pytestmark = pytest.mark.filterwarnings("ignore:Setting backward hooks on ReLU activations")

TARGETS = [0, 2, 1, 1]


def hand_network() -> nn.Sequential:
    """3 x 3 image -> one valid 2 x 2 convolution with filter [[1, 2], [3, 4]] -> ReLU -> 2 x 2 max pooling."""
    conv = nn.Conv2d(1, 1, 2, bias=False).double()
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    return nn.Sequential(conv, nn.ReLU(), nn.MaxPool2d(2)).eval()


def test_reconstruction_of_a_hand_computed_case():
    # one bright pixel at (1, 2): the feature map is [[0, 4], [0, 2]], its maximum 4 sits at (0, 1);
    # unpooling puts 4 there, the ReLU keeps it, and the transposed convolution spreads 4 x filter
    # over the pixels (0..1, 1..2) that this output saw
    network = hand_network()
    image = torch.zeros(1, 1, 3, 3, dtype=torch.float64)
    image[0, 0, 1, 2] = 1.0
    expected = torch.tensor([[0.0, 4.0, 8.0], [0.0, 12.0, 16.0], [0.0, 0.0, 0.0]], dtype=torch.float64)
    for layer in (network[1], network[2]):
        torch.testing.assert_close(deconvnet.reconstruct(network, image, layer, 0)[0, 0], expected)


def test_reconstruction_keeps_only_the_strongest_activation_of_the_channel():
    # two bright pixels: the reconstruction shows the one that drives the maximum, not both
    network = nn.Sequential(hand_network()[0], nn.ReLU())
    image = torch.zeros(1, 1, 3, 3, dtype=torch.float64)
    image[0, 0, 0, 0], image[0, 0, 2, 2] = 1.0, 0.5
    reconstruction = deconvnet.reconstruct(network, image, network[1], 0)[0, 0]
    # conv output [[1, 0], [0, 2]]: the maximum 2 at (1, 1), the pixel (2, 2) at the filter's corner 4
    expected = torch.zeros(3, 3, dtype=torch.float64)
    expected[1:, 1:] = 2.0 * torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    torch.testing.assert_close(reconstruction, expected)


def test_transposed_convolution_is_the_correlation_with_flipped_filters():
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 5, 3, padding=1).double()
    signal = torch.randn(2, 5, 7, 7, dtype=torch.float64)
    flipped = conv.weight.flip(-2, -1).transpose(0, 1)  # (in, out, k, k) -> filters of the reverse map
    expected = F.conv2d(signal, flipped, padding=1)
    torch.testing.assert_close(deconvnet.transposed_convolution(conv, signal, (7, 7)), expected)


@pytest.mark.parametrize(("padding", "stride", "size"), [(0, 1, 9), ("same", 1, 9), (1, 2, 9), (1, 2, 10)])
def test_transposed_convolution_is_the_transpose(padding, stride, size):
    # <conv(x), s> = <x, conv^T(s)> for every x and s, with the input size restored
    torch.manual_seed(1)
    conv = nn.Conv2d(2, 4, 3, padding=padding, stride=stride, bias=False).double()
    x = torch.randn(3, 2, size, size, dtype=torch.float64)
    y = conv(x)
    signal = torch.randn_like(y)
    back = deconvnet.transposed_convolution(conv, signal, x.shape[-2:])
    assert back.shape == x.shape
    torch.testing.assert_close((y * signal).sum(), (x * back).sum())


@pytest.mark.parametrize(("kernel", "stride"), [(2, 2), (3, 2)])
def test_unpooling_sends_the_signal_to_the_switches(kernel, stride):
    # the switches route exactly as the gradient of max pooling does, overlapping windows included
    x = images(2, 9, channels=3).requires_grad_(True)
    pooled, switches = F.max_pool2d(x, kernel, stride, return_indices=True)
    signal = torch.randn_like(pooled)
    (gradient,) = torch.autograd.grad(pooled, x, signal)
    torch.testing.assert_close(deconvnet.unpool(signal, switches, x.shape), gradient)


def test_without_relus_deconvnet_is_the_gradient():
    # convolutions, max pooling and dense layers only: transposes and switches are the backward pass
    torch.manual_seed(3)
    network = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(4, 2, 3), nn.Flatten(),
                            nn.Linear(8, 3)).double().eval()
    x = images()
    torch.testing.assert_close(deconvnet.deconvnet(network, x, TARGETS), attribution.saliency(network, x, TARGETS))


def test_deconvnet_agrees_with_captum():
    captum_attr = pytest.importorskip("captum.attr")
    network, x = cnn(), images()
    with pytest.warns(UserWarning, match="did not already require gradients"):
        expected = captum_attr.Deconvolution(network).attribute(x, target=TARGETS)
    torch.testing.assert_close(deconvnet.deconvnet(network, x, TARGETS), expected)


def active_mlp() -> nn.Sequential:
    """The 6 -> 10 -> 8 -> 3 ReLU network with biases so large that every ReLU is active for inputs in [0, 1)."""
    network = mlp()
    with torch.no_grad():
        for layer in (network[0], network[2]):
            layer.bias.fill_(20.0)
    return network


def test_without_max_pooling_deconvnet_ignores_the_input_and_is_guided_backprop_where_all_relus_are_active():
    captum_attr = pytest.importorskip("captum.attr")
    network = active_mlp()
    x = torch.rand(4, 6, generator=torch.Generator().manual_seed(5), dtype=torch.float64)
    projected = deconvnet.deconvnet(network, x, TARGETS)
    # no switches: the same map for any other input, e.g. all zeros
    torch.testing.assert_close(deconvnet.deconvnet(network, torch.zeros_like(x), TARGETS), projected)
    with pytest.warns(UserWarning, match="did not already require gradients"):
        guided = captum_attr.GuidedBackprop(network).attribute(x, target=TARGETS)
    torch.testing.assert_close(projected, guided)
    # the gradient passes negative backward signals that the DeconvNet removes
    assert not torch.allclose(projected, attribution.saliency(network, x, TARGETS))


def test_reconstruction_works_on_the_ising_cnn_from_its_first_standard_layer():
    model = ising_cnn(8, n_out=2).eval()
    spins = torch.where(torch.rand(3, 8, 8, generator=torch.Generator().manual_seed(0)) < 0.5, -1.0, 1.0)
    body = model[1:]
    reconstruction = deconvnet.reconstruct(body, model[0](spins), body[6], 5)
    assert reconstruction.shape == (3, 1, 8, 8)
    assert reconstruction.abs().sum() > 0


def test_errors_name_what_is_wrong():
    network = hand_network()
    image = torch.zeros(1, 1, 3, 3, dtype=torch.float64)
    with pytest.raises(ParameterError, match="a layer of model"):
        deconvnet.reconstruct(network, image, nn.ReLU(), 0)
    with pytest.raises(ParameterError, match="channel"):
        deconvnet.reconstruct(network, image, network[1], 3)
    with pytest.raises(ParameterError, match="SUPPORTED"):
        deconvnet.deconvnet(nn.Sequential(nn.Conv2d(1, 1, 2), nn.Tanh()), image.float())
    dense = mlp()
    with pytest.raises(ParameterError, match="feature maps"):
        deconvnet.reconstruct(dense, torch.zeros(1, 6, dtype=torch.float64), dense[0], 0)
