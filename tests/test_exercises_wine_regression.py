"""Exercise 5.3: wine-quality regression (offline: diabetes substitute) in torch and Keras."""

import numpy as np
import pytest

from dlpbook.data.wine import diabetes_table
from dlpbook.exercises import wine_regression
from dlpbook.exercises.wine_regression import WineSettings
from dlpbook.validation import ParameterError


@pytest.fixture(scope="module")
def split():
    return wine_regression.load_split(diabetes_table(), seed=0)


def n_parameters(k):
    return (k + 1) * 20 + 2 * (20 * 20 + 20) + 20 + 1


def test_split_is_standardised_with_training_statistics(split):
    assert split.x_train.shape == (271, 10) and split.x_test.shape == (171, 10)
    assert split.y_train.shape == (271, 1) and split.y_test.shape == (171, 1)
    np.testing.assert_allclose(split.x_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(split.x_train.std(axis=0), 1, atol=1e-5)
    assert abs(split.x_test.mean()) < 0.2
    table = diabetes_table()
    assert split.y_std > 0 and table.target.min() < split.y_mean < table.target.max()
    assert "diabetes" in split.source


def test_torch_solution_trains_and_reports_in_target_units(split):
    fit = wine_regression.train_torch(split, WineSettings(epochs=8))
    assert fit.n_parameters == n_parameters(10) == 1081
    assert len(fit.history["loss"]) == len(fit.history["val_loss"]) == 8
    assert fit.history["loss"][-1] < fit.history["loss"][0]
    assert fit.history["val_loss"][-1] < 0.75  # below the variance of the standardised target (~1)
    # test MSE in target units is the final standardised validation loss times the target variance
    assert fit.test_mse == pytest.approx(fit.history["val_loss"][-1] * split.y_std**2, rel=1e-4)
    assert fit.correlation > 0.55
    np.testing.assert_allclose(fit.y_test, split.y_test[:, 0] * split.y_std + split.y_mean, rtol=1e-6)


def test_compare_setups_rows(split):
    setups = wine_regression.PROGRESSION[1::4]
    rows = wine_regression.compare_setups(split, WineSettings(epochs=1), setups=setups)
    assert [row["setup"] for row in rows] == [s.name for s in setups]
    assert [row["steps"] for row in rows] == [271, 28]
    equal = wine_regression.compare_setups(split, WineSettings(epochs=1), setups=setups, equal_updates=True)
    assert [(row["epochs"], row["steps"]) for row in equal] == [(1, 271), (10, 280)]
    assert wine_regression.best_row(rows) is min(rows, key=lambda row: row["val_mse_best"])
    assert all(np.isfinite(row["test_mse"]) and -1 <= row["correlation"] <= 1 for row in rows)


def test_invalid_study():
    with pytest.raises(ParameterError) as error:
        wine_regression.WineStudy(WineSettings(), 3, compare_equal_updates=1)
    assert error.value.name == "compare_equal_updates"


@pytest.mark.parametrize("kwargs", [{"optimizer": "rmsprop"}, {"lr": -1.0}, {"epochs": 0}, {"hidden": (0,)}])
def test_invalid_settings(kwargs):
    with pytest.raises(ParameterError) as error:
        WineSettings(**kwargs)
    assert error.value.name == next(iter(kwargs))


def test_profiles_keep_the_page_numbers():
    quick, full = (wine_regression.WineStudy.for_profile(p) for p in ("quick", "full"))
    assert (quick.run.epochs, quick.compare_epochs, full.run.epochs, full.compare_epochs) == (15, 2, 70, 70)
    assert quick.compare_equal_updates and not full.compare_equal_updates  # full: the original's equal epochs
    assert quick.run.replace(epochs=70) == full.run == WineSettings()


@pytest.mark.keras
def test_keras_solution_trains(split):
    pytest.importorskip("tensorflow")
    fit = wine_regression.train_keras(split, WineSettings(epochs=5))
    assert fit.n_parameters == 1081
    assert len(fit.history["val_loss"]) == 5
    assert fit.history["loss"][-1] < fit.history["loss"][0]
    assert fit.history["val_loss"][-1] < 0.8
    assert fit.test_mse == pytest.approx(fit.history["val_loss"][-1] * split.y_std**2, rel=1e-3)
    assert fit.correlation > 0.5
