import gc
import os
import stat
import subprocess
import sys
import warnings
import zipfile

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import cache


def test_save_and_load_roundtrip(tmp_path):
    arrays = {"a": np.arange(5, dtype=np.int8), "b": np.linspace(0, 1, 6).reshape(2, 3)}
    path = cache.save_npz(tmp_path / "x.npz", arrays)
    loaded = cache.load_npz(path)
    assert loaded.keys() == arrays.keys()
    for key in arrays:
        np.testing.assert_array_equal(loaded[key], arrays[key])
        assert loaded[key].dtype == arrays[key].dtype


def test_interrupted_write_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "x.npz"

    def broken_savez(handle, **arrays):
        handle.write(b"PK\x03\x04partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        cache.save_npz(target, {"a": np.zeros(3)})
    assert list(tmp_path.iterdir()) == []


def test_interrupted_overwrite_keeps_the_old_file(tmp_path, monkeypatch):
    target = cache.save_npz(tmp_path / "x.npz", {"a": np.ones(3)})

    def broken_savez(handle, **arrays):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        cache.save_npz(target, {"a": np.zeros(3)})
    np.testing.assert_array_equal(cache.load_npz(target)["a"], np.ones(3))
    assert [p.name for p in tmp_path.iterdir()] == ["x.npz"]


def test_object_arrays_are_refused(tmp_path):
    with pytest.raises(ValueError, match="dtype object"):
        cache.save_npz(tmp_path / "x.npz", {"a": np.array([{"k": 1}], dtype=object)})
    assert not (tmp_path / "x.npz").exists()


def test_loading_never_unpickles(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, a=np.array([{"k": 1}], dtype=object))
    with pytest.raises(ValueError, match="not a readable .npz"):
        cache.load_npz(path)


def test_cached_generates_once(tmp_path):
    calls = []

    def make():
        calls.append(1)
        return {"a": np.arange(3)}

    first = cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    second = cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    assert len(calls) == 1
    np.testing.assert_array_equal(first["a"], second["a"])
    assert cache.META_KEY not in second


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a zip file"),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    ],
    ids=["garbage", "truncated"],
)
def test_corrupt_cache_file_is_regenerated_with_a_warning(tmp_path, damage):
    make = lambda: {"a": np.arange(1000)}  # noqa: E731
    cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    (path,) = tmp_path.glob("toy-*.npz")
    damage(path)
    with pytest.warns(cache.CacheWarning, match="regenerating cached data set 'toy'"):
        arrays = cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    np.testing.assert_array_equal(arrays["a"], np.arange(1000))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)


def test_cache_file_with_a_different_key_is_not_used(tmp_path):
    cache.cached("toy", {"n": 3}, 0, 1, lambda: {"a": np.zeros(2)}, directory=tmp_path)
    (path,) = tmp_path.glob("toy-*.npz")
    other_key = cache.cache_key("toy", {"n": 4}, 0, 1)
    cache.save_npz(path, {"a": np.ones(2), cache.META_KEY: np.array(cache._meta(other_key, {"a": np.ones(2)}))})
    with pytest.warns(cache.CacheWarning, match="key mismatch"):
        arrays = cache.cached("toy", {"n": 3}, 0, 1, lambda: {"a": np.zeros(2)}, directory=tmp_path)
    np.testing.assert_array_equal(arrays["a"], np.zeros(2))


def test_key_separates_seed_parameters_and_version(tmp_path):
    keys = {
        cache.cache_key("toy", {"n": 3}, 0, 1),
        cache.cache_key("toy", {"n": 3}, 1, 1),
        cache.cache_key("toy", {"n": 4}, 0, 1),
        cache.cache_key("toy", {"n": 3}, 0, 2),
    }
    assert len(keys) == 4


def test_load_uses_the_configured_cache(private_cache):
    first = data.load("checkerboard", 50, seed=4, noise=0.1)
    files = list(private_cache.glob("checkerboard-*.npz"))
    assert len(files) == 1
    with zipfile.ZipFile(files[0]) as archive:
        assert sorted(archive.namelist()) == ["__meta__.npy", "label.npy", "x.npy"]
    second = data.load("checkerboard", 50, seed=4, noise=0.1)
    np.testing.assert_array_equal(first["x"], second["x"])


def test_registry_rejects_unknown_names_and_parameters():
    with pytest.raises(KeyError, match="unknown data set 'ising2'"):
        data.load("ising2")
    with pytest.raises(TypeError, match="has no parameter"):
        data.simulate("checkerboard", 10, temperature=1.0)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporaries_of_dead_writers_are_removed(tmp_path):
    dead = tmp_path / f".x.npz.{_dead_pid()}.abc123.tmp"
    alive = tmp_path / f".x.npz.{os.getppid()}.def456.tmp"
    other = tmp_path / f".y.npz.{_dead_pid()}.ghi789.tmp"
    for path in (dead, alive, other):
        path.write_bytes(b"PK partial")
    cache.save_npz(tmp_path / "x.npz", {"a": np.zeros(2)})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["x.npz", alive.name, other.name])


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        path = cache.save_npz(tmp_path / "x.npz", {"a": np.zeros(2)})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def _tamper(path, change):
    arrays = cache.load_npz(path)
    change(arrays)
    cache.save_npz(path, arrays)


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda a: a.update(a=a["a"][:10]), "differ from the listed"),
        (lambda a: a.pop("b"), "differ from the listed"),
        (lambda a: a.update(c=np.ones(3)), "differ from the listed"),
        (lambda a: a.update(a=a["a"][::-1].copy()), "checksum mismatch"),
        (lambda a: a.update(b=a["b"].astype(np.float32)), "differ from the listed"),
        (lambda a: a.update({cache.META_KEY: np.array(cache.cache_key("toy", {"n": 3}, 0, 1))}), "no valid __meta__"),
    ],
    ids=["fewer-rows", "missing-array", "extra-array", "changed-content", "changed-dtype", "old-format"],
)
def test_tampered_cache_files_are_regenerated(tmp_path, change, reason):
    make = lambda: {"a": np.arange(100), "b": np.linspace(0, 1, 100)}  # noqa: E731
    cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    (path,) = tmp_path.glob("toy-*.npz")
    _tamper(path, change)
    with pytest.warns(cache.CacheWarning, match=reason):
        arrays = cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    np.testing.assert_array_equal(arrays["a"], np.arange(100))
    assert arrays.keys() == {"a", "b"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)


@pytest.mark.parametrize("occupy", [os.mkdir, os.mkfifo], ids=["folder", "fifo"])
def test_a_non_file_at_the_cache_path_is_bypassed_with_a_warning(tmp_path, occupy):
    make = lambda: {"a": np.arange(4)}  # noqa: E731
    cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
    (path,) = tmp_path.glob("toy-*.npz")
    path.unlink()
    occupy(path)
    for _ in range(2):
        with pytest.warns(cache.CacheWarning, match="is not a regular file; remove it"):
            arrays = cache.cached("toy", {"n": 3}, 0, 1, make, directory=tmp_path)
        np.testing.assert_array_equal(arrays["a"], np.arange(4))
    with pytest.raises(ValueError, match="is not a regular file"):
        cache.load_npz(path)


def test_a_bad_cache_folder_fails_before_generating(tmp_path, monkeypatch):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    never = lambda: pytest.fail("generated before checking the folder")  # noqa: E731
    monkeypatch.setenv("DLPBOOK_CACHE", str(a_file))
    with pytest.raises(cache.CacheFolderError, match="it is a file, not a folder; set DLPBOOK_CACHE"):
        cache.cached("toy", {"n": 3}, 0, 1, never)
    for folder in (a_file, a_file / "sub"):
        monkeypatch.setenv("DLPBOOK_CACHE", str(folder))
        with pytest.raises(cache.CacheFolderError, match=f"cannot use {folder} as the data cache: .*; set DLPBOOK_CACHE"):
            cache.cached("toy", {"n": 3}, 0, 1, never)
        with pytest.raises(cache.CacheFolderError, match="set DLPBOOK_CACHE to a writable folder"):
            data.load("sine", 10)
    with pytest.raises(cache.CacheFolderError, match="pass a writable folder"):
        cache.cached("toy", {"n": 3}, 0, 1, never, directory=a_file)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_cache_folder_fails_before_generating(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    monkeypatch.setenv("DLPBOOK_CACHE", str(folder))
    with pytest.raises(cache.CacheFolderError, match="it is not writable; set DLPBOOK_CACHE"):
        cache.cached("toy", {"n": 3}, 0, 1, lambda: pytest.fail("generated"))


def test_a_corrupt_file_leaves_no_open_handle(tmp_path):
    path = tmp_path / "bad.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="not a readable .npz"):
            cache.load_npz(path)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_numpy_scalars_give_the_same_key():
    assert cache.cache_key("toy", {"n": np.int64(10), "x": np.float64(0.5)}, np.int64(1), 1) == cache.cache_key(
        "toy", {"n": 10, "x": 0.5}, 1, 1
    )


def test_a_failed_cache_write_still_returns_the_data(tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "save_npz", full_disk)
    with pytest.warns(cache.CacheWarning, match="could not cache data set 'toy'.*No space left on device"):
        arrays = cache.cached("toy", {"n": 3}, 0, 1, lambda: {"a": np.arange(3)}, directory=tmp_path)
    np.testing.assert_array_equal(arrays["a"], np.arange(3))
