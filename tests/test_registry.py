"""The catalogue guards itself: every spec registered, defaults in sync, estimates honest."""

import dataclasses
import importlib
import inspect
import pkgutil
import re

import numpy as np
import pytest

import dlpbook.data
from dlpbook import data
from dlpbook.data import memory, registry
from dlpbook.validation import ParameterError, ParameterTypeError

SPECS = list(data.datasets().values())


def _defined_specs():
    for info in pkgutil.walk_packages(dlpbook.data.__path__, "dlpbook.data."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, registry.DatasetSpec):
                yield info.name, value


def test_every_spec_a_module_defines_is_registered():
    defined = list(_defined_specs())
    assert {spec.name for _, spec in defined} == set(data.datasets())
    for module, spec in defined:
        assert data.datasets()[spec.name] is spec, module


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_param_defaults_equal_the_simulator_defaults(spec):
    signature = inspect.signature(spec.simulate).parameters
    for param in spec.params:
        assert param.name in signature, f"{spec.name}: simulator has no parameter {param.name}"
        assert signature[param.name].default == param.default, f"{spec.name}.{param.name}"
        assert type(param.default) is param.type, f"{spec.name}.{param.name}"
        assert param.check(param.default) == param.default
    exposed = {"n", "seed", "progress"} | {p.name for p in spec.params}
    assert set(signature) <= exposed, f"{spec.name}: simulator parameters missing from the spec"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_sample_bytes_covers_the_arrays(spec):
    n = 1 if spec.name == "karate_club" else 3
    arrays = data.simulate(spec.name, n, seed=1)
    per_sample = sum(a.nbytes for a in arrays.values()) / n
    declared = spec.sample_bytes(**{p.name: p.default for p in spec.params})
    # at least the result; more only for simulators that hold working arrays for all samples
    assert per_sample <= declared <= 32 * per_sample


def test_a_request_that_cannot_fit_is_refused_before_generating(monkeypatch, private_cache):
    monkeypatch.setattr(memory, "available_memory", lambda: 10_000_000)
    spec = data.datasets()["ising"]
    sizes = []
    counting = dataclasses.replace(spec, simulate=lambda n, **kwargs: sizes.append(n) or spec.simulate(n, **kwargs))
    monkeypatch.setitem(registry._REGISTRY, "ising", counting)
    with pytest.raises(memory.DataTooLargeError, match=r"26,000 samples of ising need about 53.7 MB of memory") as info:
        data.load("ising")
    assert "but 10.0 MB are available; ask for at most about 4,844 samples" in str(info.value)
    assert sizes == [1]  # only the one-sample parameter check ran
    assert not private_cache.exists() or not any(private_cache.iterdir())
    with pytest.raises(memory.DataTooLargeError, match="one sample alone is too large: choose smaller sizes"):
        data.simulate("oscillators", 1, n_steps=10**9)


def test_an_out_of_range_size_is_reported_rather_than_its_memory(monkeypatch):
    monkeypatch.setattr(memory, "available_memory", lambda: 10_000_000)
    with pytest.raises(ParameterError, match=r"^pixels must be an integer >= 8 and <= 128, got 1000$"):
        data.simulate("jets", 1000, pixels=1000)


def test_parameter_types_are_checked_and_canonical(private_cache):
    with pytest.raises(ParameterTypeError, match=r"^L must be an integer, got '32'$"):
        data.simulate("ising", 2, L="32")
    with pytest.raises(ParameterTypeError, match=r"^noise must be a finite number, got '0.1'$"):
        data.simulate("checkerboard", 2, noise="0.1")
    with pytest.raises(ParameterTypeError, match=r"^classes must be a str, got 3$"):
        data.simulate("jets", 2, classes=3)
    with pytest.raises(ParameterError, match=r"^temperature_k must be a finite number, got inf$"):
        data.simulate("maxwell_boltzmann", 2, temperature_k=np.inf)
    with pytest.raises(ParameterError, match=r"^n must be an integer >= 1, got 0$"):
        data.load("sine", 0)
    first = data.load("checkerboard", np.int64(10), seed=np.int64(2), noise=0)
    second = data.load("checkerboard", 10, seed=2, noise=0.0)
    assert len(list(private_cache.glob("checkerboard-*.npz"))) == 1
    np.testing.assert_array_equal(first["x"], second["x"])


def test_non_finite_results_are_refused(monkeypatch):
    def simulate(n, *, seed=0, scale=1.0, progress=False):
        return {"x": np.full(n, np.inf if scale else 0.0), "ok": np.full(n, np.nan)}

    fake = registry.DatasetSpec(
        name="fake", summary="", simulate=simulate, default_n=2, version=1, arrays="", sample_bytes=lambda **_: 16,
        params=(registry.Param("scale", float, 1.0, ""),), nan_allowed=("ok",),
    )
    monkeypatch.setitem(registry._REGISTRY, "fake", fake)
    with pytest.raises(ValueError, match=r"fake produced NaN or inf in array 'x' with the parameters \{'scale': 1.0\}"):
        data.simulate("fake")
    assert np.isnan(data.simulate("fake", scale=0.0)["ok"]).all()


def test_catalogue_table_has_one_row_per_data_set_and_escapes_pipes():
    table = data.catalogue_table().splitlines()
    names = list(data.datasets())
    assert len(table) == 2 + len(names)
    for row, name in zip(table[2:], names):
        assert row.startswith(f"| `{name}` |")
        # five cells: an unescaped pipe inside a cell would add one
        assert len(re.split(r"(?<!\\)\|", row)) == 7
