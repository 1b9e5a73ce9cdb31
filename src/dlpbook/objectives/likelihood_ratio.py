"""The classifier likelihood-ratio trick (book Sec. 14.2, Eqs. 14.14, 14.15; Ref. [147]).

A classifier ``D(x)`` trained with binary cross-entropy (Eqs. 14.28, 14.29) to tell samples of
``p`` (label 1) from samples of ``q`` (label 0) approaches ``D = n_p p / (n_p p + n_q q)``, so

    ``p(x) / q(x) = D / (1 - D) * n_q / n_p``,

and with a logit output ``s`` (``D = sigmoid(s)``) simply ``exp(s) * n_q / n_p``: the
likelihood ratio ``lambda = log p / q`` of Neyman and Pearson (Eq. 14.14) is the logit. Only
samples of the two densities are needed, never their formulas; Chapters 16, 19 and 20 reuse it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from ..history import History
from ..nn.mlp import MLP, mlp
from ..train import fit
from ..validation import ParameterError, check_count, check_positive, check_seed


def _samples(values, name: str) -> np.ndarray:
    x = np.asarray(values, dtype=np.float32)
    x = x[:, None] if x.ndim == 1 else x
    if x.ndim != 2 or len(x) == 0 or not np.all(np.isfinite(x)):
        raise ParameterError(name, "a non-empty array (n,) or (n, features) of finite numbers", values)
    return x


def train_ratio_classifier(
    samples_p,
    samples_q,
    *,
    hidden: Sequence[int] = (32, 32),
    epochs: int = 20,
    batch_size: int = 128,
    learning_rate: float = 3e-3,
    seed: int = 0,
    progress: bool | None = False,
) -> tuple[MLP, History]:
    """Train a classifier of ``p`` (label 1) against ``q`` (label 0) with binary cross-entropy.

    Parameters
    ----------
    samples_p, samples_q
        Samples, arrays (n,) or (n, features) with the same number of features.
    hidden
        Hidden layer widths of the tanh network (:func:`dlpbook.nn.mlp`); its output is the logit.
    epochs, batch_size, learning_rate, seed
        Training with Adam through :func:`dlpbook.train.fit`.
    progress
        Progress bar.

    Returns
    -------
    (MLP, History)
        The network (logit output; use :func:`likelihood_ratio`) and its training record.
        The class sizes are kept as the attributes ``n_p`` and ``n_q`` of the network.
    """
    x_p, x_q = _samples(samples_p, "samples_p"), _samples(samples_q, "samples_q")
    if x_p.shape[1] != x_q.shape[1]:
        raise ParameterError("samples_q", f"samples with {x_p.shape[1]} features as samples_p", samples_q)
    learning_rate = check_positive(learning_rate, "learning_rate")
    model = mlp(x_p.shape[1], hidden, 1, activation="tanh", seed=check_seed(seed))
    model.n_p, model.n_q = len(x_p), len(x_q)
    inputs = np.concatenate([x_p, x_q])
    labels = np.concatenate([np.ones((len(x_p), 1)), np.zeros((len(x_q), 1))]).astype(np.float32)
    history = fit(model, (inputs, labels), loss=torch.nn.BCEWithLogitsLoss(),
                  optimizer=torch.optim.Adam(model.parameters(), lr=learning_rate), epochs=check_count(epochs, "epochs"),
                  batch_size=batch_size, seed=seed, progress=progress)
    return model, history


@torch.no_grad()
def likelihood_ratio(classifier: MLP, x) -> np.ndarray:
    """``r(x) = D / (1 - D) * n_q / n_p`` ≈ ``p(x) / q(x)`` from a trained logit classifier.

    Parameters
    ----------
    classifier
        From :func:`train_ratio_classifier` (its class sizes ``n_p``, ``n_q`` correct for
        unequal samples).
    x
        Points, (n,) or (n, features).

    Returns
    -------
    ndarray (n,)
        The estimated ratio, computed as ``exp(logit)`` (no rounding of ``D`` near 0 or 1).
    """
    points = torch.as_tensor(_samples(x, "x"))
    classifier.eval()
    logit = classifier(points.to(next(classifier.parameters()).device))[:, 0].double().cpu().numpy()
    return np.exp(logit) * classifier.n_q / classifier.n_p
