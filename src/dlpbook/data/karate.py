"""Zachary's karate club: a fixed social graph for node classification (Example 10.2, Exercise 16.1).

Zachary (1977) recorded the friendships among the 34 members of a university karate club:
34 nodes and 78 undirected edges. The graph ships with networkx (``karate_club_graph()``,
node ``i`` is member ``i + 1``); recent networkx versions attach interaction counts as edge
weights, which are dropped here: the adjacency is binary, as in the exercise's
``karate_club.npz``.

The node labels are the four groups used by the book's exercise (they coincide with the
modularity communities of Kipf's GCN demonstration), printed 1-based in
:data:`FOUR_GROUPS_1_BASED`; class sizes are 5, 10, 7 and 12. The features are the identity
matrix (one-hot node ids), as in the exercise.

This is one fixed graph, not a random sample: :func:`simulate` accepts only ``n = 1`` and its
``seed`` does not change anything; ``dlpbook data karate_club --out f.npz`` writes it.
"""

from __future__ import annotations

import numpy as np

from ..validation import ParameterError, check_count, check_seed
from .registry import DatasetSpec, register

N_NODES = 34
"""Number of club members."""
N_EDGES = 78
"""Number of undirected friendships."""
FOUR_GROUPS_1_BASED = (2, 2, 3, 2, 1, 1, 1, 2, 4, 3, 1, 2, 2, 2, 4, 4, 1, 2, 4, 2, 4, 2, 4, 4, 3, 3, 4, 3, 3, 4, 4, 3, 4, 4)
"""Group (1-4) of nodes 0-33, as printed in Exercise 16.1."""


def adjacency() -> np.ndarray:
    """Binary symmetric adjacency matrix (34, 34) float32 of the karate-club graph (no self-loops)."""
    import networkx as nx

    graph = nx.karate_club_graph()
    return nx.to_numpy_array(graph, nodelist=range(N_NODES), weight=None, dtype=np.float32)


def simulate(n: int = 1, *, seed: int = 0, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Return the karate-club graph in the arrays of ``karate_club.npz``.

    Parameters
    ----------
    n
        Must be 1: the data set is one fixed graph.
    seed
        Accepted for the common interface and ignored (nothing is random).
    progress
        Ignored (nothing to wait for).

    Returns
    -------
    dict
        ``adj`` (34, 34) float32, symmetric 0/1 adjacency; ``features`` (34, 34) float32,
        identity; ``labels_one_hot`` (34, 4) float32, the four groups one-hot
        (column ``g - 1`` for group ``g``).

    Raises
    ------
    ValueError
        If ``n`` is not 1.
    """
    check_seed(seed)
    if check_count(n) != 1:
        raise ParameterError("n", "1 (karate_club is one fixed graph)", n)
    labels = np.asarray(FOUR_GROUPS_1_BASED) - 1
    return {
        "adj": adjacency(),
        "features": np.eye(N_NODES, dtype=np.float32),
        "labels_one_hot": np.eye(4, dtype=np.float32)[labels],
    }


SPEC = register(
    DatasetSpec(
        name="karate_club",
        summary="Zachary's karate club, binary adjacency and 4 groups; fixed graph, n must be 1 (Ex. 16.1)",
        simulate=simulate,
        default_n=1,
        version=1,
        arrays="adj (34, 34) 0/1; features (34, 34) identity; labels_one_hot (34, 4)",
        sample_bytes=lambda **_: (2 * N_NODES * N_NODES + N_NODES * 4) * 4,
    )
)
