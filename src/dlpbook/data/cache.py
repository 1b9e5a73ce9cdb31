"""Atomic ``.npz`` files and the keyed data cache.

Every data set is stored as an ``.npz`` archive of plain arrays (never
object arrays, so loading never needs pickle). A cached file carries a ``__meta__`` entry,
the JSON of the key it was made for (data set, parameters, seed, generator version). A file
that cannot be read, or whose key does not match, is regenerated with a warning; it is never
used silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from .. import config

META_KEY = "__meta__"

Arrays = dict[str, np.ndarray]


class CacheWarning(UserWarning):
    """A cached file was corrupt or stale and has been regenerated."""


def save_npz(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> Path:
    """Write ``arrays`` to ``path`` atomically (temporary file in the same folder, then rename).

    An interrupted write leaves no file at ``path`` (and no stray temporary file).

    Raises
    ------
    ValueError
        If an array has dtype ``object`` (it could only be stored with pickle).
    OSError
        If the folder does not exist or is not writable.
    """
    path = Path(path)
    for name, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise ValueError(f"array {name!r} has dtype object; only plain arrays can be stored")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_npz(path: str | os.PathLike) -> Arrays:
    """Read every array of an ``.npz`` file into memory, without pickle.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not a readable ``.npz`` archive (truncated, corrupt, or holding
        object arrays).
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"{path} is not a readable .npz file: {error}") from error


def cache_key(name: str, params: Mapping[str, object], seed: int, version: int) -> str:
    """The canonical JSON key of a data set instance."""
    return json.dumps(
        {"dataset": name, "params": dict(params), "seed": seed, "version": version},
        sort_keys=True,
        default=str,
    )


def cached(
    name: str,
    params: Mapping[str, object],
    seed: int,
    version: int,
    make: Callable[[], Arrays],
    directory: str | os.PathLike | None = None,
) -> Arrays:
    """Return the arrays of a data set instance, generating and caching them on first use.

    Parameters
    ----------
    name, params, seed, version
        The key: data set name, its parameters (JSON-serialisable), the seed and the
        generator version (bump it whenever the generator's output changes).
    make
        Called without arguments to generate the arrays when no valid file exists.
    directory
        Cache folder; default :func:`dlpbook.config.cache_dir`.
    """
    key = cache_key(name, params, seed, version)
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    folder = Path(directory) if directory is not None else config.cache_dir()
    path = folder / f"{name}-{digest}.npz"
    if path.exists():
        try:
            arrays = load_npz(path)
            stored = arrays.pop(META_KEY, None)
            if stored is None or str(stored) != key:
                raise ValueError(f"key mismatch (stored {stored!s:.200})")
            return arrays
        except ValueError as error:
            warnings.warn(
                f"regenerating cached data set {name!r}: {path} is unusable ({error})",
                CacheWarning,
                stacklevel=2,
            )
    arrays = make()
    folder.mkdir(parents=True, exist_ok=True)
    save_npz(path, {**arrays, META_KEY: np.array(key)})
    return arrays
