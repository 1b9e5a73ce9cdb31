"""Radio traces of air showers in galactic noise (site Ex. 9.2, book Sec. 9; digest D7).

Physics
-------
A radio antenna of an air-shower array (AERA-like) records the electric field through a
30-80 MHz band-pass filter, sampled at ``f_s = 180 MHz``; a trace has 500 samples (2.78 us).
Each trace is the sum of

* **galactic noise**: stationary Gaussian noise whose amplitude spectrum falls like the
  galactic background, ``|N(f)| ~ (f / 30 MHz)^-1.3`` (brightness temperature ~ f^-2.5), plus
  a white thermal floor, then multiplied by the band-pass response; random phases. Its
  expected RMS is :data:`NOISE_RMS_MV`;
* for half of the traces, an **air-shower pulse**: a band-pass-filtered delta function
  (flat spectrum times the band-pass response) with a random arrival time (a linear phase)
  and a random overall phase ``phi`` in [0, 2 pi) (``phi = pi`` flips the polarity);
* optionally, **radio-frequency interference**: sine carriers of amplitude ``rfi_amplitude_mv``
  at :data:`RFI_LINES_MHZ` with random phases, added after the filter.

The band-pass response :func:`bandpass_response` is 1 inside 35-75 MHz, falls to 0 with a
cosine taper at 30 and 80 MHz and is exactly 0 outside the band, so noise and pulse carry no
power outside 30-80 MHz (RFI carriers leak slightly because they are not periodic in the trace).

Signal-to-noise ratio (digest D7, arXiv:1901.04079)
---------------------------------------------------
For a trace ``x = s + b`` (pulse ``s``, noise plus RFI ``b``, 500 samples)

.. math:: \\mathrm{SNR} = \\frac{\\max_t |s(t)|}{\\sqrt{\\frac{1}{500} \\sum_t x(t)^2}},

the pulse peak over the RMS of the *whole* measured trace. The pulse amplitude is solved per
trace (a quadratic equation) so that every signal trace has exactly the requested SNR.
Since the RMS includes the pulse, the SNR cannot exceed ``max|s| / RMS(s)`` of the pulse
alone (11.7 to 16 for this pulse shape, depending on phase and arrival time), so ``snr`` is
limited to :data:`SNR_MAX`.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

SAMPLING_MHZ = 180.0
"""Sampling frequency, MHz."""
N_SAMPLES = 500
"""Samples per trace."""
BAND_MHZ = (30.0, 80.0)
"""Pass band of the antenna and filter chain, MHz."""
TAPER_MHZ = 5.0
"""Width of the cosine taper at each band edge, MHz."""
GALACTIC_INDEX = -1.3
"""Power-law index of the galactic amplitude spectrum."""
WHITE_FLOOR = 0.2
"""Amplitude of the white thermal floor relative to the galactic amplitude at 30 MHz."""
NOISE_RMS_MV = 1.0
"""Expected RMS of the noise (without pulse and RFI), mV."""
RFI_LINES_MHZ = (55.25, 67.25)
"""Carrier frequencies of the optional RFI lines (TV video carriers of VHF channels 2 and 4), MHz."""
SNR_MAX = 10.0
"""Largest allowed SNR (below the pulse-only limit of 11.7, so the amplitude always exists)."""
PULSE_WINDOW = (50, 450)
"""Range of pulse arrival samples, away from the trace edges (the FFT is periodic)."""


def frequencies_mhz() -> np.ndarray:
    """Frequencies of the real FFT of a trace, (251,) MHz."""
    return np.fft.rfftfreq(N_SAMPLES, d=1.0 / SAMPLING_MHZ)


def bandpass_response(freq_mhz: np.ndarray) -> np.ndarray:
    """Amplitude response of the 30-80 MHz filter: flat inside, cosine tapers, 0 outside."""
    freq_mhz = np.asarray(freq_mhz, dtype=float)
    low, high = BAND_MHZ
    rise = np.clip((freq_mhz - low) / TAPER_MHZ, 0.0, 1.0)
    fall = np.clip((high - freq_mhz) / TAPER_MHZ, 0.0, 1.0)
    return np.sin(0.5 * np.pi * np.minimum(rise, fall)) ** 2


def noise_amplitude_spectrum(freq_mhz: np.ndarray) -> np.ndarray:
    """Relative amplitude spectrum of the noise: galactic power law plus white floor, band-passed."""
    freq_mhz = np.asarray(freq_mhz, dtype=float)
    galactic = (np.maximum(freq_mhz, BAND_MHZ[0]) / BAND_MHZ[0]) ** GALACTIC_INDEX
    return (galactic + WHITE_FLOOR) * bandpass_response(freq_mhz)


def signal_labels(signals: np.ndarray) -> np.ndarray:
    """Labels of the traces, as in Ex. 9.2: 1 where the pure signal is not identically zero.

    Parameters
    ----------
    signals : (n, 500) float
        The ``signals`` array.

    Returns
    -------
    (n,) int64
    """
    return np.any(np.asarray(signals) != 0, axis=-1).astype(np.int64)


def measured_snr(traces: np.ndarray, signals: np.ndarray) -> np.ndarray:
    """SNR of each trace, ``max|signal| / RMS(trace)`` (see the module docstring), (n,)."""
    traces = np.asarray(traces, dtype=float)
    signals = np.asarray(signals, dtype=float)
    return np.abs(signals).max(axis=-1) / np.sqrt(np.mean(traces**2, axis=-1))


def _unit_pulses(k: int, rng: np.random.Generator) -> np.ndarray:
    """Band-limited pulses with peak |s| = 1 at random times and phases, (k, 500)."""
    freq = frequencies_mhz()
    arrival = rng.uniform(*PULSE_WINDOW, size=(k, 1)) / SAMPLING_MHZ  # us
    phase = rng.uniform(0.0, 2 * np.pi, size=(k, 1))
    spectrum = bandpass_response(freq) * np.exp(1j * (phase - 2 * np.pi * freq * arrival))
    pulses = np.fft.irfft(spectrum, n=N_SAMPLES, axis=-1)
    return pulses / np.abs(pulses).max(axis=-1, keepdims=True)


def _noise(k: int, rng: np.random.Generator) -> np.ndarray:
    """Coloured Gaussian noise with expected RMS NOISE_RMS_MV, (k, 500) mV."""
    amplitude = noise_amplitude_spectrum(frequencies_mhz())
    # irfft of independent complex Gaussian bins (none at 0 or Nyquist, both out of band):
    # var(x_t) = 2 sum_f A_f^2 / N^2, which fixes the normalisation
    scale = NOISE_RMS_MV * N_SAMPLES / np.sqrt(2 * np.sum(amplitude**2))
    bins = rng.normal(size=(k, amplitude.size)) + 1j * rng.normal(size=(k, amplitude.size))
    return np.fft.irfft(bins * (amplitude * scale / np.sqrt(2)), n=N_SAMPLES, axis=-1)


def _rfi(k: int, amplitude_mv: float, rng: np.random.Generator) -> np.ndarray:
    """Sine carriers at RFI_LINES_MHZ with random phases, (k, 500) mV."""
    time_us = np.arange(N_SAMPLES) / SAMPLING_MHZ
    phase = rng.uniform(0.0, 2 * np.pi, size=(k, len(RFI_LINES_MHZ), 1))
    lines = np.asarray(RFI_LINES_MHZ)[None, :, None]
    return amplitude_mv * np.sin(2 * np.pi * lines * time_us + phase).sum(axis=1)


def _pulse_amplitude(pulse: np.ndarray, background: np.ndarray, snr: float) -> np.ndarray:
    """Amplitude ``a`` per trace with ``a = snr * RMS(a * pulse + background)``, (k, 1).

    Squaring gives ``a^2 (1 - snr^2 P) - 2 snr^2 C a - snr^2 B = 0`` with ``P = <pulse^2>``,
    ``C = <pulse background>`` and ``B = <background^2>``; its positive root is taken.
    """
    p = np.mean(pulse**2, axis=-1, keepdims=True)
    c = np.mean(pulse * background, axis=-1, keepdims=True)
    b = np.mean(background**2, axis=-1, keepdims=True)
    a = 1.0 - snr**2 * p
    return (snr**2 * c + snr * np.sqrt(snr**2 * c**2 + a * b)) / a


def simulate(
    n: int,
    *,
    seed: int = 0,
    snr: float = 2.0,
    rfi_amplitude_mv: float = 0.0,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` radio traces, half of them with an air-shower pulse.

    Parameters
    ----------
    n
        Number of traces (the original file has 50,000: 40,000 train, 10,000 test).
    seed
        Random seed.
    snr
        Signal-to-noise ratio ``max|signal| / RMS(trace)`` of every signal trace, in
        (0, :data:`SNR_MAX`] (the original data use 2).
    rfi_amplitude_mv
        Amplitude of each RFI carrier at :data:`RFI_LINES_MHZ`, mV (>= 0; 0 switches RFI off).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``traces`` (n, 500) float32, mV: the measured trace (noise, RFI and pulse);
        ``signals`` (n, 500) float32, mV: the pure pulse, identically 0 for noise-only traces.
        The classes are balanced: in every chunk of 10,000 traces, ``k // 2`` of the ``k``
        traces carry a pulse, in random order; :func:`signal_labels` gives the labels.
    """
    check_seed(seed)
    if not 0 < snr <= SNR_MAX:
        raise ValueError(f"snr must be in (0, {SNR_MAX}] (signal traces need a non-zero pulse), got {snr}")
    if not rfi_amplitude_mv >= 0:
        raise ValueError(f"rfi_amplitude_mv must be >= 0, got {rfi_amplitude_mv}")

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        has_signal = rng.permutation(np.arange(k) % 2 == 1)
        background = _noise(k, rng)
        if rfi_amplitude_mv > 0:
            background += _rfi(k, rfi_amplitude_mv, rng)
        pulse = _unit_pulses(k, rng)
        signals = np.where(has_signal[:, None], pulse * _pulse_amplitude(pulse, background, snr), 0.0)
        return {"traces": (background + signals).astype(np.float32), "signals": signals.astype(np.float32)}

    return generate(sample, n, seed=seed, chunk_size=10_000, progress=progress, desc="radio")


SPEC = register(
    DatasetSpec(
        name="radio",
        summary="radio traces at 180 MHz: galactic noise with or without an air-shower pulse (Ex. 9.2)",
        simulate=simulate,
        default_n=50_000,
        version=1,
        arrays="traces (n, 500) mV; signals (n, 500) mV, zero for noise-only traces",
        sample_bytes=lambda **_: 2 * 500 * 4,
        params=(
            Param("snr", float, 2.0, "max|signal| / RMS(trace) of every signal trace"),
            Param("rfi_amplitude_mv", float, 0.0, "amplitude of each RFI carrier, mV (0: no RFI)"),
        ),
    )
)
