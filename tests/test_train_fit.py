import warnings

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
    model = dnn.mlp(1, [], 1, seed=0)
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
    # the package's one rule: the working point itself is class A (score >= threshold)
    assert train.binary_accuracy(torch.tensor([0.5, 0.5]), torch.tensor([1.0, 0.0])) == 0.5
    logits = torch.tensor([2.0, 0.0, -0.1, -3.0])
    assert train.binary_accuracy(logits, torch.tensor([1, 1, 0, 0]), threshold=0.0) == 1.0
    assert train.binary_accuracy(logits, torch.tensor([1, 1, 0, 0]), threshold=0.0) == train.binary_accuracy(
        torch.sigmoid(logits), torch.tensor([1, 1, 0, 0])
    )
    assert train.binary_accuracy(np.array([0.7, 0.1]), np.array([1, 1])) == 0.5
    scores = torch.tensor([[4.0, 5.0, 1.0], [-1.0, -2.0, -3.0], [0.1, 0.2, 0.3], [-1.0, 17.0, 1.0]])
    assert train.categorical_accuracy(scores, torch.tensor([0, 0, 2, 1])) == 0.75


def test_fit_validates_its_arguments():
    model = dnn.mlp(1, [], 1)
    kwargs = dict(loss=torch.nn.MSELoss(), optimizer=torch.optim.SGD(model.parameters(), lr=0.1), progress=False)
    x, y = _line_data(10)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1, got 0"):
        train.fit(model, (x, y), epochs=0, **kwargs)
    with pytest.raises(ValueError, match=r"differ in length.*train\['inputs'\] 10, train\['targets'\] 5"):
        train.fit(model, (x, y[:5]), epochs=1, **kwargs)
    with pytest.raises(ValueError, match="train is empty"):
        train.fit(model, (x[:0], y[:0]), epochs=1, **kwargs)
    with pytest.raises(ValueError, match=r"validation must be a pair \(inputs, targets\), got 3 items"):
        train.fit(model, (x, y), validation=(x, y, y), epochs=1, **kwargs)
    with pytest.raises(TypeError, match=r"train\['targets'\]\[0\] must be a NumPy array, a torch tensor, or a tuple, list or dict of them, got float"):
        train.fit(model, (x, [1.0] * 10), epochs=1, **kwargs)
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


# ------------------------------------------------------------------ reproducibility of plain (x, y)

# Recorded with the implementation that moved the whole data set to the device at once
# (commit 112efed), on the CPU: the host-side minibatches must not change a single step.
REFERENCE_LINE = {
    "loss": [1.9103415942192077, 0.0781331242620945, 0.037913887202739714, 0.03838560332854589],
    "mae": [0.4210348427295685, 0.16968172788619995, 0.16363407671451569, 0.16500858962535858],
    "val_mae": [0.41572731733322144, 0.1852843314409256, 0.1703415811061859, 0.16410908102989197],
    "val_loss": [0.2176002860069275, 0.04774155467748642, 0.040967706590890884, 0.04035843908786774],
}
REFERENCE_CLASSES = {
    "loss": [1.147869260538192, 0.792783708799453, 0.6297581635770344],
    "val_loss": [0.8900566697120667, 0.5885631442070007, 0.4348999857902527],
    "accuracy": [0.6123809814453125, 0.7714285850524902, 0.7780952453613281],
    "val_accuracy": [0.66, 0.84, 0.86],
}


def _line_run():
    x, y = _line_data()
    model = dnn.mlp(1, [8], 1, seed=0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    metrics = {"mae": lambda p, t: float((p - t).abs().mean())}
    history = train.fit(model, (x[:150], y[:150]), validation=(x[150:], y[150:]), loss=torch.nn.MSELoss(),
                        optimizer=optimizer, epochs=4, batch_size=16, seed=4, metrics=metrics, progress=False,
                        device="cpu")
    return history


def _class_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1100, 3)).astype(np.float32)
    label = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(np.int64) + (x[:, 2] > 1)
    return x, label


def test_plain_fit_reproduces_the_recorded_whole_set_implementation():
    history = _line_run()
    for key, values in REFERENCE_LINE.items():
        assert history[key] == pytest.approx(values, rel=1e-6, abs=0), key
    # 1050 training samples: a last batch of 50, and an evaluation in two passes of <= 1024
    x, label = _class_data()
    model = dnn.mlp(3, [16], 3, seed=1)
    history = train.fit(model, (x[:1050], label[:1050]), validation=(x[1050:], label[1050:]),
                        loss=torch.nn.CrossEntropyLoss(), optimizer=torch.optim.Adam(model.parameters(), lr=0.01),
                        epochs=3, batch_size=100, seed=7, metrics={"accuracy": train.categorical_accuracy},
                        progress=False, device="cpu")
    for key, values in REFERENCE_CLASSES.items():
        # the accuracy was a float32 mean before; it is an exact fraction of 1050 now
        assert history[key] == pytest.approx(values, rel=1e-6, abs=0), key


def test_plain_fit_is_bit_identical_to_a_whole_set_loop():
    """The recorded values above, on this machine's arithmetic: the old loop, written out."""
    x, y = _line_data()
    model = dnn.mlp(1, [8], 1, seed=0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x_all, y_all = train.as_tensor(x[:150]), train.as_tensor(y[:150])
    generator = torch.Generator().manual_seed(4)
    expected = []
    for _ in range(4):
        order = torch.randperm(150, generator=generator)
        total = 0.0
        for start in range(0, 150, 16):
            index = order[start : start + 16]
            optimizer.zero_grad()
            value = torch.nn.functional.mse_loss(model(x_all[index]), y_all[index])
            value.backward()
            optimizer.step()
            total += float(value.detach()) * len(index)
        expected.append(total / 150)
    assert _line_run()["loss"] == expected


def test_shuffling_depends_on_the_seed_only():
    def accessed(seed, global_seed):
        x, y = _line_data(40)
        recorder = RecordingArray(x)
        torch.manual_seed(global_seed)
        model = dnn.mlp(1, [], 1)
        train.fit(model, (recorder, y), loss=torch.nn.MSELoss(), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                  epochs=2, batch_size=8, seed=seed, progress=False, device="cpu")
        return np.concatenate([index for index in recorder.accessed if isinstance(index, np.ndarray)])

    first = accessed(3, global_seed=0)
    np.testing.assert_array_equal(first, accessed(3, global_seed=99))
    generator = torch.Generator().manual_seed(3)
    np.testing.assert_array_equal(first[:40], torch.randperm(40, generator=generator).numpy())
    np.testing.assert_array_equal(first[40:], torch.randperm(40, generator=generator).numpy())
    assert not np.array_equal(first, accessed(4, global_seed=0))


# ------------------------------------------------------------------ nested data, kept on the host


class RecordingArray:
    """An array-like that hands out samples on request and remembers every request."""

    def __init__(self, values):
        self.values = np.asarray(values)
        self.shape = self.values.shape
        self.accessed = []

    def __getitem__(self, index):
        self.accessed.append(index)
        return self.values[index]


def _access_size(index, n):
    return len(range(*index.indices(n))) if isinstance(index, slice) else len(index)


class TwoHeads(torch.nn.Module):
    """Two inputs (a dict), two outputs (a tuple): a position regression and a classification."""

    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(5, 32), torch.nn.ReLU())
        self.position = torch.nn.Linear(32, 1)
        self.kind = torch.nn.Linear(32, 2)
        self.devices = []

    def forward(self, inputs):
        self.devices += [tensor.device for tensor in inputs.values()]
        hidden = self.body(torch.cat([inputs["hits"], inputs["energy"]], dim=1))
        return self.position(hidden), self.kind(hidden)


def _two_head_data(n, seed=0):
    rng = np.random.default_rng(seed)
    hits = rng.normal(size=(n, 3))
    energy = rng.uniform(0, 1, (n, 2))
    position = hits[:, :1] - 2 * energy[:, :1]
    kind = (hits[:, 1] * energy[:, 1] > 0).astype(np.int64)
    return {"hits": hits, "energy": energy}, (position, kind)


def _two_head_loss(outputs, targets):
    position, logits = outputs
    return torch.nn.functional.mse_loss(position, targets[0]) + torch.nn.functional.cross_entropy(logits, targets[1])


def test_two_input_two_output_model_trains_on_nested_batches():
    inputs, targets = _two_head_data(600)
    torch.manual_seed(0)
    model = TwoHeads()
    history = train.fit(model, (inputs, targets), validation=_two_head_data(200, seed=1), loss=_two_head_loss,
                        optimizer=torch.optim.Adam(model.parameters(), lr=0.01), epochs=15, batch_size=32,
                        metrics={"kind_accuracy": lambda out, t: train.categorical_accuracy(out[1], t[1])},
                        progress=False, device="cpu")
    assert history["loss"][-1] < 0.3 * history["loss"][0]
    assert history["val_loss"][-1] < 0.3 * history["val_loss"][0]
    assert history["val_kind_accuracy"][-1] > 0.9
    position, logits = train.predict(model, {"hits": inputs["hits"][:5], "energy": inputs["energy"][:5]})
    assert isinstance(position, np.ndarray) and position.shape == (5, 1) and logits.shape == (5, 2)
    # every minibatch reached the model as tensors on the requested device
    assert set(model.devices) == {torch.device("cpu")}


def test_fit_reads_only_minibatches_of_the_host_data():
    n, batch_size = 1500, 50
    inputs, targets = _two_head_data(n)
    hits, position = RecordingArray(inputs["hits"]), RecordingArray(targets[0])
    torch.manual_seed(0)
    model = TwoHeads()
    train.fit(model, ({"hits": hits, "energy": inputs["energy"]}, (position, targets[1])), loss=_two_head_loss,
              optimizer=torch.optim.SGD(model.parameters(), lr=0.01), epochs=2, batch_size=batch_size,
              metrics={"mse": lambda out, t: float(torch.nn.functional.mse_loss(out[0], t[0]))},
              progress=False, device="cpu")
    for recorder in (hits, position):
        sizes = [_access_size(index, n) for index in recorder.accessed]
        # training minibatches, then the evaluation in passes of at most 1024: never the whole set
        assert max(sizes) == 1024 < n
        steps = [index for index in recorder.accessed if isinstance(index, np.ndarray)]
        assert len(steps) == 2 * n // batch_size and {len(index) for index in steps} == {batch_size}
        for epoch in range(2):
            seen = np.concatenate(steps[epoch * n // batch_size : (epoch + 1) * n // batch_size])
            np.testing.assert_array_equal(np.sort(seen), np.arange(n))
    hits.accessed.clear()
    train.predict(model, {"hits": hits, "energy": inputs["energy"]}, batch_size=100)
    assert [_access_size(index, n) for index in hits.accessed] == [100] * 15


def test_minibatches_travel_to_the_requested_device():
    x = {"hits": torch.zeros(8, 3), "energy": np.zeros((8, 2))}
    batch = train.take_batch(x, torch.tensor([3, 1]), "cpu")
    assert batch["hits"].device == batch["energy"].device == torch.device("cpu")
    assert batch["energy"].dtype == torch.float32 and batch["hits"].shape == (2, 3)
    labels = train.take_batch((np.arange(8), [np.ones(8, dtype=bool)]), slice(2, 5), torch.device("cpu"))
    assert isinstance(labels, tuple) and isinstance(labels[1], list)
    assert labels[0].tolist() == [2, 3, 4] and labels[1][0].dtype == torch.int64


def test_predict_checks_its_inputs():
    model = dnn.mlp(2, [], 1)
    with pytest.raises(ValueError, match="inputs is empty"):
        train.predict(model, np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"inputs\['a'\] 3, inputs\['b'\] 4"):
        train.predict(model, {"a": np.zeros((3, 2)), "b": np.zeros((4, 2))})
    with pytest.raises(TypeError, match="inputs must be a NumPy array.*got str"):
        train.predict(model, "points")
    with pytest.raises(ValueError, match="inputs must have a sample axis"):
        train.predict(model, np.float64(1.0))


def test_fit_trains_from_read_only_memory_mapped_files(tmp_path):
    x, y = _line_data(300)
    np.save(tmp_path / "x.npy", x.astype(np.float32))
    np.save(tmp_path / "y.npy", y.astype(np.float32))
    x_file, y_file = np.load(tmp_path / "x.npy", mmap_mode="r"), np.load(tmp_path / "y.npy", mmap_mode="r")
    model = dnn.mlp(1, [], 1, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns about sharing non-writable arrays
        history = train.fit(model, (x_file[:200], y_file[:200]), validation=(x_file[200:], y_file[200:]),
                            loss=torch.nn.MSELoss(), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                            epochs=10, batch_size=20, progress=False, device="cpu")
        prediction = train.predict(model, x_file)
    assert history["val_loss"][-1] < 0.01 and prediction.shape == (300, 1)
    assert not x_file.flags.writeable


def test_pandas_frames_are_refused_with_a_hint():
    class DataFrame:
        """pandas' indexing: frame[[0, 1]] selects columns, not samples."""

        shape = (2, 2)
        iloc = None

        def __getitem__(self, columns):
            raise AssertionError("columns taken for samples")

    with pytest.raises(TypeError, match=r"inputs is a pandas DataFrame: pass its .to_numpy\(\)"):
        train.predict(dnn.mlp(2, [], 1), DataFrame())
