"""A phase transition located by a classifier (book Ex. 7.1, 8.1): the 0.5 crossing of its mean output.

A network trained to tell the ordered phase (label 0, :math:`T < T_c`) from the disordered
phase (label 1) outputs the probability of the disordered phase. Averaged over configurations
at one temperature, this mean output rises from 0 to 1 across the transition; the temperature
where it crosses 0.5 estimates :math:`T_c` (Carrasquilla and Melko, Nature Phys. 13, 431 (2017)).

:func:`binned_mean` averages a quantity per bin of a control parameter (the temperature), with
its standard error; :func:`isotonic_fit` makes a sequence non-decreasing (pool adjacent
violators); :func:`threshold_crossing` interpolates where the monotone fit of binned means
crosses a threshold; :func:`critical_temperature` does all three and estimates the statistical
uncertainty by a bootstrap over the test configurations, or over groups of them (the
configurations of one Markov chain share one temperature and are correlated, so the groups to
resample are the chains).

Framework-free: every function takes NumPy arrays and returns floats or NumPy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_count, check_float, check_seed
from ._arrays import finite_1d, same_length
from ._binning import bin_edges, bin_index

__all__ = ["BinnedMean", "CriticalPoint", "binned_mean", "critical_temperature", "isotonic_fit", "threshold_crossing"]


@dataclass(frozen=True)
class BinnedMean:
    """Means of a quantity in bins of a control parameter :math:`x`.

    Attributes
    ----------
    edges : (n_bins + 1,) float
        Bin edges, increasing; a value ``x`` belongs to bin ``i`` when
        ``edges[i] <= x < edges[i + 1]`` (the last bin includes its upper edge).
    count : (n_bins,) int
        Samples per bin.
    center : (n_bins,) float
        Mean ``x`` of the samples in each bin (NaN for an empty bin).
    mean : (n_bins,) float
        Mean of the quantity per bin (NaN for an empty bin).
    error : (n_bins,) float
        Standard error of ``mean``, ``std / sqrt(count)`` with the sample standard deviation
        (``ddof=1``); for a 0/1 quantity (correct or not) this is the binomial error
        :math:`\\sqrt{p(1-p)/(n-1)}`. NaN for bins with fewer than two samples.
    """

    edges: np.ndarray
    count: np.ndarray
    center: np.ndarray
    mean: np.ndarray
    error: np.ndarray

    @property
    def filled(self) -> np.ndarray:
        """Mask of the bins that hold at least one sample."""
        return self.count > 0


def binned_mean(x, values, bins: int | np.ndarray | None = 20) -> BinnedMean:
    """Mean and standard error of ``values`` in bins of ``x``.

    Parameters
    ----------
    x : (n,) array_like float
        Control parameter of each sample (e.g. the temperature of each configuration).
    values : (n,) array_like float
        The quantity to average (a classifier output, or 1/0 for correct/wrong).
    bins : int, (n_bins + 1,) array_like float or None
        Number of equal bins between ``min(x)`` and ``max(x)``, or the increasing bin edges
        (samples outside them are left out), or ``None`` for one bin per distinct value of ``x``.

    Returns
    -------
    BinnedMean

    Raises
    ------
    ValueError
        If the arrays are not one-dimensional, empty, of different lengths or not finite, or the
        edges are not increasing.
    dlpbook.validation.ParameterError
        If a number of bins is not an integer > 0.
    """
    x, values = finite_1d("x", x), finite_1d("values", values)
    same_length("x", x, "values", values)
    edges = bin_edges(x, bins)
    index = bin_index(x, edges)
    inside = index >= 0
    n_bins = len(edges) - 1
    index, x, values = index[inside], x[inside], values[inside]
    count = np.bincount(index, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        center = np.bincount(index, x, n_bins) / count
        mean = np.bincount(index, values, n_bins) / count
        squares = np.bincount(index, (values - mean[index]) ** 2, n_bins)
        error = np.sqrt(squares / (count - 1) / count)
    error[count < 2] = np.nan
    return BinnedMean(edges, count, center, mean, error)


def isotonic_fit(values, weights=None) -> np.ndarray:
    """The non-decreasing sequence closest to ``values`` in weighted least squares.

    The pool-adjacent-violators algorithm: neighbouring values that fall are replaced by their
    weighted mean until the sequence no longer falls anywhere.

    Parameters
    ----------
    values : (n,) array_like float
        The sequence, in the order of the control parameter.
    weights : (n,) array_like float, optional
        Positive weights (e.g. the samples per bin); equal weights by default.

    Returns
    -------
    (n,) float
        The fitted, non-decreasing values.
    """
    values = finite_1d("values", values)
    weights = np.ones_like(values) if weights is None else finite_1d("weights", weights)
    same_length("values", values, "weights", weights)
    if np.any(weights <= 0):
        raise ValueError("weights must be > 0")
    means, totals, lengths = [], [], []
    for value, weight in zip(values, weights):
        means.append(value)
        totals.append(weight)
        lengths.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            weight = totals[-2] + totals[-1]
            means[-2] = (means[-2] * totals[-2] + means[-1] * totals[-1]) / weight
            totals[-2], lengths[-2] = weight, lengths[-2] + lengths[-1]
            del means[-1], totals[-1], lengths[-1]
    return np.repeat(means, lengths)


def threshold_crossing(x, y, threshold: float = 0.5, *, weights=None) -> float:
    """Where the isotonic (non-decreasing) fit of ``y(x)`` crosses ``threshold``, linearly interpolated.

    The points are sorted by ``x`` and fitted by :func:`isotonic_fit`. The crossing lies between
    the last point of the fit below the threshold and the first point above it, on the straight
    line through the two (a pooled block exactly at the threshold thus gives the point halfway
    along it).

    Parameters
    ----------
    x : (n,) array_like float
        Positions (e.g. the mean temperatures of bins); at least two.
    y : (n,) array_like float
        Values at ``x`` (e.g. the mean classifier outputs), expected to rise with ``x``.
    threshold : float
        The level to cross (0.5: the classifier's decision boundary).
    weights : (n,) array_like float, optional
        Weights of the points in the fit (e.g. the samples per bin).

    Returns
    -------
    float
        The position of the crossing.

    Raises
    ------
    ValueError
        If the fit does not cross the threshold, i.e. it stays on one side of it everywhere.
    """
    x, y = finite_1d("x", x), finite_1d("y", y)
    same_length("x", x, "y", y)
    threshold = check_float(threshold, "threshold")
    order = np.argsort(x, kind="stable")
    w = None
    if weights is not None:
        w = finite_1d("weights", weights)
        same_length("x", x, "weights", w)
        w = w[order]
    x, fit = x[order], isotonic_fit(y[order], w)
    below, above = np.flatnonzero(fit < threshold), np.flatnonzero(fit > threshold)
    if below.size == 0 or above.size == 0:
        raise ValueError(f"the values do not cross {threshold} (fitted range {fit[0]:.3g} to {fit[-1]:.3g})")
    low, high = below[-1], above[0]
    return float(x[low] + (threshold - fit[low]) / (fit[high] - fit[low]) * (x[high] - x[low]))


@dataclass(frozen=True)
class CriticalPoint:
    """A transition temperature estimated by :func:`critical_temperature`.

    Attributes
    ----------
    estimate : float
        Where the binned mean output crosses the threshold.
    error : float
        Standard deviation of the bootstrap estimates (the statistical uncertainty).
    bootstrap : (n_bootstrap,) float
        The estimates from the resampled test sets (NaN where a resample did not cross).
    binned : BinnedMean
        The binned mean output of the full test set.
    """

    estimate: float
    error: float
    bootstrap: np.ndarray
    binned: BinnedMean

    def deviation(self, reference: float) -> float:
        """Relative deviation ``(estimate - reference) / reference``."""
        return (self.estimate - reference) / reference


def _crossing_of_bins(binned: BinnedMean, threshold: float) -> float:
    filled = binned.filled
    return threshold_crossing(binned.center[filled], binned.mean[filled], threshold, weights=binned.count[filled])


def critical_temperature(
    temperature,
    output,
    bins: int | np.ndarray | None = 20,
    *,
    threshold: float = 0.5,
    groups=None,
    n_bootstrap: int = 200,
    seed: int = 0,
) -> CriticalPoint:
    """Estimate a transition temperature from where the mean classifier output crosses ``threshold``.

    The outputs are averaged in temperature bins (:func:`binned_mean`); the bin means, made
    non-decreasing by :func:`isotonic_fit` (weighted by the samples per bin), cross the
    threshold between two bins, and the crossing is interpolated linearly between their mean
    temperatures (:func:`threshold_crossing`). The statistical uncertainty is the standard
    deviation of the same estimate on ``n_bootstrap`` resampled test sets: each resample draws
    as many ``groups`` as there are, with replacement, and keeps all configurations of each
    drawn group.

    Parameters
    ----------
    temperature : (n,) array_like float
        Temperature of each test configuration.
    output : (n,) array_like float
        Classifier output (probability of the high-temperature phase) of each configuration.
    bins : int, array_like float or None
        Number of equal temperature bins over the range of ``temperature``, the bin edges, or
        ``None`` for one bin per distinct temperature. Bins of several chains each average out
        the noise of single chains, and the bootstrap error then matches the spread of the
        estimate between independent test sets (within 10-20 % in the tests); one bin per
        temperature resolves a sharp crossing best, but for a smooth, noisy curve its
        bootstrap error can be a third too small.
    threshold : float
        The output level that marks the transition (0.5).
    groups : (n,) array_like, optional
        Label of the group of each configuration that is resampled as a whole (the Markov
        chain, or its temperature); by default every configuration is its own group.
    n_bootstrap : int
        Number of bootstrap resamples (> 0).
    seed : int
        Seed of the resampling.

    Returns
    -------
    CriticalPoint

    Raises
    ------
    ValueError
        If the arrays do not fit together or the binned mean output does not cross the threshold.
    """
    temperature, output = finite_1d("temperature", temperature), finite_1d("output", output)
    same_length("temperature", temperature, "output", output)
    threshold = check_float(threshold, "threshold")
    n_bootstrap, seed = check_count(n_bootstrap, "n_bootstrap"), check_seed(seed)
    edges = bin_edges(temperature, bins)
    binned = binned_mean(temperature, output, edges)
    estimate = _crossing_of_bins(binned, threshold)

    if groups is None:
        group = np.arange(len(temperature))
    else:
        labels = np.asarray(groups)
        if labels.shape != temperature.shape:
            raise ValueError(f"groups must have the shape of temperature {temperature.shape}, got {labels.shape}")
        group = np.unique(labels, return_inverse=True)[1].reshape(-1)
    n_groups = int(group.max()) + 1
    index = bin_index(temperature, edges)
    inside = index >= 0
    index, group, t, p = index[inside], group[inside], temperature[inside], output[inside]
    n_bins = len(edges) - 1
    rng = np.random.default_rng(seed)
    samples = np.full(n_bootstrap, np.nan)
    for k in range(n_bootstrap):
        # drawing n groups with replacement = a multinomial number of copies of each group
        weight = rng.multinomial(n_groups, np.full(n_groups, 1.0 / n_groups))[group].astype(float)
        count = np.bincount(index, weight, n_bins)
        filled = count > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            center = np.bincount(index, weight * t, n_bins) / count
            mean = np.bincount(index, weight * p, n_bins) / count
        try:
            samples[k] = threshold_crossing(center[filled], mean[filled], threshold, weights=count[filled])
        except ValueError:
            pass
    return CriticalPoint(estimate, float(np.nanstd(samples, ddof=1)), samples, binned)
