"""A from-scratch neural network in NumPy (book chapter 4): no framework, every gradient by hand.

- :mod:`~dlpbook.numpynet.activations`: ReLU, leaky ReLU, sigmoid, tanh, ELU, SELU and derivatives.
- :mod:`~dlpbook.numpynet.losses`: MSE, softmax, one-hot, cross-entropy (Sec. 4.4) and gradients.
- :mod:`~dlpbook.numpynet.initializers`: Glorot and He initialisation (Sec. 4.3).
- :mod:`~dlpbook.numpynet.network`: Dense layers, backpropagation, dropout, L1/L2 (Sec. 4.5, 5.4).
- :mod:`~dlpbook.numpynet.optimizers`: SGD, momentum, Adagrad, RMSprop, Adam (Sec. 4.6-4.8).
- :mod:`~dlpbook.numpynet.single_node`: the computational graph of Fig. 4.2 (Example 4.4).
- :mod:`~dlpbook.numpynet.surfaces`: 2D test surfaces and optimiser paths (Fig. 4.3, 4.6).
"""

from .activations import ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, get_activation
from .initializers import INITIALIZERS, glorot_normal, glorot_uniform, he_normal, he_uniform, zeros
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    categorical_cross_entropy,
    cross_entropy_from_logits,
    log_softmax,
    mse,
    mse_gradient,
    one_hot,
    softmax,
    softmax_cross_entropy_gradient,
)
from .network import Dense, Network, dropout
from .optimizers import OPTIMIZERS, SGD, Adagrad, Adam, Momentum, Optimizer, RMSprop
from .single_node import SingleNodeGraph, single_node_graph, single_node_loss
from .surfaces import beale, descend, elongated_valley, rosenbrock

__all__ = [
    "ACTIVATIONS", "INITIALIZERS", "OPTIMIZERS", "SELU_ALPHA", "SELU_LAMBDA",
    "SGD", "Adagrad", "Adam", "Dense", "Momentum", "Network", "Optimizer", "RMSprop", "SingleNodeGraph",
    "beale", "binary_cross_entropy", "binary_cross_entropy_gradient", "categorical_cross_entropy",
    "cross_entropy_from_logits", "descend", "dropout", "elongated_valley", "get_activation",
    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "log_softmax", "mse", "mse_gradient",
    "one_hot", "rosenbrock", "single_node_graph", "single_node_loss", "softmax",
    "softmax_cross_entropy_gradient", "zeros",
]
