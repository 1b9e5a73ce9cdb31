"""The package code of Ex. 7.1 and 8.1 (dlpbook.exercises.ising_phases): settings, data split,
networks in both frameworks, the cached runs and the figure."""

import dataclasses

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from dlpbook import nn
from dlpbook.data.ising import T_C
from dlpbook.exercises import ising_phases as ip
from dlpbook.validation import ParameterError

TINY_DATA = ip.IsingData(n=80, n_test=30, validation_fraction=0.25, equilibration=5, decorrelation=1,
                         samples_per_chain=5)
"""A data set that simulates in a fraction of a second: 16 chains, 11 of them train."""


def tiny(model: str = "fcn", **changes) -> ip.PhaseSettings:
    return ip.PhaseSettings(model, TINY_DATA, epochs=1, batch_size=16).replace(**changes)


@pytest.mark.parametrize("model", ip.MODELS)
def test_torch_networks_have_the_original_parameter_counts(model):
    assert nn.count_parameters(ip._model_torch(tiny(model))) == ip.N_PARAMETERS[model]


@pytest.mark.keras
@pytest.mark.parametrize("model", ip.MODELS)
def test_keras_networks_have_the_original_parameter_counts(model):
    pytest.importorskip("tensorflow")
    assert ip._model_keras(tiny(model)).count_params() == ip.N_PARAMETERS[model]


def test_full_profile_has_the_original_sizes_and_training():
    study = ip.PhaseStudy.for_profile("full")
    data = study.fcn.data
    assert (data.n, data.n_test, data.n_train, data.n_validation) == (26_000, 6_000, 20_000, 2_000)
    for settings in (study.fcn, study.cnn):
        assert (settings.epochs, settings.batch_size, settings.learning_rate) == (50, 64, 1e-3)
        assert (settings.patience, settings.lr_factor, settings.lr_patience) == (5, 0.67, 2)
    assert dataclasses.asdict(data) == dataclasses.asdict(ip.IsingData())


@pytest.mark.parametrize("profile", ["quick", "full"])
def test_both_exercises_share_the_data_of_a_profile(profile):
    study = ip.PhaseStudy.for_profile(profile)
    assert study.fcn.data == study.cnn.data
    assert (study.fcn.model, study.cnn.model) == ("fcn", "cnn")


def test_study_refuses_different_data_or_swapped_models():
    study = ip.PhaseStudy.for_profile("quick")
    with pytest.raises(ParameterError, match="cnn.data"):
        study.replace(cnn=study.cnn.replace(data=TINY_DATA))
    with pytest.raises(ParameterError, match="fcn, cnn"):
        study.replace(fcn=study.cnn, cnn=study.fcn)
    with pytest.raises(ParameterError):
        study.replace(bins=0)


@pytest.mark.parametrize("changes, name", [
    ({"n_test": 33}, "n_test"),  # not whole chains
    ({"n_test": 80}, "n_test"),  # nothing left to train
    ({"n": 83}, "n"),
    ({"validation_fraction": 0.0}, "validation_fraction"),
    ({"validation_fraction": 0.01}, "validation_fraction"),  # less than one chain
    ({"samples_per_chain": 0}, "samples_per_chain"),
    ({"decorrelation": 0}, "decorrelation"),
    ({"seed": -1}, "seed"),
])
def test_ising_data_refuses_bad_values(changes, name):
    with pytest.raises(ParameterError) as error:
        TINY_DATA.replace(**changes)
    assert error.value.name == name or name in str(error.value)


@pytest.mark.parametrize("changes", [{"model": "rnn"}, {"epochs": 0}, {"batch_size": 0}, {"learning_rate": 0.0},
                                     {"patience": -1}, {"lr_factor": 1.0}, {"lr_patience": -1}, {"seed": -2},
                                     {"data": {"n": 10}}])
def test_phase_settings_refuse_bad_values(changes):
    with pytest.raises(ParameterError):
        tiny().replace(**changes)


def test_settings_round_trip_through_plain_data():
    settings = ip.PhaseStudy.for_profile("quick").cnn
    assert ip.PhaseSettings.from_dict(settings.as_dict()) == settings


def test_split_keeps_chains_whole_and_labels_the_phases():
    split = ip.load_split(TINY_DATA)
    assert split.x_fit.shape == (40, 32, 32) and split.x_val.shape == (10, 32, 32)
    assert split.x_test.shape == (30, 32, 32)
    assert split.x_fit.dtype == np.float32 and set(np.unique(split.x_fit)) <= {-1.0, 1.0}
    for x, y, t in ((split.x_fit, split.y_fit, split.t_fit), (split.x_test, split.y_test, split.t_test)):
        assert y.shape == (len(x), 1)
        np.testing.assert_array_equal(y[:, 0], (t > T_C).astype(np.float32))
    parts = [set(split.t_fit), set(split.t_val), set(split.t_test)]
    assert not (parts[0] & parts[1]) and not (parts[0] & parts[2]) and not (parts[1] & parts[2])


def test_targets_are_one_hot_for_the_two_outputs_of_the_cam_network():
    label = np.array([[0.0], [1.0]], np.float32)
    np.testing.assert_array_equal(ip.targets(tiny("cnn"), label), label)
    np.testing.assert_array_equal(ip.targets(tiny("cam"), label), [[1.0, 0.0], [0.0, 1.0]])


def test_phase_label():
    np.testing.assert_array_equal(ip.phase_label([1.0, T_C, 2.27, 3.0]), [0.0, 0.0, 1.0, 1.0])


def test_run_trains_once_and_reads_the_result_back_from_the_cache(monkeypatch):
    calls = []
    train = ip.TRAINERS["torch"]

    def counting(settings):
        calls.append(settings)
        return train(settings)

    monkeypatch.setitem(ip.TRAINERS, "torch", counting)
    settings = tiny("fcn")
    first = ip.run(settings, "torch")
    second = ip.run(settings, "torch")
    assert len(calls) == 1 and calls[0] == settings
    np.testing.assert_array_equal(first.output, second.output)
    np.testing.assert_array_equal(second.temperature, ip.load_split(TINY_DATA).t_test)
    assert second.history == first.history and second.n_parameters == ip.N_PARAMETERS["fcn"]
    assert second.epochs_trained == 1 and set(second.history) == set(ip.HISTORY_KEYS)
    # the weights come back too: the rebuilt network gives the recorded outputs
    rebuilt = ip.network(second)(torch.from_numpy(ip.load_split(TINY_DATA).x_test)).detach().numpy()[:, 0]
    np.testing.assert_allclose(rebuilt, second.output, rtol=1e-5, atol=1e-6)
    ip.run(settings.replace(seed=1), "torch")
    assert len(calls) == 2
    with pytest.raises(ParameterError):
        ip.run(settings, "jax")


def test_phase_run_accuracy_counts_outputs_at_one_half_as_paramagnetic():
    t = np.array([1.5, 2.0, 2.5, 3.0])
    result = ip.PhaseRun(tiny(), "torch", {}, t, np.array([0.1, 0.5, 0.5, 0.9]), 1, {})
    np.testing.assert_array_equal(result.correct, [True, False, True, True])
    assert result.test_accuracy == 0.75


def test_plot_phases_draws_accuracy_and_mean_output():
    rng = np.random.default_rng(0)
    t = np.repeat(rng.uniform(1.0, 3.54, 40), 10)
    output = np.clip(1.0 / (1.0 + np.exp(-(t - T_C) / 0.1)) + rng.normal(0.0, 0.1, t.size), 0.0, 1.0)
    result = ip.PhaseRun(tiny(), "torch", {}, t, output, 1, {})
    study = ip.PhaseStudy.for_profile("quick")
    fig = ip.plot_phases({"A": result, "B": dataclasses.replace(result, output=np.clip(output * 1.1, 0, 1))}, study)
    left, right = fig.axes
    assert left.get_ylabel() == "test accuracy" and "temperature" in right.get_xlabel()
    assert len(left.get_legend().get_texts()) == 3 and "T_c" in right.get_legend().get_texts()[0].get_text()
