"""The matrices of a graph (book Sec. 10.2.1, 10.4.1, 10.5): adjacency, degree and Laplacians.

A graph of ``n`` nodes is given by its adjacency matrix ``A`` (n, n): ``A[i, j]`` is the weight
of the edge from node ``i`` to node ``j`` (Sec. 10.2.1), symmetric for undirected graphs. The
functions here derive what the graph layers need from it, once per graph and framework-free,
so that both :mod:`dlpbook.nn.graph` (torch) and :mod:`dlpbook.keras_nn.graph` (Keras) take the
same preprocessed matrices (``torch.as_tensor(gcn_adjacency(a))``), as Spektral's
``GCNConv.preprocess`` does for the book's Ex. 16.1:

- :func:`degree`, :func:`laplacian` (``D - A`` or the symmetric normalised Eq. 10.1),
  :func:`gcn_adjacency` (the renormalised ``D̂^-1/2 (A + 1) D̂^-1/2`` of Eq. 10.3),
  :func:`scaled_laplacian` (the ``L̃`` of the Chebyshev filters, Eq. 10.12);
- :func:`edge_list` (the (2, E) index form of message passing);
- :func:`grid_adjacency`, :func:`path_adjacency`, :func:`ring_adjacency`,
  :func:`laplacian_eigenvectors` and :func:`grid_eigenvectors`: the graph Fourier basis
  (Sec. 10.5, Fig. 10.10);
- :data:`EXAMPLE_10_1_ADJACENCY`, the book's Example 10.1.

Framework-free: NumPy only. The matrices are dense, which suits the book's graphs (34 to 784
nodes); large sparse graphs belong to a graph library.
"""

from __future__ import annotations

import numpy as np

from .validation import check_count, check_int, check_positive

EXAMPLE_10_1_ADJACENCY = np.array(
    [
        [2, 1, 0, 0, 1, 0],
        [1, 0, 1, 0, 1, 0],
        [0, 1, 0, 1, 0, 0],
        [0, 0, 1, 0, 1, 1],
        [1, 1, 0, 1, 0, 1],
        [0, 0, 0, 1, 1, 0],
    ],
    dtype=float,
)
"""The 6-node graph of the book's Example 10.1; the self-loop at node 0 (node 1 in the book) counts twice."""


def as_adjacency(adjacency: object) -> np.ndarray:
    """``adjacency`` as a float64 square matrix, checked: finite, non-negative weights.

    Parameters
    ----------
    adjacency : (n, n) array_like
        Edge weights; ``A[i, j]`` is the edge from node ``i`` to node ``j``.

    Returns
    -------
    (n, n) float64 ndarray
        A new array.

    Raises
    ------
    ValueError
        If it is not a non-empty square matrix of finite weights >= 0.
    """
    matrix = np.array(adjacency, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(f"adjacency must be a non-empty square matrix (n, n), got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)) or np.any(matrix < 0):
        raise ValueError("adjacency must hold finite edge weights >= 0")
    return matrix


def degree(adjacency: object) -> np.ndarray:
    """Degrees ``deg_i = sum_j A[i, j]``, the diagonal of the degree matrix ``D`` (Sec. 10.2.1).

    A self-loop enters with its weight, so Example 10.1's loop of weight 2 adds 2.

    Parameters
    ----------
    adjacency : (n, n) array_like

    Returns
    -------
    (n,) float64 ndarray
        ``np.diag`` of it is ``D``.
    """
    return as_adjacency(adjacency).sum(axis=1)


def _inverse_sqrt(values: np.ndarray) -> np.ndarray:
    """``values ** -1/2``, and 0 where a value is 0 (an isolated node keeps a zero row)."""
    result = np.zeros_like(values)
    np.divide(1.0, np.sqrt(values), out=result, where=values > 0)
    return result


def laplacian(adjacency: object, *, normalised: bool = False) -> np.ndarray:
    """The graph Laplacian ``L' = D - A``, or its symmetric normalised form (Sec. 10.2.1, Eq. 10.1).

    The normalised Laplacian is ``L = D^-1/2 (D - A) D^-1/2 = 1 - D^-1/2 A D^-1/2``: 1 on the
    diagonal of a node with edges, ``-A_ij / sqrt(deg_i deg_j)`` between nodes (Eq. 10.1 for
    a binary graph), and zero rows and columns for isolated nodes. For an undirected graph
    both are symmetric and positive semi-definite; the eigenvalues of the normalised one lie
    in [0, 2].

    Parameters
    ----------
    adjacency : (n, n) array_like
        Edge weights (>= 0).
    normalised
        ``False`` for ``D - A``, ``True`` for the symmetric normalised Laplacian.

    Returns
    -------
    (n, n) float64 ndarray
    """
    matrix = as_adjacency(adjacency)
    degrees = matrix.sum(axis=1)
    combinatorial = np.diag(degrees) - matrix
    if not normalised:
        return combinatorial
    scale = _inverse_sqrt(degrees)
    return scale[:, None] * combinatorial * scale[None, :]


def gcn_adjacency(adjacency: object) -> np.ndarray:
    """The renormalised adjacency ``D̂^-1/2 Â D̂^-1/2`` with ``Â = A + 1`` of the GCN (Eq. 10.3).

    Kipf and Welling's renormalisation trick (Example 10.6): every node becomes its own
    neighbour, and ``D̂`` is the degree matrix of ``Â``, so no degree is zero. A GCN layer
    (:class:`dlpbook.nn.graph.GCNConv`) multiplies its features by this matrix.

    Parameters
    ----------
    adjacency : (n, n) array_like
        Edge weights (>= 0) without self-loops (a loop already present gets 1 added).

    Returns
    -------
    (n, n) float32 ndarray
        Symmetric for a symmetric ``adjacency``; float32 to feed the layers directly.
    """
    matrix = as_adjacency(adjacency)
    looped = matrix + np.eye(len(matrix))
    scale = 1.0 / np.sqrt(looped.sum(axis=1))
    return (scale[:, None] * looped * scale[None, :]).astype(np.float32)


def scaled_laplacian(adjacency: object, *, lambda_max: float | None = None) -> np.ndarray:
    """``L̃ = 2 L / lambda_max - 1`` of the normalised Laplacian, for Chebyshev filters (Eq. 10.12).

    The rescaling maps the spectrum of ``L`` from [0, lambda_max] to [-1, 1], where the
    Chebyshev polynomials are bounded. ``lambda_max = 2``, the bound of every normalised
    Laplacian, avoids the eigendecomposition and gives ``L̃ = -D^-1/2 A D^-1/2``, as PyTorch
    Geometric's ``ChebConv`` assumes by default.

    Parameters
    ----------
    adjacency : (n, n) array_like
        Symmetric edge weights (>= 0).
    lambda_max
        The largest eigenvalue to map to 1 (> 0); ``None`` computes it.

    Returns
    -------
    (n, n) float32 ndarray
    """
    normalised = laplacian(adjacency, normalised=True)
    if lambda_max is None:
        lambda_max = float(np.linalg.eigvalsh(normalised)[-1])
        if lambda_max <= 0:
            raise ValueError("the graph has no edges: its Laplacian has no positive eigenvalue")
    lambda_max = check_positive(lambda_max, "lambda_max")
    return (2.0 / lambda_max * normalised - np.eye(len(normalised))).astype(np.float32)


def edge_list(adjacency: object) -> tuple[np.ndarray, np.ndarray]:
    """The edges of ``adjacency`` as ``(indices, weights)`` for message passing (Sec. 10.4.5).

    Parameters
    ----------
    adjacency : (n, n) array_like
        ``A[i, j] > 0`` is an edge from node ``i`` (source) to node ``j`` (target).

    Returns
    -------
    indices : (2, E) int64 ndarray
        Row 0 the sources, row 1 the targets (PyTorch Geometric's ``edge_index``), sorted by
        source, then target.
    weights : (E,) float64 ndarray
        ``A[source, target]``.
    """
    matrix = as_adjacency(adjacency)
    sources, targets = np.nonzero(matrix)
    return np.stack([sources, targets]).astype(np.int64), matrix[sources, targets]


def path_adjacency(n: int) -> np.ndarray:
    """Adjacency (n, n) of the path graph ``0 - 1 - ... - (n-1)`` (a 1D chain, Fig. 10.5).

    The eigenvalues of its Laplacian ``D - A`` are ``2 - 2 cos(pi k / n)``, ``k = 0 ... n-1``.
    """
    n = check_count(n, "n")
    return np.eye(n, k=1) + np.eye(n, k=-1)


def ring_adjacency(n: int) -> np.ndarray:
    """Adjacency (n, n) of the ring graph (a periodic chain), ``n >= 3``.

    The eigenvalues of its Laplacian ``D - A`` are ``2 - 2 cos(2 pi k / n)``, ``k = 0 ... n-1``:
    the graph Fourier basis of a ring is the discrete Fourier basis.
    """
    n = check_int(n, "n", low=3)
    return path_adjacency(n) + np.eye(n, k=n - 1) + np.eye(n, k=1 - n)


def grid_adjacency(rows: int, columns: int) -> np.ndarray:
    """Adjacency of a ``rows x columns`` image-like grid: each pixel joined to its 4 neighbours.

    Node ``r * columns + c`` is the pixel in row ``r``, column ``c`` (NumPy's row-major order),
    so a vector over the nodes reshapes to an image with ``.reshape(rows, columns)``. The grid
    is the Cartesian product of two paths: its Laplacian is ``L_rows (x) 1 + 1 (x) L_columns``.

    Parameters
    ----------
    rows, columns
        Grid size (> 0 each).

    Returns
    -------
    (rows * columns, rows * columns) float64 ndarray
    """
    along_rows, along_columns = path_adjacency(check_count(rows, "rows")), path_adjacency(check_count(columns, "columns"))
    return np.kron(along_rows, np.eye(columns)) + np.kron(np.eye(rows), along_columns)


def laplacian_eigenvectors(
    adjacency: object, count: int | None = None, *, normalised: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The graph Fourier basis: the eigenvectors of the Laplacian by rising eigenvalue (Sec. 10.5).

    ``L = Phi Lambda Phi^T``; the eigenvalues play the role of frequencies (the smoothest
    vectors come first) and ``Phi^T f`` is the graph Fourier transform of a signal ``f``.
    Degenerate eigenvalues (a symmetry of the graph) make the basis within an eigenspace a
    choice of the solver: a square grid's modes come out as mixtures of the x and y waves,
    which :func:`grid_eigenvectors` avoids. Each vector's sign is fixed so that its largest
    component is positive.

    Parameters
    ----------
    adjacency : (n, n) array_like
        Symmetric edge weights (an undirected graph).
    count
        Number of eigenvectors, ``1 ... n``; ``None`` for all.
    normalised
        Use the symmetric normalised Laplacian instead of ``D - A``.

    Returns
    -------
    values : (count,) float64 ndarray
        Eigenvalues, ascending.
    vectors : (n, count) float64 ndarray
        Orthonormal eigenvectors in the columns.

    Raises
    ------
    ValueError
        If ``adjacency`` is not symmetric.
    """
    matrix = as_adjacency(adjacency)
    if not np.allclose(matrix, matrix.T):
        raise ValueError("adjacency must be symmetric (an undirected graph) for a real Fourier basis")
    n = len(matrix)
    count = n if count is None else check_int(count, "count", low=1, high=n)
    values, vectors = np.linalg.eigh(laplacian(matrix, normalised=normalised))
    values, vectors = values[:count], vectors[:, :count]
    # argmax of |v| with its first occurrence: a deterministic sign for the same matrix
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(count)])
    return values, vectors * signs


def grid_eigenvectors(rows: int, columns: int, count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The Laplacian eigenvectors of :func:`grid_adjacency` in closed form, as products of waves.

    The grid is the product of two paths, so ``D - A`` has the eigenvectors
    ``phi_a(r) phi_b(c)`` with the path modes ``phi_k(x) ~ cos(pi k (x + 1/2) / n)`` and the
    eigenvalues ``(2 - 2 cos(pi a / rows)) + (2 - 2 cos(pi b / columns))``. Unlike a numerical
    solver, this picks the separable basis in the degenerate eigenspaces of a square grid,
    pure waves along rows or columns and their products. The book's Fig. 10.10, the first 20
    of the 784 eigenvectors of a 28 x 28 grid::

        values, vectors = grid_eigenvectors(28, 28, 20)
        images = vectors.T.reshape(20, 28, 28)

    Parameters
    ----------
    rows, columns
        Grid size (> 0 each).
    count
        Number of eigenvectors, ``1 ... rows * columns``; ``None`` for all.

    Returns
    -------
    values : (count,) float64 ndarray
        Eigenvalues, ascending; ties in the order of ``(a, b)``.
    vectors : (rows * columns, count) float64 ndarray
        Orthonormal eigenvectors in the columns, node ``r * columns + c`` as in :func:`grid_adjacency`.
    """
    rows, columns = check_count(rows, "rows"), check_count(columns, "columns")
    count = rows * columns if count is None else check_int(count, "count", low=1, high=rows * columns)
    waves, frequencies = [], []
    for n in (rows, columns):
        k, x = np.arange(n)[:, None], np.arange(n)[None, :]
        modes = np.cos(np.pi * k * (x + 0.5) / n)
        waves.append(modes / np.linalg.norm(modes, axis=1, keepdims=True))
        frequencies.append(2 - 2 * np.cos(np.pi * np.arange(n) / n))
    values = np.add.outer(*frequencies).ravel()
    # rounding merges ties that differ in the last bits, which then keep the (a, b) order
    order = np.argsort(np.round(values, 12), kind="stable")[:count]
    a, b = np.divmod(order, columns)
    vectors = waves[0][a][:, :, None] * waves[1][b][:, None, :]
    return values[order], vectors.reshape(count, rows * columns).T
