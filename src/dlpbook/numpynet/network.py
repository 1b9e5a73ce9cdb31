"""A fully-connected network with backpropagation by hand (book Sec. 4.5-4.6, 5.4).

Shapes: a minibatch ``x`` of ``k`` samples is ``(k, n_in)``; a layer holds ``weight (n_out, n_in)``
and ``bias (n_out,)`` and computes ``a = sigma(x W^T + b)`` row by row, i.e. ``sigma(W x + b)``
for each sample (Eq. 3.6). The backward pass applies the chain rule of Eq. 4.29-4.35 layer by
layer, from the gradient of the loss with respect to the network output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..validation import ParameterError, check_choice, check_non_negative, check_rate, check_sizes
from .activations import get_activation
from .initializers import INITIALIZERS


def dropout(a: np.ndarray, rate: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout (Sec. 5.4): zero each entry with probability ``rate``, scale the rest.

    The survivors are divided by ``1 - rate`` so that the expectation of every node is
    unchanged and nothing needs rescaling at inference time.

    Returns
    -------
    dropped : array like ``a``
    mask : array like ``a``, 0 or 1 / (1 - rate); ``dropped = a * mask``
    """
    rate = check_rate(rate, "rate")
    mask = (rng.random(np.shape(a)) >= rate) / (1.0 - rate)
    return a * mask, mask


@dataclass
class Dense:
    """One fully-connected layer a = sigma(W x + b) (Eq. 3.6) with its cached forward values."""

    weight: np.ndarray
    bias: np.ndarray
    activation: str = "relu"
    grad_weight: np.ndarray = field(init=False, repr=False)
    grad_bias: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.weight = np.array(self.weight, dtype=float)
        self.bias = np.array(self.bias, dtype=float)
        if self.weight.ndim != 2 or self.bias.shape != (self.weight.shape[0],):
            raise ValueError(f"weight must be (n_out, n_in) and bias (n_out,), got {self.weight.shape} and {self.bias.shape}")
        self._sigma, self._sigma_prime = get_activation(self.activation)
        self.grad_weight = np.zeros_like(self.weight)
        self.grad_bias = np.zeros_like(self.bias)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """(k, n_in) -> (k, n_out); caches the input and the pre-activation for :meth:`backward`."""
        self._x = x
        self._z = x @ self.weight.T + self.bias  # Eq. 4.25-4.26 for a whole layer
        return self._sigma(self._z)

    def backward(self, grad_a: np.ndarray) -> np.ndarray:
        """Given dL/da (k, n_out), store dL/dW, dL/db and return dL/dx (k, n_in)."""
        grad_z = grad_a * self._sigma_prime(self._z)  # Eq. 4.31: dL/dz = dL/da * sigma'(z)
        self.grad_weight = grad_z.T @ self._x  # Eq. 4.29, summed over the minibatch (4.34)
        self.grad_bias = grad_z.sum(axis=0)  # Eq. 4.30, 4.35
        return grad_z @ self.weight


class Network:
    """A sequence of :class:`Dense` layers with dropout and L1/L2 penalties.

    Parameters
    ----------
    layers : sequence of Dense
    dropout : float
        Inverted-dropout rate applied to the output of every hidden layer in training mode.
    l1, l2 : float
        Penalty strengths lambda of Eq. 5.6 (lambda sum |W|) and Eq. 5.7 (lambda sum W^2);
        they act on the weights only, not on the biases (as Keras' ``kernel_regularizer``).
    rng : numpy.random.Generator, optional
        Source of the dropout masks; required when ``dropout > 0``.
    """

    def __init__(
        self,
        layers: Sequence[Dense],
        *,
        dropout: float = 0.0,
        l1: float = 0.0,
        l2: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> None:
        if not layers:
            raise ValueError("a network needs at least one layer")
        for before, after in zip(layers[:-1], layers[1:]):
            if before.weight.shape[0] != after.weight.shape[1]:
                raise ValueError(f"layer sizes do not chain: {before.weight.shape} then {after.weight.shape}")
        dropout = check_rate(dropout, "dropout")
        l1, l2 = check_non_negative(l1, "l1"), check_non_negative(l2, "l2")
        if dropout > 0 and rng is None:
            raise ValueError("dropout > 0 needs rng=np.random.default_rng(seed)")
        self.layers = list(layers)
        self.dropout, self.l1, self.l2, self.rng = dropout, l1, l2, rng
        self._masks: list[np.ndarray | None] = []

    @classmethod
    def from_sizes(
        cls,
        sizes: Sequence[int],
        *,
        activation: str = "relu",
        output_activation: str = "linear",
        init: str = "he_normal",
        rng: np.random.Generator,
        **kwargs,
    ) -> Network:
        """Build ``sizes[0] -> sizes[1] -> ... -> sizes[-1]`` with zero biases (Sec. 4.3).

        Examples
        --------
        >>> net = Network.from_sizes([11, 50, 1], rng=np.random.default_rng(0))
        """
        sizes = check_sizes(sizes, "sizes")
        if len(sizes) < 2:
            raise ParameterError("sizes", "an input and an output size, at least", sizes)
        check_choice(init, "init", INITIALIZERS)
        layers = [
            Dense(INITIALIZERS[init](n_in, n_out, rng), np.zeros(n_out), activation)
            for n_in, n_out in zip(sizes[:-2], sizes[1:-1])
        ]
        layers.append(Dense(INITIALIZERS[init](sizes[-2], sizes[-1], rng), np.zeros(sizes[-1]), output_activation))
        return cls(layers, rng=rng, **kwargs)

    def forward(self, x: np.ndarray, *, training: bool = False) -> np.ndarray:
        """Network prediction (k, n_out) for inputs (k, n_in); dropout only when ``training``."""
        a = np.asarray(x, dtype=float)
        if a.ndim != 2 or a.shape[1] != self.layers[0].weight.shape[1]:
            raise ValueError(f"x must be (k, {self.layers[0].weight.shape[1]}), got {a.shape}")
        self._masks = []
        for i, layer in enumerate(self.layers):
            a = layer.forward(a)
            mask = None
            if training and self.dropout > 0 and i < len(self.layers) - 1:
                a, mask = dropout(a, self.dropout, self.rng)
            self._masks.append(mask)
        return a

    __call__ = forward

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Backpropagate dL/d(output) (k, n_out) from the last :meth:`forward` call.

        Fills ``layer.grad_weight`` and ``layer.grad_bias`` (including the penalty gradients)
        and returns dL/dx (k, n_in).
        """
        grad = np.asarray(grad_output, dtype=float)
        for layer, mask in zip(reversed(self.layers), reversed(self._masks)):
            if mask is not None:
                grad = grad * mask
            grad = layer.backward(grad)
            layer.grad_weight += self.l1 * np.sign(layer.weight) + 2.0 * self.l2 * layer.weight  # d(5.6), d(5.7)
        return grad

    def penalty(self) -> float:
        """lambda_1 sum |W| + lambda_2 sum W^2 over all weights (Eq. 5.6, 5.7)."""
        return float(sum(self.l1 * np.abs(layer.weight).sum() + self.l2 * (layer.weight**2).sum() for layer in self.layers))

    def parameters(self) -> list[np.ndarray]:
        """[W1, b1, W2, b2, ...], the arrays themselves (optimisers update them in place)."""
        return [p for layer in self.layers for p in (layer.weight, layer.bias)]

    def gradients(self) -> list[np.ndarray]:
        """[dL/dW1, dL/db1, ...] from the last :meth:`backward`, in the order of :meth:`parameters`."""
        return [g for layer in self.layers for g in (layer.grad_weight, layer.grad_bias)]

    def count_parameters(self) -> int:
        return sum(p.size for p in self.parameters())
