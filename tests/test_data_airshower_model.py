"""Building blocks of the air-shower toy: atmosphere, Xmax, station arrays, primaries."""

import numpy as np
import pytest
from scipy import integrate, special, stats

from dlpbook.data.airshower import array, atmosphere, footprints, xmax


def test_atmosphere_depth_at_sea_level_and_at_the_auger_altitude():
    # a0 + b0 of CORSIKA atmosphere 17 (the US standard value is 1036 g/cm^2)
    assert atmosphere.vertical_depth(0.0) == pytest.approx(1033.805, abs=1e-3)
    assert atmosphere.vertical_depth(array.ALTITUDE_M) == pytest.approx(872.29, abs=0.01)
    assert atmosphere.vertical_depth(200_000.0) == 0.0


def test_atmosphere_is_continuous_and_inverted():
    edges = atmosphere.LAYER_BOTTOM_M[1:]
    below, above = atmosphere.vertical_depth(edges - 1e-3), atmosphere.vertical_depth(edges + 1e-3)
    np.testing.assert_allclose(below, above, rtol=1e-4)
    heights = np.linspace(0.0, 110_000.0, 500)
    depth = atmosphere.vertical_depth(heights)
    assert np.all(np.diff(depth) < 0)
    np.testing.assert_allclose(atmosphere.height_at_vertical_depth(depth), heights, atol=0.5)
    zenith = np.deg2rad(60.0)
    assert atmosphere.slant_depth(1400.0, zenith) == pytest.approx(2 * 872.293, abs=0.01)
    assert atmosphere.height_at_slant_depth(800.0, zenith) == pytest.approx(atmosphere.height_at_vertical_depth(400.0))
    with pytest.raises(ValueError, match="depth must be >= 0"):
        atmosphere.height_at_vertical_depth(-1.0)


@pytest.mark.parametrize("mass", [1.0, 56.0])
def test_xmax_moments_are_those_of_the_gumbel_density(mass):
    mu, sigma, lam = xmax.gumbel_parameters(19.0, mass)

    def density(x):
        z = (x - mu) / sigma
        return np.exp(lam * np.log(lam) - special.gammaln(lam) - lam * z - lam * np.exp(-z)) / sigma

    limits = (mu - 20 * sigma, mu + 60 * sigma)
    norm = integrate.quad(density, *limits, limit=200)[0]
    mean = integrate.quad(lambda x: x * density(x), *limits, limit=200)[0]
    second = integrate.quad(lambda x: (x - mean) ** 2 * density(x), *limits, limit=200)[0]
    expected_mean, expected_rms = xmax.xmax_moments(19.0, mass)
    assert norm == pytest.approx(1.0, abs=1e-6)
    assert expected_mean == pytest.approx(mean, abs=1e-3)
    assert expected_rms == pytest.approx(np.sqrt(second), abs=1e-3)


@pytest.mark.parametrize(("mass", "mean", "rms"), [(1.0, 808.17, 59.10), (56.0, 711.80, 16.67)])
def test_sampled_xmax_matches_the_parametrisation_at_10_eev(mass, mean, rms):
    assert np.allclose(xmax.xmax_moments(19.0, mass), (mean, rms), atol=0.01)
    n = 40_000
    sample = xmax.sample_xmax(np.full(n, 19.0), mass, np.random.default_rng(7))
    assert sample.mean() == pytest.approx(mean, abs=4 * rms / np.sqrt(n))
    assert sample.std() == pytest.approx(rms, rel=0.03)


def test_xmax_redraw_keeps_the_maximum_above_the_limit():
    limit = 850.0
    sample = xmax.sample_xmax(np.full(20_000, 19.0), 1.0, np.random.default_rng(1), limit)
    assert sample.max() <= limit
    # the redraw gives the truncated density: the fraction below 780 grows by 1 / P(X <= limit)
    free = xmax.sample_xmax(np.full(200_000, 19.0), 1.0, np.random.default_rng(2))
    expected = np.mean(free < 780) / np.mean(free <= limit)
    assert np.mean(sample < 780) == pytest.approx(expected, abs=0.012)


def test_xmax_rejects_non_positive_mass():
    with pytest.raises(ValueError, match="mass must be a finite number >= 1.0 and <= 56.0"):
        xmax.gumbel_parameters(19.0, 0.0)


def test_hexagonal_array_has_six_neighbours_at_1500_m():
    grid = array.station_array("hex9")
    positions = grid.positions_m.reshape(-1, 2)
    distance = np.linalg.norm(positions[:, None] - positions[None], axis=-1)
    neighbours = np.sum(np.isclose(distance, 1500.0), axis=1).reshape(9, 9)
    assert np.all(neighbours[1:-1, 1:-1] == 6)
    assert distance[distance > 0].min() == pytest.approx(1500.0)
    assert grid.positions_m[4, 4] == pytest.approx([0.0, 0.0])
    assert grid.positions_m[5, 4] == pytest.approx([750.0, 1500.0 * np.sin(np.pi / 3)])


def test_cartesian_array_spacing_and_unknown_geometry():
    grid = array.station_array("cartesian14")
    positions = grid.positions_m
    assert positions.shape == (14, 14, 2)
    np.testing.assert_allclose(np.diff(positions[..., 0], axis=1), 750.0)
    np.testing.assert_allclose(np.diff(positions[..., 1], axis=0), 750.0)
    assert positions.mean(axis=(0, 1)) == pytest.approx([0.0, 0.0])
    with pytest.raises(ValueError, match="geometry must be one of 'cartesian14', 'hex9', got 'hex7'"):
        array.station_array("hex7")


def test_offset_and_axial_indices_are_inverse_and_match_positions():
    column, row = np.meshgrid(np.arange(-4, 5), np.arange(-4, 5))
    q, r = array.offset_to_axial(column, row)
    back = array.axial_to_offset(q, r)
    np.testing.assert_array_equal(back[0], column)
    np.testing.assert_array_equal(back[1], row)
    # axial x = q + r / 2 is the station's x position in units of the spacing
    x = array.station_array("hex9").positions_m[..., 0] / 1500.0
    np.testing.assert_allclose(q + 0.5 * r, x)


def test_primaries_zenith_energy_and_core_distributions():
    n = 20_000
    primaries = footprints.sample_primaries(n, np.random.default_rng(3), core_radius_m=750.0)
    cos2 = np.cos(primaries["zenith"]) ** 2
    assert stats.kstest(cos2, stats.uniform(loc=0.25, scale=0.75).cdf).pvalue > 0.01
    assert primaries["zenith"].max() <= np.deg2rad(60.0)
    assert stats.kstest(primaries["logE"], stats.uniform(loc=18.5, scale=1.5).cdf).pvalue > 0.01
    assert stats.kstest(primaries["azimuth"], stats.uniform(loc=-np.pi, scale=2 * np.pi).cdf).pvalue > 0.01
    core_r = np.linalg.norm(primaries["showercore"][:, :2], axis=1)
    assert core_r.max() <= 750.0
    assert stats.kstest((core_r / 750.0) ** 2, "uniform").pvalue > 0.01
    np.testing.assert_allclose(np.linalg.norm(primaries["showeraxis"], axis=1), 1.0)
    np.testing.assert_allclose(primaries["showeraxis"][:, 2], np.cos(primaries["zenith"]))
