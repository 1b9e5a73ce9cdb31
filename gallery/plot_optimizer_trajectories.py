"""
Optimiser trajectories on Beale's function
==========================================

Five gradient-descent strategies of book Sec. 4.6-4.8 (plain SGD, momentum, Adagrad, RMSprop and
Adam, all from ``dlpbook.numpynet.optimizers``) start from the same point on Beale's function,
a surface with flat plateaus, steep walls and a curved valley leading to the minimum at (3, 0.5).
The left panel shows the paths over logarithmically spaced contours, the right panel the loss
along each path. Plain SGD needs a small learning rate to survive the steep walls and then crawls
along the flat valley; momentum accumulates speed there. RMSprop rescales every gradient to a step
of about its learning rate, which is fast on the plateau but leaves it hopping around the minimum
at a loss near 1e-3; Adam's momentum term averages those hops away.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook import numpynet as nn

start, n_steps = (1.0, 1.5), 3000
optimisers = {
    "SGD, $\\alpha = 10^{-3}$": nn.SGD(1e-3),
    "momentum, $\\alpha = 10^{-3}$, $\\beta = 0.9$": nn.Momentum(1e-3, 0.9),
    "Adagrad, $\\alpha = 0.1$": nn.Adagrad(0.1),
    "RMSprop, $\\alpha = 10^{-2}$": nn.RMSprop(1e-2),
    "Adam, $\\alpha = 0.02$": nn.Adam(0.02),
}
paths = {name: nn.descend(nn.beale, optimiser, start, n_steps) for name, optimiser in optimisers.items()}

x, y = np.meshgrid(np.linspace(-0.5, 4.0, 400), np.linspace(-1.5, 2.5, 400))
surface = nn.beale(np.stack([x, y], axis=-1))[0]

fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(12, 5))
ax_path.contour(x, y, surface, levels=np.geomspace(0.1, 1e5, 25), colors="0.75", linewidths=0.8)
for name, path in paths.items():
    ax_path.plot(*path.T, lw=1.8, label=name)
    ax_loss.loglog(np.arange(1, n_steps + 2), nn.beale(path)[0], lw=1.8, label=name)
ax_path.plot(*start, "ko", ms=7, label="start")
ax_path.plot(3, 0.5, "k*", ms=14, label="minimum (3, 0.5)")
ax_path.set(xlabel="parameter $\\theta_1$", ylabel="parameter $\\theta_2$", title="paths over Beale's function",
            xlim=(-0.5, 4.0), ylim=(-1.5, 2.5))
ax_path.legend(loc="lower left", fontsize=8)
ax_loss.set(xlabel="step", ylabel="loss $L(\\theta_1, \\theta_2)$", title="loss along the path")
ax_loss.legend(fontsize=8)
fig.tight_layout()
plt.show()
