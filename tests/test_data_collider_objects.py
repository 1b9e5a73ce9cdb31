"""The offline CIFAR-10 substitute: three-channel images of ten kinds of collider objects."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import collider_objects as co


@pytest.fixture(scope="module")
def objects():
    return co.simulate(2000, seed=0)


def test_shapes_dtypes_and_exact_class_balance(objects):
    assert objects["x"].shape == (2000, 32, 32, 3) and objects["x"].dtype == np.uint8
    assert objects["y"].shape == (2000,) and objects["y"].dtype == np.int64
    np.testing.assert_array_equal(np.bincount(objects["y"]), np.full(10, 200))
    assert np.all((objects["pt_gev"] >= 450) & (objects["pt_gev"] <= 550))
    assert len(co.CLASSES) == 10


def test_determinism_chunks_and_registry(objects):
    np.testing.assert_array_equal(co.simulate(1000, seed=0)["x"], objects["x"][:1000])
    assert not np.array_equal(co.simulate(1000, seed=1)["x"], objects["x"][:1000])
    np.testing.assert_array_equal(data.load("collider_objects", 1000, seed=0)["mass_gev"], objects["mass_gev"][:1000])


def test_invariant_mass_of_two_particles():
    # two massless particles of 100 GeV at Delta phi = 0.2, eta = 0: m^2 = 2 pT1 pT2 (1 - cos 0.2)
    mass = co.invariant_mass(np.array([[100.0, 100.0]]), np.array([[[0.0, 0.1], [0.0, -0.1]]]))
    assert mass[0] == pytest.approx(np.sqrt(2e4 * (1 - np.cos(0.2))))


def test_jet_mass_peaks_at_the_decaying_particle(objects):
    median = np.array([np.median(objects["mass_gev"][objects["y"] == c]) for c in range(10)])
    # fragmentation and the underlying event add a few GeV in quadrature
    for label, name, low, high in ((3, "W", 78, 92), (4, "Z", 88, 102), (5, "H", 112, 135), (6, "t", 160, 190)):
        assert low < median[label] < high, (co.CLASSES[label], median[label], co.MASS_GEV[name])
    assert np.all(np.diff(median[3:7]) > 0)
    assert np.all(median[[0, 1, 2, 7, 8, 9]] < 50)


def test_channels_tell_classes_apart(objects):
    x, y = objects["x"].astype(float), objects["y"]
    charged_sum = np.array([x[y == c, ..., 0].sum((1, 2)).mean() for c in range(10)])
    occupied = np.array([(x[y == c].max(-1) > 0).sum((1, 2)).mean() for c in range(10)])
    assert charged_sum[8] < 0.1 * charged_sum[0]  # photons leave (almost) no charged p_T
    assert occupied[1] > 1.5 * occupied[0]  # gluon jets have more particles than quark jets
    assert occupied[6] > occupied[3]  # three prongs occupy more pixels than two
    # bremsstrahlung of electrons spreads the neutral p_T along phi (rows), not eta (columns)
    rows, columns = np.mgrid[0:32, 0:32]
    green = np.where(x[y == 9, ..., 1] > 40, x[y == 9, ..., 1], 0)  # above 2.5 % of p_T: no underlying event
    weight = green / np.maximum(green.sum((1, 2), keepdims=True), 1)
    has = green.sum((1, 2)) > 0
    spread_rows = np.sqrt((weight * (rows - (weight * rows).sum((1, 2), keepdims=True)) ** 2).sum((1, 2)))[has]
    spread_columns = np.sqrt((weight * (columns - (weight * columns).sum((1, 2), keepdims=True)) ** 2).sum((1, 2)))[has]
    assert spread_rows.mean() > 0.3 and spread_columns.mean() < 0.05  # pixels


def test_errors():
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        co.simulate(0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        co.simulate(10, seed=-1)
