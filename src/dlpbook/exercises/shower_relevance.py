"""Which stations drive the energy estimate: LRP on the air-shower CNN of Ex. 8.2 (book Ch. 12).

The CNN of Exercise 8.2 (:func:`dlpbook.nn.conv.airshower_cnn`, trained and cached by
:func:`dlpbook.exercises.airshower_energy.trained_torch_model`) estimates the energy of a
cosmic-ray shower from the arrival times and signals of a 14 x 14 array of stations, 750 m
apart. Layer-wise relevance propagation (:mod:`dlpbook.interpret.lrp`) splits each estimate,
in EeV, into the contributions of the stations' two input values. The shower core is thrown
within half a spacing of the array centre, so the distance of each station from the *true*
core says whether the network reads the densest part of the footprint, where the signal grows
with the energy.

The network uses ELU activations: LRP passes relevance through them unchanged, exact for their
positive part and an approximation for the negative one, so the maps sum to the estimate only
roughly; the shares of relevance compared here do not depend on that sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .. import data
from ..data.airshower import station_array
from ..interpret import lrp
from ..validation import check_count, check_positive
from . import airshower_energy

SPACING_KM = station_array("cartesian14").spacing_m / 1000
"""Distance between neighbouring stations of the Ex. 8.2 array, km."""


@dataclass(frozen=True)
class FootprintRelevance:
    """LRP maps of the Ex. 8.2 CNN on test footprints.

    Attributes
    ----------
    inputs : (n, 14, 14, 2) ndarray
        The network inputs: normalised arrival time and signal per station (0 if silent).
    relevance : (n, 14, 14, 2) ndarray
        The relevance of each input value, EeV.
    distance_km : (n, 14, 14) ndarray
        Distance of each station from the true shower core, km.
    core_km : (n, 2) ndarray
        The true shower core (x, y) relative to the array centre, km.
    energy, prediction : (n,) ndarray
        True and estimated energy, EeV.
    """

    inputs: np.ndarray
    relevance: np.ndarray
    distance_km: np.ndarray
    core_km: np.ndarray
    energy: np.ndarray
    prediction: np.ndarray

    @property
    def station_relevance(self) -> np.ndarray:
        """``(n, 14, 14)``: the relevance of both values of each station, EeV."""
        return self.relevance.sum(-1)

    def share_within(self, radius_km: float) -> np.ndarray:
        """``(n,)``: the share of the absolute relevance on the stations within ``radius_km`` of the core."""
        radius_km = check_positive(radius_km, "radius_km")
        magnitude = np.abs(self.relevance).sum(-1)
        return (magnitude * (self.distance_km <= radius_km)).sum((1, 2)) / magnitude.sum((1, 2))

    def area_within(self, radius_km: float) -> np.ndarray:
        """``(n,)``: the share of the stations within ``radius_km`` of the core (the share of a uniform map)."""
        return (self.distance_km <= check_positive(radius_km, "radius_km")).mean((1, 2))


def footprint_relevance(rules, n_events: int = 200,
                        settings: airshower_energy.CnnSettings | None = None) -> FootprintRelevance:
    """LRP of the Ex. 8.2 CNN's energy estimates for the first ``n_events`` test footprints.

    Parameters
    ----------
    rules
        A :class:`~dlpbook.interpret.lrp_rules.Rule` for every layer, or a
        :class:`~dlpbook.interpret.lrp.Composite`.
    n_events
        Test events to explain (> 0, at most the test set of ``settings``).
    settings
        The run of Ex. 8.2 (default: the current profile's); trained once and cached.
    """
    settings = settings if settings is not None else airshower_energy.CnnSettings.for_profile()
    n_events = check_count(n_events, "n_events", high=settings.data.n_test)
    model = airshower_energy.trained_torch_model(settings)
    split = airshower_energy.load_split(settings.data)
    n_total = settings.data.n_train + settings.data.n_test
    showers = data.load("airshowers_mnist", n_total, seed=settings.data.seed, progress=False)
    start = settings.data.n_train
    cores = showers["showercore"][start:start + n_events, None, None, :2]
    distance_km = np.linalg.norm(station_array("cartesian14").positions_m - cores, axis=-1) / 1000
    inputs = torch.from_numpy(split.x_test[:n_events])
    body, images = model[1:], model[0](inputs)
    relevance = lrp.relevance(body, images, None, rules=rules).permute(0, 2, 3, 1)
    with torch.no_grad():
        prediction = model(inputs)[:, 0]
    return FootprintRelevance(inputs.numpy(), relevance.numpy(), distance_km, cores[:, 0, 0] / 1000,
                              split.energy_test[:n_events],
                              prediction.numpy())


def plot_footprint_relevance(result: FootprintRelevance, events=(0, 1, 2)):
    """Signal (top) and station relevance (bottom) of test footprints, the true core marked.

    The relevance (both values of a station, EeV) is drawn on a diverging scale centred at 0,
    red where a station raises the estimate. Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    events = list(events)
    n = result.inputs.shape[1]
    half = (n - 1) / 2 * SPACING_KM + SPACING_KM / 2
    extent = (-half, half, -half, half)
    fig, axes = plt.subplots(2, len(events), figsize=(3.6 * len(events), 6.6), layout="constrained", squeeze=False)
    for column, event in enumerate(events):
        station = result.station_relevance[event]
        limit = np.abs(station).max()
        for row, (values, options, label) in enumerate((
            (result.inputs[event, ..., 1], {"cmap": "viridis", "vmin": 0, "vmax": 1}, "normalised signal"),
            (station, {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}, "relevance (EeV)"),
        )):
            ax = axes[row, column]
            image = ax.imshow(values, origin="lower", extent=extent, **options)
            ax.plot(*result.core_km[event], "+", color="k" if row else "w", ms=10, mew=1.5)
            fig.colorbar(image, ax=ax, shrink=0.8, label=label)
            ax.set(xlabel="x (km)", ylabel="y (km)")
        axes[0, column].set_title(f"E = {result.energy[event]:.1f} EeV (estimate {result.prediction[event]:.1f})", fontsize=10)
    return fig
