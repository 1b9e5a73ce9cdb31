"""The tabular regression of the wine exercises (book Ex. 3.2, 4.1, 5.3).

The original exercises regress the integer quality score of 4,898 Portuguese white wines on 11
physico-chemical measurements, from the UCI file ``winequality-white.csv`` (``;``-separated,
one header row). That file cannot ship with dlpbook and cannot be downloaded at build time, so:

- :func:`read_wine_csv` reads the original file format, and :func:`regression_table` uses it
  when ``DLPBOOK_WINE_CSV`` points to a copy;
- otherwise :func:`regression_table` returns the offline substitute: scikit-learn's real
  *diabetes* data (442 patients, 10 baseline measurements, target: a quantitative measure of
  disease progression one year later). It plays the same role: a few hundred to thousands of
  rows of heterogeneous, unscaled measurements and a noisy target that no single feature
  predicts well. Numbers on the pages state which data produced them.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import config
from ..validation import check_int, check_seed

WINE_FEATURES = (
    "fixed acidity",
    "volatile acidity",
    "citric acid",
    "residual sugar",
    "chlorides",
    "free sulfur dioxide",
    "total sulfur dioxide",
    "density",
    "pH",
    "sulphates",
    "alcohol",
)
"""The 11 measurement columns of ``winequality-white.csv``, in file order."""


@dataclass(frozen=True)
class RegressionTable:
    """A table of measurements and one regression target.

    Attributes
    ----------
    features : (n, k) float64
    target : (n,) float64
    feature_names : k names
    target_name : name of the target
    source : one line naming the data (printed on the pages)
    """

    features: np.ndarray
    target: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    source: str

    def split(self, n_train: int, *, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Shuffle the rows with ``seed`` and return ``x_train, y_train, x_test, y_test``."""
        check_seed(seed)
        n_train = check_int(n_train, "n_train", low=1, high=len(self.target) - 1)
        order = np.random.default_rng(seed).permutation(len(self.target))
        train, test = order[:n_train], order[n_train:]
        return self.features[train], self.target[train], self.features[test], self.target[test]


def read_wine_csv(path: str | os.PathLike) -> RegressionTable:
    """Read the UCI wine-quality CSV format (``;``-separated, a header row, 12 columns).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the header or a row does not have the 12 expected numeric columns.
    """
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        header = [name.strip().strip('"') for name in handle.readline().split(";")]
        expected = [*WINE_FEATURES, "quality"]
        if header != expected:
            raise ValueError(f"{path}: header must be {';'.join(expected)}, got {';'.join(header)}")
        try:
            values = np.loadtxt(handle, delimiter=";", ndmin=2)
        except ValueError as error:
            raise ValueError(f"{path}: rows must hold 12 numbers separated by ';' ({error})") from error
    if values.shape[0] == 0 or values.shape[1] != 12:
        raise ValueError(f"{path}: expected rows of 12 numbers, got an array of shape {values.shape}")
    return RegressionTable(values[:, :11], values[:, 11], WINE_FEATURES, "quality", f"wine quality ({path.name})")


def diabetes_table() -> RegressionTable:
    """The offline substitute: scikit-learn's diabetes data, unscaled (442 x 10).

    The two files that ``sklearn.datasets.load_diabetes(scaled=False)`` reads are read here
    directly from scikit-learn's package folder: importing ``sklearn.datasets`` would take about
    a second of CPU (it loads scikit-learn and SciPy), a hundred times longer than reading them.
    """
    folder = Path(importlib.util.find_spec("sklearn").submodule_search_locations[0]) / "datasets" / "data"

    def read(name: str) -> np.ndarray:
        with gzip.open(folder / name, "rt", encoding="ascii") as handle:
            return np.loadtxt(handle, dtype=float)

    names = ("age", "sex", "bmi", "blood pressure", "s1 (tc)", "s2 (ldl)", "s3 (hdl)", "s4 (tch)", "s5 (ltg)", "s6 (glu)")
    return RegressionTable(
        read("diabetes_data_raw.csv.gz"),
        read("diabetes_target.csv.gz"),
        names,
        "disease progression",
        "scikit-learn diabetes data (offline substitute for the wine-quality CSV)",
    )


def regression_table() -> RegressionTable:
    """The wine table if ``DLPBOOK_WINE_CSV`` names a file, else the diabetes substitute."""
    path = config.wine_csv()
    return read_wine_csv(path) if path is not None else diabetes_table()
