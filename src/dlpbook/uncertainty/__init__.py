"""Uncertainties and robustness (book Ch. 13), in PyTorch.

Measuring uncertainties (Sec. 13.1):

- :mod:`~.gaussian_likelihood`: networks that predict a mean and a log-variance, trained on
  the heteroscedastic Gaussian negative log-likelihood (the aleatoric part).
- :mod:`~.ensembles`: deep ensembles trained with :func:`dlpbook.train.fit`, and the
  combination of members into a prediction with aleatoric and epistemic variances
  (Fig. 13.1), shared by all the sampling methods below.
- :mod:`~.mc_dropout`: Monte-Carlo dropout, dropout kept on for ``T`` passes at inference.
- :mod:`~.bayes_by_backprop`: a Bayesian linear layer with a Gaussian posterior per weight
  (Eq. 13.1), its KL divergence to the prior and the per-sample ELBO.
- :mod:`~.bootstrap`: resampling with replacement, for the spread of a statistic or of
  networks trained on resampled sets.

Decorrelation from a protected variable (Sec. 13.2, Ex. 13.1):

- :mod:`~.planing`: sample weights that flatten its histogram per class, and the weighted loss.
- :mod:`~.gradient_reversal`: an adversary trained through a gradient-reversal layer.
- :mod:`~.distance_correlation`: the distance correlation and the DisCo loss.

Adversarial attacks (Sec. 13.3): :mod:`~.attacks`, FGSM, PGD and accuracy versus epsilon.

:mod:`~.studies` trains the networks behind chapter 13's figures, cached for the page and the
gallery (imported on demand: ``from dlpbook.uncertainty import studies``).
"""

from .attacks import accuracy_vs_epsilon, fgsm, pgd
from .bayes_by_backprop import BayesianLinear, bayesian_mlp, kl_divergence, kl_regularizer
from .bootstrap import bootstrap, bootstrap_indices
from .distance_correlation import DisCoLoss, distance_correlation_squared
from .ensembles import (
    PredictiveUncertainty,
    combine_gaussian_outputs,
    combine_members,
    member_outputs,
    train_ensemble,
)
from .gaussian_likelihood import gaussian_nll, heteroscedastic_nll, split_mean_log_variance
from .gradient_reversal import (
    AdversarialDecorrelation,
    AdversarialDecorrelationLoss,
    GradientReversal,
    reverse_gradient,
    train_adversarial_decorrelation,
)
from .mc_dropout import mc_dropout_samples
from .planing import planing_weights, weighted_binary_cross_entropy

__all__ = [
    "AdversarialDecorrelation",
    "AdversarialDecorrelationLoss",
    "BayesianLinear",
    "DisCoLoss",
    "GradientReversal",
    "PredictiveUncertainty",
    "accuracy_vs_epsilon",
    "bayesian_mlp",
    "bootstrap",
    "bootstrap_indices",
    "combine_gaussian_outputs",
    "combine_members",
    "distance_correlation_squared",
    "fgsm",
    "gaussian_nll",
    "heteroscedastic_nll",
    "kl_divergence",
    "kl_regularizer",
    "member_outputs",
    "mc_dropout_samples",
    "pgd",
    "planing_weights",
    "reverse_gradient",
    "split_mean_log_variance",
    "train_adversarial_decorrelation",
    "train_ensemble",
    "weighted_binary_cross_entropy",
]
