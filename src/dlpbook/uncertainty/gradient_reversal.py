"""Decorrelation by an adversary, trained through a gradient-reversal layer (book Sec. 13.2, Refs. [138, 139]; Sec. 19.3).

An adversary reads the classifier's output and tries to infer the protected variable ``m``
from it; the classifier is rewarded when it fails. The book writes the classifier's
objective as its own loss with the adversary's loss subtracted, ``L_clf - lambda L_adv``,
while the adversary minimises ``L_adv``: a saddle-point problem, as for GANs (Ch. 18).

A gradient-reversal layer (Ganin et al., the DANN of Sec. 19.3) turns that into one
minimisation: it passes the classifier's output unchanged to the adversary and multiplies
the gradient flowing back by ``-lambda``. Minimising ``L_clf + L_adv``
(:class:`AdversarialDecorrelationLoss`) then trains the adversary on ``L_adv`` and the
classifier on ``L_clf - lambda L_adv`` in the same step, so :func:`dlpbook.train.fit` trains
the pair (:class:`AdversarialDecorrelation`) with targets ``(labels, m)``. Training stays
delicate: pretraining the adversary, or a larger learning rate for it, helps it keep up.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from ..validation import check_non_negative
from ._binary import background, binary_cross_entropy
from .gaussian_likelihood import heteroscedastic_nll


class _ReverseGradient(torch.autograd.Function):
    """The identity forward; the gradient times ``-strength`` backward."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, strength: float) -> torch.Tensor:
        ctx.strength = strength
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.strength * grad, None


def reverse_gradient(x: torch.Tensor, strength: float = 1.0) -> torch.Tensor:
    """``x`` unchanged, but the gradient that flows back through it is multiplied by ``-strength``.

    Parameters
    ----------
    x
        Any tensor.
    strength
        ``lambda`` (>= 0), the weight of the reversed gradient.
    """
    return _ReverseGradient.apply(x, check_non_negative(strength, "strength"))


class GradientReversal(nn.Module):
    """The gradient-reversal layer: the identity forward, the gradient times ``-strength`` backward (:func:`reverse_gradient`).

    Parameters
    ----------
    strength
        ``lambda`` (>= 0); an attribute that may change during training (a ramp, as in DANN).
    """

    def __init__(self, strength: float = 1.0) -> None:
        super().__init__()
        self.strength = check_non_negative(strength, "strength")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` unchanged; its gradient comes back times ``-strength``."""
        return reverse_gradient(x, self.strength)

    def extra_repr(self) -> str:
        return f"strength={self.strength}"


class AdversarialDecorrelation(nn.Module):
    """A classifier and an adversary that reads its output through a :class:`GradientReversal` layer.

    ``forward(x)`` returns ``(logits, guess)``: the classifier's output and the adversary's
    prediction of the protected variable from the classifier's probability ``sigmoid(logits)``
    (bounded, so the classifier cannot escape the adversary by growing its logits). Train it with
    :class:`AdversarialDecorrelationLoss`; predict with ``model.classifier``.

    Parameters
    ----------
    classifier
        ``x -> logits``, one pre-sigmoid output per sample.
    adversary
        ``sigmoid(logits) -> guess``; with the default adversary loss two outputs, the mean and
        log-variance of the protected variable (e.g. ``dlpbook.nn.mlp(1, [32], 2)``).
    strength
        ``lambda`` (>= 0), how strongly the classifier is pushed to defeat the adversary.
    """

    def __init__(self, classifier: nn.Module, adversary: nn.Module, *, strength: float = 1.0) -> None:
        super().__init__()
        self.classifier, self.adversary = classifier, adversary
        self.reversal = GradientReversal(strength)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(logits, guess)``: the classifier's logits and the adversary's reading of ``sigmoid(logits)``."""
        logits = self.classifier(x)
        return logits, self.adversary(self.reversal(torch.sigmoid(logits)))


class AdversarialDecorrelationLoss(nn.Module):
    """``L_clf + L_adv`` for the outputs of :class:`AdversarialDecorrelation`; the classifier sees ``L_clf - lambda L_adv``.

    Called as ``loss((logits, guess), (labels, protected))``: ``L_clf`` is the binary
    cross-entropy of the logits, ``L_adv = adversary_loss(guess, protected)`` on the
    background (label 0) samples of the minibatch, or on all.

    Parameters
    ----------
    adversary_loss
        ``(guess, protected) -> scalar``; default :func:`~.gaussian_likelihood.heteroscedastic_nll`,
        the adversary predicting a Gaussian ``p(m | classifier output)`` (a one-component
        version of the pivot's mixture density network, Ref. [139]).
    background_only
        Whether the adversary sees the background only (the usual goal: an output
        independent of ``m`` for background).
    """

    def __init__(
        self,
        adversary_loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = heteroscedastic_nll,
        *,
        background_only: bool = True,
    ) -> None:
        super().__init__()
        self.adversary_loss, self.background_only = adversary_loss, bool(background_only)

    def forward(self, outputs: tuple[torch.Tensor, torch.Tensor], targets: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """``L_clf + L_adv`` of a minibatch; ``L_clf`` alone when it holds no sample for the adversary."""
        (logits, guess), (labels, protected) = outputs, targets
        classifier_loss = binary_cross_entropy(logits, labels)
        selected = background(labels, self.background_only)
        if not selected.any():
            return classifier_loss
        return classifier_loss + self.adversary_loss(guess[selected], protected[selected])
