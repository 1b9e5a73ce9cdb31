"""Toy electromagnetic showers in the seven-layer calorimeter of Fig. 18.12."""

import numpy as np
import pytest
from scipy import integrate

from dlpbook import data
from dlpbook.data import calorimeter

ENERGIES = (10.0, 32.0, 70.0, 90.0)


@pytest.fixture(scope="module")
def showers():
    return calorimeter.simulate(1600, seed=3, energies=ENERGIES)


def test_shapes_dtypes_and_energies(showers):
    assert showers["images"].shape == (1600, 7, 16, 16) and showers["images"].dtype == np.float32
    assert showers["energy"].shape == (1600,) and showers["impact_mm"].shape == (1600, 2)
    assert set(np.unique(showers["energy"])) == set(ENERGIES)
    assert np.all(showers["images"] >= 0)
    small = calorimeter.simulate(5, seed=0, pixels=8, spectrum="uniform", energies="20,100")
    assert small["images"].shape == (5, 7, 8, 8)
    assert np.all((small["energy"] >= 20) & (small["energy"] <= 100))


def test_determinism():
    a = data.simulate("calorimeter", 30, seed=9)
    b = calorimeter.simulate(30, seed=9)
    np.testing.assert_array_equal(a["images"], b["images"])
    assert not np.array_equal(a["images"], calorimeter.simulate(30, seed=10)["images"])


def test_profile_is_normalised_and_peaks_at_t_max():
    t_max = calorimeter.shower_maximum_x0(50.0)
    assert t_max == pytest.approx(np.log(50.0 / 7.43e-3) - 0.5)
    total, _ = integrate.quad(calorimeter.longitudinal_profile, 0, 80, args=(t_max,))
    assert total == pytest.approx(1.0, rel=1e-6)
    depth = np.linspace(0.1, 30, 30_000)
    assert depth[np.argmax(calorimeter.longitudinal_profile(depth, t_max))] == pytest.approx(t_max, abs=0.01)


def test_energy_response_is_linear_with_stochastic_resolution(showers):
    reco = calorimeter.calibrated_energy(showers["images"])
    response, stochastic = [], []
    for energy in ENERGIES:
        ratio = reco[showers["energy"] == energy] / energy
        response.append(ratio.mean())
        stochastic.append(ratio.std() / ratio.mean() * np.sqrt(energy))
    # lateral leakage and zero suppression lose about 4 %, the same fraction at every energy
    assert np.ptp(response) < 0.03 and 0.9 < np.mean(response) < 1.0
    # sigma / E = a / sqrt(E): a stays put while sigma / E falls by a factor of three
    assert 0.18 < np.mean(stochastic) < 0.35
    assert np.ptp(stochastic) / np.mean(stochastic) < 0.2


def test_shower_maximum_moves_deeper_with_log_energy(showers):
    layer_energy = showers["images"].sum(axis=(2, 3)) * calorimeter.layer_weights_x0()
    depth = layer_energy @ calorimeter.LAYER_DEPTHS_X0 / layer_energy.sum(axis=1)
    means = [depth[showers["energy"] == energy].mean() for energy in ENERGIES]
    slope = np.polyfit(np.log(ENERGIES), means, 1)[0]
    assert slope == pytest.approx(1.0, abs=0.2)  # d t_max / d ln E = 1 X0
    peak_layer = [np.median(layer_energy[showers["energy"] == e].argmax(axis=1)) for e in ENERGIES]
    assert peak_layer[0] < peak_layer[-1]


def test_transverse_spread_is_energy_independent_and_grows_with_depth(showers):
    centres = (np.arange(16) - 7.5) * calorimeter.FIELD_OF_VIEW_MM / 16
    rms = []
    for energy in (32.0, 90.0):
        column_sum = showers["images"][showers["energy"] == energy].sum(axis=(0, 2))  # (7, 16)
        mean = column_sum @ centres / column_sum.sum(axis=1)
        rms.append(np.sqrt(column_sum @ centres**2 / column_sum.sum(axis=1) - mean**2))
    np.testing.assert_allclose(rms[0][:5], rms[1][:5], rtol=0.05)
    assert np.all(np.diff(rms[1]) > 0)


def test_noise_and_zero_suppression():
    quiet = calorimeter.simulate(50, seed=1, noise_mev=0.0)
    noisy = calorimeter.simulate(50, seed=1, noise_mev=0.5)
    assert (noisy["images"] > 0).mean() < (quiet["images"] > 0).mean()
    positive = noisy["images"][noisy["images"] > 0]
    assert positive.min() >= 1.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"energies": "32,abc"}, "comma-separated numbers"),
        ({"energies": "0.1,32"}, r"energies must be comma-separated numbers of GeV in \[1, 1000\]"),
        ({"energies": [2000.0]}, "energies must be comma-separated numbers"),
        ({"spectrum": "gaussian"}, "spectrum must be one of 'discrete', 'uniform'"),
        ({"pixels": 2}, r"pixels must be an integer >= 4 and <= 64"),
        ({"noise_mev": -1.0}, "noise_mev must be a finite number >= 0"),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        calorimeter.simulate(5, **kwargs)


def test_calibrated_energy_checks_shape():
    with pytest.raises(ValueError, match=r"shape \(n, 7, H, W\)"):
        calorimeter.calibrated_energy(np.zeros((3, 6, 16, 16)))
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        calorimeter.simulate(0)
