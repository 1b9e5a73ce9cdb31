"""What the studies of chapter 14 share: settings per profile, and weights through the result cache.

Each study registers one frozen settings object per execution profile (:func:`register`);
:func:`study_settings` returns the active one. A study's training is a function decorated with
:func:`dlpbook.result_cache.cached_result` that takes the settings as plain arguments
(:func:`cache_key`, :func:`from_cache_key`) and returns weights as named arrays
(:func:`weights_as_arrays`, :func:`load_weights`).
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import torch

from ... import config
from ...validation import check_choice

TRAINING_MODULES = tuple(importlib.import_module(f"dlpbook.train.{name}") for name in ("fit", "batches", "loop"))
"""The training loop's modules, part of the code version of every cached training."""

_SETTINGS: dict[str, dict[str, object]] = {}


def register(study: str, *, quick, full) -> None:
    """Register the settings of ``study`` for the ``quick`` and the ``full`` profile."""
    _SETTINGS[study] = {"quick": quick, "full": full}


def study_settings(study: str, profile: str | None = None):
    """The settings of ``study`` (a registered name) in ``profile`` (default: the active one)."""
    check_choice(study, "study", sorted(_SETTINGS))
    name = config.profile() if profile is None else check_choice(profile, "profile", config.PROFILES)
    return _SETTINGS[study][name]


def weights_as_arrays(prefix: str, model: torch.nn.Module) -> dict[str, np.ndarray]:
    """A model's state as arrays named ``<prefix>:<parameter>``, for the result cache."""
    return {f"{prefix}:{key}": value.detach().cpu().numpy() for key, value in model.state_dict().items()}


def load_weights(model: torch.nn.Module, prefix: str, arrays) -> torch.nn.Module:
    """Load the arrays of :func:`weights_as_arrays` into ``model``; returns it in evaluation mode."""
    stored = {key.removeprefix(f"{prefix}:"): torch.from_numpy(value) for key, value in arrays.items()
              if key.startswith(f"{prefix}:")}
    model.load_state_dict(stored)
    return model.eval()


def cache_key(settings) -> dict:
    """The settings as plain arguments of a cached function (tuples as lists; the seed apart)."""
    return {key: list(value) if isinstance(value, tuple) else value
            for key, value in dataclasses.asdict(settings).items() if key != "seed"}


def from_cache_key(settings_class: type, run: dict, seed: int):
    """The settings object back from :func:`cache_key`."""
    fields = {key: tuple(value) if isinstance(value, list) else value for key, value in run.items()}
    return settings_class(**fields, seed=seed)
