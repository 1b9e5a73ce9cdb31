"""The arithmetic of convolutional layers, in NumPy (book Sec. 8.1-8.4, Fig. 8.3-8.5 and 8.9).

What a convolutional layer does to sizes and numbers, without a framework, so that pages can
show it step by step and tests can hold the frameworks to it:

* output sizes with padding, stride and dilation (Fig. 8.3), and of transposed convolutions;
* the receptive field of a stack of layers (Fig. 8.4a);
* parameter counts of a convolution (Eq. 8.4) and of a depthwise-separable one (Fig. 8.8);
* a 1D convolution as a banded (Toeplitz) weight matrix (Fig. 8.5);
* a 2D convolution (Eq. 8.3, one channel), pooling (Fig. 8.3d) and the transposed
  convolution (Fig. 8.9) written out.

Convolutions are cross-correlations, as in the book (Eq. 8.1) and in every framework: the
kernel is not flipped, ``y_i = sum_j w_j x_{i s + j d}`` for stride ``s`` and dilation ``d``.
Framework-free.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import ParameterError, check_choice, check_count, check_int, check_sizes

_POOLING = ("max", "average")


def _span(kernel_size: int, dilation: int) -> int:
    """Extent of a dilated kernel: ``d (k - 1) + 1`` input positions."""
    return dilation * (kernel_size - 1) + 1


def conv_output_size(size: int, kernel_size: int, *, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length of a convolution along one axis (Fig. 8.3).

    ``floor((n + 2 p - d (k - 1) - 1) / s) + 1``: the number of positions where the dilated
    kernel fits into the padded input, stepping by the stride.

    Parameters
    ----------
    size
        Input length ``n`` (> 0).
    kernel_size
        Kernel length ``k`` (> 0).
    stride
        Step ``s`` between neighbouring outputs (> 0).
    padding
        Zeros ``p`` added at each end (>= 0); ``"same"`` padding for stride 1 is ``d (k - 1) / 2``.
    dilation
        Distance ``d`` between kernel taps (> 0; 1 is an ordinary kernel).

    Returns
    -------
    int
        The output length (> 0).

    Raises
    ------
    ParameterError
        If the dilated kernel is longer than the padded input.
    """
    size, kernel_size = check_count(size, "size"), check_count(kernel_size, "kernel_size")
    stride, dilation = check_count(stride, "stride"), check_count(dilation, "dilation")
    padding = check_int(padding, "padding", low=0)
    span = _span(kernel_size, dilation)
    if size + 2 * padding < span:
        raise ParameterError("kernel_size", f"a kernel spanning at most size + 2 padding = {size + 2 * padding} inputs",
                             kernel_size)
    return (size + 2 * padding - span) // stride + 1


def transposed_conv_output_size(
    size: int, kernel_size: int, *, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> int:
    """Output length of a transposed convolution along one axis (Fig. 8.9).

    ``(n - 1) s - 2 p + d (k - 1) + output_padding + 1``: each input spreads a kernel-sized
    patch, patches start ``s`` apart, and ``p`` positions are cut at each end. It inverts
    :func:`conv_output_size` (the floor there leaves up to ``s - 1`` lengths ambiguous, which
    ``output_padding`` picks). The book's 2 x 2 input, 3 x 3 kernel and stride 2 give 5 x 5.

    Parameters
    ----------
    size, kernel_size, stride, dilation
        As in :func:`conv_output_size` (all > 0).
    padding
        Positions removed at each end of the output (>= 0).
    output_padding
        Positions added at the end (>= 0, < stride or < dilation, as in torch).

    Returns
    -------
    int
    """
    size, kernel_size = check_count(size, "size"), check_count(kernel_size, "kernel_size")
    stride, dilation = check_count(stride, "stride"), check_count(dilation, "dilation")
    padding = check_int(padding, "padding", low=0)
    output_padding = check_int(output_padding, "output_padding", low=0, high=max(stride, dilation) - 1)
    length = (size - 1) * stride - 2 * padding + _span(kernel_size, dilation) + output_padding
    if length < 1:
        raise ParameterError("padding", f"at most {(length + 2 * padding - 1) // 2} for this size and kernel", padding)
    return length


def receptive_fields(
    kernel_sizes: Sequence[int], strides: Sequence[int] | None = None, dilations: Sequence[int] | None = None
) -> np.ndarray:
    """Receptive field of one output after each layer of a stack (Fig. 8.4a).

    Layer ``l`` widens the field by ``d_l (k_l - 1)`` steps of the input spacing of its own
    input, ``j_{l-1} = s_1 ... s_{l-1}``:

    ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``, ``r_0 = 1``, ``j_0 = 1``.

    Pooling layers count as layers with kernel = stride = pool size. Padding does not change
    the field (it only adds zeros at the border).

    Parameters
    ----------
    kernel_sizes
        Kernel length of each layer (non-empty, each > 0).
    strides, dilations
        Stride and dilation of each layer (default: all 1; each > 0, as many as kernels).

    Returns
    -------
    (n_layers,) int64
        The number of input positions (along one axis) that one output of each layer sees.
    """
    kernels = np.array(check_sizes(kernel_sizes, "kernel_sizes", allow_empty=False))
    strides_ = np.array(check_sizes(strides, "strides") if strides is not None else [1] * len(kernels))
    dilations_ = np.array(check_sizes(dilations, "dilations") if dilations is not None else [1] * len(kernels))
    for name, values in (("strides", strides_), ("dilations", dilations_)):
        if len(values) != len(kernels):
            raise ParameterError(name, f"a list of {len(kernels)} positive integers (one per kernel)", list(values))
    jumps = np.concatenate([[1], np.cumprod(strides_)[:-1]])
    return 1 + np.cumsum(dilations_ * (kernels - 1) * jumps)


def _pair(value, name: str) -> tuple[int, int]:
    """An int or a pair of ints (> 0), as kernel sizes are given in the frameworks."""
    values = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != 2:
        raise ParameterError(name, "a positive integer or a pair of them", value)
    return check_count(values[0], name), check_count(values[1], name)


def conv_parameter_count(in_channels: int, filters: int, kernel_size: int | tuple[int, int]) -> int:
    """Weights and biases of a 2D convolutional layer, ``n_c n_w n_h n_f + n_f`` (Eq. 8.4).

    Independent of the image size (weight sharing). Example 8.2: two 3 x 3 filters on an RGB
    image have ``2 (27 + 1) = 56`` parameters.

    Parameters
    ----------
    in_channels
        Input channels ``n_c`` (> 0).
    filters
        Filters ``n_f`` (> 0), the output channels.
    kernel_size
        ``n_h = n_w``, or the pair ``(n_h, n_w)`` (> 0).
    """
    height, width = _pair(kernel_size, "kernel_size")
    in_channels, filters = check_count(in_channels, "in_channels"), check_count(filters, "filters")
    return in_channels * height * width * filters + filters


def separable_conv_parameter_count(
    in_channels: int, filters: int, kernel_size: int | tuple[int, int], *, depth_multiplier: int = 1
) -> int:
    """Parameters of a depthwise-separable convolution (Fig. 8.8), as Keras' ``SeparableConv2D``.

    A depthwise ``n_h x n_w`` kernel per input channel (``m`` of them with depth multiplier
    ``m``, no bias), then a pointwise ``1 x 1`` convolution with bias:
    ``n_h n_w n_c m + n_c m n_f + n_f``, against ``n_h n_w n_c n_f + n_f`` (Eq. 8.4) for the full
    convolution; for 64 -> 64 channels and 3 x 3 kernels 4,736 instead of 36,928.

    Parameters
    ----------
    in_channels, filters, kernel_size
        As in :func:`conv_parameter_count`.
    depth_multiplier
        Depthwise filters per input channel (> 0).
    """
    height, width = _pair(kernel_size, "kernel_size")
    in_channels, filters = check_count(in_channels, "in_channels"), check_count(filters, "filters")
    depth = in_channels * check_count(depth_multiplier, "depth_multiplier")
    return height * width * depth + depth * filters + filters


def convolution_matrix(kernel: np.ndarray, size: int, *, stride: int = 1, dilation: int = 1) -> np.ndarray:
    """The banded (Toeplitz) weight matrix of a 1D convolution (Fig. 8.5).

    Row ``i`` holds the kernel at columns ``i s, i s + d, ..., i s + d (k - 1)`` and zeros
    elsewhere, so ``W @ x`` is the convolution of ``x``: a fully-connected layer whose weights
    are shared along the band and zero off it. The book's length-3 kernel on a 5-step trace
    with one zero of padding at each end is the 5 x 7 matrix ``convolution_matrix(w, 7)``
    acting on the padded trace. Its transpose is the transposed convolution (Fig. 8.9).

    Parameters
    ----------
    kernel : (k,) float
        The filter weights ``w_1 ... w_k``.
    size
        Length of the (already padded) input (> 0).
    stride, dilation
        As in :func:`conv_output_size` (> 0).

    Returns
    -------
    (n_out, size) float64
        ``n_out = conv_output_size(size, k, stride=stride, dilation=dilation)``.
    """
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 1 or len(kernel) == 0:
        raise ValueError(f"kernel must be a non-empty 1D array, got shape {kernel.shape}")
    n_out = conv_output_size(size, len(kernel), stride=stride, dilation=dilation)
    matrix = np.zeros((n_out, size))
    rows = np.arange(n_out)[:, None]
    matrix[rows, rows * stride + dilation * np.arange(len(kernel))] = kernel
    return matrix


def _check_2d(array: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(array, dtype=float)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a non-empty 2D array, got shape {array.shape}")
    return array


def convolve2d(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: int = 0, dilation: int = 1
) -> np.ndarray:
    """One-channel 2D convolution ``y_ij = sum_kl w_kl x_{i s + k d, j s + l d}`` (Eq. 8.3, Fig. 8.3).

    Parameters
    ----------
    image : (h, w) float
        The input, zero-padded by ``padding`` on every side first.
    kernel : (k_h, k_w) float
        The filter (not flipped: a cross-correlation, as in the frameworks).
    stride, padding, dilation
        As in :func:`conv_output_size`.

    Returns
    -------
    (h_out, w_out) float64
        Sizes from :func:`conv_output_size` along each axis; add a bias and an activation to
        get a convolutional layer's output (Eq. 8.2).
    """
    image, kernel = _check_2d(image, "image"), _check_2d(kernel, "kernel")
    sizes = [conv_output_size(n, k, stride=stride, padding=padding, dilation=dilation)
             for n, k in zip(image.shape, kernel.shape)]
    padded = np.pad(image, padding)
    spans = [_span(k, dilation) for k in kernel.shape]
    windows = np.lib.stride_tricks.sliding_window_view(padded, spans)[::stride, ::stride, ::dilation, ::dilation]
    return np.einsum("ijkl,kl->ij", windows[: sizes[0], : sizes[1]], kernel)


def pool2d(image: np.ndarray, size: int, *, mode: str = "max") -> np.ndarray:
    """Max or average pooling in ``size x size`` patches with stride ``size`` (Fig. 8.3d).

    Rows and columns that do not fill a whole patch are dropped, as in the frameworks.

    Parameters
    ----------
    image : (h, w) float
    size
        Patch size and stride (> 0, at most ``min(h, w)``).
    mode
        ``"max"`` or ``"average"``.

    Returns
    -------
    (h // size, w // size) float64
    """
    image = _check_2d(image, "image")
    size = check_int(size, "size", low=1, high=min(image.shape))
    check_choice(mode, "mode", _POOLING)
    rows, columns = image.shape[0] // size, image.shape[1] // size
    patches = image[: rows * size, : columns * size].reshape(rows, size, columns, size)
    return patches.max(axis=(1, 3)) if mode == "max" else patches.mean(axis=(1, 3))


def transposed_convolve2d(image: np.ndarray, kernel: np.ndarray, *, stride: int = 1) -> np.ndarray:
    """One-channel transposed convolution (Sec. 8.4, Fig. 8.9), no padding.

    Every input pixel spreads the kernel, scaled by its value, over a kernel-sized patch of the
    output; patches start ``stride`` pixels apart and overlapping contributions add up. With
    stride 2 this upsamples: the book's 2 x 2 input ``[[2, 1], [4, 3]]`` and a 3 x 3 kernel of
    ones give a 5 x 5 output with 10 in the centre, where all four patches overlap.

    Parameters
    ----------
    image : (h, w) float
    kernel : (k_h, k_w) float
    stride
        Distance between the patches of neighbouring input pixels (> 0).

    Returns
    -------
    ((h - 1) s + k_h, (w - 1) s + k_w) float64
        See :func:`transposed_conv_output_size`.
    """
    image, kernel = _check_2d(image, "image"), _check_2d(kernel, "kernel")
    stride = check_count(stride, "stride")
    shape = [transposed_conv_output_size(n, k, stride=stride) for n, k in zip(image.shape, kernel.shape)]
    output = np.zeros(shape)
    for (i, j), value in np.ndenumerate(image):
        output[i * stride : i * stride + kernel.shape[0], j * stride : j * stride + kernel.shape[1]] += value * kernel
    return output


def check_stage_filters(filters: Sequence[int], size: int, name: str = "filters") -> list[int]:
    """Check the feature maps per stage of a CNN whose stages after the first start with 2 x 2 pooling.

    Each pooling halves the maps (rounding down, as :func:`pool2d`), so a ``size x size`` input
    allows at most ``floor(log2(size)) + 1`` stages (14 -> 7 -> 3 for the three stages of Ex. 8.2).

    Parameters
    ----------
    filters
        Feature maps of each stage (non-empty, each > 0).
    size
        Side of the input images (> 0).
    name
        The parameter's name in errors.

    Returns
    -------
    list of int
    """
    filters = check_sizes(filters, name, allow_empty=False)
    size = check_count(size, "size")
    if size < 2 ** (len(filters) - 1):
        raise ParameterError(name, f"a list of at most {size.bit_length()} stages for {size} x {size} inputs", filters)
    return filters
