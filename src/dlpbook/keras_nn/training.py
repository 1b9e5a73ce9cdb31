"""How every Keras exercise compiles its model: one ``compile`` for all trainings.

:func:`compile_for_fit` is ``model.compile`` with the two choices that the exercises share,
so that no exercise repeats them:

- XLA only on a GPU (``jit_compile=``:func:`dlpbook.keras_nn.jit_compile`);
- the variables of the optimizer, the losses and the metrics made before ``fit``. Keras makes
  them lazily, inside the first trace of the training step, and TensorFlow then traces the step
  a second time without the variable creation; made beforehand, the step is traced once, which
  halves the seconds ``fit`` needs before its first step on a CPU (several seconds for a
  recurrent network).
"""

from __future__ import annotations

from . import jit_compile, keras


def compile_for_fit(model, x, y, *, optimizer, loss, **options) -> None:
    """``model.compile(optimizer, loss, **options)``, ready for ``fit`` to trace its step once.

    Parameters
    ----------
    model
        The Keras model.
    x, y
        Training inputs and targets, or a sample of them, as ``fit`` takes them (arrays, lists
        or dicts of arrays); their first sample builds the variables. Nothing is trained and
        the model's weights do not change.
    optimizer, loss, **options
        Passed to ``model.compile`` (``metrics``, ``loss_weights``, ``steps_per_execution``, ...),
        with ``jit_compile`` set by :func:`dlpbook.keras_nn.jit_compile`.
    """
    tree = keras().tree
    model.compile(optimizer=optimizer, loss=loss, jit_compile=jit_compile(), **options)
    x_first, y_first = (tree.map_structure(lambda values: values[:1], part) for part in (x, y))
    prediction = model(x_first, training=False)
    model.optimizer.build(model.trainable_variables)
    model.compute_loss(x_first, y_first, prediction)
    model.compute_metrics(x_first, y_first, prediction)
    model.reset_metrics()
