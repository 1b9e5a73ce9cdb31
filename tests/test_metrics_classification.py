"""Classification metrics of book Sec. 5.1 on hand-computed examples and against scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sklearn_roc_curve

from dlpbook import metrics

# 4 class-A events (label 1) and 4 others; at threshold 0.5 three A and one non-A are selected
LABEL = np.array([1, 1, 1, 1, 0, 0, 0, 0])
SCORE = np.array([0.9, 0.8, 0.6, 0.3, 0.7, 0.4, 0.2, 0.1])


def test_predict_labels_is_the_one_rule_score_at_least_threshold():
    np.testing.assert_array_equal(metrics.predict_labels(SCORE), [1, 1, 1, 0, 1, 0, 0, 0])
    # the working point itself is class A, on every shape
    np.testing.assert_array_equal(metrics.predict_labels([[0.5], [0.4999]]), [[True], [False]])
    # a logit z >= 0 is sigmoid(z) >= 0.5, a tanh output t >= 0 is (1 + t) / 2 >= 0.5
    logit = np.array([-2.0, -1e-9, 0.0, 3.0])
    np.testing.assert_array_equal(metrics.predict_labels(logit, 0.0), metrics.predict_labels(1 / (1 + np.exp(-logit))))
    np.testing.assert_array_equal(metrics.predict_labels(np.tanh(logit), 0.0), metrics.predict_labels((1 + np.tanh(logit)) / 2))


def test_accuracy_hand_example():
    predicted = metrics.predict_labels(SCORE)
    # correct: three A selected + three non-A rejected = 6 of 8
    assert metrics.accuracy(LABEL, predicted) == 0.75
    assert metrics.accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75


def test_binary_counts_efficiency_purity_hand_example():
    counts = metrics.binary_counts(LABEL, SCORE, threshold=0.5)
    assert counts == metrics.BinaryCounts(true_positive=3, false_positive=1, true_negative=3, false_negative=1)
    assert metrics.efficiency(LABEL, SCORE, 0.5) == 0.75  # Eq. 5.4: 3 / 4
    assert metrics.purity(LABEL, SCORE, 0.5) == 0.75  # Eq. 5.5: 3 / (3 + 1)
    assert metrics.efficiency(LABEL, SCORE, 0.75) == 0.5
    assert metrics.purity(LABEL, SCORE, 0.75) == 1.0
    # the working point itself is selected (score >= threshold)
    assert metrics.efficiency(LABEL, SCORE, 0.9) == 0.25


def test_purity_is_nan_without_selection():
    assert np.isnan(metrics.purity(LABEL, SCORE, threshold=2.0))


def test_roc_curve_hand_example():
    roc = metrics.roc_curve(LABEL, SCORE)
    # scores descending: 0.9 A, 0.8 A, 0.7 n, 0.6 A, 0.4 n, 0.3 A, 0.2 n, 0.1 n
    np.testing.assert_array_equal(roc.thresholds, [np.inf, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(roc.tpr, [0, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 1])
    np.testing.assert_allclose(roc.fpr, [0, 0, 0, 0.25, 0.25, 0.5, 0.5, 0.75, 1])
    np.testing.assert_allclose(roc.purity[1:], [1, 1, 2 / 3, 3 / 4, 3 / 5, 4 / 6, 4 / 7, 4 / 8])
    assert np.isnan(roc.purity[0])
    # pairs (A, non-A) ranked correctly: 4 + 4 + 3 + 2 = 13 of 16
    assert roc.auc == pytest.approx(13 / 16)
    assert metrics.roc_auc(LABEL, SCORE) == pytest.approx(13 / 16)


def test_roc_ties_count_one_half():
    assert metrics.roc_auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    roc = metrics.roc_curve([1, 0, 1, 0], [0.7, 0.7, 0.2, 0.1])
    np.testing.assert_allclose(roc.tpr, [0, 0.5, 1, 1])
    np.testing.assert_allclose(roc.fpr, [0, 0.5, 0.5, 1])


def test_roc_points_are_the_counts_of_predict_labels_at_each_threshold():
    rng = np.random.default_rng(5)
    label = rng.integers(0, 2, 300)
    score = np.round(rng.normal(label * 0.5, 1.0), 1)
    roc = metrics.roc_curve(label, score)
    for fpr, tpr, threshold in zip(roc.fpr[1:], roc.tpr[1:], roc.thresholds[1:], strict=True):
        counts = metrics.binary_counts(label, score, threshold)
        assert tpr == counts.true_positive / label.sum()
        assert fpr == counts.false_positive / (label.size - label.sum())


def test_roc_matches_scikit_learn_on_random_data():
    rng = np.random.default_rng(7)
    label = rng.integers(0, 2, 2000)
    # overlapping Gaussians, rounded so that ties occur
    score = np.round(rng.normal(label * 0.8, 1.0), 2)
    roc = metrics.roc_curve(label, score)
    fpr, tpr, _ = sklearn_roc_curve(label, score, drop_intermediate=False)
    np.testing.assert_allclose(roc.fpr, fpr)
    np.testing.assert_allclose(roc.tpr, tpr)
    assert metrics.roc_auc(label, score) == pytest.approx(roc_auc_score(label, score), abs=1e-12)


def test_auc_random_and_perfect_scores():
    rng = np.random.default_rng(3)
    label = rng.integers(0, 2, 20_000)
    # standard error of the AUC for n_A = n_B = 10^4 is about 0.004
    assert metrics.roc_auc(label, rng.uniform(size=label.size)) == pytest.approx(0.5, abs=0.015)
    assert metrics.roc_auc(label, label + 0.1 * rng.uniform(size=label.size)) == 1.0
    assert metrics.roc_auc(label, -label) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: metrics.accuracy([0, 1], [0, 1, 1]), "same length"),
        (lambda: metrics.accuracy([0, 1], [0.2, 0.9]), "classify them first with predict_labels"),
        (lambda: metrics.accuracy([[0, 1]], [[0, 1]]), "one-dimensional"),
        (lambda: metrics.accuracy([], []), "must not be empty"),
        (lambda: metrics.efficiency([0, 2], [0.1, 0.2]), "only 0 and 1"),
        (lambda: metrics.efficiency([0, 0], [0.1, 0.2]), "without class-A"),
        (lambda: metrics.purity([0, 1], [0.1, np.nan]), "finite"),
        (lambda: metrics.binary_counts([0, 1], [0.1, 0.2], threshold=np.nan), "threshold must be a finite number"),
        (lambda: metrics.predict_labels([0.1, np.inf]), "score must be finite"),
        (lambda: metrics.roc_curve([1, 1], [0.1, 0.2]), "both classes"),
    ],
)
def test_classification_validation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_confusion_matrix_matches_scikit_learn_and_counts_every_sample():
    rng = np.random.default_rng(3)
    label, predicted = rng.integers(0, 5, 300), rng.integers(0, 5, 300)
    ours = metrics.confusion_matrix(label, predicted)
    np.testing.assert_array_equal(ours, sklearn_confusion_matrix(label, predicted))
    assert ours.sum() == 300 and np.trace(ours) == np.sum(label == predicted)
    # classes that never occur still get their row and column
    assert metrics.confusion_matrix([0, 1], [1, 1], n_classes=4).tolist() == [
        [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]


def test_most_confused_pairs_add_both_directions():
    matrix = np.array([[5, 3, 0], [1, 9, 2], [0, 2, 7]])
    # 0<->1: 3 + 1 = 4, 1<->2: 2 + 2 = 4 (tie: lower classes first), 0<->2: none
    assert metrics.most_confused_pairs(matrix, k=5) == [(0, 1, 4), (1, 2, 4)]
    assert metrics.most_confused_pairs(matrix, k=1) == [(0, 1, 4)]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: metrics.confusion_matrix([0, 1], [0]), "same length"),
    (lambda: metrics.confusion_matrix([0, -1], [0, 1]), "class indices"),
    (lambda: metrics.confusion_matrix([0.5, 1], [0, 1]), "class indices"),
    (lambda: metrics.confusion_matrix([0, 3], [0, 1], n_classes=2), "n_classes"),
    (lambda: metrics.most_confused_pairs(np.ones((2, 3))), "square"),
])
def test_confusion_checks(call, message):
    with pytest.raises(ValueError, match=message):
        call()
