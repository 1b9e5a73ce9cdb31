"""Exercise 4.3: one-hot encoding, softmax, cross-entropy and accuracy on four fixed events.

The fixture of the original exercise: three classes, true labels ``[0, 0, 2, 1]`` and the
network outputs (logits) ``z`` below. Each function computes the same five results, with NumPy
(:mod:`dlpbook.numpynet`), with ``torch.nn.functional`` and with ``keras.ops``:
categorical cross-entropy (natural log) 0.684028, predicted classes ``[1, 0, 2, 1]`` and
accuracy 0.75.
"""

from __future__ import annotations

import numpy as np

from .. import config
from ..numpynet.losses import categorical_cross_entropy, one_hot, softmax

LABELS = np.array([0, 0, 2, 1])
"""True classes of the four events."""

LOGITS = np.array([[4.0, 5.0, 1.0], [-1.0, -2.0, -3.0], [0.1, 0.2, 0.3], [-1.0, 17.0, 1.0]])
"""Network outputs z (4 events, 3 classes) before the softmax."""

N_CLASSES = 3


def solve_numpy(labels: np.ndarray = LABELS, logits: np.ndarray = LOGITS) -> dict:
    """One-hot targets, softmax probabilities, cross-entropy, predictions and accuracy in NumPy."""
    target = one_hot(labels, N_CLASSES)  # Eq. 4.19
    probabilities = softmax(logits)  # Eq. 4.18
    predicted = probabilities.argmax(axis=1)
    return {
        "one_hot": target,
        "probabilities": probabilities,
        "cross_entropy": categorical_cross_entropy(target, probabilities),  # Eq. 4.22, natural log
        "predicted": predicted,
        "accuracy": float(np.mean(predicted == labels)),
    }


def solve_torch(labels: np.ndarray = LABELS, logits: np.ndarray = LOGITS) -> dict:
    """The same with ``torch.nn.functional``; ``F.cross_entropy`` takes logits and integer labels."""
    import torch
    import torch.nn.functional as F

    y, z = torch.as_tensor(labels), torch.as_tensor(logits)
    predicted = z.argmax(dim=1)
    return {
        "one_hot": F.one_hot(y, N_CLASSES).numpy().astype(float),
        "probabilities": F.softmax(z, dim=1).numpy(),
        "cross_entropy": float(F.cross_entropy(z, y)),
        "predicted": predicted.numpy(),
        "accuracy": float((predicted == y).double().mean()),
    }


def solve_keras(labels: np.ndarray = LABELS, logits: np.ndarray = LOGITS) -> dict:
    """The same with ``keras.ops`` (backend-independent Keras 3 operations)."""
    config.import_tensorflow()
    from keras import ops

    target = ops.one_hot(labels, N_CLASSES)
    probabilities = ops.softmax(ops.convert_to_tensor(logits), axis=-1)
    predicted = ops.argmax(probabilities, axis=1)
    cross_entropy = ops.mean(ops.categorical_crossentropy(target, probabilities))
    return {
        "one_hot": ops.convert_to_numpy(target).astype(float),
        "probabilities": ops.convert_to_numpy(probabilities),
        "cross_entropy": float(cross_entropy),
        "predicted": ops.convert_to_numpy(predicted),
        "accuracy": float(np.mean(ops.convert_to_numpy(predicted) == labels)),
    }
