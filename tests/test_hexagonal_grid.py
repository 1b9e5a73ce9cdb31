"""Offset and axial coordinates of hexagonal grids (book Sec. 8.5, Fig. 8.12)."""

import numpy as np
import pytest

from dlpbook import hexagonal_grid as hexgrid
from dlpbook.convolution_arithmetic import convolve2d
from dlpbook.validation import ParameterError


def positions(rows, columns):
    """Cell centres (rows, columns, 2) of the offset layout, odd rows shifted right, in spacings."""
    row, column = np.meshgrid(np.arange(rows), np.arange(columns), indexing="ij")
    return np.stack([column + 0.5 * (row % 2), row * np.sin(np.pi / 3)], axis=-1)


def test_index_conversions_are_inverse_and_give_the_axial_x():
    column, row = np.meshgrid(np.arange(-6, 7), np.arange(-5, 8))
    q, r = hexgrid.offset_to_axial(column, row)
    back_column, back_row = hexgrid.axial_to_offset(q, r)
    np.testing.assert_array_equal(back_column, column)
    np.testing.assert_array_equal(back_row, row)
    np.testing.assert_allclose(q + 0.5 * r, column + 0.5 * (row % 2))


def test_the_air_shower_array_uses_the_same_conversions():
    from dlpbook.data import airshower

    assert airshower.offset_to_axial is hexgrid.offset_to_axial
    assert airshower.axial_to_offset is hexgrid.axial_to_offset


def test_neighbours_have_fixed_axial_offsets_but_parity_dependent_offset_ones():
    rows = columns = 7  # the grid of Fig. 8.12
    centres = positions(rows, columns).reshape(-1, 2)
    row, column = np.divmod(np.arange(rows * columns), columns)
    q, r = hexgrid.offset_to_axial(column, row)
    distance = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
    expected = {(dq - 1, dr - 1) for dr, dq in zip(*np.nonzero(hexgrid.AXIAL_NEIGHBOURHOOD))} - {(0, 0)}
    offset_patterns = set()
    for cell in range(rows * columns):
        neighbours = np.flatnonzero(np.isclose(distance[cell], 1.0))
        axial = {(int(q[n] - q[cell]), int(r[n] - r[cell])) for n in neighbours}
        assert axial <= expected and (len(neighbours) < 6 or axial == expected)
        if len(neighbours) == 6:
            offset_patterns.add(frozenset((int(column[n] - column[cell]), int(row[n] - row[cell])) for n in neighbours))
    assert len(offset_patterns) == 2  # in offset indices even and odd rows need different kernels


@pytest.mark.parametrize("shape", [(9, 9), (3, 7, 9), (2, 4, 6, 5), (1, 1)])
def test_image_conversions_are_inverse(shape):
    image = np.random.default_rng(0).normal(size=shape)
    axial = hexgrid.offset_to_axial_image(image, fill=np.nan)
    rows, columns = shape[-2:]
    assert axial.shape == (*shape[:-2], rows, columns + (rows - 1) // 2)
    assert np.count_nonzero(np.isnan(axial)) == np.prod(shape[:-2], dtype=int) * rows * ((rows - 1) // 2)
    np.testing.assert_array_equal(hexgrid.axial_to_offset_image(axial, columns), image)


def test_a_masked_3x3_convolution_in_axial_layout_sums_the_hexagonal_neighbourhood():
    rows, columns = 9, 9
    image = np.random.default_rng(1).normal(size=(rows, columns))
    summed = convolve2d(hexgrid.offset_to_axial_image(image), hexgrid.AXIAL_NEIGHBOURHOOD.astype(float), padding=1)
    result = hexgrid.axial_to_offset_image(summed, columns)
    centres = positions(rows, columns).reshape(-1, 2)
    near = np.linalg.norm(centres[:, None] - centres[None], axis=-1) < 1.0 + 1e-9  # the cell and its neighbours
    np.testing.assert_allclose(result.ravel(), near @ image.ravel(), rtol=1e-12)


def test_image_conversions_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"image must have shape \(\.\.\., rows, columns\)"):
        hexgrid.offset_to_axial_image(np.ones(5))
    with pytest.raises(ValueError, match="an axial image of 9 rows and 9 columns has 13 columns, got 9"):
        hexgrid.axial_to_offset_image(np.ones((9, 9)), 9)
    with pytest.raises(ParameterError) as error:
        hexgrid.axial_to_offset_image(np.ones((9, 13)), 0)
    assert error.value.name == "columns"


def test_kernel_rotation_turns_the_neighbours_by_60_degrees():
    angles = np.deg2rad(60.0 * np.arange(6))
    kernel = np.zeros((3, 3))
    kernel[1, 2] = 1.0  # the neighbour (dq, dr) = (1, 0), along +x
    kernel[1, 1] = 5.0  # the centre stays
    for steps, angle in enumerate(angles):
        rotated = hexgrid.rotate_axial_kernel(kernel, steps)
        (dr, dq), = [(r - 1, q - 1) for r, q in zip(*np.nonzero(rotated == 1.0))]
        # the neighbour's position x = dq + dr / 2, y = dr sin 60 turns counter-clockwise
        np.testing.assert_allclose([dq + 0.5 * dr, dr * np.sin(np.pi / 3)], [np.cos(angle), np.sin(angle)], atol=1e-12)
        assert rotated[1, 1] == 5.0 and rotated.sum() == 6.0


def test_six_rotations_are_the_identity_and_corners_are_checked():
    rng = np.random.default_rng(0)
    kernels = rng.normal(size=(4, 3, 3)) * hexgrid.AXIAL_NEIGHBOURHOOD
    np.testing.assert_array_equal(hexgrid.rotate_axial_kernel(kernels, 6), kernels)
    np.testing.assert_array_equal(hexgrid.rotate_axial_kernel(hexgrid.rotate_axial_kernel(kernels, 2), -2), kernels)
    # a kernel of ones on the hexagon is symmetric under every rotation
    ones = hexgrid.AXIAL_NEIGHBOURHOOD.astype(float)
    np.testing.assert_array_equal(hexgrid.rotate_axial_kernel(ones, 1), ones)
    with pytest.raises(ValueError, match="masked corners"):
        hexgrid.rotate_axial_kernel(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 3, 3\)"):
        hexgrid.rotate_axial_kernel(np.zeros((2, 3)))
