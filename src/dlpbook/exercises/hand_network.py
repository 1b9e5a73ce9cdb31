"""Exercise 4.1: a network with one hidden layer, written and trained by hand in NumPy.

The network maps ``n_in`` measurements to one number through 50 ReLU nodes,

    y_hat = w_out . ReLU(W x + b) + b_out,

with ``W (50, n_in)``, ``b (50,)``, ``w_out (50,)``, ``b_out (1,)`` drawn from normal
distributions with variance 2 / n (He-like, Eq. 4.9). It is trained sample by sample on the
squared error ``L = (y_hat - y)^2`` with the gradients written out by the chain rule
(Sec. 4.5; Theta is the Heaviside step, the derivative of ReLU):

    dL/db_out = 2 (y_hat - y)
    dL/dw_out = 2 (y_hat - y) ReLU(W x + b)
    dL/db     = 2 (y_hat - y) w_out * Theta(W x + b)
    dL/dW     = outer(dL/db, x)

:func:`train_numpy` is the solution of the exercise; :func:`train_torch` trains the same network
from the same start with the gradients of torch autograd, as a check that the hand-written
gradients are right (both give the same numbers to rounding).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import config
from ..data.wine import RegressionTable
from ..numpynet.activations import relu, relu_derivative
from ..validation import check_count, check_positive, check_seed
from .settings import ProfileSettings


@dataclass(frozen=True)
class HandNetworkSettings(ProfileSettings):
    """Data split and training of Ex. 4.1 (defaults: the original recipe on the wine table).

    Attributes
    ----------
    n_train : int
        Training rows; the rest of the table is the test split.
    standardize : bool
        Scale inputs and target to mean 0 and standard deviation 1 with training statistics.
    n_hidden : int
        ReLU nodes of the hidden layer.
    lr : float
        Learning rate of the per-sample gradient descent.
    epochs : int
    seed : int
        Seed of the split, the initial weights and the order of the samples.
    """

    n_train: int = 3000
    standardize: bool = False
    n_hidden: int = 50
    lr: float = 5e-5
    epochs: int = 50
    seed: int = 0

    def __post_init__(self):
        check_count(self.n_train, "n_train")
        check_count(self.n_hidden, "n_hidden")
        check_positive(self.lr, "lr")
        check_count(self.epochs, "epochs")
        check_seed(self.seed)

    @classmethod
    def profiles(cls) -> dict[str, HandNetworkSettings]:
        """10 epochs (``quick``) or the original's 50 (``full``), on the data that are present.

        With the wine file (``DLPBOOK_WINE_CSV``) the original recipe: 3000 training rows, raw
        inputs, learning rate 5e-5. With the offline substitute (442 rows whose columns differ
        in scale by orders of magnitude): 300 training rows, standardised, learning rate 1e-3.
        """
        data = cls() if config.wine_csv() is not None else cls(n_train=300, standardize=True, lr=1e-3)
        return {"quick": data.replace(epochs=10), "full": data.replace(epochs=50)}


@dataclass
class HandNetwork:
    """Parameters of the 11 -> 50 -> 1 network (any n_in, n_hidden)."""

    w: np.ndarray  # (n_hidden, n_in)
    b: np.ndarray  # (n_hidden,)
    w_out: np.ndarray  # (n_hidden,)
    b_out: np.ndarray  # (1,)

    @classmethod
    def initialise(cls, n_in: int, n_hidden: int = 50, *, rng: np.random.Generator) -> HandNetwork:
        """Draw W, b ~ N(0, 2 / n_in), w_out ~ N(0, 2 / n_hidden), b_out ~ N(0, 1)."""
        n_in, n_hidden = check_count(n_in, "n_in"), check_count(n_hidden, "n_hidden")
        return cls(
            w=rng.normal(0, np.sqrt(2 / n_in), (n_hidden, n_in)),
            b=rng.normal(0, np.sqrt(2 / n_in), n_hidden),
            w_out=rng.normal(0, np.sqrt(2 / n_hidden), n_hidden),
            b_out=rng.normal(0, 1, 1),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Forward pass for a batch x (k, n_in) -> y_hat (k,)."""
        return relu(x @ self.w.T + self.b) @ self.w_out + self.b_out[0]

    def gradients(self, x: np.ndarray, y: float) -> dict[str, np.ndarray]:
        """dL/dparameter of L = (y_hat - y)^2 for one sample x (n_in,), by the chain rule."""
        z = self.w @ x + self.b  # hidden pre-activations (n_hidden,)
        y_hat = self.w_out @ relu(z) + self.b_out[0]
        dl_dy = 2.0 * (y_hat - y)
        dl_db = dl_dy * self.w_out * relu_derivative(z)
        return {"w": np.outer(dl_db, x), "b": dl_db, "w_out": dl_dy * relu(z), "b_out": np.array([dl_dy])}

    def sgd_step(self, x: np.ndarray, y: float, lr: float) -> None:
        """One gradient-descent update on one sample, in place (Eq. 4.36-4.37)."""
        for name, grad in self.gradients(x, y).items():
            getattr(self, name)[...] -= lr * grad


@dataclass(frozen=True)
class HandTrainingResult:
    """Losses per epoch (index 0 = before training) and the final test predictions."""

    train_mse: list[float]
    test_mse: list[float]
    prediction: np.ndarray  # (n_test,)
    target: np.ndarray  # (n_test,)

    @property
    def correlation(self) -> float:
        """Pearson correlation of test predictions and true values."""
        return float(np.corrcoef(self.prediction, self.target)[0, 1])


def prepare_data(table: RegressionTable, settings: HandNetworkSettings):
    """Split a table and optionally standardise inputs and target with training statistics (Eq. 4.2).

    Returns ``x_train, y_train, x_test, y_test, y_scale``; a mean squared error computed on the
    (standardised) target times ``y_scale**2`` is in the units of the original target.
    """
    x_train, y_train, x_test, y_test = table.split(settings.n_train, seed=settings.seed)
    y_scale = 1.0
    if settings.standardize:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
        y_mean, y_std = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - y_mean) / y_std, (y_test - y_mean) / y_std
        y_scale = float(y_std)
    return x_train, y_train, x_test, y_test, y_scale


def _check_shapes(x_train, y_train):
    if x_train.ndim != 2 or y_train.shape != (len(x_train),):
        raise ValueError(f"x_train must be (n, n_in) and y_train (n,), got {x_train.shape} and {y_train.shape}")


def train_numpy(x_train, y_train, x_test, y_test, settings: HandNetworkSettings) -> HandTrainingResult:
    """Per-sample SGD of :class:`HandNetwork` with the hand-written gradients."""
    _check_shapes(x_train, y_train)
    lr = settings.lr
    rng = np.random.default_rng(settings.seed)
    net = HandNetwork.initialise(x_train.shape[1], settings.n_hidden, rng=rng)

    def mse(x: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean((net.predict(x) - y) ** 2))

    train_mse, test_mse = [mse(x_train, y_train)], [mse(x_test, y_test)]
    for _ in range(settings.epochs):
        for i in rng.permutation(len(x_train)):
            net.sgd_step(x_train[i], y_train[i], lr)
        train_mse.append(mse(x_train, y_train))
        test_mse.append(mse(x_test, y_test))
    return HandTrainingResult(train_mse, test_mse, net.predict(x_test), np.asarray(y_test, dtype=float))


def train_torch(x_train, y_train, x_test, y_test, settings: HandNetworkSettings) -> HandTrainingResult:
    """The same network, start and sample order, with the gradients from torch autograd (float64)."""
    import torch

    _check_shapes(x_train, y_train)
    lr = settings.lr
    rng = np.random.default_rng(settings.seed)
    start = HandNetwork.initialise(x_train.shape[1], settings.n_hidden, rng=rng)
    w, b, w_out, b_out = (torch.tensor(p, requires_grad=True) for p in (start.w, start.b, start.w_out, start.b_out))
    params = (w, b, w_out, b_out)
    x_tr, y_tr, x_te, y_te = (torch.as_tensor(np.asarray(a, dtype=float)) for a in (x_train, y_train, x_test, y_test))

    def predict(x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x @ w.T + b) @ w_out + b_out

    def mse(x, y) -> float:
        with torch.no_grad():
            return float(((predict(x) - y) ** 2).mean())

    train_mse, test_mse = [mse(x_tr, y_tr)], [mse(x_te, y_te)]
    for _ in range(settings.epochs):
        for i in rng.permutation(len(x_train)):
            loss = (predict(x_tr[i]) - y_tr[i]) ** 2
            grads = torch.autograd.grad(loss.sum(), params)
            with torch.no_grad():
                for p, g in zip(params, grads):
                    p -= lr * g
        train_mse.append(mse(x_tr, y_tr))
        test_mse.append(mse(x_te, y_te))
    with torch.no_grad():
        prediction = predict(x_te).numpy()
    return HandTrainingResult(train_mse, test_mse, prediction, np.asarray(y_test, dtype=float))
