"""
A Hamiltonian network conserves energy, a plain network does not
=================================================================

Two small tanh networks learn the motion of a mass on a spring from the same noisy observations
of states :math:`(q, p)` and their time derivatives (500 in the quick profile, 1,500 in the full
one; book Example 14.5, Fig. 14.3).
The plain network predicts :math:`(\\dot q, \\dot p)` directly and is trained with the mean
squared error. The Hamiltonian network predicts one number, the energy :math:`H_\\theta(q, p)`,
and takes the motion from its gradients, :math:`\\dot q = \\partial H_\\theta / \\partial p` and
:math:`\\dot p = -\\partial H_\\theta / \\partial q`, trained with the corrected loss of the book's
Eq. 14.35. Both learned fields are then integrated from the same start for 300 RK4 steps of
0.2 (about ten periods). The plain network's orbit is not closed: it spirals outwards and the
true energy grows step by step. The Hamiltonian network's orbit is a closed curve, a level line
of :math:`H_\\theta`; its energy deviates from the true value by the few per cent by which the
learned :math:`H_\\theta` differs from the true one, but that deviation does not grow. The
networks come from ``dlpbook.objectives.studies.spring_networks`` and are trained once per
build (the result cache), shared with the chapter 14 page.
"""

import matplotlib.pyplot as plt

from dlpbook import config
from dlpbook.objectives.studies import energy_drift, spring_networks, spring_trajectories
from dlpbook.plots.objectives import plot_spring_comparison

networks = spring_networks()
orbits = spring_trajectories(networks, [0.0, 0.8], dt=0.2, n_steps=300)
for name in ("exact", "hnn", "baseline"):
    energy = orbits[f"energy:{name}"]
    print(f"{name:8s}: largest |E / E0 - 1| over 20 steps {energy_drift(energy[:21]):.3f}, "
          f"over 300 steps {energy_drift(energy):.3f}")
print(config.describe())
plot_spring_comparison(orbits)
plt.show()
