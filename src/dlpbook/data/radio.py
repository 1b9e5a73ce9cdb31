"""Radio traces of air showers in galactic noise and RFI (site Ex. 9.2, book Sec. 9; digest D7).

Physics
-------
A radio antenna of an air-shower array (AERA-like) records the electric field through a
30-80 MHz band-pass filter, sampled at ``f_s = 180 MHz``; a trace has 500 samples (2.78 us).
Each trace is the sum of

* **galactic noise**: stationary Gaussian noise whose amplitude spectrum falls like the
  galactic background, ``|N(f)| ~ (f / 30 MHz)^-1.3`` (brightness temperature ~ f^-2.5), plus
  a white thermal floor, then multiplied by the band-pass response; random phases. Its
  expected RMS is :data:`NOISE_RMS_MV`;
* **radio-frequency interference** (RFI) from persistent transmitters: sine carriers of
  amplitude ``rfi_amplitude_mv`` (default :data:`RFI_AMPLITUDE_MV`) at :data:`RFI_LINES_MHZ`
  with random phases, added after the filter. By default they carry most of the noise power,
  as narrow-band RFI does in measured traces and in the simulated noise of the reference
  paper (arXiv:1901.04079), whose denoising network removes the RFI lines from the spectrum;
* for half of the traces, an **air-shower pulse**: a band-pass-filtered delta function
  (flat spectrum times the band-pass response) with a random arrival time (a linear phase)
  and a random overall phase ``phi`` in [0, 2 pi) (``phi = pi`` flips the polarity).

The band-pass response :func:`bandpass_response` is 1 inside 35-75 MHz, falls to 0 with a
cosine taper at 30 and 80 MHz and is exactly 0 outside the band, so noise and pulse carry no
power outside 30-80 MHz (RFI carriers leak slightly because they are not periodic in the trace).

What the SNR parameter means (Ex. 9.2's notebook, digest D7)
-------------------------------------------------------------
For a trace ``x = s + b`` (pulse ``s``; galactic noise plus RFI ``b``; 500 samples)

.. math:: \\mathrm{SNR} = \\frac{\\max_t |s(t)|}{\\sqrt{\\frac{1}{500} \\sum_t x(t)^2}},

the peak of the pulse itself (not of its Hilbert envelope, which is about 12 % higher) over
the RMS of the *whole* measured trace, RFI included. The pulse amplitude is solved per trace
(a quadratic equation) so that every signal trace has exactly the requested SNR. The pulse
adds about 1 % to the RMS at SNR 2, so the pulse peak is about ``snr`` times
:func:`background_rms_mv`: at the defaults 2 x 2.93 mV = 5.9 mV, 5.9 times the RMS of the
galactic noise alone. Since the RMS includes the pulse, the SNR cannot exceed
``max|s| / RMS(s)`` of the pulse alone (11.7 to 16 for this pulse shape, depending on phase
and arrival time), so ``snr`` is limited to :data:`SNR_MAX`.

How hard the default traces are (``benchmarks/radio_difficulty.py``)
-------------------------------------------------------------------
The original file (SNR 2) was classified by a bidirectional LSTM with test accuracy 0.992, a
lower bound on its separability. At a fixed peak SNR the separability is set by the pulse
energy in units of its peak, weighted by the inverse noise spectrum: a detector told the pulse
reaches ``Phi(d / 2)`` with ``d^2 = s C^-1 s`` (``C`` the noise covariance). For this pulse,
the most compact the band allows, ``d = 1.30 max|s| / sigma`` in galactic noise of RMS
``sigma``: without RFI, SNR 2 gives only 0.90 for that detector and 0.58 for a matched filter
that must find arrival time and phase, which reaches 0.98 only at SNR 5. Neither the SNR
convention (pulse share of the RMS about 1 %; a Hilbert-envelope peak would make traces 12 %
harder) nor realistic pulse shapes (antenna response ~ 1/f: d 7 % lower; the phase of a
10th-order Butterworth band-pass: 5 % higher) supply the missing factor 2.6. Noise power that
a classifier can filter away does: with the RFI carriers in the RMS, SNR 2 means a pulse 2.9
times larger against the galactic noise, and cancelling two carriers is a linear filter any
network can learn. :data:`RFI_AMPLITUDE_MV` is set so that strong classifiers reach about 0.99
at SNR 2, as the original network did: a matched filter 0.995, a small CNN 0.985, a detector
told the pulse 0.9998 (``benchmarks/RESULTS.md``). Harder variants: a lower ``snr``, or
``rfi_amplitude_mv=0`` (the pulse against galactic noise alone).
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float
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
"""Carrier frequencies of the RFI lines (TV video carriers of VHF channels 2 and 4), MHz."""
RFI_AMPLITUDE_MV = 2.75
"""Default amplitude of each RFI carrier, mV (calibrated, see the module docstring)."""
RFI_AMPLITUDE_MAX_MV = 100.0
"""Largest allowed RFI carrier amplitude, mV (100 times the noise RMS: already a trace of carriers alone)."""
SNR_MAX = 10.0
"""Largest allowed SNR (below the pulse-only limit of 11.7, so the amplitude always exists)."""
PULSE_WINDOW = (50, 450)
"""Range of pulse arrival samples, away from the trace edges (the FFT is periodic)."""


def background_rms_mv(rfi_amplitude_mv: float = RFI_AMPLITUDE_MV) -> float:
    """Expected RMS of a trace without pulse, mV: ``sqrt(NOISE_RMS_MV^2 + n_lines * A^2 / 2)``.

    Each carrier of amplitude ``A`` with a random phase adds ``A^2 / 2`` to the mean square.
    """
    rfi_amplitude_mv = check_float(rfi_amplitude_mv, "rfi_amplitude_mv", low=0, high=RFI_AMPLITUDE_MAX_MV)
    return float(np.sqrt(NOISE_RMS_MV**2 + len(RFI_LINES_MHZ) * rfi_amplitude_mv**2 / 2))


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


def remove_carriers(traces: np.ndarray) -> np.ndarray:
    """Traces with the RFI carriers removed: a least-squares fit of sine and cosine at each line, subtracted.

    The linear filter a classifier must learn before it sees the pulse against the galactic
    noise alone (see the module docstring); it also removes the small part of the noise and
    pulse that projects onto the four carrier waves.

    Parameters
    ----------
    traces : (n, 500) float
        Traces, mV.

    Returns
    -------
    (n, 500) float64, mV
    """
    traces = np.asarray(traces, dtype=float)
    time_us = np.arange(N_SAMPLES) / SAMPLING_MHZ
    phases = 2 * np.pi * np.asarray(RFI_LINES_MHZ)[:, None] * time_us
    carriers = np.concatenate([np.sin(phases), np.cos(phases)]).T  # (500, 4)
    coefficients, *_ = np.linalg.lstsq(carriers, traces.reshape(-1, N_SAMPLES).T, rcond=None)
    return traces - (carriers @ coefficients).T.reshape(traces.shape)


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
    rfi_amplitude_mv: float = RFI_AMPLITUDE_MV,
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
        Signal-to-noise ratio ``max|signal| / RMS(trace)`` of every signal trace, the RMS
        taken over the whole trace, RFI included (see the module docstring), in
        (0, :data:`SNR_MAX`]. The original data use 2; the default RFI makes that about as
        hard as the original file.
    rfi_amplitude_mv
        Amplitude of each RFI carrier at :data:`RFI_LINES_MHZ`, mV (>= 0; 0 switches RFI off,
        which makes the traces much harder at the same ``snr``).
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
    snr = check_float(snr, "snr", low=0, high=SNR_MAX, low_open=True)
    rfi_amplitude_mv = check_float(rfi_amplitude_mv, "rfi_amplitude_mv", low=0, high=RFI_AMPLITUDE_MAX_MV)

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
        summary="radio traces at 180 MHz: galactic noise and RFI with or without an air-shower pulse (Ex. 9.2)",
        simulate=simulate,
        default_n=50_000,
        version=2,
        arrays="traces (n, 500) mV; signals (n, 500) mV, zero for noise-only traces",
        sample_bytes=lambda **_: 2 * 500 * 4,
        params=(
            Param(
                "snr",
                float,
                2.0,
                "pulse peak max|signal| over the RMS of the whole trace, RFI included (2 as the original; lower is harder)",
            ),
            Param("rfi_amplitude_mv", float, RFI_AMPLITUDE_MV, "amplitude of each RFI carrier, mV (0: no RFI, much harder)"),
        ),
    )
)
