"""Ex. 10.1 package code: settings, results, sky geometry, Keras BatchNorm recalibration."""

import numpy as np
import pytest

from dlpbook.exercises import skymaps
from dlpbook.validation import ParameterError

TINY = skymaps.SkyMapSettings(n_train=32, n_test=8, n_rays=20, signal_fraction=0.5, epochs=1, batch_size=16,
                              recalibration_batches=2)


def test_full_profile_is_the_original_exercise():
    full = skymaps.SkyMapSettings.for_profile("full")
    assert (full.n_train, full.n_test, full.n_rays, full.signal_fraction) == (40_000, 10_000, 500, 0.08)
    assert (full.k, full.epochs, full.batch_size, full.lr, full.weight_decay) == (8, 4, 64, 3e-3, 1e-4)
    assert full == skymaps.SkyMapSettings()


@pytest.mark.parametrize("change, name", [
    ({"n_rays": 8}, "n_rays"),  # k = 8 needs 9 rays
    ({"n_rays": 501}, "n_rays"),
    ({"signal_fraction": 0.0}, "signal_fraction"),
    ({"batch_size": 33}, "batch_size"),  # more than n_train
    ({"weight_decay": -1e-4}, "weight_decay"),
    ({"k": 0}, "k"),
    ({"seed": -1}, "seed"),
])
def test_bad_settings_are_refused(change, name):
    with pytest.raises(ParameterError) as error:
        TINY.replace(**change)
    assert error.value.name == name


def test_sky_maps_keep_the_first_rays_and_differ_between_train_and_test():
    sets = skymaps.sky_maps(TINY)
    assert sets["train"]["data"].shape == (32, 20, 4) and sets["test"]["data"].shape == (8, 20, 4)
    assert set(np.unique(sets["train"]["label"])) == {0, 1}
    assert not np.allclose(sets["train"]["data"][:8], sets["test"]["data"])


def test_torch_run_is_cached_and_complete():
    run = skymaps.train_torch(TINY)
    again = skymaps.train_torch(TINY)  # read back from the result cache
    assert run.n_parameters == skymaps.N_PARAMETERS
    assert run.loss.shape == (1,) and 0 <= run.accuracy_running <= 1 and 0 <= run.accuracy_recalibrated <= 1
    assert run.fixed_graph.shape == run.dynamic_graph.shape == (20, 8)
    assert run.example_map.shape == (20, 4)
    for field in ("loss", "example_map", "fixed_graph", "dynamic_graph"):
        np.testing.assert_array_equal(getattr(again, field), getattr(run, field))
    assert again.accuracy_recalibrated == run.accuracy_recalibrated
    # the fixed graph is the kNN graph of the directions, the ray itself excluded
    directions = run.example_map[:, :3].astype(float)
    distance = np.linalg.norm(directions[:, None] - directions[None], axis=-1)
    np.fill_diagonal(distance, np.inf)
    np.testing.assert_array_equal(np.sort(run.fixed_graph, axis=1), np.sort(np.argsort(distance, axis=1)[:, :8], axis=1))


def test_run_survives_the_trip_through_arrays():
    run = skymaps.SkyMapRun(4770, np.array([0.6, 0.5]), 0.5, 0.9, np.ones((3, 4)), 0.7,
                            np.zeros((3, 2), int), np.ones((3, 2), int))
    back = skymaps.SkyMapRun.from_arrays(run.to_arrays())
    assert back.n_parameters == 4770 and back.accuracy_recalibrated == 0.9 and back.example_score == 0.7
    np.testing.assert_array_equal(back.dynamic_graph, run.dynamic_graph)


def test_example_map_is_the_signal_map_with_the_clearest_streets():
    test = skymaps.sky_maps(TINY.replace(n_test=20, n_rays=500))["test"]
    index = skymaps.example_index(test)
    assert test["label"][index] == 1
    pairs = skymaps.skymap_data.close_pairs(test["data"][..., :3], 5.0)
    assert pairs[index] == pairs[test["label"] == 1].max()


def test_great_circle_pieces_follow_the_arc_and_skip_the_seam():
    a, b = np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])  # along the equator, 90 degrees
    pieces = skymaps.great_circle_segments(a, b, 5)
    assert pieces.shape == (4, 2, 2)
    np.testing.assert_allclose(pieces[:, :, 1], 0.0, atol=1e-12)  # latitude 0 all along
    np.testing.assert_allclose(pieces[0, 0], [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(pieces[-1, 1], [-np.pi / 2, 0.0], atol=1e-12)  # east is drawn to the left
    # across longitude 180 degrees: the one piece that jumps from one edge of the map to the other is left out
    c, d = np.array([[-1.0, 0.1, 0.0]]), np.array([[-1.0, -0.1, 0.0]])
    assert len(skymaps.great_circle_segments(c / np.linalg.norm(c), d / np.linalg.norm(d), 6)) == 4
    assert len(skymaps.great_circle_segments(a, a, 3)) == 2  # a point: pieces of zero length


def test_neighbour_angles_and_shared_neighbours():
    directions = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0]], dtype=float)
    example = np.column_stack([directions, np.ones(4)])
    fixed = np.array([[1], [0], [0], [1]])
    dynamic = np.array([[1], [2], [3], [0]])
    run = skymaps.SkyMapRun(0, np.zeros(1), 0.5, 0.5, example, 0.5, fixed, dynamic)
    angles = skymaps.neighbour_distances(run)
    np.testing.assert_allclose(angles["fixed"][:, 0], [90, 90, 90, 90])
    np.testing.assert_allclose(angles["dynamic"][:, 0], [90, 90, 90, 180])
    assert skymaps.shared_neighbours(run) == 0.25
    assert set(skymaps.highlighted_rays(run)) == {"ray in a street", "isolated ray"}


@pytest.mark.keras
def test_keras_recalibration_averages_the_batch_statistics():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn

    keras = keras_nn.keras()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, use_bias=False), keras.layers.BatchNormalization()])
    x = np.random.default_rng(0).normal(size=(40, 3)).astype(np.float32) * 3 + 1
    skymaps.recalibrate_keras_batch_norm(model, x, batch_size=10, max_batches=3, seed=5)
    norm = model.layers[-1]
    assert norm.momentum == 0.99  # restored
    order = np.random.default_rng(5).permutation(40)[:30].reshape(3, 10)
    hidden = x @ np.asarray(model.layers[0].kernel)
    expected = np.mean([hidden[np.sort(batch)].mean(axis=0) for batch in order], axis=0)
    np.testing.assert_allclose(np.asarray(norm.moving_mean), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="fewer than one batch"):
        skymaps.recalibrate_keras_batch_norm(model, x[:5], batch_size=10)
    with pytest.raises(ValueError, match="no BatchNormalization"):
        skymaps.recalibrate_keras_batch_norm(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]), x)


def test_layer_graph_figure_has_two_sky_panels():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = skymaps.train_torch(TINY)
    fig = skymaps.plot_layer_graphs(run, title="test")
    skies = [ax for ax in fig.axes if ax.name == "hammer"]
    assert len(skies) == 2 and all(len(ax.collections) >= 3 for ax in skies)
    plt.close(fig)
