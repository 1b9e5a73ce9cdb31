"""Gradient-descent optimisers of book Sec. 4.6-4.8, updating NumPy arrays in place.

Each optimiser keeps one state array per parameter (matched by position) and exposes
``step(params, grads)``. The "standard" forms equal ``torch.optim`` step for step (tested);
Momentum and Adam also have ``form="book"``, the equations exactly as printed (Eq. 4.46-4.49),
whose behaviour differs as documented in each class.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..validation import check_choice, check_non_negative, check_positive, check_rate

_FORMS = ("standard", "book")


class Optimizer:
    """Base class: argument checks and lazily created per-parameter state."""

    def __init__(self, lr: float) -> None:
        self.lr = check_positive(lr, "lr")
        self.t = 0  # number of steps taken
        self._state: list[dict[str, np.ndarray]] | None = None

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every ``params[i]`` in place from ``grads[i]`` (same shapes, same order each call)."""
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} parameters but {len(grads)} gradients")
        for p, g in zip(params, grads):
            if not isinstance(p, np.ndarray):
                raise TypeError(f"parameters must be numpy arrays (updated in place), got {type(p).__name__}")
            if np.shape(p) != np.shape(g):
                raise ValueError(f"parameter shape {np.shape(p)} does not match gradient shape {np.shape(g)}")
        if self._state is None:
            self._state = [{} for _ in params]
        elif len(self._state) != len(params):
            raise ValueError(f"this optimiser was used with {len(self._state)} parameters, now got {len(params)}")
        self.t += 1
        for p, g, state in zip(params, grads, self._state):
            self._update(p, np.asarray(g, dtype=float), state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent, theta <- theta - alpha g (Eq. 4.36, 4.37)."""

    def _update(self, p, g, state):
        p -= self.lr * g


class Momentum(Optimizer):
    """Gradient descent with (Polyak) momentum (Sec. 4.8.3).

    ``form="standard"`` (PyTorch ``SGD(momentum=beta)``, Keras ``SGD(momentum=beta)``):
        v <- beta v - alpha g;  theta <- theta + v
    ``form="book"`` (Eq. 4.46-4.47, an exponential moving average):
        v <- beta v + (1 - beta)(-alpha g);  theta <- theta + v

    The book form is exactly the standard form with the learning rate alpha (1 - beta): the
    same path, ten times slower steps for beta = 0.9.
    """

    def __init__(self, lr: float, beta: float = 0.9, *, form: str = "standard") -> None:
        super().__init__(lr)
        self.beta, self.form = check_rate(beta, "beta"), check_choice(form, "form", _FORMS)

    def _update(self, p, g, state):
        v = state.setdefault("v", np.zeros_like(p))
        scale = 1.0 - self.beta if self.form == "book" else 1.0
        v *= self.beta
        v -= scale * self.lr * g  # Eq. 4.46
        p += v  # Eq. 4.47


class Adagrad(Optimizer):
    """Adagrad (Sec. 4.8.1): nu <- nu + g^2 (Eq. 4.39), theta <- theta - alpha g / (sqrt(nu) + eps) (4.40).

    ``initial_accumulator`` is the starting value of nu (PyTorch: 0, Keras: 0.1).
    """

    def __init__(self, lr: float, eps: float = 1e-8, *, initial_accumulator: float = 0.0) -> None:
        super().__init__(lr)
        self.eps = check_positive(eps, "eps")
        self.initial_accumulator = check_non_negative(initial_accumulator, "initial_accumulator")

    def _update(self, p, g, state):
        nu = state.setdefault("nu", np.full_like(p, self.initial_accumulator))
        nu += g**2  # Eq. 4.39
        p -= self.lr * g / (np.sqrt(nu) + self.eps)  # Eq. 4.40


class RMSprop(Optimizer):
    """RMSprop (Sec. 4.8.2): nu <- beta nu + (1 - beta) g^2 (Eq. 4.41), step as Adagrad (4.42).

    The book's beta = 0.9 is Keras' default ``rho``; PyTorch calls it ``alpha`` (default 0.99).
    """

    def __init__(self, lr: float, beta: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta, self.eps = check_rate(beta, "beta"), check_positive(eps, "eps")

    def _update(self, p, g, state):
        nu = state.setdefault("nu", np.zeros_like(p))
        nu *= self.beta
        nu += (1.0 - self.beta) * g**2  # Eq. 4.41
        p -= self.lr * g / (np.sqrt(nu) + self.eps)  # Eq. 4.42


class Adam(Optimizer):
    """Adam (Sec. 4.8.4) with gamma = 0.9, beta = 0.999 as in the book.

    ``form="standard"`` (Kingma & Ba 2015; PyTorch, Keras): raw moment averages, corrected
    separately at every step,
        m <- gamma m + (1 - gamma) g,    m_hat = m / (1 - gamma^t)
        nu <- beta nu + (1 - beta) g^2,  nu_hat = nu / (1 - beta^t)
        theta <- theta - alpha m_hat / (sqrt(nu_hat) + eps)
    ``form="book"``: Eq. 4.48-4.49 as printed, with the correction *inside* the recursion,
        m_t = [gamma m_{t-1} + (1 - gamma) g] / (1 - gamma^t)
        nu_t = [beta nu_{t-1} + (1 - beta) g^2] / (1 - beta^t)
    so already-corrected values are corrected again. The first step equals the standard one;
    afterwards nu_t is inflated by roughly prod_t 1 / (1 - beta^t), which grows factorially for
    t << 1 / (1 - beta) = 1000, and the steps shrink towards zero.
    """

    def __init__(
        self, lr: float = 1e-3, gamma: float = 0.9, beta: float = 0.999, eps: float = 1e-8, *, form: str = "standard"
    ) -> None:
        super().__init__(lr)
        self.gamma, self.beta = check_rate(gamma, "gamma"), check_rate(beta, "beta")
        self.eps, self.form = check_positive(eps, "eps"), check_choice(form, "form", _FORMS)

    def _update(self, p, g, state):
        m = state.setdefault("m", np.zeros_like(p))
        nu = state.setdefault("nu", np.zeros_like(p))
        m *= self.gamma
        m += (1.0 - self.gamma) * g
        nu *= self.beta
        nu += (1.0 - self.beta) * g**2
        if self.form == "book":
            m /= 1.0 - self.gamma**self.t  # Eq. 4.48: the correction stays in the state
            nu /= 1.0 - self.beta**self.t  # Eq. 4.49
            m_hat, nu_hat = m, nu
        else:
            m_hat = m / (1.0 - self.gamma**self.t)
            nu_hat = nu / (1.0 - self.beta**self.t)
        p -= self.lr * m_hat / (np.sqrt(nu_hat) + self.eps)  # Eq. 4.50-4.51


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}
"""Name -> optimiser class."""
