"""Toy illustration samples of Part 1 (dlpbook.data.toys): shapes, determinism, physics, validation."""

import numpy as np
import pytest

from dlpbook.data import datasets, toys

SAMPLERS = [
    lambda seed: toys.signal_background_sample(300, seed=seed),
    lambda seed: toys.curved_classes(300, seed=seed),
    lambda seed: toys.noisy_curve(50, seed=seed),
    lambda seed: toys.sensor_pulse(seed=seed),
    lambda seed: toys.hexagonal_camera_image(seed=seed),
    lambda seed: toys.collision_event(seed=seed),
    lambda seed: toys.pulse_sequences(seed=seed),
]


@pytest.mark.parametrize("sample", SAMPLERS)
def test_same_seed_same_arrays_other_seed_differs(sample):
    first, again, other = sample(3), sample(3), sample(4)
    assert first.keys() == again.keys()
    for key in first:
        np.testing.assert_array_equal(first[key], again[key])
    assert any(first[k].shape != other[k].shape or not np.array_equal(first[k], other[k]) for k in first)


def test_signal_background_shapes_and_separation():
    data = toys.signal_background_sample(4000, seed=0, signal_fraction=0.3)
    assert data["x"].shape == (4000, 3) and data["label"].shape == (4000,)
    assert data["label"].dtype == np.int64 and set(np.unique(data["label"])) == {0, 1}
    assert abs(data["label"].mean() - 0.3) < 0.03
    signal, background = data["x"][data["label"] == 1], data["x"][data["label"] == 0]
    assert signal[:, 0].mean() > 35_000 > 30_000 > background[:, 0].mean()  # x1: signal larger
    assert signal[:, 1].std() < background[:, 1].std()  # x2: signal narrower
    assert signal[:, 2].mean() > 50 > background[:, 2].mean()  # x3


def test_curved_classes_follow_the_parabola():
    data = toys.curved_classes(2000, seed=1, noise=0.0)
    x, label = data["x"], data["label"]
    assert x.shape == (2000, 2) and np.all(np.abs(x) <= 2)
    np.testing.assert_array_equal(label, x[:, 1] > 0.5 * x[:, 0] ** 2 - 1)
    assert 0.52 < label.mean() < 0.64  # area above the parabola: 9.33 / 16 = 0.58
    noisy = toys.curved_classes(2000, seed=1, noise=0.3)["label"]
    assert 0.02 < np.mean(noisy != label) < 0.2


def test_noisy_curve_scatters_around_its_function():
    data = toys.noisy_curve(2000, seed=0, noise=0.1)
    assert data["x"].shape == data["y"].shape == (2000, 1)
    assert np.all(np.diff(data["x"][:, 0]) >= 0)
    residual = data["y"] - toys.noisy_curve_function(data["x"])
    assert abs(residual.std() - 0.1) < 0.01


def test_sensor_pulse_peak_and_baseline():
    pulse = toys.sensor_pulse(seed=5, noise_v=0.0)
    assert pulse["t_ns"].shape == pulse["u_v"].shape == (200,)
    assert 11.5 < pulse["u_v"].max() < 18.0
    assert pulse["u_v"][pulse["t_ns"] < 1.0].max() == 0.0  # nothing before the earliest start


def test_hexagonal_camera_geometry_and_image():
    centres = toys.hexagonal_pixel_centres(3)
    assert centres.shape == (1 + 3 * 3 * 4, 2)
    distances = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
    np.testing.assert_allclose(np.sort(distances[np.argmin(np.abs(centres).sum(1))])[1:7], 1.0)
    image = toys.hexagonal_camera_image(seed=2, rings=10, size_pe=5000.0)
    assert image["xy"].shape == (331, 2) and image["intensity_pe"].shape == (331,)
    brightest = image["xy"][np.argmax(image["intensity_pe"])]
    assert np.linalg.norm(brightest - image["ellipse"][:2]) < 2.0
    assert 3500 < image["intensity_pe"].sum() < 6500  # most of the light falls into the camera


def test_collision_event_ranges():
    event = toys.collision_event(seed=0, n_jets=2, n_soft=100)
    m = len(event["eta"])
    assert 100 + 2 * 8 <= m <= 100 + 2 * 20
    assert event["phi"].shape == event["pt_gev"].shape == (m,)
    assert np.all(np.abs(event["eta"]) <= 4) and np.all((event["phi"] >= -np.pi) & (event["phi"] < np.pi))
    assert np.all(event["pt_gev"] > 0) and 160 <= event["pt_gev"].sum() < 900


def test_pulse_sequences_shape():
    data = toys.pulse_sequences(seed=0, n_sequences=4, n_samples=100)
    assert data["t_ns"].shape == (100,) and data["u_v"].shape == (4, 100)
    assert data["u_v"].max() < 1.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: toys.signal_background_sample(0), "n must be an integer >= 1"),
        (lambda: toys.signal_background_sample(10, signal_fraction=1.0), "signal_fraction"),
        (lambda: toys.curved_classes(10, noise=-1.0), "noise must be a finite number >= 0"),
        (lambda: toys.noisy_curve(10, seed=-1), "seed must be an integer >= 0"),
        (lambda: toys.sensor_pulse(noise_v=-0.1), "noise_v"),
        (lambda: toys.hexagonal_pixel_centres(-1), "rings"),
        (lambda: toys.hexagonal_camera_image(size_pe=0.0), "size_pe"),
        (lambda: toys.collision_event(n_jets=-1), "n_jets"),
        (lambda: toys.pulse_sequences(rate_per_ns=0.0), "rate_per_ns"),
        (lambda: toys.curved_classes(10, noise=float("inf")), "noise must be a finite number"),
        (lambda: toys.collision_event(n_soft=10**9), "n_soft must be an integer >= 0 and <= 100000"),
    ],
)
def test_invalid_arguments_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_toys_are_not_registered_data_sets():
    names = set(datasets())
    assert not any(name in names for name in ("signal_background", "curved_classes", "toys"))


def test_heteroscedastic_curve_leaves_its_gap_empty_and_scatters_as_documented():
    data = toys.heteroscedastic_curve(40_000, seed=0)
    x, residual = data["x"][:, 0], (data["y"] - toys.noisy_curve_function(data["x"]))[:, 0]
    low, high = toys.HETEROSCEDASTIC_GAP
    assert not np.any((x > low) & (x < high)) and np.all(np.diff(x) >= 0)
    assert x.min() >= toys.HETEROSCEDASTIC_RANGE[0] and x.max() <= toys.HETEROSCEDASTIC_RANGE[1]
    for centre in (-2.5, 0.0, 2.5):
        near = np.abs(x - centre) < 0.1
        assert residual[near].std() == pytest.approx(toys.heteroscedastic_noise(centre), rel=0.1)
    np.testing.assert_array_equal(toys.heteroscedastic_curve(10, seed=3)["y"], toys.heteroscedastic_curve(10, seed=3)["y"])
