"""Simulated air-shower footprints: physics checks, shapes, determinism and errors."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data.airshower import array, footprints


@pytest.fixture(scope="module")
def showers():
    return footprints.simulate_footprints(1500, seed=11, traces=True)


def _distance_to_axis(events, geometry="hex9"):
    positions = array.station_array(geometry).positions_m
    stations = np.concatenate([positions, np.zeros((*positions.shape[:2], 1))], axis=-1)
    offset = stations[None] - events["showercore"][:, None, None]
    axis = events["showeraxis"][:, None, None]
    along = np.sum(offset * axis, axis=-1, keepdims=True)
    return np.linalg.norm(offset - along * axis, axis=-1)


def test_triggered_stations_rise_with_energy(showers):
    triggered = np.isfinite(showers["signal"]).sum(axis=(1, 2))
    bins = np.digitize(showers["logE"], [19.0, 19.5])
    means = [triggered[bins == b].mean() for b in range(3)]
    assert means[0] + 2 < means[1] < means[2] - 3
    assert triggered.min() >= 1


def test_signal_falls_with_distance_to_the_axis(showers):
    r = _distance_to_axis(showers)
    signal = showers["signal"]
    edges = np.arange(500.0, 3001.0, 500.0)
    medians = [np.nanmedian(signal[(r >= lo) & (r < hi)]) for lo, hi in zip(edges[:-1], edges[1:])]
    assert np.all(np.diff(medians) < 0)
    # all stations (silent ones too) at fixed energy, pedestal removed: the steep lateral
    # distributions (r^-4.7 muons, r^-6.1 EM) give a factor (2750 / 1250)^4.7 = 40 and more
    energy = (showers["logE"] >= 19.0) & (showers["logE"] < 19.5)
    above_pedestal = showers["traces"][energy].sum(axis=-1) - 96.0
    near = np.median(above_pedestal[(r[energy] >= 1000) & (r[energy] < 1500)])
    far = np.median(above_pedestal[(r[energy] >= 2500) & (r[energy] < 3000)])
    assert near > 40 * far > 0


def test_time_front_recovers_the_shower_axis(showers):
    positions = array.station_array("hex9").positions_m
    angles = []
    for time, axis in zip(showers["time"][:300], showers["showeraxis"][:300]):
        hit = np.isfinite(time)
        if hit.sum() < 5:
            continue
        xy = positions[hit]
        design = np.column_stack([np.ones(hit.sum()), xy])
        _, bx, by = np.linalg.lstsq(design, time[hit].astype(float), rcond=None)[0]
        ax, ay = -footprints.SPEED_OF_LIGHT_M_S * bx, -footprints.SPEED_OF_LIGHT_M_S * by
        fitted = np.array([ax, ay, np.sqrt(max(1.0 - ax**2 - ay**2, 0.0))])
        angles.append(np.degrees(np.arccos(np.clip(fitted @ axis / np.linalg.norm(fitted), -1, 1))))
    angles = np.array(angles)
    assert len(angles) > 150
    assert np.median(angles) < 2.0
    assert np.percentile(angles, 90) < 5.0


def test_trigger_nan_and_traces_are_consistent(showers):
    signal, time, traces = showers["signal"], showers["time"], showers["traces"]
    np.testing.assert_array_equal(np.isnan(signal), np.isnan(time))
    assert np.nanmin(signal) >= footprints.TRIGGER_VEM
    hit = np.isfinite(signal)
    np.testing.assert_allclose(traces.sum(axis=-1)[hit], signal[hit], rtol=1e-5)
    silent_sum = traces.sum(axis=-1)[~hit]
    assert silent_sum.max() < footprints.TRIGGER_VEM
    # far from the shower a station only sees the noise pedestal of 80 * 1.2 VEM
    assert np.median(silent_sum) == pytest.approx(96.0, abs=3.0)
    assert np.all(traces >= 0)


def test_muon_and_em_components_make_the_trace():
    events = footprints.simulate_footprints(40, seed=5, components=True)
    clean = events["traces_muon"] + events["traces_em"]
    noise = events["traces"] - clean
    # the noise is 1.2 (1 + 0.5 N) + 5 % of the signal per bin (before clipping at 0)
    quiet = clean == 0
    assert noise[quiet].mean() == pytest.approx(1.2, abs=0.02)
    assert events["traces_muon"].sum() > 0 and events["traces_em"].sum() > 0


def _first_bin_reaching(counts, fraction):
    """Index of the first bin where the cumulative count reaches ``fraction`` of the total."""
    cumulative = np.cumsum(counts, axis=-1)
    return np.argmax(cumulative >= fraction * cumulative[..., -1:], axis=-1)


def test_em_particles_arrive_after_the_muons_and_lag_more_far_from_the_axis():
    events = footprints.simulate_footprints(300, seed=7, components=True)
    r = _distance_to_axis(events)
    muons, em = events["traces_muon"], events["traces_em"]
    # stations with enough particles of both kinds for stable quantiles of their arrival times
    dense = (muons.sum(axis=-1) >= 300) & (em.sum(axis=-1) >= 300)
    assert dense.sum() > 200
    start_mu, start_em = _first_bin_reaching(muons[dense], 0.1), _first_bin_reaching(em[dense], 0.1)
    half_mu, half_em = _first_bin_reaching(muons[dense], 0.5), _first_bin_reaching(em[dense], 0.5)
    # the muons start the trace: the EM particles are delayed, not advanced
    assert np.mean(start_em > start_mu) > 0.9 and np.all(start_em >= start_mu - 1)
    assert np.all(half_em >= half_mu)
    # the EM delay, and with it the gap between the medians, grows with the distance to the axis
    gap_ns = (half_em - half_mu) * footprints.BIN_WIDTH_NS
    distance = r[dense]
    near, far = gap_ns[distance < 600].mean(), gap_ns[(distance >= 1000) & (distance < 1600)].mean()
    assert far > near + 100


def test_em_delay_is_positive_grows_with_distance_and_shifts_the_bin_probabilities():
    r = np.array([0.0, 500.0, 1000.0, 2000.0])
    median_mu, median_em, delay = footprints.arrival_time_medians(r, np.full(4, 700.0))
    np.testing.assert_allclose(delay, (median_em - median_mu) / 1.5)
    assert delay[0] == pytest.approx(20.0) and np.all(np.diff(delay) > 0)
    # a delay of two bins moves the whole distribution two bins later and leaves them empty
    undelayed = footprints.bin_probabilities(np.array([300.0]))[0]
    delayed = footprints.bin_probabilities(np.array([300.0]), np.array([2 * footprints.BIN_WIDTH_NS]))[0]
    np.testing.assert_array_equal(delayed[:2], 0.0)
    np.testing.assert_allclose(delayed[2:], undelayed[:-2], atol=1e-12)


@pytest.mark.parametrize("n_particles", [40, 4000])
def test_histogram_follows_the_log_normal_bin_probabilities(n_particles):
    # few particles are histogrammed one by one, many through the multinomial: same distribution
    stations = 400
    median, delay = np.full(stations, 300.0), np.full(stations, 40.0)
    counts = footprints.histogram_arrival_times(np.full(stations, n_particles), median, delay, np.random.default_rng(0))
    expected = footprints.bin_probabilities(median[:1], delay[:1])[0]
    total = stations * n_particles
    observed = counts.sum(axis=0) / total
    # binomial fluctuation of each bin's fraction; 5 sigma over 80 bins almost never fails by chance
    sigma = np.sqrt(expected * (1.0 - expected) / total)
    assert np.all(np.abs(observed - expected) <= 5.0 * sigma)
    assert np.abs(observed - expected).max() < 0.01  # and the absolute deviation is small too
    assert observed[:1].sum() == 0.0  # nothing arrives before the 40 ns delay
    assert counts.sum() / total == pytest.approx(expected.sum(), abs=0.003)


def test_heavier_primaries_have_shallower_maxima():
    proton = footprints.simulate_footprints(250, seed=2, mass=1.0)
    iron = footprints.simulate_footprints(250, seed=2, mass=56.0)
    assert iron["Xmax"].mean() < proton["Xmax"].mean() - 60
    assert iron["Xmax"].std() < proton["Xmax"].std()


def test_registered_sets_shapes_dtypes_and_units():
    hex9 = data.simulate("airshowers", 30, seed=1)
    assert set(hex9) == {"time", "signal", "showeraxis", "showercore", "logE", "Xmax"}
    assert hex9["time"].shape == hex9["signal"].shape == (30, 9, 9)
    assert hex9["time"].dtype == hex9["signal"].dtype == np.float32
    assert hex9["showeraxis"].shape == hex9["showercore"].shape == (30, 3)
    assert np.nanmax(np.abs(hex9["time"])) < 3e-5  # seconds: the array is 12 km across
    assert data.simulate("airshowers", 30, seed=1, traces=1)["traces"].shape == (30, 9, 9, 80)

    mnist = data.simulate("airshowers_mnist", 30, seed=1)
    assert set(mnist) == {"time", "signal", "energy", "showeraxis", "showercore"}
    assert mnist["signal"].shape == (30, 14, 14)
    assert np.all((mnist["energy"] >= 10**0.5) & (mnist["energy"] <= 100.0))
    assert np.all(np.linalg.norm(mnist["showercore"][:, :2], axis=1) <= 375.0)

    maps = data.simulate("airshower_maps", 30, seed=1)["shower_maps"]
    assert maps.shape == (30, 9, 9, 1) and maps.dtype == np.float32
    assert np.all(maps >= 0) and np.all(np.isfinite(maps))
    np.testing.assert_array_equal(maps[..., 0], np.nan_to_num(hex9["signal"]))


def test_determinism_and_chunking():
    first = data.simulate("airshowers", 60, seed=4)
    again = data.simulate("airshowers", 60, seed=4)
    other = data.simulate("airshowers", 60, seed=5)
    for key in first:
        np.testing.assert_array_equal(first[key], again[key])
    assert not np.array_equal(first["logE"], other["logE"])
    chunk = footprints.CHUNK_SIZE
    longer = footprints.simulate_footprints(chunk + 10, seed=4)
    shorter = footprints.simulate_footprints(chunk, seed=4)
    np.testing.assert_array_equal(longer["signal"][:chunk], shorter["signal"])


def test_parameter_errors():
    with pytest.raises(ValueError, match="geometry must be one of"):
        footprints.simulate_footprints(10, geometry="triangle")
    with pytest.raises(ValueError, match="mass must be a finite number >= 1.0 and <= 56.0"):
        data.simulate("airshowers", 10, mass=0.0)
    with pytest.raises(ValueError, match="mass must be a finite number >= 1.0 and <= 56.0"):
        data.simulate("airshowers_mnist", 10, mass=-4.0)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        data.simulate("airshower_maps", 0)
    with pytest.raises(ValueError, match="traces must be one of 0, 1, got 2"):
        data.simulate("airshowers", 10, traces=2)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        footprints.simulate_footprints(10, seed=-1)


def test_cli_writes_and_load_caches_the_original_array_names(tmp_path):
    from dlpbook import cli

    out = tmp_path / "airshowers.npz"
    assert cli.main(["data", "airshowers", "--n", "20", "--seed", "3", "--traces", "1", "--out", str(out)]) in (0, None)
    written = data.load_npz(out)
    assert written["traces"].shape == (20, 9, 9, 80)
    cached = data.load("airshowers", 20, seed=3, traces=1)
    np.testing.assert_array_equal(written["signal"], cached["signal"])
    np.testing.assert_array_equal(data.load("airshowers", 20, seed=3, traces=1)["time"], cached["time"])
    with pytest.raises(SystemExit):
        cli.main(["data", "airshowers_mnist", "--n", "5", "--mass", "0", "--out", str(tmp_path / "x.npz")])
