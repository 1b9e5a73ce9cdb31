import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlpbook.plots import feature_maps as fm

RNG = np.random.default_rng(0)


def test_stretch_brings_each_channel_of_each_image_to_full_intensity():
    images = np.zeros((2, 4, 4, 3))
    images[0, 1, 2] = [0.04, 0.01, 0.0]
    images[0, 3, 3] = [0.01, 0.0, 0.0]
    images[1, 0, 0] = [0.5, 0.5, 0.5]
    shown = fm.stretch(images)
    assert shown.shape == images.shape and shown.max() == 1
    np.testing.assert_allclose(shown[0, 1, 2], [1, 1, 0])  # the brightest pixel of each channel; blue empty
    np.testing.assert_allclose(shown[0, 3, 3, 0], 0.5)  # a quarter of the largest value, square root
    np.testing.assert_allclose(fm.stretch(images, gamma=1)[0, 3, 3, 0], 0.25)
    assert np.count_nonzero(shown) == np.count_nonzero(images)  # empty pixels stay empty
    with pytest.raises(ValueError, match="non-negative"):
        fm.stretch(-images)
    with pytest.raises(ValueError, match="gamma"):
        fm.stretch(images, gamma=0)


def test_filters_share_one_scale_with_zero_at_grey():
    kernels = RNG.normal(size=(5, 5, 3, 6))
    rgb = fm.filters_as_rgb(kernels)
    assert rgb.shape == (6, 5, 5, 3) and rgb.min() >= 0 and rgb.max() <= 1
    assert np.isclose(min(rgb.min(), 1 - rgb.max()), 0)  # the largest |weight| reaches the edge
    np.testing.assert_allclose(fm.filters_as_rgb(np.zeros((3, 3, 3, 2))), 0.5)
    fig = fm.plot_filters(kernels, ("a", "b", "c"))
    assert len(fig.axes) == 4 + 1  # four rows of filters and the colour bar
    assert [fig.axes[row].get_ylabel() for row in range(4)] == ["RGB", "a", "b", "c"]
    assert [label.get_text() for label in fig.axes[0].get_xticklabels()] == [str(k) for k in range(6)]
    weights = fig.axes[2].images[0].get_array()  # the row of channel "b": filter k at columns 6k to 6k + 4
    np.testing.assert_allclose(weights[:, 6:11], kernels[:, :, 1, 1])
    with pytest.raises(ValueError, match="h, w, 3"):
        fm.filters_as_rgb(np.ones((3, 3, 2, 4)))
    plt.close("all")


def test_feature_maps_draw_every_channel_of_every_layer():
    maps = {"conv2d_1": RNG.random((8, 8, 5)), "conv2d_2": RNG.random((4, 4, 3))}
    fig = fm.plot_feature_maps(RNG.random((8, 8, 3)), maps, columns=4, title="image 0")
    shown = [ax.images[0].get_array() for ax in fig.get_axes()]
    assert len(shown) == 3  # the input and one mosaic per layer
    # conv2d_1: 5 maps in rows of 4 with gaps of 1 pixel, each scaled to [0, 1]
    assert shown[1].shape == (2 * 8 + 1, 4 * 8 + 3)
    first = maps["conv2d_1"][..., 0]
    np.testing.assert_allclose(shown[1][:8, :8], (first - first.min()) / np.ptp(first))
    empty = np.ma.getmaskarray(shown[1])  # NaN: drawn transparent
    assert empty[8].all() and empty[9:, 9:].all() and not empty[:8, :8].any()  # the gap and the empty panels
    assert [sub.get_suptitle() for sub in fig.subfigs[1:]] == ["conv2d_1: 5 feature maps of 8 x 8",
                                                               "conv2d_2: 3 feature maps of 4 x 4"]
    with pytest.raises(ValueError, match="h, w, channels"):
        fm.plot_feature_maps(RNG.random((8, 8)), {"x": RNG.random((8, 8))})
    plt.close("all")


def test_mosaic_places_grey_and_rgb_panels_in_rows():
    image, corners = fm.mosaic(np.arange(12.0).reshape(3, 2, 2), 2, gap=1)
    assert image.shape == (5, 5) and corners == [(0, 0), (0, 3), (3, 0)]
    np.testing.assert_array_equal(image[3:, :2], [[8, 9], [10, 11]])
    rgb, _ = fm.mosaic(np.full((2, 2, 2, 3), 0.25), 2, gap=1)
    assert rgb.shape == (2, 5, 4)
    np.testing.assert_array_equal(rgb[:, 2, 3], 0)  # the gap is transparent
    np.testing.assert_array_equal(rgb[:, :2, 3], 1)


def test_maximizers_are_standardised_and_labelled():
    images = RNG.normal(3.0, 5.0, size=(5, 6, 6))
    standard = fm.standardize(images)
    np.testing.assert_allclose(standard.mean(axis=(1, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(standard.std(axis=(1, 2)), 1)
    assert np.all(fm.standardize(np.ones((1, 3, 3))) == 0)
    fig = fm.plot_maximizers(images, columns=3, labels=list("abcde"), silent=[0, 1, 0, 0, 0], title="layer")
    (ax,) = fig.axes
    assert [text.get_text() for text in ax.texts] == ["a", "b (off)", "c", "d", "e"]
    assert ax.images[0].get_clim() == (-2.5, 2.5)
    np.testing.assert_allclose(ax.images[0].get_array()[7:13, 7:13], standard[4])  # row 2, column 2 (gaps of 1 pixel)
    with pytest.raises(ValueError, match="one entry per image"):
        fm.plot_maximizers(images, labels=["a"])
    plt.close("all")


def test_ascent_leaves_silent_channels_out_of_the_log_scale():
    values = np.stack([np.array([0.0, 1.0, 2.0]) * step for step in range(1, 5)])
    fig = fm.plot_ascent({"conv2d_1": values})
    (ax,) = fig.axes
    assert len(ax.lines) == 2 and ax.get_title() == "conv2d_1: 2 of 3 channels rise"
    plt.close("all")


def test_confusion_matrix_colours_fractions_and_writes_counts():
    matrix = np.array([[8, 2], [0, 5]])
    ax = fm.plot_confusion_matrix(matrix, ["W", "Z"])
    np.testing.assert_allclose(ax.images[0].get_array(), [[0.8, 0.2], [0.0, 1.0]])
    assert sorted(t.get_text() for t in ax.texts) == ["2", "5", "8"]  # no zero written
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W", "Z"]
    with pytest.raises(ValueError, match="square"):
        fm.plot_confusion_matrix(matrix, ["W"])
    plt.close("all")


def test_class_scores_mark_the_true_class():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]])
    fig = fm.plot_class_scores(RNG.random((3, 4, 4, 3)), probabilities, np.array([1, 2, 0]), ["a", "b", "c"])
    bars = [ax for ax in fig.axes if ax.patches]
    assert len(bars) == 3
    for ax, label in zip(bars, [1, 2, 0]):
        colours = [patch.get_facecolor() for patch in ax.patches]
        assert colours[label] == matplotlib.colors.to_rgba("tab:red")
        assert [p.get_width() for p in ax.patches] == pytest.approx(probabilities[bars.index(ax)])
    with pytest.raises(ValueError, match="probabilities"):
        fm.plot_class_scores(RNG.random((2, 4, 4)), probabilities, np.array([1, 2, 0]), ["a", "b", "c"])
    plt.close("all")
