"""Exercises 12.1 and 12.2: what the filters, feature maps and channels of a trained CNN respond to.

Both exercises train an image classifier and then look inside it (book Sec. 12.2):

- **Ex. 12.1** trains the ELU CNN of :func:`dlpbook.nn.conv.cifar_cnn` (73,498 parameters) on
  32 x 32 colour images, then shows the confusion matrix, misclassified images with their class
  scores, the first layer's filters as colour images and the feature maps of the first layers.
  The original used CIFAR-10; offline, the images are :mod:`dlpbook.data.collider_objects`
  (ten kinds of LHC objects in three channels), a different data set that plays the same role.
- **Ex. 12.2** trains the ReLU CNN of :func:`dlpbook.nn.conv.mnist_cnn` (98,442 parameters) on
  28 x 28 handwritten digits and visualises every channel of a convolutional layer by
  activation maximization: 50 steps of gradient ascent with step size 1 on the input, the
  gradient divided by its root mean square. The original used MNIST; offline, the digits are
  scikit-learn's real 8 x 8 digits upsampled to 28 x 28 (:mod:`dlpbook.data.digits`).

Readers with the original files load them with :mod:`dlpbook.data.image_files`.

One :class:`ClassifierSettings` describes a training in both frameworks; :func:`train_torch`
and :func:`train_keras` run it, :func:`run` caches it (weights included) with
:func:`dlpbook.result_cache.cached_result`, and :func:`trained_model` rebuilds the trained
network. :func:`trained_digits_cnn` is the trained PyTorch network of Ex. 12.2 that chapter 12
explains with saliency, LRP and activation maximization.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.ticker import MaxNLocator

from .. import config, data, keras_nn, nn, train
from ..data import collider_objects, digits
from ..interpret import activation_maximization
from ..keras_nn import conv as keras_conv
from ..nn import conv as torch_conv
from ..plots.feature_maps import plot_maximizers
from ..plots.training import plot_history
from ..result_cache import cached_result
from ..train import callbacks as torch_callbacks
from ..validation import (ParameterError, check_choice, check_count, check_float, check_int, check_positive,
                          check_seed, check_sizes)
from .settings import ProfileSettings, Settings

FRAMEWORKS = ("torch", "keras")
"""The frameworks :func:`run` trains with."""

MODELS = {"cifar_cnn": "collider_objects", "mnist_cnn": "digits"}
"""Network -> the offline data set it is trained on (Ex. 12.1, Ex. 12.2)."""

N_PARAMETERS = {"cifar_cnn": 73_498, "mnist_cnn": 98_442}
"""Parameters of the original networks (Keras counts of the original solutions)."""

FAMILIES = {"single jets": (0, 1, 2), "boson and top jets": (3, 4, 5, 6), "narrow objects": (7, 8, 9)}
"""The collider objects by topology: one broad prong (quark, gluon, b jet), two or three prongs of
a heavy particle (W, Z, H, top), one narrow deposit (tau, photon, electron)."""

CLASS_NAMES = {"collider_objects": collider_objects.CLASSES, "digits": tuple(str(d) for d in range(10))}
"""Class names of each data set, by label."""


@dataclass(frozen=True)
class ImageData(Settings):
    """The images of an exercise and their split.

    Attributes
    ----------
    name : str
        ``"collider_objects"`` (the CIFAR-10 substitute) or ``"digits"`` (the MNIST substitute).
    n_train : int
        Training images, the last ``validation_fraction`` of them for validation (the original
        sets: 50,000 CIFAR-10 and 60,000 MNIST images; the digits have 1,797 in all).
    n_test : int
        Test images (the originals: 10,000).
    validation_fraction : float
        Share of the training images that validate (the original's ``validation_split``).
    seed : int
        Seed of the simulation (collider objects) or of the order of the digits.
    """

    name: str = "digits"
    n_train: int = 1437
    n_test: int = 360
    validation_fraction: float = 0.1
    seed: int = 0

    def __post_init__(self):
        check_choice(self.name, "name", CLASS_NAMES)
        check_count(self.n_train, "n_train")
        check_count(self.n_test, "n_test")
        if self.name == "digits" and self.n_train + self.n_test > digits.N_DIGITS:
            raise ParameterError("n_train + n_test", f"at most the {digits.N_DIGITS} digits",
                                 self.n_train + self.n_test)
        check_float(self.validation_fraction, "validation_fraction", low=0.0, high=0.5, low_open=True)
        check_seed(self.seed)
        if self.n_validation == 0:
            raise ParameterError("validation_fraction", "large enough for one validation image",
                                 self.validation_fraction)

    @property
    def n_validation(self) -> int:
        """Validation images: the last ``validation_fraction`` of the training images."""
        return int(self.validation_fraction * self.n_train)

    @property
    def classes(self) -> tuple[str, ...]:
        """The class names, by label."""
        return CLASS_NAMES[self.name]


@dataclass(frozen=True)
class ImageSplit:
    """Network inputs (float32, :func:`scale_images`) and labels (int64) of the parts ``fit``,
    ``val`` and ``test``: collider objects ``(n, 32, 32, 3)``, digits ``(n, 28, 28)``."""

    x_fit: np.ndarray
    y_fit: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def scale_images(images: np.ndarray) -> np.ndarray:
    """uint8 images as network inputs, ``x / 255`` (float32, 0 to 1).

    The original of Ex. 12.2 scales MNIST so; the original of Ex. 12.1 centred CIFAR-10 with
    ``(x - 128) / 128``. The collider-object images are mostly empty pixels, and an empty
    pixel must stay 0, the value of the zero padding at the image edges: centred, the empty
    background becomes -1, and the network of Ex. 12.1 sat at chance for epochs before it
    found the few filled pixels.
    """
    return np.asarray(images, dtype=np.float32) / 255


def load_split(spec: ImageData = ImageData()) -> ImageSplit:
    """Load (or simulate once, then cache) the images of ``spec`` and split them."""
    arrays = data.load(spec.name, spec.n_train + spec.n_test, seed=spec.seed, progress=False)
    x, y = scale_images(arrays["x"]), arrays["y"]
    fit, test = spec.n_train - spec.n_validation, spec.n_train
    return ImageSplit(x[:fit], y[:fit], x[fit:test], y[fit:test], x[test:], y[test:])


@dataclass(frozen=True)
class ClassifierSettings(Settings):
    """One training of the network of Ex. 12.1 or 12.2 (defaults: the original of Ex. 12.2).

    Attributes
    ----------
    model : str
        ``"cifar_cnn"`` (Ex. 12.1) or ``"mnist_cnn"`` (Ex. 12.2).
    data : ImageData
        The images (the data set of ``model`` in :data:`MODELS`).
    filters : tuple of int
        Filters per stage (``cifar_cnn``) or per convolution (``mnist_cnn``).
    epochs : int
    batch_size : int
    learning_rate : float
        Initial learning rate of Adam.
    lr_patience : int or None
        Epochs without a lower validation loss before the learning rate is multiplied by
        ``lr_factor`` (the original of Ex. 12.1: 3); ``None``: a constant learning rate.
    lr_factor : float
    min_lr : float
        The learning rate is not reduced below this.
    seed : int
        Seed of the initial weights, the dropout masks and the minibatch order.
    """

    model: str = "mnist_cnn"
    data: ImageData = ImageData()
    filters: tuple[int, ...] = (16, 32, 64, 128)
    epochs: int = 3
    batch_size: int = 100
    learning_rate: float = 1e-3
    lr_patience: int | None = None
    lr_factor: float = 0.5
    min_lr: float = 1e-5
    seed: int = 0

    def __post_init__(self):
        check_choice(self.model, "model", MODELS)
        if not isinstance(self.data, ImageData) or self.data.name != MODELS[self.model]:
            raise ParameterError("data", f"ImageData of {MODELS[self.model]!r} for {self.model}", self.data)
        check_sizes(self.filters, "filters", allow_empty=False)
        check_count(self.epochs, "epochs")
        check_count(self.batch_size, "batch_size")
        check_positive(self.learning_rate, "learning_rate")
        if self.lr_patience is not None:
            check_int(self.lr_patience, "lr_patience", low=0)
        check_float(self.lr_factor, "lr_factor", low=0.0, high=1.0, low_open=True, high_open=True)
        check_float(self.min_lr, "min_lr", low=0.0)
        check_seed(self.seed)

    def as_dict(self) -> dict:
        """The fields as plain data (the key of a cached run); :meth:`from_dict` inverts it."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, fields: dict) -> ClassifierSettings:
        """The settings of :meth:`as_dict`'s output."""
        return cls(**{**fields, "data": ImageData(**fields["data"]), "filters": tuple(fields["filters"])})


@dataclass(frozen=True)
class ClassifierRun:
    """The result of one training.

    Attributes
    ----------
    settings : ClassifierSettings
    framework : str
        ``"torch"`` or ``"keras"``.
    history : dict of lists of float, one value per epoch
        ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy`` and ``lr``.
    probabilities : (n_test, n_classes) float
        The network's class probabilities for the test images.
    labels : (n_test,) int
        The true classes of the test images.
    n_parameters : int
    weights : dict of ndarray
        The trained weights: the ``state_dict`` (torch) or ``get_weights()`` by position (Keras).
    """

    settings: ClassifierSettings
    framework: str
    history: dict[str, list[float]]
    probabilities: np.ndarray
    labels: np.ndarray
    n_parameters: int
    weights: dict[str, np.ndarray]

    @property
    def predicted(self) -> np.ndarray:
        """The class with the highest probability, per test image."""
        return self.probabilities.argmax(axis=1)

    @property
    def test_accuracy(self) -> float:
        """Fraction of test images classified right."""
        return float(np.mean(self.predicted == self.labels))


def build_torch(settings: ClassifierSettings) -> torch.nn.Sequential:
    """The untrained PyTorch network of ``settings``."""
    build = getattr(torch_conv, settings.model)
    return build(filters=settings.filters, n_classes=len(settings.data.classes), seed=settings.seed)


def train_torch(settings: ClassifierSettings = ClassifierSettings()) -> ClassifierRun:
    """Train the network of ``settings`` in PyTorch and evaluate it on the test images.

    The scores before the softmax (``model[:-1]``, the same parameters) train with the
    categorical cross-entropy, Adam and, if ``settings.lr_patience`` is set, a learning rate
    that drops on plateaus of the validation loss.
    """
    split = load_split(settings.data)
    model = build_torch(settings).to(memory_format=torch.channels_last)
    torch.manual_seed(settings.seed)  # the dropout masks come from torch's global generator
    callbacks = [] if settings.lr_patience is None else [
        train.ReduceLROnPlateau(settings.lr_factor, settings.lr_patience, min_lr=settings.min_lr)]
    history = train.fit(
        model[:-1],
        (split.x_fit, split.y_fit),
        validation=(split.x_val, split.y_val),
        loss=torch.nn.CrossEntropyLoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=settings.learning_rate),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        metrics={"accuracy": train.categorical_accuracy},
        callbacks=callbacks,
        seed=settings.seed,
        progress=False,
    )
    probabilities = train.predict(model, split.x_test, batch_size=500)
    weights = {key: value.detach().cpu().numpy() for key, value in model.state_dict().items()}
    return ClassifierRun(settings, "torch", dict(history.values), probabilities, split.y_test,
                         nn.count_parameters(model), weights)


def build_keras(settings: ClassifierSettings, x: np.ndarray, y: np.ndarray):
    """The untrained Keras network of ``settings``, compiled as the original (Adam, categorical
    cross-entropy on integer labels, accuracy) for training on images ``x`` with labels ``y``."""
    keras = keras_nn.keras()
    keras.utils.set_random_seed(settings.seed)
    build = getattr(keras_conv, settings.model)
    model = build(filters=settings.filters, n_classes=len(settings.data.classes), seed=settings.seed)
    keras_nn.compile_for_fit(
        model, x, y, optimizer=keras.optimizers.Adam(learning_rate=settings.learning_rate),
        loss="sparse_categorical_crossentropy", metrics=["accuracy"],
    )
    return model


def train_keras(settings: ClassifierSettings = ClassifierSettings()) -> ClassifierRun:
    """Train the network of ``settings`` in Keras 3 (``compile``/``fit``), the twin of :func:`train_torch`.

    Keras' own ``ReduceLROnPlateau`` on the validation loss when ``settings.lr_patience`` is set.
    """
    split = load_split(settings.data)
    keras = keras_nn.keras()
    model = build_keras(settings, split.x_fit, split.y_fit)
    callbacks = [] if settings.lr_patience is None else [keras.callbacks.ReduceLROnPlateau(
        factor=settings.lr_factor, patience=settings.lr_patience, min_lr=settings.min_lr)]
    result = model.fit(
        split.x_fit, split.y_fit, validation_data=(split.x_val, split.y_val), epochs=settings.epochs,
        batch_size=settings.batch_size, callbacks=callbacks, verbose=0,
    )
    history = {key: [float(v) for v in values] for key, values in result.history.items()}
    history["lr"] = history.pop("learning_rate", [settings.learning_rate] * settings.epochs)
    probabilities = model.predict(split.x_test, batch_size=500, verbose=0)
    weights = {str(index): array for index, array in enumerate(model.get_weights())}
    return ClassifierRun(settings, "keras", history, probabilities.astype(float), split.y_test,
                         model.count_params(), weights)


TRAINERS = {"torch": train_torch, "keras": train_keras}
"""Framework name -> training function."""

HISTORY_KEYS = ("loss", "val_loss", "accuracy", "val_accuracy", "lr")
"""The per-epoch values a :class:`ClassifierRun` keeps."""

# the code whose change invalidates a cached run, besides this module
_DEPENDS = (torch_conv, keras_conv, sys.modules[train.fit.__module__], torch_callbacks, collider_objects, digits)


@cached_result(depends=_DEPENDS)
def _cached_run(framework: str, settings: dict, *, seed: int) -> dict[str, np.ndarray]:
    result = TRAINERS[framework](ClassifierSettings.from_dict(settings))
    return {
        "probabilities": result.probabilities,
        "labels": result.labels,
        "n_parameters": result.n_parameters,
        **{f"history:{key}": result.history[key] for key in HISTORY_KEYS},
        **{f"weight:{key}": value for key, value in result.weights.items()},
    }


def run(settings: ClassifierSettings, framework: str) -> ClassifierRun:
    """:func:`train_torch` or :func:`train_keras`, cached: a second call with the same settings,
    code and profile reads the result (trained weights included) from the cache folder."""
    check_choice(framework, "framework", FRAMEWORKS)
    arrays = _cached_run(framework, settings.as_dict(), seed=settings.seed)
    history = {key: arrays[f"history:{key}"].tolist() for key in HISTORY_KEYS}
    weights = {key.removeprefix("weight:"): value for key, value in arrays.items() if key.startswith("weight:")}
    return ClassifierRun(settings, framework, history, arrays["probabilities"], arrays["labels"],
                         int(arrays["n_parameters"]), weights)


def trained_model(result: ClassifierRun):
    """The network of ``result`` with its trained weights: a ``torch.nn.Sequential`` in evaluation
    mode, or an uncompiled Keras model."""
    if result.framework == "torch":
        model = build_torch(result.settings)
        model.load_state_dict({key: torch.from_numpy(value) for key, value in result.weights.items()})
        return model.eval()
    keras = keras_nn.keras()
    build = getattr(keras_conv, result.settings.model)
    model = build(filters=result.settings.filters, n_classes=len(result.settings.data.classes),
                  seed=result.settings.seed)
    model.set_weights([result.weights[str(index)] for index in range(len(result.weights))])
    return model


def layer_outputs(model, inputs: np.ndarray, layers: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The outputs of the named layers of a trained network (either framework) for ``inputs``.

    Returns
    -------
    dict
        Layer name -> ``(n, h, w, channels)`` float array (channels last in both frameworks):
        for the convolutions of :func:`dlpbook.nn.conv.cifar_cnn` and ``mnist_cnn``, the
        feature maps after the activation.
    """
    if isinstance(model, torch.nn.Module):
        captured = {}
        hooks = [getattr(model, name).register_forward_hook(
            lambda _module, _inputs, output, name=name: captured.__setitem__(name, output)) for name in layers]
        try:
            with torch.no_grad():
                model.eval()(torch.as_tensor(inputs))
        finally:
            for hook in hooks:
                hook.remove()
        return {name: captured[name].permute(0, 2, 3, 1).numpy() for name in layers}
    keras = keras_nn.keras()
    features = keras.Model(model.inputs[0], [model.get_layer(name).output for name in layers])
    outputs = features(np.asarray(inputs), training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]  # Keras unpacks a single output
    return {name: np.asarray(output) for name, output in zip(layers, outputs, strict=True)}


def first_layer_kernels(model) -> np.ndarray:
    """The kernels of ``conv2d_1`` of a trained network (either framework) in Keras' layout
    ``(h, w, in_channels, filters)``."""
    if isinstance(model, torch.nn.Module):
        return model.conv2d_1[0].weight.detach().numpy().transpose(2, 3, 1, 0)
    return np.asarray(model.get_layer("conv2d_1").get_weights()[0])


@dataclass(frozen=True)
class FilterStudy(ProfileSettings):
    """Ex. 12.1 per profile: the colour-image CNN, trained, and what is shown of it.

    Attributes
    ----------
    training : ClassifierSettings
        The CNN of Ex. 12.1 (``cifar_cnn``) on the collider objects.
    example_classes : tuple of int
        The classes of the two test images whose feature maps are shown (the first test image
        of each).
    layers : tuple of str
        The layers whose feature maps are shown (the exercise: the first two).
    confused_pairs : int
        Most-confused pairs of classes to discuss, with one misclassified image each.
    """

    training: ClassifierSettings
    example_classes: tuple[int, ...] = (3, 6)
    layers: tuple[str, ...] = ("conv2d_1", "conv2d_2")
    confused_pairs: int = 4

    def __post_init__(self):
        if self.training.model != "cifar_cnn":
            raise ParameterError("training", "settings of the colour-image CNN (model 'cifar_cnn')",
                                 self.training.model)
        for label in self.example_classes:
            check_int(label, "example_classes", low=0, high=len(self.training.data.classes) - 1)
        names = [f"conv2d_{index}" for index in range(1, 2 * len(self.training.filters) + 1)]
        for layer in self.layers:
            check_choice(layer, "layers", names)
        check_count(self.confused_pairs, "confused_pairs")

    @classmethod
    def profiles(cls) -> dict[str, FilterStudy]:
        """``full``: the original network and training on 50,000 + 10,000 images, as CIFAR-10;
        ``quick``: see the comments."""
        full = ClassifierSettings("cifar_cnn", ImageData("collider_objects", n_train=50_000, n_test=10_000),
                                  filters=(16, 32, 64), epochs=30, batch_size=32, learning_rate=1e-3, lr_patience=3)
        # quick: 1,800 + 200 training images, half the filters of every convolution (a quarter
        # of the computing time), 2 epochs of minibatches of 32 at a larger learning rate
        quick = full.replace(data=ImageData("collider_objects", n_train=2000, n_test=1000), filters=(8, 16, 32),
                             epochs=2, learning_rate=3e-3)
        return {"quick": cls(quick), "full": cls(full)}

    def example_images(self, split: ImageSplit) -> np.ndarray:
        """Indices into the test images of the examples: the first test image of each of ``example_classes``."""
        return np.array([int(np.flatnonzero(split.y_test == label)[0]) for label in self.example_classes])


def family_share(matrix: np.ndarray) -> float:
    """Share of the misclassified collider objects that are taken for an object of their own
    family (:data:`FAMILIES`), from a confusion matrix (rows: truth); NaN without mistakes."""
    matrix = np.asarray(matrix)
    family = np.empty(len(matrix), int)
    for index, members in enumerate(FAMILIES.values()):
        family[list(members)] = index
    wrong = matrix * (1 - np.eye(len(matrix), dtype=int))
    total = wrong.sum()
    return float(wrong[family[:, None] == family[None, :]].sum() / total) if total else float("nan")


def confused_examples(result: ClassifierRun, pairs: list[tuple[int, int, int]]) -> np.ndarray:
    """One misclassified test image per confused pair ``(i, j, count)``: the first one of true class
    ``i`` taken for ``j``, else of ``j`` taken for ``i``; indices into the test images."""
    chosen = []
    for i, j, _ in pairs:
        for truth, taken in ((i, j), (j, i)):
            found = np.flatnonzero((result.labels == truth) & (result.predicted == taken))
            if len(found):
                chosen.append(int(found[0]))
                break
    return np.array(chosen, dtype=int)


@dataclass(frozen=True)
class ActivationMaximizationStudy(ProfileSettings):
    """Ex. 12.2 per profile: the digits CNN and the activation maximization of its channels.

    Attributes
    ----------
    training : ClassifierSettings
        The digits CNN (``mnist_cnn``).
    layers : tuple of str
        The convolutional layers whose channels are visualised (the original: ``conv2d_3``).
    steps : int
        Gradient-ascent steps (the exercise: 50).
    step_size : float
        Step in units of the RMS-normalised gradient (the exercise: 1).
    start_seed : int
        Seed of the noise the ascent starts from (:meth:`start`).
    """

    training: ClassifierSettings
    layers: tuple[str, ...] = ("conv2d_1", "conv2d_2", "conv2d_3")
    steps: int = 50
    step_size: float = 1.0
    start_seed: int = 0

    def __post_init__(self):
        if self.training.model != "mnist_cnn":
            raise ParameterError("training", "settings of the digits CNN (model 'mnist_cnn')", self.training.model)
        names = [f"conv2d_{index}" for index in range(1, len(self.training.filters) + 1)]
        for layer in self.layers:
            check_choice(layer, "layers", names)
        check_count(self.steps, "steps")
        check_positive(self.step_size, "step_size")
        check_seed(self.start_seed)

    @classmethod
    def profiles(cls) -> dict[str, ActivationMaximizationStudy]:
        """``full``: the original network and training on all digits; ``quick``: see the comments."""
        digits_data = ImageData("digits", n_train=1437, n_test=360)
        # The original trains 3 epochs of 540 minibatches of 100 MNIST images, 1,620 updates; the
        # 1,294 digits that train here give 13 minibatches of 100 per epoch, so the full profile
        # trains 125 epochs for about the same number of updates.
        full = ClassifierSettings("mnist_cnn", digits_data, epochs=125, batch_size=100)
        # quick: half the filters of every convolution (a quarter of the computing time), 4 epochs
        # of minibatches of 32 (164 updates) at a larger learning rate
        quick = full.replace(filters=(8, 16, 32, 64), epochs=4, batch_size=32, learning_rate=3e-3)
        return {"quick": cls(quick), "full": cls(full)}

    def channels(self, layer: str) -> int:
        """Channels of convolutional layer ``layer`` (``"conv2d_3"``) of the digits CNN."""
        names = [f"conv2d_{index}" for index in range(1, len(self.training.filters) + 1)]
        return self.training.filters[names.index(check_choice(layer, "layer", names))]

    def start(self, n: int) -> np.ndarray:
        """``n`` start images of standard normal noise, ``(n, 28, 28)`` float32 (the book starts
        from Gaussian noise; the original solution from uniform noise in [0, 1])."""
        return np.random.default_rng(self.start_seed).normal(size=(check_count(n, "n"), 28, 28)).astype(np.float32)

    def silent_channels(self, model, layer: str) -> int:
        """Channels of ``layer`` that are 0 at every pixel for their start image (channel ``c``
        starts from image ``c`` of :meth:`start`, as in :meth:`maximize`): their ReLU passes no
        gradient, so activation maximization cannot move them."""
        channels = self.channels(layer)
        maps = layer_outputs(model, self.start(channels), (layer,))[layer]  # (channels, h, w, channels)
        own = maps[np.arange(channels), ..., np.arange(channels)]  # (channels, h, w): channel c of image c
        return int(np.sum(own.max(axis=(1, 2)) <= 0))

    def maximize(self, model, layer: str) -> tuple[np.ndarray, np.ndarray]:
        """Activation maximization of every channel of ``layer`` of a trained digits CNN of either
        framework, from :meth:`start`: :func:`maximize_channels_torch` or
        :func:`maximize_channels_keras` with ``steps`` and ``step_size``."""
        ascend = maximize_channels_torch if isinstance(model, torch.nn.Module) else maximize_channels_keras
        return ascend(model, layer, self.start(self.channels(layer)), steps=self.steps, step_size=self.step_size)

    def plot_layer(self, model, layer: str) -> tuple[plt.Figure, np.ndarray]:
        """:meth:`maximize` for ``layer``, drawn as a grid of the standardised images (channels that
        stayed at zero marked "off"); returns the figure and the objective along the ascent."""
        images, values = self.maximize(model, layer)
        title = f"{layer}: the inputs that excite each of its {len(images)} channels most"
        return plot_maximizers(images, silent=values[-1] <= 0, title=title), values


def plot_training(result: ClassifierRun) -> plt.Figure:
    """Loss (left) and accuracy (right) per epoch on the training and the validation images."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    plot_history(result.history, ("loss", "val_loss"), ax=left, ylabel="cross-entropy loss")
    plot_history(result.history, ("accuracy", "val_accuracy"), ax=right, logy=False, ylabel="accuracy")
    right.set_ylim(0, 1.02)
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def trained_digits_cnn(profile: str | None = None, seed: int = 0) -> torch.nn.Sequential:
    """The digits CNN of Ex. 12.2, trained in PyTorch (cached), in evaluation mode.

    Parameters
    ----------
    profile
        ``"quick"`` or ``"full"`` settings of :class:`ActivationMaximizationStudy`; ``None``: the
        active profile.
    seed
        Seed (>= 0) of the initial weights, dropout masks and minibatch order.

    Returns
    -------
    torch.nn.Sequential
        :func:`dlpbook.nn.conv.mnist_cnn` with its trained weights: ``(batch, 28, 28)`` digits
        scaled to [0, 1] -> ``(batch, 10)`` probabilities; ``model[:-1]`` gives the scores before
        the softmax, ``model.conv2d_1`` ... ``model.conv2d_4`` the activations after each ReLU.
        The images it was trained and tested on: :func:`digits_split` of the same profile.
    """
    settings = ActivationMaximizationStudy.for_profile(profile).training.replace(seed=check_seed(seed))
    return trained_model(run(settings, "torch"))


def digits_split(profile: str | None = None) -> ImageSplit:
    """The digits (training, validation, test) of Ex. 12.2 in ``profile`` (``None``: the active one)."""
    return load_split(ActivationMaximizationStudy.for_profile(profile).training.data)


def maximize_channels_torch(model: torch.nn.Sequential, layer: str, start: np.ndarray, *, steps: int = 50,
                            step_size: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Activation maximization of every channel of ``layer`` (Eq. 12.1-12.3), one start image each.

    Sample ``c`` of the batch maximises the mean of channel ``c`` of the layer's output (after
    its ReLU): ``steps`` steps ``x <- x + step_size g / RMS(g)`` from ``start[c]``
    (:func:`dlpbook.interpret.activation_maximization.maximize_activation`; the mean has the
    normalised gradient of the book's channel objective, the sum over the pixels).

    Parameters
    ----------
    model
        A trained network with named convolutional layers (:func:`dlpbook.nn.conv.mnist_cnn`).
    layer
        The layer's name, e.g. ``"conv2d_3"``.
    start
        ``(channels, 28, 28)`` start images, one per channel of the layer.
    steps, step_size
        Gradient-ascent steps and their size.

    Returns
    -------
    inputs : (channels, 28, 28) ndarray
        The images that excite each channel most.
    values : (steps + 1, channels) ndarray
        The mean activation of each channel before each step and at the end.
    """
    module = getattr(model, layer)
    channels = [m for m in module.modules() if isinstance(m, torch.nn.Conv2d)][-1].out_channels
    if len(start) != channels:
        raise ParameterError("start", f"{channels} images, one per channel of {layer}", len(start))
    index = torch.arange(channels)  # sample c reads channel c
    objective = activation_maximization.Objective(module, lambda maps: maps[index, index].mean(dim=(-2, -1)),
                                                  f"mean of each channel of {layer}")
    result = activation_maximization.maximize_activation(
        model.eval(), objective, torch.as_tensor(start), steps=steps, step_size=step_size)
    return result.inputs.detach().numpy(), result.values


def maximize_channels_keras(model, layer: str, start: np.ndarray, *, steps: int = 50,
                            step_size: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`maximize_channels_torch` in Keras 3: ``tf.GradientTape`` on a sub-model up to ``layer``.

    Sample ``c`` of the batch ascends the mean of channel ``c`` of the layer's output; the
    gradient of each image is divided by its root mean square (at least 1e-12, as the torch twin;
    the original added 1e-7).
    """
    tf = config.import_tensorflow()
    keras = keras_nn.keras()
    features = keras.Model(model.inputs[0], model.get_layer(layer).output)
    channels = features.output.shape[-1]
    if len(start) != channels:
        raise ParameterError("start", f"{channels} images, one per channel of {layer}", len(start))
    select = tf.one_hot(tf.range(channels), channels)  # sample c reads channel c

    def channel_means(x):
        maps = features(x, training=False)  # (channels, h, w, channels)
        return tf.einsum("bhwc,bc->b", maps, select) / float(maps.shape[1] * maps.shape[2])

    step_size = check_positive(step_size, "step_size")
    x = tf.Variable(np.asarray(start, dtype=np.float32))

    @tf.function  # one traced graph for all steps: faster than eager execution
    def ascend():
        with tf.GradientTape() as tape:
            value = channel_means(x)
        gradient = tape.gradient(value, x)  # samples are independent: d(sum)/dx_c = d(value_c)/dx_c
        rms = tf.sqrt(tf.reduce_mean(tf.square(gradient), axis=(1, 2), keepdims=True))
        x.assign_add(step_size * gradient / tf.maximum(rms, 1e-12))
        return value

    values = [ascend().numpy() for _ in range(check_count(steps, "steps"))]
    values.append(channel_means(x).numpy())
    return x.numpy(), np.stack(values)
