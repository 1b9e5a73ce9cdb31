"""Several independent Keras networks as one model, the twin of :mod:`dlpbook.nn.side_by_side`."""

from __future__ import annotations

from collections.abc import Sequence

from ..validation import check_columns
from . import keras


def side_by_side(networks: Sequence, columns: Sequence[Sequence[int]], n_inputs: int):
    """One functional model whose output column ``i`` is the output ``(n, 1)`` of ``networks[i]``.

    ``networks[i]`` reads the input columns ``columns[i]`` of the ``n_inputs`` inputs. Trained
    on the sum of the networks' losses, one compiled model trains them all, each network with
    the updates it would get alone on the same minibatches (Ex. 3.3, 5.1, 13.1). The twin of
    :func:`dlpbook.nn.side_by_side.side_by_side`.
    """
    columns = check_columns(columns, n_inputs, len(networks))
    k = keras()
    inputs = k.Input((n_inputs,))
    outputs = [network(inputs if indices == list(range(n_inputs))
                       else k.layers.Lambda(lambda x, indices=indices: k.ops.take(x, indices, axis=1))(inputs))
               for network, indices in zip(networks, columns)]
    return k.Model(inputs, k.layers.Concatenate()(outputs) if len(outputs) > 1 else outputs[0])
