"""Command line: ``dlpbook data NAME --n N --seed S --out FILE.npz``.

Bad input ends with exit code 2, the usage of ``dlpbook data NAME`` and one message that
names the command-line flag (``--t-min must be ...``); nothing is written. Ctrl-C ends with
exit code 130 and SIGTERM with 143, each with one line and no partial file.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from .data import registry
from .data.cache import save_npz
from .validation import ParameterError


def _flag(name: str) -> str:
    return f"--{name.replace('_', '-')}"


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and the parser of each ``dlpbook data NAME``."""
    parser = argparse.ArgumentParser(prog="dlpbook", description="dlpbook command line tools")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data = commands.add_parser(
        "data",
        help="simulate a data set and write it to an .npz file",
        description="Simulate a data set and write it to an .npz file (no pickle, atomic write).",
    )
    names = data.add_subparsers(dest="name", required=True, metavar="NAME", title="data sets")
    subparsers = {}
    for spec in registry.datasets().values():
        sub = names.add_parser(
            spec.name,
            help=spec.summary,
            description=f"{spec.summary}\n\nArrays: {spec.arrays}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--n", type=int, default=spec.default_n, help=f"number of samples (default {spec.default_n})")
        sub.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        sub.add_argument("--out", type=Path, required=True, help="output file (.npz)")
        for param in spec.params:
            sub.add_argument(
                _flag(param.name),
                dest=param.name,
                type=param.type,
                default=param.default,
                choices=param.choices,
                help=f"{param.help} (default {param.default})",
            )
        subparsers[spec.name] = sub
    return parser, subparsers


def _check_output(path: Path) -> str | None:
    if path.suffix != ".npz":
        return f"--out must end in .npz, got {path}"
    folder = path.parent
    if not folder.exists():
        return f"cannot write {path}: folder {folder} does not exist"
    if not folder.is_dir():
        return f"cannot write {path}: {folder} is a file, not a folder"
    if not os.access(folder, os.W_OK):
        return f"cannot write {path}: folder {folder} is not writable"
    if path.is_dir():
        return f"cannot write {path}: it is a folder"
    return None


class _Signalled(BaseException):
    """SIGTERM arrived; raised in the main thread so that ``finally`` blocks clean up."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_signalled(signum, frame):
    raise _Signalled(signum)


def _run(args: argparse.Namespace, sub: argparse.ArgumentParser) -> int:
    spec = registry.get(args.name)
    problem = _check_output(args.out)
    if problem:
        sub.error(problem)
    params = {p.name: getattr(args, p.name) for p in spec.params}
    try:
        arrays = registry.simulate(spec.name, args.n, seed=args.seed, progress=True, **params)
    except ParameterError as error:
        sub.error(error.message(_flag(error.name)))
    except ValueError as error:  # DataTooLargeError, or a simulator's own check
        sub.error(str(error))
    except MemoryError:
        sub.error(f"out of memory while generating {args.n:,} samples of {spec.name}; ask for fewer with --n")
    try:
        save_npz(args.out, arrays)
    except OSError as error:
        sub.error(f"cannot write {args.out}: {error.strerror or error}")
    shapes = ", ".join(f"{k} {v.shape} {v.dtype}" for k, v in arrays.items())
    print(f"wrote {args.out}: {shapes}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dlpbook`` command; returns the exit code (2 for bad arguments)."""
    parser, subparsers = _parser()
    args = parser.parse_args(argv)
    # SIGTERM becomes an exception, so that an interrupted write removes its temporary file
    # (signal handlers can only be set in the main thread)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_signalled) if in_main else None
    try:
        return _run(args, subparsers[args.name])
    except KeyboardInterrupt:
        print("\ndlpbook: interrupted, nothing written", file=sys.stderr)
        return 130
    except _Signalled as stop:
        print(f"dlpbook: stopped by {signal.Signals(stop.signum).name}, nothing written", file=sys.stderr)
        return 128 + stop.signum
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
