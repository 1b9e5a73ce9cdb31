"""Decorrelation toy (Exercise 13.1): mass shapes, documented correlations, determinism."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import decorrelation


@pytest.fixture(scope="module")
def events():
    return decorrelation.simulate(40_000, seed=1)


def test_shapes_and_labels(events):
    assert events["x"].shape == (40_000, 5) and events["x"].dtype == np.float64
    assert events["label"].dtype == np.int64 and set(np.unique(events["label"])) == {0, 1}
    assert events["label"].mean() == pytest.approx(0.5, abs=0.01)
    assert len(decorrelation.FEATURE_NAMES) == 5


def test_signal_peaks_at_80_gev(events):
    mass = events["x"][events["label"] == 1, 0]
    counts, edges = np.histogram(mass, bins=np.arange(20, 200, 5))
    assert edges[np.argmax(counts)] + 2.5 == pytest.approx(decorrelation.SIGNAL_MASS_GEV, abs=5)
    assert np.median(mass) == pytest.approx(80.0, abs=0.5)
    assert mass.std() == pytest.approx(10.0, rel=0.03)


def test_background_falls_exponentially_from_20_gev(events):
    mass = events["x"][events["label"] == 0, 0]
    assert mass.min() >= decorrelation.MASS_THRESHOLD_GEV
    assert (mass - 20).mean() == pytest.approx(50.0, rel=0.03)
    counts, _ = np.histogram(mass, bins=np.arange(20, 220, 20))
    assert np.all(np.diff(counts) < 0)


def test_documented_correlations_with_the_mass_in_background(events):
    background = events["x"][events["label"] == 0]
    r = [np.corrcoef(background[:, 0], background[:, j])[0, 1] for j in range(1, 5)]
    assert r[0] > 0.95  # m / 100
    assert r[1] > 0.85  # sqrt(m)
    assert r[2] > 0.75  # ln(m / 20)
    assert abs(r[3]) < 0.03  # independent feature


def test_every_feature_discriminates(events):
    x, label = events["x"], events["label"]
    # at fixed mass (a 70-90 GeV window) features 1-3 still separate signal from background
    window = (x[:, 0] > 70) & (x[:, 0] < 90)
    for j, shift in ((1, 0.1), (2, 0.5), (3, 0.2)):
        difference = x[window & (label == 1), j].mean() - x[window & (label == 0), j].mean()
        assert difference == pytest.approx(shift, abs=0.3 * shift)
    assert x[label == 1, 4].mean() - x[label == 0, 4].mean() == pytest.approx(1.0, abs=0.05)


def test_determinism_and_registry():
    first = data.simulate("decorrelation", 100, seed=3, signal_fraction=0.3)
    np.testing.assert_array_equal(first["x"], decorrelation.simulate(100, seed=3, signal_fraction=0.3)["x"])
    np.testing.assert_array_equal(data.load("decorrelation", 100, seed=3, signal_fraction=0.3)["x"], first["x"])
    assert not np.array_equal(first["x"], decorrelation.simulate(100, seed=4, signal_fraction=0.3)["x"])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2])
def test_signal_fraction_is_validated(fraction):
    with pytest.raises(ValueError, match=r"signal_fraction must be a finite number > 0 and < 1,"):
        decorrelation.simulate(10, signal_fraction=fraction)
