"""Graph matrices (Ch. 10): Example 10.1, Laplacians, the GCN normalisation, spectra of known graphs."""

import numpy as np
import pytest

from dlpbook import graph_matrices as gm
from dlpbook.data import karate


def test_example_10_1_degrees_and_laplacian():
    a = gm.EXAMPLE_10_1_ADJACENCY
    np.testing.assert_array_equal(gm.degree(a), [4, 3, 2, 3, 4, 2])  # the book's D, loop counted twice
    np.testing.assert_array_equal(gm.laplacian(a), np.diag([4, 3, 2, 3, 4, 2]) - a)
    np.testing.assert_array_equal(gm.laplacian(a).sum(axis=1), np.zeros(6))
    # Eq. 10.1 off the diagonal: -1 / sqrt(deg_i deg_j) for neighbours
    normalised = gm.laplacian(a, normalised=True)
    assert normalised[1, 2] == pytest.approx(-1 / np.sqrt(3 * 2))
    assert normalised[0, 4] == pytest.approx(-1 / np.sqrt(4 * 4))
    assert normalised[0, 2] == 0
    np.testing.assert_allclose(np.diag(normalised)[1:], 1)  # nodes without loops
    assert normalised[0, 0] == pytest.approx(1 - 2 / 4)  # the loop of weight 2


def test_walks_of_length_k_are_powers_of_the_adjacency():
    a = gm.path_adjacency(4)  # 0-1-2-3
    walks = np.linalg.matrix_power(a, 3)
    assert walks[0, 3] == 1 and walks[0, 1] == 2 and walks[0, 2] == 0


def test_normalised_laplacian_is_one_minus_the_normalised_adjacency_and_isolated_nodes_stay_zero():
    rng = np.random.default_rng(0)
    a = np.triu(rng.integers(0, 2, size=(7, 7)), 1).astype(float)
    a = a + a.T
    a[6, :] = a[:, 6] = 0  # an isolated node
    d = a.sum(axis=1)
    inverse_sqrt = np.array([1 / np.sqrt(x) if x else 0.0 for x in d])
    expected = np.diag((d > 0).astype(float)) - inverse_sqrt[:, None] * a * inverse_sqrt[None, :]
    np.testing.assert_allclose(gm.laplacian(a, normalised=True), expected)
    assert np.all(gm.laplacian(a, normalised=True)[6] == 0)
    values = np.linalg.eigvalsh(gm.laplacian(a, normalised=True))
    assert values.min() > -1e-12 and values.max() < 2 + 1e-12


def test_gcn_adjacency_is_the_renormalised_formula():
    a = karate.adjacency()
    d_hat = a.sum(axis=1) + 1
    expected = (a + np.eye(34)) / np.sqrt(np.outer(d_hat, d_hat))
    got = gm.gcn_adjacency(a)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(got, got.T)
    assert np.all(got.sum(axis=1) > 0)  # the exercise's check: rows of Â 1 are positive
    # element by element, Eq. 10.2: 1 / sqrt(deg_i deg_j) with self-loops counted
    assert got[0, 1] == pytest.approx(1 / np.sqrt(17 * 10))
    assert got[0, 0] == pytest.approx(1 / 17)
    # the largest eigenvalue of the renormalised adjacency is 1 (eigenvector sqrt(d_hat))
    assert np.linalg.eigvalsh(got.astype(float))[-1] == pytest.approx(1, abs=1e-6)


@pytest.mark.parametrize("n", [2, 5, 12])
def test_path_laplacian_eigenvalues_are_analytic(n):
    values, vectors = gm.laplacian_eigenvectors(gm.path_adjacency(n))
    np.testing.assert_allclose(values, 2 - 2 * np.cos(np.pi * np.arange(n) / n), atol=1e-12)
    # the eigenvectors are cosines: phi_k(x) ~ cos(pi k (x + 1/2) / n)
    x = np.arange(n)
    for k in range(n):
        cosine = np.cos(np.pi * k * (x + 0.5) / n)
        assert abs(vectors[:, k] @ cosine) == pytest.approx(np.linalg.norm(cosine), rel=1e-9)


@pytest.mark.parametrize("n", [3, 8, 13])
def test_ring_laplacian_eigenvalues_are_analytic(n):
    values, _ = gm.laplacian_eigenvectors(gm.ring_adjacency(n))
    np.testing.assert_allclose(values, np.sort(2 - 2 * np.cos(2 * np.pi * np.arange(n) / n)), atol=1e-12)


def test_grid_eigenvectors_for_figure_10_10():
    adjacency = gm.grid_adjacency(28, 28)
    assert adjacency.shape == (784, 784)
    assert gm.degree(adjacency).min() == 2 and gm.degree(adjacency).max() == 4  # corners and interior
    assert adjacency[0, 1] == 1 and adjacency[0, 28] == 1 and adjacency[27, 28] == 0  # no wrap at row ends
    values, vectors = gm.grid_eigenvectors(28, 28, 20)
    assert vectors.shape == (784, 20)
    laplacian = gm.laplacian(adjacency)
    np.testing.assert_allclose(laplacian @ vectors, vectors * values, atol=1e-10)
    np.testing.assert_allclose(values, gm.laplacian_eigenvectors(adjacency, 20)[0], atol=1e-10)
    np.testing.assert_allclose(vectors.T @ vectors, np.eye(20), atol=1e-10)
    # the grid is the product of two paths: eigenvalues are sums of the paths' eigenvalues
    path = 2 - 2 * np.cos(np.pi * np.arange(28) / 28)
    np.testing.assert_allclose(values, np.sort(np.add.outer(path, path).ravel())[:20], atol=1e-10)
    np.testing.assert_allclose(vectors[:, 0], np.full(784, 1 / 28), atol=1e-12)  # constant, frequency 0
    # the two first non-constant modes are waves along one axis, cos(pi (x + 1/2) / 28), then their product
    wave = np.cos(np.pi * (np.arange(28) + 0.5) / 28) / np.sqrt(14)
    images = vectors.T.reshape(20, 28, 28)
    np.testing.assert_allclose(images[1], np.outer(np.full(28, 1 / np.sqrt(28)), wave), atol=1e-12)
    np.testing.assert_allclose(images[2], images[1].T, atol=1e-12)
    np.testing.assert_allclose(images[3], np.outer(wave, wave), atol=1e-12)


def test_grid_eigenvectors_of_a_rectangle_are_the_numerical_ones():
    # no degeneracies in a 3 x 5 grid (frequencies of different periods): the basis is unique up to signs
    values, vectors = gm.grid_eigenvectors(3, 5)
    numerical_values, numerical = gm.laplacian_eigenvectors(gm.grid_adjacency(3, 5))
    np.testing.assert_allclose(values, numerical_values, atol=1e-12)
    distinct = np.diff(values, prepend=-1) > 1e-9
    distinct &= np.diff(values, append=99) > 1e-9
    overlaps = np.abs(np.sum(vectors * numerical, axis=0))
    np.testing.assert_allclose(overlaps[distinct], 1, atol=1e-9)
    assert distinct.sum() >= 10


def test_scaled_laplacian_maps_the_spectrum_to_minus_one_one():
    a = karate.adjacency()
    scaled = gm.scaled_laplacian(a)
    values = np.linalg.eigvalsh(scaled.astype(float))
    assert values[0] == pytest.approx(-1, abs=1e-5) and values[-1] == pytest.approx(1, abs=1e-5)
    d = a.sum(axis=1)
    np.testing.assert_allclose(gm.scaled_laplacian(a, lambda_max=2.0), -a / np.sqrt(np.outer(d, d)), atol=1e-7)
    with pytest.raises(ValueError, match="lambda_max must be a finite number > 0"):
        gm.scaled_laplacian(a, lambda_max=0.0)
    with pytest.raises(ValueError, match="no edges"):
        gm.scaled_laplacian(np.zeros((3, 3)))


def test_edge_list():
    a = np.array([[0, 2, 0], [0, 0, 0.5], [1, 0, 0]])
    indices, weights = gm.edge_list(a)
    assert indices.dtype == np.int64
    np.testing.assert_array_equal(indices, [[0, 1, 2], [1, 2, 0]])
    np.testing.assert_array_equal(weights, [2, 0.5, 1])


@pytest.mark.parametrize(
    ("adjacency", "message"),
    [
        (np.zeros((2, 3)), "square matrix"),
        (np.zeros((0, 0)), "square matrix"),
        (np.array([[0, -1], [-1, 0]]), ">= 0"),
        (np.array([[0, np.nan], [1, 0]]), "finite"),
    ],
)
def test_bad_adjacency_is_rejected(adjacency, message):
    with pytest.raises(ValueError, match=message):
        gm.degree(adjacency)


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match="n must be an integer >= 3"):
        gm.ring_adjacency(2)
    with pytest.raises(ValueError, match="rows must be an integer >= 1"):
        gm.grid_adjacency(0, 3)
    with pytest.raises(ValueError, match="count must be an integer"):
        gm.laplacian_eigenvectors(gm.path_adjacency(4), 5)
    with pytest.raises(ValueError, match="count must be an integer"):
        gm.grid_eigenvectors(2, 2, 0)
    with pytest.raises(ValueError, match="symmetric"):
        gm.laplacian_eigenvectors(np.array([[0, 1], [0, 0]]))
