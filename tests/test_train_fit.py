import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from dlpbook import nn as dnn
from dlpbook import train
from dlpbook.plots.training import plot_history


def _line_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 1))
    return x, 3 * x - 1 + 0.05 * rng.normal(size=(n, 1))


def _fit(seed=0, **kwargs):
    torch.manual_seed(0)
    model = dnn.mlp(1, [], 1)
    x, y = _line_data()
    history = train.fit(
        model,
        (x[:150], y[:150]),
        loss=torch.nn.MSELoss(),
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        epochs=kwargs.pop("epochs", 30),
        batch_size=16,
        validation=(x[150:], y[150:]),
        seed=seed,
        progress=False,
        **kwargs,
    )
    return model, history


def test_fit_learns_a_line():
    model, history = _fit()
    weight, bias = model[0].weight.item(), model[0].bias.item()
    assert weight == pytest.approx(3, abs=0.05) and bias == pytest.approx(-1, abs=0.05)
    assert history["val_loss"][-1] < 0.01 < history["loss"][0]
    assert history.epochs == list(range(1, 31))
    assert history["lr"] == [0.1] * 30


def test_fit_is_reproducible_for_a_seed():
    assert _fit(seed=4)[1]["loss"] == _fit(seed=4)[1]["loss"]
    assert _fit(seed=4)[1]["loss"] != _fit(seed=5)[1]["loss"]


def test_early_stopping_restores_the_best_epoch():
    torch.manual_seed(0)
    x, y = _line_data(40)
    model = dnn.mlp(1, [64, 64], 1)
    history = train.fit(
        model,
        (x[:20], y[:20] + np.random.default_rng(1).normal(0, 1, (20, 1))),
        loss=torch.nn.MSELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=0.01),
        epochs=300,
        batch_size=4,
        validation=(x[20:], y[20:]),
        callbacks=[train.EarlyStopping(patience=5)],
        progress=False,
    )
    assert history.stopped_early and len(history.epochs) < 300
    best = history.best_epoch
    assert history["val_loss"][best - 1] == min(history["val_loss"])
    restored = float(torch.nn.functional.mse_loss(torch.as_tensor(train.predict(model, x[20:])), torch.as_tensor(y[20:]).float()))
    assert restored == pytest.approx(min(history["val_loss"]), rel=1e-4)


def test_reduce_lr_on_plateau_lowers_the_rate():
    callback = train.ReduceLROnPlateau(factor=0.5, patience=1, monitor="val_loss")
    model, history = _fit(epochs=60, callbacks=[callback])
    assert history["lr"][0] == 0.1 and history["lr"][-1] < 0.1
    assert all(later <= earlier for earlier, later in zip(history["lr"], history["lr"][1:]))


def test_metrics_and_regularizer():
    model, history = _fit(metrics={"mae": lambda p, t: float((p - t).abs().mean())})
    assert "mae" in history and "val_mae" in history and len(history["val_mae"]) == 30
    penalised, _ = _fit(regularizer=lambda m: dnn.weight_penalty(m, l2=1.0))
    assert abs(penalised[0].weight.item()) < abs(model[0].weight.item())


def test_accuracy_metrics():
    probability = torch.tensor([[0.9], [0.2], [0.6], [0.4]])
    assert train.binary_accuracy(probability, torch.tensor([1, 0, 0, 0])) == 0.75
    scores = torch.tensor([[4.0, 5.0, 1.0], [-1.0, -2.0, -3.0], [0.1, 0.2, 0.3], [-1.0, 17.0, 1.0]])
    assert train.categorical_accuracy(scores, torch.tensor([0, 0, 2, 1])) == 0.75


def test_fit_validates_its_arguments():
    model = dnn.mlp(1, [], 1)
    kwargs = dict(loss=torch.nn.MSELoss(), optimizer=torch.optim.SGD(model.parameters(), lr=0.1), progress=False)
    x, y = _line_data(10)
    with pytest.raises(ValueError, match="epochs must be > 0"):
        train.fit(model, (x, y), epochs=0, **kwargs)
    with pytest.raises(ValueError, match="differ in length"):
        train.fit(model, (x, y[:5]), epochs=1, **kwargs)
    with pytest.raises(KeyError, match="cannot monitor 'val_loss'"):
        train.fit(model, (x, y), epochs=2, callbacks=[train.EarlyStopping()], **kwargs)


def test_mlp_shapes_parameter_counts_and_validation():
    model = dnn.mlp(8, [64, 64, 64], 2)
    assert dnn.count_parameters(model) == 8 * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 2 + 2
    assert model(torch.zeros(5, 8)).shape == (5, 2)
    assert isinstance(dnn.mlp(4, [3], 1, dropout=0.3, output_activation="sigmoid")[-1], torch.nn.Sigmoid)
    with pytest.raises(ValueError, match="activation must be one of"):
        dnn.mlp(2, [3], 1, activation="swish2")
    with pytest.raises(ValueError, match="dropout must be a finite number >= 0 and < 1"):
        dnn.mlp(2, [3], 1, dropout=1.0)
    with pytest.raises(ValueError, match="positive integers"):
        dnn.mlp(2, [0], 1)


def test_weight_penalty_matches_its_formula():
    model = dnn.mlp(3, [4], 2)
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    expected = sum(0.1 * w.abs().sum() + 0.01 * w.square().sum() for w in weights)
    assert dnn.weight_penalty(model, l1=0.1, l2=0.01).item() == pytest.approx(expected.item())


def test_plot_history_accepts_history_and_keras_dicts():
    _, history = _fit(epochs=5)
    ax = plot_history(history, ax=matplotlib.pyplot.figure().gca())
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    ax = plot_history({"loss": [3.0, 2.0, 1.0]}, keys=("loss",), ax=matplotlib.pyplot.figure().gca(), logy=False)
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    with pytest.raises(KeyError):
        plot_history(history, keys=("val_accuracy",))
