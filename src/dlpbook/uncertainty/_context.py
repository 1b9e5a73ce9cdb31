"""Temporary states for a sampling or attacking pass: module modes and a seeded random stream."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn
from torch.nn.modules.dropout import _DropoutNd

from ..validation import check_seed


@contextlib.contextmanager
def evaluation_mode(model: nn.Module, *, keep_dropout: bool = False) -> Iterator[nn.Module]:
    """``model`` in evaluation mode (dropout too, unless ``keep_dropout``); every module's mode is restored after."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    if keep_dropout:
        for module in model.modules():
            if isinstance(module, _DropoutNd):
                module.train()
    try:
        yield model
    finally:
        for module, training in modes:
            module.training = training


@contextlib.contextmanager
def seeded(seed: int, device: torch.device) -> Iterator[None]:
    """Torch's random numbers on the CPU and on ``device`` drawn from ``seed``; the caller's state is restored after."""
    seed = check_seed(seed)
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(seed)
        yield


def model_device(model: nn.Module) -> torch.device:
    """Where the parameters of ``model`` are (the CPU for a model without parameters)."""
    return next((p.device for p in model.parameters()), torch.device("cpu"))
