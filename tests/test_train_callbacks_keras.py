"""The package's EarlyStopping and ReduceLROnPlateau act at the same epochs as Keras' callbacks."""

import pytest
import torch

from dlpbook import train

pytestmark = pytest.mark.keras

SEQUENCES = [
    [3.0, 1.0, 2.0, 2.5, 2.0, 0.1, 0.2, 0.3, 0.4, 0.5],
    [1.0, 0.9, 0.8, 0.8, 0.9, 0.7, 0.71, 0.72, 0.6, 0.65, 0.66, 0.67],
    [5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
]


def _package_run(val_loss, patience, lr_patience):
    """Epochs run and learning rate after each epoch, for the package's callbacks."""
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    callbacks = [train.ReduceLROnPlateau(0.5, lr_patience), train.EarlyStopping(patience, restore_best=False)]
    loop = train.EpochLoop(len(val_loss), 1, model=model, optimizer=optimizer, callbacks=callbacks, progress=False)
    rates = []
    for epoch in loop:
        loop.batch_done()
        loop.end_epoch({"val_loss": val_loss[epoch - 1]})
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


def _keras_run(keras, val_loss, patience, lr_patience):
    """The same for ``keras.callbacks``, driven epoch by epoch on a one-weight model."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
    model.stop_training = False
    callbacks = [
        keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=lr_patience, min_delta=0.0),
        keras.callbacks.EarlyStopping(patience=patience),
    ]
    for callback in callbacks:
        callback.set_model(model)
        callback.on_train_begin()
    rates = []
    for epoch, value in enumerate(val_loss):
        for callback in callbacks:
            callback.on_epoch_end(epoch, {"val_loss": value})
        rates.append(float(model.optimizer.learning_rate.numpy()))
        if model.stop_training:
            break
    return rates


@pytest.mark.parametrize("val_loss", SEQUENCES)
@pytest.mark.parametrize(("patience", "lr_patience"), [(0, 0), (1, 0), (2, 1), (3, 2)])
def test_callbacks_act_at_the_epochs_keras_acts(val_loss, patience, lr_patience):
    pytest.importorskip("tensorflow")
    from dlpbook import config

    config.import_tensorflow()
    import keras

    assert _package_run(val_loss, patience, lr_patience) == _keras_run(keras, val_loss, patience, lr_patience)
