"""Several independent networks trained as one model: output column ``i`` is network ``i``.

A scan over widths, seeds, features or penalties (Ex. 3.3, 5.1) and the variants of Ex. 13.1
train on the sum of their losses as one :class:`SideBySide` model (made by :func:`side_by_side`):
on the same minibatches each
network gets exactly the updates it would get alone, and the page pays one training loop
instead of one per network. The Keras twin is :func:`dlpbook.keras_nn.side_by_side`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ..validation import check_columns


class SideBySide(nn.Module):
    """Independent networks on columns of the same inputs; output column ``i`` is network ``i``'s output.

    ``networks`` are ``dlpbook.nn.mlp`` networks without dropout (``Linear`` layers and
    element-wise activations); ``columns[i]`` lists the input columns network ``i`` reads
    (checked by :func:`side_by_side`, which makes the model). Networks
    of the same shape on the same columns run as one batch: their weights are stacked and each
    layer is one batched matrix product, so the cost per step hardly grows with their number.
    """

    def __init__(self, networks: Sequence[nn.Sequential], columns: Sequence[Sequence[int]]):
        super().__init__()
        self.networks = nn.ModuleList(networks)
        groups: dict[tuple, list[int]] = {}
        for index, (network, indices) in enumerate(zip(networks, columns)):
            shape = tuple(tuple(module.weight.shape) if isinstance(module, nn.Linear) else type(module)
                          for module in network)
            groups.setdefault((tuple(indices), shape), []).append(index)
        # per group: its input columns, its members, and per layer the members' Linear layers or
        # the shared activation (looked up once: indexing modules in every step costs more than the step)
        self.groups = [
            (list(indices), members,
             [[networks[i][position] for i in members] if isinstance(module, nn.Linear) else module
              for position, module in enumerate(networks[members[0]])])
            for (indices, _), members in groups.items()
        ]

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """The outputs ``(n, 1)`` of the networks, concatenated to ``(n, len(networks))``."""
        outputs: list[torch.Tensor | None] = [None] * len(self.networks)
        for indices, members, layers in self.groups:
            hidden = inputs[:, indices].expand(len(members), -1, -1)  # (networks, n, features)
            for layer in layers:
                if isinstance(layer, list):
                    kernels = torch.stack([linear.weight for linear in layer]).transpose(1, 2)
                    biases = torch.stack([linear.bias for linear in layer]).unsqueeze(1)
                    hidden = torch.baddbmm(biases, hidden, kernels)
                else:
                    hidden = layer(hidden)
            for member, output in zip(members, hidden):
                outputs[member] = output
        return torch.cat(outputs, dim=1)


def side_by_side(networks: Sequence, columns: Sequence[Sequence[int]], n_inputs: int) -> SideBySide:
    """One model whose output column ``i`` is the output ``(n, 1)`` of ``networks[i]``.

    ``networks[i]`` reads the input columns ``columns[i]`` of the ``n_inputs`` inputs. Trained
    on the sum of the networks' losses, each network gets the updates it would get alone on
    the same minibatches. The twin of :func:`dlpbook.keras_nn.side_by_side.side_by_side`.
    """
    return SideBySide(networks, check_columns(columns, n_inputs, len(networks)))
