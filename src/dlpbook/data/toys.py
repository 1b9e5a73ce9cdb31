"""Small seeded toy samples that illustrate the ideas of Part 1 (book Figs. 1.2, 1.5, 2.1, 3.4) and Sec. 13.1.

These are illustration data, not physics data sets: they are tiny, generated on the fly and
therefore not registered in :func:`dlpbook.data.load` or the command line. Every function
takes an explicit ``seed`` and returns the same arrays for the same seed.

- :func:`signal_background_sample`: events with three observables for the decision tree
  of Fig. 1.2.
- :func:`curved_classes`: two classes in a plane separated by a curved boundary
  (Figs. 1.5 and 3.4b).
- :func:`noisy_curve`: points scattered around a smooth curve (Fig. 3.4a).
- :func:`heteroscedastic_curve`: the same curve with a scatter that grows with ``|x|`` and a
  gap in the data, for the uncertainty bands of Sec. 13.1.
- :func:`sensor_pulse`, :func:`hexagonal_camera_image`, :func:`collision_event`,
  :func:`pulse_sequences`: one example of each data type of Fig. 2.1.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_count, check_float, check_int, check_seed

SB_OBSERVABLES = ("x1", "x2", "x3")
"""Column names of :func:`signal_background_sample`."""
MAX_NOISE = 100.0
"""Largest noise standard deviation of the toy sets, far above any useful value."""

# (mean, standard deviation) of the three observables for signal and background.
_SIGNAL = {"x1": (40_000.0, 8_000.0), "x2": (175.0, 12.0), "x3": (62.0, 15.0)}
_BACKGROUND = {"x1": (26_000.0, 9_000.0), "x2": (200.0, 30.0), "x3": (42.0, 15.0)}


def signal_background_sample(n: int, *, seed: int = 0, signal_fraction: float = 0.5) -> dict[str, np.ndarray]:
    """Events with three observables ``x1, x2, x3``, labelled signal (1) or background (0).

    The observables mimic the scales of the book's Fig. 1.2 (cuts near ``x1 = 30,000``,
    ``x2 = 185``, ``x3 = 50``): signal sits at larger ``x1`` and ``x3`` and in a narrow band
    of ``x2``; background is broader. Each observable alone separates the classes only
    partly, so a tree of a few cuts is needed.

    Parameters
    ----------
    n
        Number of events (> 0).
    seed
        Random seed (>= 0).
    signal_fraction
        Expected fraction of signal events, in (0, 1).

    Returns
    -------
    dict
        ``x`` (n, 3) float64, the observables in the order :data:`SB_OBSERVABLES`;
        ``label`` (n,) int64, 1 for signal and 0 for background.
    """
    n, rng = check_count(n), np.random.default_rng(check_seed(seed))
    signal_fraction = check_float(signal_fraction, "signal_fraction", low=0, high=1, low_open=True, high_open=True)
    label = (rng.random(n) < signal_fraction).astype(np.int64)
    x = np.empty((n, 3))
    for column, name in enumerate(SB_OBSERVABLES):
        mean = np.where(label == 1, _SIGNAL[name][0], _BACKGROUND[name][0])
        std = np.where(label == 1, _SIGNAL[name][1], _BACKGROUND[name][1])
        x[:, column] = rng.normal(mean, std)
    return {"x": x, "label": label}


def curved_classes(n: int, *, seed: int = 0, noise: float = 0.2) -> dict[str, np.ndarray]:
    """Two classes in the square [-2, 2]^2 separated by the parabola ``x2 = x1^2 / 2 - 1``.

    A point is class 1 when it lies above the parabola after its ``x2`` is smeared by a
    Gaussian of width ``noise``, so the classes overlap near the boundary while the stored
    points keep their positions. About 58 % of the points are class 1.

    Parameters
    ----------
    n
        Number of points (> 0).
    seed
        Random seed (>= 0).
    noise
        Width of the smearing of the boundary (in [0, :data:`MAX_NOISE`]; 0 gives separable classes).

    Returns
    -------
    dict
        ``x`` (n, 2) float64; ``label`` (n,) int64 in {0, 1}.
    """
    n, rng = check_count(n), np.random.default_rng(check_seed(seed))
    noise = check_float(noise, "noise", low=0, high=MAX_NOISE)
    x = rng.uniform(-2.0, 2.0, (n, 2))
    smeared = x[:, 1] + rng.normal(0.0, noise, n) if noise > 0 else x[:, 1]
    label = (smeared > curved_classes_boundary(x[:, 0])).astype(np.int64)
    return {"x": x, "label": label}


def curved_classes_boundary(x1: np.ndarray) -> np.ndarray:
    """The true class boundary ``x2(x1) = x1^2 / 2 - 1`` of :func:`curved_classes`."""
    return 0.5 * np.asarray(x1, dtype=float) ** 2 - 1.0


def noisy_curve(n: int, *, seed: int = 0, noise: float = 0.15) -> dict[str, np.ndarray]:
    """Points scattered around the smooth curve ``y = sin(x) + 0.3 x`` on [-3, 3].

    Parameters
    ----------
    n
        Number of points (> 0).
    seed
        Random seed (>= 0).
    noise
        Standard deviation of the Gaussian scatter in ``y``, in [0, :data:`MAX_NOISE`].

    Returns
    -------
    dict
        ``x`` (n, 1) float64, sorted; ``y`` (n, 1) float64.
    """
    n, rng = check_count(n), np.random.default_rng(check_seed(seed))
    noise = check_float(noise, "noise", low=0, high=MAX_NOISE)
    x = np.sort(rng.uniform(-3.0, 3.0, n))[:, None]
    return {"x": x, "y": noisy_curve_function(x) + rng.normal(0.0, noise, (n, 1))}


def noisy_curve_function(x: np.ndarray) -> np.ndarray:
    """The noise-free curve ``sin(x) + 0.3 x`` of :func:`noisy_curve`."""
    x = np.asarray(x, dtype=float)
    return np.sin(x) + 0.3 * x


HETEROSCEDASTIC_RANGE = (-3.0, 3.0)
"""Interval from which :func:`heteroscedastic_curve` draws its positions."""
HETEROSCEDASTIC_GAP = (0.5, 1.75)
"""Part of that interval left empty, so that the data are sparse inside the range as well."""


def heteroscedastic_noise(x: np.ndarray) -> np.ndarray:
    """Standard deviation ``0.05 + 0.1 |x|`` of the scatter of :func:`heteroscedastic_curve` at ``x``."""
    return 0.05 + 0.1 * np.abs(np.asarray(x, dtype=float))


def heteroscedastic_curve(n: int, *, seed: int = 0) -> dict[str, np.ndarray]:
    """Points around the curve of :func:`noisy_curve` with a scatter that grows with ``|x|`` (Sec. 13.1).

    The positions are uniform on :data:`HETEROSCEDASTIC_RANGE` except for the empty
    :data:`HETEROSCEDASTIC_GAP`; ``y = sin(x) + 0.3 x + N(0, s(x)^2)`` with
    ``s(x) =`` :func:`heteroscedastic_noise`. A network fitted to them meets both kinds of
    uncertainty: the aleatoric one follows ``s(x)``, the epistemic one grows in the gap and
    outside the range.

    Parameters
    ----------
    n
        Number of points (> 0).
    seed
        Random seed (>= 0).

    Returns
    -------
    dict
        ``x`` (n, 1) float64, sorted; ``y`` (n, 1) float64.
    """
    n, rng = check_count(n), np.random.default_rng(check_seed(seed))
    (low, high), (gap_low, gap_high) = HETEROSCEDASTIC_RANGE, HETEROSCEDASTIC_GAP
    # uniform on the range with the gap cut out: draw on a shorter interval and shift past the gap
    u = rng.uniform(low, high - (gap_high - gap_low), n)
    x = np.sort(np.where(u < gap_low, u, u + gap_high - gap_low))[:, None]
    return {"x": x, "y": noisy_curve_function(x) + rng.normal(0.0, 1.0, (n, 1)) * heteroscedastic_noise(x)}


def sensor_pulse(*, seed: int = 0, n_samples: int = 200, noise_v: float = 0.3) -> dict[str, np.ndarray]:
    """One digitised detector pulse: voltage U (V) sampled over 10 ns (Fig. 2.1a).

    The pulse rises and decays like ``((t - t0) / tau)^2 exp(-(t - t0) / tau)`` with a random
    start ``t0`` in [1, 3] ns, ``tau`` in [0.6, 1.0] ns and a peak of 12-18 V, plus Gaussian
    electronics noise.

    Returns
    -------
    dict
        ``t_ns`` (n_samples,) float64, 0-10 ns; ``u_v`` (n_samples,) float64, V.
    """
    n_samples, rng = check_count(n_samples, "n_samples"), np.random.default_rng(check_seed(seed))
    noise_v = check_float(noise_v, "noise_v", low=0, high=MAX_NOISE)
    t_ns = np.linspace(0.0, 10.0, n_samples)
    start, tau, peak = rng.uniform(1.0, 3.0), rng.uniform(0.6, 1.0), rng.uniform(12.0, 18.0)
    s = np.clip((t_ns - start) / tau, 0.0, None)
    shape = s**2 * np.exp(2.0 - s) / 4.0  # maximum 1 at s = 2
    return {"t_ns": t_ns, "u_v": peak * shape + rng.normal(0.0, noise_v, n_samples)}


def hexagonal_pixel_centres(rings: int, pitch: float = 1.0) -> np.ndarray:
    """Centres of a hexagonal camera of ``rings`` rings around a central pixel.

    Neighbouring pixels are ``pitch`` apart; rows are horizontal (pointy-top hexagons).
    The camera has ``1 + 3 rings (rings + 1)`` pixels.

    Returns
    -------
    (n_pixels, 2) float64
        Pixel centres (x, y) in units of ``pitch``.
    """
    rings = check_int(rings, "rings", low=0, high=1_000)
    pitch = check_float(pitch, "pitch", low=0, low_open=True)
    q, r = np.meshgrid(np.arange(-rings, rings + 1), np.arange(-rings, rings + 1), indexing="ij")
    inside = np.abs(q + r) <= rings  # axial coordinates within hexagonal distance `rings`
    q, r = q[inside], r[inside]
    return pitch * np.stack([q + r / 2.0, np.sqrt(3.0) / 2.0 * r], axis=1)


def hexagonal_camera_image(*, seed: int = 0, rings: int = 12, size_pe: float = 2_000.0) -> dict[str, np.ndarray]:
    """A Cherenkov-telescope camera image of an air shower on hexagonal pixels (Fig. 2.1b).

    The shower image is an elongated two-dimensional Gaussian (a "Hillas ellipse") with a
    random centre, orientation, length 1.5-3 and width 0.4-0.8 pixel pitches, holding on
    average ``size_pe`` photoelectrons. Each pixel counts a Poisson number of photoelectrons
    on top of a night-sky background of 1 p.e., which is then subtracted.

    Returns
    -------
    dict
        ``xy`` (n_pixels, 2) float64, pixel centres in pixel pitches (see
        :func:`hexagonal_pixel_centres`); ``intensity_pe`` (n_pixels,) float64, photoelectrons;
        ``ellipse`` (5,) float64, the true (x, y, length, width, angle in rad).
    """
    rng = np.random.default_rng(check_seed(seed))
    size_pe = check_float(size_pe, "size_pe", low=0, high=1e9, low_open=True)
    xy = hexagonal_pixel_centres(rings)
    centre = rng.uniform(-0.4, 0.4, 2) * rings
    length, width, angle = rng.uniform(1.5, 3.0), rng.uniform(0.4, 0.8), rng.uniform(0.0, np.pi)
    rotation = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    u, v = ((xy - centre) @ rotation.T).T
    density = np.exp(-0.5 * ((u / length) ** 2 + (v / width) ** 2)) / (2 * np.pi * length * width)
    pixel_area = np.sqrt(3.0) / 2.0  # area of a hexagon with unit pitch
    background_pe = 1.0
    counts = rng.poisson(size_pe * density * pixel_area + background_pe)
    ellipse = np.array([*centre, length, width, angle])
    return {"xy": xy, "intensity_pe": counts - background_pe, "ellipse": ellipse}


def collision_event(*, seed: int = 0, n_jets: int = 3, n_soft: int = 150) -> dict[str, np.ndarray]:
    """Particles of a collider event in the (eta, phi) plane with transverse momenta (Fig. 2.1c).

    ``n_jets`` collimated sprays of 8-20 particles share a jet momentum of 80-400 GeV
    (Dirichlet-distributed fractions, so a few particles carry most of it) and scatter by
    about 0.15 around the jet axis; ``n_soft`` soft particles (exponential pT, mean 1 GeV)
    fill the detector uniformly in ``|eta| < 4``.

    Returns
    -------
    dict
        ``eta`` (m,) float64 in [-4, 4]; ``phi`` (m,) float64 in [-pi, pi); ``pt_gev``
        (m,) float64, GeV.
    """
    rng = np.random.default_rng(check_seed(seed))
    n_jets, n_soft = check_int(n_jets, "n_jets", low=0, high=100), check_int(n_soft, "n_soft", low=0, high=100_000)
    eta, phi, pt = [rng.uniform(-4.0, 4.0, n_soft)], [rng.uniform(-np.pi, np.pi, n_soft)], [rng.exponential(1.0, n_soft)]
    for _ in range(n_jets):
        k = int(rng.integers(8, 21))
        axis_eta, axis_phi = rng.uniform(-2.5, 2.5), rng.uniform(-np.pi, np.pi)
        eta.append(axis_eta + rng.normal(0.0, 0.15, k))
        phi.append(axis_phi + rng.normal(0.0, 0.15, k))
        pt.append(rng.uniform(80.0, 400.0) * rng.dirichlet(np.full(k, 0.5)))
    eta_all = np.clip(np.concatenate(eta), -4.0, 4.0)
    phi_all = (np.concatenate(phi) + np.pi) % (2 * np.pi) - np.pi
    return {"eta": eta_all, "phi": phi_all, "pt_gev": np.concatenate(pt)}


def pulse_sequences(
    *, seed: int = 0, n_sequences: int = 10, n_samples: int = 500, rate_per_ns: float = 0.03
) -> dict[str, np.ndarray]:
    """A series of recordings of short pulses, one trace of 100 ns per sequence index (Fig. 2.1d).

    Pulses arrive as a Poisson process of ``rate_per_ns`` per ns, each a Gaussian of width
    0.7 ns and amplitude 0.1-0.45 V, over Gaussian noise of 0.01 V.

    Returns
    -------
    dict
        ``t_ns`` (n_samples,) float64, 0-100 ns; ``u_v`` (n_sequences, n_samples) float64, V.
    """
    rng = np.random.default_rng(check_seed(seed))
    n_sequences = check_count(n_sequences, "n_sequences")
    n_samples = check_count(n_samples, "n_samples")
    # at most about 1000 pulses per 100 ns trace
    rate_per_ns = check_float(rate_per_ns, "rate_per_ns", low=0, high=10, low_open=True)
    t_ns = np.linspace(0.0, 100.0, n_samples)
    u_v = rng.normal(0.0, 0.01, (n_sequences, n_samples))
    for trace in u_v:
        times = rng.uniform(0.0, 100.0, rng.poisson(rate_per_ns * 100.0))
        amplitudes = rng.uniform(0.1, 0.45, len(times))
        trace += (amplitudes[:, None] * np.exp(-0.5 * ((t_ns[None] - times[:, None]) / 0.7) ** 2)).sum(axis=0)
    return {"t_ns": t_ns, "u_v": u_v}
