"""Argument checks at the package's boundaries (in the spirit of scikit-learn's ``check_scalar``).

Every public function that takes a count, a seed, a rate or a physical parameter checks it
here, so that all of dlpbook rejects bad input the same way and with the same words:
``ParameterError: temperature_k must be a finite number > 0, got inf``.

The error keeps the parameter's name, the requirement and the offending value apart
(:class:`ParameterError`), so that the command line can say ``--temperature-k`` where Python
code says ``temperature_k``. Values are shown plainly (``inf``, ``3``, ``'abc'``), never as
``np.float64(...)``.

Framework-free: imports neither torch nor TensorFlow.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np


class ParameterError(ValueError):
    """A parameter outside its allowed values.

    Attributes
    ----------
    name
        The parameter's Python name (``"temperature_k"``).
    requirement
        What was expected (``"a finite number > 0"``).
    value
        The value that was given.
    """

    def __init__(self, name: str, requirement: str, value: object):
        self.name, self.requirement, self.value = name, requirement, value
        super().__init__(self.message(name))

    def message(self, label: str) -> str:
        """The message with the parameter called ``label`` (e.g. a command-line flag)."""
        return f"{label} must be {self.requirement}, got {show(self.value)}"


class ParameterTypeError(ParameterError, TypeError):
    """A parameter of the wrong type (also a :class:`TypeError`)."""


def show(value: object) -> str:
    """A plain rendering of ``value`` for messages: ``inf``, ``3``, ``0.5``, ``'abc'``."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value)


def _bounds(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {show(low)}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {show(high)}")
    return " and ".join(parts)


def _in_range(value: float, low, high, low_open: bool, high_open: bool) -> bool:
    if low is not None and (value <= low if low_open else value < low):
        return False
    return not (high is not None and (value >= high if high_open else value > high))


def check_int(value: object, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """Check that ``value`` is an integer in ``[low, high]``; return it as a Python ``int``.

    ``bool`` and floats are refused even when whole (``3.0``): a count is an integer.
    """
    requirement = "an integer" + (f" {_bounds(low, high, False, False)}" if low is not None or high is not None else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ParameterTypeError(name, requirement, value)
    if not _in_range(value, low, high, False, False):
        raise ParameterError(name, requirement, value)
    return int(value)


def check_count(value: object, name: str = "n", *, high: int | None = None) -> int:
    """A positive number of things (samples, epochs, units), at most ``high``."""
    return check_int(value, name, low=1, high=high)


def check_seed(value: object, name: str = "seed") -> int:
    """A seed: an integer >= 0."""
    return check_int(value, name, low=0)


def check_float(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Check that ``value`` is a finite real number in the given range; return a ``float``.

    Parameters
    ----------
    low, high
        Bounds (``None``: unbounded on that side).
    low_open, high_open
        Whether the bound itself is excluded (``low_open=True``: ``value > low``).
    """
    bounds = _bounds(low, high, low_open, high_open)
    requirement = "a finite number" + (f" {bounds}" if bounds else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterTypeError(name, requirement, value)
    if not math.isfinite(value) or not _in_range(value, low, high, low_open, high_open):
        raise ParameterError(name, requirement, value)
    return float(value)


def check_positive(value: object, name: str) -> float:
    """A finite number > 0 (a scale, a temperature, a learning rate)."""
    return check_float(value, name, low=0, low_open=True)


def check_non_negative(value: object, name: str) -> float:
    """A finite number >= 0 (a noise level, a penalty rate)."""
    return check_float(value, name, low=0)


def check_rate(value: object, name: str) -> float:
    """A rate in ``[0, 1)``, such as a dropout rate."""
    return check_float(value, name, low=0, high=1, high_open=True)


def check_choice(value: object, name: str, choices: Iterable[object]) -> object:
    """Check that ``value`` is one of ``choices``; return it."""
    options = tuple(choices)
    if value not in options:
        raise ParameterError(name, "one of " + ", ".join(show(c) for c in options), value)
    return value


def check_sizes(values: Sequence[object], name: str, *, allow_empty: bool = True) -> list[int]:
    """A sequence of positive integers (layer widths); return them as a list of ``int``."""
    values = list(values)
    requirement = "a list of positive integers" + ("" if allow_empty else " (at least one)")
    if not allow_empty and not values:
        raise ParameterError(name, requirement, values)
    for value in values:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 1:
            raise ParameterError(name, requirement, values)
    return [int(v) for v in values]


def check_columns(columns: Sequence[Sequence[object]], n_inputs: int, n_networks: int) -> list[list[int]]:
    """Per network, the distinct input columns (in ``0 .. n_inputs - 1``) it reads; as lists of ``int``.

    ``columns`` must hold one non-empty list per network (``n_networks`` in all).
    """
    n_inputs = check_count(n_inputs, "n_inputs")
    requirement = f"{n_networks} lists of distinct column indices in [0, {n_inputs})"
    columns = [list(indices) for indices in columns]
    if len(columns) != n_networks:
        raise ParameterError("columns", requirement, columns)
    for indices in columns:
        valid = all(not isinstance(i, (bool, np.bool_)) and isinstance(i, numbers.Integral) and 0 <= i < n_inputs
                    for i in indices)
        if not indices or not valid or len(set(indices)) != len(indices):
            raise ParameterError("columns", requirement, columns)
    return [[int(i) for i in indices] for indices in columns]
