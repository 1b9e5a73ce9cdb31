"""Radio traces (site Ex. 9.2): band limits, SNR definition and difficulty, labels, RFI lines, determinism."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import radio
from dlpbook.metrics import roc_auc


@pytest.fixture(scope="module")
def traces():
    """Default traces (RFI on)."""
    return radio.simulate(2000, seed=0)


@pytest.fixture(scope="module")
def clean():
    """Traces without RFI: galactic noise and pulses only."""
    return radio.simulate(2000, seed=0, rfi_amplitude_mv=0.0)


def power_spectrum(traces):
    return np.mean(np.abs(np.fft.rfft(traces, axis=-1)) ** 2, axis=0)


def test_shapes_dtypes_and_label_balance(traces):
    assert traces["traces"].shape == (2000, 500) and traces["signals"].shape == (2000, 500)
    assert traces["traces"].dtype == np.float32 and traces["signals"].dtype == np.float32
    label = radio.signal_labels(traces["signals"])
    assert label.sum() == 1000


def test_background_signals_are_identically_zero(traces):
    label = radio.signal_labels(traces["signals"])
    assert np.all(traces["signals"][label == 0] == 0)
    assert np.all(np.abs(traces["signals"][label == 1]).max(axis=1) > 0)


def test_power_is_confined_to_the_30_80_mhz_band(clean):
    freq = radio.frequencies_mhz()
    outside = (freq < 30) | (freq > 80)
    for key in ("traces", "signals"):
        spectrum = power_spectrum(clean[key])
        assert spectrum[outside].sum() / spectrum.sum() < 1e-10


def test_noise_spectrum_falls_with_frequency_and_has_the_set_rms(clean):
    noise = clean["traces"][radio.signal_labels(clean["signals"]) == 0]
    assert np.sqrt(np.mean(noise.astype(float) ** 2)) == pytest.approx(radio.NOISE_RMS_MV, rel=0.02)
    freq = radio.frequencies_mhz()
    spectrum = power_spectrum(noise)
    low = spectrum[(freq > 36) & (freq < 45)].mean()
    high = spectrum[(freq > 65) & (freq < 74)].mean()
    expected = np.mean(radio.noise_amplitude_spectrum(freq[(freq > 36) & (freq < 45)]) ** 2) / np.mean(
        radio.noise_amplitude_spectrum(freq[(freq > 65) & (freq < 74)]) ** 2
    )
    assert low / high == pytest.approx(expected, rel=0.05)
    assert expected > 1.5


@pytest.mark.parametrize(("snr", "rfi_amplitude_mv"), [(0.5, 0.3), (2.0, 0.0), (2.0, radio.RFI_AMPLITUDE_MV), (5.0, 1.0)])
def test_measured_snr_equals_the_setting(snr, rfi_amplitude_mv):
    events = radio.simulate(400, seed=1, snr=snr, rfi_amplitude_mv=rfi_amplitude_mv)
    signal = radio.signal_labels(events["signals"]) == 1
    measured = radio.measured_snr(events["traces"][signal], events["signals"][signal])
    np.testing.assert_allclose(measured, snr, rtol=1e-5)


def test_rfi_lines_appear_at_their_frequencies():
    clean = power_spectrum(radio.simulate(1000, seed=2, rfi_amplitude_mv=0.0)["traces"])
    with_rfi = power_spectrum(radio.simulate(1000, seed=2, rfi_amplitude_mv=0.3)["traces"])
    freq = radio.frequencies_mhz()
    excess = with_rfi / np.maximum(clean, 1e-30)
    in_band = (freq > 32) & (freq < 78)
    for line in radio.RFI_LINES_MHZ:
        near = in_band & (np.abs(freq - line) < 0.5)
        far = in_band & (np.abs(freq - line) > 3)
        assert excess[near].max() > 3
        assert np.median(excess[far]) < 1.2


def test_determinism_and_registry():
    first = data.simulate("radio", 50, seed=7)
    second = radio.simulate(50, seed=7)
    for key in ("traces", "signals"):
        np.testing.assert_array_equal(first[key], second[key])
    assert not np.array_equal(radio.simulate(50, seed=8)["traces"], first["traces"])
    cached = data.load("radio", 50, seed=7)
    np.testing.assert_array_equal(cached["traces"], first["traces"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"snr": -1.0}, "snr must be a finite number > 0 and <= 10.0, got -1.0"),
        ({"snr": 0.0}, "snr must be a finite number > 0 and <= 10.0, got 0.0"),
        ({"snr": 12.0}, "snr must be a finite number > 0 and <= 10.0, got 12.0"),
        ({"snr": float("nan")}, "snr must be a finite number"),
        ({"rfi_amplitude_mv": -0.1}, "rfi_amplitude_mv must be a finite number >= 0 and <= 100.0, got -0.1"),
        ({"rfi_amplitude_mv": 1e308}, "rfi_amplitude_mv must be a finite number >= 0 and <= 100.0"),
        ({"n": 0}, "n must be an integer >= 1"),
    ],
)
def test_parameters_are_validated(kwargs, message):
    kwargs = {"n": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        radio.simulate(kwargs.pop("n"), **kwargs)


def test_largest_snr_is_reachable():
    events = radio.simulate(200, seed=3, snr=radio.SNR_MAX)
    signal = radio.signal_labels(events["signals"]) == 1
    measured = radio.measured_snr(events["traces"][signal], events["signals"][signal])
    np.testing.assert_allclose(measured, radio.SNR_MAX, rtol=1e-5)


def test_snr_is_the_pulse_peak_over_the_rms_of_the_whole_trace_rfi_included(traces):
    label = radio.signal_labels(traces["signals"])
    signal = traces["signals"][label == 1].astype(float)
    background = traces["traces"][label == 1] - signal
    peak = np.abs(signal).max(axis=1)
    # the definition, exactly: peak over the RMS of the measured trace
    np.testing.assert_allclose(radio.measured_snr(traces["traces"], traces["signals"])[label == 1], 2.0, rtol=1e-5)
    # the pulse adds about 1 % to the RMS, so the peak is about snr times the RMS of the background ...
    assert np.median(peak / np.sqrt(np.mean(background**2, axis=1))) == pytest.approx(2.0, rel=0.02)
    # ... whose expected value counts the galactic noise and each carrier's A^2 / 2
    noise = traces["traces"][label == 0].astype(float)
    assert np.sqrt(np.mean(noise**2)) == pytest.approx(radio.background_rms_mv(), rel=0.02)
    assert np.mean(peak) == pytest.approx(2.0 * radio.background_rms_mv(), rel=0.03)
    assert radio.background_rms_mv(0.0) == radio.NOISE_RMS_MV


def notched_peak_over_rms(traces):
    """A simple statistic: max|x| / RMS(x) after the RFI carriers are removed."""
    residual = radio.remove_carriers(traces)
    return np.abs(residual).max(axis=1) / residual.std(axis=1)


def test_remove_carriers_removes_the_rfi_and_keeps_the_rest():
    rfi_only = radio.simulate(200, seed=4, snr=2.0, rfi_amplitude_mv=3.0)
    clean = radio.simulate(200, seed=4, snr=2.0, rfi_amplitude_mv=0.0)
    label = radio.signal_labels(clean["signals"])
    # same seed: the same labels and galactic noise, with and without carriers
    noise_with, noise_without = rfi_only["traces"][label == 0], clean["traces"][label == 0]
    residual = radio.remove_carriers(noise_with)
    assert np.sqrt(np.mean((residual - noise_without) ** 2)) < 0.2 * radio.NOISE_RMS_MV
    assert np.sqrt(np.mean(residual**2)) == pytest.approx(radio.NOISE_RMS_MV, rel=0.05)
    assert radio.remove_carriers(noise_with[0]).shape == (radio.N_SAMPLES,)


def test_default_traces_are_separable_by_a_simple_statistic_and_noise_is_not(traces, clean):
    label = radio.signal_labels(traces["signals"])
    assert roc_auc(label, notched_peak_over_rms(traces["traces"])) > 0.98
    # without RFI the same snr is far harder (the calibration in the module docstring)
    assert roc_auc(radio.signal_labels(clean["signals"]), notched_peak_over_rms(clean["traces"])) < 0.8
    # two noise-only sets cannot be told apart
    other = radio.simulate(2000, seed=9)
    noise = np.concatenate([traces["traces"][label == 0], other["traces"][radio.signal_labels(other["signals"]) == 0]])
    fake_label = np.repeat([0, 1], [np.sum(label == 0), len(noise) - np.sum(label == 0)])
    assert abs(roc_auc(fake_label, notched_peak_over_rms(noise)) - 0.5) < 0.05
