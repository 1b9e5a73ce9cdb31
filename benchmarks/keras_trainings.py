"""CPU seconds of each Keras training of the exercises in the quick profile, each in a fresh process.

Runs the Keras training of each named exercise (not through the result cache, data loaded
beforehand) in its own single-threaded Python process, as a page's kernel would, and prints
the CPU seconds of the training call alone with one number of its result. Compare settings of
TensorFlow by running it twice, e.g. ``TF_ENABLE_ONEDNN_OPTS=0`` against the default
(``benchmarks/RESULTS.md``, session 5).

Usage: ``.venv/bin/python benchmarks/keras_trainings.py [ising_cnn energy_cnn ...]`` (default: all).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from build_times import ONE_THREAD


def _ising(model):
    from dlpbook.exercises import ising_phases as ip

    settings = getattr(ip.PhaseStudy.for_profile(), model)
    ip.load_split(settings.data)
    return lambda: ip.train_keras(settings), lambda run: f"test accuracy {run.test_accuracy:.4f}"


def _energy(network):
    from dlpbook.exercises import airshower_energy as ae

    settings = ae.SETTINGS[network].for_profile()
    split = ae.load_split(settings.data)
    return lambda: ae.train_keras(settings, split), lambda fit: f"resolution {fit.resolution:.4f} EeV"


def _sine():
    from dlpbook.exercises import sine_forecast as sf

    settings = sf.SineForecastSettings.for_profile()
    sf.series(settings)
    return lambda: sf.train_keras(settings), lambda result: f"final loss {result.history['loss'][-1]:.4g}"


def _radio():
    from dlpbook.exercises import radio_signals as rs

    settings = rs.RadioSettings.for_profile()
    radio_data = rs.load_data(settings)
    return lambda: rs.train_keras(settings, radio_data), lambda result: f"test accuracy {result.accuracy:.4f}"


def _skymaps():
    from dlpbook.exercises import skymaps

    settings = skymaps.SkyMapSettings.for_profile()
    skymaps.sky_maps(settings)
    return lambda: skymaps.fit_keras(settings), lambda run: f"recalibrated accuracy {run.accuracy_recalibrated:.4f}"


def _multitask():
    from dlpbook.exercises import multitask_reconstruction as mt

    settings = mt.MultitaskStudy.for_profile().run
    mt.load_data(settings)
    return lambda: mt.fit_keras(settings), lambda fitted: f"final loss {fitted[1]['loss'][-1]:.4g}"


def _karate():
    from dlpbook.exercises import karate_club

    settings = karate_club.KarateSettings.for_profile()
    return lambda: karate_club.train_keras(settings), lambda run: f"final loss {run.loss[-1]:.4g}"


def _checkerboard_scans():
    from dlpbook.exercises import checkerboard as cb

    study = cb.CapacityStudy.for_profile()
    cb.network_arrays(study.run)

    def scans():
        return cb.width_scan(cb.train_keras_side_by_side, study), cb.feature_scan(cb.train_keras_side_by_side, study)

    return scans, lambda result: f"{sum(len(runs) for runs in result[0].values()) + len(result[1])} runs"


def _regularization():
    from dlpbook.exercises import checkerboard as cb

    study = cb.RegularizationStudy.for_profile()
    cb.network_arrays(study.run)
    return lambda: study.task_runs(cb.train_keras_side_by_side), lambda runs: f"{len(runs[0]) + len(runs[1])} runs"


def _first_network():
    from dlpbook.exercises import first_network as fn

    settings = fn.FirstNetworkSettings.for_profile()
    return lambda: fn.train_keras(settings), lambda accuracy: f"training accuracy {accuracy[-1]:.3f}"


def _interpolation():
    from dlpbook.exercises import interpolation

    settings = interpolation.InterpolationStudy.for_profile().run
    interpolation.training_data(settings)
    return lambda: interpolation.train_keras(settings), lambda fit: f"final loss {fit.loss[-1]:.3f}"


def _wine():
    from dlpbook.exercises import wine_regression as wr

    split, settings = wr.load_split(seed=0), wr.WineStudy.for_profile().run
    return lambda: wr.train_keras(split, settings), lambda fit: f"validation loss {fit.history['val_loss'][-1]:.3f}"


TRAININGS = {
    "ising_fcn": lambda: _ising("fcn"),
    "ising_cnn": lambda: _ising("cnn"),
    "energy_fcn": lambda: _energy("fcn"),
    "energy_cnn": lambda: _energy("cnn"),
    "sine": _sine,
    "radio": _radio,
    "skymaps": _skymaps,
    "multitask": _multitask,
    "karate": _karate,
    "checkerboard_scans": _checkerboard_scans,
    "regularization": _regularization,
    "first_network": _first_network,
    "interpolation": _interpolation,
    "wine": _wine,
}
"""Name -> a function that loads the data and returns (the training, a summary of its result)."""


def time_one(name: str) -> str:
    """Train ``name`` in this process; one line with its CPU seconds and result."""
    train, summary = TRAININGS[name]()
    start = time.process_time()
    result = train()
    return f"{name:20s} {time.process_time() - start:6.2f} s CPU  {summary(result)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"of {', '.join(TRAININGS)} (default: all)")
    parser.add_argument("--one", choices=TRAININGS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if unknown := set(args.names) - set(TRAININGS):
        parser.error(f"unknown trainings {sorted(unknown)}; choose from {', '.join(TRAININGS)}")
    if args.one:
        print(time_one(args.one), flush=True)
        return
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "(default)")
    print(f"quick profile unless DLPBOOK_PROFILE says otherwise; TF_ENABLE_ONEDNN_OPTS={onednn}; load average "
          + ", ".join(f"{value:.1f}" for value in os.getloadavg()))
    for name in args.names or TRAININGS:
        subprocess.run([sys.executable, __file__, "--one", name], env={**os.environ, **ONE_THREAD}, check=True)


if __name__ == "__main__":
    main()
