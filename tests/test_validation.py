import math

import numpy as np
import pytest

from dlpbook import validation as v
from dlpbook.validation import ParameterError, ParameterTypeError


@pytest.mark.parametrize(
    "value, shown",
    [(np.float64(math.inf), "inf"), (np.int64(3), "3"), (0.5, "0.5"), ("abc", "'abc'"), (np.bool_(True), "True"),
     (np.zeros((2, 3)), "an array of shape (2, 3)"), ([1, np.float32(0.5)], "[1, 0.5]")],
)
def test_show_is_plain(value, shown):
    assert v.show(value) == shown


def test_error_keeps_its_parts_and_relabels():
    error = ParameterError("temperature_k", "a finite number > 0", np.float64(-1.0))
    assert (error.name, error.requirement) == ("temperature_k", "a finite number > 0")
    assert str(error) == "temperature_k must be a finite number > 0, got -1.0"
    assert error.message("--temperature-k") == "--temperature-k must be a finite number > 0, got -1.0"
    assert isinstance(error, ValueError)
    assert isinstance(ParameterTypeError("n", "an integer", "3"), TypeError)


def test_check_int_accepts_python_and_numpy_integers():
    assert v.check_int(3, "k") == 3
    value = v.check_int(np.int64(7), "k", low=7, high=7)
    assert value == 7 and type(value) is int


@pytest.mark.parametrize("value", [True, np.bool_(False), 3.0, np.float64(2.0), "3", None])
def test_check_int_refuses_other_types(value):
    with pytest.raises(ParameterTypeError, match=r"^k must be an integer >= 0, got"):
        v.check_int(value, "k", low=0)


def test_check_int_bounds_are_closed():
    assert v.check_int(2, "k", low=2, high=5) == 2
    assert v.check_int(5, "k", low=2, high=5) == 5
    with pytest.raises(ParameterError, match=r"^k must be an integer >= 2 and <= 5, got 6$"):
        v.check_int(6, "k", low=2, high=5)
    with pytest.raises(ParameterError, match=r"^k must be an integer <= 5, got 6$"):
        v.check_int(6, "k", high=5)


def test_check_count_and_seed():
    assert v.check_count(1) == 1
    with pytest.raises(ParameterError, match=r"^n must be an integer >= 1, got 0$"):
        v.check_count(0)
    with pytest.raises(ParameterError, match=r"^n_atoms must be an integer >= 1 and <= 10, got 11$"):
        v.check_count(11, "n_atoms", high=10)
    assert v.check_seed(0) == 0
    with pytest.raises(ParameterError, match=r"^seed must be an integer >= 0, got -1$"):
        v.check_seed(-1)
    with pytest.raises(ParameterTypeError, match=r"^seed must be an integer >= 0, got 1.5$"):
        v.check_seed(1.5)


def test_check_float_accepts_ints_and_numpy_reals():
    assert v.check_float(3, "x") == 3.0 and type(v.check_float(3, "x")) is float
    assert type(v.check_float(np.float32(0.5), "x")) is float


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, np.float64("inf"), 1e309])
def test_check_float_refuses_non_finite(value):
    with pytest.raises(ParameterError, match=r"^x must be a finite number, got"):
        v.check_float(value, "x")


@pytest.mark.parametrize("value", [True, "1.0", None, 1j])
def test_check_float_refuses_other_types(value):
    with pytest.raises(ParameterTypeError, match=r"^x must be a finite number >= 0, got"):
        v.check_float(value, "x", low=0)


def test_check_float_open_and_closed_bounds():
    assert v.check_float(0, "x", low=0) == 0.0
    with pytest.raises(ParameterError, match=r"^x must be a finite number > 0, got 0$"):
        v.check_float(0, "x", low=0, low_open=True)
    assert v.check_float(1, "x", high=1) == 1.0
    with pytest.raises(ParameterError, match=r"^x must be a finite number >= 0 and < 1, got 1$"):
        v.check_float(1, "x", low=0, high=1, high_open=True)
    with pytest.raises(ParameterError, match=r"^x must be a finite number >= 0 and < 1, got -0.5$"):
        v.check_float(-0.5, "x", low=0, high=1, high_open=True)


def test_positive_non_negative_and_rate():
    assert v.check_positive(1e-300, "t") == 1e-300
    with pytest.raises(ParameterError, match=r"^t must be a finite number > 0, got 0.0$"):
        v.check_positive(0.0, "t")
    assert v.check_non_negative(0, "noise") == 0.0
    with pytest.raises(ParameterError, match=r"^noise must be a finite number >= 0, got -1e-09$"):
        v.check_non_negative(-1e-9, "noise")
    assert v.check_rate(0.0, "rate") == 0.0
    with pytest.raises(ParameterError, match=r"^rate must be a finite number >= 0 and < 1, got 1.0$"):
        v.check_rate(1.0, "rate")


def test_check_choice():
    assert v.check_choice("spring", "system", ("spring", "pendulum")) == "spring"
    with pytest.raises(ParameterError, match=r"^system must be one of 'spring', 'pendulum', got 'rope'$"):
        v.check_choice("rope", "system", ("spring", "pendulum"))


def test_check_sizes():
    assert v.check_sizes((np.int64(4), 2), "units") == [4, 2]
    assert v.check_sizes([], "units") == []
    with pytest.raises(ParameterError, match=r"\(at least one\), got \[\]$"):
        v.check_sizes([], "units", allow_empty=False)
    for bad in ([4, 0], [4, 2.0], [True]):
        with pytest.raises(ParameterError, match=r"^units must be a list of positive integers, got"):
            v.check_sizes(bad, "units")
