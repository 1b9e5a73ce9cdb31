"""Exercise 4.1: the hand-made NumPy network against torch autograd, and a short training."""

import numpy as np
import pytest

from dlpbook.data.wine import diabetes_table
from dlpbook.exercises.hand_network import HandNetwork, HandNetworkSettings, prepare_data, train_numpy, train_torch
from dlpbook.validation import ParameterError

SUBSTITUTE = HandNetworkSettings(n_train=300, standardize=True, lr=1e-3)

torch = pytest.importorskip("torch")


def test_hand_gradients_equal_autograd_and_finite_differences():
    rng = np.random.default_rng(0)
    net = HandNetwork.initialise(11, 50, rng=rng)
    x, y = rng.normal(size=11), 0.7
    grads = net.gradients(x, y)
    params = {k: torch.tensor(getattr(net, k), requires_grad=True) for k in ("w", "b", "w_out", "b_out")}
    y_hat = torch.relu(params["w"] @ torch.tensor(x) + params["b"]) @ params["w_out"] + params["b_out"]
    ((y_hat - y) ** 2).sum().backward()
    for name, p in params.items():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), rtol=1e-12, atol=1e-14)
    h, loss = 1e-6, lambda: float((net.predict(x[None])[0] - y) ** 2)
    net.w[3, 4] += h
    up = loss()
    net.w[3, 4] -= 2 * h
    assert grads["w"][3, 4] == pytest.approx((up - loss()) / (2 * h), rel=1e-5)


def test_numpy_and_torch_training_follow_the_same_path():
    data = prepare_data(diabetes_table(), SUBSTITUTE)[:4]
    small = (data[0][:60], data[1][:60], data[2], data[3])
    settings = SUBSTITUTE.replace(epochs=2, seed=3)
    ours, theirs = train_numpy(*small, settings), train_torch(*small, settings)
    np.testing.assert_allclose(ours.test_mse, theirs.test_mse, rtol=1e-10)
    np.testing.assert_allclose(ours.prediction, theirs.prediction, rtol=1e-9)


def test_short_training_beats_the_mean_on_the_substitute_data():
    x_train, y_train, x_test, y_test, y_scale = prepare_data(diabetes_table(), SUBSTITUTE)
    assert abs(x_train.mean()) < 1e-12 and y_scale > 50
    result = train_numpy(x_train, y_train, x_test, y_test, SUBSTITUTE.replace(epochs=10))
    assert result.test_mse[0] > 2.0  # random start
    assert result.test_mse[-1] < 0.65  # a constant prediction gives about 1
    assert result.correlation > 0.55


def test_argument_checks():
    x = np.zeros((5, 3))
    for changes in ({"lr": 0.0}, {"epochs": 0}, {"n_train": 0}, {"n_hidden": 0}):
        with pytest.raises(ParameterError):
            HandNetworkSettings(**changes)
    with pytest.raises(ValueError, match="y_train"):
        train_numpy(x, np.zeros((5, 1)), x, np.zeros(5), SUBSTITUTE)


def test_profiles_follow_the_data(monkeypatch, tmp_path):
    monkeypatch.delenv("DLPBOOK_WINE_CSV", raising=False)
    quick = HandNetworkSettings.for_profile("quick")
    assert quick == SUBSTITUTE.replace(epochs=10)
    monkeypatch.setenv("DLPBOOK_WINE_CSV", str(tmp_path / "winequality-white.csv"))
    full = HandNetworkSettings.for_profile("full")
    assert (full.n_train, full.standardize, full.lr, full.epochs) == (3000, False, 5e-5, 50)
