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
