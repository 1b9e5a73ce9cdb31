"""Chapter 14's restricted Boltzmann machine on the 4 x 4 Ising lattice, in one profile.

Trains :func:`dlpbook.objectives.studies.ising_rbm_study` (contrastive divergence; the exact
likelihood by enumerating all 2^16 configurations) and prints the KL divergence of the machine
from the Ising distribution, the mean log-likelihood before and after training against its
ceiling, how unequal the machine makes P(m) and P(-m) (half the summed difference; 0 for the
Ising distribution, whose energy does not change when all spins flip), the total variation
between the two magnetisation distributions, and the CPU seconds.

Usage: ``DLPBOOK_CACHE=<empty folder> .venv/bin/python benchmarks/ising_rbm.py [--profile quick|full]``
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="quick", choices=("quick", "full"))
    os.environ["DLPBOOK_PROFILE"] = parser.parse_args().profile
    from dlpbook import config
    from dlpbook.objectives import studies

    cpu = time.process_time()
    machine = studies.ising_rbm_study()
    _, index = np.unique(machine["magnetization"], return_inverse=True)
    p_rbm, p_ising = (np.bincount(index, machine[f"probability:{name}"]) for name in ("rbm", "ising"))
    log_likelihood = machine["log_likelihood"]
    print(f"{config.describe()}: D_KL(Ising || RBM) {machine['kl']:.3f} nats; mean log-likelihood "
          f"{log_likelihood[0]:.2f} -> {log_likelihood[-1]:.2f} (ceiling {-machine['entropy']:.2f}); "
          f"P(m) against P(-m): RBM {0.5 * np.abs(p_rbm - p_rbm[::-1]).sum():.3f}, Ising "
          f"{0.5 * np.abs(p_ising - p_ising[::-1]).sum():.3f}; total variation of P(m) "
          f"{0.5 * np.abs(p_rbm - p_ising).sum():.3f}; {time.process_time() - cpu:.0f} s CPU")


if __name__ == "__main__":
    main()
