"""Run-time configuration: profile, devices, seeding and cache location.

This is the only module of :mod:`dlpbook` that reads environment variables:

``DLPBOOK_PROFILE``
    ``quick`` (default) runs everything on a laptop CPU in minutes with smaller data and
    fewer epochs; ``full`` uses the data sizes and training lengths of the original
    exercises and is meant for a GPU.
``DLPBOOK_CACHE``
    Directory of the data cache (default: the user cache directory, e.g.
    ``~/.cache/dlpbook``).
``DLPBOOK_WINE_CSV``
    Optional path of the original UCI ``winequality-white.csv``; when set, the wine
    exercises use it instead of their offline substitute.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import TypeVar

import numpy as np

PROFILES = ("quick", "full")

T = TypeVar("T")


def profile() -> str:
    """Return the active profile, ``"quick"`` or ``"full"`` (from ``DLPBOOK_PROFILE``).

    Raises
    ------
    ValueError
        If ``DLPBOOK_PROFILE`` holds anything else.
    """
    value = os.environ.get("DLPBOOK_PROFILE", "quick").strip().lower() or "quick"
    if value not in PROFILES:
        raise ValueError(f"DLPBOOK_PROFILE must be one of {PROFILES}, got {value!r}")
    return value


def by_profile(quick: T, full: T) -> T:
    """Pick the value for the active profile.

    Examples
    --------
    >>> epochs = by_profile(quick=20, full=100)
    """
    return full if profile() == "full" else quick


CACHE_VARIABLE = "DLPBOOK_CACHE"
"""The environment variable that chooses the data cache folder (named in error messages)."""


def _absolute_env(name: str) -> Path | None:
    # an empty or relative base folder would put the cache wherever the program was started
    value = os.environ.get(name, "").strip()
    path = Path(value).expanduser() if value else None
    return path if path is not None and path.is_absolute() else None


def cache_dir() -> Path:
    """Directory of the data cache (``DLPBOOK_CACHE`` or the user cache directory).

    ``DLPBOOK_CACHE`` is used as given (``~`` expanded). The platform's base folder
    (``XDG_CACHE_HOME``, ``LOCALAPPDATA``) is used only when it is an absolute path, as the
    XDG specification asks; otherwise ``~/.cache`` (``~/AppData/Local`` on Windows).
    """
    env = os.environ.get(CACHE_VARIABLE, "").strip()
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = _absolute_env("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
    else:
        base = _absolute_env("XDG_CACHE_HOME") or Path.home() / ".cache"
    return base / "dlpbook"


def wine_csv() -> Path | None:
    """Path of a user-supplied ``winequality-white.csv`` (``DLPBOOK_WINE_CSV``), if any."""
    env = os.environ.get("DLPBOOK_WINE_CSV")
    return Path(env).expanduser() if env else None


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python, NumPy's legacy global state and torch (if imported); return a Generator.

    Library code in :mod:`dlpbook` takes explicit ``seed``/``rng`` arguments; this helper is
    for pages and scripts that also use framework initialisers.
    """
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch, keras = sys.modules.get("torch"), sys.modules.get("keras")
    if torch is not None:
        torch.manual_seed(seed)
    if keras is not None:
        keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)


def torch_device():
    """The best available torch device: CUDA, then Apple MPS, then CPU."""
    import torch

    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


ONEDNN_NOTICE = "oneDNN custom operations are on"
"""The start of the line TensorFlow writes to stderr when it loads with oneDNN's operations on."""

_EARLY_LOG_NOTICE = "All log messages before absl::InitializeLog() is called are written to STDERR"


def import_tensorflow():
    """Import TensorFlow with its C++ log lines silenced and return the module.

    TensorFlow writes start-up messages into rendered pages unless
    ``TF_CPP_MIN_LOG_LEVEL`` is set before the first import, so every part of dlpbook
    (and every page) imports it through this function.

    oneDNN's custom operations stay on (TensorFlow's default, ``TF_ENABLE_ONEDNN_OPTS``): they
    train the exercises' Keras CNNs about twice as fast on a CPU. TensorFlow announces them
    with a line on stderr that no log level silences (:data:`ONEDNN_NOTICE`, written before
    its logging is set up); that line, and absl's remark that such early lines go to stderr,
    are held back while TensorFlow loads, and anything else it writes there is passed on. The
    operations round differently from the plain kernels, so Keras results differ from those
    with ``TF_ENABLE_ONEDNN_OPTS=0`` in the last digits; a run repeats exactly. Values the user
    has set already are kept.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" not in sys.modules:
        with _stderr_without((ONEDNN_NOTICE, _EARLY_LOG_NOTICE)):
            import tensorflow  # noqa: F401
    import tensorflow as tf

    return tf


@contextlib.contextmanager
def _stderr_without(notices: tuple[str, ...]):
    """Hold back the lines written to file descriptor 2 that contain one of ``notices``.

    C++ libraries write to the descriptor, not to :data:`sys.stderr`, so the descriptor is
    pointed at a temporary file for the duration; the lines without a notice are then
    written to the real stderr, in their order.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            lines = held.read().decode(errors="replace").splitlines(keepends=True)
            kept = "".join(line for line in lines if not any(notice in line for notice in notices))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


def tensorflow_devices() -> list[str]:
    """Names of the devices TensorFlow sees (e.g. ``['CPU:0', 'GPU:0']``)."""
    tf = import_tensorflow()
    return [d.name.removeprefix("/physical_device:") for d in tf.config.list_physical_devices()]


def describe() -> str:
    """One line for pages: the profile and the devices that produced their numbers."""
    parts = [f"profile={profile()}"]
    if sys.modules.get("torch") is not None:
        parts.append(f"torch device={torch_device()}")
    if sys.modules.get("tensorflow") is not None:
        parts.append(f"TensorFlow devices={','.join(tensorflow_devices())}")
    return ", ".join(parts)
