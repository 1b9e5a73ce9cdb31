"""History: the framework-free record of a training run."""

import pytest

from dlpbook import train
from dlpbook.history import History


def test_appends_epochs_and_values():
    history = History()
    history.append(1, {"loss": 2, "val_loss": 3.0})
    history.append(2, {"loss": 1.5, "val_loss": 2.5})
    assert history.epochs == [1, 2]
    assert history["loss"] == [2.0, 1.5] and isinstance(history["loss"][0], float)
    assert "val_loss" in history and "accuracy" not in history
    assert sorted(history.keys()) == ["loss", "val_loss"]
    assert history.best_epoch is None and not history.stopped_early


def test_missing_key_names_the_recorded_ones():
    history = History()
    history.append(1, {"loss": 1.0})
    with pytest.raises(KeyError, match=r"no 'val_loss' in history; it has \['loss'\]"):
        history["val_loss"]


def test_train_re_exports_the_same_class():
    assert train.History is History
