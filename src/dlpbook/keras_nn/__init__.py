"""Keras 3 twins of :mod:`dlpbook.nn` for the book's Keras exercises, module by module.

- :mod:`dlpbook.keras_nn.mlp`: :func:`mlp`, the twin of :func:`dlpbook.nn.mlp` (same signature
  and defaults).
- :mod:`dlpbook.keras_nn.graph`: the Ex. 10.1 sky-map network with its precomputed fixed graph
  and the karate-club GCN (``skymap_dgcnn``, ``precompute_knn``, ``gcn``), with Keras layers for
  kNN, EdgeConv and GCN (``layers()``).
- :mod:`dlpbook.keras_nn.multitask`: the Ex. 11.1 network (``airshower_multitask_net``).
- :mod:`dlpbook.keras_nn.conv`: the Ex. 8.1/8.2 CNNs (``ising_cnn``, ``airshower_cnn``).
- :mod:`dlpbook.keras_nn.recurrent`: the Ex. 9.1/9.2 networks (``lstm_forecaster``,
  ``bilstm_classifier``) and ``autoregressive_forecast``.
- :mod:`dlpbook.keras_nn.training`: ``compile_for_fit``, the ``compile`` of every Keras training
  of the exercises (XLA only on a GPU; the optimizer's variables made before ``fit``).

Importing this package is cheap: TensorFlow loads on the first call of :func:`keras`, through
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

    Keras 3 on TensorFlow compiles with XLA by default. On the CPU that costs about half a
    second per model, more than the exercises' small models gain from it: the six Ex. 3.3 runs
    of a width take 3.7 s without XLA and 6.7 s with it, with the same results.
    """
    return bool(config.import_tensorflow().config.list_physical_devices("GPU"))


from .mlp import mlp  # noqa: E402  (mlp imports keras() from here)

__all__ = ["jit_compile", "keras", "mlp"]
