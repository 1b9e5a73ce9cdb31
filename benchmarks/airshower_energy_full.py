"""Exercises 7.2 and 8.2 at the original sizes: the ``full`` settings, trained and evaluated.

The targets of issue 9 for the ``full`` profile (80,000 training and 20,000 test showers of the
14 x 14 array): resolution below 3.5 EeV for the fully-connected network (Ex. 7.2; the original
reached 3.3 EeV) and below 1.9 EeV for the CNN (Ex. 8.2; the original 1.6 EeV). Prints, per
network and framework, the resolution, the bias and the relative resolution in the five energy
bins of the pages, the test resolution after each epoch, and the CPU and wall seconds.

The CNN takes about 40 minutes per framework on one CPU core; run it where a GPU is lent.

Usage: ``.venv/bin/python benchmarks/airshower_energy_full.py [fcn|cnn ...] [--frameworks torch,keras] [--epochs N]``
"""

from __future__ import annotations

import full_runs  # first: selects the full profile before dlpbook is imported

from dlpbook.exercises import airshower_energy as ae


def main() -> None:
    parser = full_runs.parser(__doc__)
    parser.add_argument("networks", nargs="*", default=["fcn", "cnn"], choices=sorted(ae.SETTINGS))
    args = parser.parse_args()
    frameworks = args.frameworks.split(",")
    elapsed = full_runs.clock()
    split = ae.load_split(ae.ShowerData())
    print(f"data: {len(split.energy_train):,} + {len(split.energy_test):,} showers in {elapsed()}")
    for network in args.networks:
        settings = ae.SETTINGS[network].for_profile("full")
        if args.epochs is not None:
            settings = settings.replace(epochs=args.epochs)
        for framework in frameworks:
            elapsed = full_runs.clock()
            fit = (ae.train_torch if framework == "torch" else ae.train_keras)(settings, split)
            relative = fit.relative_resolution()
            print(f"{network} {framework} ({settings.describe()}): {fit.n_parameters:,} parameters, "
                  f"resolution {fit.resolution:.2f} EeV, bias {fit.bias:+.2f} EeV, "
                  f"sigma_E/E per bin {', '.join(f'{s:.3f}' for s in relative.sigma)}; {elapsed()}")
            print(f"  test resolution per epoch (EeV): {' '.join(f'{v:.2f}' for v in fit.test_resolution)}", flush=True)


if __name__ == "__main__":
    main()
