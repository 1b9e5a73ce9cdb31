"""Regression measures (book Sec. 7.2): bias, resolution, robust widths, Rayleigh fits, correlation,
and the 68 % resolutions of a shower reconstruction (Ex. 11.1: direction, core, energy).

Framework-free: every function takes NumPy arrays (or anything :func:`numpy.asarray`
accepts) and returns Python floats or NumPy arrays. Residuals are ``prediction - target``,
in the units of the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_float, check_positive
from ._arrays import finite_1d, same_length
from ._binning import bin_edges, bin_index

__all__ = [
    "BinnedResolution",
    "RayleighFit",
    "angular_distance",
    "angular_resolution",
    "bias",
    "binned_resolution",
    "central_interval_half_width",
    "containment_radius",
    "distance_resolution",
    "fit_rayleigh",
    "pearson_r",
    "rayleigh_pdf",
    "relative_resolution",
    "resolution",
]


def _residuals(prediction, target) -> np.ndarray:
    prediction = np.asarray(prediction, dtype=float)
    target = np.asarray(target, dtype=float)
    if prediction.shape != target.shape:
        # refuse to broadcast: (n, 1) - (n,) would silently give an (n, n) matrix
        raise ValueError(f"prediction and target must have the same shape, got {prediction.shape} and {target.shape}")
    if prediction.ndim not in (1, 2) or prediction.shape[0] == 0:
        raise ValueError(f"prediction must have shape (n,) or (n, k) with n > 0, got {prediction.shape}")
    if not (np.all(np.isfinite(prediction)) and np.all(np.isfinite(target))):
        raise ValueError("prediction and target must be finite, got NaN or inf")
    return prediction - target


def _per_column(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def bias(prediction, target) -> float | np.ndarray:
    """Mean residual ``mean(prediction - target)``: the systematic offset of a regression.

    Parameters
    ----------
    prediction, target : (n,) or (n, k) float
        Same shape; for (n, k) every column is treated separately.

    Returns
    -------
    float or (k,) ndarray
        In the units of the target.
    """
    return _per_column(np.mean(_residuals(prediction, target), axis=0))


def resolution(prediction, target) -> float | np.ndarray:
    """Standard deviation of the residuals ``prediction - target`` (population, ``ddof=0``).

    Parameters
    ----------
    prediction, target : (n,) or (n, k) float
        Same shape; for (n, k) every column is treated separately.

    Returns
    -------
    float or (k,) ndarray
        In the units of the target.
    """
    return _per_column(np.std(_residuals(prediction, target), axis=0))


def central_interval_half_width(prediction, target, coverage: float = 0.68) -> float | np.ndarray:
    """Half the width of the central interval holding ``coverage`` of the residuals.

    ``(q[(1 + c) / 2] - q[(1 - c) / 2]) / 2`` of the residuals ``prediction - target``. For
    Gaussian residuals and ``coverage = 0.68`` it equals the standard deviation, but it is
    robust against outliers, so it is a common definition of a resolution in physics.

    Parameters
    ----------
    prediction, target : (n,) or (n, k) float
        Same shape; for (n, k) every column is treated separately.
    coverage : float
        Fraction in (0, 1).
    """
    coverage = check_float(coverage, "coverage", low=0, high=1, low_open=True, high_open=True)
    residual = _residuals(prediction, target)
    low, high = np.quantile(residual, [(1 - coverage) / 2, (1 + coverage) / 2], axis=0)
    return _per_column((high - low) / 2)


@dataclass(frozen=True)
class RayleighFit:
    """Maximum-likelihood Rayleigh fit of distances.

    Attributes
    ----------
    sigma : float
        Scale parameter, in the units of the distances: the standard deviation of each of
        the two Gaussian components.
    sigma_error : float
        Its statistical uncertainty ``sigma / sqrt(4 n)``.
    n : int
        Number of distances.
    """

    sigma: float
    sigma_error: float
    n: int


def fit_rayleigh(distance) -> RayleighFit:
    """Fit a Rayleigh distribution to distances ``d = |r_pred - r_true|`` in a plane.

    If both components of a 2D residual are independent Gaussians with standard deviation
    :math:`\\sigma`, the distance follows :math:`p(d) = d/\\sigma^2 \\exp(-d^2 / 2\\sigma^2)`
    (:func:`rayleigh_pdf`). The maximum-likelihood estimate is
    :math:`\\hat\\sigma = \\sqrt{\\langle d^2 \\rangle / 2}`. The book quotes
    :math:`\\sigma = 0.069` km for the earthquake epicentres of Fig. 7.3b.

    Parameters
    ----------
    distance : (n,) float
        Non-negative distances, e.g. ``np.linalg.norm(pred - true, axis=1)``.

    Returns
    -------
    RayleighFit
    """
    distance = finite_1d("distance", distance)
    if np.any(distance < 0):
        raise ValueError(f"distance must be >= 0, got minimum {distance.min()}")
    sigma = float(np.sqrt(np.mean(distance**2) / 2))
    return RayleighFit(sigma=sigma, sigma_error=sigma / np.sqrt(4 * distance.size), n=int(distance.size))


def rayleigh_pdf(distance, sigma: float) -> np.ndarray:
    """Rayleigh probability density :math:`d/\\sigma^2 \\exp(-d^2 / 2\\sigma^2)` for ``d >= 0``.

    Parameters
    ----------
    distance : array_like float
        Distances (any shape); negative values have density 0.
    sigma : float
        Scale, > 0, in the units of ``distance``.

    Returns
    -------
    ndarray
        Density in 1 / (units of ``distance``), same shape as ``distance``.
    """
    sigma = check_positive(sigma, "sigma")
    d = np.asarray(distance, dtype=float)
    return np.where(d >= 0, d / sigma**2 * np.exp(-(d**2) / (2 * sigma**2)), 0.0)


def pearson_r(x, y) -> float:
    """Pearson correlation coefficient of two samples.

    .. math:: r = \\frac{\\sum_i (x_i - \\bar x)(y_i - \\bar y)}
              {\\sqrt{\\sum_i (x_i - \\bar x)^2 \\sum_i (y_i - \\bar y)^2}}

    Parameters
    ----------
    x, y : (n,) float
        Same length, n >= 2, neither constant.
    """
    x = finite_1d("x", x)
    y = finite_1d("y", y)
    same_length("x", x, "y", y)
    if x.size < 2:
        raise ValueError(f"pearson_r needs at least 2 points, got {x.size}")
    dx, dy = x - x.mean(), y - y.mean()
    norm = np.sqrt(np.sum(dx**2) * np.sum(dy**2))
    if norm == 0:
        raise ValueError("pearson_r is undefined for a constant sample")
    return float(np.sum(dx * dy) / norm)


def _vectors(prediction, target) -> tuple[np.ndarray, np.ndarray]:
    # the residual checks (same shape, finite, non-empty), for (n, k) vectors
    _residuals(prediction, target)
    prediction, target = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
    if prediction.ndim != 2:
        raise ValueError(f"prediction and target must have shape (n, k), got {prediction.shape}")
    return prediction, target


def containment_radius(distance, coverage: float = 0.68) -> float:
    """The ``coverage`` quantile of non-negative distances: the radius holding that fraction.

    The usual resolution of a direction or position reconstruction, ``sigma_68`` for the
    default ``coverage`` (Ex. 11.1's angle and core-distance histograms).

    Parameters
    ----------
    distance : (n,) float
        Distances or angles, >= 0.
    coverage : float
        Fraction in (0, 1).

    Returns
    -------
    float
        In the units of ``distance``.
    """
    coverage = check_float(coverage, "coverage", low=0, high=1, low_open=True, high_open=True)
    distance = finite_1d("distance", distance)
    if np.any(distance < 0):
        raise ValueError(f"distance must be >= 0, got minimum {distance.min()}")
    return float(np.quantile(distance, coverage))


def angular_distance(prediction, target) -> np.ndarray:
    """Angle between predicted and true directions, in degrees.

    ``arccos(u . v / (|u| |v|))``, so the predictions need not be unit vectors (a network's
    output rarely is); computed as ``arctan2(|u x v|, u . v)``, which stays accurate for the
    small angles that matter.

    Parameters
    ----------
    prediction, target : (n, 3) float
        Direction vectors, none of length 0.

    Returns
    -------
    (n,) ndarray
        Angles in [0, 180] degrees.
    """
    prediction, target = _vectors(prediction, target)
    if prediction.shape[1] != 3:
        raise ValueError(f"directions must have shape (n, 3), got {prediction.shape}")
    if np.any(np.linalg.norm(prediction, axis=1) == 0) or np.any(np.linalg.norm(target, axis=1) == 0):
        raise ValueError("directions must not have length 0")
    cross = np.linalg.norm(np.cross(prediction, target), axis=1)
    return np.degrees(np.arctan2(cross, np.sum(prediction * target, axis=1)))


def angular_resolution(prediction, target, coverage: float = 0.68) -> float:
    """Angular resolution: the ``coverage`` quantile of :func:`angular_distance`, in degrees.

    Parameters
    ----------
    prediction, target : (n, 3) float
        Predicted and true directions (e.g. shower axes).
    coverage : float
        Fraction in (0, 1).
    """
    return containment_radius(angular_distance(prediction, target), coverage)


def distance_resolution(prediction, target, coverage: float = 0.68) -> float:
    """Position resolution: the ``coverage`` quantile of ``|r_pred - r_true|``.

    Parameters
    ----------
    prediction, target : (n, k) float
        Predicted and true positions (e.g. shower cores in m).
    coverage : float
        Fraction in (0, 1).

    Returns
    -------
    float
        In the units of the positions.
    """
    prediction, target = _vectors(prediction, target)
    return containment_radius(np.linalg.norm(prediction - target, axis=1), coverage)


def relative_resolution(prediction, target, coverage: float = 0.68) -> float:
    """Relative resolution: :func:`central_interval_half_width` of ``(prediction - target) / target``.

    The energy resolution of Ex. 11.1 (``sigma_E / E``); for Gaussian relative residuals
    and the default ``coverage`` it equals their standard deviation.

    Parameters
    ----------
    prediction, target : (n,) float
        Predicted and true values, ``target`` != 0 (e.g. energies in EeV, not their logarithms).
    coverage : float
        Fraction in (0, 1).

    Returns
    -------
    float
        Dimensionless (0.07 = 7 %).
    """
    prediction, target = finite_1d("prediction", prediction), finite_1d("target", target)
    same_length("prediction", prediction, "target", target)
    if np.any(target == 0):
        raise ValueError("target must not be 0 for a relative resolution")
    return float(central_interval_half_width(prediction / target, np.ones_like(target), coverage))


@dataclass(frozen=True)
class BinnedResolution:
    """Resolution in bins of the true value (:func:`binned_resolution`).

    Attributes
    ----------
    edges : (k + 1,) ndarray
        Bin edges in the units of the target.
    centres : (k,) ndarray
        Bin centres: arithmetic means of the edges, or geometric means for ``log=True``.
    sigma : (k,) ndarray
        Standard deviation of the residuals in each bin (relative residuals for
        ``relative=True``); NaN where a bin holds fewer than two events.
    counts : (k,) int ndarray
        Events per bin.
    """

    edges: np.ndarray
    centres: np.ndarray
    sigma: np.ndarray
    counts: np.ndarray


def binned_resolution(target, prediction, bins=10, *, relative: bool = False, log: bool = False) -> BinnedResolution:
    """Standard deviation of the residuals in bins of the true value, e.g. ``sigma_E / E`` vs ``E``.

    Parameters
    ----------
    target, prediction : (n,) float
        True and predicted values; for ``relative`` or ``log`` the targets must be > 0.
    bins : int or (k + 1,) array
        Number of bins over the range of ``target`` (evenly spaced, or evenly in
        ``log10(target)`` for ``log=True``), or increasing bin edges. Events outside the edges
        are left out.
    relative : bool
        Divide each residual ``prediction - target`` by its ``target``.
    log : bool
        Space a number of bins logarithmically and centre them geometrically.

    Returns
    -------
    BinnedResolution
    """
    target, prediction = finite_1d("target", target), finite_1d("prediction", prediction)
    same_length("target", target, "prediction", prediction)
    if (relative or log) and np.any(target <= 0):
        raise ValueError("target must be > 0 for a relative resolution or logarithmic bins")
    edges = bin_edges(target, bins, log=log)
    which = bin_index(target, edges)
    residual = (prediction - target) / (target if relative else 1.0)
    counts = np.bincount(which[which >= 0], minlength=edges.size - 1)
    sigma = np.array([residual[which == i].std() if counts[i] >= 2 else np.nan for i in range(edges.size - 1)])
    centres = np.sqrt(edges[:-1] * edges[1:]) if log else 0.5 * (edges[:-1] + edges[1:])
    return BinnedResolution(edges, centres, sigma, counts)
