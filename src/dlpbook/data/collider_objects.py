"""Three-channel images of ten kinds of collider objects: the offline substitute for CIFAR-10.

Role
----
The book's Exercise 12.1 (weights and activations of a CNN) and its generative-model figures
(Sec. 18) use CIFAR-10: 32 x 32 colour images of ten classes, where colour carries information
and some pairs are easily confused (cat/dog, car/truck). dlpbook ships no copy (readers with
the binary version use :func:`dlpbook.data.image_files.load_cifar10_binary`). This simulator
plays that role with the three-channel jet images of the book's Example 8.9 (quark versus gluon
jets): each object is seen in the (eta, phi) plane around its axis, |Delta eta|, |Delta phi|
<= 0.8 in 32 x 32 pixels of 0.05, with

* red = transverse momentum of charged particles, green = of neutral particles,
  each as ``255 sqrt(p_T,pixel / p_T,object)`` (the square root shows soft particles);
* blue = number of charged particles, ``85`` per particle (3 or more = 255).

Physics
-------
An object of ``p_T ~ U(450, 550)`` GeV consists of one to three hard prongs; two-body decays of
a particle of mass ``m`` into fractions ``z, 1 - z`` are placed at the separation of
the jets module (:mod:`dlpbook.data.jets`; small-angle kinematics,
:math:`m^2 \\simeq m_1^2/(1-z) + z(1-z) p_T^2 \\Delta R^2`), so the jet mass peaks at the
boson or top mass. Each prong fragments into Poisson-distributed numbers of charged and
neutral particles sharing its ``p_T`` with Gamma(0.5) weights; softer particles lie wider,
``Delta R = w * Exp(1) / sqrt(N z)`` for a particle with share ``z`` of ``N``. Gluon prongs have
more particles (colour factor ``C_A / C_F = 9/4``) and twice the width of quark prongs. Every
image also holds an underlying event: Poisson(4) soft particles (``p_T ~ Exp(0.5 GeV)``, 60 %
charged) uniform over the window.

Classes (:data:`CLASSES`)
-------------------------
0. light-quark jet; 1. gluon jet (wider, more particles); 2. b-quark jet (a hard, narrow
B-hadron decay of 5 charged particles carrying 70 % of ``p_T`` plus softer fragmentation);
3. W -> q q' (80.4 GeV); 4. Z -> q q (91.2 GeV), confusable with the W; 5. H -> b b
(125 GeV); 6. t -> b W -> b q q' (172.7 GeV, three prongs); 7. hadronic tau (one or three
charged pions plus Poisson(1) neutral pions as photon pairs, very narrow); 8. photon (one
neutral deposit); 9. electron (one charged track plus bremsstrahlung photons spread along
phi, the bending direction of the magnetic field).
"""

from __future__ import annotations

import numpy as np

from ..validation import check_seed
from .generate import generate
from .pixels import pixelate
from .jets import pair_separation  # shared two-body kinematics of the jets module
from .registry import DatasetSpec, register

PIXELS = 32
"""Image side, pixels."""
HALF_WIDTH = 0.8
"""The image covers [-HALF_WIDTH, HALF_WIDTH] in Delta eta (columns) and Delta phi (rows)."""
PT_RANGE_GEV = (450.0, 550.0)
"""Object transverse momenta are uniform in this range, GeV."""
MASS_GEV = {"W": 80.4, "Z": 91.2, "H": 125.0, "t": 172.7}
"""Masses of the decaying particles, GeV."""
CLASSES = (
    "quark jet",
    "gluon jet",
    "b jet",
    "W → qq",
    "Z → qq",
    "H → bb",
    "top → bqq",
    "tau → hadrons",
    "photon",
    "electron",
)
"""Class names, by label."""
QUARK_PARTICLES = 14.0
"""Mean number of particles of a light-quark prong (gluon: 9/4 times more)."""
QUARK_WIDTH = 0.03
"""Angular width scale of a light-quark prong (gluon: twice as wide)."""
UNDERLYING_PARTICLES = 4.0
"""Mean number of underlying-event particles per image."""
UNDERLYING_PT_GEV = 0.5
"""Mean transverse momentum of an underlying-event particle, GeV."""
_SLOTS = 40
"""Particles stored per prong."""
_UE_SLOTS = 16
"""Underlying-event particles stored per image (Poisson(4) exceeds 16 with probability 1e-6)."""
_PRONGS = 4


def _empty(k: int) -> dict[str, np.ndarray]:
    """Prong table for k objects: fraction, position (eta, phi), charged/neutral counts, width."""
    return {
        "fraction": np.zeros((k, _PRONGS)),
        "position": np.zeros((k, _PRONGS, 2)),
        "charged": np.zeros((k, _PRONGS), int),
        "neutral": np.zeros((k, _PRONGS), int),
        "width": np.full((k, _PRONGS), QUARK_WIDTH),
    }


def _jet(
    rng: np.random.Generator, prongs: dict, slot: int, fraction: np.ndarray, position: np.ndarray, gluon: bool = False
) -> None:
    k = len(fraction)
    mean = QUARK_PARTICLES * (9 / 4 if gluon else 1) * np.sqrt(fraction)
    prongs["fraction"][:, slot] = fraction
    prongs["position"][:, slot] = position
    prongs["charged"][:, slot] = np.minimum(1 + rng.poisson(0.6 * mean, k), _SLOTS // 2)
    prongs["neutral"][:, slot] = np.minimum(rng.poisson(0.4 * mean, k), _SLOTS // 2)
    prongs["width"][:, slot] = QUARK_WIDTH * (2 if gluon else 1)


def _b_jet(rng: np.random.Generator, prongs: dict, slot: int, fraction: np.ndarray, position: np.ndarray) -> None:
    """A B-hadron prong (70 %, 5 charged, narrow) in ``slot`` and its fragmentation in ``slot + 1``."""
    _jet(rng, prongs, slot + 1, 0.3 * fraction, position)
    prongs["fraction"][:, slot] = 0.7 * fraction
    prongs["position"][:, slot] = position
    prongs["charged"][:, slot] = 5
    prongs["neutral"][:, slot] = 0
    prongs["width"][:, slot] = 0.01


def _two_body(rng: np.random.Generator, k: int, mass: float, pt: np.ndarray, mass_1: float = 0.0) -> tuple:
    """Fractions ``(1 - z, z)`` and positions of a decay whose pT-weighted axis is the origin."""
    z = rng.uniform(0.2, 0.8, k) if mass_1 == 0 else rng.uniform(0.2, 0.6, k)
    separation = pair_separation(np.full(k, mass), pt, z, np.full(k, mass_1))
    angle = rng.uniform(0, 2 * np.pi, k)
    unit = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return 1 - z, z, -(z * separation)[:, None] * unit, ((1 - z) * separation)[:, None] * unit


def _objects(label: int, rng: np.random.Generator, pt: np.ndarray) -> dict:
    k = len(pt)
    prongs = _empty(k)
    one, origin = np.ones(k), np.zeros((k, 2))
    if label in (0, 1):
        _jet(rng, prongs, 0, one, origin, gluon=label == 1)
    elif label == 2:
        _b_jet(rng, prongs, 0, one, origin)
    elif label in (3, 4):
        f1, f2, p1, p2 = _two_body(rng, k, MASS_GEV["W" if label == 3 else "Z"], pt)
        _jet(rng, prongs, 0, f1, p1)
        _jet(rng, prongs, 1, f2, p2)
    elif label == 5:
        f1, f2, p1, p2 = _two_body(rng, k, MASS_GEV["H"], pt)
        _b_jet(rng, prongs, 0, f1, p1)
        _b_jet(rng, prongs, 2, f2, p2)
    elif label == 6:
        f_w, f_b, p_w, p_b = _two_body(rng, k, MASS_GEV["t"], pt, MASS_GEV["W"])
        f1, f2, d1, d2 = _two_body(rng, k, MASS_GEV["W"], pt * f_w)
        _jet(rng, prongs, 0, f_b, p_b)
        _jet(rng, prongs, 1, f_w * f1, p_w + d1)
        _jet(rng, prongs, 2, f_w * f2, p_w + d2)
    elif label == 7:
        prongs["fraction"][:, 0] = 1
        prongs["charged"][:, 0] = np.where(rng.random(k) < 0.7, 1, 3)
        prongs["neutral"][:, 0] = 2 * rng.poisson(1.0, k)
        prongs["width"][:, 0] = 0.005
    else:
        prongs["fraction"][:, 0] = 1
        prongs["charged"][:, 0] = int(label == 9)
        prongs["neutral"][:, 0] = 1 if label == 8 else rng.poisson(2.0, k)
        prongs["width"][:, 0] = 0.003
    return prongs


def _particles(rng: np.random.Generator, prongs: dict, pt: np.ndarray, bremsstrahlung: bool) -> tuple:
    """Particle pT (k, p), eta, phi and charged flags from the prong table."""
    k = len(pt)
    slot = np.arange(_SLOTS)
    charged_flag = slot[None, None, :] < prongs["charged"][..., None]
    active = charged_flag | (slot[None, None, :] < prongs["charged"][..., None] + prongs["neutral"][..., None])
    weight = rng.gamma(0.5, 1.0, (k, _PRONGS, _SLOTS)) * active
    total = weight.sum(-1, keepdims=True)
    share = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
    count = active.sum(-1, keepdims=True)
    particle_pt = pt[:, None, None] * prongs["fraction"][..., None] * share
    spread = prongs["width"][..., None] * rng.exponential(1.0, share.shape) / np.sqrt(np.maximum(share * count, 1e-3))
    angle = rng.uniform(0, 2 * np.pi, share.shape)
    offset = np.minimum(spread, 2 * HALF_WIDTH)[..., None] * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    if bremsstrahlung:  # photons radiated along the bent electron track: offsets in phi only
        photons = ~charged_flag
        offset[photons] = np.stack([np.zeros(photons.sum()), rng.normal(0, 0.08, photons.sum())], axis=1)
    position = prongs["position"][:, :, None, :] + offset
    ue_count = rng.poisson(UNDERLYING_PARTICLES, (k, 1))
    ue_pt = rng.exponential(UNDERLYING_PT_GEV, (k, _UE_SLOTS)) * (np.arange(_UE_SLOTS)[None, :] < ue_count)
    ue_position = rng.uniform(-HALF_WIDTH, HALF_WIDTH, (k, _UE_SLOTS, 2))
    return (
        np.concatenate([particle_pt.reshape(k, -1), ue_pt], axis=1),
        np.concatenate([position.reshape(k, -1, 2), ue_position], axis=1),
        np.concatenate([charged_flag.reshape(k, -1), rng.random((k, _UE_SLOTS)) < 0.6], axis=1),
    )


def invariant_mass(pt: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Mass (GeV) of massless particles with ``pt`` (k, p) GeV at (Delta eta, Delta phi) ``position`` (k, p, 2).

    :math:`m^2 = (\\sum E)^2 - |\\sum \\vec p|^2` with ``E = p_T cosh eta``, ``p_z = p_T sinh eta``.
    """
    eta, phi = position[..., 0], position[..., 1]
    energy = (pt * np.cosh(eta)).sum(-1)
    momentum = np.stack([(pt * np.cos(phi)).sum(-1), (pt * np.sin(phi)).sum(-1), (pt * np.sinh(eta)).sum(-1)], axis=-1)
    return np.sqrt(np.maximum(energy**2 - (momentum**2).sum(-1), 0.0))


def _render(pt: np.ndarray, position: np.ndarray, charged: np.ndarray, object_pt: np.ndarray) -> np.ndarray:
    k = len(pt)
    pitch = 2 * HALF_WIDTH / PIXELS
    column = np.floor((position[..., 0] + HALF_WIDTH) / pitch).astype(int)
    row = np.floor((position[..., 1] + HALF_WIDTH) / pitch).astype(int)
    image = np.broadcast_to(np.arange(k)[:, None], pt.shape)
    charged, neutral = (pt > 0) & charged, (pt > 0) & ~charged

    def channel(selected: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
        return pixelate(image[selected], row[selected], column[selected], weight, n_images=k, pixels=PIXELS)

    colour = [
        255 * np.sqrt(np.minimum(channel(s, pt[s]) / object_pt[:, None, None], 1)) for s in (charged, neutral)
    ]
    multiplicity = 85 * channel(charged, None)
    return np.clip(np.rint(np.stack([*colour, multiplicity], axis=-1)), 0, 255).astype(np.uint8)


def simulate(n: int, *, seed: int = 0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Simulate ``n`` object images, the ten classes in equal shares (in random order).

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
        ``x`` (n, 32, 32, 3) uint8 (rows = Delta phi, columns = Delta eta, channels = charged
        ``p_T``, neutral ``p_T``, charged multiplicity, see the module docstring); ``y`` (n,)
        int64 class 0-9 (names in :data:`CLASSES`); ``pt_gev`` (n,) the object ``p_T``, GeV;
        ``mass_gev`` (n,) the invariant mass of all its particles in the window, GeV. Each
        chunk of 1000 images holds every class 100 times.
    """
    check_seed(seed)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        labels = rng.permutation(np.arange(k) % len(CLASSES))
        object_pt = rng.uniform(*PT_RANGE_GEV, k)
        images = np.zeros((k, PIXELS, PIXELS, 3), np.uint8)
        mass = np.zeros(k)
        for label in range(len(CLASSES)):
            chosen = np.flatnonzero(labels == label)
            if len(chosen):
                prongs = _objects(label, rng, object_pt[chosen])
                pt, position, charged = _particles(rng, prongs, object_pt[chosen], bremsstrahlung=label == 9)
                inside = np.all(np.abs(position) <= HALF_WIDTH, axis=-1)
                mass[chosen] = invariant_mass(pt * inside, position)
                images[chosen] = _render(pt, position, charged, object_pt[chosen])
        return {"x": images, "y": labels.astype(np.int64), "pt_gev": object_pt, "mass_gev": mass}

    return generate(sample, n, seed=seed, chunk_size=1000, progress=progress, desc="collider_objects")


SPEC = register(
    DatasetSpec(
        name="collider_objects",
        summary="32x32x3 images of 10 kinds of LHC objects (offline CIFAR-10 substitute, Ex. 12.1)",
        simulate=simulate,
        default_n=10_000,
        version=1,
        arrays="x (n, 32, 32, 3) uint8 (charged pT, neutral pT, charged count); y (n,) int64 0-9; "
        "pt_gev (n,); mass_gev (n,)",
        sample_bytes=lambda **_: 32 * 32 * 3 + 3 * 8,
    )
)
