"""Small-angle X-ray scattering (SAXS) patterns with and without coherent speckle (Exercise 17.1).

Physics
-------
A 64 x 64 detector records the scattered intensity on a transmission-SAXS grid
``q = (q_x, q_y)``, ``-Q_MAX_NM <= q < Q_MAX_NM`` (nm^-1), with ``q = 0`` at pixel (32, 32).
The sample is a dilute-to-dense ensemble of spheres of mean radius ``R`` (nm) with a Gaussian
size distribution of relative width ``sigma_R / R`` (polydispersity). The clean intensity is

.. math:: I(q) = I_0 \\, \\langle |F(q; R)|^2 \\rangle_R \\, S(q) + B,
          \\qquad F(q; R) = 3 \\frac{\\sin qR - qR \\cos qR}{(qR)^3},

where the average over radii is weighted with the squared particle volume (``R^6``),
``S(q)`` is the Percus-Yevick hard-sphere structure factor at volume fraction ``eta``
(``eta = 0`` gives ``S = 1``), ``I_0`` is the forward intensity (counts) and ``B`` a flat
background (counts). A slight random anisotropy (the pattern stretched along a random
direction) makes images differ beyond their radial profile. A beam stop hides the pixels
near ``q = 0`` (intensity 0 in both images).

Coherent illumination multiplies the intensity by a speckle field
``s(q) = |FFT[A(r) exp(i phi(r))]|^2 / <.>``: ``A`` is a circular beam footprint whose diameter
sets the speckle grain (``grain_px`` pixels), ``phi ~ U(0, 2 pi)`` per real-space pixel, and
``<.>`` its expectation, so ``s`` has mean 1 and exponential statistics (contrast
``std / mean = 1``). Partially coherent light is modelled by averaging ``M = modes``
independent fields: Gamma(M, 1/M) statistics, ``std / mean = 1 / sqrt(M)``. The speckled image
is finally Poisson-distributed counts with that mean.

The arrays are raw intensities, as in the original ``speckles.npz``; :func:`normalise_pairs`
applies the exercise's ``log10(I + 1)`` scaling.
"""

from __future__ import annotations

import os

import numpy as np

from ..validation import check_float, check_int, check_seed
from .cache import load_npz
from .generate import generate
from .registry import DatasetSpec, Param, register

SIZE_PX = 64
"""Detector pixels per side."""
Q_MAX_NM = 1.6
"""Largest |q_x|, |q_y| on the detector, nm^-1 (pixel pitch 2 Q_MAX_NM / SIZE_PX = 0.05 nm^-1)."""
RADIUS_RANGE_NM = (4.0, 10.0)
"""Mean sphere radii are drawn uniformly from this range, nm."""
FORWARD_COUNTS_RANGE = (1e4, 1e6)
"""Forward intensity I_0 is log-uniform in this range, counts."""
BACKGROUND_RANGE = (0.5, 3.0)
"""Flat background B is uniform in this range, counts per pixel."""
FIRST_MINIMUM_QR = 4.493409457909064
"""First zero of the sphere form factor, tan(qR) = qR."""

_RADIUS_NODES = 25  # quadrature nodes of the size distribution, +-3 sigma
_PROFILE_POINTS = 256  # radial grid on which I(q) is tabulated before mapping onto pixels


def q_grid() -> tuple[np.ndarray, np.ndarray]:
    """Detector coordinates ``(q_x, q_y)``, each (64, 64) float64, nm^-1; ``q = 0`` at pixel (32, 32)."""
    axis = (np.arange(SIZE_PX) - SIZE_PX // 2) * (2 * Q_MAX_NM / SIZE_PX)
    q_y, q_x = np.meshgrid(axis, axis, indexing="ij")
    return q_x, q_y


def sphere_form_factor(q_nm: np.ndarray, radius_nm: np.ndarray | float) -> np.ndarray:
    """Scattering amplitude of a homogeneous sphere, ``F(0) = 1``.

    Parameters
    ----------
    q_nm : array, nm^-1
        Momentum transfer.
    radius_nm : array or float, nm
        Sphere radius (broadcast against ``q_nm``).

    Returns
    -------
    array
        ``F = 3 (sin qR - qR cos qR) / (qR)^3``.
    """
    x = np.asarray(q_nm, dtype=float) * radius_nm
    small = np.abs(x) < 1e-3
    x_safe = np.where(small, 1.0, x)
    exact = 3 * (np.sin(x_safe) - x_safe * np.cos(x_safe)) / x_safe**3
    return np.where(small, 1.0 - x**2 / 10, exact)


def percus_yevick(q_nm: np.ndarray, radius_nm: np.ndarray | float, volume_fraction: np.ndarray | float) -> np.ndarray:
    """Percus-Yevick structure factor of hard spheres of radius ``radius_nm`` (nm).

    Uses the closed form of Kinning and Thomas (1984) with ``A = 2 q R``; ``S(0) =
    (1 - eta)^4 / (1 + 2 eta)^2`` and ``S -> 1`` for large ``q``. Small ``A`` are evaluated at
    ``A = 0.2``, where ``S`` differs from ``S(0)`` by less than 0.5 %.
    """
    eta = np.asarray(volume_fraction, dtype=float)
    a = np.maximum(2 * np.asarray(q_nm, dtype=float) * radius_nm, 0.2)
    alpha = (1 + 2 * eta) ** 2 / (1 - eta) ** 4
    beta = -6 * eta * (1 + eta / 2) ** 2 / (1 - eta) ** 4
    gamma = eta * alpha / 2
    sin_a, cos_a = np.sin(a), np.cos(a)
    g = (
        alpha * (sin_a - a * cos_a) / a**2
        + beta * (2 * a * sin_a + (2 - a**2) * cos_a - 2) / a**3
        + gamma * (-(a**4) * cos_a + 4 * ((3 * a**2 - 6) * cos_a + (a**3 - 6 * a) * sin_a + 6)) / a**5
    )
    return 1 / (1 + 24 * eta * g / a)


def polydisperse_intensity(q_nm: np.ndarray, radius_nm: np.ndarray, polydispersity: np.ndarray) -> np.ndarray:
    """Size-averaged form factor ``<|F|^2>_R`` (Gaussian radii, weights proportional to R^6).

    Parameters
    ----------
    q_nm : (m,) float, nm^-1
        Radial grid.
    radius_nm, polydispersity : (k,) float
        Mean radius (nm) and relative width ``sigma_R / R`` (0 = monodisperse) per pattern.

    Returns
    -------
    (k, m) float
        ``<|F|^2>``, equal to 1 at ``q = 0``.
    """
    nodes = np.linspace(-3, 3, _RADIUS_NODES)
    radii = radius_nm[:, None] * np.maximum(1 + polydispersity[:, None] * nodes, 1e-3)  # (k, nodes)
    weights = np.exp(-(nodes**2) / 2) * radii**6
    weights /= weights.sum(axis=1, keepdims=True)
    form = sphere_form_factor(q_nm[None, None, :], radii[:, :, None]) ** 2  # (k, nodes, m)
    return np.einsum("kn,knm->km", weights, form)


MAX_MODES = 1_000
"""Most coherent modes (contrast 1/sqrt(M) = 3 %, nearly incoherent)."""


def _check_speckle(modes: int, grain_px: float, size: int) -> tuple[int, float]:
    return check_int(modes, "modes", low=1, high=MAX_MODES), check_float(grain_px, "grain_px", low=1, high=size / 4)


def speckle_fields(
    k: int,
    rng: np.random.Generator,
    *,
    modes: int = 1,
    grain_px: float = 2.0,
    size: int = SIZE_PX,
) -> np.ndarray:
    """Normalised speckle intensities ``|FFT[A exp(i phi)]|^2 / <.>``, averaged over ``modes`` fields.

    Parameters
    ----------
    k
        Number of fields.
    rng
        Random generator.
    modes
        Number M of independent coherent modes averaged (1 = fully coherent).
    grain_px
        Speckle grain size, pixels: the circular aperture has diameter ``size / grain_px``.
    size
        Pixels per side.

    Returns
    -------
    (k, size, size) float64
        Mean 1; exponential (M = 1) or Gamma(M, 1/M) statistics, ``std / mean = 1 / sqrt(M)``.
    """
    modes, grain_px = _check_speckle(modes, grain_px, size)
    r = np.arange(size) - size / 2 + 0.5
    aperture = (r[:, None] ** 2 + r[None, :] ** 2) <= (size / grain_px / 2) ** 2
    total = np.zeros((k, size, size))
    for _ in range(modes):
        phase = rng.uniform(0, 2 * np.pi, (k, size, size))
        total += np.abs(np.fft.fft2(aperture * np.exp(1j * phase))) ** 2
    return total / (modes * aperture.sum())


def simulate(
    n: int,
    *,
    seed: int = 0,
    modes: int = 1,
    grain_px: float = 2.0,
    max_polydispersity: float = 0.15,
    max_volume_fraction: float = 0.3,
    max_anisotropy: float = 0.15,
    beamstop_px: float = 2.5,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` pairs of clean and speckled SAXS patterns.

    Each pattern draws a mean radius ``R ~ U(4, 10)`` nm, a polydispersity
    ``U(0, max_polydispersity)``, a volume fraction ``U(0, max_volume_fraction)``, an
    anisotropy ``U(0, max_anisotropy)`` along a random direction, ``I_0`` log-uniform in
    [1e4, 1e6] counts and ``B ~ U(0.5, 3)`` counts.

    Parameters
    ----------
    n
        Number of pairs (the original file has about 25 500).
    seed
        Random seed.
    modes
        Coherent modes M averaged in the speckle field, in [1, :data:`MAX_MODES`]: 1 = fully
        coherent (contrast 1, the training data of Exercise 17.1), M > 1 = partially coherent
        (contrast 1/sqrt(M), the "experimental" test data).
    grain_px
        Speckle grain size, pixels, in [1, 16].
    max_polydispersity
        Largest relative radius spread sigma_R / R, in [0, 0.3].
    max_volume_fraction
        Largest hard-sphere volume fraction of the Percus-Yevick structure factor, in [0, 0.45];
        0 means no structure factor (dilute particles).
    max_anisotropy
        Largest relative stretch of the pattern along a random direction, in [0, 0.5].
    beamstop_px
        Radius of the beam stop around q = 0, pixels, in [0, 16) (0 = none).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``target_images`` (n, 64, 64, 1) float32, clean intensity, counts;
        ``speckle_images`` (n, 64, 64, 1) float32, speckled Poisson counts;
        ``radius_nm`` (n,) float64, mean sphere radius; ``polydispersity`` (n,) float64;
        ``volume_fraction`` (n,) float64.
    """
    check_seed(seed)
    modes, grain_px = _check_speckle(modes, grain_px, SIZE_PX)
    max_polydispersity = check_float(max_polydispersity, "max_polydispersity", low=0, high=0.3)
    max_volume_fraction = check_float(max_volume_fraction, "max_volume_fraction", low=0, high=0.45)
    max_anisotropy = check_float(max_anisotropy, "max_anisotropy", low=0, high=0.5)
    beamstop_px = check_float(beamstop_px, "beamstop_px", low=0, high=SIZE_PX / 4, high_open=True)

    q_x, q_y = q_grid()
    pitch = 2 * Q_MAX_NM / SIZE_PX
    blocked = np.hypot(q_x, q_y) < beamstop_px * pitch
    q_profile = np.linspace(0, Q_MAX_NM * np.sqrt(2) * (1 + max_anisotropy), _PROFILE_POINTS)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        radius = rng.uniform(*RADIUS_RANGE_NM, k)
        spread = rng.uniform(0, max_polydispersity, k)
        eta = rng.uniform(0, max_volume_fraction, k)
        stretch = 1 + rng.uniform(0, max_anisotropy, k)
        angle = rng.uniform(0, np.pi, k)
        forward = 10 ** rng.uniform(*np.log10(FORWARD_COUNTS_RANGE), k)
        background = rng.uniform(*BACKGROUND_RANGE, k)

        profile = polydisperse_intensity(q_profile, radius, spread)
        profile *= percus_yevick(q_profile[None, :], radius[:, None], eta[:, None])
        cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
        along = q_x * cos + q_y * sin
        across = -q_x * sin + q_y * cos
        q_eff = np.hypot(along * stretch[:, None, None], across)  # (k, 64, 64)
        clean = np.stack([np.interp(q_eff[i], q_profile, profile[i]) for i in range(k)])
        clean = forward[:, None, None] * clean + background[:, None, None]
        clean[:, blocked] = 0.0
        speckled = rng.poisson(clean * speckle_fields(k, rng, modes=modes, grain_px=grain_px)).astype(np.float32)
        return {
            "target_images": clean.astype(np.float32)[..., None],
            "speckle_images": speckled[..., None],
            "radius_nm": radius,
            "polydispersity": spread,
            "volume_fraction": eta,
        }

    return generate(sample, n, seed=seed, chunk_size=500, progress=progress, desc="speckles")


def normalise_pairs(target_images: np.ndarray, speckle_images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The preprocessing of Exercise 17.1.

    ``log10(I + 1)`` of both images, divided by the speckled image's maximum, clipped to [0, 1.1].

    Parameters
    ----------
    target_images, speckle_images : (n, 64, 64, 1) float
        Raw intensities, counts.

    Returns
    -------
    target, speckle : (n, 64, 64, 1) float32
        Log-scaled images, both divided by the maximum of the *speckled* image.
    """
    target = np.log10(np.asarray(target_images, dtype=np.float64) + 1)
    speckle = np.log10(np.asarray(speckle_images, dtype=np.float64) + 1)
    if target.shape != speckle.shape or target.ndim != 4:
        raise ValueError(f"expected two (n, H, W, 1) arrays of equal shape, got {target.shape} and {speckle.shape}")
    scale = speckle.max(axis=(1, 2, 3), keepdims=True)
    scale = np.where(scale > 0, scale, 1.0)
    return (np.clip(target / scale, 0, 1.1).astype(np.float32), np.clip(speckle / scale, 0, 1.1).astype(np.float32))


def read_speckles_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read an original ``speckles.npz`` (or one written by ``dlpbook data speckles``), without pickle.

    Returns
    -------
    dict
        ``target_images`` and ``speckle_images``, (n, H, W, 1) float32, raw intensities.

    Raises
    ------
    KeyError
        If one of the two arrays is missing.
    ValueError
        If the file is unreadable or the arrays are not (n, H, W, 1) of equal shape.
    """
    arrays = load_npz(path)
    missing = {"target_images", "speckle_images"} - set(arrays)
    if missing:
        raise KeyError(f"{path} lacks array(s) {sorted(missing)}; it holds {sorted(arrays)}")
    target, speckle = arrays["target_images"], arrays["speckle_images"]
    if target.shape != speckle.shape or target.ndim != 4 or target.shape[-1] != 1:
        raise ValueError(f"expected two (n, H, W, 1) arrays of equal shape, got {target.shape} and {speckle.shape}")
    return {"target_images": target.astype(np.float32), "speckle_images": speckle.astype(np.float32)}


SPEC = register(
    DatasetSpec(
        name="speckles",
        summary="SAXS patterns of polydisperse spheres, clean and with coherent speckle (Exercise 17.1)",
        simulate=simulate,
        default_n=25_500,
        version=1,
        arrays=(
            "target_images (n, 64, 64, 1) clean counts; speckle_images (n, 64, 64, 1) speckled Poisson counts; "
            "radius_nm (n,); polydispersity (n,); volume_fraction (n,)"
        ),
        sample_bytes=lambda **_: 2 * SIZE_PX * SIZE_PX * 4 + 3 * 8,
        params=(
            Param("modes", int, 1, "coherent modes averaged in the speckle field (1 = fully coherent)"),
            Param("grain_px", float, 2.0, "speckle grain size, pixels"),
            Param("max_polydispersity", float, 0.15, "largest sigma_R / R"),
            Param("max_volume_fraction", float, 0.3, "largest hard-sphere volume fraction (0 = no structure factor)"),
            Param("max_anisotropy", float, 0.15, "largest relative stretch of the pattern"),
            Param("beamstop_px", float, 2.5, "beam-stop radius, pixels"),
        ),
    )
)
