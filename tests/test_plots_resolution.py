import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlpbook.plots import resolution


def test_residual_histogram_reports_bias_and_resolution():
    rng = np.random.default_rng(0)
    target = rng.uniform(0, 10, 5000)
    ax = resolution.plot_residuals(target + 0.5 + rng.normal(0, 2, 5000), target, ax=plt.figure().gca(), unit="EeV")
    text = ax.get_legend().get_texts()[0].get_text()
    bias, std = (float(line.split()[1]) for line in text.splitlines()[:2])
    assert bias == pytest.approx(0.5, abs=0.1) and std == pytest.approx(2.0, rel=0.05)
    assert ax.get_xlabel() == "prediction - truth (EeV)"


def test_distance_histogram_overlays_the_rayleigh_fit():
    rng = np.random.default_rng(1)
    distance = np.linalg.norm(rng.normal(0, 0.069, (4000, 2)), axis=1)
    ax = resolution.plot_distance_resolution(distance, ax=plt.figure().gca())
    curve = ax.lines[0]
    sigma = float(re.search(r"= ([0-9.]+)", curve.get_label()).group(1))
    assert sigma == pytest.approx(0.069, abs=3 * 0.069 / np.sqrt(4 * 4000))
    # the fitted density, scaled to counts, integrates to about the number of events
    x, y = curve.get_xdata(), curve.get_ydata()
    width = (distance.max() - distance.min()) / 50
    assert np.trapezoid(y, x) / width == pytest.approx(4000, rel=0.02)


def test_resolution_vs_truth_bins_the_spread():
    rng = np.random.default_rng(2)
    energy = rng.uniform(3, 100, 20_000)
    reconstructed = energy * (1 + rng.normal(0, 0.1, energy.size))
    ax = resolution.plot_resolution_vs(energy, reconstructed, bins=5, ax=plt.figure().gca(), relative=True, unit="EeV", name="E")
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 0.1, rtol=0.06)
    assert len(ax.lines[0].get_xdata()) == 5 and ax.get_ylabel() == "relative resolution"
    with pytest.raises(ValueError, match="differ in shape"):
        resolution.plot_resolution_vs(energy, reconstructed[:10])
