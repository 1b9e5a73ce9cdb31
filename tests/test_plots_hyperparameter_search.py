"""Grid against random search on the toy validation score (Fig. 5.7)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from dlpbook.plots import hyperparameter_search as hs  # noqa: E402


def test_toy_score_peaks_in_the_important_parameter():
    a = np.linspace(0, 1, 1001)
    assert a[np.argmax(hs.important_effect(a))] == hs.PEAK
    assert np.ptp(hs.minor_effect(a)) < 0.35 < np.ptp(hs.important_effect(a))
    assert hs.toy_validation_score(hs.PEAK, 0.0) == 1.0


def test_grid_trials_repeat_three_values_of_each_parameter():
    grid = hs.grid_trials(3)
    assert grid.shape == (9, 2)
    np.testing.assert_allclose(np.unique(grid[:, 0]), [1 / 6, 1 / 2, 5 / 6])


def test_comparison_figure_has_three_axes_per_strategy_and_counts_values():
    trials = {"grid search": hs.grid_trials(3), "random search": np.random.default_rng(57).uniform(0, 1, (9, 2))}
    fig = hs.plot_search_comparison(trials, resolution=50)
    assert len(fig.axes) == 6
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0].startswith("grid search: 3 distinct values") and titles[1].startswith("random search: 9 distinct")
    plt.close(fig)
