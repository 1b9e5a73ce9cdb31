"""Radio traces (site Ex. 9.2): band limits, SNR definition, labels, RFI lines, determinism."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import radio


@pytest.fixture(scope="module")
def traces():
    return radio.simulate(2000, seed=0)


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


def test_power_is_confined_to_the_30_80_mhz_band(traces):
    freq = radio.frequencies_mhz()
    outside = (freq < 30) | (freq > 80)
    for key in ("traces", "signals"):
        spectrum = power_spectrum(traces[key])
        assert spectrum[outside].sum() / spectrum.sum() < 1e-10


def test_noise_spectrum_falls_with_frequency_and_has_the_set_rms(traces):
    noise = traces["traces"][radio.signal_labels(traces["signals"]) == 0]
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


@pytest.mark.parametrize("snr", [0.5, 2.0, 5.0])
def test_measured_snr_equals_the_setting(snr):
    events = radio.simulate(400, seed=1, snr=snr, rfi_amplitude_mv=0.3)
    signal = radio.signal_labels(events["signals"]) == 1
    measured = radio.measured_snr(events["traces"][signal], events["signals"][signal])
    np.testing.assert_allclose(measured, snr, rtol=1e-5)


def test_rfi_lines_appear_at_their_frequencies():
    clean = power_spectrum(radio.simulate(1000, seed=2)["traces"])
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
        ({"snr": -1.0}, r"snr must be in \(0, 10.0\]"),
        ({"snr": 0.0}, r"snr must be in \(0, 10.0\]"),
        ({"snr": 12.0}, r"snr must be in \(0, 10.0\]"),
        ({"rfi_amplitude_mv": -0.1}, "rfi_amplitude_mv must be >= 0"),
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
