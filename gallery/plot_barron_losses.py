"""
Barron's family of robust losses
================================

One formula, Barron's general loss :math:`\\rho(x, \\alpha, c)` (book Eq. 14.30), contains the
familiar losses as special cases of its shape parameter :math:`\\alpha`: the squared error at
:math:`\\alpha = 2`, the Charbonnier (pseudo-Huber) loss at 1, the Cauchy (Lorentz) loss at 0,
Geman-McClure at -2 and Welsch at :math:`-\\infty` (compare the book's Fig. 14.2). The left panel
shows the probability densities :math:`e^{-\\rho} / (c Z(\\alpha))` that make the loss a negative
log-likelihood (they exist for :math:`0 \\le \\alpha \\le 2`): the smaller :math:`\\alpha`, the
heavier the tails. The middle panel shows the losses, the right panel their derivatives, which
is what gradient descent feels: for :math:`\\alpha = 2` the pull of a residual grows without
bound, for :math:`\\alpha \\le 1` it is bounded, and for :math:`\\alpha < 0` a far outlier pulls
not at all. All curves come from ``dlpbook.objectives.robust_loss``; the derivatives are taken
by autograd.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

from dlpbook.objectives.studies import barron_curves
from dlpbook.plots.objectives import plot_barron_family

x = np.linspace(-5, 5, 501)
curves = barron_curves(x, [2.0, 1.0, 0.0, -2.0, -math.inf])
for alpha, curve in curves.items():
    print(f"alpha = {alpha:5}: rho(5) = {curve['loss'][-1]:5.2f}, d rho/dx at x = 5: {curve['derivative'][-1]:5.2f}")
plot_barron_family(x, curves)
plt.show()
