"""One frozen settings object per exercise, read by both framework twins.

An exercise's hyperparameters, data size and seeds live in one frozen dataclass. Its
``train_torch`` and ``train_keras`` both take that object, so the two frameworks cannot drift
apart in their defaults, and a page prints the object it ran with (:meth:`Settings.describe`).
Each field is checked once, when the object is made (``__post_init__`` with
:mod:`dlpbook.validation`), so a bad value fails before any data are loaded.

The settings of an exercise differ between the execution profiles (``quick`` trains less than
the original exercise, ``full`` uses its sizes): a class that derives from
:class:`ProfileSettings` defines a ``profiles()`` classmethod that returns one object per
profile, and :meth:`ProfileSettings.for_profile` picks the active one.
"""

from __future__ import annotations

import dataclasses
from typing import Self

from .. import config
from ..validation import check_choice, show

FRAMEWORKS = ("torch", "keras")
"""The frameworks of the exercises' twin solutions (``train_torch``, ``train_keras``), in page order."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """Base of the exercises' frozen settings: a copy with changes, and one line for pages."""

    def replace(self, **changes) -> Self:
        """A copy with some fields changed, checked like a new object."""
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """All fields as ``name=value``, nested settings in parentheses (printed on the pages)."""
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            shown = f"({value.describe()})" if isinstance(value, Settings) else show(value)
            parts.append(f"{field.name}={shown}")
        return ", ".join(parts)


@dataclasses.dataclass(frozen=True)
class ProfileSettings(Settings):
    """Settings that differ between the execution profiles.

    A subclass defines the classmethod ``profiles()``, returning ``{"quick": ..., "full": ...}``.
    """

    @classmethod
    def for_profile(cls, profile: str | None = None) -> Self:
        """The settings of ``profile`` (``"quick"`` or ``"full"``; ``None``: the active profile)."""
        name = config.profile() if profile is None else check_choice(profile, "profile", config.PROFILES)
        return cls.profiles()[name]
