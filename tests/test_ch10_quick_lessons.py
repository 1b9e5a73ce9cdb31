"""The quick profile of the chapter 10 page must still show what its text says.

Runs the code cells of book/ch10-graph-networks.md in the quick profile (figures drawn off
screen) and checks the claims of the text: the karate-club GCN, trained on one labelled member
per group, classifies most of the other 30 (quick run, seed 0: 26 of 30), far better than
guessing the largest group (11 of 30); the edge convolution is the mean over its edges, and
permuting the points permutes its output.
"""

import torch
from page_cells import BOOK, code_cells, page_fixture

PAGE = BOOK / "ch10-graph-networks.md"

page = page_fixture(PAGE)  # the variables of the page after running all its cells


def test_the_page_has_code_cells():
    assert len(code_cells(PAGE)) >= 15


def test_the_karate_gcn_classifies_most_unlabelled_members(page):
    assert page["seeds"] == [0]
    (right,) = page["right"]
    assert right >= 24
    assert right >= page["majority"] * 30 + 10
    # the figures show this run
    assert int((page["predicted"][page["unlabelled"]] == page["labels"][page["unlabelled"]]).sum()) == right


def test_edge_convolution_is_permutation_equivariant(page):
    assert torch.allclose(page["permuted"], page["point_features"][:, page["renumbering"]], atol=1e-6)
