"""Exercise 16.1 (the book's Example 10.2): semi-supervised node classification on Zachary's karate club.

The 34 members of the club (:mod:`dlpbook.data.karate`) form one fixed graph; each belongs to one
of four groups, but only four members, one per group, reveal their group to the training. A graph
convolutional network (Eq. 10.3) with one-hot node ids as features, ``gcn(34, [4, 4, 2], 4)``
(168 parameters, :func:`dlpbook.nn.graph.gcn` and its Keras twin), is trained on the cross-entropy
of these four members only (a masked loss) and then predicts the groups of the other 30. The
original notebook uses Spektral's ``GCNConv`` with Adam (learning rate 0.01, decoupled weight
decay 1e-3) for 2000 full-graph iterations, the members 4, 19, 31 and 33 (0-based) as the
labelled ones, and reports 29 of 30 unlabelled members right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .. import config, data, graph_matrices, keras_nn, nn
from ..data.karate import N_NODES
from ..keras_nn import graph as keras_graph
from ..nn import graph as torch_graph
from ..validation import ParameterError, check_count, check_float, check_positive, check_rate, check_seed
from .settings import ProfileSettings

N_PARAMETERS = 168
"""Parameters of the Ex. 16.1 network: 34*4 + 4*4 + 4*2 + 2*4, no biases."""
LABELLED = (4, 19, 31, 33)
"""The members (0-based) whose group the training sees, one per group: the original's draw with seed 2."""
N_GROUPS = 4


@dataclass(frozen=True)
class KarateSettings(ProfileSettings):
    """Training of the karate-club GCN (defaults: the original Ex. 16.1).

    Attributes
    ----------
    iterations : int
        Full-graph training steps.
    lr, weight_decay : float
        Adam with decoupled weight decay (AdamW), as the original's Keras ``Adam(weight_decay=)``.
    dropout : float
        Dropout rate after each hidden layer.
    labelled : tuple of int
        The members whose group the loss sees (0-based, one per group).
    record_every : int
        Iterations between two records of the losses, the accuracy and the 2D embedding.
    seed : int
        Seed of the initial weights and the dropout masks.
    """

    iterations: int = 2000
    lr: float = 0.01
    weight_decay: float = 1e-3
    dropout: float = 0.4
    labelled: tuple[int, ...] = LABELLED
    record_every: int = 10
    seed: int = 0

    def __post_init__(self):
        check_count(self.iterations, "iterations")
        check_positive(self.lr, "lr")
        check_float(self.weight_decay, "weight_decay", low=0)
        check_rate(self.dropout, "dropout")
        labelled = tuple(int(node) for node in self.labelled)
        if not labelled or len(set(labelled)) != len(labelled) or not all(0 <= node < N_NODES for node in labelled):
            raise ParameterError("labelled", f"distinct members in [0, {N_NODES - 1}], at least one", list(self.labelled))
        object.__setattr__(self, "labelled", labelled)
        check_count(self.record_every, "record_every", high=self.iterations)
        if self.iterations % self.record_every:
            raise ParameterError("record_every", f"a divisor of iterations = {self.iterations}", self.record_every)
        check_seed(self.seed)

    @classmethod
    def profiles(cls) -> dict[str, KarateSettings]:
        """``full`` and ``quick`` are both the original exercise; quick records less often."""
        return {"quick": cls(record_every=40), "full": cls()}


@dataclass(frozen=True)
class KarateRun:
    """Result of one training run of Ex. 16.1 (either framework).

    Attributes
    ----------
    n_parameters : int
    iterations : (records,) int
        Iterations after which the values below were recorded (0: before training).
    loss, val_loss : (records,) float
        Mean cross-entropy on the labelled and on the unlabelled members, without dropout.
    val_accuracy : (records,) float
        Fraction of the unlabelled members whose group is predicted right.
    embeddings : (records, 34, 2) float
        The output of the third layer (2 filters) for every member, without dropout.
    predicted : (34,) int
        Predicted group (0-3) of every member after training.
    labels : (34,) int
        True groups.
    labelled : (n_labelled,) int
        The members the training saw.
    """

    n_parameters: int
    iterations: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    embeddings: np.ndarray
    predicted: np.ndarray
    labels: np.ndarray
    labelled: np.ndarray

    @property
    def unlabelled(self) -> np.ndarray:
        """Mask (34,) of the members the training did not see."""
        mask = np.ones(len(self.labels), dtype=bool)
        mask[self.labelled] = False
        return mask

    @property
    def correct(self) -> int:
        """Unlabelled members whose group is predicted right."""
        return int(np.sum((self.predicted == self.labels)[self.unlabelled]))


def club_graph() -> dict[str, np.ndarray]:
    """The karate club: ``features`` (34, 34) identity, ``adjacency`` (34, 34) renormalised (Eq. 10.3), ``labels`` (34,)."""
    club = data.load("karate_club", 1, progress=False)
    return {
        "features": club["features"],
        "adjacency": graph_matrices.gcn_adjacency(club["adj"]).astype(np.float32),
        "labels": club["labels_one_hot"].argmax(axis=1),
    }


def record(scores: np.ndarray, embedding: np.ndarray, labels: np.ndarray, labelled: tuple[int, ...]) -> dict[str, object]:
    """The values kept at a record: losses on labelled and unlabelled members, their accuracy, the embedding.

    ``scores`` (34, 4) are logits and ``embedding`` (34, 2) the output of the third layer.
    """
    shifted = scores - scores.max(axis=1, keepdims=True)
    cross_entropy = np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(len(labels)), labels]
    unlabelled = np.ones(len(labels), dtype=bool)
    unlabelled[list(labelled)] = False
    return {
        "loss": float(cross_entropy[list(labelled)].mean()),
        "val_loss": float(cross_entropy[unlabelled].mean()),
        "val_accuracy": float(np.mean((scores.argmax(axis=1) == labels)[unlabelled])),
        "embedding": np.asarray(embedding, dtype=float),
        "predicted": scores.argmax(axis=1),
    }


def collect(records: list[dict[str, object]], settings: KarateSettings, labels: np.ndarray, n_parameters: int) -> KarateRun:
    """A :class:`KarateRun` from the records of :func:`record`, one per ``record_every`` iterations."""
    return KarateRun(
        n_parameters,
        np.arange(len(records)) * settings.record_every,
        np.array([r["loss"] for r in records]),
        np.array([r["val_loss"] for r in records]),
        np.array([r["val_accuracy"] for r in records]),
        np.stack([r["embedding"] for r in records]),
        records[-1]["predicted"],
        labels,
        np.asarray(settings.labelled),
    )


def train_torch(settings: KarateSettings = KarateSettings()) -> KarateRun:
    """Ex. 16.1 in PyTorch: full-graph AdamW steps on the cross-entropy of the labelled members.

    Every ``record_every`` iterations the network runs without dropout once; a forward hook on
    the last layer catches its input, the 2D embedding.
    """
    club = club_graph()
    features, adjacency = torch.from_numpy(club["features"]), torch.from_numpy(club["adjacency"])
    labels, labelled = torch.from_numpy(club["labels"]), torch.tensor(settings.labelled)
    model = torch_graph.gcn(N_NODES, [4, 4, 2], N_GROUPS, dropout=settings.dropout, seed=settings.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    embedding = []
    model.convolutions[-1].register_forward_hook(lambda layer, args, output: embedding.append(args[0]))
    records = []
    with torch.random.fork_rng(devices=[]):  # the dropout masks, without touching the global generator
        torch.manual_seed(settings.seed)
        for iteration in range(settings.iterations + 1):
            if iteration % settings.record_every == 0:
                with torch.no_grad():
                    scores = model.eval()(features, adjacency)
                records.append(record(scores.numpy(), embedding.pop().numpy(), club["labels"], settings.labelled))
            if iteration == settings.iterations:
                break
            model.train()
            scores = model(features, adjacency)
            embedding.clear()
            loss = torch.nn.functional.cross_entropy(scores[labelled], labels[labelled])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return collect(records, settings, club["labels"], nn.count_parameters(model))


def train_keras(settings: KarateSettings = KarateSettings()) -> KarateRun:
    """Ex. 16.1 in Keras 3: ``fit`` on the one graph, the unlabelled members masked by ``sample_weight``.

    The graph is a batch of one: inputs ``[features, adjacency]`` of shape (1, 34, ...), and
    the weights (1, 34) are 1 for the labelled members and 0 for the others, as the original's
    ``train_on_batch(..., sample_weight=train_mask)``. Keras runs ``record_every`` steps per
    compiled call (``steps_per_execution``), and a callback records between the calls.
    """
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    tf = config.import_tensorflow()
    club = club_graph()
    inputs = [club["features"][None], club["adjacency"][None]]
    weights = np.zeros((1, N_NODES), dtype=np.float32)
    weights[0, list(settings.labelled)] = 1.0
    model = keras_graph.gcn(N_NODES, [4, 4, 2], N_GROUPS, dropout=settings.dropout, seed=settings.seed)
    keras_nn.compile_for_fit(
        model, inputs, club["labels"][None],
        optimizer=keras.optimizers.AdamW(learning_rate=settings.lr, weight_decay=settings.weight_decay),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), steps_per_execution=settings.record_every,
    )
    # the logits and the input of the last GCN layer (the 2D embedding) in one call, traced once:
    # 51 eager calls of the model cost 0.45 s of CPU, the traced ones 0.1 s
    probe = tf.function(keras.Model(model.inputs, [model.output, model.layers[-1].input[0]]))
    records = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch=None, logs=None):
            scores, embedding = probe(inputs, training=False)
            records.append(record(np.asarray(scores)[0], np.asarray(embedding)[0], club["labels"], settings.labelled))

    Record().on_epoch_end()  # before training
    graph = tf.data.Dataset.from_tensors((tuple(inputs), club["labels"][None], weights)).repeat()
    model.fit(
        graph, epochs=settings.iterations // settings.record_every, steps_per_epoch=settings.record_every,
        shuffle=False, callbacks=[Record()], verbose=0,
    )
    return collect(records, settings, club["labels"], model.count_params())


GROUP_COLOURS = ("C0", "C1", "C2", "C3")
"""Colours of the four groups, as in chapter 10's figures."""


def plot_training(run: KarateRun, axes=None):
    """Cross-entropy on the labelled and the unlabelled members vs iteration, and the unlabelled members right.

    Draws on the two matplotlib axes ``axes`` (default: a new figure) and returns the figure.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    left, right = axes
    n_unlabelled = int(run.unlabelled.sum())
    left.semilogy(run.iterations, run.loss, label=f"{len(run.labelled)} labelled members (training)")
    left.semilogy(run.iterations, run.val_loss, label=f"{n_unlabelled} unlabelled members")
    left.set(xlabel="iteration", ylabel="cross-entropy")
    left.legend()
    right.plot(run.iterations, run.val_accuracy * n_unlabelled, color="C2")
    right.axhline(n_unlabelled, color="0.6", ls=":", lw=1)
    right.set(xlabel="iteration", ylabel="unlabelled members right", ylim=(0, n_unlabelled + 1))
    return left.figure


def plot_embedding(run: KarateRun, ax=None):
    """The path of every member through the 2D embedding during training, coloured by its true group.

    Small dots mark the start, large dots the end; the labelled members are ringed in black and
    the wrongly predicted ones marked with a red cross. Draws on ``ax`` (default: a new figure)
    and returns the figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.2), layout="constrained")
    colours = np.array(GROUP_COLOURS)[run.labels]
    paths = np.transpose(run.embeddings, (1, 0, 2))  # (34, records, 2)
    ax.add_collection(LineCollection(paths, colors=colours, linewidths=1.0, alpha=0.6))
    ax.scatter(*paths[:, 0].T, c=colours, s=12)
    ax.scatter(*paths[:, -1].T, c=colours, s=70, edgecolors="white", linewidths=0.8, zorder=3)
    ax.scatter(*paths[run.labelled, -1].T, s=190, facecolors="none", edgecolors="black", linewidths=1.6, zorder=4)
    wrong = run.predicted != run.labels
    ax.plot(*paths[wrong, -1].T, "x", color="red", ms=13, mew=2, zorder=5)
    for group, colour in enumerate(GROUP_COLOURS):
        ax.plot([], [], "o", color=colour, label=f"group {group + 1}")
    ax.plot([], [], "o", mfc="none", mec="black", ms=11, label="labelled")
    ax.plot([], [], "x", color="red", mew=2, label="predicted wrong")
    ax.set(xlim=(-1.08, 1.08), ylim=(-1.08, 1.08), xlabel="embedding $h_1$", ylabel="embedding $h_2$")
    ax.set_aspect("equal")
    ax.legend(loc="center", fontsize="small")
    return ax.figure


def plot_assignment(run: KarateRun, ax=None):
    """The club's graph with every member coloured by its predicted group.

    The labelled members are ringed in black, wrongly predicted ones marked by a red cross.
    Draws on ``ax`` (default: a new figure) and returns the figure.
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.2), layout="constrained")
    club = nx.from_numpy_array(data.load("karate_club", 1, progress=False)["adj"])
    layout = nx.spring_layout(club, seed=7)
    nx.draw_networkx_edges(club, layout, ax=ax, edge_color="0.7")
    rings = ["black" if node in set(run.labelled.tolist()) else "white" for node in range(len(run.labels))]
    nx.draw_networkx_nodes(club, layout, ax=ax, node_color=np.array(GROUP_COLOURS)[run.predicted], node_size=230,
                           edgecolors=rings, linewidths=2.5)
    nx.draw_networkx_labels(club, layout, ax=ax, font_size=7, font_color="white")
    wrong = np.flatnonzero(run.predicted != run.labels)
    if len(wrong):
        ax.plot(*np.array([layout[node] for node in wrong]).T, "x", color="red", ms=20, mew=2)
    ax.axis("off")
    return ax.figure


def plot_solution(run: KarateRun, *, title: str = ""):
    """Four panels: :func:`plot_training` (top), :func:`plot_embedding` and :func:`plot_assignment` (bottom).

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 10), height_ratios=(2, 3), layout="constrained")
    plot_training(run, axes[0])
    plot_embedding(run, axes[1, 0])
    axes[1, 0].set_title("2D embedding during training")
    plot_assignment(run, axes[1, 1])
    axes[1, 1].set_title("predicted groups")
    if title:
        fig.suptitle(title)
    return fig
