"""dlpbook.data.airshower.inputs: the exercises' normalisation of footprints and the Ex. 11.1 targets."""

import numpy as np
import pytest

from dlpbook.data.airshower.inputs import footprint_inputs, multitask_targets


def test_footprint_inputs_standardise_times_and_scale_log_signals_to_0_1():
    time = np.array([[[1.0, 3.0], [np.nan, 5.0]]])
    signal = np.array([[[0.0, 9.0], [np.nan, 99.0]]])
    x = footprint_inputs(time, signal)
    assert x.shape == (1, 2, 2, 2) and x.dtype == np.float32
    std = np.std([1.0, 3.0, 5.0])
    np.testing.assert_allclose(x[0, :, :, 0], [[-2 / std, 0.0], [0.0, 2 / std]], rtol=1e-6)
    np.testing.assert_allclose(x[0, :, :, 1], [[0.0, 0.5], [0.0, 1.0]], rtol=1e-6)  # log10(1 + S) = 0, 1, 2
    with pytest.raises(ValueError, match="same shape"):
        footprint_inputs(time, signal[:, :1])
    with pytest.raises(ValueError, match="two triggered"):
        footprint_inputs(np.full((1, 2, 2), np.nan), np.full((1, 2, 2), np.nan))
    with pytest.raises(ValueError, match="vary"):
        footprint_inputs(np.ones((1, 2, 2)), signal.clip(0, 1))


def test_multitask_targets_scale_core_and_energy_as_the_exercise():
    events = {
        "showeraxis": np.array([[0.0, 0.0, 1.0]]),
        "showercore": np.array([[750.0, -375.0, 0.0]]),
        "logE": np.array([19.75]),
    }
    y = multitask_targets(events)
    np.testing.assert_allclose(y["core"], [[1.0, -0.5]])
    np.testing.assert_allclose(y["energy"], [[0.5]])
    assert y["axis"].shape == (1, 3) and all(v.dtype == np.float32 for v in y.values())
