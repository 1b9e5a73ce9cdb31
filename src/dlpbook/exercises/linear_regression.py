"""Exercise 3.2: linear regression of the wine quality (or its offline substitute) by least squares.

The model is ``y = x . w`` with one weight per feature and, as in the original exercise, no bias
term and no scaling of the features. The weights minimise ``sum_i (x_i . w - y_i)^2`` (book
Eq. 3.7); setting the gradient to zero gives the normal equations ``X^T X w = X^T y``. The data
come from :func:`dlpbook.data.wine.regression_table`: the UCI white-wine table when the user
provides it (``DLPBOOK_WINE_CSV``), otherwise scikit-learn's diabetes data. The original split
the 4,898 wines into 3,000 for training and 1,898 for testing; the same fraction is used for any
table.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from .. import metrics
from ..data.wine import RegressionTable, regression_table
from .wine_regression import TRAIN_FRACTION


@dataclass(frozen=True)
class LinearRegressionResult:
    """The least-squares solution and its test-set performance.

    Attributes
    ----------
    x_train : (n_train, k) float
    y_train : (n_train,) float
        The training split.
    weights : (k,) float
        One weight per feature (in target units per feature unit).
    feature_correlations : (k,) float
        Pearson correlation of each feature with the target on the training split.
    prediction, target : (n_test,) float
        Predicted and true target values of the test split.
    table : RegressionTable
        The data (its ``source`` names them).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    weights: np.ndarray
    feature_correlations: np.ndarray
    prediction: np.ndarray
    target: np.ndarray
    table: RegressionTable

    @property
    def correlation(self) -> float:
        """Pearson correlation of test predictions and true values."""
        return metrics.pearson_r(self.prediction, self.target)

    @property
    def most_predictive(self) -> str:
        """Name of the feature with the largest absolute correlation with the target."""
        return self.table.feature_names[int(np.argmax(np.abs(self.feature_correlations)))]


def _check_design(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"x must be (n, k) and y (n,), got {x.shape} and {y.shape}")
    if x.shape[0] < x.shape[1]:
        raise ValueError(f"need at least as many rows as features, got {x.shape}")
    return x, y


def feature_correlations(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of every column of ``x`` (n, k) with ``y`` (n,), as a (k,) array."""
    x, y = _check_design(x, y)
    return np.array([metrics.pearson_r(column, y) for column in x.T])


def normal_equation_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares weights without bias from the normal equations ``X^T X w = X^T y`` (Eq. 3.7).

    ``np.linalg.solve`` is used rather than forming the inverse ``(X^T X)^-1``: the result is
    the same, with fewer rounding errors.
    """
    x, y = _check_design(x, y)
    return np.linalg.solve(x.T @ x, x.T @ y)


def intercept_fit_predictions(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray) -> np.ndarray:
    """Test predictions of the least-squares linear function *with* intercept, ``y = x . w + b``.

    The baseline that networks are compared with (Ex. 4.1, 5.3): the features get a constant
    column, and ``np.linalg.lstsq`` solves for ``(w, b)``.

    Parameters
    ----------
    x_train : (n, k) float
    y_train : (n,) float
    x_test : (m, k) float

    Returns
    -------
    (m,) float
    """
    x_train, y_train = _check_design(np.column_stack([x_train, np.ones(len(x_train))]), y_train)
    coefficients = np.linalg.lstsq(x_train, y_train, rcond=None)[0]
    return np.column_stack([x_test, np.ones(len(x_test))]) @ coefficients


def lstsq_weights_torch(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The same least-squares weights from ``torch.linalg.lstsq`` (QR-based, float64)."""
    import torch

    x, y = _check_design(x, y)
    solution = torch.linalg.lstsq(torch.from_numpy(x), torch.from_numpy(y)[:, None]).solution
    return solution[:, 0].numpy()


def lstsq_weights_keras(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The same least-squares weights from ``keras.ops.lstsq`` (float64, on the Keras backend)."""
    from .. import keras_nn

    keras = keras_nn.keras()
    x, y = _check_design(x, y)
    solution = keras.ops.lstsq(keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(y[:, None]))
    return keras.ops.convert_to_numpy(solution)[:, 0]


def solve(table: RegressionTable | None = None, *, seed: int = 0) -> LinearRegressionResult:
    """Split the table (seeded shuffle), fit the weights on the training part, predict the test part."""
    table = table if table is not None else regression_table()
    x_train, y_train, x_test, y_test = table.split(round(TRAIN_FRACTION * len(table.target)), seed=seed)
    weights = normal_equation_weights(x_train, y_train)
    return LinearRegressionResult(
        x_train, y_train, weights, feature_correlations(x_train, y_train), x_test @ weights, y_test, table
    )


def _feature_grid(result: LinearRegressionResult, draw, *, columns: int = 4) -> plt.Figure:
    names = result.table.feature_names
    rows = -(-len(names) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(10.5, 2.7 * rows), squeeze=False)  # legible at page width
    for index, ax in enumerate(axes.flat):
        if index < len(names):
            draw(ax, index, names[index])
        else:
            ax.set_visible(False)
    fig.tight_layout()
    return fig


def plot_distributions(result: LinearRegressionResult) -> plt.Figure:
    """Histograms of all features of the training split, one panel each."""

    def draw(ax, index, name):
        ax.hist(result.x_train[:, index], bins=30, color="tab:blue", alpha=0.8, label=f"{len(result.y_train)} rows")
        ax.set_xlabel(name)
        ax.set_ylabel("entries")
        ax.legend(fontsize="small")

    return _feature_grid(result, draw)


def plot_against_target(result: LinearRegressionResult) -> plt.Figure:
    """Each feature of the training split against the target, with its correlation ``r`` in the legend."""

    def draw(ax, index, name):
        label = f"r = {result.feature_correlations[index]:+.2f}"
        ax.scatter(result.x_train[:, index], result.y_train, s=4, alpha=0.4, color="tab:blue", label=label)
        ax.set_xlabel(name)
        ax.set_ylabel(result.table.target_name)
        ax.legend(fontsize="small", loc="upper right", handletextpad=0.0, handlelength=0)

    return _feature_grid(result, draw)


def plot_prediction(result: LinearRegressionResult) -> plt.Figure:
    """Predicted against true target values of the test split, with the diagonal."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.scatter(result.target, result.prediction, s=8, alpha=0.5, label=f"test split, r = {result.correlation:.2f}")
    low, high = min(result.target.min(), result.prediction.min()), max(result.target.max(), result.prediction.max())
    ax.plot([low, high], [low, high], color="k", lw=1, label="prediction = truth")
    ax.set_xlabel(f"true {result.table.target_name}")
    ax.set_ylabel(f"predicted {result.table.target_name}")
    ax.legend()
    fig.tight_layout()
    return fig
