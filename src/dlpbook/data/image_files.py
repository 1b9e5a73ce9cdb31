"""Readers for the original files of the image sets the book borrowed (MNIST, Fashion-MNIST, CIFAR-10).

The book's exercises 12.1 (CIFAR-10), 12.2 (MNIST) and 18.1/20.1 (Fashion-MNIST) download these
sets through ``keras.datasets``. dlpbook cannot ship them and never downloads them; a reader who
has copies passes their path to the functions here. Without copies, the offline substitutes play
the same roles: :mod:`dlpbook.data.digits` (MNIST), :mod:`dlpbook.data.particle_tracks`
(Fashion-MNIST) and :mod:`dlpbook.data.collider_objects` (CIFAR-10). Nothing here
unpickles: the CIFAR-10 *python* version is a pickle, so only its *binary* version and
Keras-style ``.npz`` archives are read.

Formats
-------
IDX (MNIST, Fashion-MNIST; plain or gzip-compressed)
    A big-endian header: the magic number (two zero bytes, the element type ``0x08`` =
    unsigned byte, the number of dimensions), then one uint32 size per dimension, then the
    data. Image files have magic 2051 (3 dimensions: n, rows, columns), label files 2049
    (1 dimension: n). File names: ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``, each optionally with ``.gz``.
CIFAR-10 binary version (``cifar-10-batches-bin``)
    ``data_batch_1.bin`` ... ``data_batch_5.bin`` and ``test_batch.bin``: records of 3073
    bytes, one label byte (0-9) and 3072 pixel bytes (the 1024 red values of the 32 x 32
    image row by row, then green, then blue); 10000 records per original file.
Keras-style ``.npz``
    Arrays ``x_train``, ``y_train``, ``x_test``, ``y_test`` (as in Keras' ``mnist.npz``).

All readers return images as uint8 arrays, (n, rows, cols) for grey and (n, 32, 32, 3) for
colour, and labels as int64 arrays (n,).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from .cache import load_npz

IDX_IMAGES_MAGIC = 2051
"""Magic number of an IDX file of unsigned-byte images (n, rows, cols)."""
IDX_LABELS_MAGIC = 2049
"""Magic number of an IDX file of unsigned-byte labels (n,)."""
CIFAR10_SIDE = 32
"""Side of a CIFAR-10 image, pixels."""
CIFAR10_RECORD_BYTES = 1 + 3 * CIFAR10_SIDE**2
"""Bytes per record of the CIFAR-10 binary version: a label byte and 3 x 32 x 32 pixel bytes."""
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
"""The CIFAR-10 class names, by label."""
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
"""The Fashion-MNIST class names, by label."""
SPLITS = ("x_train", "y_train", "x_test", "y_test")
"""The keys of every split returned here (as ``keras.datasets.*.load_data()``)."""

Arrays = dict[str, np.ndarray]


def _read_bytes(path: str | os.PathLike) -> bytes:
    """The (decompressed) content of ``path``; gzip is recognised by its magic bytes."""
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ValueError(f"{path}: corrupt gzip file ({error})") from error
    return raw


def read_idx(path: str | os.PathLike, *, magic: int) -> np.ndarray:
    """Read an unsigned-byte IDX file (plain or gzip) and check its magic number.

    Parameters
    ----------
    path
        The file, e.g. ``train-images-idx3-ubyte`` or ``train-images-idx3-ubyte.gz``.
    magic
        The expected magic number: :data:`IDX_IMAGES_MAGIC` or :data:`IDX_LABELS_MAGIC`.

    Returns
    -------
    numpy.ndarray
        uint8 array of the shape stored in the header.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the magic number differs, or the file is shorter or longer than its header says.
    """
    path = Path(path)
    content = _read_bytes(path)
    ndim = magic & 0xFF
    header_bytes = 4 * (1 + ndim)
    if len(content) < 4:
        raise ValueError(f"{path}: too short for an IDX header ({len(content)} bytes)")
    found = int.from_bytes(content[:4], "big")
    if found != magic:
        raise ValueError(f"{path}: IDX magic number must be {magic}, got {found}")
    if len(content) < header_bytes:
        raise ValueError(f"{path}: truncated IDX header ({len(content)} of {header_bytes} bytes)")
    shape = tuple(int(size) for size in np.frombuffer(content, dtype=">u4", count=ndim, offset=4))
    expected = header_bytes + int(np.prod(shape))
    if len(content) != expected:
        kind = "truncated" if len(content) < expected else "too long"
        raise ValueError(f"{path}: {kind}: header shape {shape} needs {expected} bytes, file has {len(content)}")
    return np.frombuffer(content, dtype=np.uint8, offset=header_bytes).reshape(shape).copy()


def read_idx_images(path: str | os.PathLike) -> np.ndarray:
    """Images (n, rows, cols) uint8 from an IDX image file (magic 2051); see :func:`read_idx`."""
    return read_idx(path, magic=IDX_IMAGES_MAGIC)


def read_idx_labels(path: str | os.PathLike) -> np.ndarray:
    """Labels (n,) int64 from an IDX label file (magic 2049); see :func:`read_idx`."""
    return read_idx(path, magic=IDX_LABELS_MAGIC).astype(np.int64)


def _find(folder: Path, stem: str) -> Path:
    """``folder/stem`` or ``folder/stem.gz``, whichever exists."""
    for name in (stem, f"{stem}.gz"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{folder}: neither {stem} nor {stem}.gz exists")


def _check_split(images: np.ndarray, labels: np.ndarray, what: str, n_classes: int) -> None:
    if len(images) != len(labels):
        raise ValueError(f"{what}: {len(images)} images but {len(labels)} labels")
    if labels.size and not 0 <= labels.min() <= labels.max() < n_classes:
        raise ValueError(f"{what}: labels must lie in [0, {n_classes - 1}], got [{labels.min()}, {labels.max()}]")


def load_mnist(folder: str | os.PathLike) -> Arrays:
    """Read MNIST or Fashion-MNIST from the four original IDX files in ``folder``.

    Both sets use the same file names and format: ``train-images-idx3-ubyte``,
    ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``,
    each plain or with ``.gz``.

    Returns
    -------
    dict
        ``x_train`` (n_train, 28, 28) uint8, ``y_train`` (n_train,) int64 in 0-9, ``x_test``,
        ``y_test`` likewise (60000 and 10000 images in the original files).

    Raises
    ------
    FileNotFoundError
        If a file is missing.
    ValueError
        If a file is corrupt (see :func:`read_idx`), images are not 28 x 28, labels are not
        0-9, or a split has different numbers of images and labels.
    """
    folder = Path(folder)
    arrays: Arrays = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx_images(_find(folder, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx_labels(_find(folder, f"{prefix}-labels-idx1-ubyte"))
        if images.shape[1:] != (28, 28):
            raise ValueError(f"{folder}: {prefix} images must be 28 x 28, got {images.shape[1]} x {images.shape[2]}")
        _check_split(images, labels, f"{folder} ({prefix})", 10)
        arrays[f"x_{split}"], arrays[f"y_{split}"] = images, labels
    return {key: arrays[key] for key in SPLITS}


def read_cifar10_binary(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read one file of the CIFAR-10 binary version.

    Returns
    -------
    images : (n, 32, 32, 3) uint8
        Height, width, RGB channel (channels last, as Keras).
    labels : (n,) int64 in 0-9
        Class index, names in :data:`CIFAR10_CLASSES`.

    Raises
    ------
    ValueError
        If the file is empty, its length is not a whole number of 3073-byte records, or a
        label byte exceeds 9.
    """
    path = Path(path)
    content = _read_bytes(path)
    if len(content) == 0 or len(content) % CIFAR10_RECORD_BYTES:
        raise ValueError(
            f"{path}: length {len(content)} is not a positive multiple of the {CIFAR10_RECORD_BYTES}-byte record "
            f"(1 label byte + 3072 pixel bytes)"
        )
    records = np.frombuffer(content, dtype=np.uint8).reshape(-1, CIFAR10_RECORD_BYTES)
    labels = records[:, 0].astype(np.int64)
    images = records[:, 1:].reshape(-1, 3, CIFAR10_SIDE, CIFAR10_SIDE).transpose(0, 2, 3, 1).copy()
    _check_split(images, labels, str(path), 10)
    return images, labels


def load_cifar10_binary(folder: str | os.PathLike) -> Arrays:
    """Read the CIFAR-10 binary version: ``data_batch_1.bin`` ... ``data_batch_5.bin`` and ``test_batch.bin``.

    ``folder`` is the unpacked ``cifar-10-batches-bin`` folder or the folder that contains it.

    Returns
    -------
    dict
        ``x_train`` (50000, 32, 32, 3) uint8, ``y_train`` (50000,) int64, ``x_test``
        (10000, 32, 32, 3), ``y_test`` (10000,) for the original files.

    Raises
    ------
    FileNotFoundError
        If a batch file is missing.
    ValueError
        If a file is corrupt (see :func:`read_cifar10_binary`).
    """
    folder = Path(folder)
    if (folder / "cifar-10-batches-bin").is_dir():
        folder = folder / "cifar-10-batches-bin"
    parts = [read_cifar10_binary(_find(folder, f"data_batch_{i}.bin")) for i in range(1, 6)]
    x_test, y_test = read_cifar10_binary(_find(folder, "test_batch.bin"))
    return {
        "x_train": np.concatenate([images for images, _ in parts]),
        "y_train": np.concatenate([labels for _, labels in parts]),
        "x_test": x_test,
        "y_test": y_test,
    }


def load_image_npz(path: str | os.PathLike, *, n_classes: int = 10) -> Arrays:
    """Read a Keras-style ``.npz`` archive (e.g. ``mnist.npz``) without pickle.

    Parameters
    ----------
    path
        Archive holding ``x_train``, ``y_train``, ``x_test`` and ``y_test``.
    n_classes
        Labels must lie in ``[0, n_classes)``.

    Returns
    -------
    dict
        ``x_train``/``x_test`` uint8, (n, rows, cols) or (n, rows, cols, 3);
        ``y_train``/``y_test`` (n,) int64 (a Keras (n, 1) label column is flattened).

    Raises
    ------
    ValueError
        If the archive is unreadable or holds object arrays (they would need pickle), a key is
        missing, images are not uint8 grey or RGB stacks, labels are not integers, or counts differ.
    """
    arrays = load_npz(path)
    missing = [key for key in SPLITS if key not in arrays]
    if missing:
        raise ValueError(f"{path}: missing array(s) {missing}; found {sorted(arrays)}")
    result: Arrays = {}
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.dtype != np.uint8:
            raise ValueError(f"{path}: x_{split} must be uint8, got {images.dtype}")
        if not (images.ndim == 3 or (images.ndim == 4 and images.shape[-1] == 3)):
            raise ValueError(f"{path}: x_{split} must be (n, rows, cols) or (n, rows, cols, 3), got {images.shape}")
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"{path}: y_{split} must be integer labels (n,), got {labels.dtype} {labels.shape}")
        labels = labels.astype(np.int64)
        _check_split(images, labels, f"{path} ({split})", n_classes)
        result[f"x_{split}"], result[f"y_{split}"] = images, labels
    return {key: result[key] for key in SPLITS}
