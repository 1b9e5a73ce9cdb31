"""Ex. 16.1 package code: settings, records, parameter counts."""

import numpy as np
import pytest

from dlpbook.exercises import karate_club
from dlpbook.nn import count_parameters
from dlpbook.nn.graph import gcn
from dlpbook.validation import ParameterError


def test_full_profile_is_the_original_exercise():
    full = karate_club.KarateSettings.for_profile("full")
    assert (full.iterations, full.lr, full.weight_decay, full.dropout) == (2000, 0.01, 1e-3, 0.4)
    assert full.labelled == (4, 19, 31, 33)
    quick = karate_club.KarateSettings.for_profile("quick")
    assert quick.replace(record_every=full.record_every) == full  # quick only records less often


@pytest.mark.parametrize("change, name", [
    ({"record_every": 30}, "record_every"),  # not a divisor of 2000
    ({"record_every": 4000}, "record_every"),
    ({"labelled": (4, 4)}, "labelled"),
    ({"labelled": (34,)}, "labelled"),
    ({"labelled": ()}, "labelled"),
    ({"dropout": 1.0}, "dropout"),
    ({"iterations": 0}, "iterations"),
])
def test_bad_settings_are_refused(change, name):
    with pytest.raises(ParameterError) as error:
        karate_club.KarateSettings().replace(**change)
    assert error.value.name == name


def test_network_has_the_exercises_parameters():
    assert count_parameters(gcn(34, [4, 4, 2], 4)) == karate_club.N_PARAMETERS == 168


def test_record_computes_masked_cross_entropies():
    labels = np.array([0, 1, 2, 3, 0])
    scores = np.log(np.array([[0.7, 0.1, 0.1, 0.1], [0.25] * 4, [0.1, 0.1, 0.7, 0.1], [0.7, 0.1, 0.1, 0.1],
                              [0.25] * 4]))
    values = karate_club.record(scores, np.zeros((5, 2)), labels, (0, 1))
    assert values["loss"] == pytest.approx(-(np.log(0.7) + np.log(0.25)) / 2)
    assert values["val_loss"] == pytest.approx(-(np.log(0.7) + np.log(0.1) + np.log(0.25)) / 3)
    assert values["val_accuracy"] == pytest.approx(2 / 3)  # member 4: a tie, argmax takes group 0


def test_short_torch_run_records_its_curves():
    settings = karate_club.KarateSettings(iterations=20, record_every=10)
    run = karate_club.train_torch(settings)
    assert run.n_parameters == 168
    np.testing.assert_array_equal(run.iterations, [0, 10, 20])
    assert run.embeddings.shape == (3, 34, 2) and np.all(np.abs(run.embeddings) <= 1)  # tanh
    assert run.loss[-1] < run.loss[0]
    assert run.unlabelled.sum() == 30 and run.correct == round(run.val_accuracy[-1] * 30)
    again = karate_club.train_torch(settings)
    np.testing.assert_array_equal(again.embeddings, run.embeddings)  # seeded, dropout masks included


def test_figures_draw():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = karate_club.train_torch(karate_club.KarateSettings(iterations=20, record_every=10))
    fig = karate_club.plot_solution(run, title="t")
    assert len(fig.axes) == 4
    plt.close(fig)
    fig = karate_club.plot_training(run)
    assert len(fig.axes) == 2
    plt.close(fig)
