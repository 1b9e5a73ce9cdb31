"""Shared fixtures: every test gets a private, empty data cache."""

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Point DLPBOOK_CACHE to a fresh folder so tests never touch the user's cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DLPBOOK_CACHE", str(folder))
    return folder
