"""Chapter 13's Bayes-by-backprop network against the number of training points.

The per-sample loss is the likelihood term plus KL / N, so with few points the prior holds the
weights back. Trains :func:`dlpbook.uncertainty.studies.bayesian_bands` with the ensemble's 400
points (and its 32-node layers) and with the page's 2,000 points and 16-node layers, at about
the same number of optimiser steps, and prints per run: the mean deviation from the true curve
and the aleatoric width over the true scatter inside the data, the epistemic width inside and
beyond |x| = 4, the two loss terms and the CPU seconds.

Usage: ``.venv/bin/python benchmarks/bayes_by_backprop.py [--seeds 0,1]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from dlpbook import config
from dlpbook.uncertainty import studies

# (points, nodes per hidden layer, epochs): 2 and 10 minibatches of 200 per epoch
RUNS = ((400, 32, 1000), (400, 16, 1000), (2000, 32, 200), (2000, 16, 200))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1", help="comma-separated seeds")
    args = parser.parse_args()
    print(f"{config.describe()}; inside: |x| < 2.5 without the gap; widths are one sigma")
    print("points nodes epochs seed | rms(mean - truth) | aleatoric / scatter | epistemic inside, |x| > 4 | "
          "NLL, KL/N | CPU s")
    for n_train, width, epochs in RUNS:
        for seed in map(int, args.seeds.split(",")):
            cpu = time.process_time()
            bayes = studies.bayesian_bands(n_train=n_train, width=width, epochs=epochs, seed=seed)
            grid = bayes["grid"]
            inside = (np.abs(grid) < 2.5) & ~((grid > 0.5) & (grid < 1.75))
            rms = np.sqrt(np.mean((bayes["bayes:mean"] - bayes["truth"])[inside] ** 2))
            ratio = np.mean(np.sqrt(bayes["bayes:aleatoric"][inside]) / bayes["noise"][inside])
            epistemic = np.sqrt(bayes["bayes:epistemic"])
            print(f"{n_train:6d} {width:5d} {epochs:6d} {seed:4d} | {rms:17.3f} | {ratio:19.2f} | "
                  f"{epistemic[inside].mean():15.3f} {epistemic[np.abs(grid) > 4].mean():9.3f} | "
                  f"{float(bayes['nll']):5.2f} {float(bayes['kl_per_sample']):4.2f} | {time.process_time() - cpu:5.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
