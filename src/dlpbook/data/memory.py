"""How much memory a data set request needs, and refusing one that cannot fit.

Each :class:`~dlpbook.data.registry.DatasetSpec` declares the bytes of one sample of its
arrays as a function of its parameters; :func:`check_request` multiplies by the number of
samples and by :data:`PEAK_FACTOR` and compares with :func:`available_memory` before anything
is generated, so that ``--n 1000000000000`` fails at once instead of after hours of work or a
``MemoryError`` traceback.
"""

from __future__ import annotations

import os

PEAK_FACTOR = 2
"""Peak memory of generation / size of the result: the chunks and their concatenation coexist."""


class DataTooLargeError(ValueError):
    """A request whose arrays would not fit in the available memory.

    Attributes
    ----------
    needed, available
        Estimated peak bytes of the request and bytes available.
    """

    def __init__(self, message: str, needed: float, available: int):
        super().__init__(message)
        self.needed, self.available = needed, available


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _address_space_left() -> int | None:
    """What a ``ulimit -v`` (RLIMIT_AS) leaves to this process, if one is set."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return None
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        return max(soft - used, 0)
    except (ImportError, OSError, ValueError, IndexError):
        return None


def available_memory() -> int | None:
    """Bytes this process can still allocate: the smaller of the free memory of the machine
    (``MemAvailable``) and what an address-space limit leaves; ``None`` if unknown."""
    limits = [v for v in (_meminfo_available(), _address_space_left()) if v is not None]
    return min(limits) if limits else None


def human_bytes(count: float) -> str:
    """``1.5 GB``-style rendering (powers of 1000)."""
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if count < 1000 or unit == "PB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


def check_request(name: str, n: int, sample_bytes: float) -> None:
    """Refuse ``n`` samples of ``sample_bytes`` each when they cannot fit in memory.

    Raises
    ------
    DataTooLargeError
        Saying the estimate, what is available and how to ask for less.
    """
    needed = float(n) * float(sample_bytes) * PEAK_FACTOR
    available = available_memory()
    if available is None or needed <= available:
        return
    fitting = int(available // (PEAK_FACTOR * sample_bytes))
    remedy = (
        f"ask for at most about {fitting:,} samples"
        if fitting >= 1
        else "one sample alone is too large: choose smaller sizes"
    )
    raise DataTooLargeError(
        f"{n:,} samples of {name} need about {human_bytes(needed)} of memory "
        f"({human_bytes(sample_bytes)} per sample, x{PEAK_FACTOR} while generating), "
        f"but {human_bytes(available)} are available; {remedy}",
        needed,
        available,
    )
