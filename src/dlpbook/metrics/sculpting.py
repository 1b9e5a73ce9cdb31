"""How much a selection sculpts the distribution of a protected variable (book Sec. 13.2, Ex. 13.1).

A classifier output that depends on a variable ``m`` (a mass) changes the shape of ``m`` in the
background it lets through: a cut on the output *sculpts* the background ``m`` distribution,
often into a peak where the signal sits. The measure used here, as in the DisCo paper
(Kasieczka and Shih, Ref. [140]), is the Jensen-Shannon divergence between the background
histograms of ``m`` before and after the cut, at a fixed fraction of background kept, so that
every classifier is compared at equal statistics.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float
from ._arrays import finite_1d, same_length


def jensen_shannon_divergence(p, q) -> float:
    """``JSD(p, q) = (KL(p || r) + KL(q || r)) / 2`` with ``r = (p + q) / 2``, in bits (between 0 and 1).

    Parameters
    ----------
    p, q : (k,) array_like
        Histograms (counts or weights >= 0) over the same bins; each is normalised to 1.

    Returns
    -------
    float
        0 for equal shapes, 1 for histograms without a common bin. It is the square of
        :func:`scipy.spatial.distance.jensenshannon` with ``base=2``.
    """
    p, q = finite_1d("p", p), finite_1d("q", q)
    same_length("p", p, "q", q)
    if np.any(p < 0) or np.any(q < 0) or p.sum() == 0 or q.sum() == 0:
        raise ValueError("p and q must be histograms: values >= 0, not all 0")
    p, q = p / p.sum(), q / q.sum()
    r = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        filled = a > 0
        return float(np.sum(a[filled] * np.log2(a[filled] / r[filled])))

    return max(0.0, (kl(p) + kl(q)) / 2)


def threshold_keeping(score, fraction: float) -> float:
    """The cut ``score >= threshold`` that keeps ``fraction`` of the events (the upper quantile of ``score``)."""
    score = finite_1d("score", score)
    fraction = check_float(fraction, "fraction", low=0, high=1, low_open=True)
    return float(np.quantile(score, 1 - fraction))


def sculpting(protected, score, fraction: float, bins) -> float:
    """The Jensen-Shannon divergence between the histogram of ``protected`` before and after keeping ``fraction`` of the events.

    Pass the background events only: the cut is the one of :func:`threshold_keeping`, the
    histograms use ``bins`` (a count or edges, as :func:`numpy.histogram`; a count spans the
    range of all events).

    Parameters
    ----------
    protected : (n,) array_like
        The protected variable of the background events, e.g. the mass in GeV.
    score : (n,) array_like
        Their classifier output (larger: more signal-like).
    fraction
        Fraction of the events kept, in (0, 1].
    bins
        Histogram bins.

    Returns
    -------
    float
        In [0, 1]; 0 when the cut leaves the shape unchanged.
    """
    protected, score = finite_1d("protected", protected), finite_1d("score", score)
    same_length("protected", protected, "score", score)
    edges = np.histogram_bin_edges(protected, bins)
    selected = score >= threshold_keeping(score, fraction)
    before, _ = np.histogram(protected, edges)
    after, _ = np.histogram(protected[selected], edges)
    return jensen_shannon_divergence(before, after)
