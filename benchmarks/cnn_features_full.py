"""Exercises 12.1 and 12.2 at the original sizes: the ``full`` settings, trained and evaluated.

The targets: Ex. 12.2's digits CNN (98,442 parameters) at least 98 % test accuracy (the original
on MNIST: 0.990 after 3 epochs; here on scikit-learn's 1,797 digits, 125 epochs of minibatches of
100 for about the original's number of updates); Ex. 12.1's colour-image CNN (73,498
parameters; 30 epochs on 50,000 images) at least 70 % on CIFAR-10 (original: 0.73), here on the
collider objects, a different data set. Prints per exercise and framework the test accuracy,
the validation accuracy per epoch, the most confused pairs (Ex. 12.1) and the CPU and wall
seconds. The runs go through the result cache, so the pages of a full-profile build reuse them.

Ex. 12.2 takes a few minutes per framework on one CPU core; Ex. 12.1 20 to 40 minutes per
framework (``benchmarks/RESULTS.md``): run it where a GPU is lent.

Usage: ``.venv/bin/python benchmarks/cnn_features_full.py [12.1|12.2 ...] [--frameworks torch,keras] [--epochs N]``
"""

from __future__ import annotations

import argparse
import os
import time

os.environ["DLPBOOK_PROFILE"] = "full"  # so that the printed runs say which profile made them

from dlpbook import config, metrics  # noqa: E402
from dlpbook.exercises import cnn_features as cf  # noqa: E402

STUDIES = {"12.1": cf.FilterStudy, "12.2": cf.ActivationMaximizationStudy}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercises", nargs="*", default=["12.2", "12.1"], choices=sorted(STUDIES))
    parser.add_argument("--frameworks", default="torch,keras", help="comma-separated: torch, keras")
    parser.add_argument("--epochs", type=int, default=None, help="fewer epochs than the original (a shortened check)")
    args = parser.parse_args()
    for exercise in args.exercises:
        settings = STUDIES[exercise].for_profile("full").training
        if args.epochs is not None:
            settings = settings.replace(epochs=args.epochs)
        names = settings.data.classes
        for framework in args.frameworks.split(","):
            cpu, wall = time.process_time(), time.perf_counter()
            result = cf.run(settings, framework)
            matrix = metrics.confusion_matrix(result.labels, result.predicted, len(names))
            pairs = "; ".join(f"{names[i]} / {names[j]} {n}" for i, j, n in metrics.most_confused_pairs(matrix, 4))
            print(f"{exercise} {framework} ({settings.describe()}): {result.n_parameters:,} parameters, test accuracy "
                  f"{result.test_accuracy:.4f}; most confused: {pairs}; {time.process_time() - cpu:.0f} s CPU, "
                  f"{time.perf_counter() - wall:.0f} s wall ({config.describe()})")
            accuracy = result.history["val_accuracy"]
            print(f"  validation accuracy per epoch: {' '.join(f'{v:.3f}' for v in accuracy)}", flush=True)


if __name__ == "__main__":
    main()
