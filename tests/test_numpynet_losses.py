"""Activations and objective functions of dlpbook.numpynet against the book's anchors and torch."""

import numpy as np
import pytest

from dlpbook.numpynet import (
    ACTIVATIONS,
    SELU_ALPHA,
    SELU_LAMBDA,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    categorical_cross_entropy,
    cross_entropy_from_logits,
    get_activation,
    mse,
    mse_gradient,
    one_hot,
    softmax,
    softmax_cross_entropy_gradient,
)

torch = pytest.importorskip("torch")

LABELS = np.array([0, 0, 2, 1])
LOGITS = np.array([[4, 5, 1], [-1, -2, -3], [0.1, 0.2, 0.3], [-1, 17, 1]], dtype=float)

TORCH_ACTIVATIONS = {
    "linear": lambda t: t,
    "relu": torch.relu,
    "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.01),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "elu": torch.nn.functional.elu,
    "selu": torch.selu,
}


def test_selu_constants_round_to_the_book_values():
    assert round(SELU_ALPHA, 4) == 1.6733 and round(SELU_LAMBDA, 4) == 1.0507


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_and_derivative_match_torch(name):
    z = np.concatenate([np.linspace(-5, 5, 101) + 0.013, [-800.0, 800.0]])
    f, f_prime = ACTIVATIONS[name]
    t = torch.tensor(z, requires_grad=True)
    out = TORCH_ACTIVATIONS[name](t)
    out.sum().backward()
    np.testing.assert_allclose(f(z), out.detach().numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(f_prime(z), t.grad.numpy(), rtol=1e-12, atol=1e-300)


def test_relu_derivative_is_zero_at_the_kink_and_unknown_names_fail():
    assert ACTIVATIONS["relu"][1](np.array([0.0]))[0] == 0.0
    with pytest.raises(ValueError, match="activation must be one of"):
        get_activation("swish")


def test_exercise_4_3_fixture():
    probabilities = softmax(LOGITS)
    np.testing.assert_allclose(probabilities[0], [0.2654, 0.7214, 0.0132], atol=5e-5)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    target = one_hot(LABELS, 3)
    assert categorical_cross_entropy(target, probabilities) == pytest.approx(0.684028, abs=5e-7)
    assert cross_entropy_from_logits(target, LOGITS) == pytest.approx(0.684028, abs=5e-7)
    predicted = probabilities.argmax(axis=1)
    np.testing.assert_array_equal(predicted, [1, 0, 2, 1])
    assert np.mean(predicted == LABELS) == 0.75


def test_example_4_3_numbers_need_log10():
    signal = np.array([[1.0, 0.0]])
    good, bad = np.array([[0.8, 0.2]]), np.array([[0.2, 0.8]])
    assert categorical_cross_entropy(signal, good, base=10) == pytest.approx(0.0969, abs=1e-4)  # "about 0.1"
    assert categorical_cross_entropy(signal, bad, base=10) == pytest.approx(0.6990, abs=1e-4)  # "0.7"
    assert categorical_cross_entropy(signal, good) == pytest.approx(0.2231, abs=1e-4)
    assert categorical_cross_entropy(signal, bad) == pytest.approx(1.6094, abs=1e-4)
    assert cross_entropy_from_logits(signal, np.log(bad), base=10) == pytest.approx(np.log10(5))
    with pytest.raises(ValueError, match="base must be a finite number > 0 other than 1"):
        categorical_cross_entropy(signal, good, base=1)


def test_softmax_is_stable_for_huge_logits():
    q = softmax(np.array([[1000.0, 1000.0, -1000.0]]))
    np.testing.assert_allclose(q, [[0.5, 0.5, 0.0]])


def test_one_hot_validation():
    np.testing.assert_array_equal(one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match="labels must lie in"):
        one_hot([3], 3)
    with pytest.raises(ValueError, match="integers"):
        one_hot([0.5], 3)


def test_losses_and_gradients_match_torch():
    rng = np.random.default_rng(1)
    logits, target = rng.normal(size=(5, 4)), one_hot(rng.integers(0, 4, 5), 4)
    t = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(t, torch.tensor(target))
    loss.backward()
    assert cross_entropy_from_logits(target, logits) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(softmax_cross_entropy_gradient(target, logits), t.grad.numpy(), rtol=1e-10)

    pred, y = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    t = torch.tensor(pred, requires_grad=True)
    loss = torch.nn.functional.mse_loss(t, torch.tensor(y))
    loss.backward()
    assert mse(pred, y) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(mse_gradient(pred, y), t.grad.numpy(), rtol=1e-12)

    q, labels = rng.uniform(0.05, 0.95, size=(7, 1)), rng.integers(0, 2, (7, 1)).astype(float)
    t = torch.tensor(q, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy(t, torch.tensor(labels))
    loss.backward()
    assert binary_cross_entropy(labels, q) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(binary_cross_entropy_gradient(labels, q), t.grad.numpy(), rtol=1e-10)


def test_loss_shape_and_range_checks():
    with pytest.raises(ValueError, match="same shape"):
        mse(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        binary_cross_entropy(np.ones(2), np.array([1.0, 0.5]))
