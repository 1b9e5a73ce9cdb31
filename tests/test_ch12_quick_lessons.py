"""The quick profile of book/ch12-interpretability.md still shows what the page claims: DeconvNet
patterns that grow with depth, recognisable class maximizers, LRP maps that get sparser with ε
and conserve the score without biases, air-shower relevance concentrated around the core, CAMs
whose sign follows the phase, and occlusion maps that depend on patch size and baseline.

The trainings (digits CNN of Ex. 12.2, Ising CNN of Ex. 12.3, air-shower CNN of Ex. 8.2) run once
per module in a private cache, with the settings the page reads from the result cache."""

import copy

import numpy as np
import pytest
import torch
from scipy import ndimage

from dlpbook.data.ising import T_C
from dlpbook.exercises import airshower_energy, cnn_features, ising_cam, ising_phases, shower_relevance
from dlpbook.interpret import activation_maximization as am
from dlpbook.interpret import attribution, cam, deconvnet, lrp, lrp_rules, occlusion
from dlpbook.interpret.scores import class_scores
from dlpbook.nn.diagnostics import layer_activations


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def in_cache(module_cache, make):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLPBOOK_CACHE", str(module_cache))
        return make()


@pytest.fixture(scope="module")
def digits(module_cache):
    """The page's digits CNN (``model[1:]`` and its input images) and test digits."""
    model = in_cache(module_cache, lambda: cnn_features.trained_digits_cnn("quick"))
    split = in_cache(module_cache, lambda: cnn_features.digits_split("quick"))
    x = torch.from_numpy(split.x_test)
    return model, model[1:], model[0](x), x, split


@pytest.fixture(scope="module")
def ising(module_cache):
    model = in_cache(module_cache, lambda: ising_cam.trained_torch_model("quick"))
    split = in_cache(module_cache, lambda: ising_phases.load_split(ising_cam.CamStudy.for_profile("quick").training.data))
    return model, split


def extent(maps: torch.Tensor) -> np.ndarray:
    """Pixels holding 90 % of each map's absolute values."""
    flat = maps.flatten(1).abs()
    ordered = flat.sort(dim=1, descending=True).values.cumsum(1) / flat.sum(1, keepdim=True)
    return ((ordered < 0.9).sum(1) + 1).numpy()


def test_deconvnet_patterns_grow_with_depth(digits):
    model, body, images, x, _ = digits
    activations = layer_activations(model, x)
    sizes = []
    for layer in (1, 4):
        strongest = activations[f"conv2d_{layer}.1"].amax(dim=(-2, -1))
        channels = strongest.amax(0).argsort(descending=True)[:4].tolist()
        patterns = [deconvnet.reconstruct(body, images[int(strongest[:, c].argmax())][None],
                                          getattr(body, f"conv2d_{layer}")[1], c) for c in channels]
        sizes.append(np.median(extent(torch.cat(patterns))))
    assert sizes[1] > 4 * sizes[0]  # strokes of a 3 x 3 field against parts of digits


def test_activation_maximization_grows_its_objectives_and_draws_recognisable_classes(digits):
    model, body, images, x, split = digits
    start = float(split.x_fit.mean()) + 0.1 * torch.randn(10, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    result = am.maximize_activation(body, am.class_score(body, list(range(10))), start, **am.READABLE)
    assert (result.values[-1] > result.values[0] + 10).all()
    class_means = np.stack([split.x_fit[split.y_fit == d].mean(0) for d in range(10)])
    correlation = np.corrcoef(result.inputs[:, 0].numpy().reshape(10, -1), class_means.reshape(10, -1))[:10, 10:]
    assert (correlation.argmax(1) == np.arange(10)).sum() >= 6  # chance: 1 of 10
    # without the regularizers: higher scores, rougher images, less like the class means
    plain = am.maximize_activation(body, am.class_score(body, list(range(10))), start, steps=50, step_size=0.5)
    plain_correlation = np.corrcoef(plain.inputs[:, 0].numpy().reshape(10, -1), class_means.reshape(10, -1))[:10, 10:]
    assert plain.values[-1].mean() > 2 * result.values[-1].mean()
    assert np.diag(plain_correlation).mean() < 0.7 * np.diag(correlation).mean()
    roughness = [np.abs(np.diff(r.inputs[:, 0].numpy(), axis=-1)).mean() for r in (result, plain)]
    assert roughness[1] > 3 * roughness[0]
    channels = layer_activations(model, x)["conv2d_3.1"].mean(dim=(0, 2, 3)).argsort(descending=True)[:4].tolist()
    channel = am.maximize_activation(body, am.channel(body.conv2d_3, channels), start[:4], **am.READABLE)
    assert (channel.values[-1] > 10 * channel.values[0]).all()


def test_saliency_covers_the_image_somewhat_stronger_near_the_strokes(digits):
    model, _, _, x, split = digits
    gradient = attribution.saliency(model, x[:100], split.y_test[:100].tolist()).abs().numpy()
    near = np.stack([ndimage.binary_dilation(image > 0.3, iterations=2) for image in split.x_test[:100]])
    ratio = gradient[near].mean() / gradient[~near].mean()
    assert 1.1 < ratio < 3  # stronger near the ink, but far from zero away from it


def test_integrated_gradients_are_complete_to_a_few_percent(digits):
    model, _, _, x, split = digits
    targets = split.y_test[:20].tolist()
    total = attribution.integrated_gradients(model, x[:20], targets, baseline=0.0, steps=32).sum((1, 2))
    difference = (class_scores(model, x[:20], targets) - class_scores(model, torch.zeros_like(x[:20]), targets)).detach()
    assert ((total - difference).abs() / difference.abs()).median() < 0.05


def test_lrp_maps_get_sparser_with_epsilon_and_conserve_without_biases(digits):
    _, body, images, _, split = digits
    sample, targets = images[:50], split.y_test[:50].tolist()
    pixels = [np.median(extent(lrp.relevance(body, sample, targets, rules=lrp_rules.Epsilon(eps))))
              for eps in (0.0, 1.0, 10.0)]
    assert pixels[0] >= pixels[1] > pixels[2] and pixels[2] < 0.8 * pixels[0]
    bias_free = copy.deepcopy(body)
    with torch.no_grad():
        for name, parameter in bias_free.named_parameters():
            if name.endswith("bias"):
                parameter.zero_()
    score = class_scores(bias_free, sample, targets).detach()
    for rule in (lrp_rules.Zero(), lrp_rules.Gamma(0.25), lrp_rules.AlphaBeta(1, 0)):
        ratio = lrp.relevance(bias_free, sample, targets, rules=rule).sum((1, 2, 3)) / score
        torch.testing.assert_close(ratio, torch.ones_like(ratio), rtol=0, atol=1e-4)  # float32 network
    absorbed = [np.median(lrp.relevance(bias_free, sample, targets, rules=lrp_rules.Epsilon(eps)).sum((1, 2, 3))
                          / score) for eps in (0.1, 1.0)]
    assert 1 > absorbed[0] > absorbed[1]


def test_lrp_rules_differ_as_the_page_says(digits):
    # quick run, 30 digits: positive relevance on the strokes 0.95 (LRP-0), 0.99 (γ), 0.97 (α1β0),
    # 0.86 (α2β1), 0.59 (composite); negative share 0.36, 0.18, 0, 0.42, 0.13; |R| on empty pixels
    # 0.07, 0.04, 0.03, 0.23, 0.42
    _, body, images, _, split = digits
    sample, targets = images[:30], split.y_test[:30].tolist()
    ink = np.stack([ndimage.binary_dilation(image > 0.3) for image in split.x_test[:30]])
    rules = {"0": lrp_rules.Zero(), "gamma": lrp_rules.Gamma(0.25), "a1b0": lrp_rules.AlphaBeta(1, 0),
             "a2b1": lrp_rules.AlphaBeta(2, 1), "composite": lrp.epsilon_gamma_box(0.0, 1.0)}
    positive_on_ink, negative, empty = {}, {}, {}
    for name, rule in rules.items():
        relevance = lrp.relevance(body, sample, targets, rules=rule)[:, 0].detach().numpy()
        positive, size = np.clip(relevance, 0, None), np.abs(relevance).sum()
        positive_on_ink[name] = positive[ink].sum() / positive.sum()
        negative[name] = np.clip(-relevance, 0, None).sum() / size
        empty[name] = np.abs(relevance)[~ink].sum() / size
    # γ and α1β0 keep the positive evidence, on the strokes
    assert min(positive_on_ink["gamma"], positive_on_ink["a1b0"]) > 0.9
    assert negative["a1b0"] < 0.01 and negative["gamma"] < 0.6 * negative["0"]
    # LRP-0 spreads both signs, α2β1 shows the strokes that speak against the class
    assert negative["0"] > 0.25 and negative["a2b1"] > negative["0"]
    # the composite's z^B input rule credits empty pixels too
    assert empty["composite"] > 3 * max(empty["0"], empty["gamma"], empty["a1b0"])


def test_energy_relevance_concentrates_around_the_shower_core(module_cache):
    showers = in_cache(module_cache, lambda: shower_relevance.footprint_relevance(lrp_rules.Epsilon(0.1), 100))
    share, area = np.median(showers.share_within(1.5)), np.median(showers.area_within(1.5))
    assert share > 0.55 and share > 5 * area  # the stations within two spacings: 6.6 % of the array
    assert np.median(np.abs(showers.prediction - showers.energy) / showers.energy) < 0.3
    # the weights come from the cached Ex. 8.2 run: its network predicts what that run reported
    fit = in_cache(module_cache, lambda: airshower_energy.trained("torch", airshower_energy.CnnSettings.for_profile("quick")))
    np.testing.assert_allclose(showers.prediction, fit.prediction[:100], rtol=1e-5)


def test_cam_sign_follows_the_phase(ising):
    model, split = ising
    spins = torch.from_numpy(split.x_test)
    maps = cam.class_activation_map(model, spins, model[9], model[12], 0)
    far = np.abs(split.t_test - T_C) > 0.3
    ordered = (maps.mean((1, 2)).numpy() > 0) == (split.t_test < T_C)
    assert ordered[far].mean() > 0.95


def test_occlusion_depends_on_patch_size_and_baseline(ising):
    model, split = ising
    index = int(np.argmin(np.abs(split.t_test - 2.1)))  # the page's ferromagnetic configuration
    body, images = model[1:], model[0](torch.from_numpy(split.x_test[[index]]))
    drops = [occlusion.occlusion(body, images, 0, patch=p, stride=max(4, p // 2)).abs().mean().item()
             for p in (4, 8, 16)]
    assert drops[0] < drops[1] < drops[2] and drops[2] > 4 * drops[0]
    majority = float(np.sign(split.x_test[index].mean()))
    same = occlusion.occlusion(body, images, 0, patch=8, stride=8, baseline=majority).mean().item()
    opposite = occlusion.occlusion(body, images, 0, patch=8, stride=8, baseline=-majority).mean().item()
    assert abs(same) < 0.2 * opposite
