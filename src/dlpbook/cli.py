"""Command line: ``dlpbook data NAME --n N --seed S --out FILE.npz``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .data import registry
from .data.cache import save_npz


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlpbook", description="dlpbook command line tools")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data = commands.add_parser(
        "data",
        help="simulate a data set and write it to an .npz file",
        description="Simulate a data set and write it to an .npz file (no pickle, atomic write).",
    )
    names = data.add_subparsers(dest="name", required=True, metavar="NAME", title="data sets")
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
                f"--{param.name.replace('_', '-')}",
                dest=param.name,
                type=param.type,
                default=param.default,
                choices=param.choices,
                help=f"{param.help} (default {param.default})",
            )
    return parser


def _check_output(path: Path) -> str | None:
    if path.suffix != ".npz":
        return f"--out must end in .npz, got {path}"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"cannot write {path}: folder {folder} does not exist"
    if not os.access(folder, os.W_OK):
        return f"cannot write {path}: folder {folder} is not writable"
    if path.is_dir():
        return f"cannot write {path}: it is a folder"
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dlpbook`` command; returns the exit code (2 for bad arguments)."""
    parser = _parser()
    args = parser.parse_args(argv)
    spec = registry.get(args.name)
    if args.n <= 0:
        parser.error(f"--n must be > 0, got {args.n}")
    if args.seed < 0:
        parser.error(f"--seed must be >= 0, got {args.seed}")
    problem = _check_output(args.out)
    if problem:
        parser.error(problem)
    params = {p.name: getattr(args, p.name) for p in spec.params}
    try:
        arrays = spec.simulate(args.n, seed=args.seed, progress=True, **params)
    except ValueError as error:
        parser.error(str(error))
    try:
        save_npz(args.out, arrays)
    except OSError as error:
        parser.error(f"cannot write {args.out}: {error}")
    shapes = ", ".join(f"{k} {v.shape} {v.dtype}" for k, v in arrays.items())
    print(f"wrote {args.out}: {shapes}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
