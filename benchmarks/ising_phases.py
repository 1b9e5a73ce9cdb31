"""Ex. 7.1, 8.1 and 12.3 in one profile: test accuracy and T_c estimate of the FCN, the CNN and the CAM network.

Trains the networks of :class:`dlpbook.exercises.ising_phases.PhaseStudy` (and, with
``--models cam``, the CAM network of :class:`dlpbook.exercises.ising_cam.CamStudy`) for the chosen
profile (``--profile full``: the original 26,000 configurations, at most 50 epochs with early
stopping) with :func:`~dlpbook.exercises.ising_phases.train_torch` and ``train_keras`` (not
through the result cache), and prints per run the epochs trained, the validation accuracy of the
epoch whose weights it keeps (the lowest validation loss), the test accuracy, the T_c estimate
with its bootstrap error and its deviation from Onsager's value, and the CPU and wall time. ``--seeds`` repeats every run with other seeds of the weights (the data stay the same).

Usage: ``.venv/bin/python benchmarks/ising_phases.py --profile full [--frameworks torch keras]
[--models fcn cnn cam] [--seeds 0]``. The full profile is meant for a GPU; on two CPU cores it
takes about an hour.
"""

from __future__ import annotations

import argparse
import os
import time

from dlpbook import config
from dlpbook.data.ising import T_C
from dlpbook.exercises import ising_cam
from dlpbook.exercises import ising_phases as ip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("quick", "full"), default="full")
    parser.add_argument("--frameworks", nargs="+", choices=ip.FRAMEWORKS, default=list(ip.FRAMEWORKS))
    parser.add_argument("--models", nargs="+", choices=ip.MODELS, default=list(ip.MODELS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    args = parser.parse_args()
    os.environ["DLPBOOK_PROFILE"] = args.profile  # so that config.describe() names the profile that ran
    study = ip.PhaseStudy.for_profile(args.profile)
    print(f"{study.fcn.data.describe()}")
    start = time.process_time(), time.perf_counter()
    ip.load_split(study.fcn.data)
    print(f"data: {time.process_time() - start[0]:.0f} s CPU, {time.perf_counter() - start[1]:.0f} s wall")
    for model in args.models:
        settings = ising_cam.CamStudy.for_profile(args.profile).training if model == "cam" else getattr(study, model)
        for framework in args.frameworks:
            for seed in args.seeds:
                start = time.process_time(), time.perf_counter()
                result = ip.TRAINERS[framework](settings.replace(seed=seed))
                cpu, wall = time.process_time() - start[0], time.perf_counter() - start[1]
                point = study.critical_point(result)
                history = result.history
                best = min(range(result.epochs_trained), key=history["val_loss"].__getitem__)
                print(
                    f"{model} {framework} seed {seed}: {result.epochs_trained} epochs (best {best + 1}: val_accuracy "
                    f"{history['val_accuracy'][best]:.4f}), test accuracy "
                    f"{result.test_accuracy:.4f}, T_c = {point.estimate:.3f} +- {point.error:.3f} "
                    f"({point.deviation(T_C):+.1%} from {T_C:.3f}); {cpu:.0f} s CPU, {wall:.0f} s wall",
                    flush=True,
                )
    print(config.describe())


if __name__ == "__main__":
    main()
