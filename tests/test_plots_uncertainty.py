"""dlpbook.plots.uncertainty and dlpbook.plots.decorrelation: what each figure draws, and its argument checks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlpbook.metrics import threshold_keeping
from dlpbook.plots import decorrelation, uncertainty


def test_bands_are_one_sigma_wide():
    grid = np.linspace(-1, 1, 11)
    ax = uncertainty.plot_uncertainty_bands(grid, grid, np.full(11, 0.09), np.full(11, 0.16), truth=grid, ax=plt.figure().gca())
    total, epistemic = (collection.get_paths()[0].vertices[:, 1] for collection in ax.collections)
    assert total.max() == pytest.approx(1 + 0.5) and total.min() == pytest.approx(-1 - 0.5)  # sqrt(0.09 + 0.16)
    assert epistemic.max() == pytest.approx(1 + 0.4)
    assert ax.get_xlabel() == "$x$"
    with pytest.raises(ValueError, match="variances"):
        uncertainty.plot_uncertainty_bands(grid, grid, -np.ones(11), np.ones(11))
    with pytest.raises(ValueError, match="equally long"):
        uncertainty.plot_uncertainty_bands(grid, grid[:5], np.ones(11), np.ones(11))
    plt.close("all")


def test_widths_are_the_square_roots_of_the_variances():
    grid = np.linspace(0, 1, 5)
    ax = uncertainty.plot_uncertainty_widths(grid, np.full(5, 4.0), np.full(5, 9.0), noise=np.ones(5), x_train=[0.5],
                                             ax=plt.figure().gca())
    assert np.allclose(ax.lines[0].get_ydata(), 2) and np.allclose(ax.lines[1].get_ydata(), 3)
    plt.close("all")


def test_adversarial_example_shows_both_inputs_and_the_change():
    image = np.zeros((4, 4))
    image[1, 2] = 1.0
    adversarial = np.clip(image + 0.1 * np.sign(np.arange(16).reshape(4, 4) - 7.5), 0, 1)
    fig = uncertainty.plot_adversarial_example(image, adversarial, [0.9, 0.1], [0.2, 0.8], class_names=["a", "b"])
    panels = [ax for ax in fig.axes if ax.get_images()]
    assert len(panels) == 3
    np.testing.assert_allclose(panels[1].get_images()[0].get_array(), adversarial - image)
    assert "a 0.90, b 0.10" in panels[0].get_title() and "a 0.20, b 0.80" in panels[2].get_title()
    with pytest.raises(ValueError, match="equal 2D"):
        uncertainty.plot_adversarial_example(image, adversarial[:2], [1, 0], [1, 0], class_names=["a", "b"])
    with pytest.raises(ValueError, match="one probability per class"):
        uncertainty.plot_adversarial_example(image, adversarial, [1, 0, 0], [1, 0], class_names=["a", "b"])
    plt.close("all")


def test_accuracy_curves_one_per_attack():
    ax = uncertainty.plot_accuracy_vs_epsilon([0, 0.1], {"FGSM": [0.9, 0.5], "PGD": [0.9, 0.3]}, chance=0.5,
                                              ax=plt.figure().gca())
    assert [line.get_label() for line in ax.lines] == ["FGSM", "PGD", "guessing"]
    with pytest.raises(ValueError, match="FGSM has 1 accuracies"):
        uncertainty.plot_accuracy_vs_epsilon([0, 0.1], {"FGSM": [0.9]})
    plt.close("all")


def test_scatter_matrix_has_a_panel_per_pair():
    rng = np.random.default_rng(0)
    x, label = rng.normal(size=(200, 3)), rng.integers(0, 2, 200)
    fig = decorrelation.plot_scatter_matrix(x, label, ["a (GeV)", "b", "c"], max_points=50)
    assert len(fig.axes) == 9
    assert fig.axes[6].get_xlabel() == "a (GeV)" and fig.axes[3].get_ylabel() == "b"
    assert len(fig.axes[1].lines[0].get_xdata()) == 50  # at most max_points per class
    with pytest.raises(ValueError, match="names"):
        decorrelation.plot_scatter_matrix(x, label, ["a", "b"])
    plt.close("all")


def test_sculpting_histograms_keep_the_requested_fractions():
    rng = np.random.default_rng(1)
    mass = rng.exponential(50, 1000) + 20
    score = mass + rng.normal(0, 10, 1000)
    ax = decorrelation.plot_sculpting(mass, score, [0.5, 0.1], bins=20, ax=plt.figure().gca())
    assert [patch.get_label() for patch in ax.patches] == ["all background", "50% kept", "10% kept"]
    assert (score >= threshold_keeping(score, 0.1)).sum() == 100
    assert ax.get_xlabel() == "feature 0, $m$ (GeV)" and ax.get_ylabel() == "normalised density (1/GeV)"
    with pytest.raises(ValueError, match="equally long"):
        decorrelation.plot_sculpting(mass, score[:10], [0.5], bins=20)
    plt.close("all")
