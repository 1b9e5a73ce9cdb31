"""dlpbook.result_cache: a cached training runs once per code version, arguments, profile and seed."""

import importlib
import sys

import numpy as np
import pytest

from dlpbook.data.cache import CacheWarning
from dlpbook.result_cache import cached_result, code_version
from dlpbook.validation import ParameterError

TRAINING_SOURCE = '''
import numpy as np
from dlpbook.result_cache import cached_result

calls = []

@cached_result()
def train(epochs=3, *, seed):
    calls.append((epochs, seed))
    rng = np.random.default_rng(seed)
    return {"loss": rng.random(epochs) + OFFSET, "epochs": epochs}
'''


@pytest.fixture
def training_module(tmp_path, monkeypatch):
    """A module defining a cached 'training', importable from a temporary folder and editable."""
    folder = tmp_path / "modules"
    folder.mkdir()
    path = folder / "fake_training.py"

    def write(offset: float):
        path.write_text(f"OFFSET = {offset}\n{TRAINING_SOURCE}")
        sys.modules.pop("fake_training", None)
        importlib.invalidate_caches()
        return importlib.import_module("fake_training")

    monkeypatch.syspath_prepend(str(folder))
    yield write
    sys.modules.pop("fake_training", None)


def test_second_call_reads_the_cache(training_module, private_cache):
    module = training_module(0.0)
    first = module.train(seed=1)
    second = module.train(seed=1)
    assert module.calls == [(3, 1)]
    assert set(first) == {"loss", "epochs"}
    np.testing.assert_array_equal(first["loss"], second["loss"])
    assert second["epochs"] == 3 and isinstance(second["epochs"], np.ndarray)
    assert len(list(private_cache.glob("fake_training.train-*.npz"))) == 1


def test_seed_arguments_and_defaults_are_part_of_the_key(training_module):
    module = training_module(0.0)
    module.train(seed=1)
    module.train(seed=2)
    module.train(epochs=4, seed=1)
    module.train(3, seed=1)  # the default, given explicitly: same key as the first call
    assert module.calls == [(3, 1), (3, 2), (4, 1)]


def test_profile_is_part_of_the_key(training_module, monkeypatch):
    module = training_module(0.0)
    monkeypatch.setenv("DLPBOOK_PROFILE", "quick")
    module.train(seed=1)
    monkeypatch.setenv("DLPBOOK_PROFILE", "full")
    module.train(seed=1)
    assert module.calls == [(3, 1), (3, 1)]


def test_editing_the_module_recomputes(training_module):
    old = training_module(0.0)
    before = old.train(seed=1)
    new = training_module(10.0)
    after = new.train(seed=1)
    assert new.calls == [(3, 1)]
    np.testing.assert_allclose(after["loss"], before["loss"] + 10.0)


def test_depends_changes_the_code_version(training_module):
    module = training_module(0.0)
    assert code_version([module]) != code_version([module, np.lib.npyio])
    assert code_version([module]) == code_version([module])


def test_corrupt_file_is_recomputed_with_a_warning(training_module, private_cache):
    module = training_module(0.0)
    first = module.train(seed=1)
    (path,) = private_cache.glob("fake_training.train-*.npz")
    path.write_bytes(b"not a zip archive")
    with pytest.warns(CacheWarning, match="unusable"):
        again = module.train(seed=1)
    assert len(module.calls) == 2
    np.testing.assert_array_equal(again["loss"], first["loss"])


def test_explicit_directory(tmp_path):
    calls = []

    @cached_result(directory=tmp_path / "results")
    def square(x=2.0, *, seed):
        calls.append(x)
        return {"y": x * x}

    assert square(seed=0)["y"] == 4.0
    assert square(seed=0)["y"] == 4.0
    assert calls == [2.0]
    assert len(list((tmp_path / "results").glob("*.npz"))) == 1


def test_function_without_seed_is_refused():
    with pytest.raises(TypeError, match="seed parameter"):

        @cached_result()
        def train(epochs=3):
            return {}


def test_unkeyable_argument_is_refused():
    @cached_result()
    def train(data, *, seed):
        return {"x": np.zeros(1)}

    with pytest.raises(TypeError, match="argument 'data' is a ndarray"):
        train(np.zeros(3), seed=0)


def test_bad_seed_is_refused():
    @cached_result()
    def train(*, seed):
        return {"x": np.zeros(1)}

    with pytest.raises(ParameterError, match="seed"):
        train(seed=-1)


@pytest.mark.parametrize(
    ("result", "message"),
    [([1.0, 2.0], "dict of named arrays"), ({"x": {"nested": 1}}, "dtype object")],
)
def test_result_that_is_no_dict_of_arrays_is_refused(result, message, private_cache):
    @cached_result()
    def train(*, seed):
        return result

    with pytest.raises(TypeError, match=message):
        train(seed=0)
    assert not list(private_cache.glob("*.npz"))
