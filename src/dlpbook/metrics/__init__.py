"""Evaluation metrics, one module per concern (book Sec. 5.1 and 7.2).

Framework-free: every function takes NumPy arrays (or anything :func:`numpy.asarray`
accepts) and returns Python floats or NumPy arrays. The public names of the modules are
available here as well (``metrics.roc_curve``).

:mod:`~dlpbook.metrics.classification`
    The package's one classification rule, :func:`predict_labels` (class A when
    ``score >= threshold``); :func:`accuracy` (Eq. 5.3); :func:`efficiency` (sensitivity,
    Eq. 5.4) and :func:`purity` (precision, Eq. 5.5) at a working point; :func:`roc_curve` and
    :func:`roc_auc`.
:mod:`~dlpbook.metrics.regression`
    :func:`bias`, :func:`resolution`, :func:`central_interval_half_width` of the residuals,
    :func:`binned_resolution` in bins of the true value,
    :func:`fit_rayleigh` for two-dimensional distance residuals (Fig. 7.3b), and
    :func:`pearson_r`.
:mod:`~dlpbook.metrics.transition`
    A phase transition located by a classifier (Ex. 7.1, 8.1): :func:`binned_mean` per
    temperature bin, :func:`isotonic_fit`, :func:`threshold_crossing` and
    :func:`critical_temperature` (the 0.5 crossing of the mean output, with a bootstrap error).
:mod:`~dlpbook.metrics.sculpting`
    How a cut sculpts a protected variable (Sec. 13.2): :func:`jensen_shannon_divergence` of
    two histograms, :func:`threshold_keeping` a fraction, :func:`sculpting` of the background.

Calibration measures (chapter 13) join as another module.
"""

from .classification import (
    BinaryCounts,
    RocCurve,
    accuracy,
    binary_counts,
    confusion_matrix,
    efficiency,
    most_confused_pairs,
    predict_labels,
    purity,
    roc_auc,
    roc_curve,
)
from .regression import (
    BinnedResolution,
    RayleighFit,
    angular_distance,
    angular_resolution,
    bias,
    binned_resolution,
    central_interval_half_width,
    containment_radius,
    distance_resolution,
    fit_rayleigh,
    pearson_r,
    rayleigh_pdf,
    relative_resolution,
    resolution,
)
from .sculpting import jensen_shannon_divergence, sculpting, threshold_keeping
from .transition import (
    BinnedMean,
    CriticalPoint,
    binned_mean,
    critical_temperature,
    isotonic_fit,
    threshold_crossing,
)

__all__ = [
    "BinaryCounts",
    "BinnedMean",
    "BinnedResolution",
    "CriticalPoint",
    "RayleighFit",
    "RocCurve",
    "accuracy",
    "angular_distance",
    "angular_resolution",
    "bias",
    "binary_counts",
    "binned_mean",
    "binned_resolution",
    "central_interval_half_width",
    "confusion_matrix",
    "containment_radius",
    "critical_temperature",
    "distance_resolution",
    "efficiency",
    "fit_rayleigh",
    "isotonic_fit",
    "jensen_shannon_divergence",
    "most_confused_pairs",
    "pearson_r",
    "predict_labels",
    "purity",
    "rayleigh_pdf",
    "relative_resolution",
    "resolution",
    "roc_auc",
    "roc_curve",
    "sculpting",
    "threshold_crossing",
    "threshold_keeping",
]
