"""The shared detector read-out: summing point deposits into images."""

import numpy as np

from dlpbook.data.pixels import pixelate


def test_sums_weights_per_pixel_and_drops_points_off_the_grid():
    image = np.array([0, 0, 1, 1, 1, 0])
    row = np.array([1, 1, 0, 2, 3, -1])
    column = np.array([2, 2, 0, 1, 0, 0])
    weight = np.array([1.5, 2.0, 4.0, 0.5, 9.0, 7.0])
    out = pixelate(image, row, column, weight, n_images=2, pixels=3)
    expected = np.zeros((2, 3, 3))
    expected[0, 1, 2] = 3.5
    expected[1, 0, 0] = 4.0
    expected[1, 2, 1] = 0.5
    np.testing.assert_array_equal(out, expected)


def test_counts_points_and_broadcasts_the_image_index():
    row = np.array([[0, 0, 1], [2, 2, 2]])
    column = np.array([[0, 0, 1], [1, 5, 1]])
    out = pixelate(np.arange(2)[:, None], row, column, None, n_images=2, pixels=3)
    assert out.shape == (2, 3, 3) and out.sum() == 5
    assert out[0, 0, 0] == 2 and out[0, 1, 1] == 1 and out[1, 2, 1] == 2
