"""Package code of Exercises 7.2 and 8.2 (dlpbook.exercises.airshower_energy): settings, networks,
results; the lessons of the quick profile are in test_ex07_2_ex08_2_quick_lessons.py."""

import numpy as np
import pytest

from dlpbook.exercises import airshower_energy as ae
from dlpbook.validation import ParameterError

TINY = ae.ShowerData(n_train=200, n_test=100, seed=1)


def test_full_profiles_are_the_original_exercises():
    fcn, cnn = ae.FcnSettings.for_profile("full"), ae.CnnSettings.for_profile("full")
    for settings in (fcn, cnn):
        assert (settings.data.n_train, settings.data.n_test) == (80_000, 20_000)
        assert settings.lr == 1e-3 and settings.lr_decay == 1.0
    assert (fcn.epochs, fcn.batch_size, cnn.epochs, cnn.batch_size) == (20, 128, 50, 64)
    # both exercises of a profile use the same showers, so that Ex. 8.2 can compare with Ex. 7.2
    assert ae.FcnSettings.for_profile("quick").data == ae.CnnSettings.for_profile("quick").data


def test_torch_networks_have_the_original_parameter_counts():
    from dlpbook.nn import count_parameters

    for name, count in ae.N_PARAMETERS.items():
        assert count_parameters(ae.torch_model(ae.SETTINGS[name]())) == count
    assert ae.N_PARAMETERS == {"fcn": 59_601, "cnn": 286_849}


@pytest.mark.keras
def test_keras_networks_have_the_original_parameter_counts():
    pytest.importorskip("tensorflow")
    for name, count in ae.N_PARAMETERS.items():
        assert ae.keras_model(ae.SETTINGS[name]()).count_params() == count


@pytest.mark.parametrize("changes", [
    {"epochs": 0}, {"batch_size": -1}, {"lr": 0.0}, {"lr_decay": 0.0}, {"lr_decay": 1.5}, {"seed": -1},
    {"data": {"n_train": 10}},
])
def test_bad_settings_are_refused(changes):
    with pytest.raises(ParameterError):
        ae.FcnSettings(**changes)


@pytest.mark.parametrize("changes", [{"n_train": 0}, {"n_test": -5}, {"seed": 1.5}])
def test_bad_data_settings_are_refused(changes):
    with pytest.raises(ParameterError):
        ae.ShowerData(**changes)


def test_trained_refuses_an_unknown_framework():
    with pytest.raises(ParameterError, match="framework"):
        ae.trained("jax", ae.FcnSettings.for_profile("quick"))


def test_split_keeps_the_last_showers_for_testing():
    split = ae.load_split(TINY)
    assert split.x_train.shape == (200, 14, 14, 2) and split.x_test.shape == (100, 14, 14, 2)
    assert split.x_train.dtype == np.float32 and split.energy_test.shape == (100,)
    assert 3.0 < split.energy_test.min() and split.energy_test.max() < 100.5


def test_torch_run_is_reproducible_and_survives_the_result_cache_round_trip():
    settings = ae.FcnSettings(TINY, epochs=2, batch_size=32)
    fit, again = ae.train_torch(settings), ae.train_torch(settings)
    np.testing.assert_array_equal(fit.prediction, again.prediction)
    assert len(fit.loss) == len(fit.test_resolution) == 2
    back = ae.EnergyFit.from_arrays({key: np.asarray(value) for key, value in fit.arrays().items()})
    assert (back.network, back.framework, back.n_parameters) == ("fcn", "torch", 59_601)
    assert back.made_by == fit.made_by and "profile=" in back.made_by
    np.testing.assert_array_equal(back.prediction, fit.prediction)
    assert back.resolution == fit.resolution == pytest.approx(np.std(fit.prediction - fit.energy))


def test_trained_caches_the_run(private_cache):
    settings = ae.FcnSettings(TINY, epochs=1, batch_size=64)
    first = ae.trained("torch", settings)
    files = sorted(private_cache.rglob("*.npz"))
    second = ae.trained("torch", settings)
    assert sorted(private_cache.rglob("*.npz")) == files
    np.testing.assert_array_equal(first.prediction, second.prediction)
    assert second.relative_resolution().counts.sum() <= 100
