"""The Keras twins of the Ch. 9 exercise networks against dlpbook.nn.recurrent, and the book's GRU against Keras."""

import numpy as np
import pytest
import torch

from dlpbook.nn import recurrent
from dlpbook.nn.mlp import count_parameters
from dlpbook.validation import ParameterError

pytestmark = pytest.mark.keras
pytest.importorskip("tensorflow")

from dlpbook import keras_nn  # noqa: E402  (after the skip: the twins need TensorFlow)
from dlpbook.keras_nn import recurrent as keras_recurrent  # noqa: E402


def lstm_weights(cell):
    """Keras LSTM weights of one of our LSTM cells: same gate order (i, f, C~, o), one bias."""
    return [cell.weight_x.detach().numpy().T, cell.weight_h.detach().numpy().T, cell.bias.detach().numpy()]


def copy_into_keras(torch_model, keras_model):
    """Copy the weights of one of our exercise networks into its Keras twin, layer by layer."""
    k = keras_nn.keras()
    kinds = (k.layers.LSTM, k.layers.Bidirectional)
    recurrent_layers = [layer for layer in keras_model.layers if isinstance(layer, kinds)]
    ours = list(torch_model[0])
    assert len(ours) == len(recurrent_layers)
    for mine, theirs in zip(ours, recurrent_layers):
        if isinstance(mine, recurrent.Bidirectional):
            theirs.forward_layer.set_weights(lstm_weights(mine.forward_layer.cell))
            theirs.backward_layer.set_weights(lstm_weights(mine.backward_layer.cell))
        else:
            theirs.set_weights(lstm_weights(mine.cell))
    linear = next(m for m in torch_model if isinstance(m, torch.nn.Linear))
    dense = next(layer for layer in keras_model.layers if isinstance(layer, k.layers.Dense))
    dense.set_weights([linear.weight.detach().numpy().T, linear.bias.detach().numpy()])


def test_the_exercise_networks_have_the_original_counts_in_both_frameworks():
    assert keras_recurrent.lstm_forecaster().count_params() == 1169 == count_parameters(recurrent.lstm_forecaster())
    assert keras_recurrent.bilstm_classifier().count_params() == 95_873
    assert count_parameters(recurrent.bilstm_classifier()) == 95_873


@pytest.mark.parametrize("units", [(16,), (8, 5)])
def test_the_forecaster_twins_agree_with_the_same_weights(units):
    ours = recurrent.lstm_forecaster(units, seed=1).eval()
    theirs = keras_recurrent.lstm_forecaster(units)
    copy_into_keras(ours, theirs)
    x = np.random.default_rng(0).normal(size=(5, 17, 1)).astype(np.float32)
    expected = ours(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(np.asarray(theirs(x)), expected, rtol=1e-4, atol=1e-5)
    window = np.sin(np.linspace(0, 2, 20))
    np.testing.assert_allclose(
        keras_recurrent.autoregressive_forecast(theirs, window, 15),
        recurrent.autoregressive_forecast(ours, window, 15),
        rtol=1e-4,
        atol=1e-5,
    )


def test_the_bidirectional_classifier_twins_agree_with_the_same_weights():
    ours = recurrent.bilstm_classifier(n_steps=12, units=(4, 6, 3), seed=2).eval()
    theirs = keras_recurrent.bilstm_classifier(n_steps=12, units=(4, 6, 3))
    copy_into_keras(ours, theirs)
    x = np.random.default_rng(1).normal(size=(6, 12, 1)).astype(np.float32)
    expected = ours(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(np.asarray(theirs(x, training=False)), expected, rtol=1e-4, atol=1e-6)


def test_the_book_gru_is_keras_gru_without_reset_after():
    # Keras stacks the GRU gates as (z, r, h) and, like torch, uses 1 - z as its update gate
    k = keras_nn.keras()
    torch.manual_seed(0)
    cell = recurrent.GRUCell(3, 4)
    layer = k.layers.GRU(4, reset_after=False, return_sequences=True)
    x = np.random.default_rng(2).normal(size=(2, 9, 3)).astype(np.float32)
    layer.build(x.shape)
    p = 4
    z, r, h = slice(p, 2 * p), slice(0, p), slice(2 * p, 3 * p)

    def keras_order(matrix):
        return np.concatenate([-matrix[z], matrix[r], matrix[h]])

    weight_x, weight_h, bias = (t.detach().numpy() for t in (cell.weight_x, cell.weight_h, cell.bias))
    layer.set_weights([keras_order(weight_x).T, keras_order(weight_h).T, keras_order(bias)])
    expected = recurrent.Recurrent(cell, return_sequences=True)(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)


def test_the_keras_twins_are_seeded():
    a, b, c = (keras_recurrent.lstm_forecaster(seed=seed).get_weights() for seed in (3, 3, 4))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    forget = a[2][16:32]
    assert np.array_equal(forget, np.ones(16))  # Keras' unit_forget_bias, as LSTMCell's forget_bias


@pytest.mark.parametrize(
    ("function", "kwargs", "name"),
    [
        ("lstm_forecaster", {"units": []}, "units"),
        ("lstm_forecaster", {"n_features": 0}, "n_features"),
        ("bilstm_classifier", {"n_steps": 0}, "n_steps"),
        ("bilstm_classifier", {"dropout": -0.1}, "dropout"),
        ("bilstm_classifier", {"seed": -1}, "seed"),
    ],
)
def test_both_frameworks_reject_the_same_arguments_by_name(function, kwargs, name):
    for module in (recurrent, keras_recurrent):
        with pytest.raises(ParameterError) as error:
            getattr(module, function)(**kwargs)
        assert error.value.name == name
