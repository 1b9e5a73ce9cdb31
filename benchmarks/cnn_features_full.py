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

import full_runs  # first: selects the full profile before dlpbook is imported

from dlpbook import metrics
from dlpbook.exercises import cnn_features as cf

STUDIES = {"12.1": cf.FilterStudy, "12.2": cf.ActivationMaximizationStudy}


def main() -> None:
    parser = full_runs.parser(__doc__)
    parser.add_argument("exercises", nargs="*", default=["12.2", "12.1"], choices=sorted(STUDIES))
    args = parser.parse_args()
    for exercise in args.exercises:
        settings = STUDIES[exercise].for_profile("full").training
        if args.epochs is not None:
            settings = settings.replace(epochs=args.epochs)
        names = settings.data.classes
        for framework in args.frameworks.split(","):
            elapsed = full_runs.clock()
            result = cf.run(settings, framework)
            matrix = metrics.confusion_matrix(result.labels, result.predicted, len(names))
            pairs = "; ".join(f"{names[i]} / {names[j]} {n}" for i, j, n in metrics.most_confused_pairs(matrix, 4))
            print(f"{exercise} {framework} ({settings.describe()}): {result.n_parameters:,} parameters, test accuracy "
                  f"{result.test_accuracy:.4f}; most confused: {pairs}; {elapsed()}")
            accuracy = result.history["val_accuracy"]
            print(f"  validation accuracy per epoch: {' '.join(f'{v:.3f}' for v in accuracy)}", flush=True)


if __name__ == "__main__":
    main()
