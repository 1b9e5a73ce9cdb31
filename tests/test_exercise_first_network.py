"""Book Fig. 1.5: the first network in both frameworks, from one settings object."""

import numpy as np
import pytest

from dlpbook.exercises.first_network import FirstNetworkSettings, first_network_data, train_keras, train_torch
from dlpbook.validation import ParameterError


def test_profiles_keep_the_page_numbers():
    quick, full = FirstNetworkSettings.for_profile("quick"), FirstNetworkSettings.for_profile("full")
    assert (quick.n_points, quick.epochs, full.n_points, full.epochs) == (800, 50, 1000, 200)
    assert (full.lr, full.batch_size, full.noise, full.data_seed) == (0.01, 32, 0.2, 2)


def test_data_are_float32_columns_of_both_classes():
    x, y = first_network_data(FirstNetworkSettings(n_points=300))
    assert x.shape == (300, 2) and y.shape == (300, 1) and x.dtype == y.dtype == np.float32
    assert 0.4 < y.mean() < 0.75


@pytest.mark.parametrize("changes", [{"n_points": 0}, {"lr": 0.0}, {"epochs": -1}, {"noise": -0.1}])
def test_invalid_settings(changes):
    with pytest.raises(ParameterError):
        FirstNetworkSettings(**changes)


def test_torch_network_beats_guessing():
    accuracy = train_torch(FirstNetworkSettings(n_points=400, epochs=30, lr=0.5))
    assert len(accuracy) == 30
    assert accuracy[-1] > 0.8


@pytest.mark.keras
def test_keras_network_beats_guessing():
    pytest.importorskip("tensorflow")
    accuracy = train_keras(FirstNetworkSettings(n_points=400, epochs=30, lr=0.5))
    assert len(accuracy) == 30
    assert accuracy[-1] > 0.8
