"""dlpbook.metrics.sculpting: the Jensen-Shannon divergence against SciPy, and sculpting by a cut."""

import numpy as np
import pytest
from scipy.spatial import distance

from dlpbook import metrics
from dlpbook.validation import ParameterError


def test_jensen_shannon_divergence_matches_scipy():
    rng = np.random.default_rng(0)
    p, q = rng.integers(0, 50, 30), rng.integers(0, 50, 30)
    assert metrics.jensen_shannon_divergence(p, q) == pytest.approx(distance.jensenshannon(p, q, base=2) ** 2, rel=1e-10)
    assert metrics.jensen_shannon_divergence(p, 3 * p) == pytest.approx(0.0, abs=1e-15)
    assert metrics.jensen_shannon_divergence([1, 0], [0, 1]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="histograms"):
        metrics.jensen_shannon_divergence([0, 0], [1, 1])
    with pytest.raises(ValueError, match="same length"):
        metrics.jensen_shannon_divergence([1, 2], [1, 2, 3])


def test_a_cut_on_an_independent_score_does_not_sculpt_and_a_correlated_one_does():
    rng = np.random.default_rng(1)
    mass = 20 + rng.exponential(50, 50_000)
    independent, correlated = rng.normal(size=50_000), mass + rng.normal(0, 20, 50_000)
    bins = np.linspace(20, 300, 29)
    assert metrics.sculpting(mass, independent, 0.2, bins) < 0.005  # statistical noise only
    assert metrics.sculpting(mass, correlated, 0.2, bins) > 0.3
    assert metrics.sculpting(mass, correlated, 1.0, bins) == 0.0
    assert metrics.threshold_keeping(np.arange(100.0), 0.25) == pytest.approx(74.25)
    with pytest.raises(ParameterError, match="fraction"):
        metrics.threshold_keeping(np.arange(10.0), 0)
