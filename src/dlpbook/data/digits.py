"""Handwritten digits: the offline substitute for MNIST (book Example 12.1, Exercise 12.2).

The book's MNIST exercises download 70,000 handwritten digits of 28 x 28 pixels. dlpbook ships
no copy and downloads nothing; readers with the original IDX files load them with
:func:`dlpbook.data.image_files.load_mnist`. Offline, this module plays MNIST's role with
*real* handwriting: scikit-learn's copy of the UCI optical-recognition digits (1797 images of
8 x 8 pixels, grey levels 0-16, classes 0-9 with 174-183 images each), which is stored inside
the scikit-learn package.

Processing (documented so that pages can state it): grey levels are scaled to 0-255
(``round(v * 255 / 16)``), and for ``size > 8`` each image is upsampled bilinearly with
pixel-centre alignment (:func:`upsample_bilinear`; ``size = 28`` gives MNIST's shape). The
result is smoother than MNIST (only 64 independent grey levels per image) and the digits fill
the frame, whereas MNIST centres a 20 x 20 digit in the 28 x 28 frame.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from ..validation import check_count, check_int, check_seed
from .registry import DatasetSpec, Param, register

N_DIGITS = 1797
"""Number of images in scikit-learn's digits data."""
NATIVE_SIZE = 8
"""Side of the original images, pixels."""
MAX_GREY = 16
"""Largest grey level of the original images."""
MAX_SIZE = 128
"""Largest image side, pixels (16 times the native resolution)."""


def upsample_bilinear(images: np.ndarray, size: int) -> np.ndarray:
    """Resize square images (n, s, s) to (n, size, size) by bilinear interpolation.

    Pixel centres are aligned: output pixel ``i`` samples the input at position
    ``(i + 0.5) * s / size - 0.5``, clamped to the outermost input pixel centres, so a
    constant image stays constant and the image is not shifted.

    Parameters
    ----------
    images
        (n, s, s) array of any real dtype.
    size
        Output side, pixels (>= 1).

    Returns
    -------
    (n, size, size) float64
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(f"images must have shape (n, s, s), got {images.shape}")
    size = check_int(size, "size", low=1)
    side = images.shape[1]
    position = np.clip((np.arange(size) + 0.5) * side / size - 0.5, 0, side - 1)
    low = np.minimum(np.floor(position).astype(int), side - 2) if side > 1 else np.zeros(size, int)
    high = np.minimum(low + 1, side - 1)
    frac = position - low
    rows = images[:, low] * (1 - frac)[None, :, None] + images[:, high] * frac[None, :, None]
    return rows[:, :, low] * (1 - frac) + rows[:, :, high] * frac


def original_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1797 digits: ``(1797, 8, 8)`` float grey levels 0-16 and ``(1797,)`` int64 labels.

    Read from the file inside the scikit-learn package, ``datasets/data/digits.csv.gz``, which
    is what ``sklearn.datasets.load_digits`` reads too (a test checks that both agree): importing
    scikit-learn costs about a second of CPU, the file a hundredth. Falls back to
    ``load_digits`` where a scikit-learn version keeps the file elsewhere.
    """
    spec = importlib.util.find_spec("sklearn")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    path = Path(locations[0], "datasets", "data", "digits.csv.gz") if locations else None
    if path is None or not path.is_file():
        from sklearn.datasets import load_digits

        bunch = load_digits()
        return bunch.images, bunch.target.astype(np.int64)
    table = np.loadtxt(path, delimiter=",", dtype=np.int64)  # 64 grey levels and the label per row
    return table[:, :-1].reshape(-1, NATIVE_SIZE, NATIVE_SIZE).astype(float), table[:, -1]


def simulate(
    n: int = N_DIGITS, *, seed: int = 0, size: int = 28, progress: bool | None = False
) -> dict[str, np.ndarray]:
    """Draw ``n`` of the 1797 real digits in a seeded random order (no image twice).

    Parameters
    ----------
    n
        Number of images, 1 to 1797.
    seed
        Seed of the shuffle.
    size
        Side of the returned images, pixels: 8 (native) or larger (bilinear upsampling;
        28 = MNIST's size).
    progress
        Accepted for the common interface; the selection is instantaneous.

    Returns
    -------
    dict
        ``x`` (n, size, size) uint8, grey levels 0-255 (ink bright, as MNIST); ``y`` (n,)
        int64, the digit 0-9.
    """
    n = check_count(n, high=N_DIGITS)
    seed = check_seed(seed)
    size = check_int(size, "size", low=NATIVE_SIZE, high=MAX_SIZE)
    all_images, labels = original_digits()
    chosen = np.random.default_rng(seed).permutation(N_DIGITS)[:n]
    images = all_images[chosen] * (255 / MAX_GREY)
    if size != NATIVE_SIZE:
        images = upsample_bilinear(images, size)
    return {"x": np.clip(np.rint(images), 0, 255).astype(np.uint8), "y": labels[chosen]}


SPEC = register(
    DatasetSpec(
        name="digits",
        summary="real 8x8 handwritten digits from scikit-learn, upsampled (offline MNIST substitute, Ex. 12.2)",
        simulate=simulate,
        default_n=N_DIGITS,
        version=1,
        arrays="x (n, size, size) uint8 0-255; y (n,) int64 digit 0-9",
        # upsampling works in float64 with about three (n, size, size) arrays alive at once
        sample_bytes=lambda size, **_: 3 * 8 * size * size + 8,
        params=(Param("size", int, 28, "image side in pixels (8 = native, 28 = MNIST size)"),),
    )
)
