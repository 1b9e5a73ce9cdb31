"""Ex. 9.1, second task: LSTM layouts for the sine forecast, trained from several seeds (PyTorch).

Prints one row per layout: parameters, mean CPU seconds of a training, and per seed the epochs
trained (early stopping), the validation MSE one step ahead, the steps the 500-step
autoregressive forecast stays within the tolerance and its MSE over all steps. The full profile
is the original training (up to 60 epochs on 8,982 windows); it takes about a minute of one core
per training::

    OMP_NUM_THREADS=1 DLPBOOK_PROFILE=full .venv/bin/python benchmarks/sine_architectures.py
"""

import argparse

import torch

from dlpbook import config
from dlpbook.exercises import sine_forecast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per layout (default 3)")
    args = parser.parse_args()
    settings = sine_forecast.SineForecastSettings.for_profile()
    print(f"{config.describe()}; torch threads {torch.get_num_threads()}", flush=True)
    print(settings.describe(), flush=True)
    print(f"{'units':>10s} {'params':>7s} {'CPU s':>6s}  epochs | one-step MSE | "
          f"good steps (of {settings.horizon}) | MSE over the horizon")
    for units in sine_forecast.ARCHITECTURES:
        (row,) = sine_forecast.compare_architectures(settings, [units], range(args.seeds))
        print(
            f"{str(row['units']):>10s} {row['parameters']:7d} {row['seconds']:6.1f}  "
            f"{' '.join(f'{e:2d}' for e in row['epochs'])} | "
            f"{' '.join(f'{v:.1e}' for v in row['one_step_mse'])} | "
            f"{' '.join(f'{v:3d}' for v in row['good_steps'])} | "
            f"{' '.join(f'{v:.3f}' for v in row['horizon_mse'])}",
            flush=True,
        )


if __name__ == "__main__":
    main()
