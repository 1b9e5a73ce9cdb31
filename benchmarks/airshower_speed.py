"""Speed and memory of the air-shower simulator (issue 3, Speed section).

Prints
1. events per second for the 9 x 9 hexagonal set with station traces,
2. the time to generate the quick-profile air-shower sets (target: under 60 s together),
3. the peak memory (tracemalloc) while generating sets of growing size in chunks, next to
   the size of the result: the working memory stays flat, only the output grows.

Times are CPU seconds of this single-threaded process (the one-core figure, robust on a
shared machine) and wall-clock seconds.

Usage: ``.venv/bin/python benchmarks/airshower_speed.py``
"""

from __future__ import annotations

import platform
import time
import tracemalloc

from dlpbook import config
from dlpbook.data import simulate
from dlpbook.data.airshower import footprints

QUICK_SIZES = {"airshowers": 20_000, "airshowers_mnist": 20_000, "airshower_maps": 20_000}
"""Event counts suggested for the quick profile of the pages that use these sets (D3: 20-50k for CI)."""


def _timed(name: str, n: int, **params) -> tuple[float, float]:
    """CPU seconds of this process (the one-core figure on a shared machine) and wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    simulate(name, n, seed=0, **params)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    print("command: .venv/bin/python benchmarks/airshower_speed.py")
    print(f"{config.describe()}; python {platform.python_version()} on {platform.machine()}, chunk {footprints.CHUNK_SIZE} events")

    simulate("airshowers", 50, seed=1, traces=1)  # warm up imports
    n = 4000
    cpu, wall = _timed("airshowers", n, traces=1)
    print(f"airshowers (9 x 9 hex, traces): {n} events in {cpu:.2f} s CPU = {n / cpu:,.0f} events/s ({wall:.2f} s wall)")

    total_cpu = total_wall = 0.0
    for name, size in QUICK_SIZES.items():
        cpu, wall = _timed(name, size)
        total_cpu, total_wall = total_cpu + cpu, total_wall + wall
        print(f"quick set {name:<17} n = {size:>6}: {cpu:6.2f} s CPU ({size / cpu:,.0f} events/s), {wall:6.2f} s wall")
    print(f"quick sets together: {total_cpu:.1f} s CPU, {total_wall:.1f} s wall (target < 60 s)")

    for size in (2_000, 8_000, 32_000):
        tracemalloc.start()
        events = footprints.simulate_footprints(size, seed=0)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        output = sum(a.nbytes for a in events.values())
        print(
            f"peak memory, {size:>6} events without traces: {peak / 2**20:7.1f} MiB "
            f"(result {output / 2**20:5.1f} MiB, working memory {(peak - output) / 2**20:5.1f} MiB)"
        )


if __name__ == "__main__":
    main()
