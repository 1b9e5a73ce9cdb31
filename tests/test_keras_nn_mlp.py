import numpy as np
import pytest

pytestmark = pytest.mark.keras


def test_keras_mlp_matches_the_torch_parameter_count():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn
    from dlpbook import nn as dnn

    model = keras_nn.mlp(1, [32, 32, 32, 32], 1, l1=0.01, l2=0.01)
    assert model.count_params() == 3265 == dnn.count_parameters(dnn.mlp(1, [32, 32, 32, 32], 1))
    assert len(model.losses) == 5


def test_keras_mlp_is_seeded_and_validated():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn

    a = keras_nn.mlp(2, [8], 1, seed=3).get_weights()
    b = keras_nn.mlp(2, [8], 1, seed=3).get_weights()
    c = keras_nn.mlp(2, [8], 1, seed=4).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    with pytest.raises(ValueError, match="l1 must be a finite number >= 0"):
        keras_nn.mlp(2, [8], 1, l1=-1)


def test_keras_mlp_can_leave_the_output_layer_unpenalised():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn

    model = keras_nn.mlp(2, [4, 4], 1, l2=0.1, penalize_output=False)
    assert len(model.losses) == 2
    assert model.layers[-1].kernel_regularizer is None
