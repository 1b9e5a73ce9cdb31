"""Time the site build, and report each page's execution time against its budget.

Two uses:

``python benchmarks/build_times.py`` (``make benchmarks``)
    Copies the working tree to a fresh folder and runs ``make book`` there twice with an empty
    data cache: a cold build (every page executes, every data set is simulated, every gallery
    script runs), then a warm rebuild with nothing changed. Prints both times, the load of the
    machine, and the per-page table of the cold build.
``python benchmarks/build_times.py --pages [BUILD]``
    Prints the per-page table of an existing build (default ``_build``).
``python benchmarks/build_times.py --execute PAGE [PAGE ...]``
    Executes the given pages (``book/exercises/ex05-1.md``) one after another, each in a fresh
    single-threaded kernel as the build runs them, without building the site, and prints each
    page's wall time and the CPU time of its kernel against the budget. On a busy machine the
    CPU time is the better measure: the wall time then includes waiting for a core.

The per-page table reads the execution records the build leaves: jupyter-cache's record of each
executed page (``BUILD/.jupyter_cache``; the latest execution of each page) and the running
time sphinx-gallery writes into each example's page. Budgets of the quick profile: a chapter
page 10 s, an exercise page 15 s, any other page and a gallery script 10 s. A page over budget
is reported, not failed: timings on a shared machine vary too much for a hard limit in CI.

Targets (issue 8): the whole book (21 chapters) within a cold build of 10 minutes on 2 cores;
a warm rebuild under 30 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

CHAPTER_BUDGET_S = 10.0
EXERCISE_BUDGET_S = 15.0
OTHER_BUDGET_S = 10.0

_GALLERY_TIME = re.compile(r"Total running time of the script:\*\*\s*\(\s*(\d+)\s+minutes\s+([\d.]+)\s+seconds\)")


@dataclass(frozen=True)
class PageTime:
    """Execution time of one page or gallery script."""

    name: str
    seconds: float
    budget: float

    @property
    def within_budget(self) -> bool:
        return self.seconds <= self.budget


def budget_of(name: str) -> float:
    """Execution budget in seconds of a page (``book/ch03-...``, ``book/exercises/ex03-1``) or script."""
    stem = Path(name).name
    if re.fullmatch(r"ex\d\d-\d+", stem):
        return EXERCISE_BUDGET_S
    if re.match(r"ch\d\d-", stem):
        return CHAPTER_BUDGET_S
    return OTHER_BUDGET_S


def _gallery_dirs(tree: Path) -> list[str]:
    settings = yaml.safe_load((tree / "_config.yml").read_text())
    gallery = settings.get("sphinx", {}).get("config", {}).get("sphinx_gallery_conf", {})
    dirs = gallery.get("gallery_dirs", [])
    return [dirs] if isinstance(dirs, str) else list(dirs)


def page_times(build: Path) -> list[PageTime]:
    """Execution time of every executed page and gallery script of ``build``, slowest first.

    Parameters
    ----------
    build
        The build folder (``_build``); the book's root is its parent.
    """
    from jupyter_cache import get_cache

    tree = build.resolve().parent
    latest: dict[str, tuple[float, float]] = {}
    cache_folder = build / ".jupyter_cache"
    if cache_folder.exists():
        for record in get_cache(cache_folder).list_cache_records():
            seconds = (record.data or {}).get("execution_seconds")
            if seconds is None:
                continue
            created = record.created.timestamp()
            source = Path(record.uri)
            name = (source.relative_to(tree) if source.is_relative_to(tree) else source).with_suffix("").as_posix()
            if name not in latest or created > latest[name][0]:
                latest[name] = (created, float(seconds))
    times = [PageTime(name, seconds, budget_of(name)) for name, (_, seconds) in latest.items()]
    for folder in _gallery_dirs(tree):
        for page in sorted((tree / folder).glob("*.rst")):
            match = _GALLERY_TIME.search(page.read_text(encoding="utf8"))
            if match:
                name = page.relative_to(tree).with_suffix(".py").as_posix()
                times.append(PageTime(name, 60 * int(match[1]) + float(match[2]), OTHER_BUDGET_S))
    return sorted(times, key=lambda time: time.seconds, reverse=True)


def print_page_times(times: list[PageTime]) -> None:
    print(f"{'seconds':>8}  {'budget':>6}  {'':4}  page or gallery script (slowest first)")
    for time in times:
        print(f"{time.seconds:8.1f}  {time.budget:6.0f}  {'ok' if time.within_budget else 'OVER':4}  {time.name}")
    over = [time for time in times if not time.within_budget]
    total = sum(time.seconds for time in times)
    print(f"{len(times)} executed, {total:.1f} s of execution in all; {len(over)} over budget")


ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")}
"""The threads of a kernel in the build (the Makefile's ``ONE_THREAD``)."""

_KERNEL_CPU = "import resource as _r; _u = _r.getrusage(_r.RUSAGE_SELF); print(_u.ru_utime + _u.ru_stime)"


def execute_page(page: Path) -> tuple[float, float]:
    """``(wall, cpu)`` seconds of executing the code cells of a MyST page in a fresh kernel.

    The kernel runs with one thread, in the page's folder, with this process' environment
    (``DLPBOOK_PROFILE``, ``DLPBOOK_CACHE``); ``cpu`` is the kernel's user and system time,
    kernel start-up included.
    """
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook
    from nbclient import NotebookClient

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf8"))
    notebook.cells.append(nbformat.v4.new_code_cell(_KERNEL_CPU))
    previous = {name: os.environ.get(name) for name in ONE_THREAD}
    os.environ.update(ONE_THREAD)
    try:
        client = NotebookClient(notebook, timeout=1800, resources={"metadata": {"path": str(page.parent)}})
        start = time.perf_counter()
        client.execute()
        wall = time.perf_counter() - start
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    cpu = float(notebook.cells[-1].outputs[0]["text"])
    return wall, cpu


def _tree_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if line and (ROOT / line).is_file()]


def _make_book(folder: Path, env: dict[str, str]) -> float:
    """Seconds of ``make book`` in ``folder``, with this Python's environment (no reinstall)."""
    venv = Path(sys.prefix)
    command = ["make", "--no-print-directory", "book", f"VENV={venv}", "-o", str(venv / ".dlpbook-installed")]
    start = time.perf_counter()
    subprocess.run(command, cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _load() -> str:
    return "load average " + ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="?", const=ROOT / "_build", type=Path, metavar="BUILD",
                        help="only print the per-page execution times of an existing build")
    parser.add_argument("--execute", nargs="+", type=Path, metavar="PAGE",
                        help="only execute these pages (MyST files), each in a fresh kernel, and time them")
    args = parser.parse_args()
    if args.pages is not None:
        print_page_times(page_times(args.pages))
        return
    if args.execute:
        print(f"{'wall s':>7}  {'cpu s':>6}  {'budget':>6}  page ({_load()})")
        for page in args.execute:
            wall, cpu = execute_page(page)
            verdict = "ok" if cpu <= budget_of(page.with_suffix("").as_posix()) else "OVER"
            print(f"{wall:7.1f}  {cpu:6.1f}  {budget_of(page.with_suffix('').as_posix()):6.0f}  {verdict:4}  {page}", flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="dlpbook-bench-") as scratch:
        tree = Path(scratch) / "tree"
        for name in _tree_files():
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        env = {**os.environ, "DLPBOOK_CACHE": str(Path(scratch) / "cache"), "DLPBOOK_PROFILE": os.environ.get("DLPBOOK_PROFILE", "quick")}
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, profile {env['DLPBOOK_PROFILE']}")
        print(f"before the cold build: {_load()}")
        cold = _make_book(tree, env)
        print(f"after the cold build:  {_load()}")
        warm = _make_book(tree, env)
        print(f"cold build (clean tree, empty data cache): {cold:7.1f} s   target (21 chapters) < 600 s")
        print(f"warm rebuild (nothing changed):            {warm:7.1f} s   target < 30 s")
        print()
        print_page_times(page_times(tree / "_build"))


if __name__ == "__main__":
    main()
