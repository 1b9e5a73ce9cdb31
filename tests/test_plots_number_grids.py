import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from dlpbook.plots.number_grids import plot_number_grid


def test_every_finite_cell_is_numbered_and_the_window_framed():
    ax = plt.figure().gca()
    values = np.array([[1.0, 2.5, np.nan], [-3.0, 0.0, 7.0]])
    image = plot_number_grid(ax, values, highlight=(0, 1, 2, 2), title="input")
    texts = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert texts == {((0, 0), "1"), ((1, 0), "2.5"), ((0, 1), "-3"), ((1, 1), "0"), ((2, 1), "7")}
    assert image.get_array().mask[0, 2] and not image.get_array().mask[0, 0]
    (frame,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert frame.get_xy() == (0.5, -0.5) and (frame.get_width(), frame.get_height()) == (2, 2)
    assert ax.get_title() == "input"
    # the darkest cell gets white text, a light one black
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["7"] == "white" and colours["-3"] == "black"


def test_several_blocks_are_framed():
    ax = plt.figure().gca()
    taps = [(row, column, 1, 1) for row in (0, 2) for column in (0, 2)]  # a dilated 2 x 2 kernel
    plot_number_grid(ax, np.zeros((3, 3)), highlight=taps)
    frames = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert sorted(frame.get_xy() for frame in frames) == [(-0.5, -0.5), (-0.5, 1.5), (1.5, -0.5), (1.5, 1.5)]
    with pytest.raises(ValueError, match=r"highlight \(2, 2, 2, 1\) leaves the 3 x 3 grid"):
        plot_number_grid(ax, np.zeros((3, 3)), highlight=[(0, 0, 1, 1), (2, 2, 2, 1)])


def test_format_and_checks():
    ax = plt.figure().gca()
    plot_number_grid(ax, np.full((2, 2), 0.5), fmt="{:.2f}")
    assert sorted(t.get_text() for t in ax.texts) == ["0.50"] * 4
    with pytest.raises(ValueError, match="non-empty 2D array"):
        plot_number_grid(ax, np.arange(3))
    with pytest.raises(ValueError, match="leaves the 2 x 2 grid"):
        plot_number_grid(ax, np.ones((2, 2)), highlight=(1, 1, 2, 1))


def test_symmetric_scale_is_centred_on_zero():
    ax = plt.figure().gca()
    image = plot_number_grid(ax, np.array([[-1.0, 0.0, 2.0]]), cmap="RdBu_r", symmetric=True)
    assert image.get_clim() == (-2.0, 2.0)
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours == {"-1": "black", "0": "black", "2": "white"}
