"""EpochLoop: the history, callbacks and progress bar of explicit training loops (GAN, VAE, ...)."""

import numpy as np
import pytest
import torch

from dlpbook import train
from dlpbook.history import History


def _explicit_run(values_per_epoch, callbacks=(), epochs=None):
    """A loop that records prescribed values, the way a GAN loop records its two losses."""
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    loop = train.EpochLoop(epochs or len(values_per_epoch), 3, model=model, optimizer=optimizer, callbacks=callbacks, progress=False)
    batches = 0
    for epoch in loop:
        for _ in range(3):
            batches += 1
            loop.batch_done()
        with torch.no_grad():
            model.weight.fill_(epoch)  # parameters that tell the epochs apart
        loop.end_epoch(values_per_epoch[epoch - 1])
    return loop, model, optimizer, batches


def test_records_every_epoch_in_a_history():
    values = [{"loss_d": 1.0, "loss_g": 2.0}, {"loss_d": 0.5, "loss_g": 1.5}]
    loop, _, _, batches = _explicit_run(values)
    assert isinstance(loop.history, History) and batches == 6
    assert loop.history.epochs == [1, 2]
    assert loop.history["loss_g"] == [2.0, 1.5]


def test_callbacks_stop_the_loop_and_restore_the_best_epoch():
    val_loss = [3.0, 1.0, 2.0, 2.5, 2.0, 0.1]
    stopping = train.EarlyStopping(patience=2, monitor="val_loss")
    lowering = train.ReduceLROnPlateau(factor=0.5, patience=0, monitor="val_loss")
    loop, model, optimizer, batches = _explicit_run([{"val_loss": v} for v in val_loss], [stopping, lowering])
    # best at epoch 2, the second epoch without improvement stops the loop after epoch 4
    assert loop.history.epochs == [1, 2, 3, 4] and batches == 12
    assert loop.history.stopped_early and loop.history.best_epoch == 2
    # on_train_end ran: the parameters of epoch 2 are back
    assert model.weight.item() == 2.0
    assert optimizer.param_groups[0]["lr"] == 0.5 / 4


def test_misuse_is_reported():
    model = torch.nn.Linear(1, 1)
    loop = train.EpochLoop(2, 1, model=model, progress=False)
    with pytest.raises(RuntimeError, match="end_epoch belongs inside the loop"):
        loop.end_epoch({"loss": 1.0})
    with pytest.raises(RuntimeError, match="epoch 1 ended without loop.end_epoch"):
        for _ in loop:
            pass
    loop = train.EpochLoop(2, 1, model=model, progress=False)
    with pytest.raises(RuntimeError, match="end_epoch was called twice in epoch 1"):
        for _ in loop:
            loop.end_epoch({"loss": 1.0})
            loop.end_epoch({"loss": 1.0})
    loop = train.EpochLoop(1, 1, model=model, progress=False)
    for _ in loop:
        loop.end_epoch({"loss": 1.0})
    with pytest.raises(RuntimeError, match="runs once"):
        next(iter(loop))
    with pytest.raises(ValueError, match="batches_per_epoch must be an integer >= 1"):
        train.EpochLoop(1, 0, model=model)


def test_progress_bar_counts_minibatches(capsys):
    values = [{"loss": 0.25}, {"loss": 0.125}]
    model = torch.nn.Linear(1, 1)
    loop = train.EpochLoop(2, 4, model=model, progress=True)
    for epoch in loop:
        for _ in range(4):
            loop.batch_done()
        loop.end_epoch(values[epoch - 1])
    bar = capsys.readouterr().err
    assert "epoch 2/2" in bar and "8/8" in bar and "loss=0.125" in bar


def test_shuffled_batches_cover_every_sample_once_per_epoch():
    generator = torch.Generator().manual_seed(11)
    batches = train.shuffled_batches(10, 4, generator)
    assert [len(b) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.sort(torch.cat(batches).numpy()), np.arange(10))
    np.testing.assert_array_equal(torch.cat(batches).numpy(), torch.randperm(10, generator=torch.Generator().manual_seed(11)).numpy())
