"""
How a ReLU network learns a wiggly function, epoch by epoch
============================================================

A network with three hidden layers of 30 ReLU nodes (book Example 2.3, Fig. 2.4) is trained
with Adam on 500 noisy samples (200 in the quick profile, with a larger learning rate) of the
interpolation function of Exercise 5.2, as in chapter 2. The top panel
shows the true function, the data and the network's prediction after 50, 100, 200 and 800
epochs, coloured by epoch: a nearly straight line first, then the broad trend, and only late the
narrow peaks, always as a chain of straight segments because every hidden node is a ReLU. The
bottom panel shows the training loss (mean squared error) falling by about two orders of
magnitude towards the noise variance 0.09.
"""

import matplotlib.pyplot as plt

from dlpbook import config
from dlpbook.exercises.interpolation import fit_with_snapshots, plot_fit

fit = fit_with_snapshots()  # the settings of the active profile (dlpbook.exercises.interpolation.fig_2_4_settings)
print(f"final training loss {fit.loss[-1]:.3f}, MSE against f on the grid {fit.test_mse:.3f} ({config.describe()})")
plot_fit(fit, title=f"3 x 30 ReLU network, {len(fit.x_train)} noisy points")
plt.show()
