import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlpbook.data.toys import hexagonal_pixel_centres
from dlpbook.plots.hexagons import plot_hexagons


def _vertices(collection):
    return [path.vertices[:-1] for path in collection.get_paths()]


def test_hexagons_tile_the_grid():
    centres = hexagonal_pixel_centres(2, pitch=1.5)
    ax = plt.figure().gca()
    cells = plot_hexagons(ax, centres, np.arange(len(centres)), pitch=1.5, cmap="viridis")
    assert len(cells.get_paths()) == len(centres) == 19
    np.testing.assert_array_equal(cells.get_array(), np.arange(19))
    # every corner lies pitch/sqrt(3) from its centre, so neighbouring cells share edges
    for centre, corners in zip(centres, _vertices(cells)):
        np.testing.assert_allclose(np.linalg.norm(corners - centre, axis=1), 1.5 / np.sqrt(3), rtol=1e-9)
    assert ax.get_aspect() == 1.0


def test_sizes_scale_the_cells_and_inputs_are_checked():
    ax = plt.figure().gca()
    cells = plot_hexagons(ax, [[0, 0], [1, 0]], pitch=1.0, sizes=[1.0, 0.5], facecolor="0.9")
    small = np.asarray(_vertices(cells)[1])
    np.testing.assert_allclose(np.linalg.norm(small - [1, 0], axis=1), 0.5 / np.sqrt(3), rtol=1e-9)
    with pytest.raises(ValueError, match="values has 1 entries for 2 centres"):
        plot_hexagons(ax, [[0, 0], [1, 0]], [3.0])
    with pytest.raises(ValueError, match="sizes has 3 entries"):
        plot_hexagons(ax, [[0, 0], [1, 0]], sizes=[1, 1, 1])
    with pytest.raises(ValueError, match="pitch must be a finite number > 0"):
        plot_hexagons(ax, [[0, 0]], pitch=0)
