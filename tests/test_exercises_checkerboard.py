"""Exercises 3.3 and 5.1: the offline TensorFlow Playground checkerboard."""

import numpy as np
import pytest

from dlpbook.exercises import checkerboard as cb


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
    x_train, label_train, x_test, label_test = cb.split(0.0, seed=0)
    assert x_train.shape == x_test.shape == (250, 2)
    np.testing.assert_array_equal(label_train, (x_train[:, 0] * x_train[:, 1] >= 0).astype(int))
    layers = cb.initial_weights([2, 4, 1], seed=3)
    assert [kernel.shape for kernel, _ in layers] == [(2, 4), (4, 1)]
    assert all(np.all(np.abs(kernel) <= 0.5) and np.all(bias == 0.1) for kernel, bias in layers)


def test_torch_network_with_8_nodes_learns_the_checkerboard():
    run = cb.train_torch((8,), epochs=20, seed=0)
    assert run.test_accuracy > 0.9
    assert run.history["train_loss"][-1] < run.history["train_loss"][0]
    probability = run.predict(np.array([[3.0, 3.0], [-3.0, 3.0]]))
    assert probability.shape == (2,) and probability[0] > 0.5 > probability[1]


def test_product_feature_needs_no_hidden_layer():
    assert cb.train_torch((), features=("x1*x2",), epochs=5).test_accuracy > 0.95
    assert cb.train_torch((), features=("x1", "x2"), epochs=5).test_accuracy < 0.8


def test_l1_zeroes_more_weights_than_l2():
    options = dict(features=tuple(cb.FEATURES), noise=0.5, epochs=30, seed=0)
    l1 = cb.train_torch((8,), l1=0.01, **options)
    l2 = cb.train_torch((8,), l2=0.01, **options)
    assert cb.near_zero_fraction(l1) > cb.near_zero_fraction(l2) + 0.25


def test_invalid_arguments():
    with pytest.raises(ValueError, match="penalty"):
        cb.train_torch((4,), l2=-1.0)
    with pytest.raises(ValueError, match="epochs"):
        cb.train_torch((4,), epochs=0)
    with pytest.raises(ValueError, match="widths"):
        cb.train_torch((0,))


@pytest.mark.keras
def test_keras_matches_torch_from_the_same_initial_weights():
    pytest.importorskip("tensorflow")
    keras_run = cb.train_keras((), features=("x1", "x2", "x1*x2"), epochs=5, seed=0)
    torch_run = cb.train_torch((), features=("x1", "x2", "x1*x2"), epochs=5, seed=0)
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

    exact = cb.PlaygroundRun(history={"test_accuracy": [1.0]}, kernels=[],
                             predict=lambda points: (points[:, 0] * points[:, 1] >= 0).astype(float))
    fig = cb.plot_boundaries({f"run {index}": exact for index in range(n_runs)})
    visible = [ax for ax in fig.axes if ax.axison]
    assert len(visible) == n_runs
    assert fig.get_size_inches()[0] <= 11  # legible at the width of a page (README)
    rows = {round(ax.get_position().y0, 3) for ax in visible}
    columns = {round(ax.get_position().x0, 3) for ax in visible}
    assert (len(rows), len(columns)) == grid
    plt.close(fig)
