"""dlpbook: reference implementations for *Deep Learning for Physics Research*.

The package is organised by concept rather than by chapter:

- :mod:`dlpbook.config`: the execution profile, devices, seeding and the cache directory.
- :mod:`dlpbook.data`: offline, seeded physics data sets and loaders, with an atomic cache.
- :mod:`dlpbook.numpynet`: a from-scratch NumPy network for Part 1 (backpropagation by hand).
- :mod:`dlpbook.train`: a PyTorch training loop with history, validation and callbacks.
- :mod:`dlpbook.graph`: graph networks on point clouds (kNN graphs, edge convolutions).
- :mod:`dlpbook.metrics` and :mod:`dlpbook.plots`: evaluation and figures.

Importing :mod:`dlpbook` is cheap: torch and TensorFlow are imported only by the modules
that need them.
"""

__version__ = "0.1.0"
