"""The quick profile of Ex. 12.1 and 12.2 must still show what the pages claim (book Sec. 12.4).

Ex. 12.1 (``FilterStudy.for_profile("quick")``): the colour-image CNN with half the original
filters, 2 epochs on 1,800 collider-object images, classifies far above chance (10 %), and its
mistakes stay within families of objects that look alike (single jets; boson and top jets;
narrow objects). Ex. 12.2 (``ActivationMaximizationStudy.for_profile("quick")``): the digits CNN
with half the original filters, 4 epochs, classifies the test digits well, and 50 steps of
normalised gradient ascent raise (nearly) every channel that the start noise excites, while most channels
of the fourth layer get no activation from noise at all. The thresholds leave room below the
values measured with seeds 0 to 2 in both frameworks (the pages use seed 0), quoted as
"measured".
"""

import numpy as np
import pytest
import torch

from dlpbook import metrics
from dlpbook.exercises import cnn_features as cf

FILTERS = cf.FilterStudy.for_profile("quick")
MAXIMIZATION = cf.ActivationMaximizationStudy.for_profile("quick")
FRAMEWORKS = [pytest.param("torch"), pytest.param("keras", marks=pytest.mark.keras)]


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory):
    """One private cache for the module's runs, so that each training runs once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cache(module_cache, monkeypatch):
    monkeypatch.setenv("DLPBOOK_CACHE", str(module_cache))
    return module_cache


def needs(framework):
    if framework == "keras":
        pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def digits_cnn(module_cache):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLPBOOK_CACHE", str(module_cache))
        return cf.trained_digits_cnn("quick", seed=0)


def test_the_trained_digits_cnn_is_cached_and_classifies_the_test_digits(digits_cnn, cache):
    split = cf.digits_split("quick")
    assert not digits_cnn.training
    with torch.no_grad():
        probabilities = digits_cnn(torch.as_tensor(split.x_test))
        scores = digits_cnn[:-1](torch.as_tensor(split.x_test))
    assert probabilities.shape == (len(split.y_test), 10)
    torch.testing.assert_close(torch.softmax(scores, dim=1), probabilities)
    accuracy = float(np.mean(probabilities.argmax(1).numpy() == split.y_test))
    assert accuracy > 0.88  # chance: 0.1
    again = cf.trained_digits_cnn("quick", seed=0)  # read back from the cache: the same weights
    for (name, a), b in zip(digits_cnn.state_dict().items(), again.state_dict().values()):
        torch.testing.assert_close(a, b, msg=name)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_ex121_classifies_far_above_chance_and_confuses_look_alikes(framework, cache):
    needs(framework)
    result = cf.run(FILTERS.training, framework)
    # measured (seeds 0-2): torch 0.59 to 0.64, keras 0.56 to 0.66 (chance 0.1)
    assert result.test_accuracy > 0.45
    matrix = metrics.confusion_matrix(result.labels, result.predicted, 10)
    # measured (seeds 0-2): 0.87 to 0.95 of the mistakes within a family; the three most confused
    # pairs always inside one
    assert cf.family_share(matrix) > 0.8
    families = [set(members) for members in cf.FAMILIES.values()]
    for i, j, _ in metrics.most_confused_pairs(matrix, 3):
        assert any({i, j} <= family for family in families), (i, j)
    # W and Z, the pair that differs only by 13 % in mass, is among the four most confused (measured:
    # the most confused pair for seeds 0 to 2 in both frameworks)
    assert (3, 4) in [(i, j) for i, j, _ in metrics.most_confused_pairs(matrix, 4)]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_ex122_classifies_the_digits_and_the_ascent_raises_every_excited_channel(framework, cache):
    needs(framework)
    result = cf.run(MAXIMIZATION.training, framework)
    # measured (seeds 0-2): torch 0.92 to 0.94, keras 0.91 to 0.98; the full profile: see benchmarks/RESULTS.md
    assert result.test_accuracy > 0.88
    model = cf.trained_model(result)
    for layer in MAXIMIZATION.layers:
        images, values = MAXIMIZATION.maximize(model, layer)
        assert images.shape == (MAXIMIZATION.channels(layer), 28, 28)
        excited = values[0] > 0
        # measured (seeds 0-2): none of the channels of conv2d_1 off, up to 17 of 32 of conv2d_3
        assert excited.mean() > 0.4, layer
        # nearly every excited channel rises by more than an order of magnitude over the 50 steps
        # (measured: all of them at least 55 times for seed 0; a rare channel switches off when a
        # step overshoots), and the others get no gradient and stay at zero
        assert np.mean(values[-1, excited] > 10 * values[0, excited]) >= 0.9, layer
        assert np.all(values[:, ~excited] == 0), layer
    # the fourth layer: most channels silent for their start noise (measured: 41 to 56 of 64)
    assert MAXIMIZATION.silent_channels(model, "conv2d_4") > MAXIMIZATION.channels("conv2d_4") / 2
