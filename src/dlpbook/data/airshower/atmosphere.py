"""CORSIKA five-layer atmosphere: vertical and slant depth versus height (book D3).

The model is CORSIKA's atmosphere 17, "US standard after Keilhauer". Below 100 km the
vertical depth is an exponential in each of four layers and linear above,

.. math:: X_v(h) = a_i + b_i\\, e^{-h/c_i} \\quad (i = 0..3), \\qquad X_v(h) = a_4 - b_4 h / c_4,

in g/cm^2 with ``h`` the height above sea level. Slant depths assume a flat Earth,
``X = X_v / cos(theta)``. At sea level ``X_v = a_0 + b_0 = 1033.8 g/cm^2`` and at the
1400 m of the Auger site 872.3 g/cm^2.
"""

from __future__ import annotations

import numpy as np

A_G_CM2 = np.array([-149.801663, -57.932486, 0.63631894, 4.35453690e-4, 0.01128292])
"""Layer offsets ``a_i``, g/cm^2."""
B_G_CM2 = np.array([1183.6071, 1143.0425, 1322.9748, 655.67307, 1.0])
"""Layer amplitudes ``b_i``, g/cm^2."""
C_M = np.array([954248.34, 800005.34, 629568.93, 737521.77, 1e9]) / 100.0
"""Layer scale heights ``c_i``, m (CORSIKA gives them in cm)."""
LAYER_BOTTOM_M = np.array([0.0, 7_000.0, 11_400.0, 37_000.0, 100_000.0])
"""Height of the lower edge of each layer above sea level, m."""
TOP_OF_ATMOSPHERE_M = A_G_CM2[4] * C_M[4] / B_G_CM2[4]
"""Height where the vertical depth reaches zero (112.8 km)."""


def vertical_depth(height_m: np.ndarray) -> np.ndarray:
    """Vertical atmospheric depth above ``height_m`` (m a.s.l.), g/cm^2 (0 above the top)."""
    h = np.asarray(height_m, dtype=float)
    layer = np.clip(np.searchsorted(LAYER_BOTTOM_M, h, side="right") - 1, 0, 4)
    a, b, c = A_G_CM2[layer], B_G_CM2[layer], C_M[layer]
    depth = np.where(layer < 4, a + b * np.exp(-h / c), a - b * h / c)
    return np.maximum(depth, 0.0)


_DEPTH_AT_LAYER_BOTTOM = vertical_depth(LAYER_BOTTOM_M)


def height_at_vertical_depth(depth_g_cm2: np.ndarray) -> np.ndarray:
    """Inverse of :func:`vertical_depth`: the height (m a.s.l.) above which lies ``depth_g_cm2``.

    Depths beyond the sea-level value give negative heights (the lowest layer extrapolated).
    """
    x = np.asarray(depth_g_cm2, dtype=float)
    if np.any(x < 0):
        raise ValueError(f"depth must be >= 0 g/cm^2, got {x.min()}")
    layer = np.sum(x[..., None] < _DEPTH_AT_LAYER_BOTTOM[1:], axis=-1)
    a, b, c = A_G_CM2[layer], B_G_CM2[layer], C_M[layer]
    exponential = -c * np.log(np.maximum((x - a) / b, 1e-300))
    return np.where(layer < 4, exponential, (a - x) * c / b)


def slant_depth(height_m: np.ndarray, zenith_rad: np.ndarray) -> np.ndarray:
    """Depth along a straight line at zenith angle ``zenith_rad`` above ``height_m`` (flat Earth), g/cm^2."""
    return vertical_depth(height_m) / np.cos(zenith_rad)


def height_at_slant_depth(depth_g_cm2: np.ndarray, zenith_rad: np.ndarray) -> np.ndarray:
    """Height (m a.s.l.) reached after slant depth ``depth_g_cm2`` at zenith angle ``zenith_rad``."""
    return height_at_vertical_depth(np.asarray(depth_g_cm2) * np.cos(zenith_rad))
