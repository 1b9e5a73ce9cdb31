"""Learning without gradients: a network trained on its error rate by an evolution strategy (Sec. 14.7)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import torch

from ...data import toys
from ...nn import mlp as mlp_module
from ...nn.mlp import MLP, mlp
from ...result_cache import cached_result
from ...validation import check_seed
from .. import gradient_free
from .common import cache_key, from_cache_key, load_weights, register, study_settings, weights_as_arrays


@dataclasses.dataclass(frozen=True)
class SearchSettings:
    """``n_points`` points of :func:`dlpbook.data.toys.curved_classes` (label noise ``noise``), a
    tanh network of widths ``hidden`` and the evaluation budget of the evolution strategy."""

    n_points: int
    noise: float
    hidden: tuple[int, ...]
    max_evaluations: int
    seed: int = 3


register("search", quick=SearchSettings(400, 0.15, (8,), 3000), full=SearchSettings(2000, 0.15, (8,), 20_000))


def error_rate(model: MLP, x, labels) -> float:
    """The fraction of points on the wrong side of ``logit = 0``: a step function of the weights."""
    with torch.no_grad():
        predicted = model(torch.as_tensor(np.asarray(x, dtype=np.float32)))[:, 0] > 0
    return float(np.mean(predicted.numpy() != np.asarray(labels, dtype=bool).ravel()))


def evolve_classifier(x, labels, *, hidden: Sequence[int] = (8,), max_evaluations: int = 3000,
                      step_size: float = 0.5, seed: int = 0) -> tuple[MLP, gradient_free.SearchResult]:
    """Train a tanh network on its error rate with the (1+1) evolution strategy.

    The error rate has no useful gradient (it is flat almost everywhere), so gradient descent
    cannot start; the strategy needs only its values.

    Parameters
    ----------
    x, labels
        Points ``(n, features)`` and their classes 0/1.
    hidden
        Hidden widths of the network (one logit output).
    max_evaluations, step_size, seed
        Of :func:`dlpbook.objectives.gradient_free.evolution_strategy`; ``seed`` also seeds
        the initial weights.

    Returns
    -------
    (MLP, SearchResult)
        The network with the best weights found, and the search record (``best_values``: the
        error rate after each evaluation).
    """
    x = torch.as_tensor(np.asarray(x, dtype=np.float32))
    labels = np.asarray(labels, dtype=bool).ravel()
    model = mlp(x.shape[1], hidden, 1, activation="tanh", seed=check_seed(seed))
    parameters = list(model.parameters())  # converted once, not in each of the thousands of evaluations
    vector = torch.nn.utils.parameters_to_vector(parameters).detach()

    def objective(weights: np.ndarray) -> float:
        torch.nn.utils.vector_to_parameters(torch.as_tensor(weights, dtype=torch.float32), parameters)
        return error_rate(model, x, labels)

    result = gradient_free.evolution_strategy(objective, vector.numpy(), step_size=step_size,
                                              max_evaluations=max_evaluations, target=0.0, seed=seed)
    torch.nn.utils.vector_to_parameters(torch.as_tensor(result.x, dtype=torch.float32), model.parameters())
    return model, result


@cached_result(depends=(toys, gradient_free, mlp_module))
def _search_classifier(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = from_cache_key(SearchSettings, run, seed)
    classes = toys.curved_classes(settings.n_points, seed=seed, noise=settings.noise)
    model, search = evolve_classifier(classes["x"], classes["label"], hidden=settings.hidden,
                                      max_evaluations=settings.max_evaluations, seed=seed)
    return {"best_values": search.best_values, "step_size": search.step_size, **weights_as_arrays("network", model)}


def classifier_search_study(settings: SearchSettings | None = None) -> tuple[dict[str, np.ndarray], MLP, np.ndarray]:
    """:func:`evolve_classifier` on the curved classes of :func:`dlpbook.data.toys.curved_classes` (cached).

    Returns
    -------
    (dict, MLP, ndarray)
        The points (``x``, ``label``), the network found and the best error rate after each
        evaluation.
    """
    settings = settings or study_settings("search")
    arrays = _search_classifier(cache_key(settings), seed=settings.seed)
    classes = toys.curved_classes(settings.n_points, seed=settings.seed, noise=settings.noise)
    network = load_weights(mlp(2, settings.hidden, 1, activation="tanh"), "network", arrays)
    return classes, network, arrays["best_values"]
