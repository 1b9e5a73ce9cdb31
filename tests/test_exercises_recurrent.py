"""Exercises 9.1 (sine forecast) and 9.2 (radio pulses): settings, data handling, training, plots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from dlpbook import nn, train
from dlpbook.data import radio
from dlpbook.exercises import radio_signals, sine_forecast
from dlpbook.exercises.radio_signals import RadioSettings
from dlpbook.exercises.sine_forecast import SineForecastSettings
from dlpbook.nn import recurrent
from dlpbook.validation import ParameterError

TINY_SINE = SineForecastSettings(n_windows=200, epochs=2, horizon=60, n_eval_starts=4, starts=(12,))
TINY_RADIO = RadioSettings(
    n_train=96, n_test=40, length=16, units=(2,), epochs=2, batch_size=32, validation_fraction=0.25
)


# --- Ex. 9.1 ---------------------------------------------------------------------------------

def test_original_forecaster_has_1169_parameters():
    assert nn.count_parameters(recurrent.lstm_forecaster()) == sine_forecast.N_PARAMETERS == 1169


def test_sine_profiles():
    quick, full = (SineForecastSettings.for_profile(p) for p in ("quick", "full"))
    assert full == SineForecastSettings()
    assert (full.used_windows, full.n_validation, full.epochs, full.batch_size, full.lr) == (9979, 997, 60, 32, 1e-3)
    assert (quick.used_windows, quick.n_validation, quick.epochs, quick.lr) == (2000, 200, 8, 3e-3)
    assert quick.units == full.units == (16,) and quick.horizon == full.horizon == 500
    assert "n_windows=2000" in quick.describe()


@pytest.mark.parametrize(
    "changes, name",
    [
        ({"window": 0}, "window"),
        ({"n_windows": 9981}, "n_windows"),
        ({"units": ()}, "units"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"starts": (-1,)}, "starts"),
        ({"starts": ()}, "starts"),
        ({"starts": (9500,)}, "starts"),
        ({"horizon": 2000}, "horizon"),
        ({"tolerance": 0.0}, "tolerance"),
        ({"lr": 0}, "lr"),
    ],
)
def test_sine_settings_reject_bad_values(changes, name):
    with pytest.raises(ParameterError) as error:
        SineForecastSettings(**changes)
    assert error.value.name == name


def test_eval_starts_cover_one_period_after_the_training_windows():
    settings = SineForecastSettings(n_windows=2000, n_eval_starts=40)
    starts = settings.eval_starts()
    assert starts[0] == 1800 and len(starts) == 40
    assert settings.period_samples == pytest.approx(199.98)
    assert starts[-1] - starts[0] == pytest.approx(settings.period_samples * 39 / 40, abs=1)


def test_training_windows_split_at_the_end():
    settings = SineForecastSettings(n_windows=100, validation_fraction=0.1)
    f = np.arange(200.0)
    split = sine_forecast.training_windows(settings, f)
    assert split["x_fit"].shape == (90, 20, 1) and split["x_val"].shape == (10, 20, 1)
    assert split["y_fit"][0, 0] == 20 and split["x_val"][0, 0, 0] == 90 and split["y_val"][-1, 0] == 119


def test_evaluate_forecasts_with_an_oracle_and_with_persistence():
    settings = SineForecastSettings(n_windows=2000, horizon=300, n_eval_starts=8)
    f = sine_forecast.series(settings)["f"]
    position = {}

    all_windows = np.lib.stride_tricks.sliding_window_view(f, 20)

    def oracle(windows, n_steps):  # looks the windows up in the series and returns what follows
        starts = [int(np.flatnonzero(np.all(all_windows == w, axis=1))[0]) for w in windows]
        position["starts"] = starts
        return np.stack([f[s + 20 : s + 20 + n_steps] for s in starts])

    shown, evaluation = sine_forecast.evaluate_forecasts(oracle, f, settings)
    assert shown.shape == (3, 300)
    assert position["starts"][:3] == [12, 85, 115]
    np.testing.assert_allclose(evaluation.errors, 0, atol=1e-12)
    assert evaluation.good_steps() == 300 and evaluation.mse["network"] < 1e-20
    assert evaluation.mse["zero"] == pytest.approx(0.5, abs=0.01)
    _, persistence = sine_forecast.evaluate_forecasts(
        lambda windows, n_steps: np.repeat(windows[:, -1:], n_steps, axis=1), f, settings
    )
    np.testing.assert_allclose(persistence.errors, persistence.persistence_errors)
    assert persistence.good_steps() == 4  # |sin| moves by pi/100 per step: RMS 0.1 after 5 steps


def test_sine_torch_training_shapes_and_record():
    result = sine_forecast.train_torch(TINY_SINE)
    assert result.n_parameters == 1169
    assert set(result.history) == {"loss", "val_loss", "lr"} and len(result.history["loss"]) == 2
    assert result.forecasts.shape == (1, 60) and result.evaluation.errors.shape == (4, 60)
    assert result.t.shape == result.f.shape == (10_000,)
    assert result.seconds > 0 and np.isfinite(result.one_step_mse)


def test_compare_architectures_rows():
    rows = sine_forecast.compare_architectures(TINY_SINE.replace(epochs=1), [(4,), (4, 4)], seeds=[0, 1])
    assert [row["units"] for row in rows] == [(4,), (4, 4)]
    assert rows[0]["parameters"] == 4 * 4 * (1 + 4 + 1) + 4 + 1
    assert rows[1]["parameters"] == rows[0]["parameters"] + 4 * 4 * (4 + 4 + 1)
    for row in rows:
        assert len(row["epochs"]) == len(row["good_steps"]) == len(row["horizon_mse"]) == 2


def test_plot_forecasts():
    result = sine_forecast.train_torch(TINY_SINE)
    fig = sine_forecast.plot_forecasts(result, TINY_SINE, title="PyTorch")
    assert len(fig.axes) == 3  # one row per start, loss, error curve
    assert fig.axes[-1].get_xlabel() == "forecast step"
    plt.close(fig)


@pytest.mark.keras
def test_sine_keras_training_shapes_and_record():
    pytest.importorskip("tensorflow")
    result = sine_forecast.train_keras(TINY_SINE)
    assert result.n_parameters == 1169
    assert {"loss", "val_loss", "lr"} <= set(result.history) and len(result.history["lr"]) == 2
    assert result.forecasts.shape == (1, 60) and result.evaluation.errors.shape == (4, 60)


# --- Ex. 9.2 ---------------------------------------------------------------------------------

def test_original_classifier_has_95873_parameters():
    assert nn.count_parameters(recurrent.bilstm_classifier()) == radio_signals.N_PARAMETERS == 95_873


def test_radio_profiles():
    quick, full = (RadioSettings.for_profile(p) for p in ("quick", "full"))
    assert full == RadioSettings()
    assert (full.n_train, full.n_test, full.length, full.units, full.epochs, full.batch_size) == (
        40_000, 10_000, 500, (32, 64, 10), 100, 128,
    )
    assert (full.lr, full.decay, full.n_validation, full.snr) == (1e-3, 8e-5, 4000, 2.0)
    assert quick.snr == full.snr and quick.length == 32 and quick.n_validation == 0


@pytest.mark.parametrize(
    "changes, name",
    [
        ({"length": 3}, "length"),
        ({"length": 501}, "length"),
        ({"snr": 0}, "snr"),
        ({"units": ()}, "units"),
        ({"dropout": 1.0}, "dropout"),
        ({"decay": -1e-5}, "decay"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"seed": -1}, "seed"),
    ],
)
def test_radio_settings_reject_bad_values(changes, name):
    with pytest.raises(ParameterError) as error:
        RadioSettings(**changes)
    assert error.value.name == name


def test_cut_windows_keep_the_pulse_in_the_middle_half():
    arrays = radio.simulate(200, seed=5)
    rng = np.random.default_rng(0)
    traces, signals = radio_signals.cut_windows(arrays["traces"], arrays["signals"], 32, rng)
    assert traces.shape == signals.shape == (200, 32)
    labels = radio.signal_labels(arrays["signals"])
    np.testing.assert_array_equal(radio.signal_labels(signals), labels)
    peaks = np.abs(signals[labels == 1]).argmax(axis=1)
    assert peaks.min() >= 8 and peaks.max() < 24
    # the peak of the pulse is the peak of the original pulse, and each window is a piece of its trace
    np.testing.assert_allclose(np.abs(signals).max(axis=1), np.abs(arrays["signals"]).max(axis=1))
    for trace, window in zip(arrays["traces"][:20], traces[:20]):
        start = int(np.flatnonzero(np.isclose(trace, window[0]))[0])
        np.testing.assert_array_equal(trace[start : start + 32], window)
    same = radio_signals.cut_windows(arrays["traces"], arrays["signals"], 500, rng)
    assert same[0] is arrays["traces"]


def test_cut_windows_rejects_bad_input():
    traces = np.zeros((4, 500))
    with pytest.raises(ValueError):
        radio_signals.cut_windows(traces, np.zeros((4, 400)), 32, np.random.default_rng(0))
    with pytest.raises(ParameterError):
        radio_signals.cut_windows(traces, traces, 2, np.random.default_rng(0))


def test_load_data_split_and_scale():
    radio_data = radio_signals.load_data(TINY_RADIO)
    assert radio_data.traces["train"].shape == (96, 16) and radio_data.traces["test"].shape == (40, 16)
    assert radio_data.scale == pytest.approx(np.std(radio_data.traces["train"]))
    assert radio_data.inputs("test").shape == (40, 16, 1) and radio_data.inputs("test").dtype == np.float32
    assert 0.3 < radio_data.labels["train"].mean() < 0.7


def test_inverse_time_decay_matches_keras_2():
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    decay = radio_signals.InverseTimeDecay(8e-5, 282)
    for epoch in range(1, 51):
        decay.on_epoch_end(model, optimizer, train.History())
        assert optimizer.param_groups[0]["lr"] == pytest.approx(1e-3 / (1 + 8e-5 * 282 * epoch))
    optimizer.param_groups[0]["lr"] /= 2  # a plateau halves the rate: the decay goes on from there
    decay_after = optimizer.param_groups[0]["lr"]
    for _ in range(50):
        decay.on_epoch_end(model, optimizer, train.History())
    expected = decay_after * (1 + 8e-5 * 282 * 50) / (1 + 8e-5 * 282 * 100)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(expected)


def test_radio_torch_training_record():
    result = radio_signals.train_torch(TINY_RADIO)
    assert result.n_parameters == nn.count_parameters(recurrent.bilstm_classifier(16, (2,)))
    assert set(result.history) == {"loss", "val_loss", "lr"} and len(result.history["lr"]) == 2
    assert result.history["lr"][1] == pytest.approx(1e-3 / (1 + 8e-5 * 3))  # 72 traces: 3 steps per epoch
    assert result.scores.shape == (40,) and np.all((result.scores >= 0) & (result.scores <= 1))
    assert 0 <= result.accuracy <= 1 and 0 <= result.auc <= 1


def test_example_indices():
    labels = np.array([0, 1, 1, 0, 1])
    scores = np.array([0.2, 0.9, 0.1, 0.3, 0.8])
    assert radio_signals.example_indices(labels, scores) == {"hit": 1, "miss": 2, "rejected": 0, "false alarm": None}


def test_plot_examples_marks_missing_outcomes():
    radio_data = radio_signals.load_data(TINY_RADIO)
    result = radio_signals.train_torch(TINY_RADIO, radio_data)
    fig = radio_signals.plot_examples(result, radio_data, title="PyTorch")
    assert len(fig.axes) == 6
    assert {ax.get_title(loc="left") for ax in fig.axes[:4]} == {"hit", "miss", "rejected", "false alarm"}
    assert fig.axes[0].get_xlabel() == "time / ns"  # 16 samples: 89 ns
    plt.close(fig)


@pytest.mark.keras
def test_original_classifier_has_95873_parameters_in_keras():
    pytest.importorskip("tensorflow")
    from dlpbook.keras_nn import recurrent as keras_recurrent

    assert keras_recurrent.bilstm_classifier().count_params() == radio_signals.N_PARAMETERS
    assert keras_recurrent.lstm_forecaster().count_params() == sine_forecast.N_PARAMETERS


@pytest.mark.keras
def test_radio_keras_training_record():
    pytest.importorskip("tensorflow")
    result = radio_signals.train_keras(TINY_RADIO)
    assert result.n_parameters == nn.count_parameters(recurrent.bilstm_classifier(16, (2,)))
    assert {"loss", "val_loss", "lr"} <= set(result.history) and len(result.history["lr"]) == 2
    assert result.history["lr"][1] == pytest.approx(1e-3 / (1 + 8e-5 * 3), rel=1e-6)
    assert result.scores.shape == (40,) and 0 <= result.accuracy <= 1
