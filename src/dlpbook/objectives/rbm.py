"""A restricted Boltzmann machine with binary units (book Sec. 14.6, Eqs. 14.41, 14.42).

The energy of visible units ``x`` and hidden units ``h`` (all 0 or 1) is

    ``E(x, h) = -a . x - b . h - x^T W h``                     (Eq. 14.41)

and ``p(x) = sum_h exp(-E(x, h)) / Z`` (Eq. 14.42). Summing out the hidden units gives the
free energy ``F(x) = -a . x - sum_j softplus(b_j + (x^T W)_j)``, so ``p(x) = exp(-F(x)) / Z``.
With no connections inside a layer, the units of one layer are independent given the other:
``p(h_j = 1 | x) = sigmoid(b_j + (x^T W)_j)`` and ``p(x_i = 1 | h) = sigmoid(a_i + (W h)_i)``,
which makes block Gibbs sampling (:meth:`RBM.gibbs_step`) cheap; the same ``W`` serves both
directions.

Training maximises the likelihood, whose gradient is ``<x h^T>_data - <x h^T>_model``. Contrastive
divergence CD-k (Hinton, Ref. [150]) replaces the model average by samples after ``k`` Gibbs
steps started at the data: the gradient of :meth:`RBM.contrastive_divergence`, ``mean F(data) -
mean F(samples)`` with the samples held fixed, is exactly that estimate. :func:`train_rbm` runs
it; when one layer has few units :meth:`RBM.log_partition` enumerates ``Z`` exactly, so the
likelihood can be checked (:meth:`RBM.log_likelihood`).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..history import History
from ..train import EpochLoop, shuffled_batches
from ..validation import ParameterError, check_count, check_positive, check_seed

MAX_ENUMERATED_UNITS = 20
"""Most units of the smaller layer for the exact partition function (``2^20`` states)."""


def _all_states(n: int, dtype: torch.dtype) -> torch.Tensor:
    """The ``2^n`` binary states of ``n`` units, (2^n, n), by binary counting (first unit highest)."""
    bits = torch.arange(n - 1, -1, -1)
    return ((torch.arange(2**n)[:, None] >> bits) & 1).to(dtype)


class RBM(nn.Module):
    """A binary restricted Boltzmann machine with weights ``W``, visible biases ``a``, hidden biases ``b``.

    Parameters
    ----------
    n_visible, n_hidden
        Numbers of units (> 0).
    seed
        Seed of the initial weights, ``N(0, 0.01^2)`` (biases 0), as in Hinton's guide.
    """

    def __init__(self, n_visible: int, n_hidden: int, *, seed: int = 0):
        super().__init__()
        n_visible, n_hidden = check_count(n_visible, "n_visible"), check_count(n_hidden, "n_hidden")
        generator = torch.Generator().manual_seed(check_seed(seed))
        self.weight = nn.Parameter(0.01 * torch.randn(n_visible, n_hidden, generator=generator, dtype=torch.float64))
        self.visible_bias = nn.Parameter(torch.zeros(n_visible, dtype=torch.float64))
        self.hidden_bias = nn.Parameter(torch.zeros(n_hidden, dtype=torch.float64))

    def energy(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """``E(x, h) = -a . x - b . h - x^T W h`` (Eq. 14.41), one value per sample."""
        return -(x @ self.visible_bias) - (h @ self.hidden_bias) - ((x @ self.weight) * h).sum(-1)

    def free_energy(self, x: torch.Tensor) -> torch.Tensor:
        """``F(x) = -ln sum_h exp(-E(x, h)) = -a . x - sum_j softplus(b_j + (x^T W)_j)``."""
        return -(x @ self.visible_bias) - nn.functional.softplus(x @ self.weight + self.hidden_bias).sum(-1)

    def hidden_probability(self, x: torch.Tensor) -> torch.Tensor:
        """``p(h_j = 1 | x) = sigmoid(b_j + (x^T W)_j)``."""
        return torch.sigmoid(x @ self.weight + self.hidden_bias)

    def visible_probability(self, h: torch.Tensor) -> torch.Tensor:
        """``p(x_i = 1 | h) = sigmoid(a_i + (W h)_i)``: the same ``W``, transposed."""
        return torch.sigmoid(h @ self.weight.T + self.visible_bias)

    @torch.no_grad()
    def gibbs_step(self, x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """One block Gibbs step ``x -> h ~ p(h | x) -> x' ~ p(x | h)``; returns ``x'``."""
        h = torch.bernoulli(self.hidden_probability(x), generator=generator)
        return torch.bernoulli(self.visible_probability(h), generator=generator)

    @torch.no_grad()
    def sample(self, x: torch.Tensor, k: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """The chains started at ``x`` after ``k`` Gibbs steps (> 0)."""
        for _ in range(check_count(k, "k")):
            x = self.gibbs_step(x, generator)
        return x

    def contrastive_divergence(self, x: torch.Tensor, k: int = 1, generator: torch.Generator | None = None) -> torch.Tensor:
        """The CD-k surrogate ``mean F(x) - mean F(x_k)``, ``x_k`` after ``k`` Gibbs steps from ``x``.

        Its gradient is the CD-k estimate of the negative log-likelihood gradient,
        ``-(<x h^T>_data - <x h^T>_k)`` for ``W`` and likewise for the biases; the value itself
        is no likelihood.
        """
        return self.free_energy(x).mean() - self.free_energy(self.sample(x, k, generator)).mean()

    def log_partition(self) -> torch.Tensor:
        """``ln Z``, exact, by enumerating all states of the smaller layer.

        Summing out the hidden units leaves ``Z = sum_x exp(-F(x))`` over ``2^n_visible`` states;
        summing out the visible units instead leaves ``Z = sum_h exp(b . h + sum_i softplus(a_i +
        (W h)_i))`` over ``2^n_hidden`` states. Both are the same number; the shorter sum is taken
        (the Ising RBM of chapter 14: 256 hidden states instead of 65,536 visible ones).
        """
        n_visible, n_hidden = self.weight.shape
        if min(n_visible, n_hidden) > MAX_ENUMERATED_UNITS:
            raise ParameterError("n_visible and n_hidden", f"at most {MAX_ENUMERATED_UNITS} units in one of them for "
                                 "an exact partition function", (n_visible, n_hidden))
        if n_visible <= n_hidden:
            return torch.logsumexp(-self.free_energy(_all_states(n_visible, self.weight.dtype)), dim=0)
        h = _all_states(n_hidden, self.weight.dtype)
        visible = nn.functional.softplus(h @ self.weight.T + self.visible_bias).sum(-1)
        return torch.logsumexp(h @ self.hidden_bias + visible, dim=0)

    def log_likelihood(self, x: torch.Tensor) -> torch.Tensor:
        """``ln p(x) = -F(x) - ln Z`` (Eq. 14.42), exact; one value per sample."""
        return -self.free_energy(x) - self.log_partition()


def _binary(data) -> torch.Tensor:
    x = torch.as_tensor(np.asarray(data, dtype=float))
    if x.ndim != 2 or len(x) == 0 or not torch.all((x == 0) | (x == 1)):
        raise ParameterError("data", "a non-empty (samples, units) array of 0 and 1", data)
    return x


def train_rbm(
    data,
    n_hidden: int,
    *,
    k: int = 1,
    epochs: int = 50,
    batch_size: int = 16,
    learning_rate: float = 0.1,
    seed: int = 0,
    exact_likelihood: bool = False,
    progress: bool | None = False,
) -> tuple[RBM, History]:
    """Train an :class:`RBM` with contrastive divergence CD-k and stochastic gradient descent.

    Parameters
    ----------
    data
        Binary samples ``(samples, n_visible)``.
    n_hidden
        Hidden units (> 0).
    k
        Gibbs steps per update (> 0).
    epochs, batch_size, learning_rate
        Plain SGD on the CD-k gradient.
    seed
        Seeds the initial weights, the minibatch order and the Gibbs chains.
    exact_likelihood
        Also record ``log_likelihood``, the exact mean ``ln p(x)`` of the data after each epoch
        (:meth:`RBM.log_likelihood`; at most :data:`MAX_ENUMERATED_UNITS` visible or hidden units).
    progress
        Progress bar.

    Returns
    -------
    (RBM, History)
        ``free_energy``: the mean free energy of the data after each epoch (lower is more probable,
        up to ``ln Z``), ``cd_loss``: the CD-k surrogate averaged over the epoch, and with
        ``exact_likelihood`` ``log_likelihood`` (nats per sample).
    """
    x = _binary(data)
    seed, k = check_seed(seed), check_count(k, "k")
    batch_size, learning_rate = check_count(batch_size, "batch_size"), check_positive(learning_rate, "learning_rate")
    if exact_likelihood and min(x.shape[1], n_hidden) > MAX_ENUMERATED_UNITS:
        raise ParameterError("data", f"at most {MAX_ENUMERATED_UNITS} units (or hidden units) for an exact likelihood",
                             x.shape[1])
    model = RBM(x.shape[1], n_hidden, seed=seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    generator = torch.Generator().manual_seed(seed)
    loop = EpochLoop(epochs, -(-len(x) // batch_size), model=model, optimizer=optimizer, progress=progress)
    for _ in loop:
        total = 0.0
        for index in shuffled_batches(len(x), batch_size, generator):
            optimizer.zero_grad()
            loss = model.contrastive_divergence(x[index], k, generator)
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(index)
            loop.batch_done()
        with torch.no_grad():
            values = {"cd_loss": total / len(x), "free_energy": float(model.free_energy(x).mean())}
            if exact_likelihood:
                values["log_likelihood"] = float(model.log_likelihood(x).mean())
            loop.end_epoch(values)
    return model, loop.history
