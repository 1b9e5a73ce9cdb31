"""Physics and statistics of the Part-1 simulators, and the wine-format loader."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import checkerboard, earthquakes, interpolation, sine, wine
from dlpbook.validation import ParameterError

# Book Table 7.1: x, y (km), then t1p t1s t2p t2s t3p t3s t4p t4s (s)
TABLE_7_1 = np.array(
    [
        [-15.5, -34.6, 6.52, 9.00, 7.25, 10.32, 3.39, 4.98, 5.06, 7.06],
        [3.8, -7.7, 3.31, 4.51, 2.59, 3.79, 1.79, 2.75, 0.95, 1.30],
        [-0.2, 29.1, 3.17, 4.31, 3.00, 4.37, 5.54, 8.00, 5.77, 8.06],
        [-16.4, -25.4, 5.23, 7.21, 6.22, 8.87, 2.17, 3.27, 4.37, 6.09],
    ]
)


def test_earthquakes_reproduce_table_7_1():
    times = earthquakes.arrival_times(TABLE_7_1[:, :2])
    assert np.abs(times - TABLE_7_1[:, 2:]).max() <= 0.012


def test_earthquake_times_follow_the_wave_speeds():
    events = data.simulate("earthquakes", 2000, seed=1)
    distance = np.linalg.norm(events["epicenter"][:, None] - earthquakes.STATIONS_KM[None], axis=-1)
    t_p, t_s = events["times"][:, 0::2], events["times"][:, 1::2]
    # at each station, S minus P time grows linearly with distance, slope 1/vs - 1/vp
    for station in range(4):
        slope = np.polyfit(distance[:, station], t_s[:, station] - t_p[:, station], 1)[0]
        assert slope == pytest.approx(1 / earthquakes.V_S_KM_S - 1 / earthquakes.V_P_KM_S, rel=1e-6)
    assert np.all(t_s > t_p)


def test_earthquakes_lie_along_the_plate_boundary():
    events = data.simulate("earthquakes", 5000, seed=2, width_km=2.0)
    x, y = events["epicenter"].T
    assert np.all(np.abs(events["epicenter"]) <= earthquakes.REGION_KM)
    residual = x - earthquakes.plate_boundary_x(y)
    assert residual.std() == pytest.approx(2.0, rel=0.05)


def test_earthquake_timing_noise():
    clean = data.simulate("earthquakes", 3000, seed=3)
    noisy = data.simulate("earthquakes", 3000, seed=3, timing_noise_s=0.005)
    np.testing.assert_array_equal(clean["times"], earthquakes.arrival_times(clean["epicenter"]))
    residual = noisy["times"] - earthquakes.arrival_times(noisy["epicenter"])
    assert residual.std() == pytest.approx(0.005, rel=0.05)


def test_checkerboard_without_noise_is_the_sign_of_the_product():
    points = checkerboard.simulate(5000, seed=0)
    x, label = points["x"], points["label"]
    assert x.shape == (5000, 2) and label.dtype == np.int64
    np.testing.assert_array_equal(label, (x[:, 0] * x[:, 1] >= 0).astype(int))
    assert np.abs(x).min() >= checkerboard.PADDING
    assert np.abs(x).max() <= checkerboard.HALF_WIDTH + checkerboard.PADDING
    assert label.mean() == pytest.approx(0.5, abs=0.03)


def test_checkerboard_noise_flips_the_expected_fraction_of_labels():
    points = checkerboard.simulate(20_000, seed=5, noise=0.5)
    flipped = points["label"] != (points["x"][:, 0] * points["x"][:, 1] >= 0)
    # One coordinate changes sign when the uniform shift (+-2.5) exceeds |x| in [0.3, 5.3]:
    # p = int_0.3^2.5 (2.5 - a) / 5 da / 5 = 0.0968; the label flips if exactly one does.
    p = (2.5 - 0.3) ** 2 / 2 / 25
    assert flipped.mean() == pytest.approx(2 * p * (1 - p), abs=0.012)


def test_checkerboard_noise_is_validated():
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0 and <= 0.5"):
        checkerboard.simulate(10, noise=0.7)


def test_interpolation_function_values_and_shapes():
    assert interpolation.interpolation_function(0.0) == pytest.approx((1 - 0 + 0.5) / 1.5)
    x = np.array([-10.0, 3.0, 10.0])
    expected = (np.sqrt(np.abs(x)) + 0.1 * x + 0.01 * x**2 + 1 - np.sin(x) + 0.5 * np.exp(x / 10)) / (0.5 + np.abs(np.cos(x)))
    np.testing.assert_allclose(interpolation.interpolation_function(x), expected)
    samples = data.simulate("interpolation", 4000, seed=0, noise=1.0)
    assert samples["x"].shape == samples["y"].shape == (4000, 1)
    residual = samples["y"] - interpolation.interpolation_function(samples["x"])
    assert residual.shape == (4000, 1)
    assert residual.std() == pytest.approx(1.0, rel=0.05)


def test_sine_series_and_windows():
    series = data.simulate("sine", 10_000, seed=0)
    assert series["t"][[0, -1]].tolist() == [0.0, 100.0]
    np.testing.assert_allclose(series["f"], np.sin(np.pi * series["t"]))
    windows, targets = sine.sliding_windows(series["f"], 20)
    assert windows.shape == (9980, 20) and targets.shape == (9980,)
    np.testing.assert_array_equal(windows[5], series["f"][5:25])
    assert targets[5] == series["f"][25]
    with pytest.raises(ValueError, match="length must be an integer >= 1"):
        sine.sliding_windows(series["f"], 0)



def test_roll_forecast_feeds_the_predictions_back_without_a_framework():
    seen = []

    def extrapolate(windows):  # (batch, L, 1) float32 -> (batch, 1)
        seen.append(windows.copy())
        return 2 * windows[:, -1] - windows[:, -2]

    ramps = np.array([[2.0, 1.0, 0.0], [4.0, 4.5, 5.0]])[:, ::-1]  # a reversed view, as callers may pass
    forecast = sine.roll_forecast(extrapolate, ramps, 3)
    assert forecast.dtype == np.float32
    np.testing.assert_allclose(forecast, [[3, 4, 5], [3.5, 3, 2.5]])
    assert all(w.dtype == np.float32 and w.shape == (2, 3, 1) for w in seen)
    np.testing.assert_array_equal(seen[-1][:, :, 0], [[2, 3, 4], [4, 3.5, 3]])  # its own predictions
    np.testing.assert_array_equal(ramps, [[0, 1, 2], [5, 4.5, 4]])  # the caller's window is unchanged
    np.testing.assert_allclose(sine.roll_forecast(extrapolate, ramps[1], 2), [3.5, 3])
    with pytest.raises(ValueError, match="window must have shape"):
        sine.roll_forecast(extrapolate, np.zeros((2, 0)), 2)
    with pytest.raises(ParameterError, match="n_steps"):
        sine.roll_forecast(extrapolate, ramps, 0)

@pytest.mark.parametrize("name", ["checkerboard", "earthquakes", "interpolation", "sine"])
def test_simulators_are_deterministic_and_validate_n(name):
    a = data.simulate(name, 300, seed=11)
    b = data.simulate(name, 300, seed=11)
    c = data.simulate(name, 300, seed=12)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
        assert len(a[key]) == 300
    if name != "sine":
        assert any(not np.array_equal(a[k], c[k]) for k in a)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        data.simulate(name, 0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        data.simulate(name, 10, seed=-3)


def _write_wine_csv(path, rows):
    header = ";".join(f'"{name}"' for name in (*wine.WINE_FEATURES, "quality"))
    lines = [header] + [";".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")


def test_read_wine_csv_original_format(tmp_path):
    rows = np.round(np.random.default_rng(0).uniform(0, 10, (7, 12)), 3)
    rows[:, 11] = np.arange(3, 10)
    path = tmp_path / "winequality-white.csv"
    _write_wine_csv(path, rows)
    table = wine.read_wine_csv(path)
    np.testing.assert_allclose(table.features, rows[:, :11])
    np.testing.assert_array_equal(table.target, np.arange(3, 10))
    assert table.feature_names == wine.WINE_FEATURES and table.target_name == "quality"


def test_read_wine_csv_rejects_other_files(tmp_path):
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("a;b\n1;2\n")
    with pytest.raises(ValueError, match="header must be"):
        wine.read_wine_csv(bad_header)
    short_rows = tmp_path / "short.csv"
    _write_wine_csv(short_rows, [[1.0] * 12])
    short_rows.write_text(short_rows.read_text() + "1;2;3\n")
    with pytest.raises(ValueError, match="12 numbers"):
        wine.read_wine_csv(short_rows)


def test_regression_table_uses_the_csv_when_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("DLPBOOK_WINE_CSV", raising=False)
    substitute = wine.regression_table()
    assert substitute.features.shape == (442, 10) and "diabetes" in substitute.source
    path = tmp_path / "w.csv"
    _write_wine_csv(path, np.ones((4, 12)))
    monkeypatch.setenv("DLPBOOK_WINE_CSV", str(path))
    assert wine.regression_table().features.shape == (4, 11)


def test_table_split_is_a_seeded_partition():
    table = wine.diabetes_table()
    x_train, y_train, x_test, y_test = table.split(300, seed=1)
    assert len(x_train) == 300 and len(x_test) == 142
    assert sorted(np.concatenate([y_train, y_test])) == sorted(table.target)
    np.testing.assert_array_equal(table.split(300, seed=1)[0], x_train)
    with pytest.raises(ValueError, match="n_train must be an integer >= 1 and <= 441"):
        table.split(442, seed=1)
