"""Nested data on the host, cut into minibatches that travel to the device one at a time.

A data set for :func:`dlpbook.train.fit` and :func:`dlpbook.train.predict` is *nested*: an
array, a tuple or list of arrays, or a dict of arrays (and so on), all with the samples
along their first axis. A multi-task network (book Ch. 11) gets, for example, the inputs
``{"traces": (n, 81, 80), "footprint": (n, 9, 9)}`` and the targets ``(xmax, energy)``.

The arrays stay where they are, usually in host memory or a memory-mapped file: only the
samples of one minibatch are indexed (:func:`take_batch`), converted to a tensor
(:func:`as_tensor`) and moved to the device. A data set larger than the device memory (the
air-shower traces at book size are about 5 GB) can therefore be trained on, and the memory a
step needs does not grow with the data set.

An array may be a NumPy array (a :class:`numpy.memmap` as well), a torch tensor, or any
object with a ``shape`` whose ``[...]`` takes a slice or an integer array and returns an
array (a lazy reader of a large file, for example).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import torch

from ..validation import check_count

Nested = Any
"""An array, or a tuple, list or dict of nested data."""


def as_tensor(array, device: torch.device | str | None = None) -> torch.Tensor:
    """Convert a NumPy array or tensor: floats become float32, integers and booleans int64.

    Parameters
    ----------
    array : array_like or torch.Tensor
        Values of any shape.
    device : torch.device or str, optional
        Where to put the tensor (default: where it is, the CPU for NumPy arrays).
    """
    if isinstance(array, torch.Tensor):
        tensor = array
    else:
        array = np.asarray(array)
        # torch cannot share read-only memory (a memory-mapped file opened for reading): copy it
        tensor = torch.as_tensor(array if array.flags.writeable else array.copy())
    tensor = tensor.float() if tensor.is_floating_point() else tensor.long()
    return tensor.to(device) if device is not None else tensor


def _is_array(value, path: str) -> bool:
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return True
    if hasattr(value, "iloc"):
        # pandas: [...] with integers selects columns, not samples
        raise TypeError(f"{path} is a pandas {type(value).__name__}: pass its .to_numpy()")
    return hasattr(value, "shape") and hasattr(value, "__getitem__") and not isinstance(value, (str, bytes))


def _leaves(data: Nested, path: str) -> Iterator[tuple[str, object]]:
    """``(path, array)`` for every array of ``data``; unsupported types raise ``TypeError``."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _leaves(value, f"{path}[{key!r}]")
    elif isinstance(data, (tuple, list)):
        for i, value in enumerate(data):
            yield from _leaves(value, f"{path}[{i}]")
    elif _is_array(data, path):
        if len(data.shape) == 0:
            raise ValueError(f"{path} must have a sample axis, got a scalar")
        yield path, data
    else:
        raise TypeError(
            f"{path} must be a NumPy array, a torch tensor, or a tuple, list or dict of them, got {type(data).__name__}"
        )


def sample_count(data: Nested, name: str) -> int:
    """Number of samples of nested ``data``, checking that every array has as many.

    Parameters
    ----------
    data
        Nested arrays (see the module docstring).
    name
        What ``data`` is, for error messages (``"train"``).

    Returns
    -------
    int
        The common length of the arrays' first axis, > 0.

    Raises
    ------
    TypeError
        For anything but arrays, tuples, lists and dicts.
    ValueError
        If ``data`` holds no array, the arrays differ in length, or they are empty.
    """
    lengths = {path: int(array.shape[0]) for path, array in _leaves(data, name)}
    if not lengths:
        raise ValueError(f"{name} holds no array")
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{path} {length}" for path, length in lengths.items())
        raise ValueError(f"{name}: the arrays differ in length (samples along the first axis): {listed}")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"{name} is empty (0 samples)")
    return n


def map_nested(function: Callable, *data: Nested) -> Nested:
    """Apply ``function`` to the arrays of one or several equally nested structures.

    Tuples and lists come back as tuples and lists, mappings as dicts.
    """
    first = data[0]
    if isinstance(first, Mapping):
        return {key: map_nested(function, *(d[key] for d in data)) for key in first}
    if isinstance(first, (tuple, list)):
        return type(first)(map_nested(function, *items) for items in zip(*data, strict=True))
    return function(*data)


def take_batch(data: Nested, index: torch.Tensor | slice, device: torch.device | str) -> Nested:
    """The samples ``index`` of nested ``data`` as tensors on ``device``, nested likewise.

    Only those samples are read and converted (:func:`as_tensor`): the index is applied where
    the data live (NumPy arrays on the host), then the minibatch moves to the device.

    Parameters
    ----------
    data
        Nested arrays (see the module docstring).
    index : (b,) int64 torch.Tensor on the CPU, or slice
        Samples of the minibatch, in order.
    device
        Device of the returned tensors.
    """

    def take(array):
        if isinstance(array, torch.Tensor):
            batch = array[index.to(array.device) if isinstance(index, torch.Tensor) else index]
        else:
            batch = array[index.numpy() if isinstance(index, torch.Tensor) else index]
        return as_tensor(batch, device)

    return map_nested(take, data)


def shuffled_batches(n_samples: int, batch_size: int, generator: torch.Generator) -> tuple[torch.Tensor, ...]:
    """Indices of one epoch's minibatches: a random permutation cut into pieces of ``batch_size``.

    The permutation is drawn from ``generator`` alone, so the order depends on its seed and
    on nothing else (not on torch's global seed). The last batch is smaller when
    ``batch_size`` does not divide ``n_samples``.

    Returns
    -------
    tuple of (b,) int64 torch.Tensor on the CPU
    """
    n_samples, batch_size = check_count(n_samples, "n_samples"), check_count(batch_size, "batch_size")
    return torch.randperm(n_samples, generator=generator).split(batch_size)


def concatenate(batches: Sequence[Nested]) -> Nested:
    """Join equally nested minibatches of tensors along the sample axis."""
    return map_nested(lambda *tensors: torch.cat(tensors), *batches)


def to_numpy(data: Nested) -> Nested:
    """Nested tensors as NumPy arrays on the host, nested likewise."""
    return map_nested(lambda tensor: tensor.detach().cpu().numpy(), data)
