"""Recurrent networks written out (book Ch. 9): simple RNN, LSTM and GRU cells (Eq. 9.3-9.17).

A *cell* computes one time step, ``state_t = cell(x_t, state_{t-1})``, with ``state[0] = h_t``
(the LSTM's state is ``(h_t, C_t)``). :class:`Recurrent` unrolls a cell over a sequence
(batch first, Fig. 9.3), :class:`Bidirectional` runs a second cell backwards in time and
concatenates (Fig. 9.8), :func:`recurrent_stack` stacks layers. The Python loop over time
steps shows the equations; ``fused=True`` runs the same cells in torch's compiled kernel for
training. The exercise networks are :func:`lstm_forecaster` (Ex. 9.1) and
:func:`bilstm_classifier` (Ex. 9.2); their Keras twins are in :mod:`dlpbook.keras_nn.recurrent`.

Every cell keeps three parameters, the gate blocks stacked row-wise: ``weight_x`` (the book's
W, shape (gates * p, d)), ``weight_h`` (the book's U, (gates * p, p)) and one ``bias`` b per
gate, (gates * p,). How the book's equations map to ``torch.nn`` (:func:`copy_torch_weights`
does it):

- Simple RNN (Eq. 9.3): ``torch.nn.RNN`` with ``tanh``; W_hx = ``weight_ih``, W_hh =
  ``weight_hh``, b_h = ``bias_ih + bias_hh`` (torch keeps two biases that only ever appear as
  their sum). The output layer of Eq. 9.4 is a separate ``Linear``.
- LSTM (Eq. 9.8-9.13): ``torch.nn.LSTM`` stacks the gates in the order (i, f, C~, o), as here
  and as Keras does; b = ``bias_ih + bias_hh``. One bias per gate is the book's (and Keras')
  LSTM, so the exercise networks have Keras' parameter counts (``torch.nn.LSTM`` would add
  4p parameters per layer and direction).
- GRU (Eq. 9.14-9.17): ``torch.nn.GRU`` stacks (r, z, n) and differs from the book twice.
  Its update gate is the complement, ``h_t = (1 - z'_t) n_t + z'_t h_{t-1}`` with
  ``z' = 1 - z``: since ``1 - sigma(a) = sigma(-a)`` the z rows change sign in the copy. And
  it resets *after* the recurrent product, ``n_t = tanh(W_h x_t + b_h + r_t * (U_h h_{t-1} +
  b_hn))`` instead of Eq. 9.16's ``U_h (r_t * h_{t-1})``, which needs a second candidate bias
  ``b_hn``. ``GRUCell(reset_after=True)`` is that variant (Keras' default ``GRU`` too);
  the default ``reset_after=False`` is Eq. 9.16 (Cho et al. 2014, Keras' ``reset_after=False``).

Weights start uniform in ``(-1/sqrt(p), 1/sqrt(p))`` as in ``torch.nn``; the LSTM's forget
bias starts at 1 (book Sec. 9.4, Jozefowicz et al.), as Keras' ``unit_forget_bias``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from ..data.sine import roll_forecast
from ..validation import check_choice, check_count, check_float, check_int, check_rate, check_seed, check_sizes

State = tuple[torch.Tensor, ...]
"""A cell's state: ``(h_t,)``, or ``(h_t, C_t)`` for the LSTM, each (batch, p)."""


class _Cell(nn.Module):
    """The parameters and their initialisation shared by the three cells."""

    gates = 1
    """Number of gate blocks stacked in the weights."""
    n_states = 1
    """Number of tensors in the state (``h`` or ``(h, C)``)."""

    def __init__(self, input_size: int, hidden_size: int, *, candidate_bias: bool = False) -> None:
        super().__init__()
        self.input_size = check_count(input_size, "input_size")
        self.hidden_size = check_count(hidden_size, "hidden_size")
        rows = self.gates * self.hidden_size
        self.weight_x = nn.Parameter(torch.empty(rows, self.input_size))
        self.weight_h = nn.Parameter(torch.empty(rows, self.hidden_size))
        self.bias = nn.Parameter(torch.empty(rows))
        # the GRU's second candidate bias when it resets after the recurrent product
        self.bias_hn = nn.Parameter(torch.empty(self.hidden_size)) if candidate_bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every parameter uniformly in ``(-1/sqrt(p), 1/sqrt(p))`` (torch's convention)."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def initial_state(self, x: torch.Tensor) -> State:
        """Zero state for a batch like ``x`` (batch, ..., d): ``n_states`` tensors (batch, p)."""
        zeros = x.new_zeros(x.shape[0], self.hidden_size)
        return tuple(zeros.clone() for _ in range(self.n_states))

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


class SimpleRNNCell(_Cell):
    """The simple recurrent cell ``h_t = tanh(W_hx x_t + W_hh h_{t-1} + b_h)`` (Eq. 9.3).

    Parameters
    ----------
    input_size
        Features per time step, ``d`` (> 0).
    hidden_size
        Units, ``p`` (> 0).
    """

    def forward(self, x: torch.Tensor, state: State) -> State:
        """One step: ``x`` (batch, d) and ``(h_{t-1},)`` (batch, p) -> ``(h_t,)``."""
        (h,) = state
        return (torch.tanh(x @ self.weight_x.T + h @ self.weight_h.T + self.bias),)


class LSTMCell(_Cell):
    """The long short-term memory cell (Eq. 9.8-9.13), gates stacked as (i, f, C~, o).

    ``f, i, o = sigma(W x_t + U h_{t-1} + b)`` (Eq. 9.8-9.10), ``C~_t = tanh(W_c x_t + U_c
    h_{t-1} + b_c)`` (Eq. 9.11), ``C_t = f_t C_{t-1} + i_t C~_t`` (Eq. 9.12) and ``h_t = o_t
    tanh(C_t)`` (Eq. 9.13). Since ``dC_t/dC_{t-1} = f_t``, the cell state is a shortcut
    through time that the forget gate opens.

    Parameters
    ----------
    input_size
        Features per time step, ``d`` (> 0).
    hidden_size
        Units, ``p`` (> 0).
    forget_bias
        Initial value of the forget gate's bias (1, after Jozefowicz et al.: the memory starts
        open), finite.
    """

    gates = 4
    n_states = 2

    def __init__(self, input_size: int, hidden_size: int, *, forget_bias: float = 1.0) -> None:
        self.forget_bias = check_float(forget_bias, "forget_bias")
        super().__init__(input_size, hidden_size)

    def reset_parameters(self) -> None:
        super().reset_parameters()
        with torch.no_grad():
            self.bias[self.hidden_size : 2 * self.hidden_size] = self.forget_bias

    def forward(self, x: torch.Tensor, state: State) -> State:
        """One step: ``x`` (batch, d) and ``(h_{t-1}, C_{t-1})`` (batch, p) each -> ``(h_t, C_t)``."""
        h, c = state
        a_i, a_f, a_c, a_o = (x @ self.weight_x.T + h @ self.weight_h.T + self.bias).chunk(4, dim=-1)
        c = torch.sigmoid(a_f) * c + torch.sigmoid(a_i) * torch.tanh(a_c)  # Eq. 9.8, 9.9, 9.11, 9.12
        return torch.sigmoid(a_o) * torch.tanh(c), c  # Eq. 9.10, 9.13


class GRUCell(_Cell):
    """The gated recurrent unit (Eq. 9.14-9.17), gates stacked as (r, z, h~).

    ``r_t, z_t = sigma(W x_t + U h_{t-1} + b)`` (Eq. 9.14, 9.15), ``h~_t = tanh(W_h x_t +
    U_h (r_t * h_{t-1}) + b_h)`` (Eq. 9.16) and ``h_t = (1 - z_t) h_{t-1} + z_t h~_t``
    (Eq. 9.17).

    Parameters
    ----------
    input_size
        Features per time step, ``d`` (> 0).
    hidden_size
        Units, ``p`` (> 0).
    reset_after
        ``False``: Eq. 9.16. ``True``: the variant of ``torch.nn.GRU`` and Keras, ``h~_t =
        tanh(W_h x_t + b_h + r_t * (U_h h_{t-1} + b_hn))``, with the extra bias ``bias_hn``
        (p,).
    """

    gates = 3

    def __init__(self, input_size: int, hidden_size: int, *, reset_after: bool = False) -> None:
        self.reset_after = bool(reset_after)
        super().__init__(input_size, hidden_size, candidate_bias=self.reset_after)

    def forward(self, x: torch.Tensor, state: State) -> State:
        """One step: ``x`` (batch, d) and ``(h_{t-1},)`` (batch, p) -> ``(h_t,)``."""
        (h,) = state
        p = self.hidden_size
        a_r, a_z, a_h = (x @ self.weight_x.T + self.bias).chunk(3, dim=-1)
        u_r, u_z = (h @ self.weight_h[: 2 * p].T).chunk(2, dim=-1)
        r, z = torch.sigmoid(a_r + u_r), torch.sigmoid(a_z + u_z)  # Eq. 9.14, 9.15
        if self.reset_after:
            candidate = torch.tanh(a_h + r * (h @ self.weight_h[2 * p :].T + self.bias_hn))
        else:
            candidate = torch.tanh(a_h + (r * h) @ self.weight_h[2 * p :].T)  # Eq. 9.16
        return ((1 - z) * h + z * candidate,)  # Eq. 9.17

    def extra_repr(self) -> str:
        return super().extra_repr() + (", reset_after=True" if self.reset_after else "")


CELLS = {"rnn": SimpleRNNCell, "lstm": LSTMCell, "gru": GRUCell}
"""The cells by the names :func:`recurrent_stack` takes."""
_FUSED_KERNELS = {SimpleRNNCell: nn.RNN, LSTMCell: nn.LSTM}
"""The torch modules whose kernels compute these cells (``Recurrent(fused=True)``)."""


class Recurrent(nn.Module):
    """A cell unrolled over a sequence (Fig. 9.3): inputs (batch, T, d), batch first.

    Parameters
    ----------
    cell
        One of :data:`CELLS` (or any module with the same interface).
    return_sequences
        ``True``: the output is every ``h_t``, (batch, T, p) (sequence to sequence, Fig. 9.7a).
        ``False``: only the final one, (batch, p) (many to one, Fig. 9.7d).
    reverse
        Process the sequence from ``t = T-1`` down to 0 (the backward half of Fig. 9.8). The
        outputs stay aligned with the inputs: ``outputs[:, t]`` is the state after reading
        ``x_t``, and the final state is the one after ``x_0``.
    fused
        Run the time loop in torch's compiled RNN kernel instead of step by step in Python,
        on the cell's own parameters (the same numbers, tens of times faster on long
        sequences). For :class:`SimpleRNNCell` and :class:`LSTMCell`, whose equations are
        those of ``torch.nn.RNN`` and ``torch.nn.LSTM`` with the second bias at zero.
    """

    def __init__(
        self, cell: nn.Module, *, return_sequences: bool = False, reverse: bool = False, fused: bool = False
    ) -> None:
        super().__init__()
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.reverse = bool(reverse)
        self.fused = bool(fused)
        if self.fused:
            kernel = _FUSED_KERNELS.get(type(cell))
            if kernel is None:
                raise ValueError(f"no fused kernel for a {type(cell).__name__}; use fused=False")
            # a weightless torch module (meta device) that only lends its kernel; kept in a
            # tuple so that it is no submodule and adds no parameters
            self._kernel = (kernel(cell.input_size, cell.hidden_size, batch_first=True, device="meta"),)

    def unroll(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """Run the cell over ``x`` (batch, T, d) from ``state`` (zeros when ``None``).

        Returns
        -------
        outputs : (batch, T, p)
            ``h_t`` for every time step, in the order of the inputs.
        state
            The final state (after the last step processed).
        """
        if x.ndim != 3:
            raise ValueError(f"a recurrent layer takes (batch, time, features), got shape {tuple(x.shape)}")
        state = self.cell.initial_state(x) if state is None else state
        if self.fused:
            return self._unroll_fused(x, state)
        steps = range(x.shape[1] - 1, -1, -1) if self.reverse else range(x.shape[1])
        outputs = [None] * x.shape[1]
        for t in steps:
            state = self.cell(x[:, t], state)
            outputs[t] = state[0]
        return torch.stack(outputs, dim=1), state

    def _unroll_fused(self, x: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        cell = self.cell
        parameters = {
            "weight_ih_l0": cell.weight_x,
            "weight_hh_l0": cell.weight_h,
            "bias_ih_l0": cell.bias,
            "bias_hh_l0": torch.zeros_like(cell.bias),  # torch's second bias, absent from Eq. 9.3, 9.8-9.11
        }
        initial = tuple(s.unsqueeze(0) for s in state)  # torch's (layers, batch, p)
        inputs = x.flip(1) if self.reverse else x
        outputs, final = torch.func.functional_call(
            self._kernel[0], parameters, (inputs, initial if len(initial) > 1 else initial[0])
        )
        final = final if isinstance(final, tuple) else (final,)
        return (outputs.flip(1) if self.reverse else outputs), tuple(s.squeeze(0) for s in final)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` (batch, T, d) -> (batch, T, p) or (batch, p), see ``return_sequences``."""
        outputs, state = self.unroll(x)
        return outputs if self.return_sequences else state[0]


class Bidirectional(nn.Module):
    """Two cells, one reading forward and one backward in time, outputs concatenated (Fig. 9.8).

    With ``return_sequences`` the output at ``t`` is ``[h_fwd_t, h_bwd_t]`` (batch, T, 2p): the
    forward cell has read ``x_0 ... x_t``, the backward one ``x_{T-1} ... x_t``. Without it the
    output is the two final states, (batch, 2p), as in Keras' and torch's bidirectional layers.

    Parameters
    ----------
    forward_cell, backward_cell
        Two cells with the same sizes (and separate weights).
    return_sequences, fused
        As in :class:`Recurrent`.
    """

    def __init__(
        self, forward_cell: nn.Module, backward_cell: nn.Module, *, return_sequences: bool = False, fused: bool = False
    ) -> None:
        super().__init__()
        self.forward_layer = Recurrent(forward_cell, return_sequences=return_sequences, fused=fused)
        self.backward_layer = Recurrent(backward_cell, return_sequences=return_sequences, reverse=True, fused=fused)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` (batch, T, d) -> (batch, T, 2p) or (batch, 2p)."""
        return torch.cat([self.forward_layer(x), self.backward_layer(x)], dim=-1)


def recurrent_stack(
    kind: str,
    input_size: int,
    hidden_sizes: Sequence[int],
    *,
    bidirectional: bool = False,
    return_sequences: bool = False,
    fused: bool = False,
) -> nn.Sequential:
    """Recurrent layers stacked: each one reads the sequence of ``h_t`` of the one below.

    Parameters
    ----------
    kind
        ``"rnn"`` (Eq. 9.3), ``"lstm"`` (Eq. 9.8-9.13) or ``"gru"`` (Eq. 9.14-9.17).
    input_size
        Features per time step of the input, ``d`` (> 0).
    hidden_sizes
        Units of each layer, bottom first (at least one).
    bidirectional
        Make every layer :class:`Bidirectional`: the next layer then reads ``2p`` features.
    return_sequences
        Whether the top layer returns every time step (the lower layers always do).
    fused
        Run the layers in torch's kernels (rnn and lstm only), see :class:`Recurrent`.

    Returns
    -------
    torch.nn.Sequential
        (batch, T, d) -> (batch, T, p_top) or (batch, p_top), ``p_top = hidden_sizes[-1]``
        (doubled when bidirectional).
    """
    cell = CELLS[check_choice(kind, "kind", CELLS)]
    sizes = check_sizes(hidden_sizes, "hidden_sizes", allow_empty=False)
    width = check_count(input_size, "input_size")
    layers: list[nn.Module] = []
    for index, size in enumerate(sizes):
        sequences = return_sequences or index < len(sizes) - 1
        if bidirectional:
            layers.append(Bidirectional(cell(width, size), cell(width, size), return_sequences=sequences, fused=fused))
        else:
            layers.append(Recurrent(cell(width, size), return_sequences=sequences, fused=fused))
        width = 2 * size if bidirectional else size
    return nn.Sequential(*layers)


def copy_torch_weights(cell: nn.Module, module: nn.Module, *, layer: int = 0, reverse: bool = False) -> None:
    """Copy the weights of one layer and direction of a ``torch.nn`` RNN, LSTM or GRU into ``cell``.

    The mapping of the module docstring: ``weight_x = weight_ih``, ``weight_h = weight_hh``,
    ``bias = bias_ih + bias_hh``; for the GRU the z rows change sign (torch's ``z' = 1 - z``)
    and ``bias_hn`` is torch's candidate part of ``bias_hh``. Afterwards the cell computes what
    the torch module computes.

    Parameters
    ----------
    cell
        A :class:`SimpleRNNCell`, :class:`LSTMCell` or :class:`GRUCell` (``reset_after=True``).
    module
        A ``torch.nn.RNN`` (tanh), ``LSTM`` (no projection) or ``GRU`` with biases and the
        cell's sizes.
    layer
        Which layer of a multi-layer module (>= 0).
    reverse
        Take the backward direction of a bidirectional module.
    """
    expected = {SimpleRNNCell: nn.RNN, LSTMCell: nn.LSTM, GRUCell: nn.GRU}.get(type(cell))
    if expected is None or type(module) is not expected:
        raise TypeError(f"cannot copy a {type(module).__name__} into a {type(cell).__name__}")
    if isinstance(module, nn.RNN) and module.nonlinearity != "tanh":
        raise ValueError("the simple RNN cell of Eq. 9.3 uses tanh; the torch module uses relu")
    if isinstance(module, nn.LSTM) and module.proj_size:
        raise ValueError("an LSTM with a projection (proj_size > 0) has no counterpart here")
    if isinstance(cell, GRUCell) and not cell.reset_after:
        raise ValueError("torch's GRU resets after the recurrent product: copy into GRUCell(reset_after=True)")
    if not module.bias:
        raise ValueError("the torch module has no biases")
    if not module.batch_first:
        raise ValueError("the torch module must be batch_first, as the layers here")
    layer = check_int(layer, "layer", low=0, high=module.num_layers - 1)
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    if reverse and not module.bidirectional:
        raise ValueError("reverse=True needs a bidirectional torch module")
    weight_ih, weight_hh = getattr(module, "weight_ih" + suffix), getattr(module, "weight_hh" + suffix)
    bias_ih, bias_hh = getattr(module, "bias_ih" + suffix), getattr(module, "bias_hh" + suffix)
    if weight_ih.shape != cell.weight_x.shape or weight_hh.shape != cell.weight_h.shape:
        raise ValueError(
            f"size mismatch: torch weights {tuple(weight_ih.shape)}, {tuple(weight_hh.shape)}; "
            f"cell weights {tuple(cell.weight_x.shape)}, {tuple(cell.weight_h.shape)}"
        )
    with torch.no_grad():
        weight_x, weight_h = weight_ih.clone(), weight_hh.clone()
        bias = bias_ih + bias_hh
        if isinstance(cell, GRUCell):
            p = cell.hidden_size
            bias[2 * p :] = bias_ih[2 * p :]
            cell.bias_hn.copy_(bias_hh[2 * p :])
            z = slice(p, 2 * p)
            weight_x[z], weight_h[z], bias[z] = -weight_x[z], -weight_h[z], -bias[z]
        cell.weight_x.copy_(weight_x)
        cell.weight_h.copy_(weight_h)
        cell.bias.copy_(bias)



def gradient_norms_through_time(cell: nn.Module, n_steps: int, *, batch_size: int = 16, seed: int = 0) -> np.ndarray:
    """How much the last state still depends on earlier ones: ``||dh_T / dh_{T-k}||`` for k = 1 ... T.

    The cell reads ``T = n_steps`` inputs drawn from N(0, 1) from a zero state; the norm is the
    Frobenius norm of the Jacobian ``dh_T / dh_t`` (p x p), averaged over ``batch_size``
    sequences. Backpropagation through time multiplies these Jacobians (book Sec. 9.3): for a
    simple RNN each factor is ``diag(1 - h^2) W_hh``, so the norm falls geometrically with the
    lag (the vanishing gradient); the LSTM's cell state passes gradients on through ``f_t``
    (Eq. 9.12), so its norms fall more slowly. The cell's weights are used as they are.

    Parameters
    ----------
    cell
        A :class:`SimpleRNNCell`, :class:`LSTMCell` or :class:`GRUCell`.
    n_steps
        Sequence length ``T`` (> 0).
    batch_size
        Number of random sequences (> 0).
    seed
        Seed (>= 0) of the inputs.

    Returns
    -------
    numpy.ndarray
        (n_steps,) float: element ``k - 1`` is the mean ``||dh_T / dh_{T-k}||_F`` at lag ``k``.
    """
    n_steps, batch_size = check_count(n_steps, "n_steps"), check_count(batch_size, "batch_size")
    generator = torch.Generator().manual_seed(check_seed(seed))
    x = torch.randn(batch_size, n_steps, cell.input_size, generator=generator)
    p = cell.hidden_size
    # one copy of every sequence per unit k: the gradient of h_T[k] of copy k is row k of the
    # Jacobian, so a single backward pass yields the whole Jacobian of every sequence
    x = x.repeat_interleave(p, dim=0)
    state = cell.initial_state(x)
    states = [state[0].requires_grad_()]
    for t in range(n_steps):
        state = cell(x[:, t], state)
        states.append(state[0])
    selected = states[-1].gather(1, torch.arange(p).repeat(batch_size)[:, None]).sum()
    gradients = torch.autograd.grad(selected, states[:-1])  # dh_T[k]/dh_t for t = 0 ... T-1
    norms = torch.stack([g.reshape(batch_size, p * p).norm(dim=1).mean() for g in gradients])
    return norms.flip(0).detach().numpy()


def lstm_forecaster(units: Sequence[int] = (16,), *, n_features: int = 1, seed: int = 0) -> nn.Sequential:
    """Stacked LSTMs and a linear output that predict the next value of a series (Ex. 9.1).

    The default is the exercise's network, ``LSTM(16) -> Dense(1)``, 1,169 parameters (one
    bias per gate, as Keras; see the module docstring). The layers run fused
    (:class:`Recurrent`): :class:`LSTMCell`'s equations in torch's kernel. The exercise asks to vary the number
    and size of the LSTM layers: ``units`` lists them, bottom first.

    Parameters
    ----------
    units
        Units of each LSTM layer (at least one).
    n_features
        Features per time step, in and out (> 0).
    seed
        Seed (>= 0) of the initial weights; the global torch random state is left as it was.

    Returns
    -------
    torch.nn.Sequential
        Windows (batch, T, n_features) of any length T -> the next value (batch, n_features).
    """
    units = check_sizes(units, "units", allow_empty=False)
    n_features = check_count(n_features, "n_features")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_seed(seed))
        return nn.Sequential(recurrent_stack("lstm", n_features, units, fused=True), nn.Linear(units[-1], n_features))


def bilstm_classifier(
    n_steps: int = 500, units: Sequence[int] = (32, 64, 10), *, n_features: int = 1, dropout: float = 0.3, seed: int = 0
) -> nn.Sequential:
    """Bidirectional LSTMs over a whole trace, then a sigmoid unit: signal or noise (Ex. 9.2).

    ``BiLSTM(32) -> BiLSTM(64) -> BiLSTM(10)``, each returning all time steps, ``-> Flatten ->
    Dropout(0.3) -> Dense(1, sigmoid)``: 95,873 parameters for the defaults (one bias per
    gate, as Keras); the layers run fused (:class:`Recurrent`). The flattened layer has
    ``n_steps * 2 * units[-1]`` inputs, so the network takes traces of exactly ``n_steps``
    samples. It outputs probabilities: train it with ``torch.nn.BCELoss``.

    Parameters
    ----------
    n_steps
        Samples per trace, ``T`` (> 0).
    units
        Units per direction of each bidirectional LSTM layer (at least one).
    n_features
        Features per time step (> 0).
    dropout
        Dropout rate in [0, 1) before the output unit.
    seed
        Seed (>= 0) of the initial weights; the global torch random state is left as it was.

    Returns
    -------
    torch.nn.Sequential
        Traces (batch, n_steps, n_features) -> probability of a signal (batch, 1).
    """
    n_steps, n_features = check_count(n_steps, "n_steps"), check_count(n_features, "n_features")
    units = check_sizes(units, "units", allow_empty=False)
    dropout = check_rate(dropout, "dropout")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_seed(seed))
        return nn.Sequential(
            recurrent_stack("lstm", n_features, units, bidirectional=True, return_sequences=True, fused=True),
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(n_steps * 2 * units[-1], 1),
            nn.Sigmoid(),
        )


def autoregressive_forecast(model, window: np.ndarray, n_steps: int) -> np.ndarray:
    """Forecast a series ``n_steps`` ahead by feeding each prediction back as input (Ex. 9.1).

    Starting from a true window of ``L`` values, the model predicts the next value; the window
    then drops its oldest value and appends the prediction, and so on. Errors accumulate: after
    the first step the model reads its own output. The loop is
    :func:`dlpbook.data.sine.roll_forecast` (the Keras twin runs it in one TensorFlow graph).

    Parameters
    ----------
    model
        A torch module mapping windows (batch, L, 1) to next values (batch, 1), such as
        :func:`lstm_forecaster`; it is put in evaluation mode.
    window
        The starting window(s), (L,) or (batch, L).
    n_steps
        Number of values to predict (> 0).

    Returns
    -------
    numpy.ndarray
        (n_steps,) or (batch, n_steps) float32, the predictions in time order.
    """
    model.eval()
    with torch.no_grad():
        return roll_forecast(lambda windows: model(torch.from_numpy(windows)).numpy(), window, n_steps)
