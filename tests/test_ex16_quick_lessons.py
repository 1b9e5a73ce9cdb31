"""Ex. 16.1 in the quick profile: four labels spread through the graph to most of the 30 other members.

The quick settings are the original's (2000 iterations); seed 0 gets 27 of 30 unlabelled members
right in both frameworks, missing members 2, 9 and 23, the usual misses. Over 100 PyTorch starts
(``benchmarks/karate_starts.py``) most end with 26 or 27, about one in eight with the original's
29; so the test asks for 26, far above guessing the largest group (11 of 30).
"""

import numpy as np
import pytest

from dlpbook.exercises import karate_club


def assert_lesson(run):
    assert run.n_parameters == karate_club.N_PARAMETERS
    assert run.correct >= 26
    largest_group = np.bincount(run.labels[run.unlabelled]).max()
    assert largest_group == 11 and run.val_accuracy[0] * 30 < 20  # before training: a guess
    assert run.loss[-1] < 0.05  # the four labelled members are fitted


def test_ex161_quick_torch():
    assert_lesson(karate_club.train_torch(karate_club.KarateSettings.for_profile("quick")))


@pytest.mark.keras
def test_ex161_quick_keras():
    pytest.importorskip("tensorflow")
    assert_lesson(karate_club.train_keras(karate_club.KarateSettings.for_profile("quick")))
