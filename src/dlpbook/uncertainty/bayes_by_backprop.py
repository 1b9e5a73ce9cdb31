"""Bayes by backprop: weights with a Gaussian posterior, trained on the ELBO (book Sec. 13.1, Example 13.1, Ref. [135]).

Every weight becomes a distribution ``w_i ~ N(mu_i, sigma_i^2)`` (Eq. 13.1), which doubles the
parameters: the layer learns ``mu`` and ``rho`` with ``sigma = softplus(rho) = log(1 + e^rho)``
(always > 0). Each forward pass draws ``w = mu + sigma * eps`` with ``eps ~ N(0, 1)`` (the
reparameterisation, so gradients reach ``mu`` and ``rho``). Training minimises the negative
evidence lower bound (ELBO) of Blundell et al.,

    -ELBO = KL(q(w) || p(w)) - E_q[log p(D | w)],

here per training sample: the mean negative log-likelihood of a minibatch (one weight draw
per pass) plus ``KL / N_train``. With :func:`dlpbook.train.fit` that is ``loss=`` the
likelihood (e.g. :func:`~.gaussian_likelihood.heteroscedastic_nll`) and
``regularizer=kl_regularizer(N_train)``. The prior is one Gaussian ``N(0, prior_sigma^2)`` per
weight (Blundell et al. also use a scale mixture), so the KL term has the closed form of
:meth:`BayesianLinear.kl_divergence`. Predictions average many passes
(:func:`~.mc_dropout.mc_dropout_samples`, :func:`~.ensembles.combine_members`; Fig. 13.1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.nn import functional as F

from ..validation import check_count, check_positive, check_seed, check_sizes


def _inverse_softplus(sigma: float) -> float:
    """``rho`` with ``softplus(rho) = sigma``."""
    return math.log(math.expm1(sigma))


class BayesianLinear(nn.Module):
    """A fully-connected layer whose weights and biases are independent Gaussians ``N(mu, softplus(rho)^2)`` (Eq. 13.1).

    Parameters
    ----------
    in_features, out_features
        Sizes (> 0).
    prior_sigma
        Width (> 0) of the prior ``N(0, prior_sigma^2)`` of every weight and bias.
    initial_sigma
        Posterior width (> 0) at the start; the means start as in :class:`torch.nn.Linear`.

    Attributes
    ----------
    weight_mu, weight_rho : (out_features, in_features) Parameter
    bias_mu, bias_rho : (out_features,) Parameter
    """

    def __init__(self, in_features: int, out_features: int, *, prior_sigma: float = 1.0, initial_sigma: float = 0.01) -> None:
        super().__init__()
        self.in_features, self.out_features = check_count(in_features, "in_features"), check_count(out_features, "out_features")
        self.prior_sigma = check_positive(prior_sigma, "prior_sigma")
        rho = _inverse_softplus(check_positive(initial_sigma, "initial_sigma"))
        template = nn.Linear(self.in_features, self.out_features)
        self.weight_mu = nn.Parameter(template.weight.detach().clone())
        self.bias_mu = nn.Parameter(template.bias.detach().clone())
        self.weight_rho = nn.Parameter(torch.full_like(self.weight_mu, rho))
        self.bias_rho = nn.Parameter(torch.full_like(self.bias_mu, rho))

    def _posteriors(self) -> tuple[tuple[torch.Tensor, torch.Tensor], ...]:
        """``(mu, sigma)`` of the weights and of the biases."""
        return (self.weight_mu, F.softplus(self.weight_rho)), (self.bias_mu, F.softplus(self.bias_rho))

    def sample_parameters(self) -> tuple[torch.Tensor, torch.Tensor]:
        """One draw ``(weight, bias)`` from the posterior, ``mu + softplus(rho) * eps`` (differentiable in ``mu`` and ``rho``)."""
        weight, bias = (mu + sigma * torch.randn_like(mu) for mu, sigma in self._posteriors())
        return weight, bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` with weights freshly drawn by :meth:`sample_parameters`, in training and evaluation alike."""
        return F.linear(x, *self.sample_parameters())

    def kl_divergence(self) -> torch.Tensor:
        """``KL(q || p)`` of the posterior from the prior, summed over weights and biases.

        Per parameter ``log(s_p / sigma) + (sigma^2 + mu^2) / (2 s_p^2) - 1/2`` with ``s_p`` the
        prior width: the closed form for two Gaussians.
        """
        prior_variance = self.prior_sigma**2
        return sum(
            (math.log(self.prior_sigma) - torch.log(sigma) + (sigma**2 + mu**2) / (2 * prior_variance) - 0.5).sum()
            for mu, sigma in self._posteriors()
        )

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, prior_sigma={self.prior_sigma}"


def kl_divergence(model: nn.Module) -> torch.Tensor:
    """The summed ``KL(q || p)`` of every :class:`BayesianLinear` layer of ``model``."""
    layers = [module for module in model.modules() if isinstance(module, BayesianLinear)]
    if not layers:
        raise ValueError("the model has no BayesianLinear layer")
    return sum(layer.kl_divergence() for layer in layers)


def kl_regularizer(n_train: int) -> Callable[[nn.Module], torch.Tensor]:
    """``model -> KL(q || p) / n_train``, the prior term of the per-sample ELBO, for :func:`dlpbook.train.fit`'s ``regularizer``.

    Parameters
    ----------
    n_train
        Number of training samples (> 0): the KL term counts once per pass over the data.
    """
    n_train = check_count(n_train, "n_train")
    return lambda model: kl_divergence(model) / n_train


def bayesian_mlp(
    n_in: int,
    hidden: Sequence[int],
    n_out: int,
    *,
    prior_sigma: float = 1.0,
    initial_sigma: float = 0.01,
    seed: int = 0,
) -> nn.Sequential:
    """A fully-connected Bayesian network ``n_in -> hidden[0] -> ... -> n_out`` of :class:`BayesianLinear` layers with ReLU between.

    Parameters
    ----------
    n_in, n_out
        Input and output sizes (> 0); ``n_out = 2 d`` for a heteroscedastic regression.
    hidden
        Sizes of the hidden layers (may be empty).
    prior_sigma, initial_sigma
        As for :class:`BayesianLinear`.
    seed
        Seed (>= 0) of the initial means; the caller's random state is left as it was.
    """
    sizes = [check_count(n_in, "n_in"), *check_sizes(hidden, "hidden"), check_count(n_out, "n_out")]
    layers: list[nn.Module] = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_seed(seed))
        for width_in, width_out in zip(sizes[:-1], sizes[1:]):
            layers += [BayesianLinear(width_in, width_out, prior_sigma=prior_sigma, initial_sigma=initial_sigma), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
