"""dlpbook.interpret.attribution, occlusion and scores against formulas: saliency (Eq. 12.5),
gradient×input, integrated gradients (completeness), SmoothGrad, occlusion, the target convention."""

import math

import pytest
import torch
from interpret_networks import cnn, images, mlp
from torch import nn

from dlpbook.interpret import attribution, occlusion, scores
from dlpbook.validation import ParameterError

TARGETS = [0, 2, 1, 1]


def linear_model(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 3), nn.Softmax(dim=-1)).double()


def inputs(n: int = 4, seed: int = 1) -> torch.Tensor:
    return torch.randn(n, 6, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def test_the_saliency_of_a_linear_model_is_its_weights():
    model, x = linear_model(), inputs()
    weight = model[0].weight
    torch.testing.assert_close(attribution.saliency(model, x, TARGETS), weight[TARGETS])  # before the softmax
    torch.testing.assert_close(attribution.saliency(model, x, 2), weight[2].expand(4, 6))
    torch.testing.assert_close(attribution.gradient_times_input(model, x, TARGETS), x * weight[TARGETS])
    assert model[0].weight.grad is None  # parameters untouched


def test_saliency_is_the_signed_gradient_of_the_score_before_the_softmax():
    model = nn.Sequential(nn.Linear(2, 2, bias=False), nn.Tanh(), nn.Linear(2, 1, bias=False), nn.Sigmoid()).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0, -2.0], [0.5, 3.0]]))
        model[2].weight.copy_(torch.tensor([[2.0, -1.0]]))
    x = torch.tensor([[0.3, -0.2]], dtype=torch.float64)
    hidden = model[0](x)
    expected = (model[2].weight * (1 - torch.tanh(hidden) ** 2)) @ model[0].weight  # chain rule of S = w2 tanh(W1 x)
    torch.testing.assert_close(attribution.saliency(model, x), expected)


def test_integrated_gradients_are_exact_for_a_linear_model():
    model, x = linear_model(), inputs()
    baseline = torch.linspace(-1, 1, 6, dtype=torch.float64)
    expected = (x - baseline) * model[0].weight[TARGETS]
    result = attribution.integrated_gradients(model, x, TARGETS, baseline=baseline, steps=1)
    torch.testing.assert_close(result, expected)


def test_integrated_gradients_are_complete_and_converge_with_the_steps():
    model, x = mlp(activation=nn.Tanh), inputs()
    difference = scores.class_scores(model, x, TARGETS) - scores.class_scores(model, torch.full_like(x, 0.5), TARGETS)
    errors = [(attribution.integrated_gradients(model, x, TARGETS, baseline=0.5, steps=steps).sum(1) - difference)
              .abs().max() for steps in (8, 16, 32)]
    # the midpoint rule: error ~ steps^-2
    assert 3 < errors[0] / errors[1] < 5 and 3 < errors[1] / errors[2] < 5, errors
    assert errors[-1] < 1e-3 * difference.abs().max()
    relu = cnn()  # piecewise linear: still complete up to the kinks
    gap = scores.class_scores(relu, images(), TARGETS) - scores.class_scores(relu, torch.zeros_like(images()), TARGETS)
    total = attribution.integrated_gradients(relu, images(), TARGETS, steps=64).sum((1, 2, 3))
    torch.testing.assert_close(total, gap, rtol=0, atol=1e-2 * gap.abs().max().item())


def test_smoothgrad_averages_the_gradient_over_gaussian_noise():
    # d relu(x)/dx = step(x): the average over x + N(0, sigma^2) is Phi(x / sigma)
    model, x = nn.ReLU(), torch.tensor([[-0.2], [0.0], [0.1], [0.3]], dtype=torch.float64)
    result = attribution.smoothgrad(model, x, sigma=0.2, samples=2000, seed=3)
    expected = torch.tensor([0.5 * (1 + math.erf(v / (0.2 * math.sqrt(2)))) for v in x[:, 0].tolist()])
    torch.testing.assert_close(result[:, 0], expected.double(), rtol=0, atol=0.04)  # 3.5 standard errors
    torch.testing.assert_close(attribution.smoothgrad(model, x, sigma=0.2, samples=50, seed=3),
                               attribution.smoothgrad(model, x, sigma=0.2, samples=50, seed=3))
    net = cnn()
    torch.testing.assert_close(attribution.smoothgrad(net, images(), TARGETS, sigma=0.0, samples=2),
                               attribution.saliency(net, images(), TARGETS))


def test_occlusion_of_single_pixels_of_a_linear_model_is_weight_times_contrast():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(2 * 5 * 6, 3)).double()
    x = torch.rand(2, 2, 5, 6, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    weight = model[1].weight.view(3, 2, 5, 6)
    expected = (weight[[1, 2]] * (x - 0.3)).sum(1)  # both channels occluded together
    torch.testing.assert_close(occlusion.occlusion(model, x, [1, 2], patch=1, baseline=0.3), expected)
    # a patch of 5 x 6 covers everything: each pixel gets the full score drop
    full = occlusion.occlusion(model, x, [1, 2], patch=(5, 6), baseline=0.3)
    torch.testing.assert_close(full, expected.sum((1, 2))[:, None, None].expand(2, 5, 6))


def test_occlusion_covers_the_edges_when_the_stride_does_not_fit():
    result = occlusion.occlusion(cnn(), images(size=8), TARGETS, patch=3, stride=2)  # last patch sticks out
    assert result.shape == (4, 8, 8) and torch.isfinite(result).all()


def test_targets_name_one_output_per_sample():
    outputs = torch.arange(12.0).view(4, 3)
    torch.testing.assert_close(scores.select(outputs, 2), outputs[:, 2])
    torch.testing.assert_close(scores.select(outputs, TARGETS), torch.tensor([0.0, 5.0, 7.0, 10.0]))
    torch.testing.assert_close(scores.select(outputs, torch.tensor(TARGETS)), torch.tensor([0.0, 5.0, 7.0, 10.0]))
    torch.testing.assert_close(scores.select(outputs[:, :1], None), outputs[:, 0])
    model = linear_model()
    assert scores.score_layer(model) is model[0] and scores.score_layer(model[0]) is model[0]


def test_bad_arguments_are_refused():
    model, x = linear_model(), inputs()
    for target in (3, -1, [0, 1], None, 1.5, "a"):
        with pytest.raises(ParameterError, match="target"):
            attribution.saliency(model, x, target)
    with pytest.raises(ParameterError, match="steps"):
        attribution.integrated_gradients(model, x, 0, steps=0)
    with pytest.raises(ParameterError, match="baseline"):
        attribution.integrated_gradients(model, x, 0, baseline=torch.zeros(5))
    with pytest.raises(ParameterError, match="baseline"):
        attribution.integrated_gradients(model, x, 0, baseline=math.nan)
    with pytest.raises(ParameterError, match="sigma"):
        attribution.smoothgrad(model, x, 0, sigma=-0.1)
    with pytest.raises(ParameterError, match="samples"):
        attribution.smoothgrad(model, x, 0, samples=0)
    with pytest.raises(ParameterError, match="seed"):
        attribution.smoothgrad(model, x, 0, seed=-1)
    net, image = cnn(), images()
    with pytest.raises(ParameterError, match="images"):
        occlusion.occlusion(model, x, 0)
    with pytest.raises(ParameterError, match="patch"):
        occlusion.occlusion(net, image, TARGETS, patch=9)
    with pytest.raises(ParameterError, match="patch"):
        occlusion.occlusion(net, image, TARGETS, patch=(2, 2, 2))
    with pytest.raises(ParameterError, match="stride"):
        occlusion.occlusion(net, image, TARGETS, patch=2, stride=3)
    with pytest.raises(ParameterError, match="baseline"):
        occlusion.occlusion(net, image, TARGETS, baseline=math.inf)
