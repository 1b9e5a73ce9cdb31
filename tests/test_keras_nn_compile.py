import numpy as np
import pytest

pytestmark = pytest.mark.keras


def _train(prebuilt: bool):
    """Two epochs of a small penalised network with a metric, compiled either way; weights and history."""
    from dlpbook import keras_nn

    keras = keras_nn.keras()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x[:, :1] ** 2 + 0.1 * rng.normal(size=(64, 1))).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras_nn.mlp(3, [8], 1, l2=1e-3, seed=0)
    initial = model.get_weights()
    options = {"optimizer": keras.optimizers.Adam(learning_rate=1e-2), "loss": "mse", "metrics": ["mae"]}
    if prebuilt:
        keras_nn.compile_for_fit(model, x, y, **options)
        assert model.optimizer.built
        assert all(np.array_equal(a, b) for a, b in zip(initial, model.get_weights(), strict=True))
    else:
        model.compile(jit_compile=keras_nn.jit_compile(), **options)
        assert not model.optimizer.built
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    return model, history.history


def test_compile_for_fit_builds_first_and_trains_as_compile_does():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn

    model, history = _train(prebuilt=True)
    plain_model, plain_history = _train(prebuilt=False)
    assert model.jit_compile == keras_nn.jit_compile()
    # the sample that built the metrics is not counted in the first epoch
    assert history.keys() == plain_history.keys() == {"loss", "mae"}
    for key, values in history.items():
        np.testing.assert_allclose(values, plain_history[key], rtol=1e-6)
    for built, plain in zip(model.get_weights(), plain_model.get_weights(), strict=True):
        np.testing.assert_allclose(built, plain, rtol=1e-6, atol=1e-7)


def test_compile_for_fit_takes_several_inputs_and_outputs():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn

    keras = keras_nn.keras()
    a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
    joined = keras.layers.Concatenate()([a, b])
    model = keras.Model([a, b], {"u": keras.layers.Dense(1, name="u")(joined), "v": keras.layers.Dense(2, name="v")(joined)})
    x = [np.ones((5, 2), "float32"), np.ones((5, 3), "float32")]
    y = {"u": np.zeros((5, 1), "float32"), "v": np.zeros((5, 2), "float32")}
    keras_nn.compile_for_fit(model, x, y, optimizer="adam", loss={"u": "mse", "v": "mse"}, loss_weights={"u": 1.0, "v": 0.5})
    assert model.optimizer.built
    assert np.isfinite(model.fit(x, y, epochs=1, verbose=0).history["loss"][0])


def test_compile_for_fit_without_metrics_builds_only_the_optimizer():
    pytest.importorskip("tensorflow")
    from dlpbook import keras_nn

    keras = keras_nn.keras()
    model = keras_nn.mlp(2, [3], 1, seed=0)
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    keras_nn.compile_for_fit(model, x, y, optimizer=keras.optimizers.Adam(), loss="mse")
    assert model.optimizer.built and len(model.optimizer.variables) > 2  # Adam's moments exist
    assert np.isfinite(model.fit(x, y, epochs=1, verbose=0).history["loss"][0])
