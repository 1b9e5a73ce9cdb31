"""dlpbook.plots.heatmaps: grids of signed maps on scales centred at zero."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlpbook.plots.heatmaps import DIVERGING, plot_heatmaps  # noqa: E402
from dlpbook.validation import ParameterError  # noqa: E402


def maps(rows=2, columns=3):
    return np.random.default_rng(0).normal(size=(rows, columns, 5, 5)) * np.arange(1, columns + 1)[None, :, None, None]


def test_every_panel_is_centred_at_zero_on_its_own_scale():
    heat = maps()
    fig = plot_heatmaps(heat, titles=[[f"{r}{c}" for c in range(3)] for r in range(2)])
    for ax, panel in zip(fig.axes, heat.reshape(6, 5, 5)):
        image = ax.images[-1]
        assert image.get_cmap().name == DIVERGING
        assert image.get_clim() == pytest.approx((-np.abs(panel).max(), np.abs(panel).max()))
    assert fig.axes[4].get_title() == "11"
    plt.close(fig)


def test_shared_scale_uses_the_largest_value_of_the_row_and_adds_colour_bars():
    heat = maps()
    fig = plot_heatmaps(heat, shared_scale=True, colorbar_label="relevance")
    limits = {ax.images[-1].get_clim() for ax in fig.axes if ax.images}
    assert limits == {(-np.abs(heat[r]).max(), np.abs(heat[r]).max()) for r in range(2)}
    assert sum(ax.get_ylabel() == "relevance" for ax in fig.axes) == 2
    plt.close(fig)


def test_backgrounds_are_drawn_under_the_maps_or_as_outlines():
    heat, images = maps(), np.random.default_rng(1).uniform(size=(2, 5, 5))
    fig = plot_heatmaps(heat, backgrounds=images)
    assert all(len(ax.images) == 2 for ax in fig.axes)
    plt.close(fig)
    fig = plot_heatmaps(heat, backgrounds=images, outline_level=0.5)
    assert all(len(ax.images) == 1 and ax.collections for ax in fig.axes)
    plt.close(fig)


def test_errors_name_what_is_wrong():
    with pytest.raises(ParameterError, match="rows, columns"):
        plot_heatmaps(np.zeros((5, 5)))
    with pytest.raises(ParameterError, match="one image per row"):
        plot_heatmaps(maps(), backgrounds=np.zeros((3, 5, 5)))
    with pytest.raises(ParameterError, match="shared_scale"):
        plot_heatmaps(maps(), colorbar_label="x")
