"""The quick profile must still show what each exercise's task asks about.

The ``quick`` settings of an exercise train less than the original, but a page that runs them
has to show the phenomenon of its task (overtraining, a fit that reaches the peaks, the solution
being the best setup). These tests run the ``quick`` settings objects the pages run and check
that phenomenon with thresholds that the original-sized (``full``) runs of Ex. 5.1 and 5.2 also
meet (measured once; they take minutes).
"""

import numpy as np
import pytest

from dlpbook.exercises import checkerboard as cb
from dlpbook.exercises import interpolation, wine_regression


def test_ex51_quick_overtrains_without_penalty_and_not_with_the_cure():
    study = cb.RegularizationStudy.for_profile("quick")
    rates = {label: (l1, l2) for label, l1, l2 in study.penalties}
    plain = cb.train_torch(study.run).history
    cured = cb.train_torch(study.run.replace(l1=rates[study.cure][0], l2=rates[study.cure][1])).history
    # without penalty the test loss rises clearly above its minimum while the training loss falls
    # (full, PyTorch: lowest 0.249, final 0.336, training 0.132; with L2 0.01: 0.256, 0.257)
    assert min(plain["test_loss"]) < 0.85 * plain["test_loss"][-1]
    assert plain["train_loss"][-1] < 0.6 * plain["test_loss"][-1]
    # the chosen penalty keeps the test loss near its minimum and ends clearly below the plain run
    assert min(cured["test_loss"]) > 0.9 * cured["test_loss"][-1]
    assert cured["test_loss"][-1] < 0.85 * plain["test_loss"][-1]
    assert cured["test_accuracy"][-1] > plain["test_accuracy"][-1]


@pytest.mark.keras
def test_ex51_quick_overtrains_in_keras_too():
    pytest.importorskip("tensorflow")
    study = cb.RegularizationStudy.for_profile("quick")
    rates = {label: (l1, l2) for label, l1, l2 in study.penalties}
    plain = cb.train_keras(study.run).history
    cured = cb.train_keras(study.run.replace(l1=rates[study.cure][0], l2=rates[study.cure][1])).history
    assert min(plain["test_loss"]) < 0.85 * plain["test_loss"][-1]
    assert min(cured["test_loss"]) > 0.88 * cured["test_loss"][-1]
    # train_keras seeds TensorFlow's global generator, so the shuffling no longer depends on what ran
    # before; with that order the cure ends 10 % below the unpenalised run (0.308 vs 0.343)
    assert cured["test_loss"][-1] < 0.92 * plain["test_loss"][-1]


def assert_reaches_the_original_fit(fit, settings):
    # the full (original-sized) runs end at a loss of 2.99 (PyTorch) / 2.80 (Keras) and a distance
    # from f of 1.80 / 1.48; 12 epochs of the original settings on 2,000 points ended at 4.73 and 2.64
    assert fit.loss[-1] < 3.3
    assert fit.test_mse < 2.0
    # the central peaks at x = -pi/2, +pi/2 rise above the neighbouring valleys by a quarter of
    # f's rise or more (full runs: 0.29 to 0.64; the 12-epoch run: below 0.15)
    final = fit.snapshots[settings.epochs]
    for peak in (-np.pi / 2, np.pi / 2):
        near_peak = np.abs(fit.x_grid - peak) < 0.4
        valley = np.abs(fit.x_grid - (peak - np.pi / 2)) < 0.05
        rise = final[near_peak].max() - final[valley].mean()
        assert rise > 0.25 * (fit.f_grid[near_peak].max() - fit.f_grid[valley].mean())


def test_ex52_quick_reaches_the_original_fit():
    settings = interpolation.InterpolationStudy.for_profile("quick").run
    assert_reaches_the_original_fit(interpolation.train_torch(settings), settings)


@pytest.mark.keras
def test_ex52_quick_reaches_the_original_fit_in_keras():
    pytest.importorskip("tensorflow")
    settings = interpolation.InterpolationStudy.for_profile("quick").run
    assert_reaches_the_original_fit(interpolation.train_keras(settings), settings)


def test_ex53_quick_comparison_ranks_the_solution_first():
    split = wine_regression.load_split(seed=0)
    rows = wine_regression.WineStudy.for_profile("quick").compare(split)
    assert rows[-1]["setup"].endswith("(solution)")
    assert wine_regression.best_row(rows) is rows[-1]
    # at equal updates, the minibatch runs are not held back by fewer steps
    steps = [row["steps"] for row in rows]
    assert max(steps) < 1.05 * min(steps)
