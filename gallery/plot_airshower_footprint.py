"""
An air-shower footprint on the hexagonal array
==============================================

One simulated cosmic-ray shower on the 9 x 9 array of water-Cherenkov stations spaced by
1500 m (book Sec. 11.1, Ex. 11.1). The left panel colours each triggered station by its
arrival time and sizes it by its signal. The arrow is the shower axis projected on the ground,
pointing from the core (star) towards the source: the plane shower front reaches the stations on
that side first and sweeps across the array against the arrow. The middle panel shows the signals on a log scale; they fall steeply with
distance from the axis, and grey hexagons did not trigger. The right panel is the 80 x 25 ns
trace of the station marked by a black frame: the muons arrive first and end sooner, the
electromagnetic particles spread into a longer tail, and the detector noise adds a pedestal of
about 1.2 VEM per bin.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from dlpbook.data.airshower import footprints, station_array
from dlpbook.plots.hexagons import plot_hexagons

events = footprints.simulate_footprints(200, seed=3, components=True)
zenith = np.degrees(np.arccos(events["showeraxis"][:, 2]))
event = np.flatnonzero((events["logE"] > 19.5) & (zenith > 30) & (zenith < 50))[0]

grid = station_array("hex9")
xy_km = grid.positions_m.reshape(-1, 2) / 1000.0
time_us = events["time"][event].ravel() * 1e6
signal = events["signal"][event].ravel()
hit = np.isfinite(signal)
core_km = events["showercore"][event, :2] / 1000.0
axis = events["showeraxis"][event]

# the trace of the triggered station whose distance to the core is closest to 1.2 km
distance = np.linalg.norm(xy_km - core_km, axis=1)
station = np.flatnonzero(hit)[np.argmin(np.abs(distance[hit] - 1.2))]


def draw_stations(ax, values, norm, cmap, sizes):
    pitch = grid.spacing_m / 1000.0
    plot_hexagons(ax, xy_km, pitch=pitch, facecolor="0.92", edgecolor="0.7")
    filled = plot_hexagons(ax, xy_km[hit], values[hit], pitch=pitch, sizes=sizes[hit], cmap=cmap, norm=norm,
                           edgecolor="k", linewidth=0.3)
    plot_hexagons(ax, xy_km[[station]], pitch=pitch, facecolor="none", edgecolor="k", linewidth=2)
    ax.plot(*core_km, marker="*", color="crimson", markersize=14, label="shower core")
    ax.annotate(
        "", xy=core_km + 3.0 * axis[:2] / np.linalg.norm(axis[:2]), xytext=core_km,
        arrowprops={"arrowstyle": "->", "color": "crimson", "linewidth": 2},
    )
    ax.plot([], [], color="crimson", label="projected axis")
    ax.set(xlabel="x / km", ylabel="y / km")
    ax.legend(loc="lower left", fontsize=9)
    return filled


# two maps side by side and the trace below them: at the width of a page the labels stay legible
fig, axes = plt.subplot_mosaic([["time", "signal"], ["trace", "trace"]], figsize=(11, 9.5), height_ratios=[1.2, 0.8])
ax_time, ax_signal, ax_trace = axes["time"], axes["signal"], axes["trace"]
log_signal = np.log10(np.where(hit, signal, 1.0))
sizes = np.where(hit, 0.35 + 0.65 * (log_signal - log_signal[hit].min()) / np.ptp(log_signal[hit]), 1.0)
relative_time = time_us - np.nanmin(time_us)
filled = draw_stations(ax_time, relative_time, plt.Normalize(0, np.nanmax(relative_time)), "viridis", sizes)
fig.colorbar(filled, ax=ax_time, label="arrival time / µs")
ax_time.set_title(f"E = {10 ** (events['logE'][event] - 18):.0f} EeV, zenith {zenith[event]:.0f}°\narrival time (size = signal)")

filled = draw_stations(ax_signal, signal, LogNorm(np.nanmin(signal), np.nanmax(signal)), "magma", np.ones(len(hit)))
fig.colorbar(filled, ax=ax_signal, label="signal / VEM")
ax_signal.set_title("station signals (grey: not triggered)")

t_ns = (np.arange(footprints.N_BINS) + 0.5) * footprints.BIN_WIDTH_NS
muons = events["traces_muon"][event].reshape(-1, footprints.N_BINS)[station]
em = events["traces_em"][event].reshape(-1, footprints.N_BINS)[station]
total = events["traces"][event].reshape(-1, footprints.N_BINS)[station]
ax_trace.bar(t_ns, muons, width=footprints.BIN_WIDTH_NS, color="tab:blue", label="muons")
ax_trace.bar(t_ns, em, width=footprints.BIN_WIDTH_NS, bottom=muons, color="tab:orange", label="electromagnetic")
ax_trace.step(t_ns, total, where="mid", color="k", linewidth=1, label="measured (with noise)")
ax_trace.set(
    xlabel="time in trace / ns", ylabel="signal / VEM per 25 ns",
    title=f"trace of the framed station, {distance[station]:.1f} km from the core, S = {signal[station]:.0f} VEM",
)
ax_trace.set_xlim(0, 2000)
ax_trace.legend()
fig.tight_layout()
plt.show()
