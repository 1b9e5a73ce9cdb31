"""Exercise 5.2 / Fig. 2.4: interpolation networks in torch and Keras."""

import numpy as np
import pytest
import torch

from dlpbook import nn
from dlpbook.data.interpolation import interpolation_function
from dlpbook.exercises import interpolation
from dlpbook.exercises.interpolation import InterpolationSettings
from dlpbook.validation import ParameterError


def test_torch_model_has_3265_parameters():
    assert nn.count_parameters(interpolation.torch_model()) == interpolation.N_PARAMETERS == 3265


def test_torch_training_decreases_loss_and_snapshots_per_epoch():
    fit = interpolation.train_torch(InterpolationSettings(n=600, epochs=6, snapshot_epochs=(6, 2), n_grid=200))
    assert fit.x_train.shape == fit.y_train.shape == (600, 1)
    assert len(fit.loss) == 6
    assert fit.loss[-1] < 0.5 * fit.loss[0]
    assert sorted(fit.snapshots) == [2, 6]
    assert fit.snapshots[6].shape == (200,)
    assert not np.allclose(fit.snapshots[2], fit.snapshots[6])
    np.testing.assert_allclose(fit.f_grid, interpolation_function(fit.x_grid))
    # the last snapshot is the final network, whose error on the clean grid is test_mse
    assert np.mean((fit.snapshots[6] - fit.f_grid) ** 2) == pytest.approx(fit.test_mse, rel=1e-6)


def test_fit_with_snapshots_learns_the_function():
    fit = interpolation.fit_with_snapshots(epochs=60, snapshot_epochs=(1, 60), n=300)
    assert len(fit.loss) == 60 and len(fit.x_train) == 300
    assert fit.n_parameters == 1 * 30 + 30 + 2 * (30 * 30 + 30) + 30 + 1
    assert fit.loss[-1] < 0.25 * fit.loss[0]
    # better than the best constant (the variance of f on the grid)
    assert fit.test_mse < 0.7 * np.var(fit.f_grid)
    error_first = np.mean((fit.snapshots[1] - fit.f_grid) ** 2)
    assert fit.test_mse < error_first


@pytest.mark.parametrize(
    "epochs, snapshots, name", [(0, (1,), "epochs"), (5, (6,), "snapshot_epochs"), (5, (), "snapshot_epochs"),
                                (5, (0, 2), "snapshot_epochs")],
)
def test_invalid_epochs(epochs, snapshots, name):
    with pytest.raises(ParameterError) as error:
        InterpolationSettings(n=100, epochs=epochs, snapshot_epochs=snapshots)
    assert error.value.name == name


def test_profiles_and_figure_settings():
    quick, full = (interpolation.InterpolationStudy.for_profile(p).run for p in ("quick", "full"))
    assert (quick.n, quick.epochs, quick.batch_size, quick.lr) == (3000, 70, 128, 5e-3)
    assert quick.snapshot_epochs == (14, 28, 42, 56, 70) and full.snapshot_epochs == (20, 40, 60, 80, 100)
    assert full == InterpolationSettings() and (full.n, full.epochs, full.penalty) == (10_000, 100, 0.01)
    figure = {p: interpolation.fig_2_4_settings(p) for p in ("quick", "full")}
    assert all(f.penalty == 0 and f.hidden == (30, 30, 30) and f.epochs == 800 for f in figure.values())
    assert (figure["quick"].n, figure["full"].n) == (200, 500)  # the full profile is the 500 points of Fig. 2.4
    with pytest.raises(ParameterError):
        interpolation.fig_2_4_settings("slow")
    assert "snapshot_epochs=[14, 28, 42, 56, 70]" in quick.describe() and "lr=0.005" in quick.describe()


@pytest.mark.keras
def test_keras_model_matches_torch_architecture_and_penalty():
    pytest.importorskip("tensorflow")
    keras_model = interpolation.keras_model()
    assert keras_model.count_params() == 3265
    torch_model = interpolation.torch_model()
    dense = [layer for layer in keras_model.layers]
    linear = [m for m in torch_model if isinstance(m, torch.nn.Linear)]
    assert len(dense) == len(linear) == 5
    with torch.no_grad():
        for k_layer, t_layer in zip(dense, linear):
            kernel, bias = (np.asarray(w) for w in k_layer.get_weights())
            t_layer.weight.copy_(torch.from_numpy(kernel.T))
            t_layer.bias.copy_(torch.from_numpy(bias))
    x = np.linspace(-10, 10, 7, dtype=np.float32)[:, None]
    np.testing.assert_allclose(torch_model(torch.from_numpy(x)).detach().numpy(), np.asarray(keras_model(x)), rtol=1e-5, atol=1e-5)
    keras_penalty = sum(float(loss) for loss in keras_model.losses)
    torch_penalty = nn.weight_penalty(torch_model[:-1], l1=0.01, l2=0.01).item()
    assert keras_penalty == pytest.approx(torch_penalty, rel=1e-5)


@pytest.mark.keras
def test_keras_training_decreases_loss_and_snapshots_per_epoch():
    pytest.importorskip("tensorflow")
    fit = interpolation.train_keras(InterpolationSettings(n=600, epochs=4, snapshot_epochs=(1, 4), n_grid=200))
    assert fit.n_parameters == 3265
    assert len(fit.loss) == 4
    assert fit.loss[-1] < 0.7 * fit.loss[0]
    assert sorted(fit.snapshots) == [1, 4]
    assert np.mean((fit.snapshots[4] - fit.f_grid) ** 2) == pytest.approx(fit.test_mse, rel=1e-5)
