"""Exercises 3.3 and 5.1: the offline TensorFlow Playground checkerboard."""

import numpy as np
import pytest

from dlpbook.exercises import checkerboard as cb
from dlpbook.validation import ParameterError

Playground = cb.PlaygroundSettings


def test_feature_map_shapes_and_values():
    x = np.array([[1.0, 2.0], [-0.5, 3.0]])
    features = cb.feature_map(x, tuple(cb.FEATURES))
    assert features.shape == (2, 7) and features.dtype == np.float32
    assert list(cb.FEATURES) == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    np.testing.assert_allclose(features[0], [1, 2, 1, 4, 2, np.sin(1), np.sin(2)], rtol=1e-6)
    assert cb.feature_map(x, ("x1*x2",)).shape == (2, 1)
    with pytest.raises(ValueError, match="features"):
        cb.feature_map(x, ("x3",))
    with pytest.raises(ValueError, match="shape"):
        cb.feature_map(np.ones((3, 3)))


def test_split_and_initial_weights():
    x_train, label_train, x_test, label_test = cb.split(Playground())
    assert x_train.shape == x_test.shape == (250, 2)
    x_few, _, x_rest, _ = cb.split(Playground(train_fraction=0.2))
    assert x_few.shape == (100, 2) and x_rest.shape == (400, 2)
    np.testing.assert_array_equal(x_few, x_train[:100])  # the same points, split elsewhere
    np.testing.assert_array_equal(label_train, (x_train[:, 0] * x_train[:, 1] >= 0).astype(int))
    layers = cb.initial_weights([2, 4, 1], seed=3)
    assert [kernel.shape for kernel, _ in layers] == [(2, 4), (4, 1)]
    assert all(np.all(np.abs(kernel) <= 0.5) and np.all(bias == 0.1) for kernel, bias in layers)


def test_torch_network_with_8_nodes_learns_the_checkerboard():
    run = cb.train_torch(Playground(hidden=(8,), epochs=20, seed=0))
    assert run.test_accuracy > 0.9
    assert run.history["train_loss"][-1] < run.history["train_loss"][0]
    probability = run.predict(np.array([[3.0, 3.0], [-3.0, 3.0]]))
    assert probability.shape == (2,) and probability[0] > 0.5 > probability[1]


def test_product_feature_needs_no_hidden_layer():
    assert cb.train_torch(Playground(hidden=(), features=("x1*x2",), epochs=5)).test_accuracy > 0.95
    assert cb.train_torch(Playground(hidden=(), features=("x1", "x2"), epochs=5)).test_accuracy < 0.8


def test_l1_zeroes_more_weights_than_l2():
    settings = Playground(hidden=(8,), features=tuple(cb.FEATURES), noise=0.5, epochs=30, seed=0)
    l1 = cb.train_torch(settings.replace(l1=0.01))
    l2 = cb.train_torch(settings.replace(l2=0.01))
    assert cb.near_zero_fraction(l1) > cb.near_zero_fraction(l2) + 0.25


@pytest.mark.parametrize(
    "changes, name",
    [({"l2": -1.0}, "l2"), ({"epochs": 0}, "epochs"), ({"hidden": (0,)}, "hidden"), ({"noise": 0.6}, "noise"),
     ({"features": ("x3",)}, "features"), ({"features": ()}, "features"), ({"seed": -1}, "seed"),
     ({"train_fraction": 0.95}, "train_fraction")],
)
def test_invalid_settings_fail_before_training(changes, name):
    with pytest.raises(ParameterError) as error:
        Playground(**changes)
    assert error.value.name == name


def test_settings_are_frozen_normalised_and_printable():
    settings = Playground(hidden=[8, 8])
    assert settings.hidden == (8, 8)
    with pytest.raises(AttributeError):
        settings.epochs = 3
    assert "hidden=[8, 8]" in settings.describe() and "learning_rate=0.03" in settings.describe()
    assert settings.replace(seed=3).seed == 3 and settings.seed == 0


def test_studies_keep_the_page_numbers_per_profile():
    quick, full = cb.CapacityStudy.for_profile("quick"), cb.CapacityStudy.for_profile("full")
    assert (quick.run.epochs, len(quick.seeds), quick.feature_epochs) == (20, 6, 10)
    assert (full.run.epochs, len(full.seeds), full.feature_epochs) == (300, 10, 100)
    assert quick.widths == full.widths == (2, 3, 4, 8)
    regularization, original = cb.RegularizationStudy.for_profile("quick"), cb.RegularizationStudy.for_profile("full")
    assert regularization.run.hidden == (32, 32, 32, 32) and regularization.run.noise == 0.5
    assert (regularization.run.epochs, original.run.epochs) == (100, 1000)
    assert (original.run.n_points, original.run.train_fraction) == (500, 0.5)  # Playground's split
    assert len(cb.split(regularization.run)[0]) == 75  # quick: fewer training points, not only fewer epochs
    with pytest.raises(ParameterError):
        cb.CapacityStudy.for_profile("slow")


def test_active_profile_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DLPBOOK_PROFILE", "full")
    assert cb.CapacityStudy.for_profile() == cb.CapacityStudy.for_profile("full")


def test_scans_vary_only_what_they_scan():
    study = cb.CapacityStudy(Playground(epochs=1), widths=(2, 3), seeds=(0, 1), feature_epochs=1)
    scan = cb.width_scan(cb.train_torch_side_by_side, study)
    assert [[run.settings.hidden for run in runs] for runs in scan.values()] == [[(2,), (2,)], [(3,), (3,)]]
    assert [run.settings.seed for run in scan[3]] == [0, 1]
    features = cb.feature_scan(cb.train_torch_side_by_side, study, extras=("x1*x2",))
    assert {name: run.settings.features for name, run in features.items()} == {
        "none": ("x1", "x2"), "x1*x2": ("x1", "x2", "x1*x2")}
    assert all(run.settings.hidden == () and len(run.history["test_loss"]) == 1 for run in features.values())


@pytest.mark.keras
def test_keras_matches_torch_from_the_same_initial_weights():
    pytest.importorskip("tensorflow")
    settings = Playground(hidden=(), features=("x1", "x2", "x1*x2"), epochs=5, seed=0)
    keras_run, torch_run = cb.train_keras(settings), cb.train_torch(settings)
    assert keras_run.test_accuracy > 0.95
    np.testing.assert_allclose(keras_run.kernels[0], torch_run.kernels[0], atol=0.1)


def test_feature_labels_are_mathtext_for_every_feature():
    assert set(cb.FEATURE_LABELS) == set(cb.FEATURES)
    assert all(label.startswith("$") and label.endswith("$") for label in cb.FEATURE_LABELS.values())


@pytest.mark.parametrize(("n_runs", "grid"), [(2, (1, 2)), (3, (1, 3)), (4, (2, 2)), (5, (2, 3))])
def test_plot_boundaries_puts_at_most_three_panels_in_a_row(n_runs, grid):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exact = cb.PlaygroundRun(settings=cb.PlaygroundSettings(), history={"test_accuracy": [1.0]}, kernels=[],
                             predict=lambda points: (points[:, 0] * points[:, 1] >= 0).astype(float))
    fig = cb.plot_boundaries({f"run {index}": exact for index in range(n_runs)})
    visible = [ax for ax in fig.axes if ax.axison]
    assert len(visible) == n_runs
    assert fig.get_size_inches()[0] <= 11  # legible at the width of a page (README)
    rows = {round(ax.get_position().y0, 3) for ax in visible}
    columns = {round(ax.get_position().x0, 3) for ax in visible}
    assert (len(rows), len(columns)) == grid
    plt.close(fig)


@pytest.mark.parametrize(
    "changes, name",
    [({"cure": "L2 5"}, "cure"), ({"cure": "no penalty"}, "cure"), ({"penalties": (("L2 1", 0.0, 1.0),)}, "penalties"),
     ({"selection_rate": 0.0}, "selection_rate"), ({"selection_features": ("x3",)}, "features")],
)
def test_invalid_regularization_study(changes, name):
    with pytest.raises(ParameterError) as error:
        cb.RegularizationStudy(Playground(), **changes)
    assert error.value.name == name


def test_task_runs_train_every_penalty_and_the_selection_runs_with_all_features():
    study = cb.RegularizationStudy(Playground(epochs=1), selection_rate=0.02)
    penalised, runs = study.task_runs(cb.train_torch_side_by_side)
    assert list(penalised) == [label for label, _, _ in study.penalties]
    assert [(run.settings.l1, run.settings.l2) for run in penalised.values()] == [(l1, l2) for _, l1, l2 in study.penalties]
    assert all(run.settings.features == study.run.features for run in penalised.values())
    assert list(runs) == ["L2 0.02", "L1 0.02"]
    assert [(run.settings.l1, run.settings.l2) for run in runs.values()] == [(0.0, 0.02), (0.02, 0.0)]
    assert all(run.settings.features == tuple(cb.FEATURES) for run in runs.values())
