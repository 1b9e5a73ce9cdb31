"""Time a cold build of the website and a warm rebuild, and print both.

The cold build runs in a fresh copy of the working tree with an empty data cache, as CI does;
the warm rebuild runs right after it in the same copy with nothing changed.
Targets (issue 2): cold quick-profile build under 5 minutes on a 2-core machine, warm rebuild
under 30 s.

Usage: ``.venv/bin/python benchmarks/build_times.py`` (or ``make benchmarks``).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _tree_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if line]


def _build(folder: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(JUPYTER_BOOK), "build", "-W", "-n", "--keep-going", "."], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dlpbook-bench-") as scratch:
        tree = Path(scratch) / "tree"
        for name in _tree_files():
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        env = {**os.environ, "DLPBOOK_CACHE": str(Path(scratch) / "cache"), "DLPBOOK_PROFILE": os.environ.get("DLPBOOK_PROFILE", "quick")}
        cold = _build(tree, env)
        warm = _build(tree, env)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, profile {env['DLPBOOK_PROFILE']}")
    print(f"cold build (clean tree, empty data cache): {cold:7.1f} s   target < 300 s")
    print(f"warm rebuild (nothing changed):            {warm:7.1f} s   target <  30 s")


if __name__ == "__main__":
    main()
