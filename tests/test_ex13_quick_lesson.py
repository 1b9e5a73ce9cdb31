"""Ex. 13.1 in the quick profile: dropping feature 0 does not stop the sculpting, planing does most of that.

Measured with the quick settings (seed 0), PyTorch / Keras: accuracy 0.900 / 0.899 on all features,
0.862 / 0.864 without feature 0, 0.830 / 0.857 with planing weights; JSD of the background mass
at 5 % of the background kept 0.51 / 0.49, 0.45 / 0.48 and 0.23 / 0.22; background dCorr^2
0.18 / 0.18, 0.28 / 0.27 and 0.13 / 0.13.
"""

import numpy as np
import pytest

from dlpbook.exercises import planing
from dlpbook.validation import ParameterError


def assert_lesson(run):
    accuracy, jsd, dcorr = run.accuracy, {v: run.sculpting[v][-1] for v in planing.VARIANTS}, run.dcorr
    assert accuracy["all"] > 0.88 and accuracy["all"] > accuracy["without_m"] > 0.8 and accuracy["planing"] > 0.78
    assert accuracy["planing"] < accuracy["all"] - 0.02  # decorrelation costs separation
    assert np.all(np.diff(run.sculpting["all"]) > 0)  # tighter cuts sculpt more
    assert jsd["all"] > 0.35 and jsd["without_m"] > 0.8 * jsd["all"]  # the other features carry the mass
    assert jsd["planing"] < 0.6 * jsd["all"]
    assert dcorr["without_m"] > dcorr["all"] > dcorr["planing"]


def test_ex131_quick_torch():
    assert_lesson(planing.train_torch(planing.PlaningSettings.for_profile("quick")))


@pytest.mark.keras
def test_ex131_quick_keras():
    pytest.importorskip("tensorflow")
    assert_lesson(planing.train_keras(planing.PlaningSettings.for_profile("quick")))


def test_settings_and_correlations():
    with pytest.raises(ParameterError, match="kept"):
        planing.PlaningSettings(kept=(0.1, 0.5))
    with pytest.raises(ParameterError, match="hidden"):
        planing.PlaningSettings(hidden=(0,))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 5))
    x[:, 1] = 2 * x[:, 0]
    label = np.arange(1000) % 2
    for matrix in planing.correlation_coefficients(x, label).values():
        assert matrix.shape == (5, 5) and matrix[0, 1] == pytest.approx(1.0) and abs(matrix[0, 4]) < 0.15
