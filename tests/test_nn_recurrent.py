"""The recurrent cells of dlpbook.nn.recurrent (Eq. 9.3-9.17) against torch.nn, and the Ch. 9 networks."""

import numpy as np
import pytest
import torch
from torch import nn

from dlpbook import data
from dlpbook.data.sine import sliding_windows
from dlpbook.nn import recurrent
from dlpbook.nn.mlp import count_parameters
from dlpbook.train import fit
from dlpbook.validation import ParameterError

TORCH_MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
# (kind, input size d, hidden size p, layers, bidirectional, batch, time steps)
SHAPES = [
    ("rnn", 1, 1, 1, False, 3, 5),
    ("rnn", 4, 7, 2, True, 2, 9),
    ("lstm", 1, 16, 1, False, 4, 20),
    ("lstm", 3, 5, 2, True, 2, 7),
    ("lstm", 6, 2, 3, False, 1, 4),
    ("gru", 2, 3, 1, False, 5, 6),
    ("gru", 5, 8, 2, True, 3, 11),
]


def make_cell(kind, d, p):
    # torch's GRU resets after the recurrent product (see the module docstring)
    return recurrent.GRUCell(d, p, reset_after=True) if kind == "gru" else recurrent.CELLS[kind](d, p)


def copy_of(reference, kind, d, p, layers, bidirectional):
    """Our stack with the weights of the torch module ``reference``."""
    stack = []
    for layer in range(layers):
        width = d if layer == 0 else p * (2 if bidirectional else 1)
        forward_cell = make_cell(kind, width, p)
        recurrent.copy_torch_weights(forward_cell, reference, layer=layer)
        if bidirectional:
            backward_cell = make_cell(kind, width, p)
            recurrent.copy_torch_weights(backward_cell, reference, layer=layer, reverse=True)
            stack.append(recurrent.Bidirectional(forward_cell, backward_cell, return_sequences=True))
        else:
            stack.append(recurrent.Recurrent(forward_cell, return_sequences=True))
    return nn.Sequential(*stack)


def cells_of(stack):
    for layer in stack:
        if isinstance(layer, recurrent.Bidirectional):
            yield layer.forward_layer.cell, False
            yield layer.backward_layer.cell, True
        else:
            yield layer.cell, False


@pytest.mark.parametrize(("kind", "d", "p", "layers", "bidirectional", "batch", "steps"), SHAPES)
def test_the_cells_compute_what_torch_nn_computes_forward_and_backward(kind, d, p, layers, bidirectional, batch, steps):
    torch.manual_seed(layers * 100 + p)
    reference = TORCH_MODULES[kind](d, p, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    ours = copy_of(reference, kind, d, p, layers, bidirectional)
    x = torch.randn(batch, steps, d, requires_grad=True)
    x_ours = x.detach().clone().requires_grad_()
    expected, _ = reference(x)
    output = ours(x_ours)
    torch.testing.assert_close(output, expected, rtol=1e-5, atol=1e-6)

    # the same gradients for an arbitrary loss, with respect to the inputs and every weight
    weights = torch.randn_like(expected)
    (expected * weights).sum().backward()
    (output * weights).sum().backward()
    torch.testing.assert_close(x_ours.grad, x.grad, rtol=1e-5, atol=1e-6)
    for layer_index, (cell, reverse) in enumerate(cells_of(ours)):
        suffix = f"_l{layer_index // (2 if bidirectional else 1)}" + ("_reverse" if reverse else "")
        sign = torch.ones(cell.weight_x.shape[0], 1)
        if kind == "gru":
            sign[p : 2 * p] = -1  # torch's update gate is 1 - z (Eq. 9.17)
        torch.testing.assert_close(cell.weight_x.grad, sign * getattr(reference, "weight_ih" + suffix).grad)
        torch.testing.assert_close(cell.weight_h.grad, sign * getattr(reference, "weight_hh" + suffix).grad)
        torch.testing.assert_close(cell.bias.grad, sign[:, 0] * getattr(reference, "bias_ih" + suffix).grad)
        if kind == "gru":
            torch.testing.assert_close(cell.bias_hn.grad, getattr(reference, "bias_hh" + suffix).grad[2 * p :])


def test_a_many_to_one_stack_returns_the_final_states_of_torch():
    torch.manual_seed(3)
    reference = nn.LSTM(2, 4, num_layers=2, bidirectional=True, batch_first=True)
    stack = recurrent.recurrent_stack("lstm", 2, [4, 4], bidirectional=True)
    for (cell, reverse), index in zip(cells_of(stack), range(4)):
        recurrent.copy_torch_weights(cell, reference, layer=index // 2, reverse=reverse)
    x = torch.randn(3, 6, 2)
    _, (h_n, _) = reference(x)
    # h_n: (layers * directions, batch, p); the top layer's forward and backward final states
    torch.testing.assert_close(stack(x), torch.cat([h_n[2], h_n[3]], dim=-1))


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_is_a_forward_and_a_reversed_pass_concatenated(kind, return_sequences):
    torch.manual_seed(0)
    forward_cell, backward_cell = recurrent.CELLS[kind](3, 5), recurrent.CELLS[kind](3, 5)
    x = torch.randn(4, 8, 3)
    output = recurrent.Bidirectional(forward_cell, backward_cell, return_sequences=return_sequences)(x)
    forwards = recurrent.Recurrent(forward_cell, return_sequences=True)(x)
    backwards = recurrent.Recurrent(backward_cell, return_sequences=True)(x.flip(1)).flip(1)
    if return_sequences:
        torch.testing.assert_close(output, torch.cat([forwards, backwards], dim=-1))
    else:
        # the backward cell ends after reading x_0
        torch.testing.assert_close(output, torch.cat([forwards[:, -1], backwards[:, 0]], dim=-1))


def test_the_grus_reset_placements_agree_when_the_reset_gate_is_open():
    torch.manual_seed(1)
    book, after = recurrent.GRUCell(2, 3), recurrent.GRUCell(2, 3, reset_after=True)
    after.load_state_dict(book.state_dict() | {"bias_hn": torch.zeros(3)})
    x = torch.randn(5, 7, 2)
    differ = (recurrent.Recurrent(book)(x) - recurrent.Recurrent(after)(x)).abs().max()
    with torch.no_grad():
        for cell in (book, after):
            cell.bias[:3] = 50.0  # r = 1: Eq. 9.16 and the reset-after form are the same
    torch.testing.assert_close(recurrent.Recurrent(book)(x), recurrent.Recurrent(after)(x))
    assert differ > 1e-3


def test_the_gru_follows_eq_9_14_to_9_17_for_one_scalar_step():
    cell = recurrent.GRUCell(1, 1)
    with torch.no_grad():
        cell.weight_x.copy_(torch.tensor([[0.5], [-1.0], [2.0]]))  # W_r, W_z, W_h
        cell.weight_h.copy_(torch.tensor([[1.5], [0.3], [-0.7]]))  # U_r, U_z, U_h
        cell.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
    x, h = 0.8, -0.4
    r = 1 / (1 + np.exp(-(0.5 * x + 1.5 * h + 0.1)))
    z = 1 / (1 + np.exp(-(-1.0 * x + 0.3 * h + 0.2)))
    candidate = np.tanh(2.0 * x - 0.7 * (r * h) - 0.3)
    (new_h,) = cell(torch.tensor([[x]]), (torch.tensor([[h]]),))
    assert new_h.item() == pytest.approx((1 - z) * h + z * candidate, abs=1e-6)


def test_the_lstm_forget_bias_starts_at_one():
    cell = recurrent.LSTMCell(2, 4)
    assert torch.equal(cell.bias[4:8], torch.ones(4))
    assert cell.bias[:4].abs().max() <= 0.5 and cell.bias[8:].abs().max() <= 0.5
    assert torch.equal(recurrent.LSTMCell(2, 4, forget_bias=0.0).bias[4:8], torch.zeros(4))


def test_the_exercise_networks_have_the_keras_parameter_counts():
    assert count_parameters(recurrent.lstm_forecaster()) == 1169  # Ex. 9.1
    assert count_parameters(recurrent.bilstm_classifier()) == 95_873  # Ex. 9.2
    # torch.nn.LSTM's second bias would add 4p per layer and direction
    assert count_parameters(nn.LSTM(1, 16)) == 1152 + 4 * 16
    assert count_parameters(recurrent.lstm_forecaster([32, 8], n_features=2)) == (
        4 * 32 * (2 + 32 + 1) + 4 * 8 * (32 + 8 + 1) + 8 * 2 + 2
    )


def test_the_exercise_networks_take_their_inputs_and_are_seeded():
    x = torch.randn(3, 20, 1)
    forecaster = recurrent.lstm_forecaster()
    assert forecaster(x).shape == (3, 1) and forecaster(torch.randn(2, 35, 1)).shape == (2, 1)
    classifier = recurrent.bilstm_classifier(n_steps=20, units=[4, 3]).eval()
    probability = classifier(x)
    assert probability.shape == (3, 1) and bool(((probability > 0) & (probability < 1)).all())
    state = torch.get_rng_state()
    a, b, c = (recurrent.lstm_forecaster(seed=seed).state_dict() for seed in (4, 4, 5))
    assert torch.equal(torch.get_rng_state(), state)
    assert all(torch.equal(a[key], b[key]) for key in a)
    assert not torch.equal(a["0.0.cell.weight_x"], c["0.0.cell.weight_x"])


def test_the_lstm_gradient_vanishes_more_slowly_than_the_simple_rnns():
    torch.manual_seed(0)
    rnn = recurrent.gradient_norms_through_time(recurrent.SimpleRNNCell(1, 16), 40)
    lstm = recurrent.gradient_norms_through_time(recurrent.LSTMCell(1, 16), 40)
    assert rnn.shape == lstm.shape == (40,)
    # lag 1: the Jacobian diag(1 - h^2) W_hh of Eq. 9.3, as autograd computes it for one sequence
    cell = recurrent.SimpleRNNCell(1, 16)
    norms = recurrent.gradient_norms_through_time(cell, 1, batch_size=1, seed=7)
    x = torch.randn(1, 1, 1, generator=torch.Generator().manual_seed(7))
    jacobian = torch.autograd.functional.jacobian(lambda h: cell(x[:, 0], (h,))[0][0], torch.zeros(1, 16))
    assert norms[0] == pytest.approx(jacobian.norm().item(), rel=1e-5)
    # the decay per step, fitted over the lags 5-40: the LSTM keeps much more
    rnn_rate, lstm_rate = (np.polyfit(np.arange(5, 41), np.log(n[4:]), 1)[0] for n in (rnn, lstm))
    assert rnn_rate < lstm_rate < 0
    assert lstm[-1] / lstm[0] > 1e3 * rnn[-1] / rnn[0]


def test_the_autoregressive_forecast_feeds_its_predictions_back():
    class LinearExtrapolation(nn.Module):
        def forward(self, windows):  # (batch, L, 1) -> (batch, 1)
            return 2 * windows[:, -1] - windows[:, -2]

    ramps = np.array([[0.0, 1.0, 2.0], [5.0, 4.5, 4.0]])
    forecast = recurrent.autoregressive_forecast(LinearExtrapolation(), ramps, 4)
    np.testing.assert_allclose(forecast, [[3, 4, 5, 6], [3.5, 3, 2.5, 2]])
    np.testing.assert_allclose(recurrent.autoregressive_forecast(LinearExtrapolation(), ramps[1], 2), [3.5, 3])
    with pytest.raises(ValueError, match="window must have shape"):
        recurrent.autoregressive_forecast(LinearExtrapolation(), np.zeros((2, 2, 2)), 2)
    with pytest.raises(ParameterError):
        recurrent.autoregressive_forecast(LinearExtrapolation(), ramps, 0)


def test_a_short_training_of_exercise_9_1_beats_persistence(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPBOOK_CACHE", str(tmp_path))
    windows, targets = sliding_windows(data.load("sine", progress=False)["f"], 20)
    x, y = windows[..., None].astype(np.float32), targets[:, None].astype(np.float32)
    split = int(0.9 * len(x))  # the last 10 % in time, as Keras' validation_split
    model = recurrent.lstm_forecaster(seed=0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    history = fit(model, (x[:split], y[:split]), loss=nn.MSELoss(), optimizer=optimizer, epochs=2, batch_size=64,
                  validation=(x[split:], y[split:]), progress=False, device="cpu")
    persistence = np.mean((x[split:, -1, 0] - y[split:, 0]) ** 2)  # tomorrow = today
    assert history["val_loss"][-1] < 0.2 * persistence
    # fed its own predictions, it follows the sine for a tenth of a period better than a constant
    start = split
    forecast = recurrent.autoregressive_forecast(model, x[start, :, 0], 20)
    truth = y[start : start + 20, 0]
    assert np.mean((forecast - truth) ** 2) < 0.2 * np.mean((x[start, -1, 0] - truth) ** 2)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: recurrent.recurrent_stack("elman", 1, [4]), "kind"),
        (lambda: recurrent.recurrent_stack("lstm", 1, []), "hidden_sizes"),
        (lambda: recurrent.LSTMCell(0, 4), "input_size"),
        (lambda: recurrent.GRUCell(2, -1), "hidden_size"),
        (lambda: recurrent.lstm_forecaster([16, 0]), "units"),
        (lambda: recurrent.bilstm_classifier(dropout=1.0), "dropout"),
        (lambda: recurrent.gradient_norms_through_time(recurrent.LSTMCell(1, 2), 0), "n_steps"),
    ],
)
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ParameterError) as error:
        call()
    assert error.value.name == name


def test_copying_refuses_what_does_not_correspond():
    with pytest.raises(ValueError, match="reset_after=True"):
        recurrent.copy_torch_weights(recurrent.GRUCell(2, 3), nn.GRU(2, 3, batch_first=True))
    with pytest.raises(TypeError, match="cannot copy a LSTM into a GRUCell"):
        recurrent.copy_torch_weights(recurrent.GRUCell(2, 3, reset_after=True), nn.LSTM(2, 3, batch_first=True))
    with pytest.raises(ValueError, match="batch_first"):
        recurrent.copy_torch_weights(recurrent.LSTMCell(2, 3), nn.LSTM(2, 3))
    with pytest.raises(ValueError, match="size mismatch"):
        recurrent.copy_torch_weights(recurrent.LSTMCell(2, 4), nn.LSTM(2, 3, batch_first=True))
    with pytest.raises(ValueError, match="relu"):
        recurrent.copy_torch_weights(recurrent.SimpleRNNCell(2, 3), nn.RNN(2, 3, nonlinearity="relu", batch_first=True))
    with pytest.raises(ParameterError):
        recurrent.copy_torch_weights(recurrent.LSTMCell(2, 3), nn.LSTM(2, 3, batch_first=True), layer=1)
    with pytest.raises(ValueError, match="time, features"):
        recurrent.Recurrent(recurrent.LSTMCell(2, 3))(torch.zeros(4, 2))


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_the_fused_kernel_computes_the_written_out_cells(kind, bidirectional):
    torch.manual_seed(5)
    loop = recurrent.recurrent_stack(kind, 3, [6, 4], bidirectional=bidirectional, return_sequences=True)
    fused = recurrent.recurrent_stack(kind, 3, [6, 4], bidirectional=bidirectional, return_sequences=True, fused=True)
    fused.load_state_dict(loop.state_dict())
    x = torch.randn(5, 13, 3)
    torch.testing.assert_close(fused(x), loop(x), rtol=1e-5, atol=1e-6)
    fused(x).square().sum().backward()
    loop(x).square().sum().backward()
    for (name, ours), theirs in zip(fused.named_parameters(), loop.parameters()):
        torch.testing.assert_close(ours.grad, theirs.grad, rtol=1e-4, atol=1e-6, msg=name)
    # a given initial state and the final state too
    cell = recurrent.CELLS[kind](3, 4)
    state = tuple(torch.randn(5, 4) for _ in range(cell.n_states))
    for reverse in (False, True):
        by_loop = recurrent.Recurrent(cell, reverse=reverse).unroll(x, state)
        by_kernel = recurrent.Recurrent(cell, reverse=reverse, fused=True).unroll(x, state)
        torch.testing.assert_close(by_kernel, by_loop, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="no fused kernel for a GRUCell"):
        recurrent.Recurrent(recurrent.GRUCell(3, 4), fused=True)
