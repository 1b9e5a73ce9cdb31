"""Decision-boundary plot on an Agg canvas."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import QuadContourSet  # noqa: E402

from dlpbook.plots.decision import plot_decision_boundary  # noqa: E402

X = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
LABEL = np.array([0, 1, 0, 1])


def vertical_boundary(points):
    """Probability of class 1 rising across x1 = 0."""
    return 1 / (1 + np.exp(-4 * points[:, 0]))


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_draws_filled_contour_boundary_and_points(ax):
    calls = []

    def predict(points):
        calls.append(points.shape)
        return vertical_boundary(points)

    returned = plot_decision_boundary(predict, X, LABEL, ax=ax, resolution=30, extent=(-2, 2, -3, 3))
    assert returned is ax
    assert calls == [(900, 2)]
    contours = [c for c in ax.collections if isinstance(c, QuadContourSet)]
    assert len(contours) == 2
    filled, boundary = contours
    assert filled.filled and not boundary.filled
    assert list(boundary.levels) == [0.5]
    # the 0.5 line is x1 = 0
    vertices = np.concatenate([path.vertices for path in boundary.get_paths()])
    np.testing.assert_allclose(vertices[:, 0], 0.0, atol=1e-9)
    scatters = [c for c in ax.collections if not isinstance(c, QuadContourSet)]
    assert [s.get_offsets().shape for s in scatters] == [(2, 2), (2, 2)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["label 0", "label 1"]
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-3, 3)
    assert ax.get_xlabel() == "$x_1$"
    ax.figure.canvas.draw()


def test_default_extent_pads_the_data_and_accepts_column_output(ax):
    plot_decision_boundary(lambda p: vertical_boundary(p)[:, None], X, LABEL, ax=ax, resolution=10)
    np.testing.assert_allclose(ax.get_xlim(), (-1.1, 1.1))
    np.testing.assert_allclose(ax.get_ylim(), (-1.1, 1.1))


def test_constant_probability_draws_no_boundary(ax):
    plot_decision_boundary(lambda p: np.full(len(p), 0.2), X, LABEL, ax=ax, resolution=10)
    assert sum(isinstance(c, QuadContourSet) for c in ax.collections) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": np.zeros((4, 3))}, r"x must have shape \(n, 2\)"),
        ({"label": np.array([0, 1])}, r"label must have shape \(4,\)"),
        ({"label": np.array([0, 1, 2, 1])}, "only 0 and 1"),
        ({"resolution": 1}, "resolution must be an integer >= 2"),
        ({"extent": (1, -1, 0, 1)}, "min < max"),
        ({"predict": lambda p: 4 * p[:, 0]}, r"probabilities in \[0, 1\]"),
        ({"predict": lambda p: p}, "predict must return shape"),
    ],
)
def test_validation(ax, kwargs, message):
    arguments = {"predict": vertical_boundary, "x": X, "label": LABEL, "resolution": 5} | kwargs
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(arguments.pop("predict"), arguments.pop("x"), arguments.pop("label"), ax=ax, **arguments)
