"""Convolutional networks (book Ch. 8): building blocks and the networks of Ex. 8.1 and 8.2.

Building blocks, all on images ``(batch, channels, height, width)``:

* :class:`GlobalPooling2d`: one value per feature map (Sec. 8.1.4, Example 8.4);
* :class:`SeparableConv2d`: a depthwise then a pointwise convolution (Xception, Fig. 8.8);
* :class:`InceptionBlock`: parallel 1 x 1, 3 x 3, 5 x 5 convolutions and pooling (Fig. 8.7);
* :class:`DenseBlock`: every layer sees all earlier feature maps (DenseNet, Fig. 8.10);
* :class:`UNetDown`, :class:`UNetUp`, :class:`UNet`: contracting and expanding paths with skip
  concatenations (Fig. 8.11).

The exercise networks :func:`ising_cnn` (Ex. 8.1, 16,401 parameters),
:func:`airshower_cnn` (Ex. 8.2, 286,849 parameters), :func:`cifar_cnn` (Ex. 12.1, 73,498
parameters) and :func:`mnist_cnn` (Ex. 12.2, 98,442 parameters) take the same arrays as their
Keras twins in :mod:`dlpbook.keras_nn.conv` (same names, signatures, defaults and parameter
counts). The
size and parameter arithmetic of these layers is in :mod:`dlpbook.convolution_arithmetic`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import torch
from torch import nn

from ..convolution_arithmetic import check_stage_filters
from ..validation import ParameterError, check_choice, check_count, check_int, check_rate, check_seed, check_sizes
from .init import glorot_uniform_, he_normal_

_POOLING = ("average", "max")


class GlobalPooling2d(nn.Module):
    """Global average or max pooling: ``(batch, c, h, w) -> (batch, c)`` (Sec. 8.1.4).

    One number per feature map, whatever the image size; a dense layer after it has as many
    inputs as there are filters, not pixels (Example 8.4), which curbs overfitting.

    Parameters
    ----------
    mode
        ``"average"`` or ``"max"``.
    """

    def __init__(self, mode: str = "average") -> None:
        super().__init__()
        self.mode = check_choice(mode, "mode", _POOLING)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return images.mean(dim=(-2, -1)) if self.mode == "average" else images.amax(dim=(-2, -1))


class SeparableConv2d(nn.Module):
    """A depthwise-separable convolution (Xception, Sec. 8.4, Fig. 8.8), as Keras' ``SeparableConv2D``.

    A ``k x k`` depthwise convolution filters each input channel on its own (``depth_multiplier``
    filters per channel, no bias); a ``1 x 1`` pointwise convolution with bias then mixes the
    channels, with no nonlinearity in between. Parameters:
    ``k^2 c m + c m f + f`` (:func:`dlpbook.convolution_arithmetic.separable_conv_parameter_count`)
    instead of ``k^2 c f + f`` (Eq. 8.4).

    Parameters
    ----------
    in_channels
        Input channels ``c`` (> 0).
    filters
        Output channels ``f`` (> 0).
    kernel_size
        Odd side ``k`` of the depthwise kernel (> 0); the padding keeps the image size ("same").
    depth_multiplier
        Depthwise filters per input channel ``m`` (> 0).
    """

    def __init__(self, in_channels: int, filters: int, kernel_size: int = 3, *, depth_multiplier: int = 1) -> None:
        super().__init__()
        in_channels, filters = check_count(in_channels, "in_channels"), check_count(filters, "filters")
        kernel_size = _check_odd(kernel_size)
        depth = in_channels * check_count(depth_multiplier, "depth_multiplier")
        self.depthwise = nn.Conv2d(in_channels, depth, kernel_size, padding="same", groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(depth, filters, 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(images))


def _check_odd(kernel_size: int) -> int:
    kernel_size = check_count(kernel_size, "kernel_size")
    if kernel_size % 2 == 0:
        raise ParameterError("kernel_size", "an odd integer > 0 (same padding on both sides)", kernel_size)
    return kernel_size


def _conv_relu(in_channels: int, filters: int, kernel_size: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(in_channels, filters, kernel_size, padding="same"), nn.ReLU())


class InceptionBlock(nn.Module):
    """An inception block (GoogLeNet, Sec. 8.4, Fig. 8.7).

    Four parallel branches on the same input, each ending in ``filters`` feature maps, stacked
    along the channels (``4 filters`` outputs, 64 for the book's 16):

    1. a ``1 x 1`` convolution;
    2. a ``1 x 1`` bottleneck, then a ``3 x 3`` convolution;
    3. a ``1 x 1`` bottleneck, then a ``5 x 5`` convolution;
    4. ``3 x 3`` max pooling with stride 1, then a ``1 x 1`` convolution.

    The bottlenecks cut the channels before the expensive kernels; every convolution is
    followed by a ReLU, and the image size is kept.

    Parameters
    ----------
    in_channels
        Input channels (> 0).
    filters
        Feature maps of each branch and width of the bottlenecks (> 0).
    """

    def __init__(self, in_channels: int, filters: int = 16) -> None:
        super().__init__()
        in_channels, filters = check_count(in_channels, "in_channels"), check_count(filters, "filters")
        self.branches = nn.ModuleList([
            _conv_relu(in_channels, filters, 1),
            nn.Sequential(_conv_relu(in_channels, filters, 1), _conv_relu(filters, filters, 3)),
            nn.Sequential(_conv_relu(in_channels, filters, 1), _conv_relu(filters, filters, 5)),
            nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), _conv_relu(in_channels, filters, 1)),
        ])
        self.out_channels = 4 * filters

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return torch.cat([branch(images) for branch in self.branches], dim=1)


class DenseBlock(nn.Module):
    """A DenseNet block (Huang et al., Sec. 8.4.1, Fig. 8.10): each layer sees all earlier maps.

    Layer ``l`` convolves the concatenation of the block's input and the outputs of layers
    ``1 ... l - 1`` into ``growth`` new feature maps, so the channels grow linearly,
    ``in_channels + l growth`` after layer ``l``, and the output has
    ``in_channels + n_layers growth`` channels (a ``1 x 1`` transition layer usually follows to
    cut them again). A layer is ``[1 x 1 bottleneck -> ReLU ->] conv -> ReLU`` with "same"
    padding.

    With ``bottleneck=16, separable=True`` after a ``SeparableConv2d(2, 8)`` this is the shared
    trunk of Ex. 11.1 (channels 24, 40, 56, 72, 88 for ``growth=16``, ``n_layers=5``).

    Parameters
    ----------
    in_channels
        Input channels (> 0).
    growth
        New feature maps per layer (> 0).
    n_layers
        Layers in the block (> 0).
    kernel_size
        Odd kernel side (> 0).
    bottleneck
        Width of a ``1 x 1`` convolution before each layer's kernel (``None``: none).
    separable
        Use :class:`SeparableConv2d` for the ``kernel_size`` convolutions.
    """

    def __init__(
        self,
        in_channels: int,
        growth: int,
        n_layers: int,
        *,
        kernel_size: int = 3,
        bottleneck: int | None = None,
        separable: bool = False,
    ) -> None:
        super().__init__()
        in_channels, growth = check_count(in_channels, "in_channels"), check_count(growth, "growth")
        n_layers, kernel_size = check_count(n_layers, "n_layers"), _check_odd(kernel_size)
        if bottleneck is not None:
            bottleneck = check_count(bottleneck, "bottleneck")
        self.layers = nn.ModuleList()
        for index in range(n_layers):
            width = in_channels + index * growth
            steps: list[nn.Module] = []
            if bottleneck is not None:
                steps += [nn.Conv2d(width, bottleneck, 1), nn.ReLU()]
                width = bottleneck
            conv = SeparableConv2d(width, growth, kernel_size) if separable else nn.Conv2d(
                width, growth, kernel_size, padding="same")
            self.layers.append(nn.Sequential(*steps, conv, nn.ReLU()))
        self.out_channels = in_channels + n_layers * growth

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        features = images
        for layer in self.layers:
            features = torch.cat([features, layer(features)], dim=1)
        return features


def _double_conv(in_channels: int, filters: int) -> nn.Sequential:
    """Two ``3 x 3`` "same" convolutions with ReLU, the unit of each U-Net level."""
    return nn.Sequential(_conv_relu(in_channels, filters, 3), _conv_relu(filters, filters, 3))


class UNetDown(nn.Module):
    """A contracting U-Net step (Sec. 8.4.1, Fig. 8.11): two ``3 x 3`` convolutions, then ``2 x 2`` max pooling.

    ``forward`` returns ``(skip, down)``: the features at full resolution ``(batch, filters,
    h, w)`` for the skip connection and the pooled ones ``(batch, filters, h // 2, w // 2)``.

    Parameters
    ----------
    in_channels, filters
        Input and output channels (> 0).
    """

    def __init__(self, in_channels: int, filters: int) -> None:
        super().__init__()
        self.convs = _double_conv(check_count(in_channels, "in_channels"), check_count(filters, "filters"))
        self.pool = nn.MaxPool2d(2)

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        skip = self.convs(images)
        return skip, self.pool(skip)


class UNetUp(nn.Module):
    """An expanding U-Net step (Fig. 8.11): upsample, concatenate the skip, two ``3 x 3`` convolutions.

    A ``2 x 2`` transposed convolution with stride 2 doubles the image size and maps
    ``in_channels`` to ``filters`` channels; the skip features of the same resolution
    (``skip_channels``) are concatenated along the channels before the convolutions.

    Parameters
    ----------
    in_channels, skip_channels, filters
        Channels of the input, of the skip features and of the output (> 0).
    """

    def __init__(self, in_channels: int, skip_channels: int, filters: int) -> None:
        super().__init__()
        in_channels, filters = check_count(in_channels, "in_channels"), check_count(filters, "filters")
        self.up = nn.ConvTranspose2d(in_channels, filters, 2, stride=2)
        self.convs = _double_conv(filters + check_count(skip_channels, "skip_channels"), filters)

    def forward(self, images: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        return self.convs(torch.cat([self.up(images), skip], dim=1))


class UNet(nn.Module):
    """A small U-Net for pixel-wise regression or segmentation (Ronneberger et al., Sec. 8.3, 8.4.1).

    ``len(widths) - 1`` contracting steps (:class:`UNetDown`) halve the image and raise the
    channels to ``widths[:-1]``; two convolutions with ``widths[-1]`` channels at the coarsest
    level; as many expanding steps (:class:`UNetUp`) restore the resolution, each joined by the
    skip features of its level; a ``1 x 1`` convolution gives ``out_channels`` maps. The output
    has the input's height and width, which must be divisible by ``2 ** (len(widths) - 1)``.

    Parameters
    ----------
    in_channels, out_channels
        Channels of the input image and of the output map (> 0).
    widths
        Channels per level, finest first (at least two, each > 0).
    """

    def __init__(self, in_channels: int, out_channels: int, widths: Sequence[int] = (16, 32, 64)) -> None:
        super().__init__()
        in_channels, out_channels = check_count(in_channels, "in_channels"), check_count(out_channels, "out_channels")
        widths = check_sizes(widths, "widths", allow_empty=False)
        if len(widths) < 2:
            raise ParameterError("widths", "a list of at least two positive integers", widths)
        inputs = [in_channels, *widths[:-2]]
        self.downs = nn.ModuleList(UNetDown(c_in, c_out) for c_in, c_out in zip(inputs, widths[:-1]))
        self.bottom = _double_conv(widths[-2], widths[-1])
        # coarsest first: each step takes the level below and the skip features of its own width
        self.ups = nn.ModuleList(UNetUp(c_in, c_out, c_out) for c_in, c_out in zip(widths[:0:-1], widths[-2::-1]))
        self.head = nn.Conv2d(widths[0], out_channels, 1)
        self.factor = 2 ** len(self.downs)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """``(batch, in_channels, h, w) -> (batch, out_channels, h, w)``."""
        if images.shape[-2] % self.factor or images.shape[-1] % self.factor:
            raise ValueError(f"image height and width must be divisible by {self.factor}, "
                             f"got {tuple(images.shape[-2:])}")
        skips = []
        for down in self.downs:
            skip, images = down(images)
            skips.append(skip)
        images = self.bottom(images)
        for up, skip in zip(self.ups, reversed(skips)):
            images = up(images, skip)
        return self.head(images)


class _ToChannelsFirst(nn.Module):
    """Float images ``(batch, c, h, w)`` from the arrays the Keras twins take.

    ``(batch, h, w)`` (one channel, the Ising spins) or ``(batch, h, w, c)`` (channels last,
    the air-shower maps); the shape is checked as a Keras ``Input`` would.
    """

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, arrays: torch.Tensor) -> torch.Tensor:
        if tuple(arrays.shape[1:]) != self.shape:
            expected = ", ".join(map(str, self.shape))
            raise ValueError(f"expected inputs of shape (batch, {expected}), got {tuple(arrays.shape)}")
        images = arrays.to(torch.get_default_dtype())
        return images.unsqueeze(1) if len(self.shape) == 2 else images.permute(0, 3, 1, 2)


def _cnn(
    input_shape: tuple[int, ...],
    filters: Sequence[int],
    *,
    activation: type[nn.Module],
    pooling: str,
    dropout: float,
    n_out: int,
    output_activation: nn.Module | None,
    he_normal: bool,
    seed: int,
) -> nn.Sequential:
    """Stages of two ``3 x 3`` "same" convolutions with ``2 x 2`` max pooling between them, then
    global pooling, dropout and a dense output layer: the layout of Ex. 8.1 and 8.2."""
    channels = 1 if len(input_shape) == 2 else input_shape[-1]
    layers: list[nn.Module] = [_ToChannelsFirst(input_shape)]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for stage, width in enumerate(filters):
            if stage:
                layers.append(nn.MaxPool2d(2))
            for _ in range(2):
                layers += [nn.Conv2d(channels, width, 3, padding="same"), activation()]
                channels = width
        layers += [GlobalPooling2d(pooling), nn.Dropout(dropout), nn.Linear(channels, n_out)]
        network = nn.Sequential(*layers)
        if he_normal:
            he_normal_(network)
    if output_activation is not None:
        network.append(output_activation)
    return network


def ising_cnn(L: int = 32, *, filters: Sequence[int] = (16, 32), n_out: int = 1, dropout: float = 0.25, seed: int = 0):
    """The Ising-phase CNN of Ex. 8.1 with global average pooling (16,401 parameters).

    ``(batch, L, L)`` spins -> two ``3 x 3`` convolutions with ``filters[0]`` maps (ReLU,
    "same") -> ``2 x 2`` max pooling -> two with ``filters[1]`` -> ... -> global average pooling
    -> dropout -> dense: ``sigmoid`` output for ``n_out = 1`` (probability of the paramagnetic
    phase, T > T_c), ``softmax`` over ``n_out`` classes otherwise (``n_out=2`` is the network of
    Ex. 12.3, 16,434 parameters, whose last convolution feeds the class activation maps).

    Parameters
    ----------
    L
        Linear lattice size (> 1); global pooling makes the parameters independent of it.
    filters
        Feature maps of each stage (non-empty, each > 0); stages after the first start with
        ``2 x 2`` max pooling.
    n_out
        Output units (> 0).
    dropout
        Dropout rate in [0, 1) before the output layer.
    seed
        Seed (>= 0) of the initial weights (PyTorch's default initialisation).

    Returns
    -------
    torch.nn.Sequential
        Takes ``(batch, L, L)`` spins of any numeric dtype (as the Keras twin) and returns
        ``(batch, n_out)`` probabilities.
    """
    L = check_int(L, "L", low=2)
    filters, n_out, dropout, seed = _check_exercise(filters, n_out, dropout, seed, L)
    return _cnn((L, L), filters, activation=nn.ReLU, pooling="average", dropout=dropout, n_out=n_out,
                output_activation=nn.Sigmoid() if n_out == 1 else nn.Softmax(dim=-1), he_normal=False, seed=seed)


def airshower_cnn(n_stations: int = 14, channels: int = 2, *, filters: Sequence[int] = (32, 64, 128),
                  dropout: float = 0.3, seed: int = 0):
    """The air-shower energy CNN of Ex. 8.2 on the 14 x 14 array (286,849 parameters).

    ``(batch, 14, 14, 2)`` maps (arrival time and signal, channels last) -> two ``3 x 3``
    convolutions with 32 maps -> ``2 x 2`` max pooling -> two with 64 -> pooling -> two with 128
    (maps 14 -> 7 -> 3) -> global max pooling -> dropout 0.3 -> one linear output, the energy.
    ELU activations, "same" padding, ``he_normal`` weights and zero biases, as in the original.

    Parameters
    ----------
    n_stations
        Stations per side of the square array (> 1).
    channels
        Values per station (> 0).
    filters
        Feature maps of each stage (non-empty, each > 0).
    dropout
        Dropout rate in [0, 1) before the output layer.
    seed
        Seed (>= 0) of the initial weights.

    Returns
    -------
    torch.nn.Sequential
        Takes ``(batch, n_stations, n_stations, channels)`` and returns ``(batch, 1)``.
    """
    n_stations = check_int(n_stations, "n_stations", low=2)
    channels = check_count(channels, "channels")
    filters, n_out, dropout, seed = _check_exercise(filters, 1, dropout, seed, n_stations)
    return _cnn((n_stations, n_stations, channels), filters, activation=nn.ELU, pooling="max", dropout=dropout,
                n_out=n_out, output_activation=None, he_normal=True, seed=seed)


def _named_cnn(
    input_shape: tuple[int, ...], make_convolutions: Callable[[], list[nn.Module]], *, n_classes: int,
    dropout: float, seed: int, initialise: Callable[[nn.Module], nn.Module] | None = None
) -> nn.Sequential:
    """``input -> conv2d_1 -> ... -> global max pooling -> dropout -> dense -> softmax`` with the
    names of the Keras twin: each ``conv2d_<i>`` is a small ``nn.Sequential`` whose output is the
    activation after the convolution, as the output of Keras' ``Conv2D(activation=...)``.
    ``make_convolutions`` returns these and the pooling layers between them; ``initialise``, if
    given, re-draws the weights in place (seeded with ``seed`` as well)."""
    layers: list[tuple[str, nn.Module]] = [("input", _ToChannelsFirst(input_shape))]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        convolutions = make_convolutions()
        index = 0
        for layer in convolutions:
            if isinstance(layer, nn.MaxPool2d):
                layers.append((f"max_pooling2d_{index}", layer))
            else:
                index += 1
                layers.append((f"conv2d_{index}", layer))
        width = [m for m in convolutions[-1] if isinstance(m, nn.Conv2d)][-1].out_channels
        layers += [("global_max_pooling2d", GlobalPooling2d("max")), ("dropout", nn.Dropout(dropout)),
                   ("dense", nn.Linear(width, n_classes)), ("softmax", nn.Softmax(dim=-1))]
        network = nn.Sequential(OrderedDict(layers))
        if initialise is not None:
            initialise(network)
    return network


def cifar_cnn(size: int = 32, channels: int = 3, *, filters: Sequence[int] = (16, 32, 64), n_classes: int = 10,
              dropout: float = 0.5, seed: int = 0):
    """The CNN of Ex. 12.1 for CIFAR-10-like colour images (73,498 parameters).

    ``(batch, 32, 32, 3)`` images (channels last) -> ``conv2d_1``: 16 filters of ``5 x 5`` ->
    ``conv2d_2``: 16 of ``3 x 3`` -> ``conv2d_3``: 32 of ``3 x 3`` with stride 2 -> ``conv2d_4``:
    32 -> ``conv2d_5``: 64 with stride 2 -> ``conv2d_6``: 64 (maps 32 -> 16 -> 8), all with ELU and
    "same" padding -> global max pooling -> dropout 0.5 -> dense -> softmax over the classes. A
    strided "same" convolution pads as Keras does: the missing row and column at the bottom and
    right.

    Parameters
    ----------
    size
        Side of the square images (> 1, divisible by ``2 ** (len(filters) - 1)``).
    channels
        Colour channels (> 0).
    filters
        Filters of each stage of two convolutions (non-empty, each > 0); stages after the
        first start with a stride-2 convolution.
    n_classes
        Classes (> 0).
    dropout
        Dropout rate in [0, 1) before the dense layer.
    seed
        Seed (>= 0) of the initial weights: Keras' default, Glorot-uniform kernels and zero
        biases (:func:`dlpbook.nn.init.glorot_uniform_`), as the Keras twin; with PyTorch's
        random biases the network sits at chance for the first epoch on the sparse collider images.

    Returns
    -------
    torch.nn.Sequential
        Named ``input``, ``conv2d_1`` ... ``conv2d_6``, ``global_max_pooling2d``, ``dropout``,
        ``dense``, ``softmax``; ``(batch, size, size, channels)`` -> ``(batch, n_classes)``
        probabilities. ``model[:-1]`` gives the scores before the softmax.
    """
    size, channels = check_int(size, "size", low=2), check_count(channels, "channels")
    filters = check_stage_filters(filters, size)
    if size % 2 ** (len(filters) - 1):
        raise ParameterError("size", f"divisible by {2 ** (len(filters) - 1)} (a stride-2 convolution per stage "
                             "after the first)", size)
    n_classes, dropout, seed = _check_classifier(n_classes, dropout, seed)

    def convolutions() -> list[nn.Module]:
        layers, width = [], channels
        for stage, out in enumerate(filters):
            # Keras' "same" with stride 2 on an even side: one row and one column of zeros at the end
            first = ([nn.Conv2d(width, out, 5, padding="same")] if stage == 0
                     else [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(width, out, 3, stride=2)])
            layers += [nn.Sequential(*first, nn.ELU()), nn.Sequential(nn.Conv2d(out, out, 3, padding="same"), nn.ELU())]
            width = out
        return layers

    return _named_cnn((size, size, channels), convolutions, n_classes=n_classes, dropout=dropout, seed=seed,
                      initialise=glorot_uniform_)


def mnist_cnn(size: int = 28, *, filters: Sequence[int] = (16, 32, 64, 128), n_classes: int = 10,
              dropout: float = 0.5, seed: int = 0):
    """The CNN of Ex. 12.2 for MNIST-like grey images (98,442 parameters).

    ``(batch, 28, 28)`` images -> ``conv2d_1``: 16 filters -> ``conv2d_2``: 32 -> ``2 x 2`` max
    pooling -> ``conv2d_3``: 64 -> pooling -> ``conv2d_4``: 128 (maps 28 -> 14 -> 7), all
    ``3 x 3`` with ReLU and "same" padding -> global max pooling -> dropout 0.5 -> dense ->
    softmax over the classes. Every convolution after the second starts with a pooling.

    Parameters
    ----------
    size
        Side of the square images (> 1, at least ``2 ** (len(filters) - 2)``).
    filters
        Filters of each convolution (at least two, each > 0).
    n_classes
        Classes (> 0).
    dropout
        Dropout rate in [0, 1) before the dense layer.
    seed
        Seed (>= 0) of the initial weights (PyTorch's default initialisation).

    Returns
    -------
    torch.nn.Sequential
        Named ``input``, ``conv2d_1``, ``conv2d_2``, ``max_pooling2d_2``, ``conv2d_3``, ...,
        ``global_max_pooling2d``, ``dropout``, ``dense``, ``softmax``; ``(batch, size, size)`` ->
        ``(batch, n_classes)`` probabilities. ``model.conv2d_3`` outputs the activations after the
        ReLU; ``model[:-1]`` gives the scores before the softmax.
    """
    size = check_int(size, "size", low=2)
    filters = check_sizes(filters, "filters", allow_empty=False)
    if len(filters) < 2:
        raise ParameterError("filters", "at least two convolutions", filters)
    check_stage_filters(filters[1:], size)
    n_classes, dropout, seed = _check_classifier(n_classes, dropout, seed)

    def convolutions() -> list[nn.Module]:
        layers, widths = [], [1, *filters]
        for index, (width, out) in enumerate(zip(widths, filters)):
            if index >= 2:
                layers.append(nn.MaxPool2d(2))
            layers.append(nn.Sequential(nn.Conv2d(width, out, 3, padding="same"), nn.ReLU()))
        return layers

    return _named_cnn((size, size), convolutions, n_classes=n_classes, dropout=dropout, seed=seed)


def _check_classifier(n_classes, dropout, seed) -> tuple[int, float, int]:
    return check_count(n_classes, "n_classes"), check_rate(dropout, "dropout"), check_seed(seed)


def _check_exercise(filters, n_out, dropout, seed, size) -> tuple[list[int], int, float, int]:
    filters = check_stage_filters(filters, size)
    return filters, check_count(n_out, "n_out"), check_rate(dropout, "dropout"), check_seed(seed)
