"""What the ``*_full.py`` benchmarks share: the ``full`` profile, their options and their clock.

Importing this module selects the ``full`` profile (``DLPBOOK_PROFILE``) before :mod:`dlpbook`
is imported, so that the printed runs say which profile made them and the result cache files
them under it (a page of a full-profile build reuses them).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

os.environ["DLPBOOK_PROFILE"] = "full"

from dlpbook import config  # noqa: E402


def parser(doc: str) -> argparse.ArgumentParser:
    """A parser described by the first line of ``doc``, with ``--frameworks`` and ``--epochs``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--frameworks", default="torch,keras", help="comma-separated: torch, keras")
    parser.add_argument("--epochs", type=int, default=None, help="fewer epochs than the original (a shortened check)")
    return parser


def clock() -> Callable[[], str]:
    """Starts a clock; calling the result gives ``"<n> s CPU, <n> s wall (<profile and device>)"`` since then."""
    cpu, wall = time.process_time(), time.perf_counter()
    return lambda: (f"{time.process_time() - cpu:.0f} s CPU, {time.perf_counter() - wall:.0f} s wall "
                    f"({config.describe()})")
