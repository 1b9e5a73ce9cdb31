"""Weight initialisations that torch lacks in Keras' form, applied in place to a whole network.

- :func:`he_normal_`: Keras' ``he_normal`` (truncated normal, variance ``2 / fan_in``), for ReLU
  and ELU networks (Ex. 8.2, 11.1).
- :func:`lecun_normal_`: LeCun-normal weights ``N(0, 1 / n_in)`` for self-normalising SELU
  networks (book Sec. 7.7).
- :func:`glorot_uniform_`: Keras' default (Glorot-uniform kernels, zero biases), for a torch
  network that must start as its Keras twin (Ex. 12.1).

All draw from torch's global generator: wrap the call in :func:`torch.random.fork_rng` with a
seed for reproducible weights, as the network builders do.
"""

from __future__ import annotations

import math

from collections.abc import Callable

from torch import nn

_TRUNCATED_STD = 0.87962566103423978


def _initialise(model: nn.Module, kinds: tuple[type[nn.Module], ...], draw: Callable[[nn.Module], None]) -> nn.Module:
    """``draw(module)`` re-draws the kernel of every submodule of the given kinds, whose biases are zeroed."""
    for module in model.modules():
        if isinstance(module, kinds):
            draw(module)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
"""Standard deviation of a unit normal truncated at +-2 (the correction of Keras' VarianceScaling)."""


def he_normal_(model: nn.Module) -> nn.Module:
    """Keras' ``he_normal`` in place: every ``Conv2d`` and ``Linear`` kernel with variance ``2 / fan_in``, biases 0.

    The kernels are drawn from a normal truncated at two standard deviations and rescaled so
    that their variance is exactly ``2 / fan_in``, as Keras' ``HeNormal``. ``fan_in`` is counted
    as Keras counts it: the inputs of one output unit, ``weight[0].numel()``, except for a
    depthwise convolution (``groups == in_channels``, the first half of a
    :class:`dlpbook.nn.conv.SeparableConv2d`), where Keras' kernel shape ``(k, k, c, m)`` gives
    ``k^2 c`` although each output sees only the ``k^2`` pixels of its own channel.

    Parameters
    ----------
    model
        Any module; its ``Conv2d`` and ``Linear`` submodules are initialised in the order of
        :meth:`torch.nn.Module.modules`.

    Returns
    -------
    torch.nn.Module
        ``model`` itself.
    """
    def draw(module):
        fan_in = module.weight[0].numel()
        if isinstance(module, nn.Conv2d) and module.groups == module.in_channels:
            fan_in *= module.groups  # depthwise: Keras counts all input channels
        std = math.sqrt(2.0 / fan_in) / _TRUNCATED_STD
        nn.init.trunc_normal_(module.weight, std=std, a=-2 * std, b=2 * std)

    return _initialise(model, (nn.Conv2d, nn.Linear), draw)


def glorot_uniform_(model: nn.Module) -> nn.Module:
    """Keras' default initialisation in place: Glorot-uniform kernels and zero biases.

    Every ``Conv2d`` and ``Linear`` kernel is drawn uniformly in ``+-sqrt(6 / (fan_in + fan_out))``
    (fans counted with the kernel's receptive field, as Keras counts them), every bias set to 0.
    PyTorch's own default draws the biases uniformly in ``+-1 / sqrt(fan_in)``; on inputs that
    are almost all zero, such as the collider-object images of Ex. 12.1, these random biases
    outweigh the few filled pixels, and the network stays at chance for an epoch.

    Returns
    -------
    torch.nn.Module
        ``model`` itself.
    """
    return _initialise(model, (nn.Conv2d, nn.Linear), lambda module: nn.init.xavier_uniform_(module.weight))


def lecun_normal_(model: nn.Module) -> nn.Module:
    """Initialise every ``Linear`` in place with LeCun-normal weights and zero biases.

    ``W_ij ~ N(0, 1/n_in)``, the initialisation for which SELU's fixed point is zero mean
    and unit variance (book Sec. 7.7, Eq. 7.21-7.22).

    Returns
    -------
    torch.nn.Module
        ``model`` itself.
    """
    return _initialise(model, (nn.Linear,),
                       lambda module: nn.init.normal_(module.weight, std=1.0 / math.sqrt(module.in_features)))
