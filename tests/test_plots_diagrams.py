"""Schematic drawings of Part 1 (dlpbook.plots.diagrams)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlpbook.plots.diagrams import draw_chains, draw_nested_sets, draw_network  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_network_has_one_node_per_unit_and_one_edge_per_weight():
    diagram = draw_network((3, 3, 3, 1))
    assert [len(layer) for layer in diagram.nodes] == [3, 3, 3, 1]
    assert [len(layer) for layer in diagram.edges] == [9, 9, 3]
    ax = diagram.nodes[0][0].axes
    assert len(ax.patches) == 10 and len(ax.lines) == 21
    assert diagram.weight_colors is None and diagram.activation_colors is None


def test_edge_colours_and_widths_follow_the_weights():
    weights = [np.array([[2.0, -2.0], [0.0, 1.0]]), np.array([[-0.5, 0.5]])]
    diagram = draw_network((2, 2, 1), weights=weights, activations=[np.zeros(2), np.ones(2), np.array([0.5])])
    first = diagram.edges[0]
    # edges[0][j * n_in + i] joins input i to hidden node j
    assert first[0].get_linewidth() == pytest.approx(4.0) and first[2].get_linewidth() == pytest.approx(0.5)
    red, blue = first[0].get_color(), first[1].get_color()
    assert red[0] > red[2] and blue[2] > blue[0]  # coolwarm: positive red, negative blue
    assert diagram.weight_colors.norm.vmin == -2.0 and diagram.weight_colors.norm.vmax == 2.0
    low, high = diagram.nodes[0][0].get_facecolor(), diagram.nodes[1][0].get_facecolor()
    assert low != high


def test_network_labels_are_drawn():
    diagram = draw_network((2, 1), node_labels=[["x1", "x2"], ["z"]])
    texts = [t.get_text() for t in diagram.nodes[0][0].axes.texts]
    assert texts == ["x1", "x2", "z"]



def test_upwards_network_has_layers_as_rows_from_the_bottom_with_the_first_node_on_the_left():
    diagram = draw_network((3, 2), upwards=True)
    visible = [circle.center for circle in diagram.nodes[0]]
    hidden = [circle.center for circle in diagram.nodes[1]]
    assert visible == [(-1.0, 0.0), (0.0, 0.0), (1.0, 0.0)] and hidden == [(-0.5, 1.0), (0.5, 1.0)]
    ax = diagram.nodes[0][0].axes
    assert ax.get_xlim() == (-1.5, 1.5) and ax.get_ylim() == (-0.5, 1.5)
    assert list(diagram.edges[0][0].get_xydata().ravel()) == [-1.0, 0.0, -0.5, 1.0]

@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"layer_sizes": (3,)}, "layer_sizes"),
        ({"layer_sizes": (3, 0)}, "layer_sizes"),
        ({"layer_sizes": (3, 2), "weights": [np.zeros((3, 2))]}, r"weights\[0\] must have shape \(2, 3\)"),
        ({"layer_sizes": (3, 2), "weights": []}, "weights must hold 1 arrays"),
        ({"layer_sizes": (3, 2), "activations": [np.zeros(3), np.zeros(3)]}, r"activations\[1\]"),
        ({"layer_sizes": (2, 1), "node_labels": [["a"], ["z"]]}, "node_labels"),
    ],
)
def test_network_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_network(**kwargs)


def test_nested_sets_draw_one_ellipse_per_label_outermost_largest():
    ellipses = draw_nested_sets(["AI", "ML", "RL", "DL"])
    assert len(ellipses) == 4
    widths = [e.width for e in ellipses]
    assert widths == sorted(widths, reverse=True)
    with pytest.raises(ValueError, match="labels"):
        draw_nested_sets([])


def test_chains_draw_one_box_per_step_shaded_when_learned():
    rows = draw_chains([("rule-based", [("in", False), ("program", False)]), ("ML", [("in", False), ("map", True), ("out", False)])])
    assert [len(r) for r in rows] == [2, 3]
    assert rows[1][1].get_facecolor() != rows[1][0].get_facecolor()
    with pytest.raises(ValueError, match="chains"):
        draw_chains([("empty", [])])
