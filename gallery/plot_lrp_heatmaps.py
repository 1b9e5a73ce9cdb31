"""
LRP heatmaps: how the rule and epsilon shape an explanation
===========================================================

Layer-wise relevance propagation (book Sec. 12.3.2.2) distributes the score of a class over the
pixels of the input. The digits CNN of Exercise 12.2 (four convolutional layers, trained on the
real handwritten digits that stand in for MNIST) explains three test digits. The first figure
varies epsilon of the LRP-epsilon rule (Eq. 12.9, sign-stabilised): with epsilon = 0 (LRP-0,
equal to gradient times input for this ReLU network) positive and negative relevance alternate
along the strokes; a larger epsilon absorbs the weak contributions and leaves a sparser map of
the strongest ones. The second figure compares rules: LRP-gamma and alpha1-beta0 keep the
positive evidence, alpha2-beta1 also shows the strokes that speak against the class, and the
composite (z^B at the input, gamma for the convolutions, epsilon for the dense layer) also
credits empty pixels where another digit would have ink. Red is positive, blue negative
relevance, each map on its own scale centred at zero.
"""

# %%
# LRP-epsilon for four values of epsilon (rows: digits, columns: epsilon).
import matplotlib.pyplot as plt
import numpy as np
import torch

from dlpbook import config
from dlpbook.exercises import cnn_features
from dlpbook.interpret import lrp, lrp_rules
from dlpbook.plots.heatmaps import plot_heatmaps

torch.set_num_threads(1)
model = cnn_features.trained_digits_cnn()  # trained once and cached
digits = cnn_features.digits_split()
chosen = [int(np.flatnonzero(digits.y_test == d)[0]) for d in (2, 6, 8)]
x = torch.from_numpy(digits.x_test[chosen])
targets = digits.y_test[chosen].tolist()
body, images = model[1:], model[0](x)  # LRP runs on the layers after the reshaping module
print(config.describe())

epsilons = (0.0, 0.1, 1.0, 10.0)
by_epsilon = np.stack([lrp.relevance(body, images, targets, rules=lrp_rules.Epsilon(eps))[:, 0]
                       for eps in epsilons], axis=1)
plot_heatmaps(by_epsilon, backgrounds=digits.x_test[chosen], outline_level=0.3,
              titles=[[f"digit {t}, ε = {eps:g}" for eps in epsilons] for t in targets])
plt.show()

# %%
# Rules and a composite (rows: digits, columns: rules).
rules = {
    "LRP-0": lrp_rules.Zero(),
    "LRP-γ": lrp_rules.Gamma(0.25),
    "α1-β0": lrp_rules.AlphaBeta(1, 0),
    "α2-β1": lrp_rules.AlphaBeta(2, 1),
    "composite": lrp.epsilon_gamma_box(0.0, 1.0),
}
by_rule = np.stack([lrp.relevance(body, images, targets, rules=rule)[:, 0] for rule in rules.values()], axis=1)
plot_heatmaps(by_rule, backgrounds=digits.x_test[chosen], outline_level=0.3,
              titles=[[f"digit {t}: {name}" if column == 0 else name for column, name in enumerate(rules)]
                      for t in targets])
plt.show()
