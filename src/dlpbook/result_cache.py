"""Train once, reuse everywhere: results of heavy computations cached by code version.

A page and a gallery script that show the same training (a graph network, a GAN, a flow)
should pay for it once per build, and a warm rebuild not at all. :func:`cached_result` wraps a
package function that returns named arrays (metrics, histories, weights) and stores them as an
``.npz`` file in the data cache folder (``DLPBOOK_CACHE``), keyed by

- the function (module and qualified name) and its arguments, defaults included;
- the code version: a hash of the source of the function's module, and of any module named in
  ``depends`` (edit the code and the result is recomputed);
- the execution profile (:func:`dlpbook.config.profile`) and the seed.

Files are written atomically and read without pickle (:mod:`dlpbook.data.cache`); a corrupt
or mismatching file is recomputed with a :class:`~dlpbook.data.cache.CacheWarning`.

Weights of a PyTorch model go in and out as arrays, which keeps this module framework-free::

    @cached_result()
    def train_flow(n_epochs: int = 20, *, seed: int) -> dict[str, np.ndarray]:
        model = ...
        history = fit(...)
        weights = {f"weight:{k}": v.detach().cpu().numpy() for k, v in model.state_dict().items()}
        return {"loss": np.asarray(history.loss), **weights}

    result = train_flow(seed=1)
    model.load_state_dict({k[7:]: torch.from_numpy(v) for k, v in result.items()
                           if k.startswith("weight:")})
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import ParamSpec

import numpy as np

from . import config
from .data.cache import Arrays, cached
from .validation import check_seed

P = ParamSpec("P")

# Part of every key: bump it when the layout of the stored files changes.
FORMAT_VERSION = 1

_PLAIN = (bool, int, float, str, type(None))


def code_version(modules: Iterable[ModuleType]) -> str:
    """Hash of the source files of ``modules`` (in the order given).

    Returns
    -------
    str
        16 hexadecimal digits of the SHA-256 of the concatenated sources.

    Raises
    ------
    TypeError
        If a module has no Python source file (a built-in or compiled module).
    """
    digest = hashlib.sha256()
    for module in modules:
        source = inspect.getsourcefile(module)
        if source is None:
            raise TypeError(f"module {module.__name__} has no Python source to version")
        digest.update(module.__name__.encode() + b"\0" + Path(source).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _check_plain(name: str, value: object) -> object:
    """Return ``value`` as JSON-ready data, or raise for anything without a faithful key."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (list, tuple)):
        return [_check_plain(name, item) for item in value]
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return {key: _check_plain(name, item) for key, item in value.items()}
    raise TypeError(
        f"argument {name!r} is a {type(value).__name__}; a cached result's arguments must be "
        "numbers, strings, booleans, None, or lists and string-keyed dicts of them"
    )


def cached_result(
    depends: Iterable[ModuleType] = (),
    directory: str | Path | None = None,
) -> Callable[[Callable[P, Mapping[str, object]]], Callable[P, Arrays]]:
    """Decorator: cache a function's arrays by code version, arguments, profile and seed.

    Parameters
    ----------
    depends
        Further modules whose source is part of the code version (say, the training loop the
        function calls); the function's own module always is.
    directory
        Cache folder; default :func:`dlpbook.config.cache_dir` at call time.

    Returns
    -------
    callable
        The wrapped function. It must take a ``seed`` argument, and its arguments must be
        plain data (numbers, strings, booleans, None, lists and string-keyed dicts of them).
        It returns a dict of arrays: the function's result converted with
        :func:`numpy.asarray`, the same on the first call and when read back from the cache.

    Raises
    ------
    TypeError
        At decoration, if the function has no ``seed`` parameter; at a call, if an argument
        is not plain data or the result is not a string-keyed mapping of plain arrays.
    dlpbook.validation.ParameterError
        At a call, if the seed is not an integer >= 0.
    """
    modules = tuple(depends)

    def decorate(function: Callable[P, Mapping[str, object]]) -> Callable[P, Arrays]:
        signature = inspect.signature(function)
        if "seed" not in signature.parameters:
            raise TypeError(f"{function.__qualname__} needs a seed parameter to be cached")
        name = f"{function.__module__}.{function.__qualname__}"
        own_module = sys.modules[function.__module__]

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Arrays:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = {key: _check_plain(key, value) for key, value in bound.arguments.items()}
            seed = check_seed(arguments.pop("seed"))
            params = {
                "arguments": arguments,
                "code": code_version((own_module, *modules)),
                "profile": config.profile(),
            }

            def compute() -> Arrays:
                result = function(*bound.args, **bound.kwargs)
                if not isinstance(result, Mapping) or not all(isinstance(key, str) for key in result):
                    raise TypeError(f"{name} must return a dict of named arrays, got {type(result).__name__}")
                arrays = {key: np.asarray(value) for key, value in result.items()}
                for key, array in arrays.items():
                    if array.dtype == object:
                        raise TypeError(f"{name} returned {key!r}, which is no plain array (dtype object)")
                return arrays

            return cached(name, params, seed, FORMAT_VERSION, compute, directory)

        return wrapper

    return decorate
