"""Exercise 11.1 at the original sizes: the ``full`` settings, trained and evaluated.

The targets of issue 9 for the ``full`` profile: angular resolution below 1.5 deg, core
resolution below 25 m and relative energy resolution below 10 % (68 % quantiles on the
20,000 test showers), with the exercise's loss weights. Prints, per framework, the three
resolutions, the epochs trained (early stopping after 5 epochs without gain), the training loss
per epoch and the CPU and wall seconds. The runs go through the result cache, so the pages of a
full-profile build reuse them (the page's comparison run without the loss weights is not made here).

Usage: ``.venv/bin/python benchmarks/multitask_full.py [--frameworks torch,keras] [--epochs N]``
"""

from __future__ import annotations

import full_runs  # first: selects the full profile before dlpbook is imported

from dlpbook.exercises import multitask_reconstruction as multitask


def main() -> None:
    args = full_runs.parser(__doc__).parse_args()
    settings = multitask.MultitaskStudy.for_profile("full").run
    if args.epochs is not None:
        settings = settings.replace(epochs=args.epochs)
    elapsed = full_runs.clock()
    fit_part, validation, test = multitask.load_data(settings)
    print(f"data: {len(fit_part):,} + {len(validation):,} + {len(test):,} showers (fit, validation, test) in "
          f"{elapsed()}", flush=True)
    goals = ", ".join(f"{task} {goal}" for task, goal in multitask.GOALS.items())
    for framework in args.frameworks.split(","):
        elapsed = full_runs.clock()
        run = (multitask.train_torch if framework == "torch" else multitask.train_keras)(settings)
        found = run.resolutions
        print(f"{framework}: {run.n_parameters:,} parameters, {len(run.curves['loss']) - 1} epochs; resolutions "
              f"axis {found['axis']:.2f} deg, core {found['core']:.1f} m, energy {100 * found['energy']:.1f} % "
              f"(goals: {goals}); {elapsed()}")
        print(f"  training loss per epoch: {' '.join(f'{v:.4f}' for v in run.curves['loss'][1:])}", flush=True)


if __name__ == "__main__":
    main()
