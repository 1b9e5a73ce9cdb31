"""Toy jet images: QCD-like one-prong jets versus two-prong (W-like) and three-prong (top-like) jets.

Physics
-------
A jet of transverse momentum ``p_T ~ U(500, 600)`` GeV is drawn as an image in the
(eta, phi) plane around its axis, each pixel holding the summed ``p_T`` (GeV) of the particles
that hit it (the convention of jet-image studies, book Example 17.1 and Chapter 20). The
image covers ``|Delta eta|, |Delta phi| <= 1`` (a large-radius jet, R = 1).

The hard structure is a set of subjets (prongs) with momentum fractions ``z`` at angular
separation ``Delta R``; two massless prongs of fractions ``z, 1 - z`` have the invariant mass

.. math:: m^2 \\simeq z (1 - z)\\, p_T^2\\, \\Delta R^2 .

* label 0, QCD: one hard splitting with ``z`` and ``Delta R`` log-uniform (``z`` in
  [0.01, 0.5], ``Delta R`` in [0.02, 0.8]), the soft-collinear ``dz/z dtheta/theta`` pattern
  of a parton shower; the jet mass then falls steeply, the energy sits in one core.
* label 1, two-prong (W -> q q'): ``z ~ U(0.2, 0.8)`` and ``Delta R`` set by
  ``m_W = 80.4`` GeV, about ``2 m / p_T``.
* label 2, three-prong (t -> b W -> b q q'): first t -> b W at ``m_t = 172.7`` GeV (the W
  carrying its mass), then W -> q q' at ``m_W``. The small-angle formula and the spread of
  the fragments make the image mass of these wide jets peak somewhat above ``m_t`` (median
  about 188 GeV), while two-prong jets peak at about 83 GeV.

Each prong fragments into :data:`PARTICLES_PER_PRONG` particles sharing its ``p_T`` with
Dirichlet(0.4) fractions (a few hard particles and many soft ones) at log-uniform angles
(0.002 to 0.1) around the prong direction. The image is centred on the ``p_T``-weighted axis
of the prongs; the orientation of the prongs is random (no rotation step). Particles outside
the window are lost, typically < 1 % of ``p_T``.
"""

from __future__ import annotations

import numpy as np

from ..validation import ParameterError, check_count, check_int, check_seed
from .generate import generate
from .pixels import pixelate
from .registry import DatasetSpec, Param, register

HALF_WIDTH = 1.0
"""The image covers [-HALF_WIDTH, HALF_WIDTH] in Delta eta and Delta phi."""
PT_RANGE_GEV = (500.0, 600.0)
"""Jet transverse momenta are uniform in this range, GeV."""
W_MASS_GEV = 80.4
"""W boson mass, GeV."""
TOP_MASS_GEV = 172.7
"""Top quark mass, GeV."""
PARTICLES_PER_PRONG = 24
"""Particles into which each prong fragments."""
CLASS_NAMES = ("QCD", "two-prong", "three-prong")
"""Name of each label."""
_MAX_PRONGS = 3


def pair_separation(mass: np.ndarray, pt: np.ndarray, z: np.ndarray, mass_1: np.ndarray) -> np.ndarray:
    """Delta R of a splitting into a prong of mass ``mass_1`` (fraction ``1 - z``) and a massless one (fraction ``z``).

    From ``m^2 = m_1^2 / (1 - z) + z (1 - z) p_T^2 Delta R^2`` (small angles).
    """
    return np.sqrt(np.maximum(mass**2 - mass_1**2 / (1 - z), 0.0) / (z * (1 - z))) / pt


def _prongs(label: np.ndarray, pt: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Prong momentum fractions (k, 3) and positions (k, 3, 2) relative to the jet axis."""
    k = len(label)
    fraction = np.zeros((k, _MAX_PRONGS))
    position = np.zeros((k, _MAX_PRONGS, 2))
    direction = rng.uniform(0, 2 * np.pi, (k, 2))
    unit = np.stack([np.cos(direction), np.sin(direction)], axis=-1)  # (k, 2 splittings, 2)

    qcd, two, three = label == 0, label == 1, label == 2
    z_qcd = np.exp(rng.uniform(np.log(0.01), np.log(0.5), k))
    dr_qcd = np.exp(rng.uniform(np.log(0.02), np.log(0.8), k))
    z_two = rng.uniform(0.2, 0.8, k)
    dr_two = pair_separation(W_MASS_GEV, pt, z_two, np.zeros(k))
    z_b = rng.uniform(0.2, 0.7, k)  # the b quark's fraction; the W keeps 1 - z_b
    dr_b = pair_separation(TOP_MASS_GEV, pt, z_b, np.full(k, W_MASS_GEV))
    z_w = rng.uniform(0.2, 0.8, k)
    dr_w = pair_separation(W_MASS_GEV, pt * (1 - z_b), z_w, np.zeros(k))

    z = np.where(qcd, z_qcd, z_two)
    dr = np.where(qcd, dr_qcd, dr_two)
    pair = qcd | two
    fraction[pair, 0], fraction[pair, 1] = 1 - z[pair], z[pair]
    position[pair, 1] = dr[pair, None] * unit[pair, 0]

    fraction[three, 0] = z_b[three]
    fraction[three, 1] = (1 - z_b[three]) * (1 - z_w[three])
    fraction[three, 2] = (1 - z_b[three]) * z_w[three]
    w_position = dr_b[three, None] * unit[three, 0]
    position[three, 1] = w_position
    position[three, 2] = w_position + dr_w[three, None] * unit[three, 1]

    axis = np.einsum("kp,kpd->kd", fraction, position)
    return fraction, position - axis[:, None, :]


def simulate(
    n: int,
    *,
    seed: int = 0,
    classes: str | tuple | list = "0,1,2",
    pixels: int = 40,
    progress: bool | None = False,
) -> dict[str, np.ndarray]:
    """Simulate ``n`` jet images.

    Parameters
    ----------
    n
        Number of jets.
    seed
        Random seed.
    classes
        Labels to draw, each with equal probability: a comma-separated string (``"0,1,2"``,
        ``"0,2"`` for QCD versus top) or a sequence; 0 = QCD, 1 = two-prong, 2 = three-prong.
    pixels
        Pixels per side (8 to 128); the window stays 2 x 2 in (eta, phi).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``images`` (n, pixels, pixels) float32, ``p_T`` per pixel, GeV (rows = Delta phi,
        columns = Delta eta, both from -1 to 1); ``label`` (n,) int64; ``pt_gev`` (n,) float64,
        the generated jet ``p_T``, GeV.
    """
    check_seed(seed)
    chosen = _parse_classes(classes)
    pixels = check_int(pixels, "pixels", low=8, high=128)
    pitch = 2 * HALF_WIDTH / pixels

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        label = rng.choice(chosen, k)
        pt = rng.uniform(*PT_RANGE_GEV, k)
        fraction, position = _prongs(label, pt, rng)
        shares = rng.gamma(0.4, 1.0, (k, _MAX_PRONGS, PARTICLES_PER_PRONG))
        shares /= shares.sum(axis=-1, keepdims=True)
        particle_pt = pt[:, None, None] * fraction[:, :, None] * shares
        radius = np.exp(rng.uniform(np.log(0.002), np.log(0.1), shares.shape))
        angle = rng.uniform(0, 2 * np.pi, shares.shape)
        eta = position[:, :, 0, None] + radius * np.cos(angle)
        phi = position[:, :, 1, None] + radius * np.sin(angle)
        column = np.floor((eta + HALF_WIDTH) / pitch).astype(np.int64)
        row = np.floor((phi + HALF_WIDTH) / pitch).astype(np.int64)
        images = pixelate(np.arange(k)[:, None, None], row, column, particle_pt, n_images=k, pixels=pixels)
        return {
            "images": images.astype(np.float32),
            "label": label.astype(np.int64),
            "pt_gev": pt,
        }

    return generate(sample, n, seed=seed, chunk_size=2000, progress=progress, desc="jets")


def _parse_classes(classes: str | tuple | list) -> np.ndarray:
    requirement = "distinct labels from 0, 1, 2 (comma-separated)"
    try:
        values = [int(c) for c in (classes.split(",") if isinstance(classes, str) else classes)]
    except (TypeError, ValueError):
        raise ParameterError("classes", requirement, classes) from None
    if not values or len(set(values)) != len(values) or not set(values) <= {0, 1, 2}:
        raise ParameterError("classes", requirement, classes)
    return np.array(sorted(values))


def pixel_centres(pixels: int) -> tuple[np.ndarray, np.ndarray]:
    """(Delta eta, Delta phi) of each pixel centre, each (pixels, pixels) float64."""
    axis = -HALF_WIDTH + (np.arange(pixels) + 0.5) * 2 * HALF_WIDTH / pixels
    phi, eta = np.meshgrid(axis, axis, indexing="ij")
    return eta, phi


def jet_mass(images: np.ndarray) -> np.ndarray:
    """Invariant mass (GeV) of the pixels of (n, H, W) jet images, each pixel a massless particle at eta = Delta eta.

    ``m^2 = (sum E)^2 - |sum p|^2`` with ``E = p_T cosh eta``, ``p = (p_T cos phi, p_T sin phi, p_T sinh eta)``.
    """
    images = _check_images(images)
    eta, phi = pixel_centres(images.shape[1])
    energy = np.einsum("nij,ij->n", images, np.cosh(eta))
    p_x = np.einsum("nij,ij->n", images, np.cos(phi))
    p_y = np.einsum("nij,ij->n", images, np.sin(phi))
    p_z = np.einsum("nij,ij->n", images, np.sinh(eta))
    return np.sqrt(np.maximum(energy**2 - p_x**2 - p_y**2 - p_z**2, 0.0))


def n_subjettiness(images: np.ndarray, n_axes: int, *, iterations: int = 10) -> np.ndarray:
    """N-subjettiness ``tau_N = sum_i p_T,i min_k Delta R_ik / sum_i p_T,i`` of jet images.

    The ``N`` axes are found by ``p_T``-weighted k-means over the non-empty pixels in
    (eta, phi), started from the hottest pixel and then, one at a time, the pixel with the
    largest ``p_T * (Delta R to the nearest axis)^2``. Small ``tau_2 / tau_1`` means two-prong,
    small ``tau_3 / tau_2`` three-prong.

    Parameters
    ----------
    images : (n, H, W) float
        ``p_T`` per pixel.
    n_axes
        Number of axes N >= 1.
    iterations
        k-means steps.

    Returns
    -------
    (n,) float
        ``tau_N`` (dimension of Delta R).
    """
    images = _check_images(images)
    n_axes = check_count(n_axes, "n_axes")
    n, size = len(images), images.shape[1]
    eta, phi = pixel_centres(size)
    grid = np.stack([eta.ravel(), phi.ravel()], axis=1)  # (P, 2)
    flat = images.reshape(n, -1)
    # only non-empty pixels matter: keep the K hottest of every image, K = the most non-empty pixels
    keep = max(int((flat > 0).sum(axis=1).max()), n_axes)
    hottest = np.argsort(-flat, axis=1)[:, :keep]
    weight = np.take_along_axis(flat, hottest, axis=1)  # (n, K)
    points = grid[hottest]  # (n, K, 2)

    def squared_distance(axes: np.ndarray) -> np.ndarray:  # (n, K, N)
        return ((points[:, :, None, :] - axes[:, None, :, :]) ** 2).sum(-1)

    axes = points[:, :1]  # the hottest pixel, (n, 1, 2)
    for _ in range(1, n_axes):
        farthest = np.argmax(weight * squared_distance(axes).min(-1), axis=1)
        axes = np.concatenate([axes, points[np.arange(n), farthest][:, None, :]], axis=1)
    for _ in range(iterations):
        owner = np.argmin(squared_distance(axes), axis=-1)  # (n, K)
        member = (owner[:, :, None] == np.arange(n_axes)) * weight[:, :, None]  # (n, K, N)
        total = member.sum(axis=1)  # (n, N)
        centroid = (member[:, :, :, None] * points[:, :, None, :]).sum(axis=1) / np.maximum(total, 1e-12)[:, :, None]
        axes = np.where(total[:, :, None] > 0, centroid, axes)
    distance = np.sqrt(squared_distance(axes).min(-1))
    return (weight * distance).sum(axis=1) / np.maximum(weight.sum(axis=1), 1e-12)


def _check_images(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(f"images must have shape (n, H, H), got {images.shape}")
    return images


SPEC = register(
    DatasetSpec(
        name="jets",
        summary="toy jet images: QCD-like, two-prong (W-like) and three-prong (top-like) jets (Example 17.1, Ch. 20)",
        simulate=simulate,
        default_n=30_000,
        version=1,
        arrays=(
            "images (n, pixels, pixels) pT per pixel, GeV; label (n,) 0 QCD / 1 two-prong / 2 three-prong; "
            "pt_gev (n,) GeV"
        ),
        sample_bytes=lambda pixels, **_: pixels * pixels * 4 + 2 * 8,
        params=(
            Param("classes", str, "0,1,2", "comma-separated labels to draw (0 QCD, 1 two-prong, 2 three-prong)"),
            Param("pixels", int, 40, "pixels per side of the 2 x 2 (eta, phi) window"),
        ),
    )
)
