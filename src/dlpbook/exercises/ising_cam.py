"""Exercise 12.3: class activation maps (CAM) of Ising configurations.

The network is the CNN of Ex. 8.1 with two softmax outputs instead of one sigmoid: class 0
ferromagnetic (:math:`T < T_c`), class 1 paramagnetic, global average pooling of the last
convolution followed directly by dropout and the dense output layer (16,434 parameters). It is
trained by :mod:`dlpbook.exercises.ising_phases` (``model="cam"``) on the same configurations,
split and training as Ex. 7.1 and 8.1, so the runs are cached and shared with those pages.

Because the averaged feature maps of the last convolution feed the output layer directly, the
class scores before the softmax (Eq. 12.6-12.8) can be undone pixel by pixel: for class ``k``
the map ``M_k(x, y) = sum_c A_c(x, y) W_{c,k} + b_k`` on the 16 x 16 grid of the last
convolution has the class score as its spatial mean. PyTorch reads it with
:func:`dlpbook.interpret.cam.class_activation_map`; Keras with a sub-model up to the last
convolution and an einsum with the dense weights, as the original solution.

The analysis picks correctly and wrongly classified test configurations near and away from
:math:`T_c` (:meth:`CamResult.examples`) and checks what the ferromagnetic map responds to: its
pixel-wise correlation with the local magnetisation :math:`|m|` in a window around each pixel
(:meth:`CamResult.order_correlation`).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from .. import keras_nn
from ..data.ising import T_C
from ..interpret import cam
from ..plots.class_activation import plot_class_activation_maps
from ..validation import ParameterError, check_choice, check_float, check_int, check_seed
from . import ising_phases as ip
from .settings import ProfileSettings

CLASSES = ("ferromagnetic", "paramagnetic")
"""The classes in the order of the network's outputs."""


@dataclass(frozen=True)
class CamStudy(ProfileSettings):
    """Ex. 12.3 per profile: the training run and the analysis of its class activation maps.

    Attributes
    ----------
    training : ip.PhaseSettings
        The run of the CAM network (``model="cam"``).
    near : float
        A configuration with :math:`|T - T_c| <` ``near`` counts as near the transition (in J/k_B).
    window : int
        Side (lattice sites) of the square around each site over which the local magnetisation
        is averaged (:meth:`CamResult.order_correlation`).
    seed : int
        Seed of the random choice of examples.
    """

    training: ip.PhaseSettings
    near: float = 0.2
    window: int = 6
    seed: int = 0

    def __post_init__(self):
        if not isinstance(self.training, ip.PhaseSettings) or self.training.model != "cam":
            raise ParameterError("training", "PhaseSettings with model 'cam'", self.training)
        check_float(self.near, "near", low=0.0, low_open=True)
        check_int(self.window, "window", low=1, high=ip.L)
        check_seed(self.seed)

    @classmethod
    def profiles(cls) -> dict[str, CamStudy]:
        """``full``: the original sizes and training; ``quick``: the data and training of the
        quick Ex. 8.1 CNN (2,000 configurations, minibatches of 16) for one epoch instead of two
        (test accuracy 0.980 in PyTorch and 0.966 in Keras; PyTorch reached 0.991 in two; the maps
        and their correlation with the local order are as clear, and the page costs about 3 s of
        CPU less)."""
        quick = ip.PhaseStudy.for_profile("quick").cnn.replace(model="cam", epochs=1)
        return {"quick": cls(quick), "full": cls(ip.PhaseSettings("cam", ip.IsingData()))}


@dataclass(frozen=True)
class CamResult:
    """A trained CAM network and the class activation maps of its test configurations.

    Attributes
    ----------
    run : ip.PhaseRun
        The training run (test temperatures, outputs, history, weights).
    spins : (n_test, 32, 32) float
        The test configurations (spins +-1).
    maps : (n_test, 2, 16, 16) float
        ``M_k`` for both classes (ferromagnetic, paramagnetic) on the grid of the last
        convolution, in units of the class scores.
    """

    run: ip.PhaseRun
    spins: np.ndarray
    maps: np.ndarray

    def examples(self, near: float, seed: int = 0) -> dict[str, int]:
        """Test configurations to show: two classified right, two wrong.

        Right: one drawn at random from those with :math:`|T - T_c| <` ``near``, one from the
        others. Wrong: the one nearest to :math:`T_c` and the one farthest from it.

        Returns
        -------
        dict
            Description (``"correct, near T_c"``, ``"correct, away from T_c"``, ``"wrong,
            nearest T_c"``, ``"wrong, farthest from T_c"``) -> index into the test set.

        Raises
        ------
        ValueError
            If there are fewer than two wrong configurations or no right one in either group.
        """
        rng = np.random.default_rng(seed)
        distance = np.abs(self.run.temperature - T_C)
        correct = self.run.correct
        wrong = np.flatnonzero(~correct)
        if len(wrong) < 2:
            raise ValueError(f"need two wrongly classified configurations, found {len(wrong)}")
        groups = {"correct, near T_c": correct & (distance < near), "correct, away from T_c": correct & (distance >= near)}
        picks = {}
        for name, members in groups.items():
            if not members.any():
                raise ValueError(f"no test configuration is {name} (near = {near})")
            picks[name] = int(rng.choice(np.flatnonzero(members)))
        by_distance = wrong[np.argsort(distance[wrong], kind="stable")]
        picks["wrong, nearest T_c"], picks["wrong, farthest from T_c"] = int(by_distance[0]), int(by_distance[-1])
        return picks

    def local_magnetization(self, window: int) -> np.ndarray:
        """:math:`|m|` averaged over ``window x window`` sites around each site (open edges, as
        the zero padding of the convolutions), on the grid of the maps: ``(n_test, 16, 16)``."""
        from scipy import ndimage  # imported here: chapter 12 uses this module without it (0.5 s)

        window = check_int(window, "window", low=1, high=self.spins.shape[-1])
        local = ndimage.uniform_filter(self.spins, size=(1, window, window), mode="constant", cval=0.0)
        factor = self.spins.shape[-1] // self.maps.shape[-1]
        n, size = len(local), self.maps.shape[-1]
        return np.abs(local.reshape(n, size, factor, size, factor).mean(axis=(2, 4)))

    def order_correlation(self, window: int, selection: np.ndarray | None = None) -> np.ndarray:
        """Pearson correlation of ``M_k`` with the local magnetisation, pixel by pixel within each
        configuration, averaged over the configurations of ``selection`` (boolean, default all);
        one value per class. Uniform configurations (no spread in either map) are skipped."""
        selection = np.ones(len(self.spins), bool) if selection is None else np.asarray(selection, bool)
        order = self.local_magnetization(window)[selection].reshape(int(selection.sum()), 1, -1)
        maps = self.maps[selection].reshape(len(order), len(CLASSES), -1)
        a, b = maps - maps.mean(-1, keepdims=True), order - order.mean(-1, keepdims=True)
        norm = np.sqrt((a**2).sum(-1) * (b**2).sum(-1))
        usable = (norm > 0).all(axis=1)
        return ((a * b).sum(-1)[usable] / norm[usable]).mean(axis=0)


def class_maps_torch(model: torch.nn.Module, spins: np.ndarray) -> np.ndarray:
    """Class activation maps of both classes, ``(n, 2, 16, 16)``, of the PyTorch CAM network.

    The feature maps are the output of the last ReLU (``model[9]``), the output layer is
    ``model[12]``; :func:`dlpbook.interpret.cam.class_activation_map` checks that the former,
    averaged, is the input of the latter.
    """
    model.eval()
    maps = []
    for batch in torch.as_tensor(spins).split(1000):  # bounded memory for the 6,000 of the full profile
        maps.append(torch.stack([cam.class_activation_map(model, batch, model[9], model[12], k)
                                 for k in range(len(CLASSES))], dim=1))
    return torch.cat(maps).numpy()


def class_maps_keras(model, spins: np.ndarray) -> np.ndarray:
    """Class activation maps of both classes, ``(n, 2, 16, 16)``, of the Keras CAM network.

    ``A``: the outputs of the last ``Conv2D`` (``layers[-4]``, before pooling and dropout),
    ``(n, 16, 16, 32)``; ``W`` ``(32, 2)`` and ``b`` ``(2,)``: the output layer's weights.
    """
    keras = keras_nn.keras()
    features = keras.Model(model.inputs, model.layers[-4].output)
    activations = features.predict(spins, batch_size=1024, verbose=0)
    weights, bias = model.layers[-1].get_weights()
    return np.einsum("nxyc,ck->nkxy", activations, weights) + bias[None, :, None, None]


def train_torch(study: CamStudy) -> CamResult:
    """Train the CAM network in PyTorch (:func:`ising_phases.train_torch`) and map its test set."""
    run = ip.train_torch(study.training)
    spins = ip.load_split(study.training.data).x_test
    return CamResult(run, spins, class_maps_torch(ip.network(run), spins))


def train_keras(study: CamStudy) -> CamResult:
    """Train the CAM network in Keras (:func:`ising_phases.train_keras`) and map its test set."""
    run = ip.train_keras(study.training)
    spins = ip.load_split(study.training.data).x_test
    return CamResult(run, spins, class_maps_keras(ip.network(run), spins))


MAPPERS = {"torch": class_maps_torch, "keras": class_maps_keras}
"""Framework name -> function that computes the class activation maps."""


def run(study: CamStudy, framework: str) -> CamResult:
    """:func:`train_torch` or :func:`train_keras` with the training read from the result cache
    (:func:`ising_phases.run`); only the maps are computed again."""
    check_choice(framework, "framework", ip.FRAMEWORKS)
    result = ip.run(study.training, framework)
    spins = ip.load_split(study.training.data).x_test
    return CamResult(result, spins, MAPPERS[framework](ip.network(result), spins))


def trained_torch_model(profile: str | None = None, *, seed: int = 0) -> torch.nn.Sequential:
    """The trained PyTorch CAM network of ``profile`` (default: the active one) and weight ``seed``.

    Trained once per code version, profile and seed (:func:`ising_phases.run` caches the
    weights as arrays) and returned in evaluation mode. Its input is ``(batch, 32, 32)`` spins,
    its output ``(batch, 2)`` probabilities (ferromagnetic, paramagnetic); ``model[9]`` is the
    last feature map and ``model[12]`` the output layer, the arguments of
    :func:`dlpbook.interpret.cam.class_activation_map`.
    """
    settings = CamStudy.for_profile(profile).training.replace(seed=check_seed(seed))
    return ip.network(ip.run(settings, "torch"))


def plot_examples(result: CamResult, study: CamStudy) -> plt.Figure:
    """Both class maps of the examples of :meth:`CamResult.examples` over their configurations,
    one row each, labelled with the temperature and the network's probability of the
    paramagnetic class (:func:`dlpbook.plots.class_activation.plot_class_activation_maps`)."""
    picks = result.examples(study.near, study.seed)
    index = list(picks.values())
    labels = [f"{name.replace('T_c', '$T_c$')}\n$T$ = {result.run.temperature[i]:.2f} $J/k_B$, "
              f"P(para) = {result.run.output[i]:.2f}" for name, i in picks.items()]
    return plot_class_activation_maps(result.spins[index], result.maps[index], labels, CLASSES)
