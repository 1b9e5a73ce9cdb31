"""The offline Fashion-MNIST substitute: pixel-detector images of ten event topologies."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import particle_tracks as pt


@pytest.fixture(scope="module")
def events():
    return pt.simulate(2000, seed=0)


def per_class(statistic, events):
    return np.array([statistic[events["y"] == c].mean() for c in range(10)])


def test_shapes_dtypes_and_exact_class_balance(events):
    assert events["x"].shape == (2000, 28, 28) and events["x"].dtype == np.uint8
    assert events["y"].shape == (2000,) and events["y"].dtype == np.int64
    np.testing.assert_array_equal(np.bincount(events["y"]), np.full(10, 200))
    assert len(pt.CLASSES) == 10
    assert all((events["x"][i] > 0).sum() >= 5 for i in range(2000))


def test_determinism_chunks_and_registry(events):
    np.testing.assert_array_equal(pt.simulate(2000, seed=0)["x"], events["x"])
    assert not np.array_equal(pt.simulate(1000, seed=1)["x"], events["x"][:1000])
    np.testing.assert_array_equal(pt.simulate(1000, seed=0)["x"], events["x"][:1000])
    np.testing.assert_array_equal(data.load("particle_tracks", 1000, seed=0)["y"], events["y"][:1000])


def test_ionisation_of_a_straight_track_is_one_mip_per_pixel(events):
    straight = events["x"][events["y"] == 0].astype(float) * pt.FULL_SCALE_MIP / 255
    # a track from the centre to the edge: 14 px to 19.8 px of path, about 1 MIP per px
    assert 14 < straight.sum((1, 2)).mean() < 20
    assert 0.8 < np.median(straight[straight > 0]) < 1.4


def test_noise_is_zero_suppressed():
    rng = np.random.default_rng(0)
    empty = pt.render(np.zeros((200, 1, 2)), np.zeros((200, 1)), rng)
    # threshold 0.2 MIP is 4 sigma of the 0.05 MIP noise: P = 3.2e-5 per pixel
    assert (empty > 0).mean() < 2e-4
    single = pt.render(np.array([[[3.5, 20.2]]]), np.array([[1.0]]), rng)
    assert single[0, 20, 3] == pytest.approx(255 / pt.FULL_SCALE_MIP, abs=8)


def test_curvature_sign_separates_positive_from_negative_tracks(events):
    rows, columns = np.mgrid[0:28, 0:28] + 0.5
    position = np.stack([columns - pt.CENTRE[0], rows - pt.CENTRE[1]], axis=-1)
    radius = np.linalg.norm(position, axis=-1)
    charge = events["x"].astype(float)
    inner = charge * ((radius > 2) & (radius < 6))
    direction = np.einsum("nij,ijk->nk", inner, position)
    outer = charge * (radius > 8)
    cross = direction[:, 0, None, None] * position[..., 1] - direction[:, 1, None, None] * position[..., 0]
    bending = np.sign((outer * cross).sum((1, 2)))
    y = events["y"]
    assert (bending[y == 1] > 0).mean() > 0.9
    assert (bending[y == 2] < 0).mean() > 0.9


def test_simple_statistics_single_out_classes(events):
    x = events["x"].astype(float)
    hits = per_class((x > 0).sum((1, 2)), events)
    saturated = per_class((x == 255).any((1, 2)).astype(float), events)
    rows, columns = np.mgrid[0:28, 0:28] + 0.5
    spread = per_class(np.sqrt((((rows - 14) ** 2 + (columns - 14) ** 2) * x).sum((1, 2)) / x.sum((1, 2))), events)
    assert saturated[8] > 0.95 and np.delete(saturated, 8).max() < 0.1  # showers saturate the ADC
    assert hits.argmin() == 7  # stopping tracks are shortest
    assert np.argsort(hits)[-1] in (3, 9)  # loopers and track pairs have the most hits
    assert set(np.argsort(spread)[:2]) == {3, 7}  # loopers and stopping tracks stay near the centre
    assert hits[3] > 3 * hits[7]  # ... but loopers have many more hits
    assert spread[0] > 1.5 * spread[3]


def test_errors():
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        pt.simulate(0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        pt.simulate(10, seed=-2)
    with pytest.raises(TypeError, match="n must be an integer"):
        pt.simulate(2.5)
