"""The offline MNIST substitute: scikit-learn's real 8 x 8 digits, rescaled and upsampled."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import digits


def test_full_set_is_the_real_digits_scaled_to_255():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    native = digits.simulate(digits.N_DIGITS, seed=3, size=8)
    assert native["x"].shape == (1797, 8, 8) and native["x"].dtype == np.uint8
    assert native["y"].dtype == np.int64
    reference = np.rint(bunch.images * 255 / 16).astype(np.uint8)

    def sorted_rows(x, y):
        rows = np.column_stack([x.reshape(len(x), -1), y])
        return rows[np.lexsort(rows.T[::-1])]

    np.testing.assert_array_equal(sorted_rows(native["x"], native["y"]), sorted_rows(reference, bunch.target))
    np.testing.assert_array_equal(np.bincount(native["y"]), np.bincount(bunch.target))
    assert native["x"].max() == 255


def test_the_file_read_is_scikit_learns_digits_in_order(monkeypatch):
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images, labels = digits.original_digits()
    np.testing.assert_array_equal(images, bunch.images)
    np.testing.assert_array_equal(labels, bunch.target)
    assert labels.dtype == np.int64
    # without the file where it is looked for: the same digits through load_digits
    monkeypatch.setattr(digits.importlib.util, "find_spec", lambda name: None)
    fallback_images, fallback_labels = digits.original_digits()
    np.testing.assert_array_equal(fallback_images, images)
    np.testing.assert_array_equal(fallback_labels, labels)


def test_classes_are_balanced():
    counts = np.bincount(digits.simulate(1797)["y"], minlength=10)
    assert counts.min() >= 174 and counts.max() <= 183


def test_upsampled_shape_and_range_and_registry():
    images = data.simulate("digits", 50, seed=1)
    assert images["x"].shape == (50, 28, 28) and images["x"].dtype == np.uint8
    assert images["y"].shape == (50,) and set(images["y"]) <= set(range(10))
    cached = data.load("digits", 50, seed=1)
    np.testing.assert_array_equal(cached["x"], images["x"])


def test_upsampling_is_bilinear_and_keeps_the_mean():
    ramp = np.tile(np.arange(8.0), (1, 8, 1))
    big = digits.upsample_bilinear(ramp, 32)
    # pixel-centre alignment: output column j samples (j + 0.5) / 4 - 0.5, clamped to [0, 7]
    expected = np.clip((np.arange(32) + 0.5) / 4 - 0.5, 0, 7)
    np.testing.assert_allclose(big[0, 5], expected)
    np.testing.assert_allclose(digits.upsample_bilinear(np.full((2, 8, 8), 3.0), 28), 3.0)
    native = digits.simulate(200, seed=2, size=8)["x"].astype(float)
    upsampled = digits.simulate(200, seed=2, size=28)["x"].astype(float)
    assert upsampled.mean() == pytest.approx(native.mean(), rel=0.05)


def test_seeded_shuffle_without_repeats():
    a, b = digits.simulate(300, seed=5, size=8), digits.simulate(300, seed=5, size=8)
    c = digits.simulate(300, seed=6, size=8)
    np.testing.assert_array_equal(a["x"], b["x"])
    assert not np.array_equal(a["x"], c["x"])
    prefix = digits.simulate(100, seed=5, size=8)
    np.testing.assert_array_equal(prefix["x"], a["x"][:100])
    assert len(np.unique(a["x"].reshape(300, -1), axis=0)) >= 295  # the data hold a few duplicates


def test_mean_images_tell_the_digits_apart():
    images = digits.simulate(1797, seed=0, size=8)
    x, y = images["x"].reshape(1797, -1).astype(float), images["y"]
    train, test = slice(0, 1200), slice(1200, None)
    centroids = np.stack([x[train][y[train] == d].mean(0) for d in range(10)])
    predicted = np.argmin(((x[test, None] - centroids[None]) ** 2).sum(-1), axis=1)
    assert (predicted == y[test]).mean() > 0.85


def test_errors():
    with pytest.raises(ValueError, match="n must be an integer >= 1 and <= 1797"):
        digits.simulate(1798)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        digits.simulate(0)
    with pytest.raises(ValueError, match="size must be an integer >= 8 and <= 128, got 4"):
        digits.simulate(10, size=4)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        digits.simulate(10, seed=-1)
    with pytest.raises(ValueError, match="images must have shape"):
        digits.upsample_bilinear(np.zeros((2, 8, 7)), 28)
