"""Activation functions and their derivatives (book Sec. 3.2, 5.5 and 7.7, Fig. 5.8).

Every function maps an array of pre-activations ``z`` element-wise to ``sigma(z)``; every
``*_derivative`` returns ``d sigma / d z`` evaluated at the same ``z`` (not at ``sigma(z)``), which
is what backpropagation needs (Eq. 4.31). At the kink of ReLU-like functions (``z = 0``) the
derivative of the left branch is used, as in PyTorch and TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import check_choice

SELU_ALPHA = 1.6732632423543772
"""SELU's alpha (Eq. 7.21; the book rounds it to 1.6733)."""
SELU_LAMBDA = 1.0507009873554805
"""SELU's lambda (Eq. 7.22; the book rounds it to 1.0507)."""


def linear(z: np.ndarray) -> np.ndarray:
    """Identity, the output activation of regression networks."""
    return np.asarray(z, dtype=float)


def linear_derivative(z: np.ndarray) -> np.ndarray:
    return np.ones_like(z, dtype=float)


def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit, max(0, z) (Fig. 3.3)."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """Heaviside step Theta(z), with Theta(0) = 0."""
    return (np.asarray(z) > 0).astype(float)


def leaky_relu(z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """z for z > 0, alpha z otherwise (Fig. 5.8b)."""
    return np.where(z > 0, z, alpha * np.asarray(z, dtype=float))


def leaky_relu_derivative(z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    return np.where(np.asarray(z) > 0, 1.0, alpha)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-z)), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent (Fig. 3.3)."""
    return np.tanh(z)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


def elu(z: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Exponential linear unit: z for z > 0, alpha (e^z - 1) otherwise (Fig. 5.8e)."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_derivative(z: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def selu(z: np.ndarray) -> np.ndarray:
    """Scaled ELU, lambda * ELU_alpha(z) (Eq. 7.20-7.22, Fig. 5.8f)."""
    return SELU_LAMBDA * elu(z, SELU_ALPHA)


def selu_derivative(z: np.ndarray) -> np.ndarray:
    return SELU_LAMBDA * elu_derivative(z, SELU_ALPHA)


ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "linear": (linear, linear_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "elu": (elu, elu_derivative),
    "selu": (selu, selu_derivative),
}
"""Name -> (function, derivative) with default parameters (leaky ReLU alpha = 0.01, ELU alpha = 1)."""


def get_activation(name: str) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """Look up ``(function, derivative)`` by name; raise ``ValueError`` for unknown names."""
    return ACTIVATIONS[check_choice(name, "activation", ACTIVATIONS)]
