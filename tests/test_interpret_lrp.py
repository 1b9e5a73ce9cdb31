"""dlpbook.interpret.lrp and lrp_rules: the rules against their formulas (Eq. 12.9 and Ref. [126]),
conservation of relevance, LRP-0 = gradient×input, composites, batch-norm folding.

Tolerances: the networks are float64; rules without an ε of their own divide by
``z + 1e-9 sign z``, which changes results by about 1e-9 / |z| relative, so comparisons with
the formulas allow 1e-6 relative, and conservation through whole networks, where some
``z_j^-`` of αβ are as small as 1e-4, allows 1e-5.
"""

import pytest
import torch
from interpret_networks import cnn, images, mlp
from torch import nn

from dlpbook.interpret import attribution, lrp, lrp_rules
from dlpbook.interpret.scores import class_scores
from dlpbook.nn.conv import ising_cnn
from dlpbook.validation import ParameterError

TARGETS = [0, 2, 1, 1]


def linear_layer(bias: bool = True, seed: int = 0) -> nn.Linear:
    torch.manual_seed(seed)
    layer = nn.Linear(7, 5, bias=bias).double()
    if bias:
        nn.init.uniform_(layer.bias, -0.5, 0.5)
    return layer


def random(*shape, seed=2, low=-1.0, high=1.0):
    generator = torch.Generator().manual_seed(seed)
    return low + (high - low) * torch.rand(*shape, generator=generator, dtype=torch.float64)


def redistribute(contributions, denominators, relevance):
    """``R_i = sum_j c_ij / d_j R_j`` for contributions ``(batch, j, i)``."""
    return (contributions / denominators[..., None] * relevance[..., None]).sum(1)


def sign(z):
    return torch.where(z >= 0, 1.0, -1.0).double()


@pytest.mark.parametrize("epsilon", [0.0, 1e-3, 0.5])
def test_the_epsilon_rule_is_eq_12_9_with_a_signed_epsilon(epsilon):
    layer, a, relevance = linear_layer(), random(3, 7), random(3, 5, seed=3)
    contributions = a[:, None, :] * layer.weight[None]
    z = contributions.sum(-1) + layer.bias
    expected = redistribute(contributions, z + epsilon * sign(z), relevance)
    rule = lrp_rules.Epsilon(epsilon) if epsilon else lrp_rules.Zero()
    torch.testing.assert_close(rule.propagate(layer, a, relevance), expected, rtol=1e-6, atol=0)


def test_the_gamma_rule_enhances_positive_weights_and_biases():
    layer, a, relevance = linear_layer(), random(3, 7, low=0), random(3, 5, seed=3)
    weight = layer.weight + 0.5 * layer.weight.clamp(min=0)
    contributions = a[:, None, :] * weight[None]
    z = contributions.sum(-1) + layer.bias + 0.5 * layer.bias.clamp(min=0)
    torch.testing.assert_close(lrp_rules.Gamma(0.5).propagate(layer, a, relevance),
                               redistribute(contributions, z, relevance), rtol=1e-6, atol=0)
    # gamma = 0 is LRP-0
    torch.testing.assert_close(lrp_rules.Gamma(0).propagate(layer, a, relevance),
                               lrp_rules.Zero().propagate(layer, a, relevance), rtol=1e-6, atol=0)


@pytest.mark.parametrize(("alpha", "beta"), [(1, 0), (2, 1)])
def test_the_alpha_beta_rule_splits_positive_and_negative_contributions(alpha, beta):
    layer, a, relevance = linear_layer(), random(3, 7), random(3, 5, seed=3)  # inputs of both signs
    contributions = a[:, None, :] * layer.weight[None]
    positive, negative = contributions.clamp(min=0), contributions.clamp(max=0)
    expected = (alpha * redistribute(positive, positive.sum(-1) + layer.bias.clamp(min=0), relevance)
                - beta * redistribute(negative, negative.sum(-1) + layer.bias.clamp(max=0), relevance))
    torch.testing.assert_close(lrp_rules.AlphaBeta(alpha, beta).propagate(layer, a, relevance), expected,
                               rtol=1e-6, atol=0)


def test_the_z_box_rule_uses_the_bounds_of_the_inputs_and_conserves_relevance():
    layer, x, relevance = linear_layer(), random(3, 7, low=-1, high=2), random(3, 5, seed=3)
    weight = layer.weight[None]
    contributions = x[:, None, :] * weight + 1.0 * weight.clamp(min=0) - 2.0 * weight.clamp(max=0)
    result = lrp_rules.ZBox(-1.0, 2.0).propagate(layer, x, relevance)
    torch.testing.assert_close(result, redistribute(contributions, contributions.sum(-1), relevance),
                               rtol=1e-6, atol=0)
    torch.testing.assert_close(result.sum(1), relevance.sum(1), rtol=1e-6, atol=0)


def test_pooling_sends_relevance_to_the_maximum_or_in_proportion_to_the_inputs():
    a = random(2, 3, 4, 4, low=0)
    relevance = random(2, 3, 2, 2, seed=3)
    upsampled = relevance.repeat_interleave(2, -2).repeat_interleave(2, -1)
    winners = a == nn.functional.max_pool2d(a, 2).repeat_interleave(2, -2).repeat_interleave(2, -1)
    for rule in (lrp_rules.Zero(), lrp_rules.Gamma(0.5), lrp_rules.AlphaBeta(1, 0)):
        torch.testing.assert_close(rule.propagate(nn.MaxPool2d(2), a, relevance), upsampled * winners,
                                   rtol=1e-6, atol=0)
    sums = nn.functional.avg_pool2d(a, 2).repeat_interleave(2, -2).repeat_interleave(2, -1) * 4
    torch.testing.assert_close(lrp_rules.Zero().propagate(nn.AvgPool2d(2), a, relevance), upsampled * a / sums)


def test_biases_and_epsilon_absorb_the_documented_share_of_relevance():
    # sum_i R_i = sum_j R_j (z_j - b_j) / (z_j + eps sign z_j)
    layer, a, relevance = linear_layer(), random(3, 7), random(3, 5, seed=3)
    z = layer(a)
    for epsilon in (0.0, 0.1):
        kept = relevance * (z - layer.bias) / (z + epsilon * sign(z))
        rule = lrp_rules.Epsilon(epsilon) if epsilon else lrp_rules.Zero()
        torch.testing.assert_close(rule.propagate(layer, a, relevance).sum(1), kept.sum(1), rtol=1e-6, atol=0)


@pytest.mark.parametrize("rules", [
    lrp_rules.Zero(), lrp_rules.Gamma(0.25), lrp_rules.AlphaBeta(1, 0), lrp_rules.AlphaBeta(2, 1),
    lrp.epsilon_gamma_box(0.0, 1.0, epsilon=0.0),
], ids=["LRP-0", "gamma", "alpha1-beta0", "alpha2-beta1", "epsilon-gamma-box"])
def test_relevance_is_conserved_without_biases(rules):
    model, x = cnn(bias=False), images()
    relevance = lrp.relevance(model, x, TARGETS, rules=rules)
    torch.testing.assert_close(relevance.sum((1, 2, 3)), class_scores(model, x, TARGETS), rtol=1e-5, atol=0)


def test_lrp_epsilon_conserves_relevance_as_epsilon_goes_to_zero():
    model, x = cnn(bias=False), images()
    scores = class_scores(model, x, TARGETS)
    errors = [(lrp.relevance(model, x, TARGETS, rules=lrp_rules.Epsilon(eps)).sum((1, 2, 3)) - scores).abs().max()
              for eps in (1e-2, 1e-4, 1e-6, 1e-8)]
    assert all(later < 0.2 * earlier for earlier, later in zip(errors, errors[1:])), errors
    assert errors[-1] < 1e-4 * scores.abs().max()


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("network", [cnn, mlp])
def test_lrp_0_equals_gradient_times_input_on_relu_networks(network, bias):
    model = network(bias=bias)
    with torch.no_grad():
        for layer in model:
            if bias and isinstance(layer, (nn.Conv2d, nn.Linear)):
                layer.bias.uniform_(-0.2, 0.2)
    x = images() if network is cnn else random(4, 6)
    relevance = lrp.relevance(model, x, TARGETS, rules=lrp_rules.Zero())
    torch.testing.assert_close(relevance, attribution.gradient_times_input(model, x, TARGETS), rtol=1e-6, atol=1e-12)
    # complete without biases; with them, both miss the score by what the biases absorb
    missing = (relevance.flatten(1).sum(1) - class_scores(model, x, TARGETS)).abs().max()
    assert missing > 1e-3 if bias else missing < 1e-12


def test_a_composite_picks_rules_by_index_then_type_then_default():
    box, gamma, zero, epsilon = lrp_rules.ZBox(0, 1), lrp_rules.Gamma(0.1), lrp_rules.Zero(), lrp_rules.Epsilon(0.2)
    layers = [layer for layer in cnn() if isinstance(layer, lrp.WITH_RULES)]  # conv, max, conv, avg, dense, dense
    composite = lrp.Composite(epsilon, by_type={nn.Conv2d: gamma}, by_index={0: box, -1: zero})
    assert composite.rules_for(layers) == [box, zero, gamma, zero, epsilon, zero]  # pooling: LRP-0
    composite = lrp.Composite(epsilon, by_type={nn.MaxPool2d: epsilon}, by_index={-2: box})
    assert composite.rules_for(layers) == [epsilon, epsilon, epsilon, zero, box, epsilon]
    preset = lrp.epsilon_gamma_box(0.0, 1.0, epsilon=0.3, gamma=0.4).rules_for(layers)
    assert preset == [box, zero, lrp_rules.Gamma(0.4), zero, lrp_rules.Epsilon(0.3), lrp_rules.Epsilon(0.3)]
    # one rule is the composite with that default
    x = images()
    torch.testing.assert_close(lrp.relevance(cnn(), x, TARGETS, rules=epsilon),
                               lrp.relevance(cnn(), x, TARGETS, rules=lrp.Composite(epsilon)))


def test_lrp_explains_the_exercise_cnn_after_its_input_module_and_before_its_softmax():
    model = ising_cnn(8, n_out=2).eval()
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                layer.bias.zero_()
    spins = torch.where(random(3, 8, 8) > 0, 1.0, -1.0).float()
    relevance = lrp.relevance(model[1:], model[0](spins), 1, rules=lrp.epsilon_gamma_box(-1, 1, epsilon=0.0))
    assert relevance.shape == (3, 1, 8, 8)
    # global average pooling and dropout pass relevance on; the score is the logit before the softmax
    torch.testing.assert_close(relevance.sum((1, 2, 3)), model[:-1](spins)[:, 1], rtol=1e-4, atol=1e-6)


def batch_norm_network(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1, bias=False), nn.BatchNorm2d(3), nn.ReLU(),
                          nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4, affine=False)), nn.ReLU(),
                          nn.Flatten(), nn.Linear(144, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3)).double()
    with torch.no_grad():
        for norm in model.modules():
            if isinstance(norm, nn.modules.batchnorm._BatchNorm):
                norm.running_mean.uniform_(-1, 1)
                norm.running_var.uniform_(0.5, 2)
                if norm.affine:
                    norm.weight.uniform_(0.5, 2)
                    norm.bias.uniform_(-1, 1)
    return model.eval()


def test_folding_batch_norm_leaves_the_outputs_unchanged():
    model, x = batch_norm_network(), images()
    state = {name: value.clone() for name, value in model.state_dict().items()}
    folded = lrp.fold_batch_norm(model)
    torch.testing.assert_close(folded(x), model(x))
    assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in folded.modules())
    assert all(torch.equal(state[name], value) for name, value in model.state_dict().items())  # original kept
    assert isinstance(folded[1], nn.Identity) and folded[0].bias is not None
    relevance = lrp.relevance(folded, x, TARGETS, rules=lrp_rules.Epsilon(0.01))
    assert relevance.shape == x.shape
    with pytest.raises(ParameterError, match="fold_batch_norm"):
        lrp.relevance(model, x, TARGETS, rules=lrp_rules.Zero())


def test_bad_arguments_are_refused():
    model, x = cnn(), images()
    with pytest.raises(ParameterError, match="epsilon"):
        lrp_rules.Epsilon(-0.1)
    with pytest.raises(ParameterError, match="gamma"):
        lrp_rules.Gamma(-1)
    with pytest.raises(ParameterError, match="alpha"):
        lrp_rules.AlphaBeta(2, 0)
    with pytest.raises(ParameterError, match="beta"):
        lrp_rules.AlphaBeta(0, -1)
    with pytest.raises(ParameterError, match="high"):
        lrp_rules.ZBox(1, 0)
    with pytest.raises(ParameterError, match="rules"):
        lrp.Composite("epsilon")
    with pytest.raises(ParameterError, match="by_index"):
        lrp.relevance(model, x, TARGETS, rules=lrp.Composite(lrp_rules.Zero(), by_index={4: lrp_rules.Zero()}))
    with pytest.raises(ParameterError, match="target"):
        lrp.relevance(model, x, 3, rules=lrp_rules.Zero())
    with pytest.raises(ParameterError, match="target"):
        lrp.relevance(model, x, None, rules=lrp_rules.Zero())
    with pytest.raises(ParameterError, match="model"):
        lrp.relevance(nn.Sequential(nn.Linear(64, 3), nn.Softplus(), nn.Linear(3, 2)), x.flatten(1), 0,
                      rules=lrp_rules.Zero())
    with pytest.raises(ParameterError, match="model"):
        lrp.relevance(model[0], x, 0, rules=lrp_rules.Zero())
    with pytest.raises(ParameterError, match="model"):
        lrp.fold_batch_norm(nn.Sequential(nn.ReLU(), nn.BatchNorm1d(3)))
    with pytest.raises(ParameterError, match="model"):
        lrp.fold_batch_norm(nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3, track_running_stats=False)))
