"""
Decision boundaries on the checkerboard
=======================================

How many hidden nodes does a network need to separate the four quadrants of the
TensorFlow Playground checkerboard (book Ex. 3.3 and 5.1)? Each panel shows the output
probability of a ReLU network with one hidden layer of 2, 3, 4 or 8 nodes, trained with
PyTorch on 250 points and drawn with the 250 test points; the black line is the decision
boundary ``p = 0.5``. Every width is trained from four random starts and the start with the
lowest training loss is shown; the title counts the starts that reach 95% training accuracy.

Two nodes cannot enclose the two class-1 quadrants and get many points wrong. Three and four
nodes can solve the problem, but a run often gets stuck in a poorer solution; eight nodes
succeed from every start: extra capacity makes the optimisation easier, not only the fit
better.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch

from dlpbook import config, data, metrics, train
from dlpbook import nn as dnn
from dlpbook.plots.decision import plot_decision_boundary

board = data.simulate("checkerboard", 500, seed=3)
x = board["x"] / 5.0  # about [-1, 1]
label = board["label"]
train_idx, test_idx = np.split(np.random.default_rng(0).permutation(len(x)), 2)  # Playground's 50/50
n_starts = 4


def train_network(width, seed):
    """One hidden ReLU layer of ``width`` nodes; returns the model and its final training loss."""
    model = dnn.mlp(2, [width], 1, output_activation="sigmoid", seed=seed)
    history = train.fit(
        model,
        (x[train_idx], label[train_idx, None].astype(np.float32)),
        loss=torch.nn.BCELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=0.03),
        epochs=40,  # the same outcome per width as 60 epochs (0, 1, 2, 4 of 4 starts solve it), in 2/3 of the time
        batch_size=25,
        callbacks=[],
        progress=False,
    )
    return model, history["loss"][-1]


def probability_of(model):
    return lambda points: train.predict(model, points)[:, 0]


fig, axes = plt.subplots(2, 2, figsize=(10, 9), sharex=True, sharey=True)
for ax, width in zip(axes.flat, (2, 3, 4, 8)):
    runs = [train_network(width, seed) for seed in range(n_starts)]
    solved = sum(metrics.accuracy(label[train_idx], metrics.predict_labels(probability_of(m)(x[train_idx]))) >= 0.95 for m, _ in runs)
    best = probability_of(min(runs, key=lambda run: run[1])[0])
    test_accuracy = metrics.accuracy(label[test_idx], metrics.predict_labels(best(x[test_idx])))
    plot_decision_boundary(best, x[test_idx], label[test_idx], ax=ax, resolution=150)
    ax.set_title(f"{width} nodes: test accuracy {test_accuracy:.2f}\n{solved} of {n_starts} starts solve it", fontsize="medium")
    ax.set_xlabel("")
    ax.set_ylabel("")
for ax in axes[1]:
    ax.set_xlabel("$x_1$ (scaled, 1 = 5 units)")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$ (scaled, 1 = 5 units)")
fig.suptitle(f"One hidden ReLU layer of growing width ({config.describe()})")
plt.tight_layout()
plt.show()
