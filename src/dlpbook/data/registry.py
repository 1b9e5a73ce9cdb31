"""The catalogue of data sets: what the CLI lists and :func:`dlpbook.data.load` caches.

:func:`simulate` and :func:`load` check what every data set shares before calling a
simulator: the count and the seed, the type of every parameter (``int`` parameters are
integers, ``float`` parameters finite numbers, ``str`` parameters strings, each converted to
that Python type so that the cache key is canonical: ``n=np.int64(10)`` and ``n=10``,
``noise=0`` and ``noise=0.0`` are the same request), and the memory the request needs
(:mod:`.memory`). The simulator then checks the ranges of its own parameters (for a request
too large for memory first, on one sample, so that an out-of-range size is reported as such).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .. import validation
from . import cache, memory

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Param:
    """A simulator parameter, as the CLI exposes it (``--name VALUE``)."""

    name: str
    type: type
    default: object
    help: str
    choices: tuple | None = None

    def check(self, value: object) -> object:
        """``value`` as this parameter's type (``int``, finite ``float`` or ``str``).

        Raises
        ------
        dlpbook.validation.ParameterError
            Naming the parameter and the expected type (a ``ParameterTypeError`` for a wrong
            type), e.g. ``temperature_k must be a finite number, got inf``.
        """
        if self.type is int:
            return validation.check_int(value, self.name)
        if self.type is float:
            return validation.check_float(value, self.name)
        if not isinstance(value, self.type):
            raise validation.ParameterTypeError(self.name, f"a {self.type.__name__}", value)
        return value


@dataclass(frozen=True)
class DatasetSpec:
    """A data set: its simulator, parameters and the arrays it returns.

    ``simulate(n, *, seed, progress, **params)`` must be deterministic for a given seed
    and ``version``; bump ``version`` whenever its output changes so that caches refresh.
    ``sample_bytes(**params)`` is the memory in bytes that one sample needs: the size of
    its share of the returned arrays, more where the simulator holds larger working arrays
    for all samples at once (chunked simulators need only the result); it is called with all
    parameters, before the simulator checks their ranges, and must not allocate anything.
    ``nan_allowed`` names the arrays that may hold NaN by design (silent stations); every
    other floating-point array must be finite.
    """

    name: str
    summary: str
    simulate: Callable[..., Arrays]
    default_n: int
    version: int
    arrays: str
    sample_bytes: Callable[..., float]
    params: tuple[Param, ...] = field(default=())
    nan_allowed: tuple[str, ...] = ()


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


def catalogue_table() -> str:
    """The catalogue as a Markdown table: name, summary, arrays, parameters with defaults, default n.

    The site's data-set page shows it, so the page always lists what the installed version
    provides. ``|`` inside a cell is escaped so that it cannot split the cell.
    """

    def cell(text: object) -> str:
        return str(text).replace("|", "\\|")

    def parameter(p: Param) -> str:
        return f"`{p.name}` ({p.default:g})" if isinstance(p.default, float) else f"`{p.name}` ({p.default})"

    rows = ["| name | what | arrays | parameters (default) | default n |", "|---|---|---|---|---|"]
    for name, spec in datasets().items():
        parameters = ", ".join(parameter(p) for p in spec.params) or "none"
        rows.append(f"| `{name}` | {cell(spec.summary)} | {cell(spec.arrays)} | {cell(parameters)} | {spec.default_n:,} |")
    return "\n".join(rows)


def get(name: str) -> DatasetSpec:
    """The spec of data set ``name``; a ``KeyError`` names the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def _resolve(spec: DatasetSpec, params: Mapping[str, object]) -> dict[str, object]:
    known = {p.name: p for p in spec.params}
    unknown = set(params) - set(known)
    if unknown:
        raise TypeError(f"{spec.name} has no parameter(s) {sorted(unknown)}; it takes {sorted(known)}")
    return {name: p.check(params.get(name, p.default)) for name, p in known.items()}


def _request(spec: DatasetSpec, n: int | None, seed: int, params: Mapping[str, object]) -> tuple[int, int, dict]:
    """The canonical ``(n, seed, params)`` of a request, after refusing one that cannot fit in memory."""
    n = validation.check_count(spec.default_n if n is None else n)
    seed = validation.check_seed(seed)
    resolved = _resolve(spec, params)
    sample_bytes = spec.sample_bytes(**resolved)
    try:
        memory.check_request(spec.name, n, sample_bytes)
    except memory.DataTooLargeError:
        # an out-of-range size (``--pixels 1000``) deserves its own message, not its memory
        # consequence: the simulator checks its parameters when asked for one sample, which
        # is cheap whenever one sample fits
        if sample_bytes * memory.PEAK_FACTOR <= (memory.available_memory() or 0):
            spec.simulate(1, seed=seed, progress=False, **resolved)
        raise
    return n, seed, resolved


def _generate(spec: DatasetSpec, n: int, seed: int, progress: bool | None, params: Mapping[str, object]) -> Arrays:
    """Run the simulator and refuse a result with NaN or inf where none is documented."""
    arrays = spec.simulate(n, seed=seed, progress=progress, **params)
    for key, array in arrays.items():
        if key not in spec.nan_allowed and np.issubdtype(array.dtype, np.inexact) and not np.isfinite(array).all():
            raise ValueError(
                f"{spec.name} produced NaN or inf in array {key!r} with the parameters {dict(params)}; "
                "choose values closer to the defaults"
            )
    return arrays


def simulate(name: str, n: int | None = None, *, seed: int = 0, progress: bool | None = False, **params) -> Arrays:
    """Generate data set ``name`` without touching the cache (arguments and errors as in :func:`load`)."""
    spec = get(name)
    n, seed, resolved = _request(spec, n, seed, params)
    return _generate(spec, n, seed, progress, resolved)


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

    Raises
    ------
    dlpbook.validation.ParameterError
        For a bad count, seed or parameter (its ``name`` is the parameter's).
    dlpbook.data.memory.DataTooLargeError
        If the arrays would not fit in the available memory (nothing is generated).
    dlpbook.data.cache.CacheFolderError
        If the cache folder cannot be created or written (nothing is generated).
    ValueError
        If the simulator produced NaN or inf in an array not listed in ``nan_allowed``.
    """
    spec = get(name)
    n, seed, resolved = _request(spec, n, seed, params)
    return cache.cached(
        name,
        {"n": n, **resolved},
        seed,
        spec.version,
        lambda: _generate(spec, n, seed, progress, resolved),
    )
