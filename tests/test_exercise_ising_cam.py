"""The package code of Ex. 12.3 (dlpbook.exercises.ising_cam): settings, the cached CAM network,
class activation maps in both frameworks, example picks and the local-order correlation."""

import numpy as np
import pytest
import torch

from dlpbook import nn
from dlpbook.data.ising import T_C
from dlpbook.exercises import ising_cam as ic
from dlpbook.exercises import ising_phases as ip
from dlpbook.validation import ParameterError

TINY_DATA = ip.IsingData(n=80, n_test=30, validation_fraction=0.25, equilibration=5, decorrelation=1,
                         samples_per_chain=5)
TINY = ic.CamStudy(ip.PhaseSettings("cam", TINY_DATA, epochs=1, batch_size=16))


@pytest.fixture
def tiny_profiles(monkeypatch):
    """Both profiles of CamStudy replaced by the tiny one, and a counter of torch trainings."""
    monkeypatch.setattr(ic.CamStudy, "profiles", classmethod(lambda cls: {"quick": TINY, "full": TINY}))
    calls, train = [], ip.TRAINERS["torch"]
    monkeypatch.setitem(ip.TRAINERS, "torch", lambda settings: calls.append(settings) or train(settings))
    return calls


def test_full_profile_has_the_original_sizes_and_training():
    settings = ic.CamStudy.for_profile("full").training
    data = settings.data
    assert (data.n_train, data.n_validation, data.n_test) == (20_000, 2_000, 6_000)
    assert (settings.model, settings.epochs, settings.batch_size, settings.learning_rate) == ("cam", 50, 64, 1e-3)
    assert (settings.patience, settings.lr_factor, settings.lr_patience) == (5, 0.67, 2)


def test_quick_profile_shares_the_data_and_training_of_the_quick_ex08_1_cnn():
    cnn = ip.PhaseStudy.for_profile("quick").cnn
    assert ic.CamStudy.for_profile("quick").training == cnn.replace(model="cam", epochs=1)  # one epoch of its two


def test_study_refuses_bad_values():
    for changes, name in [({"training": TINY.training.replace(model="cnn")}, "training"), ({"near": 0.0}, "near"),
                          ({"window": 0}, "window"), ({"seed": -1}, "seed")]:
        with pytest.raises(ParameterError, match=name):
            TINY.replace(**changes)


def test_trained_torch_model_is_cached_and_is_a_cam_network(tiny_profiles):
    model = ic.trained_torch_model()
    assert len(tiny_profiles) == 1 and not model.training
    assert nn.count_parameters(model) == ip.N_PARAMETERS["cam"] == 16_434
    again = ic.trained_torch_model("quick", seed=0)
    assert len(tiny_profiles) == 1  # read from the cache
    for a, b in zip(model.state_dict().values(), again.state_dict().values()):
        torch.testing.assert_close(a, b)
    # the rebuilt network gives the outputs the run recorded
    spins = ip.load_split(TINY_DATA).x_test
    result = ip.run(TINY.training, "torch")
    probabilities = model(torch.from_numpy(spins)).detach().numpy()
    np.testing.assert_allclose(probabilities[:, 1], result.output, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    ic.trained_torch_model(seed=1)
    assert len(tiny_profiles) == 2 and tiny_profiles[-1].seed == 1


def test_torch_maps_average_to_the_class_scores(tiny_profiles):
    result = ic.run(TINY, "torch")
    assert result.maps.shape == (30, 2, 16, 16) and result.spins.shape == (30, 32, 32)
    model = ip.network(result.run)
    logits = model[:-1](torch.from_numpy(result.spins)).detach().numpy()
    np.testing.assert_allclose(result.maps.mean(axis=(2, 3)), logits, rtol=1e-4, atol=1e-5)


@pytest.mark.keras
def test_keras_maps_average_to_the_class_scores_and_match_torch_for_the_same_weights():
    pytest.importorskip("tensorflow")
    torch_model = ip._model_torch(TINY.training).eval()
    keras_model = ip._model_keras(TINY.training)
    convs = [m for m in torch_model if isinstance(m, torch.nn.Conv2d)]
    weights = [w for conv in convs for w in (conv.weight.detach().numpy().transpose(2, 3, 1, 0),
                                             conv.bias.detach().numpy())]
    weights += [torch_model[12].weight.detach().numpy().T, torch_model[12].bias.detach().numpy()]
    keras_model.set_weights(weights)
    spins = np.where(np.random.default_rng(0).random((5, 32, 32)) < 0.5, -1.0, 1.0).astype(np.float32)
    keras_maps = ic.class_maps_keras(keras_model, spins)
    np.testing.assert_allclose(keras_maps, ic.class_maps_torch(torch_model, spins), rtol=1e-4, atol=1e-5)
    # softmax of the spatial means is the network's output: the map averages to the class score
    scores = keras_maps.mean(axis=(2, 3))
    softmax = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(softmax, keras_model.predict(spins, verbose=0), rtol=1e-4, atol=1e-6)


def fake_result(temperature, output, spins=None, maps=None):
    n = len(temperature)
    run = ip.PhaseRun(TINY.training, "torch", {}, np.asarray(temperature), np.asarray(output), 0, {})
    spins = np.ones((n, 32, 32), np.float32) if spins is None else spins
    return ic.CamResult(run, spins, np.zeros((n, 2, 16, 16)) if maps is None else maps)


def test_examples_are_two_right_and_two_wrong_near_and_away_from_tc():
    t = np.array([1.5, 2.2, 2.3, 2.25, 2.8, 1.2, 3.0])
    output = np.array([0.1, 0.2, 0.9, 0.7, 0.9, 0.8, 0.3])  # wrong: 2.25, 1.2, 3.0
    picks = fake_result(t, output).examples(near=0.2, seed=3)
    assert abs(t[picks["correct, near T_c"]] - T_C) < 0.2 and picks["correct, near T_c"] in (1, 2)
    assert picks["correct, away from T_c"] in (0, 4)
    assert (picks["wrong, nearest T_c"], picks["wrong, farthest from T_c"]) == (3, 5)
    with pytest.raises(ValueError, match="wrongly"):
        fake_result(t[:3], output[:3]).examples(near=0.2)
    with pytest.raises(ValueError, match="near T_c"):
        fake_result(t, output).examples(near=0.01)


def test_local_magnetization_and_its_correlation_with_the_maps():
    rng = np.random.default_rng(1)
    spins = np.ones((3, 32, 32), np.float32)
    spins[1] = np.where((np.indices((32, 32)).sum(0) % 2) == 0, 1.0, -1.0)  # antiferromagnetic: |m| = 0
    spins[2] = np.where(rng.random((32, 32)) < 0.5, -1.0, 1.0)
    spins[2, :, :16] = -1.0  # an ordered half
    result = fake_result([1.0, 3.0, 2.5], [0.0, 1.0, 1.0], spins)
    local = result.local_magnetization(4)
    assert local.shape == (3, 16, 16)
    np.testing.assert_allclose(local[0, 2:-2, 2:-2], 1.0)
    assert local[0, 0, 0] < 1.0  # open edges
    assert local[1, 2:-2, 2:-2].max() < 0.2
    assert local[2, :, :6].mean() > local[2, :, 10:].mean() + 0.4
    maps = np.stack([local, -2.0 * local + 1.0], axis=1)
    correlation = fake_result([1.0, 3.0, 2.5], [0.0, 1.0, 1.0], spins, maps).order_correlation(4, [False, True, True])
    np.testing.assert_allclose(correlation, [1.0, -1.0])
    with pytest.raises(ParameterError, match="window"):
        result.local_magnetization(0)
