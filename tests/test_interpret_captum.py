"""dlpbook.interpret against Captum 0.9.0 (a test-only dependency) on the same networks.

Captum's quirks, and how the comparisons meet them:

- Its LRP has no rule for ``nn.Flatten``; it needs an explicit one. ``EpsilonRule`` (ε = 1e-9)
  passes the relevance on except where the activation is 0, where the relevance is 0 anyway
  after a ReLU and a dense layer, so it matches our reshaping.
- It gives pooling layers ``EpsilonRule()`` (ε = 1e-9) whatever rule the other layers get;
  ours give them LRP-0. That difference, like that of its 1e-9 stabiliser on every layer, is
  below 1e-6 relative.
- ``GammaRule`` and ``Alpha1_Beta0_Rule`` change the weights but keep the original bias in
  the denominator, while our LRP-γ and αβ transform the bias like the weights (as zennit and
  Montavon et al.); they agree on networks without biases, which is where they are compared.
- Its ``IdentityRule`` passes a layer's relevance on unchanged, as ours passes it over
  activations; given to the ReLUs (otherwise skipped by Captum's LRP), it must change nothing.
- ``Alpha1_Beta0_Rule`` clamps the weights only, so it is α1-β0 for non-negative layer inputs:
  the images are in [0, 1).
- ``Saliency`` returns ``|gradient|`` unless ``abs=False``; ``LayerGradCam`` keeps negative
  values unless ``relu_attributions=True`` and returns ``(batch, 1, h, w)``;
  ``IntegratedGradients`` defaults to Gauss-Legendre points, ours is its ``riemann_middle``;
  ``Occlusion`` returns float32 whatever the input (it divides by the counts in float32), so
  it is compared at float32 precision.
"""

import pytest
import torch
from interpret_networks import cnn, images
from torch import nn

captum_attr = pytest.importorskip("captum.attr")
from captum.attr._utils.lrp_rules import Alpha1_Beta0_Rule, EpsilonRule, GammaRule, IdentityRule  # noqa: E402

from dlpbook.interpret import attribution, cam, lrp, lrp_rules, occlusion  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Input Tensor 0 did not already require gradients")

TARGETS = [0, 2, 1, 1]


def captum_lrp(model: nn.Sequential, inputs: torch.Tensor, rule, activation_rule=None) -> torch.Tensor:
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            layer.rule = rule()
        if isinstance(layer, nn.Flatten):
            layer.rule = EpsilonRule(1e-9)
        if isinstance(layer, nn.ReLU) and activation_rule is not None:
            layer.rule = activation_rule()
    return captum_attr.LRP(model).attribute(inputs, target=TARGETS)


@pytest.mark.parametrize(("bias", "ours", "theirs"), [
    (True, lrp_rules.Epsilon(0.1), lambda: EpsilonRule(0.1)),
    (True, lrp_rules.Epsilon(1e-3), lambda: EpsilonRule(1e-3)),
    (False, lrp_rules.Gamma(0.25), lambda: GammaRule(0.25)),
    (False, lrp_rules.AlphaBeta(1, 0), Alpha1_Beta0_Rule),
], ids=["epsilon-0.1", "epsilon-0.001", "gamma", "alpha1-beta0"])
def test_lrp_agrees_with_captum(bias, ours, theirs):
    x = images()
    expected = captum_lrp(cnn(bias), x, theirs)
    relevance = lrp.relevance(cnn(bias), x, TARGETS, rules=ours)
    scale = relevance.abs().amax()
    torch.testing.assert_close(relevance, expected, rtol=0, atol=1e-6 * scale.item())
    assert scale > 0


def test_lrp_over_activations_is_captums_identity_rule():
    x, rule = images(), lrp_rules.Epsilon(0.1)
    expected = captum_lrp(cnn(), x, lambda: EpsilonRule(0.1), activation_rule=IdentityRule)
    relevance = lrp.relevance(cnn(), x, TARGETS, rules=rule)
    torch.testing.assert_close(relevance, expected, rtol=0, atol=1e-6 * relevance.abs().amax().item())


def test_saliency_agrees_with_captum():
    model, x = cnn(), images()
    expected = captum_attr.Saliency(model).attribute(x, target=TARGETS, abs=False)
    torch.testing.assert_close(attribution.saliency(model, x, TARGETS), expected)


def test_integrated_gradients_agree_with_captum():
    model, x = cnn(), images()
    baseline = torch.full_like(x, 0.2)
    expected = captum_attr.IntegratedGradients(model).attribute(x, baselines=baseline, target=TARGETS, n_steps=16,
                                                                method="riemann_middle")
    torch.testing.assert_close(attribution.integrated_gradients(model, x, TARGETS, baseline=0.2, steps=16), expected)


@pytest.mark.parametrize("layer", [3, 4])
def test_grad_cam_agrees_with_captum(layer):
    model, x = cnn(), images()
    expected = captum_attr.LayerGradCam(model, model[layer]).attribute(x, target=TARGETS, relu_attributions=True)
    torch.testing.assert_close(cam.grad_cam(model, x, model[layer], TARGETS), expected[:, 0])
    raw = captum_attr.LayerGradCam(model, model[layer]).attribute(x, target=TARGETS)
    torch.testing.assert_close(cam.grad_cam(model, x, model[layer], TARGETS, relu=False), raw[:, 0])


@pytest.mark.parametrize(("patch", "stride"), [(3, 2), ((2, 4), (1, 3)), (8, 1)])
def test_occlusion_agrees_with_captum(patch, stride):
    model, x = cnn(), images(channels=1)
    window = (1, *((patch, patch) if isinstance(patch, int) else patch))
    strides = (1, *((stride, stride) if isinstance(stride, int) else stride))
    expected = captum_attr.Occlusion(model).attribute(x, sliding_window_shapes=window, strides=strides,
                                                      baselines=0.5, target=TARGETS)
    ours = occlusion.occlusion(model, x, TARGETS, patch=patch, stride=stride, baseline=0.5)
    torch.testing.assert_close(ours.float(), expected[:, 0])
