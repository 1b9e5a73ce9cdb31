"""Zachary's karate club: graph, labels and the fixed-graph interface."""

import numpy as np
import pytest

from dlpbook import cli, data
from dlpbook.data import karate

PRINTED_LABELS = "2 2 3 2 1 1 1 2 4 3 1 2 2 2 4 4 1 2 4 2 4 2 4 4 3 3 4 3 3 4 4 3 4 4"


@pytest.fixture(scope="module")
def club():
    return karate.simulate()


def test_graph_is_the_binary_karate_club(club):
    adj = club["adj"]
    assert adj.shape == (34, 34)
    assert set(np.unique(adj)) == {0.0, 1.0}
    np.testing.assert_array_equal(adj, adj.T)
    assert np.all(np.diag(adj) == 0)
    assert adj.sum() / 2 == 78
    # Zachary's two leaders: the instructor (node 0) has 16 friends, the president (node 33) 17
    assert adj[0].sum() == 16 and adj[33].sum() == 17
    assert adj[0, 1] == 1 and adj[0, 33] == 0


def test_features_are_the_identity(club):
    np.testing.assert_array_equal(club["features"], np.eye(34))


def test_labels_match_the_printed_list(club):
    one_hot = club["labels_one_hot"]
    assert one_hot.shape == (34, 4)
    np.testing.assert_array_equal(one_hot.sum(axis=1), np.ones(34))
    np.testing.assert_array_equal(one_hot.argmax(axis=1) + 1, [int(g) for g in PRINTED_LABELS.split()])
    np.testing.assert_array_equal(one_hot.sum(axis=0), [5, 10, 7, 12])


def test_it_is_one_fixed_graph():
    with pytest.raises(ValueError, match=r"n must be 1 \(karate_club is one fixed graph\), got 2"):
        karate.simulate(2)
    a, b = data.simulate("karate_club", seed=0), data.simulate("karate_club", seed=5)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    np.testing.assert_array_equal(data.load("karate_club")["adj"], a["adj"])


def test_command_line_writes_the_graph(tmp_path):
    out = tmp_path / "karate_club.npz"
    assert cli.main(["data", "karate_club", "--out", str(out)]) == 0
    written = data.load_npz(out)
    np.testing.assert_array_equal(written["adj"], karate.adjacency())
    assert set(written) == {"adj", "features", "labels_one_hot"}
    with pytest.raises(SystemExit):
        cli.main(["data", "karate_club", "--n", "3", "--out", str(out)])
