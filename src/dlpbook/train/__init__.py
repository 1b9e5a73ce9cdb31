"""PyTorch training: :func:`fit`, its :class:`History`, callbacks, accuracy metrics, BatchNorm recalibration."""

from .accuracy import binary_accuracy, categorical_accuracy
from .batch_norm import recalibrate_batch_norm
from .callbacks import Callback, EarlyStopping, ReduceLROnPlateau
from .fit import as_tensor, fit, predict
from .history import History

__all__ = [
    "Callback",
    "EarlyStopping",
    "History",
    "ReduceLROnPlateau",
    "as_tensor",
    "binary_accuracy",
    "categorical_accuracy",
    "fit",
    "predict",
    "recalibrate_batch_norm",
]
