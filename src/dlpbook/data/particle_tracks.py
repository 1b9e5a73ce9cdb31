"""Particle-detector event images in ten topologies: the offline substitute for Fashion-MNIST.

Role
----
The book's Exercises 18.1 (GAN) and 20.1 (autoencoder anomaly detection) use Fashion-MNIST:
28 x 28 grey images of ten classes that a small network separates well but not perfectly, with
classes that share parts (shirts, pullovers and coats; sneakers and ankle boots). dlpbook
cannot ship it (readers with the original IDX files use
:func:`dlpbook.data.image_files.load_mnist`). This simulator plays that role with physics:
28 x 28 images of a pixel detector in a magnetic field, ten classes of event topology, several
of which share pieces (a kink and a V0 decay both contain bent two-segment shapes, a shower
starts as a straight track).

Physics (all lengths in pixels; the field points out of the image)
------------------------------------------------------------------
The images are the transverse view of a collider tracker: the beams cross at the centre
(:data:`CENTRE`, smeared by :data:`BEAM_SPOT_PX`) and the field is parallel to them. A
charged particle moves on a helix whose projection has curvature :math:`\\kappa = q B / p_T`
(1/pixel): straight for high momentum, curving anticlockwise (:math:`\\kappa > 0`, positive
charge) or clockwise (negative). Paths are stepped in ``STEP`` = 0.25 px with a small
multiple-scattering random walk of the direction, and every step deposits ionisation
``STEP * g`` with ``g ~ Gamma(4, 1/4)`` (mean 1 per pixel of path: a minimum-ionising
particle, MIP, with Landau-like fluctuations) into the pixel it lies in.
Pixels then get Gaussian electronic noise (``NOISE_MIP`` = 0.05 MIP), are zero-suppressed
below ``THRESHOLD_MIP`` = 0.2 MIP, and are digitised as ``round(255 * q / FULL_SCALE_MIP)``,
saturating at 255 (``FULL_SCALE_MIP`` = 4 MIP).

Classes (:data:`CLASSES`)
-------------------------
0. straight track: a stiff (high-momentum) track from the centre to the edge.
1. positive track: curvature 0.05-0.12 /px (radius 8-20 px), bending anticlockwise.
2. negative track: the same, bending clockwise. Seen from the centre, 1 and 2 are mirror images.
3. looping electron: a low-momentum electron from the centre spiralling inwards as it loses
   energy, :math:`\\kappa(s) = \\kappa_0 / (1 - s / (R + 3))` with reach ``R`` = 35-55 px.
4. V0 decay: a neutral particle (invisible) flies out from the centre and decays 3-8 px away
   into two tracks of opposite charge, a "V" with bent legs opening outwards.
5. three-prong vertex: a neutral particle (invisible) interacts inside the detector and three
   tracks leave the interaction point in a star, about 120 degrees apart.
6. kink: a charged track that decays in flight 4-9 px from the centre; the visible daughter
   leaves at 0.5-1.1 rad.
7. stopping track: a slow track that ends 6-11 px from the centre, ionisation rising towards its end
   like a Bragg peak, :math:`dE/dx \\propto (R + 0.5)^{-0.42}` with residual range ``R``.
8. electromagnetic shower: an electron that starts a cone of 30 short secondaries after
   3 px, with a gamma-shaped longitudinal profile; the core saturates the ADC.
9. two tracks: two independent charged tracks from the centre, each of any curvature up to
   0.12 /px and either charge.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_seed
from .generate import generate
from .pixels import pixelate
from .registry import DatasetSpec, register

SIZE = 28
"""Image side, pixels."""
CLASSES = (
    "straight track",
    "positive track",
    "negative track",
    "looping electron",
    "V0 decay",
    "three-prong vertex",
    "kink",
    "stopping track",
    "EM shower",
    "two tracks",
)
"""Class names, by label."""
STEP = 0.25
"""Path step, pixels."""
SCATTERING_RAD = 0.01
"""Standard deviation of the direction change per step (multiple scattering), rad."""
NOISE_MIP = 0.05
"""Electronic noise per pixel, MIP."""
THRESHOLD_MIP = 0.2
"""Zero-suppression threshold, MIP."""
FULL_SCALE_MIP = 4.0
"""Charge digitised as 255, MIP."""
CENTRE = np.array([SIZE / 2, SIZE / 2])
"""The interaction point (beam axis), pixels."""
BEAM_SPOT_PX = 0.5
"""Standard deviation of the primary vertex around the centre, pixels."""
DECAY_RADIUS_PX = (3.0, 8.0)
"""Range of distances of the displaced vertices (V0, three-prong) from the centre, pixels."""
TRACK_CURVATURE = (0.05, 0.12)
"""Range of curvatures of the charged tracks of classes 1 and 2, 1/pixel."""

Paths = tuple[np.ndarray, np.ndarray]
"""Points (k, m, 2) in pixels and deposits (k, m) in MIP along the paths of k events."""


def _path(
    rng: np.random.Generator, start: np.ndarray, phi: np.ndarray, curvature: np.ndarray, length: np.ndarray
) -> Paths:
    """Step k tracks from ``start`` (k, 2) at angle ``phi`` (k,) with curvature (k,) or (k, m).

    ``length`` (k,) is the path length in pixels; steps beyond it deposit nothing.
    """
    k = len(start)
    m = int(np.ceil(length.max() / STEP))
    s = STEP * np.arange(m)
    kappa = np.broadcast_to(curvature if np.ndim(curvature) == 2 else curvature[:, None], (k, m))
    theta = phi[:, None] + np.cumsum(kappa * STEP + rng.normal(0, SCATTERING_RAD, (k, m)), axis=1)
    steps = STEP * np.stack([np.cos(theta), np.sin(theta)], axis=-1)
    points = start[:, None, :] + np.cumsum(steps, axis=1) - steps[:, :1]
    deposit = STEP * rng.gamma(4.0, 0.25, (k, m)) * (s[None, :] < length[:, None])
    return points, deposit


def _join(*paths: Paths) -> Paths:
    return np.concatenate([p for p, _ in paths], axis=1), np.concatenate([d for _, d in paths], axis=1)


def _end(paths: Paths, length: np.ndarray) -> np.ndarray:
    """The last point (k, 2) of each path, at ``length``."""
    index = np.minimum((length / STEP).astype(int), paths[0].shape[1] - 1)
    return paths[0][np.arange(len(length)), index]


def _from_vertex(rng: np.random.Generator, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Start points in the beam spot at the centre, and outward directions uniform in angle."""
    return CENTRE + rng.normal(0, BEAM_SPOT_PX, (k, 2)), rng.uniform(0, 2 * np.pi, k)


def _displaced(rng: np.random.Generator, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Decay points of neutral particles flying out from the centre, and their flight directions."""
    phi = rng.uniform(0, 2 * np.pi, k)
    radius = rng.uniform(*DECAY_RADIUS_PX, k)
    return CENTRE + radius[:, None] * np.stack([np.cos(phi), np.sin(phi)], axis=1), phi


def _charged(rng: np.random.Generator, k: int, sign: np.ndarray | float) -> Paths:
    start, phi = _from_vertex(rng, k)
    return _path(rng, start, phi, sign * rng.uniform(*TRACK_CURVATURE, k), np.full(k, 22.0))


def _straight(rng: np.random.Generator, k: int) -> Paths:
    start, phi = _from_vertex(rng, k)
    return _path(rng, start, phi, rng.normal(0, 0.003, k), np.full(k, 22.0))


def _looper(rng: np.random.Generator, k: int) -> Paths:
    reach = rng.uniform(35, 55, k)
    m = int(np.ceil(reach.max() / STEP))
    s = STEP * np.arange(m)
    kappa0 = rng.choice([-1.0, 1.0], k) * rng.uniform(0.15, 0.25, k)
    curvature = kappa0[:, None] / np.maximum(1 - s[None, :] / (reach[:, None] + 3), 0.05)
    return _path(rng, *_from_vertex(rng, k), curvature, reach)


def _prongs(
    rng: np.random.Generator,
    vertex: np.ndarray,
    phis: list[np.ndarray],
    curvatures: list[np.ndarray],
    length: tuple[float, float],
) -> Paths:
    k = len(vertex)
    paths = (_path(rng, vertex, phi, kappa, rng.uniform(*length, k)) for phi, kappa in zip(phis, curvatures))
    return _join(*paths)


def _v0(rng: np.random.Generator, k: int) -> Paths:
    vertex, phi = _displaced(rng, k)
    half = rng.uniform(0.2, 0.6, k)
    kappa = rng.uniform(0.03, 0.08, k)
    return _prongs(rng, vertex, [phi + half, phi - half], [kappa, -kappa], (14, 20))


def _three_prong(rng: np.random.Generator, k: int) -> Paths:
    vertex, phi = _displaced(rng, k)
    phis = [phi + 2 * np.pi * j / 3 + rng.normal(0, 0.3, k) for j in range(3)]
    return _prongs(rng, vertex, phis, [rng.normal(0, 0.02, k) for _ in range(3)], (6, 11))


def _kink(rng: np.random.Generator, k: int) -> Paths:
    start, phi = _from_vertex(rng, k)
    length = rng.uniform(4, 9, k)
    parent = _path(rng, start, phi, rng.normal(0, 0.01, k), length)
    turn = rng.choice([-1.0, 1.0], k) * rng.uniform(0.5, 1.1, k)
    daughter = _path(rng, _end(parent, length), phi + turn, rng.normal(0, 0.01, k), np.full(k, 18.0))
    return _join(parent, daughter)


def _stopping(rng: np.random.Generator, k: int) -> Paths:
    start, phi = _from_vertex(rng, k)
    length = rng.uniform(6, 11, k)
    points, deposit = _path(rng, start, phi, rng.normal(0, 0.01, k), length)
    residual = np.maximum(length[:, None] - STEP * np.arange(points.shape[1])[None, :], 0)
    bragg = ((residual + 0.5) / (length[:, None] + 0.5)) ** -0.42
    return points, deposit * bragg


def _shower(rng: np.random.Generator, k: int, branches: int = 30) -> Paths:
    start, phi = _from_vertex(rng, k)
    primary = _path(rng, start, phi, np.zeros(k), np.full(k, 6.0))
    depth = 3.0 + rng.gamma(2.5, 1.6, (k, branches))
    axis = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    origins = start[:, None, :] + depth[..., None] * axis[:, None, :]
    spread = rng.normal(0, 0.15 + 0.04 * depth)
    points, deposit = _path(
        rng,
        origins.reshape(-1, 2),
        (phi[:, None] + spread).ravel(),
        rng.normal(0, 0.1, k * branches),
        rng.uniform(1, 4, k * branches),
    )
    return _join(primary, (points.reshape(k, -1, 2), deposit.reshape(k, -1)))


def _two_tracks(rng: np.random.Generator, k: int) -> Paths:
    return _join(*(_charged(rng, k, rng.uniform(-1.0, 1.0, k)) for _ in range(2)))


_TOPOLOGIES = (
    _straight,
    lambda rng, k: _charged(rng, k, 1.0),
    lambda rng, k: _charged(rng, k, -1.0),
    _looper,
    _v0,
    _three_prong,
    _kink,
    _stopping,
    _shower,
    _two_tracks,
)


def render(points: np.ndarray, deposit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Digitise paths into detector images.

    Parameters
    ----------
    points
        (k, m, 2) positions along the paths, pixels (x = column, y = row).
    deposit
        (k, m) ionisation of each step, MIP.
    rng
        Source of the electronic noise.

    Returns
    -------
    (k, 28, 28) uint8
        ADC counts, 255 = :data:`FULL_SCALE_MIP` or more.
    """
    k = len(points)
    column, row = np.floor(points[..., 0]).astype(int), np.floor(points[..., 1]).astype(int)
    charge = pixelate(np.arange(k)[:, None], row, column, deposit, n_images=k, pixels=SIZE)
    charge += rng.normal(0, NOISE_MIP, (k, SIZE, SIZE))
    charge[charge < THRESHOLD_MIP] = 0
    return np.clip(np.rint(255 * charge / FULL_SCALE_MIP), 0, 255).astype(np.uint8)


def simulate(n: int, *, seed: int = 0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Simulate ``n`` detector images, the ten classes in equal shares (in random order).

    Parameters
    ----------
    n
        Number of images.
    seed
        Random seed.
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``x`` (n, 28, 28) uint8 ADC counts (255 = 4 MIP); ``y`` (n,) int64 class 0-9, names
        in :data:`CLASSES`. Each chunk of 1000 images holds every class 100 times.
    """
    check_seed(seed)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        labels = rng.permutation(np.arange(k) % len(CLASSES))
        images = np.zeros((k, SIZE, SIZE), np.uint8)
        for label, topology in enumerate(_TOPOLOGIES):
            chosen = np.flatnonzero(labels == label)
            if len(chosen):
                images[chosen] = render(*topology(rng, len(chosen)), rng)
        return {"x": images, "y": labels.astype(np.int64)}

    return generate(sample, n, seed=seed, chunk_size=1000, progress=progress, desc="particle_tracks")


SPEC = register(
    DatasetSpec(
        name="particle_tracks",
        summary="28x28 pixel-detector images of 10 event topologies (offline Fashion-MNIST substitute, Ex. 18.1, 20.1)",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="x (n, 28, 28) uint8 ADC counts; y (n,) int64 topology 0-9",
        sample_bytes=lambda **_: 28 * 28 + 8,
    )
)
