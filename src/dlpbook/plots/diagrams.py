"""Schematic drawings: network graphs (Fig. 1.3, 3.1, 3.2 and the RBM of Fig. 14.4), nested
sets (Fig. 1.4) and chains of analysis steps (Fig. 1.1).

All functions draw with matplotlib into a given (or new) axes and return the artists they
made, so callers can add colour bars and tests can count nodes and edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Patch

from ..validation import ParameterError, check_sizes


@dataclass
class NetworkDiagram:
    """Artists of a network drawn by :func:`draw_network`.

    Attributes
    ----------
    nodes
        One list of circles per layer, input layer first.
    edges
        One list of lines per pair of consecutive layers; ``edges[l][j * n_in + i]`` joins
        node ``i`` of layer ``l`` to node ``j`` of layer ``l + 1``.
    weight_colors, activation_colors
        Mappables for colour bars, or ``None`` when no weights / activations were given.
    """

    nodes: list[list[Circle]]
    edges: list[list[Line2D]]
    weight_colors: ScalarMappable | None
    activation_colors: ScalarMappable | None


def _check_layer_arrays(arrays, expected_shapes: list[tuple[int, ...]], name: str) -> list[np.ndarray]:
    arrays = [np.asarray(a, dtype=float) for a in arrays]
    if len(arrays) != len(expected_shapes):
        raise ValueError(f"{name} must hold {len(expected_shapes)} arrays, got {len(arrays)}")
    for index, (array, shape) in enumerate(zip(arrays, expected_shapes)):
        if array.shape != shape:
            raise ValueError(f"{name}[{index}] must have shape {shape}, got {array.shape}")
    return arrays


def draw_network(
    layer_sizes: Sequence[int],
    *,
    weights: Sequence[np.ndarray] | None = None,
    activations: Sequence[np.ndarray] | None = None,
    node_labels: Sequence[Sequence[str]] | None = None,
    upwards: bool = False,
    ax: Axes | None = None,
    weight_cmap: str = "coolwarm",
    activation_cmap: str = "viridis",
) -> NetworkDiagram:
    """Draw a fully-connected network as nodes in columns joined by edges (book Fig. 1.3).

    Parameters
    ----------
    layer_sizes
        Number of nodes per layer, input first, e.g. ``(3, 3, 3, 1)``.
    weights
        Optional weight matrices, one per pair of layers, ``weights[l]`` of shape
        ``(layer_sizes[l + 1], layer_sizes[l])`` (the ``W`` of ``y = W x + b``, Eq. 3.1; torch's
        ``Linear.weight``). Edges are coloured by the weight on a diverging scale centred at 0
        and drawn thicker for larger ``|W|``.
    activations
        Optional node values, one array of shape ``(layer_sizes[l],)`` per layer; nodes are
        filled by value on a common colour scale.
    node_labels
        Optional text per node, one sequence per layer (e.g. ``[["x1", "x2", "x3"], ...]``).
    upwards
        Draw the layers as rows from the bottom up (the input layer at the bottom, its first
        node on the left) instead of as columns from left to right.
    ax
        Axes to draw into (default: a new figure).

    Returns
    -------
    NetworkDiagram
        The drawn nodes and edges and the colour mappables.
    """
    sizes = check_sizes(layer_sizes, "layer_sizes")
    if len(sizes) < 2:
        raise ParameterError("layer_sizes", "two or more positive integers", sizes)
    if weights is not None:
        weights = _check_layer_arrays(weights, [(b, a) for a, b in zip(sizes[:-1], sizes[1:])], "weights")
    if activations is not None:
        activations = _check_layer_arrays(activations, [(s,) for s in sizes], "activations")
    if node_labels is not None and [len(labels) for labels in node_labels] != sizes:
        raise ValueError(f"node_labels must have {sizes} entries per layer, got {[len(x) for x in node_labels]}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))

    height = max(sizes)
    radius = 0.22
    positions = [np.stack([np.full(s, float(layer)), (s - 1) / 2.0 - np.arange(s)], axis=1) for layer, s in enumerate(sizes)]
    if upwards:  # layer index along y, first node on the left
        positions = [centres[:, ::-1] * np.array([-1.0, 1.0]) for centres in positions]

    weight_colors = None
    if weights is not None:
        largest = max(float(np.abs(w).max()) for w in weights) or 1.0
        weight_colors = ScalarMappable(TwoSlopeNorm(0.0, -largest, largest), plt.get_cmap(weight_cmap))
    edges: list[list[Line2D]] = []
    for layer in range(len(sizes) - 1):
        lines = []
        for j, end in enumerate(positions[layer + 1]):
            for i, start in enumerate(positions[layer]):
                if weights is None:
                    color, width = "0.5", 1.0
                else:
                    w = weights[layer][j, i]
                    color, width = weight_colors.to_rgba(w), 0.5 + 3.5 * abs(w) / weight_colors.norm.vmax
                (line,) = ax.plot([start[0], end[0]], [start[1], end[1]], color=color, lw=width, zorder=1)
                lines.append(line)
        edges.append(lines)

    activation_colors = None
    if activations is not None:
        values = np.concatenate(activations)
        activation_colors = ScalarMappable(Normalize(values.min(), values.max()), plt.get_cmap(activation_cmap))
    nodes: list[list[Circle]] = []
    for layer, centres in enumerate(positions):
        circles = []
        for index, centre in enumerate(centres):
            face = "white" if activations is None else activation_colors.to_rgba(activations[layer][index])
            circle = Circle(tuple(centre), radius, facecolor=face, edgecolor="black", lw=1.2, zorder=2)
            ax.add_patch(circle)
            circles.append(circle)
            if node_labels is not None:
                ax.text(*centre, node_labels[layer][index], ha="center", va="center", fontsize=9, zorder=3,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
        nodes.append(circles)

    layer_span, node_span = (-0.5, len(sizes) - 0.5), (-height / 2.0, height / 2.0)
    ax.set_xlim(*(node_span if upwards else layer_span))
    ax.set_ylim(*(layer_span if upwards else node_span))
    ax.set_aspect("equal")
    ax.axis("off")
    return NetworkDiagram(nodes, edges, weight_colors, activation_colors)


def draw_nested_sets(labels: Sequence[str], *, ax: Axes | None = None, cmap: str = "Blues") -> list[Ellipse]:
    """Draw concentric ellipses, the first label outermost (book Fig. 1.4: AI > ML > ... > DL).

    Returns
    -------
    list of Ellipse
        One ellipse per label, outermost first.
    """
    if len(labels) == 0:
        raise ValueError("labels must not be empty")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    colors = plt.get_cmap(cmap)(np.linspace(0.15, 0.65, len(labels)))
    ellipses = []
    for depth, (label, color) in enumerate(zip(labels, colors)):
        scale = 1.0 - depth / (len(labels) + 0.5)
        centre_y = -0.5 * (1.0 - scale)  # inner sets sit lower, so every label has room above
        ellipse = Ellipse((0.0, centre_y), 2.0 * scale * 1.9, 2.0 * scale, facecolor=color, edgecolor="black")
        ax.add_patch(ellipse)
        ellipses.append(ellipse)
        label_y = centre_y + scale - (0.18 if depth < len(labels) - 1 else scale)
        ax.text(0.0, label_y, label, ha="center", va="center", fontsize=10)
    ax.set_xlim(-2.0, 2.0)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ellipses


def draw_chains(
    chains: Sequence[tuple[str, Sequence[tuple[str, bool]]]],
    *,
    ax: Axes | None = None,
    learned_color: str = "#9ecae1",
    designed_color: str = "#f0f0f0",
) -> list[list[FancyBboxPatch]]:
    """Draw rows of boxes joined by arrows, e.g. the levels of analysis methods (book Fig. 1.1).

    Parameters
    ----------
    chains
        One ``(title, steps)`` per row; each step is ``(text, learned)``, and learned steps
        are shaded with ``learned_color``, hand-designed ones with ``designed_color``.
    ax
        Axes to draw into (default: a new figure).

    Returns
    -------
    list of list of FancyBboxPatch
        The boxes of every row.
    """
    if len(chains) == 0 or any(len(steps) == 0 for _, steps in chains):
        raise ValueError("chains must hold at least one row, each with at least one step")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    longest = max(len(steps) for _, steps in chains)
    box_w, box_h, gap = 1.9, 0.7, 0.45
    rows = []
    for row, (title, steps) in enumerate(chains):
        y = -row * (box_h + 0.35)
        ax.text(-0.2, y + box_h / 2, title, ha="right", va="center", fontsize=10, fontweight="bold")
        boxes = []
        for column, (text, learned) in enumerate(steps):
            x = column * (box_w + gap)
            box = FancyBboxPatch((x, y), box_w, box_h, boxstyle="round,pad=0.03",
                                 facecolor=learned_color if learned else designed_color, edgecolor="black")
            ax.add_patch(box)
            ax.text(x + box_w / 2, y + box_h / 2, text, ha="center", va="center", fontsize=9)
            if column:
                ax.add_patch(FancyArrowPatch((x - gap, y + box_h / 2), (x, y + box_h / 2), arrowstyle="-|>",
                                             mutation_scale=10, color="black"))
            boxes.append(box)
        rows.append(boxes)
    ax.legend(handles=[Patch(facecolor=designed_color, edgecolor="black", label="designed by hand"),
                       Patch(facecolor=learned_color, edgecolor="black", label="learned from data")],
              loc="upper right", fontsize=9)
    ax.set_xlim(-2.6, longest * (box_w + gap))
    ax.set_ylim(-(len(chains) - 1) * (box_h + 0.35) - 0.1, box_h + 0.1)
    ax.axis("off")
    return rows
