"""Ex. 12.1 and 12.2 (dlpbook.exercises.cnn_features): settings, data, analysis and the two
activation-maximization twins."""

import numpy as np
import pytest
import torch

from dlpbook.exercises import cnn_features as cf
from dlpbook.nn import conv as torch_conv
from dlpbook.validation import ParameterError


def test_the_full_profiles_are_the_originals():
    filters = cf.FilterStudy.for_profile("full").training
    assert (filters.model, filters.filters, filters.epochs, filters.batch_size, filters.learning_rate) == (
        "cifar_cnn", (16, 32, 64), 30, 32, 1e-3)
    assert (filters.lr_patience, filters.lr_factor, filters.min_lr) == (3, 0.5, 1e-5)
    assert (filters.data.n_train, filters.data.n_test) == (50_000, 10_000)
    maximization = cf.ActivationMaximizationStudy.for_profile("full")
    digits = maximization.training
    assert (digits.model, digits.filters, digits.batch_size, digits.learning_rate) == (
        "mnist_cnn", (16, 32, 64, 128), 100, 1e-3)
    assert (maximization.steps, maximization.step_size, maximization.channels("conv2d_3")) == (50, 1.0, 64)
    # about the original's 1,620 updates (3 epochs of 540 minibatches) on the 1,294 fitted digits
    updates = digits.epochs * -(-(digits.data.n_train - digits.data.n_validation) // digits.batch_size)
    assert 1500 <= updates <= 1700
    for model, count in cf.N_PARAMETERS.items():
        assert sum(p.numel() for p in getattr(torch_conv, model)().parameters()) == count


@pytest.mark.parametrize(("build", "name"), [
    (lambda: cf.ImageData("digits", n_train=1500, n_test=300), "n_train + n_test"),
    (lambda: cf.ImageData("cifar10"), "name"),
    (lambda: cf.ClassifierSettings("cifar_cnn"), "data"),
    (lambda: cf.ClassifierSettings(lr_patience=-1), "lr_patience"),
    (lambda: cf.FilterStudy(cf.ClassifierSettings()), "training"),
    (lambda: cf.ActivationMaximizationStudy(cf.ClassifierSettings(), layers=("conv2d_5",)), "layers"),
])
def test_settings_are_checked_when_made(build, name):
    with pytest.raises(ParameterError) as error:
        build()
    assert error.value.name == name


def test_settings_survive_the_cache_key():
    settings = cf.FilterStudy.for_profile("quick").training
    assert cf.ClassifierSettings.from_dict(settings.as_dict()) == settings


def test_the_split_scales_the_images_and_keeps_every_digit_once():
    spec = cf.ImageData("digits", n_train=1000, n_test=797)
    split = cf.load_split(spec)
    assert split.x_fit.shape == (900, 28, 28) and split.x_val.shape == (100, 28, 28)
    assert split.x_test.shape == (797, 28, 28) and split.x_fit.dtype == np.float32
    assert split.x_fit.min() == 0 and split.x_fit.max() == 1
    everything = np.concatenate([split.x_fit, split.x_val, split.x_test]).reshape(1797, -1)
    assert len(np.unique(everything, axis=0)) == len(everything)


def test_family_share_and_confused_examples():
    matrix = np.zeros((10, 10), int)
    matrix[3, 4], matrix[4, 3], matrix[0, 9] = 6, 2, 2  # W/Z within a family, quark -> electron across
    assert cf.family_share(matrix) == pytest.approx(0.8)
    assert np.isnan(cf.family_share(np.eye(10, dtype=int)))
    labels, predicted = np.array([4, 3, 3, 0]), np.array([4, 3, 4, 9])
    result = cf.ClassifierRun(cf.ClassifierSettings(), "torch", {}, np.eye(10)[predicted], labels, 0, {})
    # the first W taken for a Z; the pair (7, 8) has no example
    assert cf.confused_examples(result, [(3, 4, 8), (7, 8, 1), (0, 9, 2)]).tolist() == [2, 3]


def start_images(n, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 28, 28)).astype(np.float32)


def test_the_torch_ascent_climbs_every_excited_channel_and_keeps_the_weights():
    model = torch_conv.mnist_cnn(filters=(4, 8, 8, 8), seed=1).eval()
    before = [p.detach().clone() for p in model.parameters()]
    images, values = cf.maximize_channels_torch(model, "conv2d_2", start_images(8), steps=10)
    assert images.shape == (8, 28, 28) and values.shape == (11, 8)
    # the objective is the channel's mean after the ReLU, read at the start images
    with torch.no_grad():
        maps = model[:3](torch.as_tensor(start_images(8)))
    np.testing.assert_allclose(values[0], maps[np.arange(8), np.arange(8)].mean(dim=(1, 2)).numpy(), rtol=1e-5)
    excited = values[0] > 0
    assert excited.any() and np.all(values[-1, excited] > values[0, excited])
    # the normalised step: each image moved by 10 steps of RMS 1
    moved = np.sqrt(((images - start_images(8)) ** 2).mean(axis=(1, 2)))
    assert np.all(moved[excited] <= 10 + 1e-4) and np.all(moved[excited] > 5)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    with pytest.raises(ParameterError, match="start"):
        cf.maximize_channels_torch(model, "conv2d_2", start_images(3))


@pytest.mark.keras
def test_the_keras_ascent_is_the_torch_ascent_for_the_same_weights():
    pytest.importorskip("tensorflow")
    from dlpbook.keras_nn import conv as keras_conv

    torch_model = torch_conv.mnist_cnn(filters=(4, 8, 8, 8), seed=2).eval()
    keras_model = keras_conv.mnist_cnn(filters=(4, 8, 8, 8))
    layers = [m for m in torch_model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    weights = []
    for layer in layers:
        kernel = layer.weight.detach().numpy()
        weights += [kernel.transpose(2, 3, 1, 0) if kernel.ndim == 4 else kernel.T, layer.bias.detach().numpy()]
    keras_model.set_weights(weights)
    start = start_images(8, seed=3)
    ours = cf.maximize_channels_torch(torch_model, "conv2d_3", start, steps=5)
    theirs = cf.maximize_channels_keras(keras_model, "conv2d_3", start, steps=5)
    np.testing.assert_allclose(theirs[1], ours[1], rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(theirs[0], ours[0], rtol=1e-3, atol=1e-3)
    outputs = [cf.layer_outputs(model, start[:2], ("conv2d_1", "conv2d_4")) for model in (torch_model, keras_model)]
    for name in ("conv2d_1", "conv2d_4"):
        np.testing.assert_allclose(outputs[1][name], outputs[0][name], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(cf.first_layer_kernels(keras_model), cf.first_layer_kernels(torch_model))
