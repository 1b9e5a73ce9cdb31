"""Toy jet images: prong structure, mass, p_T normalisation, N-subjettiness."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import jets


@pytest.fixture(scope="module")
def sample():
    events = jets.simulate(900, seed=2)
    taus = [jets.n_subjettiness(events["images"], n) for n in (1, 2, 3)]
    return events, taus


def _auc(signal, background):
    """Probability that a random signal value is smaller than a random background value."""
    return (signal[:, None] < background[None, :]).mean()


def test_shapes_dtypes_and_labels(sample):
    events, _ = sample
    assert events["images"].shape == (900, 40, 40) and events["images"].dtype == np.float32
    assert events["label"].dtype == np.int64 and set(np.unique(events["label"])) == {0, 1, 2}
    assert np.bincount(events["label"]).min() > 250
    assert jets.simulate(6, seed=0, pixels=32)["images"].shape == (6, 32, 32)
    only_top = jets.simulate(50, seed=0, classes="0,2")["label"]
    assert set(np.unique(only_top)) == {0, 2}


def test_determinism():
    a = data.simulate("jets", 40, seed=7)
    np.testing.assert_array_equal(a["images"], jets.simulate(40, seed=7)["images"])
    assert not np.array_equal(a["images"], jets.simulate(40, seed=8)["images"])


def test_total_pt_is_kept_in_the_window(sample):
    events, _ = sample
    ratio = events["images"].sum(axis=(1, 2)) / events["pt_gev"]
    assert np.all(ratio <= 1 + 1e-5)
    assert ratio.mean() > 0.99
    assert np.all((events["pt_gev"] >= 500) & (events["pt_gev"] <= 600))


def test_jet_mass_peaks_at_the_resonances(sample):
    events, _ = sample
    mass = jets.jet_mass(events["images"])
    medians = [np.median(mass[events["label"] == c]) for c in range(3)]
    assert medians[0] < 50
    assert medians[1] == pytest.approx(jets.W_MASS_GEV, rel=0.1)
    assert medians[2] == pytest.approx(jets.TOP_MASS_GEV, rel=0.15)


def test_jet_mass_of_two_pixels():
    image = np.zeros((1, 40, 40))
    image[0, 20, 10] = image[0, 20, 29] = 100.0  # same phi, Delta eta = 19 pixels * 0.05
    eta, _ = jets.pixel_centres(40)
    d_eta = eta[20, 29] - eta[20, 10]
    expected = np.sqrt(2 * 100.0 * 100.0 * (np.cosh(d_eta) - 1))  # two massless particles
    assert jets.jet_mass(image)[0] == pytest.approx(expected, rel=1e-9)


def test_n_subjettiness_separates_the_classes(sample):
    events, (tau1, tau2, tau3) = sample
    label = events["label"]
    tau21, tau32 = tau2 / tau1, tau3 / tau2
    assert _auc(tau21[label == 1], tau21[label == 0]) > 0.85
    assert _auc(tau32[label == 2], tau32[label == 0]) > 0.9
    assert _auc(tau32[label == 2], tau32[label == 1]) > 0.9


def test_n_subjettiness_of_point_like_prongs():
    image = np.zeros((1, 40, 40))
    image[0, 5, 5] = image[0, 30, 30] = 1.0
    tau1, tau2 = (jets.n_subjettiness(image, n)[0] for n in (1, 2))
    spacing = 25 * 2 * jets.HALF_WIDTH / 40 * np.sqrt(2)
    assert tau1 == pytest.approx(spacing / 2) and tau2 == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"classes": "0,3"}, "distinct labels from 0, 1, 2"),
        ({"classes": "0,0"}, "distinct labels from 0, 1, 2"),
        ({"classes": "a"}, "classes must be distinct labels"),
        ({"pixels": 4}, r"pixels must be an integer >= 8 and <= 128"),
        ({"seed": -2}, "seed must be an integer >= 0"),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        jets.simulate(5, **kwargs)


def test_observable_errors():
    with pytest.raises(ValueError, match=r"shape \(n, H, H\)"):
        jets.jet_mass(np.zeros((3, 40)))
    with pytest.raises(ValueError, match="n_axes must be an integer >= 1"):
        jets.n_subjettiness(np.zeros((1, 8, 8)), 0)
