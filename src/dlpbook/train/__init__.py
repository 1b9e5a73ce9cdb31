"""PyTorch training: :func:`fit`, its callbacks, accuracy metrics, BatchNorm recalibration.

:func:`fit` trains on nested data (an array, or tuples, lists and dicts of arrays) that stay
on the host and travel to the device one minibatch at a time (:mod:`~dlpbook.train.batches`).
Explicit loops (GANs, VAEs, domain adaptation) reuse the same pieces instead of hooks in
``fit``: :func:`shuffled_batches` and :func:`take_batch` for the minibatches,
:class:`EpochLoop` for the :class:`~dlpbook.history.History`, the callbacks and the progress
bar. :class:`History` itself is framework-free and lives in :mod:`dlpbook.history`.
"""

from ..history import History
from .accuracy import binary_accuracy, categorical_accuracy
from .batch_norm import recalibrate_batch_norm
from .batches import as_tensor, sample_count, shuffled_batches, take_batch
from .callbacks import Callback, EarlyStopping, ReduceLROnPlateau
from .fit import fit, predict
from .loop import EpochLoop

__all__ = [
    "Callback",
    "EarlyStopping",
    "EpochLoop",
    "History",
    "ReduceLROnPlateau",
    "as_tensor",
    "binary_accuracy",
    "categorical_accuracy",
    "fit",
    "predict",
    "recalibrate_batch_norm",
    "sample_count",
    "shuffled_batches",
    "take_batch",
]
