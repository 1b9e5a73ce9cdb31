"""The Keras twins of the CNNs of Ex. 8.1, 8.2, 12.1 and 12.2 match the torch originals (book Ch. 8, 12)."""

import numpy as np
import pytest
import torch

import dlpbook.nn.conv as torch_conv
from dlpbook.nn import count_parameters
from dlpbook.validation import ParameterError

pytestmark = pytest.mark.keras
pytest.importorskip("tensorflow")

from dlpbook import keras_nn  # noqa: E402  (after the skip: the twins need TensorFlow)
from dlpbook.keras_nn import conv as keras_conv  # noqa: E402

BUILDS = [("ising_cnn", {}, 16_401), ("ising_cnn", {"n_out": 2}, 16_434), ("airshower_cnn", {}, 286_849),
          ("cifar_cnn", {}, 73_498), ("mnist_cnn", {}, 98_442)]


def copy_torch_weights_to_keras(torch_model, keras_model):
    layers = [m for m in torch_model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    weighted = [layer for layer in keras_model.layers if layer.get_weights()]
    assert len(layers) == len(weighted)
    for source, target in zip(layers, weighted):
        kernel = source.weight.detach().numpy()
        # torch (out, in, h, w) -> Keras (h, w, in, out); dense (out, in) -> (in, out)
        kernel = kernel.transpose(2, 3, 1, 0) if kernel.ndim == 4 else kernel.T
        target.set_weights([kernel, source.bias.detach().numpy()])


@pytest.mark.parametrize(("name", "kwargs", "count"), BUILDS)
def test_same_parameter_count_and_same_outputs_for_the_same_weights(name, kwargs, count):
    torch_model = getattr(torch_conv, name)(**kwargs).eval()
    keras_model = getattr(keras_conv, name)(**kwargs)
    assert keras_model.count_params() == count_parameters(torch_model) == count
    shape = (5, *keras_model.input_shape[1:])
    rng = np.random.default_rng(0)
    x = rng.choice([-1.0, 1.0], size=shape) if name == "ising_cnn" else rng.normal(size=shape)
    x = x.astype(np.float32)
    copy_torch_weights_to_keras(torch_model, keras_model)
    expected = torch_model(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(np.asarray(keras_model(x, training=False)), expected, rtol=1e-4, atol=1e-5)


def test_twins_are_seeded():
    a, b, c = (keras_conv.ising_cnn(L=8, seed=seed).get_weights() for seed in (2, 2, 3))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(("name", "kwargs"), [("ising_cnn", {"L": 4, "filters": [4, 4, 4, 4]}),
                                              ("ising_cnn", {"dropout": -0.1}), ("airshower_cnn", {"n_stations": 1}),
                                              ("cifar_cnn", {"size": 30}), ("cifar_cnn", {"n_classes": 0}),
                                              ("mnist_cnn", {"filters": [8]}), ("mnist_cnn", {"dropout": 1.0})])
def test_both_reject_the_same_arguments_by_name(name, kwargs):
    with pytest.raises(ParameterError) as torch_error:
        getattr(torch_conv, name)(**kwargs)
    with pytest.raises(ParameterError) as keras_error:
        getattr(keras_conv, name)(**kwargs)
    assert torch_error.value.name == keras_error.value.name == next(iter(kwargs.keys() - {"L"}), "L")


def test_the_exercise_12_networks_name_their_convolutions_as_the_originals():
    # the layers the pages read by name: conv2d_1 ... in both frameworks, outputs after the activation
    torch_model, keras_model = torch_conv.mnist_cnn(), keras_conv.mnist_cnn()
    names = [f"conv2d_{i}" for i in range(1, 5)]
    assert [name for name in names if hasattr(torch_model, name)] == names
    assert [keras_model.get_layer(name).output.shape[1:] for name in names] == [
        (28, 28, 16), (28, 28, 32), (14, 14, 64), (7, 7, 128)]
    assert isinstance(torch_model.conv2d_3[-1], torch.nn.ReLU)
    x = torch.rand(2, 28, 28)
    assert tuple(torch_model[:-1](x).shape) == (2, 10)  # the scores before the softmax
    cifar = torch_conv.cifar_cnn()
    assert [tuple(cifar[: i + 2](torch.rand(1, 32, 32, 3)).shape[1:]) for i in range(6)] == [
        (16, 32, 32), (16, 32, 32), (32, 16, 16), (32, 16, 16), (64, 8, 8), (64, 8, 8)]


def test_separable_and_transposed_convolutions_agree_with_keras():
    k = keras_nn.keras()
    separable = k.layers.SeparableConv2D(64, 3, padding="same")
    separable.build((None, 9, 9, 64))
    assert separable.count_params() == count_parameters(torch_conv.SeparableConv2d(64, 64)) == 4736
    # Example 8.7 / Fig. 8.9 in Keras: 2 x 2 -> 5 x 5 with a 3 x 3 kernel of ones and stride 2
    transposed = k.layers.Conv2DTranspose(1, 3, strides=2, use_bias=False, kernel_initializer="ones")
    output = np.asarray(transposed(np.array([[2.0, 1.0], [4.0, 3.0]], dtype=np.float32)[None, :, :, None]))[0, :, :, 0]
    np.testing.assert_array_equal(output[2], [6, 6, 10, 4, 4])
    np.testing.assert_array_equal(output[:, 2], [3, 3, 10, 7, 7])
