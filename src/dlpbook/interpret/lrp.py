"""Layer-wise relevance propagation (LRP, book Sec. 12.3.2.2, Example 12.2) for sequential networks.

The score ``S_c`` of the target output (before the softmax) is the relevance of the output
layer; every other output gets relevance 0. Layer by layer, from the output to the input,
a rule of :mod:`dlpbook.interpret.lrp_rules` redistributes the relevance of a layer's outputs
onto its inputs, conserving it (the analogue of Kirchhoff's laws) up to what biases and
stabilisers absorb. The relevance of the input values is the heatmap.

Networks: an ``nn.Sequential`` (nested ones are unrolled) of

- layers with a rule, chosen by a :class:`Composite`: ``nn.Linear``, ``nn.Conv2d``,
  ``nn.MaxPool2d``, ``nn.AvgPool2d``, ``nn.AdaptiveAvgPool2d``, ``nn.AdaptiveMaxPool2d`` and
  :class:`dlpbook.nn.conv.GlobalPooling2d`;
- layers that pass relevance on unchanged (reshaped to their input): ``nn.ReLU``,
  ``nn.LeakyReLU``, ``nn.ELU``, ``nn.Tanh`` (exact for ReLU, a common approximation for the
  others), ``nn.Dropout`` (evaluation mode), ``nn.Identity``, ``nn.Flatten``, ``nn.Unflatten``;
- a final ``nn.Softmax``, ``nn.LogSoftmax`` or ``nn.Sigmoid``, which is skipped.

Batch normalisation is an affine map in evaluation mode; :func:`fold_batch_norm` merges it into
the ``Linear`` or ``Conv2d`` layer before it, so that the rules see one layer. Networks that
start with a reshaping module of their own (such as :func:`dlpbook.nn.conv.ising_cnn`) are
explained from the first standard layer on: ``relevance(model[1:], model[0](x), ...)``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch
from torch import nn

from ..nn.conv import GlobalPooling2d
from ..validation import ParameterError, ParameterTypeError, check_int
from .lrp_rules import Epsilon, Gamma, Rule, ZBox, Zero
from .scores import OUTPUT_ACTIVATIONS, Target, target_indices

_WEIGHTED = (nn.Linear, nn.Conv2d)
WITH_RULES = (*_WEIGHTED, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, GlobalPooling2d)
"""Layer types whose relevance a rule redistributes: layers with weights, and pooling."""
PASSED_ON = (nn.ReLU, nn.LeakyReLU, nn.ELU, nn.Tanh, nn.Dropout, nn.Identity, nn.Flatten, nn.Unflatten)
"""Layer types that hand the relevance of their outputs to their inputs unchanged (reshaped)."""
_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d)


@dataclass(frozen=True)
class Composite:
    """Which rule each layer of a network uses (Montavon et al., Ref. [126]: "combining rules is best").

    The layers with weights (``nn.Linear``, ``nn.Conv2d``) are numbered from the input, 0, 1,
    ..., or from the output, -1, -2, .... Such a layer gets the rule of its number in
    ``by_index``, else that of the first type in ``by_type`` it is an instance of, else
    ``default``. A pooling layer gets the rule of its type in ``by_type``, else LRP-0 (all
    relevance to the largest input for max pooling, in proportion to the inputs for average
    pooling), as in Captum and zennit.

    Attributes
    ----------
    default
        The rule of all other layers with weights.
    by_type
        Layer type -> rule, e.g. ``{nn.Conv2d: Gamma(0.25)}``.
    by_index
        Number of a layer with weights -> rule, e.g. ``{0: ZBox(0, 1), -1: Zero()}``.

    Examples
    --------
    LRP-0 at the output, LRP-ε in between, LRP-γ for convolutions, z^B at the input::

        Composite(Epsilon(0.25), by_type={nn.Conv2d: Gamma(0.25)}, by_index={0: ZBox(0, 1), -1: Zero()})
    """

    default: Rule
    by_type: Mapping[type, Rule] = field(default_factory=dict)
    by_index: Mapping[int, Rule] = field(default_factory=dict)

    def __post_init__(self):
        rules = [self.default, *self.by_type.values(), *self.by_index.values()]
        if not all(isinstance(rule, Rule) for rule in rules):
            raise ParameterTypeError("rules", "instances of dlpbook.interpret.lrp_rules.Rule", rules)
        for index in self.by_index:
            check_int(index, "by_index")

    def rules_for(self, layers: list[nn.Module]) -> list[Rule]:
        """The rule of each of ``layers`` (the layers with a rule, input side first)."""
        weighted = [index for index, layer in enumerate(layers) if isinstance(layer, _WEIGHTED)]
        count = len(weighted)
        if any(not -count <= index < count for index in self.by_index):
            raise ParameterError("by_index", f"layer numbers in [-{count}, {count - 1}] (the network has "
                                 f"{count} layers with weights)", sorted(self.by_index))
        chosen = [next((rule for kind, rule in self.by_type.items() if isinstance(layer, kind)),
                       self.default if isinstance(layer, _WEIGHTED) else Zero()) for layer in layers]
        for index, rule in self.by_index.items():
            chosen[weighted[index]] = rule
        return chosen


def epsilon_gamma_box(low: float, high: float, *, epsilon: float = 0.25, gamma: float = 0.25) -> Composite:
    """The composite recommended for CNNs (Ref. [126]; zennit's ``EpsilonGammaBox``).

    z^B for the input layer (inputs in ``[low, high]``), LRP-γ for the other convolutions,
    LRP-ε for dense layers, LRP-0 for pooling.
    """
    return Composite(Epsilon(epsilon), by_type={nn.Conv2d: Gamma(gamma)}, by_index={0: ZBox(low, high)})


def _leaves(model: nn.Module) -> list[tuple[nn.Module, str, nn.Module]]:
    """``(parent, name, layer)`` of every layer of a (nested) ``nn.Sequential``, in forward order."""
    found = []
    for name, child in model.named_children():
        if isinstance(child, nn.Sequential):
            found += _leaves(child)
        else:
            found.append((model, name, child))
    return found


def _layers(model: nn.Module) -> list[nn.Module]:
    if not isinstance(model, nn.Sequential):
        raise ParameterTypeError("model", "an nn.Sequential", type(model).__name__)
    layers = [layer for _, _, layer in _leaves(model)]
    if layers and isinstance(layers[-1], OUTPUT_ACTIVATIONS):
        layers = layers[:-1]
    for layer in layers:
        if isinstance(layer, _BATCH_NORMS):
            raise ParameterError("model", "free of batch normalisation (fold it into the layer before with "
                                 "fold_batch_norm)", type(layer).__name__)
        if not isinstance(layer, WITH_RULES + PASSED_ON):
            raise ParameterError("model", "made of the layers listed in dlpbook.interpret.lrp",
                                 type(layer).__name__)
    if not any(isinstance(layer, WITH_RULES) for layer in layers):
        raise ParameterError("model", "a network with at least one Linear, Conv2d or pooling layer",
                             type(model).__name__)
    return layers


@torch.no_grad()
def relevance(model: nn.Sequential, inputs: torch.Tensor, target: Target = None, *,
              rules: Rule | Composite) -> torch.Tensor:
    """The LRP heatmap: the relevance of every input value for the target score (Sec. 12.3.2.2).

    Parameters
    ----------
    model
        A sequential network of the layers listed in the module docstring, in evaluation mode.
    inputs
        A minibatch.
    target
        The output per sample whose score is explained (an index, one index per sample, or
        ``None`` for one output).
    rules
        One rule for every layer with weights (pooling layers use LRP-0), or a :class:`Composite`.

    Returns
    -------
    torch.Tensor
        Shaped as ``inputs``. Its sum per sample is the target score where the rules conserve
        relevance (see :mod:`dlpbook.interpret.lrp_rules`).
    """
    layers = _layers(model)
    composite = rules if isinstance(rules, Composite) else Composite(rules)
    ruled = [layer for layer in layers if isinstance(layer, WITH_RULES)]
    rule_of = dict(zip(map(id, ruled), composite.rules_for(ruled)))
    activations = [inputs.detach()]
    for layer in layers:
        activations.append(layer(activations[-1]))
    output = activations.pop()
    scores = output.reshape(len(inputs), -1)
    index = target_indices(target, scores.shape[1], len(inputs)).to(scores.device)
    batch = torch.arange(len(inputs), device=scores.device)
    current = torch.zeros_like(scores)
    current[batch, index] = scores[batch, index]
    current = current.reshape(output.shape)
    for layer, layer_inputs in zip(reversed(layers), reversed(activations)):
        if isinstance(layer, WITH_RULES):
            current = rule_of[id(layer)].propagate(layer, layer_inputs, current)
        else:
            current = current.reshape(layer_inputs.shape)
    return current


@torch.no_grad()
def fold_batch_norm(model: nn.Sequential) -> nn.Sequential:
    """A copy of ``model`` with every batch normalisation merged into the layer before it.

    In evaluation mode ``BN(y) = gamma (y - mu) / sqrt(var + eps) + beta`` is affine, so a
    ``Linear`` or ``Conv2d`` layer ``y = W a + b`` followed by it equals one layer with
    ``W' = s W`` and ``b' = s (b - mu) + beta``, ``s = gamma / sqrt(var + eps)`` per output
    channel. The batch normalisation is replaced by ``nn.Identity`` (module names stay), and
    the copy computes the same outputs in evaluation mode, ready for :func:`relevance`.

    Parameters
    ----------
    model
        A (nested) ``nn.Sequential`` in which each ``BatchNorm1d``/``BatchNorm2d`` with running
        statistics directly follows a ``Linear`` or ``Conv2d`` layer.

    Returns
    -------
    nn.Sequential
        The folded copy, in evaluation mode; ``model`` is unchanged.
    """
    if not isinstance(model, nn.Sequential):
        raise ParameterTypeError("model", "an nn.Sequential", type(model).__name__)
    folded = copy.deepcopy(model).eval()
    leaves = _leaves(folded)
    for (_, _, before), (parent, name, norm) in zip([(None, None, None), *leaves], leaves):
        if not isinstance(norm, _BATCH_NORMS):
            continue
        if not isinstance(before, (nn.Linear, nn.Conv2d)) or norm.running_mean is None:
            raise ParameterError("model", "batch normalisations with running statistics, each right after a "
                                 "Linear or Conv2d layer", f"{type(before).__name__} -> {type(norm).__name__}")
        scale = torch.rsqrt(norm.running_var + norm.eps)
        shift = -norm.running_mean * scale
        if norm.affine:
            scale, shift = scale * norm.weight, shift * norm.weight + norm.bias
        bias = before.bias if before.bias is not None else torch.zeros_like(scale)
        before.weight.copy_(before.weight * scale.view(-1, *[1] * (before.weight.ndim - 1)))
        before.bias = nn.Parameter(bias * scale + shift)
        setattr(parent, name, nn.Identity())
    return folded
