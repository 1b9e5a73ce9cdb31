"""Multi-task networks and operational reality (book Ch. 11, Ex. 11.1).

- :class:`MultiTaskLoss`: ``L_tot = sum_i w_i L_i`` (Eq. 11.1 with one weight per task), and
  :func:`inverse_variance_weights`, the exercise's choice ``w_i ~ 1 / sigma_i^2``.
- :func:`airshower_multitask_net`: the Ex. 11.1 network, a shared DenseNet-like trunk of
  separable convolutions with three towers for the shower axis, core and energy (hard
  parameter sharing, Fig. 11.1a).
- Operational reality (Sec. 11.3, 11.4): :class:`StationMasking` silences random stations
  during training; :func:`mask_stations` (dead stations) and :func:`saturate_stations`
  (clipped signals) corrupt test footprints.

Footprints are channels last, ``(n, 9, 9, 2)`` with (normalised arrival time, signal) and
0 for silent stations, the same arrays as the Keras twin :mod:`dlpbook.keras_nn.multitask`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..data.airshower.inputs import MULTITASK_TARGETS
from ..validation import check_count, check_float, check_int, check_positive, check_rate, check_seed
from .conv import DenseBlock, SeparableConv2d
from .init import he_normal_


def inverse_variance_weights(sigmas: Sequence[float], *, scale: float = 1.0) -> np.ndarray:
    """Loss weights ``w_i = 1 / (scale sigma_i^2)`` for the wanted resolutions ``sigma_i`` (Ex. 11.1).

    Reading each mean squared error as a Gaussian negative log-likelihood, a task whose
    target resolution is ``sigma_i`` (in the units of its network output) enters the sum with
    ``1 / sigma_i^2``, so that every task's wanted precision costs the same. Ex. 11.1 wants
    1.5 deg for the axis (unit vectors: 0.026 rad), 25 m for the core (in units of 750 m:
    0.033) and 7 % for the energy, used there directly as the width in ``log10 E``: weights
    1459, 900, 204, i.e. ``scale=100`` gives ``[14.6, 9.0, 2.0]``, the exercise's ``[15, 9, 2]``.
    (Strictly, 7 % in ``E`` is ``0.07 / ln 10 = 0.030`` in ``log10 E``, weight 1082.)

    Parameters
    ----------
    sigmas
        Wanted resolutions, each > 0, in the units of the corresponding network output.
    scale
        Common divisor (> 0): only the ratios of the weights matter for the minimum, the
        scale sets the effective learning rate.

    Returns
    -------
    (n_tasks,) ndarray
    """
    sigmas = np.array([check_positive(sigma, "sigmas") for sigma in sigmas])
    scale = check_positive(scale, "scale")
    return 1.0 / (scale * sigmas**2)


class MultiTaskLoss(nn.Module):
    """Weighted sum of per-task losses ``L_tot = sum_i w_i L_i`` (book Eq. 11.1, Ex. 11.1).

    Called as ``loss(outputs, targets)`` with two dicts keyed by task name, as
    :func:`dlpbook.train.fit` passes them for a model with dict outputs and dict targets.

    Parameters
    ----------
    weights
        Task name -> weight ``w_i`` (>= 0), e.g. ``{"axis": 15, "core": 9, "energy": 2}``.
    loss
        The per-task loss ``(output, target) -> scalar`` (default: the mean squared error,
        averaged over samples and components, as Keras' ``"mse"``).
    """

    def __init__(
        self,
        weights: Mapping[str, float],
        loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = F.mse_loss,
    ) -> None:
        super().__init__()
        if not weights:
            raise ValueError("weights must name at least one task")
        self.weights = {name: check_float(w, f"weights[{name!r}]", low=0) for name, w in weights.items()}
        self.loss = loss

    def task_losses(
        self, outputs: Mapping[str, torch.Tensor], targets: Mapping[str, torch.Tensor]
    ) -> dict[str, torch.Tensor]:
        """The unweighted loss ``L_i`` of every task, by name."""
        missing = [name for name in self.weights if name not in outputs or name not in targets]
        if missing:
            raise KeyError(f"outputs and targets need the tasks {missing}")
        return {name: self.loss(outputs[name], targets[name]) for name in self.weights}

    def forward(self, outputs: Mapping[str, torch.Tensor], targets: Mapping[str, torch.Tensor]) -> torch.Tensor:
        """``sum_i w_i L_i`` over the tasks of ``weights``."""
        return sum(self.weights[name] * value for name, value in self.task_losses(outputs, targets).items())


def _check_footprints(x: np.ndarray) -> np.ndarray:
    if x.ndim != 4:
        raise ValueError(f"footprints must have shape (n, rows, columns, channels), got {x.shape}")
    return x


def mask_stations(footprints, fraction: float, *, seed: int = 0) -> np.ndarray:
    """Dead stations: ``round(fraction * n_stations)`` random stations per event set to 0 (Sec. 11.4).

    A dead station records nothing, so all its channels read as a silent one. The stations
    are drawn anew for every event, among all stations of the array.

    Parameters
    ----------
    footprints : (n, rows, columns, channels) array_like
        Footprints, channels last, 0 = silent.
    fraction
        Fraction of the stations to switch off, in [0, 1].
    seed
        Seed (>= 0) of the choice.

    Returns
    -------
    ndarray
        A masked copy, same shape and dtype.
    """
    x = _check_footprints(np.array(footprints, copy=True))
    fraction = check_float(fraction, "fraction", low=0, high=1)
    n, rows, columns = x.shape[:3]
    n_dead = round(fraction * rows * columns)
    rng = np.random.default_rng(check_seed(seed))
    # the first n_dead stations of an independent random permutation per event
    dead = np.argsort(rng.random((n, rows * columns)), axis=1)[:, :n_dead]
    flat = x.reshape(n, rows * columns, -1)
    flat[np.arange(n)[:, None], dead] = 0
    return flat.reshape(x.shape)


def saturate_stations(footprints, cap: float, *, channel: int = 1) -> np.ndarray:
    """Saturated stations: the signal channel clipped at ``cap`` (Sec. 11.4).

    A saturated station reports too small a signal, here ``min(signal, cap)``; the other
    channels are unchanged.

    Parameters
    ----------
    footprints : (n, rows, columns, channels) array_like
        Footprints, channels last.
    cap
        Largest signal that is read out correctly (finite), in the units of the signal channel.
    channel
        Index of the signal channel (the exercises: 1).

    Returns
    -------
    ndarray
        A clipped copy, same shape and dtype.
    """
    x = _check_footprints(np.array(footprints, copy=True))
    cap = check_float(cap, "cap")
    channel = check_int(channel, "channel", low=0, high=x.shape[-1] - 1)
    x[..., channel] = np.minimum(x[..., channel], cap)
    return x


class StationMasking(nn.Module):
    """Silence every station with probability ``rate`` in training mode (operational reality, Sec. 11.4).

    Unlike dropout nothing is rescaled: a masked station looks exactly like a silent one
    (all channels 0), so the network learns footprints with missing stations. In ``eval()``
    mode the input passes unchanged. Draws from torch's global generator, like ``Dropout``.

    Parameters
    ----------
    rate
        Probability in [0, 1) that a station is switched off.

    Shapes
    ------
    ``(n, rows, columns, channels)`` -> the same.
    """

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = check_rate(rate, "rate")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` times a per-station Bernoulli(1 - rate) mask, shared by the channels."""
        if not self.training or self.rate == 0:
            return x
        keep = torch.rand(x.shape[:-1] + (1,), device=x.device) >= self.rate
        return x * keep


class _Tower(nn.Module):
    """One task's head: three valid 3 x 3 convolutions (9 x 9 -> 3 x 3), then two dense layers."""

    def __init__(self, n_in: int, n_out: int, side: int) -> None:
        super().__init__()
        self.convolutions = nn.Sequential(
            nn.Conv2d(n_in, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.Conv2d(32, 48, 3), nn.ReLU()
        )
        self.dense = nn.Sequential(nn.Linear(48 * (side - 6) ** 2, 10 * n_out), nn.ReLU(), nn.Linear(10 * n_out, n_out))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        # flattened channels last, in Keras' order, so that weights carry over between the twins
        return self.dense(self.convolutions(features).permute(0, 2, 3, 1).flatten(1))


class AirshowerMultitaskNet(nn.Module):
    """The Ex. 11.1 network: shared DenseNet-like trunk, one tower per task (built by :func:`airshower_multitask_net`).

    Trunk: ``SeparableConv(8)`` (:class:`~dlpbook.nn.conv.SeparableConv2d`), then a
    :class:`~dlpbook.nn.conv.DenseBlock` of ``steps`` layers ``Conv 1x1(growth) -> SeparableConv
    3x3(growth)``, each reading the concatenation of all separable-convolution outputs so far
    (channels 8 -> 24 -> 40 -> 56 -> 72 -> 88). Towers: ``Conv 3x3 (32, 32, 48, valid) ->
    Flatten -> Dense(10 n_out, ReLU) -> Dense(n_out)`` for each target of
    :data:`dlpbook.data.airshower.inputs.MULTITASK_TARGETS`. ReLU after every convolution.

    Shapes
    ------
    ``(n, 9, 9, 2)`` channels last -> ``{"axis": (n, 3), "core": (n, 2), "energy": (n, 1)}``.
    """

    def __init__(self, *, steps: int, growth: int, side: int = 9, channels: int = 2) -> None:
        super().__init__()
        self.first = SeparableConv2d(channels, 8)
        self.dense_block = DenseBlock(8, growth, steps, bottleneck=growth, separable=True)
        self.towers = nn.ModuleDict(
            {name: _Tower(self.dense_block.out_channels, n_out, side) for name, n_out in MULTITASK_TARGETS.items()}
        )

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Axis, core and energy predictions for footprints ``x`` of shape (n, 9, 9, 2)."""
        images = x.permute(0, 3, 1, 2)  # torch convolutions want channels first
        features = self.dense_block(F.relu(self.first(images)))
        return {name: tower(features) for name, tower in self.towers.items()}


def airshower_multitask_net(*, steps: int = 5, growth: int = 16, seed: int = 0) -> AirshowerMultitaskNet:
    """The multi-task air-shower network of the book's Ex. 11.1 (177,016 parameters).

    A shared trunk (hard parameter sharing, Fig. 11.1a) of separable convolutions with
    DenseNet-like concatenations, and three towers predicting the shower axis (unit vector,
    3), the core (2, in units of the 750 m spacing) and ``log10(E/eV) - 19.25`` (1). Train it
    with :class:`MultiTaskLoss` (weights ``[15, 9, 2]`` in the exercise, see
    :func:`inverse_variance_weights`). Kernels start ``he_normal`` (:func:`dlpbook.nn.init.he_normal_`).

    Parameters
    ----------
    steps
        Number of ``Conv 1x1 -> SeparableConv 3x3`` steps of the trunk (> 0; the exercise: 5).
    growth
        Channels each step adds (> 0; the exercise: 16).
    seed
        Seed (>= 0) of the initial weights; the global random state is kept.

    Returns
    -------
    AirshowerMultitaskNet
        ``(n, 9, 9, 2)`` -> ``{"axis": (n, 3), "core": (n, 2), "energy": (n, 1)}``.
    """
    steps, growth = check_count(steps, "steps"), check_count(growth, "growth")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_seed(seed))
        return he_normal_(AirshowerMultitaskNet(steps=steps, growth=growth))
