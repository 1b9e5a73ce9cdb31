"""Recalibration of BatchNorm statistics after training."""

import pytest
import torch

from dlpbook.train import recalibrate_batch_norm


def test_running_statistics_become_the_average_over_batches():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    model[1].running_mean.fill_(7.0)  # stale statistics from "training"
    x = torch.randn(256, 3) * 2 + 1
    weights = [p.clone() for p in model.parameters()]

    out = recalibrate_batch_norm(model, x.numpy(), batch_size=64, max_batches=4)

    assert out is model and not model.training
    assert model[1].momentum == 0.1
    for before, after in zip(weights, model.parameters()):
        assert torch.equal(before, after)
    # all 256 samples are used once, in four batches of equal size
    order = torch.randperm(256, generator=torch.Generator().manual_seed(0)).reshape(4, 64)
    with torch.no_grad():
        hidden = [model[0](x[batch]) for batch in order]
    torch.testing.assert_close(model[1].running_mean, torch.stack([h.mean(0) for h in hidden]).mean(0))
    torch.testing.assert_close(model[1].running_var, torch.stack([h.var(0) for h in hidden]).mean(0))
    # evaluation now normalises the training data like a training pass does, up to batch noise
    with torch.no_grad():
        normalised = model(x)
    assert normalised.mean(0).abs().max() < 1e-5
    assert (normalised.std(0) - 1).abs().max() < 0.05


def test_rejects_models_without_batch_norm_and_too_little_data():
    with pytest.raises(ValueError, match="no BatchNorm"):
        recalibrate_batch_norm(torch.nn.Linear(2, 2), torch.zeros(10, 2))
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    with pytest.raises(ValueError, match="fewer than one batch"):
        recalibrate_batch_norm(model, torch.zeros(10, 2), batch_size=64)
    with pytest.raises(ValueError, match="must be > 0"):
        recalibrate_batch_norm(model, torch.zeros(10, 2), batch_size=0)
