"""The catalogue of data sets: what the CLI lists and :func:`dlpbook.data.load` caches."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from . import cache

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Param:
    """A simulator parameter, as the CLI exposes it (``--name VALUE``)."""

    name: str
    type: type
    default: object
    help: str
    choices: tuple | None = None


@dataclass(frozen=True)
class DatasetSpec:
    """A data set: its simulator, parameters and the arrays it returns.

    ``simulate(n, *, seed, progress, **params)`` must be deterministic for a given seed
    and ``version``; bump ``version`` whenever its output changes so that caches refresh.
    """

    name: str
    summary: str
    simulate: Callable[..., Arrays]
    default_n: int
    version: int
    arrays: str
    params: tuple[Param, ...] = field(default=())


_REGISTRY: dict[str, DatasetSpec] = {}


def register(spec: DatasetSpec) -> DatasetSpec:
    """Add a data set to the catalogue (each name once)."""
    if spec.name in _REGISTRY:
        raise ValueError(f"data set {spec.name!r} is registered twice")
    _REGISTRY[spec.name] = spec
    return spec


def datasets() -> Mapping[str, DatasetSpec]:
    """All registered data sets, by name."""
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> DatasetSpec:
    """The spec of data set ``name``; a ``KeyError`` names the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def _resolve(spec: DatasetSpec, params: Mapping[str, object]) -> dict[str, object]:
    known = {p.name: p.default for p in spec.params}
    unknown = set(params) - set(known)
    if unknown:
        raise TypeError(f"{spec.name} has no parameter(s) {sorted(unknown)}; it takes {sorted(known)}")
    return {**known, **params}


def simulate(name: str, n: int | None = None, *, seed: int = 0, progress: bool | None = False, **params) -> Arrays:
    """Generate data set ``name`` without touching the cache."""
    spec = get(name)
    return spec.simulate(spec.default_n if n is None else n, seed=seed, progress=progress, **_resolve(spec, params))


def load(name: str, n: int | None = None, *, seed: int = 0, progress: bool | None = None, **params) -> Arrays:
    """Return data set ``name`` from the cache, generating it on first use.

    Parameters
    ----------
    name
        A registered data set (see :func:`datasets` or ``dlpbook data --help``).
    n
        Number of samples (default: the data set's ``default_n``).
    seed
        Seed; the same seed, parameters and version give the same arrays.
    progress
        Progress bar while generating (``None``: on a terminal only).
    **params
        The data set's own parameters.
    """
    spec = get(name)
    n = spec.default_n if n is None else n
    resolved = _resolve(spec, params)
    return cache.cached(
        name,
        {"n": n, **resolved},
        seed,
        spec.version,
        lambda: spec.simulate(n, seed=seed, progress=progress, **resolved),
    )
