"""
Radio traces of air showers in galactic noise
=============================================

The radio data of the RNN exercise (site Ex. 9.2): 500 samples at 180 MHz from an antenna
behind a 30-80 MHz filter. The top row shows a trace that contains an air-shower pulse (the
measurement in blue, the pure pulse in red) and a noise-only trace. At the default
signal-to-noise ratio of 2 (pulse peak over the RMS of the whole trace) the pulse is hard to
spot by eye. The bottom panel shows the mean power spectra: the galactic noise falls with
frequency, the pulse spectrum is flat inside the band, and nothing lies outside 30-80 MHz.
The dashed curve switches on the optional interference: two narrow RFI carriers, which leak
a little power outside the band because they are not periodic in the 2.78 µs window.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook.data import radio

events = radio.simulate(1000, seed=0, snr=2.0)
with_rfi = radio.simulate(1000, seed=0, snr=2.0, rfi_amplitude_mv=0.2)
label = radio.signal_labels(events["signals"])
time_us = np.arange(radio.N_SAMPLES) / radio.SAMPLING_MHZ
freq = radio.frequencies_mhz()


def mean_power(traces):
    """Mean power spectrum, mV^2 per FFT bin (normalised to the trace length)."""
    return np.mean(np.abs(np.fft.rfft(traces, axis=-1)) ** 2, axis=0) / radio.N_SAMPLES


fig = plt.figure(figsize=(10, 7), layout="constrained")
top = fig.subfigures(2, 1)
ax_signal, ax_noise = top[0].subplots(1, 2, sharey=True)
ax_spectrum = top[1].subplots()

first_signal, first_noise = np.flatnonzero(label == 1)[0], np.flatnonzero(label == 0)[0]
ax_signal.plot(time_us, events["traces"][first_signal], color="C0", lw=0.8, label="measured trace")
ax_signal.plot(time_us, events["signals"][first_signal], color="C3", lw=1.2, label="air-shower pulse")
ax_signal.set_title(f"cosmic-ray event (SNR = {radio.measured_snr(events['traces'], events['signals'])[first_signal]:.1f})")
ax_noise.plot(time_us, events["traces"][first_noise], color="C0", lw=0.8, label="measured trace")
ax_noise.set_title("noise only")
for ax in (ax_signal, ax_noise):
    ax.set_xlabel("time / µs")
    ax.legend(loc="upper right", fontsize="small")
ax_signal.set_ylabel("amplitude / mV")

ax_spectrum.axvspan(*radio.BAND_MHZ, color="0.9", label="30-80 MHz band")
ax_spectrum.semilogy(freq, mean_power(events["traces"][label == 0]), color="C0", label="noise traces")
ax_spectrum.semilogy(freq, mean_power(events["signals"][label == 1]), color="C3", label="pulses alone")
ax_spectrum.semilogy(freq, mean_power(with_rfi["traces"][label == 0]), "k--", lw=0.8, label="noise + RFI (0.2 mV)")
ax_spectrum.set_ylim(1e-4, None)
ax_spectrum.set_xlabel("frequency / MHz")
ax_spectrum.set_ylabel("mean power / mV² per bin")
ax_spectrum.legend(fontsize="small")
plt.show()
