"""Keras 3 twins of :mod:`dlpbook.nn` for the book's Keras exercises, module by module.

- :mod:`dlpbook.keras_nn.mlp`: :func:`mlp`, the twin of :func:`dlpbook.nn.mlp` (same signature
  and defaults).
- :mod:`dlpbook.keras_nn.graph`: the Ex. 10.1 sky-map network with its precomputed fixed graph
  and the karate-club GCN (``skymap_dgcnn``, ``precompute_knn``, ``gcn``), with Keras layers for
  kNN, EdgeConv and GCN (``layers()``).
- :mod:`dlpbook.keras_nn.multitask`: the Ex. 11.1 network (``airshower_multitask_net``).
- :mod:`dlpbook.keras_nn.conv`: the Ex. 8.1/8.2 CNNs (``ising_cnn``, ``airshower_cnn``) and the
  Ex. 12.1/12.2 CNNs (``cifar_cnn``, ``mnist_cnn``).
- :mod:`dlpbook.keras_nn.recurrent`: the Ex. 9.1/9.2 networks (``lstm_forecaster``,
  ``bilstm_classifier``) and ``autoregressive_forecast``.
- :mod:`dlpbook.keras_nn.side_by_side`: several networks as one model (``side_by_side``).

The package itself holds the plumbing that every Keras exercise shares: :func:`keras`,
:func:`compile_for_fit`, the ``compile`` of every Keras training (with :func:`jit_compile`), and
:func:`epoch_stream`, training data that ``fit`` takes in one compiled call per epoch.
Importing it is cheap: TensorFlow loads on the first call of :func:`keras`, through
:func:`dlpbook.config.import_tensorflow`, so that its C++ log lines stay out of pages.
"""

from .. import config


def keras():
    """Import and return Keras 3 (with TensorFlow's logs silenced)."""
    config.import_tensorflow()
    import keras

    return keras


def jit_compile() -> bool:
    """Whether to compile Keras models with XLA (``model.compile(jit_compile=...)``): only on a GPU.

    On the CPU XLA costs more than the exercises' small models gain from it: the six Ex. 3.3
    runs of a width take 3.7 s without XLA and 6.7 s with it, the Keras CNN of Ex. 8.1 trains in
    4.3 s instead of 10.0 s. Keras' own default (``jit_compile="auto"``) also leaves XLA off on
    a machine with nothing but CPUs, but turns it on wherever TensorFlow sees any other device;
    this choice is the same on every machine.
    """
    return bool(config.import_tensorflow().config.list_physical_devices("GPU"))


def compile_for_fit(model, x, y, *, optimizer, loss, **options) -> None:
    """``model.compile(optimizer, loss, **options)``, ready for ``fit`` to trace its step once.

    The ``compile`` of every Keras training of the exercises, with the choices they share:
    XLA only on a GPU (:func:`jit_compile`), and the variables of the optimizer, the losses and
    the metrics made here. Keras makes them lazily, inside the first trace of the training
    step, and TensorFlow then traces the step a second time without the variable creation;
    made beforehand, the step is traced once (Ex. 8.1's Keras CNN: 0.6 s less). The losses make
    variables only when there are several (one mean each), the metrics always: only then does
    the first sample of ``x`` go through the model here (an eager call, about 0.05 s, more than
    a small model saves).

    Parameters
    ----------
    model
        The Keras model.
    x, y
        Training inputs and targets, or a sample of them, as ``fit`` takes them (arrays, lists
        or dicts of arrays); their first sample builds the variables. Nothing is trained and
        the weights do not change.
    optimizer, loss, **options
        Passed to ``model.compile`` (``metrics``, ``loss_weights``, ``steps_per_execution``, ...).
    """
    model.compile(optimizer=optimizer, loss=loss, jit_compile=jit_compile(), **options)
    model.optimizer.build(model.trainable_variables)
    if len(model.outputs) > 1 or options.get("metrics") or options.get("weighted_metrics"):
        x_first, y_first = (keras().tree.map_structure(lambda values: values[:1], part) for part in (x, y))
        prediction = model(x_first, training=False)
        model.compute_loss(x_first, y_first, prediction)
        model.compute_metrics(x_first, y_first, prediction)
        model.reset_metrics()


def epoch_stream(x, y, *, batch_size: int, seed: int):
    """Training data for ``fit`` as an endless ``tf.data`` stream, reshuffled every epoch.

    Returns ``(stream, steps)``: fit with ``model.fit(stream, epochs=..., steps_per_epoch=steps)``
    and compile with ``steps_per_execution=steps`` (:func:`compile_for_fit`), so that each
    epoch is one compiled call. With arrays, ``fit`` sets up an iterator over them every epoch,
    which takes longer than the few dozen small steps of an exercise's epoch (Fig. 1.5's 50
    epochs of 25 steps: 4.1 s of CPU with arrays, 0.9 s from the stream). The shuffling also
    depends on TensorFlow's global seed: set it (``keras.utils.set_random_seed``) first.

    Parameters
    ----------
    x, y
        Training inputs and targets (arrays with the samples along the first axis).
    batch_size
        Samples per minibatch; the last minibatch of an epoch may be smaller.
    seed
        Seed of the shuffling.
    """
    n = len(y)
    stream = (
        config.import_tensorflow().data.Dataset.from_tensor_slices((x, y))
        .shuffle(n, seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .repeat()
    )
    return stream, -(-n // batch_size)


from .mlp import mlp  # noqa: E402  (mlp imports keras() from here)

__all__ = ["compile_for_fit", "epoch_stream", "jit_compile", "keras", "mlp"]
