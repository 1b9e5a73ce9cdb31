"""dlpbook.exercises.multitask_reconstruction (Ex. 11.1): the goals as MSEs, the weight derivation,
the settings, the data split, the resolutions, the cached trainings and the plots."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from dlpbook.exercises import multitask_reconstruction as mt  # noqa: E402
from dlpbook.metrics.regression import angular_resolution, distance_resolution, relative_resolution  # noqa: E402
from dlpbook.nn import count_parameters  # noqa: E402
from dlpbook.nn.multitask import airshower_multitask_net  # noqa: E402
from dlpbook.validation import ParameterError  # noqa: E402

TINY = mt.MultitaskSettings(
    n_train=64, n_test=32, validation_split=0.0, steps=1, growth=4, epochs=2, batch_size=16, lr=3e-3,
    patience=0, lr_patience=0,
)  # fmt: skip


def test_goal_mse_by_hand():
    at_goal = mt.goal_mse()
    rayleigh = math.sqrt(-2 * math.log(0.32))  # 1.5096
    assert at_goal["axis"] == pytest.approx(2 / 3 * (math.radians(1.5) / rayleigh) ** 2)
    assert at_goal["core"] == pytest.approx((25 / 750 / rayleigh) ** 2)
    assert at_goal["energy"] == pytest.approx((0.1 / math.log(10) / 0.99446) ** 2, rel=1e-4)
    assert at_goal["axis"] == pytest.approx(2.005e-4, rel=1e-3)


def test_gaussian_errors_of_the_goal_mse_reach_the_goals():
    # errors drawn with exactly the MSE of goal_mse give the goals back through the exercise's metrics
    rng = np.random.default_rng(0)
    n = 200_000
    at_goal = mt.goal_mse()
    axis = rng.normal(size=(n, 3))
    axis /= np.linalg.norm(axis, axis=1, keepdims=True)
    error = rng.normal(size=(n, 3)) * math.sqrt(1.5 * at_goal["axis"])  # per direction s^2 = 3/2 MSE
    error -= np.sum(error * axis, axis=1, keepdims=True) * axis  # perpendicular to the axis
    assert angular_resolution(axis + error, axis) == pytest.approx(1.5, rel=0.01)
    core = rng.normal(size=(n, 2)) * math.sqrt(at_goal["core"])
    assert distance_resolution(750 * core, np.zeros_like(core)) == pytest.approx(25, rel=0.01)
    log_energy = rng.uniform(18.5, 20, n)
    measured = log_energy + rng.normal(size=n) * math.sqrt(at_goal["energy"])
    assert relative_resolution(10**measured, 10**log_energy) == pytest.approx(0.10, rel=0.02)


def test_goal_mse_rejects_bad_goals():
    with pytest.raises(ParameterError):
        mt.goal_mse(angle_deg=0)
    with pytest.raises(ParameterError):
        mt.goal_mse(coverage=1.0)
    with pytest.raises(ParameterError):
        mt.goal_mse(energy_fraction=-0.1)


def test_weight_derivation_comes_close_to_the_exercise_weights():
    rng = np.random.default_rng(1)
    targets = {"axis": rng.normal(size=(500, 3)), "core": rng.normal(size=(500, 2)), "energy": rng.normal(size=(500, 1))}
    rows = mt.loss_weight_derivation(targets)
    assert [row["task"] for row in rows] == list(mt.TASKS)
    at_goal = mt.goal_mse()
    for row in rows:
        assert row["spread"] == pytest.approx(np.mean(np.var(targets[row["task"]], axis=0)))
        assert row["weight"] == pytest.approx(1 / at_goal[row["task"]])
        assert row["ratio"] == pytest.approx(row["spread"] / row["goal_mse"])
    # scaled to an energy weight of 2: 18.8 : 7.8 : 2, against the exercise's 15 : 9 : 2
    scaled = [2 * row["weight"] / rows[-1]["weight"] for row in rows]
    assert scaled == pytest.approx([15, 9, 2], rel=0.3)
    # a looser goal gives a smaller weight
    assert mt.loss_weight_derivation(targets, {"core": 50})[1]["weight"] == pytest.approx(rows[1]["weight"] / 4)


def test_profiles_full_is_the_original_solution():
    full = mt.MultitaskStudy.for_profile("full").run
    assert (full.n_train, full.n_test, full.validation_split) == (180_000, 20_000, 0.1)
    assert (full.steps, full.growth, full.weights) == (5, 16, (15.0, 9.0, 2.0))
    assert (full.epochs, full.batch_size, full.lr, full.patience, full.lr_patience) == (40, 128, 1e-3, 5, 10)
    quick = mt.MultitaskStudy.for_profile("quick")
    assert quick.run.n_train < full.n_train and quick.run.epochs < full.epochs
    assert quick.unweighted().weights == (1.0, 1.0, 1.0)
    assert quick.unweighted().replace(weights=quick.run.weights) == quick.run


def test_the_exercise_network_has_177016_parameters():
    settings = mt.MultitaskSettings()
    assert mt.N_PARAMETERS == 177_016
    assert count_parameters(airshower_multitask_net(steps=settings.steps, growth=settings.growth)) == 177_016


@pytest.mark.parametrize(
    "changes",
    [
        {"weights": (1.0, 1.0)},
        {"weights": (1.0, -1.0, 1.0)},
        {"weights": (0.0, 0.0, 0.0)},
        {"n_train": 0},
        {"validation_split": 1.0},
        {"validation_split": 0.001, "n_train": 100},
        {"validation_split": 0.0, "patience": 5},
        {"lr": 0.0},
        {"patience": -1},
        {"data_seed": -1},
    ],
)
def test_settings_reject_bad_values(changes):
    with pytest.raises(ParameterError):
        mt.MultitaskSettings().replace(**changes)


def test_load_data_splits_training_validation_and_test():
    settings = TINY.replace(validation_split=0.25, patience=1)
    training, validation, test = mt.load_data(settings)
    assert (len(training), len(validation), len(test)) == (48, 16, 32)
    assert training.x.shape == (48, 9, 9, 2) and validation.y["core"].shape == (16, 2)
    assert test.y["energy"].shape == (32, 1)
    # without a validation split the curves are taken on the test showers
    training, validation, test = mt.load_data(TINY)
    assert len(training) == 64 and validation is test


def test_resolutions_of_a_perfect_and_of_the_trivial_prediction():
    training, _, test = mt.load_data(TINY)
    perfect = mt.resolutions(test.y, test.y)
    assert perfect == pytest.approx({"axis": 0.0, "core": 0.0, "energy": 0.0}, abs=1e-6)
    trivial = mt.trivial_resolutions(training.y, test.y)
    # the zenith angles reach 60 deg, the cores 750 m and the energies a factor 30
    assert 20 < trivial["axis"] < 70 and 300 < trivial["core"] < 900 and trivial["energy"] > 0.5
    assert mt.task_mse(test.y, test.y) == {"axis": 0.0, "core": 0.0, "energy": 0.0}
    assert mt.energy_eev(np.array([[0.0]])) == pytest.approx([10**1.25])


def test_train_torch_is_cached_and_the_model_comes_back():
    fit = mt.train_torch(TINY)
    assert fit.n_parameters == count_parameters(airshower_multitask_net(steps=1, growth=4))
    assert fit.weights == {"axis": 15.0, "core": 9.0, "energy": 2.0}
    for task in mt.TASKS:
        assert fit.curves[f"val_{task}"].shape == (TINY.epochs + 1,)
        assert fit.prediction[task].shape == fit.target[task].shape
    assert np.isnan(fit.curves["loss"][0]) and np.all(np.isfinite(fit.curves["loss"][1:]))
    again = mt.train_torch(TINY)  # read from the cache
    assert np.array_equal(again.prediction["core"], fit.prediction["core"])
    model = mt.trained_torch_model(TINY)
    with torch.no_grad():
        output = model(torch.from_numpy(mt.load_data(TINY)[2].x))
    assert np.allclose(output["axis"].numpy(), fit.prediction["axis"], atol=1e-6)


def test_train_torch_with_early_stopping_and_schedule():
    settings = TINY.replace(validation_split=0.25, patience=1, lr_patience=1, epochs=3)
    fit = mt.train_torch(settings)
    assert 2 <= len(fit.curves["val_axis"]) <= 4
    assert all(np.isfinite(value).all() for value in fit.curves.values() if value is not fit.curves["loss"])


def test_plots_have_a_panel_per_task():
    fit = mt.train_torch(TINY)
    fig = mt.plot_curves({"weighted": fit, "equal": fit}, title="test")
    assert len(fig.axes) == 3 and all(ax.get_yscale() == "log" for ax in fig.axes)
    plt.close(fig)
    fig = mt.plot_reconstruction(fit, title="test")
    assert len(fig.axes) == 4 and all(ax.get_xlabel() for ax in fig.axes)
    plt.close(fig)


@pytest.mark.keras
def test_train_keras_runs_the_twin():
    pytest.importorskip("tensorflow")
    fit = mt.train_keras(TINY)
    assert fit.n_parameters == count_parameters(airshower_multitask_net(steps=1, growth=4))
    assert fit.curves["val_energy"].shape == (TINY.epochs + 1,)
    assert all(np.isfinite(value).all() for value in fit.prediction.values())
    assert len(mt.train_keras(TINY.replace(validation_split=0.25, patience=1, lr_patience=1)).curves["loss"]) >= 2


@pytest.mark.keras
def test_keras_network_has_177016_parameters():
    pytest.importorskip("tensorflow")
    from dlpbook.keras_nn.multitask import airshower_multitask_net as keras_net

    settings = mt.MultitaskSettings()
    assert keras_net(steps=settings.steps, growth=settings.growth).count_params() == mt.N_PARAMETERS
