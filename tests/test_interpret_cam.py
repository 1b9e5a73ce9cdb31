"""dlpbook.interpret.cam: class activation maps (Eq. 12.6-12.8) and Grad-CAM against their formulas."""

import pytest
import torch
from interpret_networks import gap_cnn, images

from dlpbook.interpret import cam
from dlpbook.nn.conv import ising_cnn
from dlpbook.validation import ParameterError

TARGETS = [0, 2, 1, 1]


def test_the_spatial_mean_of_a_cam_is_the_class_score_before_the_softmax():
    model, x = gap_cnn(), images()
    maps = cam.class_activation_map(model, x, model[3], model[6], TARGETS)
    assert maps.shape == (4, 8, 8)
    logits = model[:-1](x)
    torch.testing.assert_close(maps.mean((1, 2)), logits[range(4), TARGETS])  # bias b_k added to every pixel
    # M_k(i) = sum_c W_kc h_ic + b_k, pixel by pixel
    features = model[:4](x)
    weights, bias = model[6].weight, model[6].bias
    torch.testing.assert_close(maps[1], torch.einsum("c,chw->hw", weights[2], features[1]) + bias[2])


def test_cam_on_the_ising_network_of_exercise_12_3():
    model = ising_cnn(8, n_out=2).eval()
    spins = torch.where(torch.rand(3, 8, 8, generator=torch.Generator().manual_seed(0)) > 0.5, 1.0, -1.0)
    maps = cam.class_activation_map(model, spins, model[9], model[12], 0, size=(8, 8))
    assert maps.shape == (3, 8, 8)  # 4 x 4 feature maps upsampled bilinearly
    native = cam.class_activation_map(model, spins, model[9], model[12], 0)
    assert native.shape == (3, 4, 4)
    torch.testing.assert_close(native.mean((1, 2)), model[:-1](spins)[:, 0])


def test_grad_cam_before_its_relu_is_the_cam_without_bias_over_the_pixel_count():
    # on a CAM network dS_k/dh_ic = W_kc / n_pix
    model, x = gap_cnn(), images()
    maps = cam.class_activation_map(model, x, model[3], model[6], TARGETS)
    bias = model[6].bias[TARGETS][:, None, None]
    raw = cam.grad_cam(model, x, model[3], TARGETS, relu=False)
    torch.testing.assert_close(raw, (maps - bias) / 64)
    torch.testing.assert_close(cam.grad_cam(model, x, model[3], TARGETS), raw.clamp(min=0))
    assert (raw < 0).any()  # so that the ReLU matters
    assert cam.grad_cam(model, x, model[1], TARGETS, size=(16, 16)).shape == (4, 16, 16)


def test_bad_arguments_are_refused():
    model, x = gap_cnn(), images()
    with pytest.raises(ParameterError, match="features"):
        cam.class_activation_map(model, x, model[1], model[6], TARGETS)  # not the averaged maps
    with pytest.raises(ParameterError, match="features"):
        cam.class_activation_map(model.train(), x, model[3], model[6], TARGETS)  # dropout on
    model.eval()
    with pytest.raises(ParameterError, match="features"):
        cam.class_activation_map(model, x, torch.nn.ReLU(), model[6], TARGETS)  # not in the model
    with pytest.raises(ParameterError, match="classifier"):
        cam.class_activation_map(model, x, model[3], model[4], TARGETS)
    with pytest.raises(ParameterError, match="target"):
        cam.class_activation_map(model, x, model[3], model[6], 3)
    with pytest.raises(ParameterError, match="size"):
        cam.class_activation_map(model, x, model[3], model[6], TARGETS, size=(0, 8))
    with pytest.raises(ParameterError, match="size"):
        cam.grad_cam(model, x, model[3], TARGETS, size=8)
    with pytest.raises(ParameterError, match="layer"):
        cam.grad_cam(model, x, model[6], TARGETS)  # not a feature map
