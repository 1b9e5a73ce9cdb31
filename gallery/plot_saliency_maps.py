"""
Saliency maps: where a small change moves the decision
======================================================

The saliency map (book Eq. 12.5, Example 12.1) is the gradient of a class score, before the
softmax, with respect to the input pixels. The digits CNN of Exercise 12.2 explains four test
digits. For each digit (one row) the panels show, from left to right, the digit, the saliency
of its true class, the same gradient averaged over 32 noisy copies of the digit (SmoothGrad, not
in the book), and the saliency of the class the network ranks second. Red pixels raise the
score when brightened, blue ones lower it, on a scale centred at zero; the grey line is the
outline of the digit. The digits are smooth (upsampled from 8 x 8 pixels), and so is the
network's gradient: SmoothGrad changes it little here, where on photographs it removes most of
the pixel-to-pixel noise. The map of the runner-up class shows where extra or missing ink would
turn the digit into that class.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch

from dlpbook import config
from dlpbook.exercises import cnn_features
from dlpbook.interpret import attribution
from dlpbook.plots.heatmaps import plot_heatmaps

torch.set_num_threads(1)
model = cnn_features.trained_digits_cnn()  # trained once and cached
digits = cnn_features.digits_split()
chosen = [int(np.flatnonzero(digits.y_test == d)[0]) for d in (3, 4, 8, 9)]
x = torch.from_numpy(digits.x_test[chosen])
true = digits.y_test[chosen].tolist()
with torch.no_grad():
    runner_up = model(x).argsort(dim=1, descending=True)[:, 1].tolist()
print(config.describe())

maps = np.stack([
    np.zeros_like(digits.x_test[chosen]),
    attribution.saliency(model, x, true),
    attribution.smoothgrad(model, x, true, sigma=0.15, samples=32),
    attribution.saliency(model, x, runner_up),
], axis=1)
titles = [["digit", f"class {t}", f"class {t}, SmoothGrad", f"class {r}"] for t, r in zip(true, runner_up)]
fig = plot_heatmaps(maps, titles=titles, backgrounds=digits.x_test[chosen], outline_level=0.3)
for row, ax in enumerate(fig.axes[::4]):
    ax.imshow(digits.x_test[chosen[row]], cmap="gray_r")
plt.show()
