"""A signal-versus-background toy with a mass-like feature, for decorrelation (book Exercise 13.1).

The book's exercise uses an unspecified "simple data set"; this one is built so that the
classic problem appears: a classifier that selects signal also sculpts the background
distribution of the mass-like feature 0, even when feature 0 is not an input, because other
features are correlated with it.

Features (columns of ``x``), with ``y = 1`` for signal and ``y = 0`` for background
-------------------------------------------------------------------------------------
0. ``m``, mass-like, GeV: background ``20 + Exp(mean 50)`` (falling from 20 GeV), signal
   ``N(80, 10)`` (a peak at 80 GeV), clipped at 20 GeV (a 6-sigma effect).
1. ``m / 100 + N(0, 0.1) + 0.1 y``: nearly linear in ``m`` (Pearson r about 0.98 in background).
2. ``sqrt(m) + N(0, 1) + 0.5 y``: a compressed function of ``m`` (r about 0.92 in background).
3. ``ln(m / 20) + N(0, 0.3) + 0.2 y``: a logarithm of ``m`` (r about 0.84 in background).
4. ``N(0, 1) + 1.0 y``: discriminating and independent of ``m``.

Features 1-3 discriminate through their dependence on ``m`` *and* through the small shifts of
their signal means; feature 4 discriminates without any link to ``m``.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_float, check_seed
from .generate import generate
from .registry import DatasetSpec, Param, register

FEATURE_NAMES = ("m", "m/100", "sqrt(m)", "ln(m/20)", "independent")
"""Short names of the five columns of ``x``."""
MASS_THRESHOLD_GEV = 20.0
"""Lower end of the mass spectrum, GeV."""
BACKGROUND_MASS_SCALE_GEV = 50.0
"""Mean of the exponential background above the threshold, GeV."""
SIGNAL_MASS_GEV = 80.0
"""Position of the signal peak, GeV."""
SIGNAL_WIDTH_GEV = 10.0
"""Gaussian width of the signal peak, GeV."""


def simulate(n: int, *, seed: int = 0, signal_fraction: float = 0.5, progress: bool | None = False) -> dict[str, np.ndarray]:
    """Draw ``n`` events of signal and background with five features.

    Parameters
    ----------
    n
        Number of events.
    seed
        Random seed.
    signal_fraction
        Probability that an event is signal, in (0, 1).
    progress
        Progress bar (``None``: on a terminal only).

    Returns
    -------
    dict
        ``x`` (n, 5) float64, the features :data:`FEATURE_NAMES` (column 0 in GeV);
        ``label`` (n,) int64, 1 for signal and 0 for background.
    """
    check_seed(seed)
    signal_fraction = check_float(signal_fraction, "signal_fraction", low=0, high=1, low_open=True, high_open=True)

    def sample(k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        label = (rng.uniform(size=k) < signal_fraction).astype(np.int64)
        background_mass = MASS_THRESHOLD_GEV + rng.exponential(BACKGROUND_MASS_SCALE_GEV, k)
        signal_mass = rng.normal(SIGNAL_MASS_GEV, SIGNAL_WIDTH_GEV, k)
        m = np.maximum(np.where(label == 1, signal_mass, background_mass), MASS_THRESHOLD_GEV)
        noise = rng.normal(size=(4, k))
        x = np.stack(
            [
                m,
                m / 100 + 0.1 * noise[0] + 0.1 * label,
                np.sqrt(m) + noise[1] + 0.5 * label,
                np.log(m / MASS_THRESHOLD_GEV) + 0.3 * noise[2] + 0.2 * label,
                noise[3] + 1.0 * label,
            ],
            axis=1,
        )
        return {"x": x, "label": label}

    return generate(sample, n, seed=seed, chunk_size=100_000, progress=progress, desc="decorrelation")


SPEC = register(
    DatasetSpec(
        name="decorrelation",
        summary="signal peak vs falling background in a mass-like feature plus correlated features (Ex. 13.1)",
        simulate=simulate,
        default_n=100_000,
        version=1,
        arrays="x (n, 5) [m GeV, m/100, sqrt(m), ln(m/20), independent]; label (n,) int64 1 = signal",
        sample_bytes=lambda **_: 5 * 8 + 8,
        params=(Param("signal_fraction", float, 0.5, "probability of an event being signal"),),
    )
)
