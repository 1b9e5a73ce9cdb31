"""Air-shower footprints on a ground array: the toy simulation of book D3/D4.

A re-implementation, from its published recipe, of the toy model of Erdmann, Glombitza and
Walz, Astropart. Phys. 97 (2018) 46 (arXiv:1708.00647), used in the book's Ex. 7.2, 8.2,
11.1 and 18.2.

Physics
-------
*Primary.* ``log10(E/eV) ~ U[18.5, 20]`` (3.2-100 EeV), azimuth ``phi ~ U(-pi, pi)``,
zenith angle with density ``sin(theta) cos(theta)`` on [0, 60 deg] (an isotropic flux on a
flat detector), so ``cos^2(theta)`` is uniform on [1/4, 1]. The core is uniform in a disc of
half a station spacing around the array centre. The shower axis
``(sin theta cos phi, sin theta sin phi, cos theta)`` points up, towards the source.

*Shower maximum.* Xmax from the Gumbel parametrisation (:mod:`.xmax`), redrawn until the
maximum lies at least 200 m above the ground; its position on the axis follows from the
CORSIKA atmosphere (:mod:`.atmosphere`).

*Signal.* A station at distance ``r`` from the axis and slant depth ``dX`` below the
maximum (along the line from the station to the maximum) expects, in VEM (one particle =
one VEM), ``S0 = 900 * 10^lE`` with ``lE = log10(E/eV) - 19``, split into muons and the
electromagnetic (EM) part in the ratio ``0.3 A^0.15 : 0.7``, times the lateral distributions
``(max(r, 150 m) / 1000 m)^-4.7`` (muons) and ``^-6.1`` (EM) and the attenuations
``min((dX / 100)^-0.1, 10)`` and ``min((dX / 100)^-0.4, 10)``; the total saturates at
``10^7``. Particle numbers fluctuate as ``max(floor(S + sqrt(S) N(0, 1)), 0)``.

*Trace.* Particle arrival times are log-normal (sigma 0.7) in ns with medians
``50 + 140 (r/750 m)^1.4 (1 - 0.2 dX/1000)`` (muons) and
``80 + 200 (r/750 m)^1.4 (1 - 0.1 dX/1000)`` (EM), and the EM times are delayed by
``(median_em - median_mu) / 1.5``, as in the published toy: in a real shower the muons,
produced high up and hardly scattered, arrive first, while the electrons and photons, which
scatter many times on their way down, lag behind and more so far from the axis. The delay is
``20 + (r/750 m)^1.4 (40 + 5.3 dX/1000)`` ns, about 20 ns at the core and 85 ns at 1 km,
so the muons make the sharp start of a trace and the EM particles its later, broader part.
They fill 80 bins of 25 ns (0-2000 ns; particles outside are lost). Stations with up to
:data:`DIRECT_SAMPLING_MAX` particles draw every arrival time and are histogrammed together
with ``np.bincount``; for more particles the bin contents are drawn from the multinomial
distribution with the log-normal bin probabilities, the same distribution as histogramming
the particles at a cost that does not grow with their number (up to 10^7 per station).

*Detector.* Each bin gets 5 % relative noise and an absolute noise ``1.2 (1 + 0.5 N(0, 1))``
VEM, clipped at 0; the summed trace (the station ``signal``) thus carries a pedestal of
about 96 VEM, and a station triggers if it reaches ``80 * 1.2 * 1.2 = 115.2`` VEM.
The arrival time is that of a plane front moving along ``-axis`` at ``c``, plus a jitter of
``60 ns * 8 / (1 + log10(signal + 1))`` and a per-event offset ``U(-50, 50)`` ns. Silent
(not triggered) stations have ``time`` and ``signal`` NaN.

Coordinates are m in the array frame: the ground at 1400 m above sea level is ``z = 0``.
"""

from __future__ import annotations

import numpy as np

from ...validation import check_seed
from ..generate import generate
from .array import ALTITUDE_M, StationArray, station_array
from .atmosphere import height_at_slant_depth, slant_depth, vertical_depth
from .xmax import check_mass, sample_xmax

SPEED_OF_LIGHT_M_S = 3.0e8
"""Speed of the plane shower front, m/s."""
LOG10_ENERGY_RANGE_EV = (18.5, 20.0)
"""Range of the uniform ``log10(E / eV)`` distribution."""
MAX_ZENITH_RAD = np.deg2rad(60.0)
"""Largest zenith angle, rad."""
N_BINS = 80
"""Time bins per station trace."""
BIN_WIDTH_NS = 25.0
"""Width of a trace bin, ns."""
NOISE_VEM_PER_BIN = 1.2
"""Mean absolute noise per bin, VEM (its sum over the trace is the ~96 VEM pedestal)."""
TRIGGER_VEM = N_BINS * NOISE_VEM_PER_BIN * 1.2
"""Summed-trace threshold of a station, VEM (1.2 times the pedestal, 115.2 VEM)."""
SATURATION_VEM = 1e7
"""Largest expected signal of a station, VEM."""
MIN_HEIGHT_OF_MAXIMUM_M = 200.0
"""The shower maximum lies at least this far above the ground, m."""
DIRECT_SAMPLING_MAX = 64
"""Stations with at most this many particles draw each arrival time; larger ones draw bin contents."""
CHUNK_SIZE = 250
"""Events per generation chunk: bounds the memory of the (events, stations, 80) arrays."""


def axis_vector(zenith_rad: np.ndarray, azimuth_rad: np.ndarray) -> np.ndarray:
    """Unit vectors (..., 3) pointing from the ground towards the source."""
    sin_zenith = np.sin(zenith_rad)
    return np.stack([sin_zenith * np.cos(azimuth_rad), sin_zenith * np.sin(azimuth_rad), np.cos(zenith_rad)], axis=-1)


def sample_primaries(k: int, rng: np.random.Generator, core_radius_m: float) -> dict[str, np.ndarray]:
    """Energies, arrival directions and cores of ``k`` showers.

    Returns
    -------
    dict
        ``logE`` (k,) log10(E/eV); ``zenith`` and ``azimuth`` (k,) rad; ``showeraxis`` (k, 3);
        ``showercore`` (k, 3) m, with z = 0.
    """
    log_e = rng.uniform(*LOG10_ENERGY_RANGE_EV, k)
    azimuth = rng.uniform(-np.pi, np.pi, k)
    # inverse CDF of p(theta) ~ sin cos: cos^2(theta) is uniform on [cos^2(60 deg), 1]
    zenith = np.arccos(np.sqrt(1.0 - rng.uniform(size=k) * np.sin(MAX_ZENITH_RAD) ** 2))
    radius = core_radius_m * np.sqrt(rng.uniform(size=k))
    angle = rng.uniform(-np.pi, np.pi, k)
    core = np.stack([radius * np.cos(angle), radius * np.sin(angle), np.zeros(k)], axis=-1)
    return {"logE": log_e, "zenith": zenith, "azimuth": azimuth, "showeraxis": axis_vector(zenith, azimuth), "showercore": core}


def shower_maximum_position(xmax_g_cm2: np.ndarray, zenith_rad: np.ndarray, core_m: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """Position (k, 3), m in the array frame, of the shower maximum on the axis."""
    height_above_ground = height_at_slant_depth(xmax_g_cm2, zenith_rad) - ALTITUDE_M
    return core_m + axis * (height_above_ground / np.cos(zenith_rad))[:, None]


def expected_particles(
    r_m: np.ndarray, delta_x_g_cm2: np.ndarray, log10_energy_ev: np.ndarray, mass: float
) -> tuple[np.ndarray, np.ndarray]:
    """Expected muon and EM signals, VEM, at axis distance ``r_m`` and depth ``delta_x_g_cm2`` below Xmax."""
    s0 = 900.0 * 10.0 ** (np.asarray(log10_energy_ev) - 19.0)
    r1, r2 = 0.3 * mass**0.15, 0.7
    r_km = np.maximum(r_m, 150.0) / 1000.0
    depth = np.asarray(delta_x_g_cm2) / 100.0
    muons = s0 * r1 / (r1 + r2) * r_km**-4.7 * np.minimum(depth**-0.1, 10.0)
    em = s0 * r2 / (r1 + r2) * r_km**-6.1 * np.minimum(depth**-0.4, 10.0)
    saturation = np.minimum(1.0, SATURATION_VEM / (muons + em))
    return muons * saturation, em * saturation


def arrival_time_medians(r_m: np.ndarray, delta_x_g_cm2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median arrival times of muons and EM particles, ns, and the delay of the EM times, ns.

    All three have the shape of ``r_m`` and ``delta_x_g_cm2`` broadcast together; the delay
    ``(median_em - median_mu) / 1.5`` is > 0 and is added to the EM arrival times.
    """
    scaled_r = (np.asarray(r_m) / 750.0) ** 1.4
    depth = np.asarray(delta_x_g_cm2) / 1000.0
    median_mu = 50.0 + 140.0 * scaled_r * np.maximum(1.0 - 0.2 * depth, 0.0)
    median_em = 80.0 + 200.0 * scaled_r * np.maximum(1.0 - 0.1 * depth, 0.0)
    return median_mu, median_em, (median_em - median_mu) / 1.5


def bin_probabilities(median_ns: np.ndarray, delay_ns: np.ndarray | float = 0.0) -> np.ndarray:
    """Probabilities (..., 80) that a log-normal arrival time (median ``median_ns``, sigma 0.7)
    plus ``delay_ns`` falls in each 25 ns bin of the trace."""
    from scipy.special import ndtr

    # P(T + delay < edge) is the log-normal CDF at edge - delay (zero for edge <= delay)
    t = np.arange(N_BINS + 1) * BIN_WIDTH_NS - np.asarray(delay_ns)[..., None]
    z = (np.log(np.maximum(t, 1e-9)) - np.log(median_ns)[..., None]) / 0.7
    return np.diff(np.where(t > 0, ndtr(z), 0.0), axis=-1)


def histogram_arrival_times(
    n_particles: np.ndarray, median_ns: np.ndarray, delay_ns: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Bin contents (..., 80) of ``n_particles`` log-normal arrival times (see :func:`bin_probabilities`).

    Stations with few particles draw every arrival time and histogram them all at once with
    ``np.bincount``; stations with many draw the multinomial bin contents directly, which has
    the same distribution at a cost independent of the particle number. Particles outside
    0-2000 ns are lost.
    """
    counts = np.zeros((n_particles.size, N_BINS), dtype=np.int64)
    n_flat, median, delay = n_particles.ravel(), np.ravel(median_ns), np.ravel(delay_ns)

    few = np.flatnonzero((n_flat > 0) & (n_flat <= DIRECT_SAMPLING_MAX))
    station = np.repeat(few, n_flat[few])
    arrival = median[station] * np.exp(0.7 * rng.standard_normal(station.size)) + delay[station]
    bin_index = np.floor(arrival / BIN_WIDTH_NS)
    inside = (bin_index >= 0) & (bin_index < N_BINS)
    flat_bin = station[inside] * N_BINS + bin_index[inside].astype(np.int64)
    counts += np.bincount(flat_bin, minlength=counts.size).reshape(counts.shape)

    many = np.flatnonzero(n_flat > DIRECT_SAMPLING_MAX)
    if many.size:
        p = bin_probabilities(median[many], delay[many])
        outside = np.clip(1.0 - p.sum(axis=-1, keepdims=True), 0.0, None)
        pvals = np.concatenate([p, outside], axis=-1)
        counts[many] = rng.multinomial(n_flat[many], pvals / pvals.sum(axis=-1, keepdims=True))[:, :-1]
    return counts.reshape(*n_particles.shape, N_BINS)


def _particle_numbers(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.maximum(np.floor(expected + np.sqrt(expected) * rng.standard_normal(expected.shape)), 0).astype(np.int64)


def _noisy_traces(particles: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add 5 % relative and 1.2 (1 + 0.5 N(0, 1)) VEM absolute noise per bin; clip at 0. float32."""
    traces = rng.standard_normal(particles.shape, dtype=np.float32)
    traces *= 0.5 * NOISE_VEM_PER_BIN
    traces += NOISE_VEM_PER_BIN
    occupied = np.flatnonzero(particles)  # most bins are empty: draw the relative noise only where needed
    signal = particles.ravel()[occupied].astype(np.float32)
    traces.ravel()[occupied] += signal * (1.0 + 0.05 * rng.standard_normal(occupied.size, dtype=np.float32))
    return np.maximum(traces, 0.0, out=traces)


def simulate_events(
    k: int, rng: np.random.Generator, array: StationArray, mass: float = 1.0, components: bool = False
) -> dict[str, np.ndarray]:
    """Simulate ``k`` showers on ``array`` (one chunk; see :func:`simulate_footprints`).

    Returns the arrays of :func:`simulate_footprints` with ``traces`` always included and,
    if ``components``, the noise-free particle counts ``traces_muon`` and ``traces_em``.
    """
    primaries = sample_primaries(k, rng, array.core_radius_m)
    zenith, axis, core = primaries["zenith"], primaries["showeraxis"], primaries["showercore"]
    stations = np.concatenate([array.positions_m.reshape(-1, 2), np.zeros((array.n**2, 1))], axis=1)

    deepest = slant_depth(ALTITUDE_M + MIN_HEIGHT_OF_MAXIMUM_M, zenith)
    xmax = sample_xmax(primaries["logE"], mass, rng, deepest)
    maximum = shower_maximum_position(xmax, zenith, core, axis)

    offset = stations[None] - core[:, None]  # (k, S, 3)
    along_axis = np.einsum("ksd,kd->ks", offset, axis)
    r = np.linalg.norm(offset - along_axis[..., None] * axis[:, None], axis=-1)
    to_maximum = maximum[:, None] - stations[None]
    cos_view = to_maximum[..., 2] / np.linalg.norm(to_maximum, axis=-1)
    delta_x = (vertical_depth(ALTITUDE_M) - xmax * np.cos(zenith))[:, None] / cos_view

    expected_mu, expected_em = expected_particles(r, delta_x, primaries["logE"][:, None], mass)
    median_mu, median_em, em_delay = arrival_time_medians(r, delta_x)
    muons = histogram_arrival_times(_particle_numbers(expected_mu, rng), median_mu, np.zeros_like(r), rng)
    em = histogram_arrival_times(_particle_numbers(expected_em, rng), median_em, em_delay, rng)
    traces = _noisy_traces(muons + em, rng)

    signal = traces.sum(axis=-1, dtype=np.float64)
    jitter_s = 60e-9 * 8.0 / (1.0 + np.log10(signal + 1.0))
    time = -along_axis / SPEED_OF_LIGHT_M_S + jitter_s * rng.standard_normal(signal.shape)
    time += rng.uniform(-50e-9, 50e-9, (k, 1))
    silent = signal < TRIGGER_VEM
    shape = (k, array.n, array.n)
    events = {
        "time": np.where(silent, np.nan, time).reshape(shape).astype(np.float32),
        "signal": np.where(silent, np.nan, signal).reshape(shape).astype(np.float32),
        "showeraxis": axis,
        "showercore": core,
        "logE": primaries["logE"],
        "Xmax": xmax,
        "traces": traces.reshape(*shape, N_BINS),
    }
    if components:
        events["traces_muon"] = muons.reshape(*shape, N_BINS).astype(np.int32)
        events["traces_em"] = em.reshape(*shape, N_BINS).astype(np.int32)
    return events


def simulate_footprints(
    n: int,
    *,
    geometry: str = "hex9",
    seed: int = 0,
    mass: float = 1.0,
    traces: bool = False,
    components: bool = False,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` air-shower footprints on the array ``geometry``.

    Parameters
    ----------
    n
        Number of showers (> 0).
    geometry
        ``"hex9"`` (9 x 9 hexagonal, 1500 m) or ``"cartesian14"`` (14 x 14 square, 750 m).
    seed
        Random seed; events are generated in chunks of :data:`CHUNK_SIZE`.
    mass
        Mass number A of the primary (> 0; 1 = proton, 56 = iron).
    traces
        Also return the station traces (memory: 320 bytes per station and event).
    components
        Also return the noise-free muon and EM particle counts per bin (implies ``traces``).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        With ``m`` = 9 or 14: ``time`` (n, m, m) float32, s, NaN for silent stations;
        ``signal`` (n, m, m) float32, VEM, summed trace, NaN for silent stations;
        ``showeraxis`` (n, 3) float64 unit vectors towards the source; ``showercore`` (n, 3)
        float64, m (z = 0); ``logE`` (n,) float64, log10(E/eV); ``Xmax`` (n,) float64,
        g/cm^2; if ``traces``: ``traces`` (n, m, m, 80) float32, VEM per 25 ns bin (all
        stations, noise included); if ``components``: ``traces_muon``, ``traces_em``
        (n, m, m, 80) int32 particle counts.
    """
    array = station_array(geometry)
    check_seed(seed)
    mass = check_mass(mass)
    keep_traces = bool(traces) or bool(components)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        events = simulate_events(k, rng, array, mass, components)
        if not keep_traces:
            del events["traces"]
        return events

    return generate(sample, n, seed=seed, chunk_size=CHUNK_SIZE, progress=progress, desc=f"air showers ({geometry})")
