"""
Radio traces of air showers in galactic noise and RFI
=====================================================

The radio data of the RNN exercise (site Ex. 9.2): 500 samples at 180 MHz from an antenna
behind a 30-80 MHz filter. The top row shows a trace that contains an air-shower pulse (the
measurement in blue, the pure pulse in red) and a noise-only trace. Two narrow-band RFI
carriers carry most of the noise power, so at the default signal-to-noise ratio of 2 (pulse
peak over the RMS of the whole trace, RFI included) the pulse does not stand out. The
middle row shows the same traces after the carriers are removed by a least-squares fit
(``radio.remove_carriers``), a linear filter a network can learn: the pulse, 5.9 mV high,
stands out against the galactic noise of 1 mV RMS. The bottom panel shows the mean power
spectra: the galactic noise falls with frequency, the RFI lines stand out, the pulse
spectrum is flat inside the band, and nothing but the carriers' leakage (they are not
periodic in the 2.78 µs window) lies outside 30-80 MHz.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook.data import radio

events = radio.simulate(1000, seed=0, snr=2.0)
galactic_only = radio.simulate(1000, seed=0, snr=2.0, rfi_amplitude_mv=0.0)
label = radio.signal_labels(events["signals"])
time_us = np.arange(radio.N_SAMPLES) / radio.SAMPLING_MHZ
freq = radio.frequencies_mhz()


def mean_power(traces):
    """Mean power spectrum, mV^2 per FFT bin (normalised to the trace length)."""
    return np.mean(np.abs(np.fft.rfft(traces, axis=-1)) ** 2, axis=0) / radio.N_SAMPLES


fig = plt.figure(figsize=(10, 10), layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=[2, 1])
axes = top.subplots(2, 2, sharex=True, sharey=True)
ax_spectrum = bottom.subplots()

first_signal, first_noise = np.flatnonzero(label == 1)[0], np.flatnonzero(label == 0)[0]
snr = radio.measured_snr(events["traces"], events["signals"])[first_signal]
cleaned = radio.remove_carriers(events["traces"][[first_signal, first_noise]])
for row, (signal_trace, noise_trace, name) in enumerate(
    [(events["traces"][first_signal], events["traces"][first_noise], "measured trace"), (*cleaned, "without RFI carriers")]
):
    axes[row, 0].plot(time_us, signal_trace, color="C0", lw=0.8, label=name)
    axes[row, 0].plot(time_us, events["signals"][first_signal], color="C3", lw=1.2, label="air-shower pulse")
    axes[row, 1].plot(time_us, noise_trace, color="C0", lw=0.8, label=name)
    axes[row, 0].set_ylabel("amplitude / mV")
axes[0, 0].set_title(f"cosmic-ray event (SNR = {snr:.1f})")
axes[0, 1].set_title("noise only")
for ax in axes.flat:
    ax.legend(loc="upper right", fontsize="small")
for ax in axes[1]:
    ax.set_xlabel("time / µs")

ax_spectrum.axvspan(*radio.BAND_MHZ, color="0.9", label="30-80 MHz band")
ax_spectrum.semilogy(freq, mean_power(events["traces"][label == 0]), color="C0", label="noise traces (galactic + RFI)")
ax_spectrum.semilogy(freq, mean_power(galactic_only["traces"][label == 0]), "k--", lw=0.8, label="galactic noise alone")
ax_spectrum.semilogy(freq, mean_power(events["signals"][label == 1]), color="C3", label="pulses alone")
ax_spectrum.set_ylim(1e-4, None)
ax_spectrum.set_xlabel("frequency / MHz")
ax_spectrum.set_ylabel("mean power / mV² per bin")
ax_spectrum.legend(fontsize="small")
plt.show()
