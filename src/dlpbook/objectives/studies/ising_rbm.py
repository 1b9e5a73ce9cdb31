"""A restricted Boltzmann machine learns the Boltzmann distribution of a small Ising lattice (Sec. 14.6).

A 4 x 4 lattice has 2^16 configurations, few enough to enumerate: the samples are drawn exactly
(:func:`ising_boltzmann_distribution`), and the machine's exact likelihood and its KL divergence
from the Ising distribution can be computed (:func:`ising_rbm_study`).
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import torch

from ...data import ising
from ...result_cache import cached_result
from ...validation import check_int, check_positive
from .. import rbm
from .common import TRAINING_MODULES, cache_key, from_cache_key, register, study_settings


@dataclasses.dataclass(frozen=True)
class IsingRBMSettings:
    """``n_samples`` exact Boltzmann samples of an ``size x size`` Ising lattice at
    ``temperature``; an RBM with ``n_hidden`` units trained with CD-``k`` and plain SGD."""

    size: int
    temperature: float
    n_samples: int
    n_hidden: int
    k: int
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int = 0


register("ising_rbm", quick=IsingRBMSettings(4, 2.5, 2000, 8, 3, 20, 40, 0.2),
         full=IsingRBMSettings(4, 2.5, 20_000, 16, 5, 50, 20, 0.05))


MAX_ISING_ENUMERATION = 4
"""Largest lattice of :func:`ising_boltzmann_distribution` (2^16 states)."""


def ising_boltzmann_distribution(size: int, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """All ``2^(size^2)`` spin configurations of a periodic Ising lattice and their Boltzmann probabilities.

    Parameters
    ----------
    size
        Linear lattice size, 2 to :data:`MAX_ISING_ENUMERATION`.
    temperature
        ``T`` in units of ``J / k_B`` (> 0).

    Returns
    -------
    states : (2^(size^2), size, size) int8 of +-1
    probability : (2^(size^2),) float64, ``exp(-H / T) / Z``
    """
    size = check_int(size, "size", low=2, high=MAX_ISING_ENUMERATION)
    temperature = check_positive(temperature, "temperature")
    states = np.array(list(itertools.product((-1, 1), repeat=size * size)), dtype=np.int8).reshape(-1, size, size)
    energy = ising.energy(states) * size * size
    weight = np.exp(-(energy - energy.min()) / temperature)
    return states, weight / weight.sum()


@cached_result(depends=(ising, rbm, *TRAINING_MODULES))
def _train_ising_rbm(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = from_cache_key(IsingRBMSettings, run, seed)
    states, probability = ising_boltzmann_distribution(settings.size, settings.temperature)
    index = np.random.default_rng(seed).choice(len(states), settings.n_samples, p=probability)
    visible = (states.reshape(len(states), -1) + 1) // 2  # spin -1/+1 -> unit 0/1
    model, history = rbm.train_rbm(visible[index], settings.n_hidden, k=settings.k, epochs=settings.epochs,
                                   batch_size=settings.batch_size, learning_rate=settings.learning_rate,
                                   seed=seed, exact_likelihood=True)
    untrained = rbm.RBM(visible.shape[1], settings.n_hidden, seed=seed)
    all_states = torch.as_tensor(visible, dtype=torch.float64)
    with torch.no_grad():
        log_p_model = model.log_likelihood(all_states).numpy()
        initial = float(untrained.log_likelihood(all_states[index]).mean())
    return {
        "log_likelihood": np.array([initial, *history["log_likelihood"]]),
        "probability:ising": probability,
        "probability:rbm": np.exp(log_p_model),
        "magnetization": ising.magnetization(states),
        "sample_index": index,
    }


def ising_rbm_study(settings: IsingRBMSettings | None = None) -> dict[str, np.ndarray]:
    """An RBM learns the Boltzmann distribution of a small Ising lattice with CD-k (cached).

    The samples are drawn exactly from the enumerated distribution, so the quality of the
    machine is known exactly: its mean log-likelihood cannot exceed ``-S`` (the entropy of the
    data distribution, the best any model can do on average), and the gap is ``D_KL``
    (Eq. 14.13).

    Returns
    -------
    dict
        ``log_likelihood``: the exact mean ``ln p(x)`` of the training samples before training
        and after each epoch, nats; ``entropy``: ``S = -sum p ln p`` of the Ising distribution,
        nats; ``kl``: ``D_KL(p_Ising || p_RBM)`` after training, nats; ``probability:ising``,
        ``probability:rbm`` and ``magnetization`` for every configuration;
        ``sample_index``: the configurations drawn for training.
    """
    settings = settings or study_settings("ising_rbm")
    result = dict(_train_ising_rbm(cache_key(settings), seed=settings.seed))
    p, q = result["probability:ising"], result["probability:rbm"]
    result["entropy"] = np.asarray(-np.sum(p * np.log(p)))
    result["kl"] = np.asarray(np.sum(p * (np.log(p) - np.log(q))))
    return result
