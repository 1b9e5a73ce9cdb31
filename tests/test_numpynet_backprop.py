"""Backpropagation of dlpbook.numpynet (Sec. 4.5) against torch autograd; dropout; initialisers."""

import numpy as np
import pytest

from dlpbook.numpynet import (
    INITIALIZERS,
    Dense,
    Network,
    cross_entropy_from_logits,
    dropout,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    mse,
    mse_gradient,
    one_hot,
    single_node_graph,
    single_node_loss,
    softmax_cross_entropy_gradient,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional
TORCH_ACTIVATIONS = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "elu": F.elu,
    "selu": torch.selu,
    "leaky_relu": F.leaky_relu,
    "linear": lambda t: t,
}


def test_example_4_4_single_node():
    g = single_node_graph(w=0.5, b=0.1, x=1.0, y=1.0)
    assert (g.z1, g.z2, g.z3) == pytest.approx((0.5, 0.6, 0.6))
    assert g.loss == pytest.approx(0.16)
    assert (g.dz1_dw, g.dz2_dz1, g.dz3_dz2) == (1.0, 1.0, 1.0)
    assert g.dl_dz3 == pytest.approx(-0.8)
    assert g.dl_dw == pytest.approx(-0.8) and g.dl_db == pytest.approx(-0.8)


def test_single_node_minibatch_gradient_matches_finite_differences_and_the_graph():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0.2, 2, 20), rng.uniform(0, 2, 20)
    w, b, h = 0.7, 0.3, 1e-6
    loss, dw, db = single_node_loss(w, b, x, y)
    assert dw == pytest.approx((single_node_loss(w + h, b, x, y)[0] - single_node_loss(w - h, b, x, y)[0]) / (2 * h))
    assert db == pytest.approx((single_node_loss(w, b + h, x, y)[0] - single_node_loss(w, b - h, x, y)[0]) / (2 * h))
    g = single_node_graph(0.5, 0.1, 1.0, 1.0)
    one = single_node_loss(0.5, 0.1, np.array([1.0]), np.array([1.0]))
    assert [float(v) for v in one] == pytest.approx([g.loss, g.dl_dw, g.dl_db])
    grid = single_node_loss(np.zeros((3, 4)), np.zeros((3, 4)), x, y)[0]
    assert grid.shape == (3, 4)


def _torch_loss(net: Network, x, target, loss: str):
    params = [torch.tensor(p, requires_grad=True) for p in net.parameters()]
    a = torch.tensor(x)
    for i, layer in enumerate(net.layers):
        a = TORCH_ACTIVATIONS[layer.activation](a @ params[2 * i].T + params[2 * i + 1])
    value = F.mse_loss(a, torch.tensor(target)) if loss == "mse" else F.cross_entropy(a, torch.tensor(target))
    value = value + sum(net.l1 * p.abs().sum() + net.l2 * (p**2).sum() for p in params[::2])
    value.backward()
    return value.item(), [p.grad.numpy() for p in params]


@pytest.mark.parametrize(
    ("activation", "loss", "l1", "l2"),
    [("relu", "mse", 0.0, 0.0), ("tanh", "ce", 0.0, 0.01), ("sigmoid", "mse", 0.003, 0.0),
     ("elu", "ce", 0.002, 0.005), ("selu", "mse", 0.0, 0.02), ("leaky_relu", "ce", 0.01, 0.0)],
)
def test_backprop_equals_torch_autograd(activation, loss, l1, l2):
    rng = np.random.default_rng(sorted(TORCH_ACTIVATIONS).index(activation))
    net = Network.from_sizes([5, 7, 6, 3], activation=activation, init="glorot_normal", rng=rng, l1=l1, l2=l2)
    for layer in net.layers:
        layer.bias[:] = rng.normal(0, 0.1, layer.bias.shape)
    x = rng.normal(size=(8, 5))
    out = net.forward(x, training=True)
    if loss == "mse":
        target = rng.normal(size=(8, 3))
        value, grad = mse(out, target), mse_gradient(out, target)
    else:
        target = one_hot(rng.integers(0, 3, 8), 3)
        value, grad = cross_entropy_from_logits(target, out), softmax_cross_entropy_gradient(target, out)
    net.backward(grad)
    torch_value, torch_grads = _torch_loss(net, x, target, loss)
    assert value + net.penalty() == pytest.approx(torch_value, rel=1e-12)
    for ours, theirs in zip(net.gradients(), torch_grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_input_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    net = Network.from_sizes([3, 4, 2], activation="tanh", rng=rng)
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(2, 2))
    grad_x = net.backward(mse_gradient(net.forward(x), y))
    h = 1e-6
    bump = np.zeros_like(x)
    bump[1, 2] = h
    numeric = (mse(net.forward(x + bump), y) - mse(net.forward(x - bump), y)) / (2 * h)
    assert grad_x[1, 2] == pytest.approx(numeric, rel=1e-6)


def test_dropout_keeps_the_expectation_and_is_off_at_inference():
    rng = np.random.default_rng(0)
    a = np.full((200_000,), 3.0)
    for rate in (0.2, 0.5):
        dropped, mask = dropout(a, rate, rng)
        assert np.mean(mask == 0) == pytest.approx(rate, abs=0.005)
        assert dropped.mean() == pytest.approx(3.0, rel=0.01)
    net = Network.from_sizes([4, 50, 1], rng=rng, dropout=0.5)
    x = rng.normal(size=(3, 4))
    np.testing.assert_array_equal(net.forward(x), net.forward(x))
    assert not np.array_equal(net.forward(x, training=True), net.forward(x, training=True))


def test_dropout_gradient_uses_the_same_mask():
    rng = np.random.default_rng(2)
    net = Network.from_sizes([3, 20, 1], rng=rng, dropout=0.3)
    x, y = rng.normal(size=(1, 3)), rng.normal(size=(1, 1))
    net.backward(mse_gradient(net.forward(x, training=True), y))
    dead = np.all(net._masks[0] == 0, axis=0)
    assert dead.any() and np.all(net.layers[1].grad_weight[:, dead] == 0)


@pytest.mark.parametrize(
    ("init", "expected_var"),
    [(glorot_normal, 2 / 500), (glorot_uniform, 2 / 500), (he_normal, 2 / 200), (he_uniform, 2 / 200)],
)
def test_initializer_variances(init, expected_var):
    w = init(200, 300, np.random.default_rng(0))
    assert w.shape == (300, 200)
    assert w.var() == pytest.approx(expected_var, rel=0.02)
    assert abs(w.mean()) < 0.01 * np.sqrt(expected_var) * 10


def test_uniform_limits_are_sqrt3_sigma():
    w = glorot_uniform(10, 20, np.random.default_rng(0))
    assert np.abs(w).max() <= np.sqrt(6 / 30)
    assert np.abs(w).max() > 0.95 * np.sqrt(6 / 30)


def test_validation_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_in must be an integer >= 1, got 0"):
        he_normal(0, 3, rng)
    with pytest.raises(TypeError, match="Generator"):
        glorot_normal(2, 3, np.random.RandomState(0))
    with pytest.raises(ValueError, match="init must be one of"):
        Network.from_sizes([2, 3], init="lecun", rng=rng)
    assert "zeros" in INITIALIZERS
    with pytest.raises(ValueError, match="do not chain"):
        Network([Dense(np.zeros((3, 2)), np.zeros(3)), Dense(np.zeros((1, 4)), np.zeros(1))])
    with pytest.raises(ValueError, match="dropout must be a finite number >= 0 and < 1"):
        Network.from_sizes([2, 3, 1], rng=rng, dropout=1.0)
    with pytest.raises(ValueError, match="needs rng"):
        Network([Dense(np.zeros((1, 2)), np.zeros(1))], dropout=0.2)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0"):
        Network.from_sizes([2, 1], rng=rng, l2=-1.0)
    with pytest.raises(ValueError, match=r"x must be \(k, 2\)"):
        Network.from_sizes([2, 1], rng=rng).forward(np.zeros((4, 3)))
