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
delicate: :func:`train_adversarial_decorrelation` pretrains the classifier and then the
adversary, and gives the adversary a larger learning rate, so that it keeps up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from ..history import History
from ..train import fit
from ..validation import check_count, check_int, check_non_negative, check_positive
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


def train_adversarial_decorrelation(
    model: AdversarialDecorrelation,
    train: Sequence,
    *,
    epochs: int,
    classifier_epochs: int = 4,
    adversary_epochs: int = 3,
    learning_rate: float = 1e-3,
    pretraining_learning_rate: float = 1e-2,
    adversary_speedup: float = 10.0,
    batch_size: int = 128,
    seed: int = 0,
    progress: bool | None = False,
    device: torch.device | str | None = None,
) -> History:
    """Train classifier and adversary in three phases, so that the adversary keeps up (Sec. 13.2).

    Trained from the start, the pair barely decorrelates: the adversary begins ignorant, the
    classifier learns to use ``m`` long before the adversary can object, and a large
    ``lambda`` only wrecks the classifier. The usual remedy (Louppe et al., Ref. [139]):

    1. train the classifier alone on ``L_clf`` for ``classifier_epochs``;
    2. train the adversary alone on ``L_adv`` for ``adversary_epochs``, the classifier frozen;
    3. train both with the reversed gradient (``model.reversal.strength``) for ``epochs``,
       the adversary with a learning rate ``adversary_speedup`` times the classifier's.

    On the decorrelation toy (4,000 events, ``lambda = 10``, 8 joint epochs) the background
    ``dCorr^2`` between the classifier's probability and the mass falls from 0.18 (no
    adversary) to 0.07 at an accuracy of 0.83 (0.90). Trained jointly from the start with one
    learning rate of 0.01, the same pair reaches only 0.13 (accuracy 0.79), and at
    ``lambda = 3`` it ends *more* correlated than without an adversary (0.54, accuracy 0.64).

    Parameters
    ----------
    model
        The classifier-adversary pair; its reversal strength is the ``lambda`` of phase 3.
    train
        ``(inputs, (labels, protected))`` as for :class:`AdversarialDecorrelationLoss`.
    epochs, classifier_epochs, adversary_epochs
        Lengths of phases 3 (> 0), 1 and 2 (>= 0 each; 0 skips the phase).
    learning_rate
        Adam's learning rate (> 0) of the classifier in phase 3.
    pretraining_learning_rate
        Adam's learning rate (> 0) of phases 1 and 2.
    adversary_speedup
        Ratio (> 0) of the adversary's learning rate to the classifier's in phase 3.
    batch_size, seed, progress, device
        As for :func:`dlpbook.train.fit`.

    Returns
    -------
    History
        The history of phase 3 (``loss`` is ``L_clf + L_adv``).
    """
    epochs = check_count(epochs, "epochs")
    classifier_epochs = check_int(classifier_epochs, "classifier_epochs", low=0)
    adversary_epochs = check_int(adversary_epochs, "adversary_epochs", low=0)
    learning_rate = check_positive(learning_rate, "learning_rate")
    pretraining_learning_rate = check_positive(pretraining_learning_rate, "pretraining_learning_rate")
    adversary_speedup = check_positive(adversary_speedup, "adversary_speedup")
    inputs, (labels, protected) = train
    loss = AdversarialDecorrelationLoss()
    options = {"batch_size": batch_size, "seed": seed, "progress": progress, "device": device}
    if classifier_epochs:
        fit(model.classifier, (inputs, labels), loss=binary_cross_entropy, epochs=classifier_epochs,
            optimizer=torch.optim.Adam(model.classifier.parameters(), lr=pretraining_learning_rate), **options)
    strength, model.reversal.strength = model.reversal.strength, 0.0
    if adversary_epochs:  # only the adversary's parameters are in the optimizer: the classifier stays put
        fit(model, train, loss=loss, epochs=adversary_epochs,
            optimizer=torch.optim.Adam(model.adversary.parameters(), lr=pretraining_learning_rate), **options)
    model.reversal.strength = strength
    optimizer = torch.optim.Adam([
        {"params": model.classifier.parameters(), "lr": learning_rate},
        {"params": model.adversary.parameters(), "lr": learning_rate * adversary_speedup},
    ])
    return fit(model, train, loss=loss, optimizer=optimizer, epochs=epochs, **options)
