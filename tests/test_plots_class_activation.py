import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from dlpbook.plots.class_activation import plot_class_activation_maps


def test_maps_overlay_their_images_on_one_colour_scale():
    rng = np.random.default_rng(0)
    images = np.where(rng.random((2, 8, 8)) < 0.5, -1.0, 1.0)
    maps = rng.normal(size=(2, 3, 4, 4))
    maps[1, 2, 0, 0] = 9.0
    fig = plot_class_activation_maps(images, maps, ["first", "second"], ["a", "b", "c"])
    panels, colour_bar = fig.axes[:6], fig.axes[6]
    assert len(fig.axes) == 7 and colour_bar.get_ylabel() == "class activation"
    assert [ax.get_title() for ax in panels[:3]] == ["a map", "b map", "c map"]
    assert [panels[0].get_ylabel(), panels[3].get_ylabel()] == ["first", "second"]
    for index, ax in enumerate(panels):
        row, column = divmod(index, 3)
        spins, overlay = ax.get_images()
        np.testing.assert_array_equal(spins.get_array(), images[row])
        np.testing.assert_array_equal(overlay.get_array(), maps[row, column])
        # the 4 x 4 map covers the 8 x 8 image, interpolated bilinearly, on the shared scale
        assert overlay.get_extent() == spins.get_extent() == [0, 8, 8, 0]
        assert overlay.get_interpolation() == "bilinear" and overlay.get_alpha() == 0.7
        assert overlay.get_clim() == (maps.min(), 9.0) and spins.get_clim() == (-1.0, 1.0)


@pytest.mark.parametrize("images, maps, labels, names, match", [
    (np.ones((2, 8, 8)), np.ones((1, 2, 4, 4)), ["a", "b"], ["x", "y"], "same n"),
    (np.ones((1, 8, 8)), np.ones((1, 2, 3, 3)), ["a"], ["x", "y"], "divide"),
    (np.ones((1, 8, 8)), np.ones((1, 2, 4, 4)), ["a", "b"], ["x", "y"], "row labels"),
    (np.ones((1, 8, 8)), np.ones((1, 2, 4, 4)), ["a"], ["x"], "class names"),
])
def test_mismatched_arguments_are_refused(images, maps, labels, names, match):
    with pytest.raises(ValueError, match=match):
        plot_class_activation_maps(images, maps, labels, names)
