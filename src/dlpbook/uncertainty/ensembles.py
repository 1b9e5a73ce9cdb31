"""Deep ensembles: several networks trained alike, combined into aleatoric and epistemic variances (book Sec. 13.1).

The book's recipe, with the formulas of its Fig. 13.1 for ``M`` members ``k``, each predicting a
mean ``mu_k`` and an aleatoric variance ``sigma_k^2`` (:mod:`.gaussian_likelihood`):

- prediction ``mu = (1/M) sum_k mu_k``;
- aleatoric variance ``sigma_ale^2 = (1/M) sum_k sigma_k^2`` (the noise of the data);
- epistemic variance ``sigma_epi^2 = (1/M) sum_k (mu_k - mu)^2`` (the members' disagreement,
  large where training data are sparse);
- total ``sigma_tot^2 = sigma_ale^2 + sigma_epi^2``, the variance of the equally weighted
  mixture of the members' Gaussians.

The same combination serves every set of stochastic predictions: MC-dropout passes
(:mod:`.mc_dropout`), weight samples of a Bayesian network (:mod:`.bayes_by_backprop`) and
bootstrap members (``resample=True``, :mod:`.bootstrap`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..history import History
from ..train import fit, predict
from ..train.batches import Nested, map_nested, sample_count
from ..train.fit import EVALUATION_BATCH_SIZE
from ..validation import check_count, check_positive, check_seed
from .bootstrap import bootstrap_indices
from .gaussian_likelihood import heteroscedastic_nll, split_mean_log_variance


@dataclass(frozen=True)
class PredictiveUncertainty:
    """An ensemble's prediction and its variances, each of the members' output shape.

    Attributes
    ----------
    mean
        ``mu``, the members' mean prediction.
    aleatoric
        ``sigma_ale^2``, the members' mean predicted variance (0 for point predictions).
    epistemic
        ``sigma_epi^2``, the variance of the members' means (``1/M``, as in the book's Fig. 13.1).
    """

    mean: np.ndarray
    aleatoric: np.ndarray
    epistemic: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """``sigma_tot^2 = sigma_ale^2 + sigma_epi^2``, the variance of the members' mixture."""
        return self.aleatoric + self.epistemic


def combine_members(means, variances=None) -> PredictiveUncertainty:
    """Combine the members' predictions ``mu_k`` and variances ``sigma_k^2`` (Sec. 13.1, Fig. 13.1).

    Parameters
    ----------
    means : (M, ...) array_like
        The prediction of every member (or MC-dropout pass, or weight sample) along the first axis.
    variances : (M, ...) array_like, optional
        Their aleatoric variances ``sigma_k^2`` (>= 0); ``None`` for point predictions
        (the aleatoric part is then 0).

    Returns
    -------
    PredictiveUncertainty
        Mean, aleatoric and epistemic variance, shaped like one member's prediction.
    """
    means = np.asarray(means, dtype=float)
    if means.ndim == 0:
        raise ValueError("means needs the members along its first axis, got a scalar")
    variances = np.zeros_like(means) if variances is None else np.asarray(variances, dtype=float)
    if variances.shape != means.shape:
        raise ValueError(f"variances must have the shape of means {means.shape}, got {variances.shape}")
    if np.any(variances < 0):
        raise ValueError("variances must be >= 0")
    return PredictiveUncertainty(mean=means.mean(axis=0), aleatoric=variances.mean(axis=0), epistemic=means.var(axis=0))


def combine_gaussian_outputs(outputs) -> PredictiveUncertainty:
    """Combine heteroscedastic outputs ``(mu_k, log sigma_k^2)`` of several members (:func:`combine_members`).

    Parameters
    ----------
    outputs : (M, n, 2 d) array_like
        The members' outputs, e.g. from :func:`member_outputs` or :func:`~.mc_dropout.mc_dropout_samples`.

    Returns
    -------
    PredictiveUncertainty
        Arrays of shape ``(n, d)``.
    """
    mean, log_variance = split_mean_log_variance(np.asarray(outputs, dtype=float))
    return combine_members(mean, np.exp(log_variance))


def member_outputs(
    models: Sequence[nn.Module], inputs: Nested, *, batch_size: int = EVALUATION_BATCH_SIZE, device=None
) -> np.ndarray:
    """The outputs of every member for ``inputs``, stacked along a first axis (:func:`dlpbook.train.predict`).

    Parameters
    ----------
    models
        The members; each returns one tensor.
    inputs, batch_size, device
        As for :func:`dlpbook.train.predict`.

    Returns
    -------
    (M, n, ...) ndarray
    """
    if not models:
        raise ValueError("models must hold at least one member")
    return np.stack([predict(model, inputs, batch_size=batch_size, device=device) for model in models])


def train_ensemble(
    build: Callable[[int], nn.Module],
    train: Sequence,
    *,
    epochs: int,
    members: int = 5,
    loss: Callable[[Nested, Nested], torch.Tensor] = heteroscedastic_nll,
    learning_rate: float = 1e-3,
    batch_size: int = 32,
    validation: Sequence | None = None,
    resample: bool = False,
    seed: int = 0,
    progress: bool | None = False,
    device: torch.device | str | None = None,
) -> tuple[list[nn.Module], list[History]]:
    """Train ``members`` networks alike with :func:`dlpbook.train.fit` and Adam: a deep ensemble (Sec. 13.1).

    The members differ by their initial weights and the order of their minibatches, each drawn
    from a seed of its own; with ``resample=True`` each also trains on its own bootstrap
    resample of ``train`` (:func:`~.bootstrap.bootstrap_indices`, bagging).

    Parameters
    ----------
    build
        ``build(seed) -> model``: a fresh network whose initial weights come from ``seed``, e.g.
        ``lambda s: dlpbook.nn.mlp(1, [64, 64], 2, seed=s)`` for a heteroscedastic regression.
    train, validation
        Pairs ``(inputs, targets)`` of nested arrays, as for :func:`dlpbook.train.fit`.
    epochs
        Passes over the training data per member (> 0).
    members
        Number of networks ``M`` (> 0).
    loss
        ``(outputs, targets) -> scalar``; the default :func:`~.gaussian_likelihood.heteroscedastic_nll`
        expects outputs ``(mu, log sigma^2)``.
    learning_rate
        Adam's learning rate (> 0).
    batch_size
        Minibatch size (> 0).
    resample
        Whether each member trains on a bootstrap resample instead of ``train`` itself.
    seed
        Seed (>= 0) of the members' seeds and the resamples.
    progress
        Progress bars of the trainings (``None``: on a terminal only).
    device
        Where to train (default :func:`dlpbook.config.torch_device`).

    Returns
    -------
    models : list of torch.nn.Module
        The trained members, in evaluation mode.
    histories : list of History
        Their training histories.
    """
    members = check_count(members, "members")
    learning_rate = check_positive(learning_rate, "learning_rate")
    *member_seeds, resample_seed = (int(s) for s in np.random.SeedSequence(check_seed(seed)).generate_state(members + 1))
    n = sample_count(train, "train")
    resamples = bootstrap_indices(n, members, seed=resample_seed) if resample else [slice(None)] * members
    models, histories = [], []
    for member_seed, index in zip(member_seeds, resamples):
        model = build(member_seed)
        data = map_nested(lambda array, index=index: array[index], train)
        history = fit(model, data, loss=loss, optimizer=torch.optim.Adam(model.parameters(), lr=learning_rate), epochs=epochs,
                      batch_size=batch_size, validation=validation, seed=member_seed, progress=progress, device=device)
        models.append(model)
        histories.append(history)
    return models, histories
