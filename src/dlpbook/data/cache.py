"""Atomic ``.npz`` files and the keyed data cache.

Every data set is stored as an ``.npz`` archive of plain arrays (never
object arrays, so loading never needs pickle). A cached file carries a ``__meta__`` entry:
the JSON of the key it was made for (data set, parameters, seed, generator version), the
name, dtype and shape of every array and a SHA-256 checksum of their content. A file that
cannot be read, whose key does not match, whose arrays differ from that list or whose content
fails the checksum is regenerated with a :class:`CacheWarning`; it is never used silently.

The cache folder is checked before anything is generated: a folder that cannot be created
or written raises :class:`CacheFolderError` at once, naming the folder and what to change.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import stat
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
    """A cached file was unusable and has been regenerated, or the data could not be cached."""


class CacheFolderError(OSError):
    """The cache folder cannot be created or written."""


def _umask() -> int:
    # os.umask is the only portable way to read the mask: set it and put it straight back
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _writer_alive(pid: int) -> bool:
    if os.name == "nt":  # there os.kill(pid, 0) would terminate the process: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, but belongs to another user
        pass
    return True


def _remove_stale_temporaries(path: Path) -> None:
    """Delete ``.NAME.PID.*.tmp`` files next to ``path`` whose writer process has died.

    A writer killed by SIGKILL (or a power cut) cannot clean up after itself; the next
    writer of the same file does it.
    """
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _writer_alive(int(pid)):
            tmp.unlink(missing_ok=True)


def save_npz(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> Path:
    """Write ``arrays`` to ``path`` atomically (temporary file in the same folder, then rename).

    An interrupted write (an exception, Ctrl-C, or SIGTERM in the ``dlpbook`` command, which
    turns it into an exception) leaves no file at ``path`` and no temporary file. The
    temporary file ``.NAME.PID.XXXX.tmp`` carries the writer's process id, so that one left
    by a killed writer (SIGKILL) is removed by the next write of ``path``. The file gets the
    usual permissions (``0666`` less the umask).

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
    _remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; give it the permissions a plain open() would
        os.chmod(tmp, 0o666 & ~_umask())
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
        If ``path`` is not a regular file (a folder, a FIFO) or not a readable ``.npz``
        archive (truncated, corrupt, or holding object arrays).
    """
    path = Path(path)
    # stat first: opening a FIFO would block forever, a folder raises IsADirectoryError
    if not stat.S_ISREG(path.stat().st_mode):
        raise ValueError(f"{path} is not a regular file")
    try:
        # our own handle, closed on every path (np.load leaks its handle when parsing fails)
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"{path} is not a readable .npz file: {error}") from error


def _canonical(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cache key values must be JSON numbers or strings, got {type(value).__name__}")


def cache_key(name: str, params: Mapping[str, object], seed: int, version: int) -> str:
    """The canonical JSON key of a data set instance (NumPy scalars stored as Python numbers).

    Canonical types are the caller's business: :func:`dlpbook.data.load` turns every float
    parameter into a ``float``, so that ``noise=0`` and ``noise=0.0`` share one key.
    """
    return json.dumps(
        {"dataset": name, "params": dict(params), "seed": seed, "version": version},
        sort_keys=True,
        default=_canonical,
    )


def checksum(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over the names, dtypes, shapes and bytes of ``arrays`` (in name order)."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}\0{array.dtype.str}\0{array.shape}\0".encode())
        digest.update(array.data)
    return digest.hexdigest()


def _meta(key: str, arrays: Mapping[str, np.ndarray]) -> str:
    listing = {name: [np.asarray(a).dtype.str, list(np.shape(a))] for name, a in arrays.items()}
    return json.dumps({"key": key, "arrays": listing, "sha256": checksum(arrays)}, sort_keys=True)


def _verified(arrays: Arrays, key: str) -> Arrays:
    """The arrays of a cached file, after checking key, listing and checksum (``ValueError``)."""
    stored = arrays.pop(META_KEY, None)
    try:
        meta = json.loads(str(stored))
        stored_key, listing, digest = meta["key"], meta["arrays"], meta["sha256"]
    except (TypeError, ValueError, KeyError):
        raise ValueError(f"no valid {META_KEY} entry (found {stored!s:.100})") from None
    if stored_key != key:
        raise ValueError(f"key mismatch (stored {stored_key!s:.200})")
    found = {name: [a.dtype.str, list(a.shape)] for name, a in arrays.items()}
    if found != listing:
        raise ValueError(f"arrays {found} differ from the listed {listing}")
    if checksum(arrays) != digest:
        raise ValueError("checksum mismatch: the content has changed since it was written")
    return arrays


def usable_folder(folder: Path, *, remedy: str) -> Path:
    """Create ``folder`` if needed and check that it is a writable folder; return it.

    Raises
    ------
    CacheFolderError
        Naming the folder, the reason and ``remedy`` (what to change).
    """
    if folder.exists() and not folder.is_dir():
        raise CacheFolderError(f"cannot use {folder} as the data cache: it is a file, not a folder; {remedy}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CacheFolderError(f"cannot use {folder} as the data cache: {error.strerror or error}; {remedy}") from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CacheFolderError(f"cannot use {folder} as the data cache: it is not writable; {remedy}")
    return folder


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

    Raises
    ------
    CacheFolderError
        Before generating anything, if the cache folder cannot be created or written.
    """
    key = cache_key(name, params, seed, version)
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    if directory is None:
        folder = usable_folder(config.cache_dir(), remedy=f"set {config.CACHE_VARIABLE} to a writable folder")
    else:
        folder = usable_folder(Path(directory), remedy="pass a writable folder")
    path = folder / f"{name}-{digest}.npz"
    if os.path.lexists(path) and not path.is_file():
        # a folder or a FIFO there cannot be read or replaced: generate, but do not cache
        warnings.warn(
            f"not caching data set {name!r}: {path} exists and is not a regular file; remove it",
            CacheWarning,
            stacklevel=2,
        )
        return make()
    if path.exists():
        try:
            return _verified(load_npz(path), key)
        except ValueError as error:
            warnings.warn(
                f"regenerating cached data set {name!r}: {path} is unusable ({error})",
                CacheWarning,
                stacklevel=2,
            )
    arrays = make()
    try:
        save_npz(path, {**arrays, META_KEY: np.array(_meta(key, arrays))})
    except OSError as error:
        # the arrays are made: hand them over rather than lose them to a full disk
        warnings.warn(f"could not cache data set {name!r} at {path}: {error}", CacheWarning, stacklevel=2)
    return arrays
