"""SAXS speckle pairs (Exercise 17.1): speckle statistics, intensity, form factor, loader."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import speckles


@pytest.fixture(scope="module")
def pairs():
    return speckles.simulate(200, seed=4)


def test_shapes_dtypes_and_keys(pairs):
    assert pairs["target_images"].shape == (200, 64, 64, 1)
    assert pairs["speckle_images"].shape == (200, 64, 64, 1)
    assert pairs["target_images"].dtype == np.float32 and pairs["speckle_images"].dtype == np.float32
    assert pairs["radius_nm"].shape == (200,)
    assert np.all(pairs["speckle_images"] == np.round(pairs["speckle_images"]))  # Poisson counts
    assert np.all(pairs["target_images"] >= 0)


def test_determinism_and_seed_dependence():
    a = data.simulate("speckles", 20, seed=1)
    b = speckles.simulate(20, seed=1)
    c = speckles.simulate(20, seed=2)
    np.testing.assert_array_equal(a["speckle_images"], b["speckle_images"])
    assert not np.array_equal(a["speckle_images"], c["speckle_images"])


@pytest.mark.parametrize("modes", [1, 4, 9])
def test_speckle_field_has_gamma_statistics(modes):
    field = speckles.speckle_fields(100, np.random.default_rng(modes), modes=modes)
    assert field.mean() == pytest.approx(1.0, abs=0.01)
    assert field.std() / field.mean() == pytest.approx(1 / np.sqrt(modes), rel=0.03)
    if modes == 1:  # fully developed speckle: exponential, P(s > 2) = exp(-2)
        assert (field > 2).mean() == pytest.approx(np.exp(-2), rel=0.03)


@pytest.mark.parametrize("modes", [1, 4])
def test_speckle_contrast_in_the_images(modes):
    pairs = speckles.simulate(100, seed=5, modes=modes)
    clean, speckled = pairs["target_images"], pairs["speckle_images"]
    bright = clean > 3e3  # Poisson noise adds at most 1/3000 to the relative variance here
    ratio = speckled[bright] / clean[bright]
    assert ratio.std() == pytest.approx(1 / np.sqrt(modes), rel=0.05)


def test_mean_intensity_is_preserved(pairs):
    ratio = pairs["speckle_images"].sum(axis=(1, 2, 3)) / pairs["target_images"].sum(axis=(1, 2, 3))
    # a few bright speckle grains near the beam stop dominate each sum: compare with the standard error
    assert abs(ratio.mean() - 1.0) < 3 * ratio.std() / np.sqrt(len(ratio))
    assert ratio.mean() == pytest.approx(1.0, abs=0.05)


def test_patterns_span_decades(pairs):
    clean = pairs["target_images"][..., 0]
    corners = clean[:, [0, 0, -1, -1], [0, -1, 0, -1]].min(axis=1)
    assert np.median(np.log10(clean.max(axis=(1, 2)) / corners)) > 3


def test_sphere_form_factor_zero_and_forward_value():
    assert speckles.sphere_form_factor(0.0, 5.0) == pytest.approx(1.0)
    assert speckles.sphere_form_factor(speckles.FIRST_MINIMUM_QR / 5.0, 5.0) == pytest.approx(0.0, abs=1e-12)
    assert np.tan(speckles.FIRST_MINIMUM_QR) == pytest.approx(speckles.FIRST_MINIMUM_QR)


def test_clean_radial_profile_has_its_first_minimum_at_qR_4_49():
    pairs = speckles.simulate(10, seed=6, max_polydispersity=0.0, max_volume_fraction=0.0, max_anisotropy=0.0)
    q_x, q_y = speckles.q_grid()
    pixel = np.rint(np.hypot(q_x, q_y) / (2 * speckles.Q_MAX_NM / speckles.SIZE_PX)).astype(int).ravel()
    pitch = 2 * speckles.Q_MAX_NM / speckles.SIZE_PX
    for image, radius in zip(pairs["target_images"][..., 0], pairs["radius_nm"]):
        profile = np.bincount(pixel, image.ravel()) / np.bincount(pixel)
        start = 4  # beyond the beam stop
        minima = [i for i in range(start, 31) if profile[i] < profile[i - 1] and profile[i] < profile[i + 1]]
        # integer-radius bins locate the minimum to one pixel; the next zero (qR = 7.73) is far off
        assert abs(minima[0] * pitch * radius - speckles.FIRST_MINIMUM_QR) <= pitch * radius


def test_polydispersity_fills_the_minima():
    q = np.linspace(0.01, 1.0, 400)
    radius = np.array([5.0, 5.0])
    smeared = speckles.polydisperse_intensity(q, radius, np.array([0.0, 0.2]))
    near_minimum = np.abs(q * 5.0 - speckles.FIRST_MINIMUM_QR) < 0.02
    assert smeared[0, near_minimum].min() < 1e-5 < 1e-3 < smeared[1, near_minimum].min()


def test_percus_yevick_limits():
    eta = 0.3
    assert speckles.percus_yevick(0.0, 5.0, eta) == pytest.approx((1 - eta) ** 4 / (1 + 2 * eta) ** 2, rel=0.005)
    assert speckles.percus_yevick(20.0, 5.0, eta) == pytest.approx(1.0, abs=0.01)
    assert speckles.percus_yevick(0.5, 5.0, 0.0) == pytest.approx(1.0)


def test_normalise_pairs_follows_the_exercise(pairs):
    target, speckle = speckles.normalise_pairs(pairs["target_images"], pairs["speckle_images"])
    assert target.dtype == np.float32 and target.shape == pairs["target_images"].shape
    np.testing.assert_allclose(speckle.max(axis=(1, 2, 3)), 1.0, rtol=1e-6)
    assert target.min() >= 0 and target.max() <= 1.1
    expected = np.log10(pairs["target_images"][0] + 1.0) / np.log10(pairs["speckle_images"][0].max() + 1.0)
    np.testing.assert_allclose(target[0], np.clip(expected, 0, 1.1), rtol=1e-5)


def test_read_original_format(tmp_path):
    target = np.random.default_rng(0).uniform(0, 100, (3, 64, 64, 1))
    path = tmp_path / "speckles.npz"
    np.savez(path, target_images=target, speckle_images=2 * target)
    arrays = speckles.read_speckles_npz(path)
    np.testing.assert_allclose(arrays["speckle_images"], 2 * target, rtol=1e-6)
    np.savez(path, target_images=target)
    with pytest.raises(KeyError, match="speckle_images"):
        speckles.read_speckles_npz(path)
    np.savez(path, target_images=target, speckle_images=target[..., 0])
    with pytest.raises(ValueError, match="equal shape"):
        speckles.read_speckles_npz(path)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"modes": 0}, "modes must be an integer >= 1"),
        ({"modes": 1.5}, "modes must be an integer >= 1"),
        ({"modes": 10**6}, "modes must be an integer >= 1 and <= 1000"),
        ({"grain_px": 0.5}, "grain_px must be a finite number >= 1"),
        ({"max_polydispersity": -0.1}, "max_polydispersity must be a finite number >= 0"),
        ({"max_volume_fraction": 0.6}, "max_volume_fraction must be a finite number >= 0"),
        ({"max_anisotropy": 1.0}, "max_anisotropy must be a finite number >= 0"),
        ({"beamstop_px": -1.0}, "beamstop_px must be a finite number >= 0"),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        speckles.simulate(5, **kwargs)


def test_count_and_seed_errors():
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        speckles.simulate(0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        speckles.simulate(5, seed=-1)
