"""Spiral-galaxy images: winding labels, mirror symmetry, intensity range, determinism."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import galaxies


@pytest.fixture(scope="module")
def sample():
    return galaxies.simulate(1000, seed=0)


def test_shapes_dtypes_and_intensity_range(sample):
    assert sample["images"].shape == (1000, 32, 32) and sample["images"].dtype == np.float32
    assert sample["label"].shape == (1000,) and sample["label"].dtype == np.int64
    assert set(np.unique(sample["label"])) == {0, 1}
    assert sample["images"].min() >= 0.0 and sample["images"].max() <= 1.0
    assert np.all(sample["images"].max(axis=(1, 2)) > 0.9)
    assert set(np.unique(sample["n_arms"])) == {2, 3, 4}
    assert 10 <= sample["pitch_deg"].min() and sample["pitch_deg"].max() <= 30
    assert sample["label"].mean() == pytest.approx(0.5, abs=0.05)


def test_winding_statistic_agrees_with_the_label(sample):
    statistic = galaxies.winding_statistic(sample["images"])
    agreement = np.mean((statistic > 0) == (sample["label"] == 1))
    assert agreement > 0.95


def test_mirroring_flips_the_winding(sample):
    images = sample["images"][:200]
    statistic = galaxies.winding_statistic(images)
    mirrored = galaxies.winding_statistic(images[:, :, ::-1])
    np.testing.assert_allclose(mirrored, -statistic, atol=1e-9)
    # a mirrored left-winding set is statistically a right-winding set
    left = sample["images"][sample["label"] == 1][:200]
    mirrored_left = galaxies.winding_statistic(left[:, :, ::-1])
    assert np.mean(mirrored_left < 0) > 0.95


def test_noise_free_face_on_spirals_are_classified_exactly():
    k = 6
    for chirality in (1.0, -1.0):
        params = {
            "chirality": np.full(k, chirality),
            "n_arms": np.array([2.0, 2, 3, 3, 4, 4]),
            "pitch": np.deg2rad([10.0, 30, 10, 30, 10, 30]),
            "arm_phase": np.linspace(0, 3, k),
            "arm_width": np.full(k, 1.5),
            "scale_length": np.full(k, 4.5),
            "position_angle": np.zeros(k),
            "axis_ratio": np.ones(k),
            "dx": np.zeros(k),
            "dy": np.zeros(k),
            "sersic_index": np.ones(k),
            "effective_radius": np.full(k, 1.5),
            "bulge_peak": np.ones(k),
        }
        statistic = galaxies.winding_statistic(galaxies._images(params))
        assert np.all(np.sign(statistic) == chirality)
        assert np.all(np.abs(statistic) > 0.5)


def test_round_light_has_no_winding():
    radius = np.hypot(*(np.mgrid[0:32, 0:32] - 15.5))
    assert galaxies.winding_statistic(np.exp(-radius / 4)) == pytest.approx(0.0, abs=1e-9)
    assert galaxies.winding_statistic(np.zeros((32, 32))) == 0.0


def test_determinism_cache_and_noise_parameter():
    first = data.simulate("galaxies", 20, seed=3)
    np.testing.assert_array_equal(first["images"], galaxies.simulate(20, seed=3)["images"])
    assert not np.array_equal(first["images"], galaxies.simulate(20, seed=4)["images"])
    np.testing.assert_array_equal(data.load("galaxies", 20, seed=3)["images"], first["images"])
    clean = galaxies.simulate(20, seed=3, noise=0.0)
    noisy = galaxies.simulate(20, seed=3, noise=0.1)
    np.testing.assert_array_equal(clean["label"], noisy["label"])
    assert np.abs(noisy["images"] - clean["images"]).mean() > 0.03


def test_errors():
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        galaxies.simulate(5, noise=-0.1)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        galaxies.simulate(0)
    with pytest.raises(ValueError, match="images must have shape"):
        galaxies.winding_statistic(np.zeros((3, 28, 28)))
